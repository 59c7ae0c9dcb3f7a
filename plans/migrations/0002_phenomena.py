"""The ten clusters of the federal framework note, as data (with history)."""

from django.db import migrations

REASON = "Shipped with SafetyNet"


def load(apps, schema_editor):
    from plans.data import load_shipped

    load_shipped(
        apps.get_model("plans", "Phenomenon"),
        apps.get_model("plans", "HistoricalPhenomenon"),
        reason=REASON,
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
