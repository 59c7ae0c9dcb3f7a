from django.urls import path

from . import views
from .admin import site

urlpatterns = [
    path("floor/<slug:municipality>/<slug:name>/", views.table, name="floor-table"),
    path("admin/", site.urls),
]
