"""Pages of the actors app, mounted at the municipality's root: ``actors/``, ``network/``,
``organogram/``."""

from .views import network, organogram, registry, transfer

app_name = "actors"
urlpatterns = [
    *registry.urlpatterns,
    *organogram.urlpatterns,
    *network.urlpatterns,
    *transfer.urlpatterns,
]
