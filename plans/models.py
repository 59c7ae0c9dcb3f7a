"""Models of the app; they arrive with their issue. Every model here declares
``MUNICIPALITY_PATH`` (the lookup to its municipality) and ``history = HistoricalRecords()``."""
