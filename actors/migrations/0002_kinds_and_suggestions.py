"""The kinds of actor of the domain text and the suggestion rules, as data (with history)."""

from django.db import migrations

REASON = "Shipped with SafetyNet"


def load(apps, schema_editor):
    from actors.data import load_shipped

    load_shipped(
        apps.get_model("actors", "ActorKind"),
        apps.get_model("actors", "HistoricalActorKind"),
        apps.get_model("actors", "SuggestionRule"),
        apps.get_model("actors", "HistoricalSuggestionRule"),
        reason=REASON,
    )


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
