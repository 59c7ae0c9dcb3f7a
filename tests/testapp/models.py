from django.db import models

from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from safetynet.models import Municipality


class Folder(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    name = models.CharField("name", max_length=50)

    MUNICIPALITY_PATH = "municipality"

    def __str__(self):
        return self.name


class Note(models.Model):
    """Reaches its municipality through its folder, as a goal reaches it through its plan."""

    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, verbose_name="folder")
    title = models.CharField("title", max_length=100)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "folder__municipality"

    def __str__(self):
        return self.title


class NoteUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Note, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False
