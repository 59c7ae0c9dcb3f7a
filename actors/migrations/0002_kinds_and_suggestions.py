"""The kinds of actor of the domain text and the suggestion rules, as data (with history)."""

from django.db import migrations
from django.utils import timezone

REASON = "Shipped with SafetyNet"


def load(apps, schema_editor):
    from actors.data import ACTOR_KINDS, SUGGESTION_RULES

    ActorKind = apps.get_model("actors", "ActorKind")
    HistoricalActorKind = apps.get_model("actors", "HistoricalActorKind")
    SuggestionRule = apps.get_model("actors", "SuggestionRule")
    HistoricalSuggestionRule = apps.get_model("actors", "HistoricalSuggestionRule")
    now = timezone.now()
    kinds = {}
    for code, category, order, (nl, fr, en), (ex_nl, ex_fr, ex_en) in ACTOR_KINDS:
        kind, created = ActorKind.objects.get_or_create(
            municipality=None,
            code=code,
            defaults=dict(
                category=category, order=order, name_nl=nl, name_fr=fr, name_en=en,
                examples_nl=ex_nl, examples_fr=ex_fr, examples_en=ex_en,
            ),
        )
        kinds[code] = kind
        if created:
            HistoricalActorKind.objects.create(
                id=kind.id, municipality_id=None, code=code, category=category, order=order,
                name_nl=nl, name_fr=fr, name_en=en, examples_nl=ex_nl, examples_fr=ex_fr,
                examples_en=ex_en, history_date=now, history_type="+",
                history_change_reason=REASON,
            )
    for infrastructure, kind_code, (nl, fr, en), (r_nl, r_fr, r_en) in SUGGESTION_RULES:
        rule, created = SuggestionRule.objects.get_or_create(
            infrastructure=infrastructure,
            name_nl=nl,
            defaults=dict(
                kind=kinds[kind_code], name_fr=fr, name_en=en,
                reason_nl=r_nl, reason_fr=r_fr, reason_en=r_en,
            ),
        )
        if created:
            HistoricalSuggestionRule.objects.create(
                id=rule.id, infrastructure=infrastructure, kind_id=rule.kind_id, name_nl=nl,
                name_fr=fr, name_en=en, reason_nl=r_nl, reason_fr=r_fr, reason_en=r_en,
                history_date=now, history_type="+", history_change_reason=REASON,
            )


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
