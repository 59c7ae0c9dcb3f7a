"""How long a plan document takes and how much memory it needs: a plan of 200 action plans
(8 strategic goals × 25 action plans, each with actions, resources, a result and an indicator)
rendered by the same code as the application's, on a throw-away in-memory database.

    .venv/bin/python bench/pdf.py [--action-plans 200]

Prints seconds, pages, seconds per page and the process's peak memory, and writes them to
bench/results/<date>-pdf.json. The floor to compare with (PITFALLS.md): about 0.09–0.10 s per
page and 2–3 MB per page on this kind of 2-core machine."""

import argparse
import datetime
import json
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "safetynet.settings.test"
os.environ["DATABASE_URL"] = "sqlite://:memory:"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(action_plans: int):
    from plans.models import Action, ActionPlan, ExpectedResult, Goal, Indicator, Plan, Resource
    from safetynet.models import Municipality

    municipality = Municipality.objects.create(
        name="Benchdorp", slug="benchdorp", nis_code="99999", region="flanders", languages=["nl"]
    )
    plan = Plan.objects.create(
        municipality=municipality, title="Bench plan", period_start=2026, period_end=2031
    )
    goals = Goal.objects.bulk_create(
        [Goal(plan=plan, title=f"Strategische doelstelling {i}", order=i) for i in range(8)]
    )
    items = ActionPlan.objects.bulk_create(
        [
            ActionPlan(
                goal=goals[i % 8],
                title=f"Actieplan {i} met een titel van gewone lengte",
                description="Een beschrijving van enkele zinnen. " * 4,
                order=i,
                start=datetime.date(2026, 1, 1),
                end=datetime.date(2028, 12, 31),
            )
            for i in range(action_plans)
        ]
    )
    results = ExpectedResult.objects.bulk_create(
        [ExpectedResult(action_plan=ap, text=f"Resultaat van {ap.pk}") for ap in items]
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                expected_result=r,
                name=f"Indicator {r.pk}",
                type="outcome",
                objectivity="objective",
                baseline=100,
                target=80,
            )
            for r in results
        ]
    )
    Action.objects.bulk_create(
        [Action(action_plan=ap, title=f"Actie {k}", order=k) for ap in items for k in range(5)]
    )
    Resource.objects.bulk_create(
        [
            Resource(
                action_plan=ap,
                kind="budget",
                amount=Decimal(1000 + k),
                unit="EUR",
                availability="available" if k else "required",
            )
            for ap in items
            for k in range(2)
        ]
    )
    return plan


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--action-plans", type=int, default=200)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from plans.content import snapshot, stored
    from plans.documents import PLAN_TEMPLATE, plan_data
    from safetynet.pdf import render_template

    plan = build(options.action_plans)
    data = plan_data(plan, stored(snapshot(plan)), state=plan.state)
    data["date"] = "1 januari 2026"
    render_template(PLAN_TEMPLATE, data, language="nl")  # warm: imports, fonts
    before = peak_mb()
    started = time.perf_counter()
    rendered = render_template(PLAN_TEMPLATE, data, language="nl")
    seconds = time.perf_counter() - started
    result = {
        "date": datetime.date.today().isoformat(),
        "action_plans": options.action_plans,
        "pages": rendered.pages,
        "seconds": round(seconds, 2),
        "seconds_per_page": round(seconds / rendered.pages, 3),
        "bytes": len(rendered.content),
        "peak_memory_mb": round(peak_mb(), 1),
        "peak_before_mb": round(before, 1),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / f"{result['date']}-pdf.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
