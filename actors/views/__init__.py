"""The actors' pages, one module per part: the registry of actors and their roles, the organogram
and the coordinator's appointment, the network picture and its gaps, import and export. Each
module keeps its own ``urlpatterns``; ``actors/urls.py`` joins them."""
