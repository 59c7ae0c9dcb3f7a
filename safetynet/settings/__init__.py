"""Settings package: ``base`` holds what every environment shares, read from the environment;
``dev``, ``test`` and ``production`` set their own defaults on top of it."""
