"""The monitor (``plans.monitor.build``, the monitor pages and their exports): the figures of a
small plan in steering worked out by hand, its filters, a closed plan frozen on its closing day,
a number of queries that does not grow with the plan, and the CSV and XLSX exports.

The small plan is made through the services; the large ones for the query counts are
bulk-built (no history) and then walked into steering by the services."""

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import pytest
from openpyxl import load_workbook

from coregroup.services import working_group_create
from plans import exports
from plans.constants import (
    Availability,
    FundingSource,
    IndicatorType,
    Objectivity,
    PlanState,
    ReportFrequency,
    ReportStatus,
    ResourceKind,
)
from plans.models import (
    Action,
    ActionPlan,
    ExpectedResult,
    Goal,
    Indicator,
    Measurement,
    ProgressReport,
    Resource,
)
from plans.monitor import NO_REPORT, Filters, build
from plans.services import item_add, item_update, plan_close
from plans.services.steering import (
    escalation_answer,
    escalation_raise,
    evaluation_write,
    reporting_set,
)
from safetynet.constants import Role
from tests.budget_support import count_of, without_tokens
from tests.plans import builders
from tests.plans.builders import (
    action_plan,
    budget,
    complete_plan,
    expected_result,
    goal,
    measure,
    member,
    new_plan,
    person,
    report,
    steer,
)

pytestmark = pytest.mark.django_db

D = datetime.date
GRACE = 14
Q1, Q2, Q3, Q4 = D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31)
Q3_DUE = D(2026, 10, 14)  # the third quarter's reports are due on 14 October
AFTER_Q3_DUE = Q3_DUE + datetime.timedelta(days=1)


def ends(periods):
    return [period.end for period in periods]


def by_title(monitor):
    return {row.action_plan.title: row for row in monitor.rows}


def titles(monitor):
    return sorted(row.action_plan.title for row in monitor.rows)


@pytest.fixture(autouse=True)
def _grace(settings):
    settings.SAFETYNET_REPORT_GRACE_DAYS = GRACE


@pytest.fixture
def members(lindenberg):
    return builders.college(lindenberg, 3)


@pytest.fixture
def secretary(make_member):
    return make_member(Role.COUNCIL_SECRETARY)


# --- A small plan, its figures worked out by hand -------------------------------------------------


@pytest.fixture
def small(lindenberg, coordinator, members, secretary):
    """Two strategic goals, three action plans, adopted on 1 March 2026 (quarterly reports).

    - "Buurtinformatienetwerken" (Ingrid, under the operational goal): budget 1500 available and
      500 still required; reported Q1 on track 30 % (spent 200), Q2 at risk 50 % (spent 600);
      its indicator (BINs, 2 → 6) measured 3 then 4.
    - "Inbraakpreventie-advies" (Jan, under the operational goal, ends 31 December 2026):
      800 available; reported Q1 done 100 % (spent 800); its indicator (burglaries 120 → 80)
      measured 90.
    - "Buurtbemiddeling" (Els, working group "Overlast", the second strategic goal, starts
      1 July 2026): 1000 required, no report."""
    ingrid = member(lindenberg, Role.PROMOTOR, "Ingrid", "Wouters")
    jan = member(lindenberg, Role.PROMOTOR, "Jan", "Maes")
    ingrid_actor = person(lindenberg, "Ingrid Wouters", user=ingrid)
    jan_actor = person(lindenberg, "Jan Maes", user=jan)
    els = person(lindenberg, "Els Maes")
    group = working_group_create(
        municipality=lindenberg, name="Overlast", promotor=els, by=coordinator
    )
    built = complete_plan(lindenberg, coordinator, promotor=ingrid_actor)
    plan = built.plan
    bins = built.action_plan
    item_update(item=bins, by=coordinator, title="Buurtinformatienetwerken")
    budget(bins, coordinator, "500", Availability.REQUIRED)

    advice = action_plan(
        built.operational_goal,
        coordinator,
        "Inbraakpreventie-advies",
        promotor=jan_actor,
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
    )
    burglaries = item_add(
        item=Indicator(
            expected_result=expected_result(advice, coordinator, "Minder inbraken"),
            name="Woninginbraken",
            type=IndicatorType.OUTCOME,
            objectivity=Objectivity.OBJECTIVE,
            baseline=Decimal(120),
            target=Decimal(80),
        ),
        by=coordinator,
    )
    budget(advice, coordinator, "800")

    nuisance = goal(plan, coordinator, "Minder overlast", phenomena=("nuisance",))
    mediation = action_plan(
        nuisance,
        coordinator,
        "Buurtbemiddeling",
        promotor=els,
        working_group=group,
        start=D(2026, 7, 1),
        end=D(2027, 6, 30),
    )
    expected_result(mediation, coordinator, "Minder burenruzies")
    budget(mediation, coordinator, "1000", Availability.REQUIRED)

    steer(plan, coordinator, members, secretary)
    report(bins, ingrid, Q1, ReportStatus.ON_TRACK, 30, budget_spent=Decimal(200))
    report(bins, ingrid, Q2, ReportStatus.AT_RISK, 50, budget_spent=Decimal(600))
    report(advice, jan, Q1, ReportStatus.DONE, 100, budget_spent=Decimal(800))
    measure(built.indicator, ingrid, D(2026, 6, 30), "3")
    measure(built.indicator, ingrid, D(2026, 9, 30), "4")
    measure(burglaries, jan, D(2026, 9, 30), "90")
    return SimpleNamespace(
        plan=plan,
        coordinator=coordinator,
        safety=built.goal,
        prevention=built.operational_goal,
        nuisance=nuisance,
        bins=bins,
        advice=advice,
        mediation=mediation,
        bins_indicator=built.indicator,
        burglaries=burglaries,
        jan=jan_actor,
        els=els,
        group=group,
    )


def test_each_action_plan_has_its_latest_report_budget_and_owed_reports(small):
    monitor = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE)
    assert monitor.day == AFTER_Q3_DUE
    assert monitor.closed_on is None
    rows = by_title(monitor)
    assert list(rows) == ["Buurtinformatienetwerken", "Inbraakpreventie-advies", "Buurtbemiddeling"]

    bins = rows["Buurtinformatienetwerken"]
    assert (bins.status, bins.percent, bins.last_period, bins.report_count) == (
        ReportStatus.AT_RISK,
        50,
        Q2,
        2,
    )
    assert (bins.spent, bins.required, bins.available) == (600, 500, 1500)
    assert bins.in_trouble
    assert (ends(bins.overdue), ends(bins.open)) == ([Q3], [Q4])
    assert bins.next_due.end == Q4

    advice = rows["Inbraakpreventie-advies"]
    assert (advice.status, advice.percent, advice.spent) == (ReportStatus.DONE, 100, 800)
    assert (advice.required, advice.available) == (0, 800)
    assert (advice.overdue, advice.open) == ([], [])  # done: nothing owed after Q1

    mediation = rows["Buurtbemiddeling"]
    assert (mediation.status, mediation.percent, mediation.spent) == (NO_REPORT, None, 0)
    assert (mediation.required, mediation.available) == (1000, 0)
    assert (ends(mediation.overdue), ends(mediation.open)) == ([Q3], [Q4])  # starts in Q3
    assert not mediation.in_trouble


def test_overdue_from_the_day_after_the_due_date(small):
    on_due = build(small.plan, grace=GRACE, day=Q3_DUE)
    assert on_due.overdue == []
    assert {t: ends(r.open) for t, r in by_title(on_due).items()} == {
        "Buurtinformatienetwerken": [Q3, Q4],
        "Inbraakpreventie-advies": [],
        "Buurtbemiddeling": [Q3, Q4],
    }
    after = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE)
    assert [(row.action_plan.title, period.end) for row, period in after.overdue] == [
        ("Buurtinformatienetwerken", Q3),
        ("Buurtbemiddeling", Q3),
    ]


def test_the_grace_period_moves_the_due_date(small):
    assert build(small.plan, grace=30, day=AFTER_Q3_DUE).overdue == []
    assert len(build(small.plan, grace=0, day=D(2026, 10, 1)).overdue) == 2


def test_status_counts_and_the_whole_plans_budget(small):
    monitor = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE)
    counts = {value: count for value, _label, count in monitor.status_counts}
    assert counts == {
        ReportStatus.NOT_STARTED: 0,
        ReportStatus.ON_TRACK: 0,
        ReportStatus.AT_RISK: 1,
        ReportStatus.DELAYED: 0,
        ReportStatus.DONE: 1,
        ReportStatus.STOPPED: 0,
        NO_REPORT: 1,
    }
    assert [row.action_plan.title for row in monitor.in_trouble] == ["Buurtinformatienetwerken"]
    assert (monitor.required, monitor.available, monitor.spent) == (1500, 2300, 1400)


def test_progress_and_budget_per_goal(small):
    monitor = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE)
    assert [g.goal for g in monitor.goals] == [small.safety, small.nuisance]
    assert [g.goal for g in monitor.flat_goals] == [small.safety, small.prevention, small.nuisance]
    safety, nuisance = monitor.goals
    prevention = safety.children[0]
    # The strategic goal counts its operational goal's action plans.
    assert [r.action_plan for r in safety.rows] == [small.bins, small.advice]
    assert safety.progress == pytest.approx(0.75)  # (50 + 100) / 200
    assert prevention.progress == pytest.approx(0.75)
    assert (safety.required, safety.available, safety.spent) == (500, 2300, 1400)
    assert nuisance.progress is None  # no report yet
    assert (nuisance.required, nuisance.available, nuisance.spent) == (1000, 0, 0)


def test_an_action_plan_without_a_report_counts_as_zero_in_its_goals_progress(small, coordinator):
    report(small.mediation, coordinator, Q3, ReportStatus.ON_TRACK, 20, day=D(2026, 10, 2))
    extra = action_plan(
        small.nuisance, coordinator, "Straathoekwerk", start=D(2026, 1, 1), end=D(2026, 12, 31)
    )
    monitor = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE)
    nuisance = monitor.goals[1]
    assert [r.action_plan for r in nuisance.rows] == [small.mediation, extra]
    assert nuisance.progress == pytest.approx(0.10)  # (20 + 0) / 200


def test_indicator_progress(small):
    monitor = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE)
    rows = {row.indicator: row for row in monitor.indicators}
    assert list(rows) == [small.bins_indicator, small.burglaries]
    bins = rows[small.bins_indicator]
    assert bins.measurements == [(D(2026, 6, 30), 3), (D(2026, 9, 30), 4)]
    assert bins.latest == (D(2026, 9, 30), 4)
    assert (bins.progress.direction, bins.progress.fraction) == ("rise", pytest.approx(0.5))
    burglaries = rows[small.burglaries]
    assert burglaries.action_plan == small.advice
    assert (burglaries.progress.direction, burglaries.progress.fraction) == (
        "fall",
        pytest.approx(0.75),
    )


@pytest.mark.parametrize(
    ("filters", "expected", "goals"),
    [
        ({}, ["Buurtbemiddeling", "Buurtinformatienetwerken", "Inbraakpreventie-advies"], 2),
        ({"goal": "safety"}, ["Buurtinformatienetwerken", "Inbraakpreventie-advies"], 1),
        ({"goal": "prevention"}, ["Buurtinformatienetwerken", "Inbraakpreventie-advies"], 1),
        ({"goal": "nuisance"}, ["Buurtbemiddeling"], 1),
        ({"promotor": "jan"}, ["Inbraakpreventie-advies"], 1),
        ({"promotor": "els"}, ["Buurtbemiddeling"], 1),
        ({"working_group": "group"}, ["Buurtbemiddeling"], 1),
        ({"status": ReportStatus.AT_RISK}, ["Buurtinformatienetwerken"], 1),
        ({"status": NO_REPORT}, ["Buurtbemiddeling"], 1),
        ({"status": ReportStatus.DELAYED}, [], 0),
        ({"promotor": "jan", "status": ReportStatus.AT_RISK}, [], 0),
    ],
)
def test_filters(small, filters, expected, goals):
    chosen = {
        key: getattr(small, value).pk if key != "status" else value
        for key, value in filters.items()
    }
    monitor = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE, filters=Filters(**chosen))
    assert titles(monitor) == expected
    assert len(monitor.goals) == goals
    listed = {row.action_plan.pk for row in monitor.rows}
    assert all(row.action_plan.pk in listed for row in monitor.indicators)
    assert sum(len(g.rows) for g in monitor.goals) == len(expected)
    # What the filters offer does not narrow with them.
    assert {a.name for a in monitor.promotors} == {"Ingrid Wouters", "Jan Maes", "Els Maes"}
    assert monitor.working_groups == [small.group]
    assert len(monitor.all_goals) == 3


def test_obstacles_and_changes_since_adoption(small, coordinator):
    assert build(small.plan, grace=GRACE, day=AFTER_Q3_DUE).changes == []
    item_update(item=small.advice, by=coordinator, title="Inbraakpreventie aan huis")
    raised = escalation_raise(plan=small.plan, by=coordinator, text="Geen bemiddelaar")
    monitor = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE)
    assert [(c["action"], c["label"]) for c in monitor.changes] == [
        ("changed", "Inbraakpreventie aan huis")
    ]
    assert monitor.escalations == [raised]
    assert monitor.open_escalations == [raised]


def test_a_closed_plan_is_computed_as_of_its_closing_day(small, coordinator):
    today = timezone.localdate()
    before = build(small.plan, grace=GRACE, day=today)
    later = D(2031, 6, 1)
    assert len(build(small.plan, grace=GRACE, day=later).overdue) > len(before.overdue)

    for strategic in (small.safety, small.nuisance):
        evaluation_write(goal=strategic, by=coordinator, result="Deels bereikt")
    plan_close(plan=small.plan, by=coordinator, reason="Einde van de legislatuur")
    small.plan.refresh_from_db()
    assert small.plan.state == PlanState.CLOSED

    closed = build(small.plan, grace=GRACE, day=later)
    assert (closed.day, closed.closed_on) == (today, today)
    assert [(r.action_plan.pk, ends(r.overdue), ends(r.open)) for r in closed.rows] == [
        (r.action_plan.pk, ends(r.overdue), ends(r.open)) for r in before.rows
    ]
    assert [(r.status, r.percent) for r in closed.rows] == [
        (r.status, r.percent) for r in before.rows
    ]


# --- Large plans, bulk-built, for the query counts ------------------------------------------------


def bulk_steered(
    municipality, coordinator, members, secretary, *, size, reports, indicators, title
):
    """A plan in steering with ``size`` action plans over strategic and operational goals,
    each with a promotor (one in three in a working group), ``indicators`` indicators with
    four measurements each, two budgets, an action, and ``reports`` monthly reports from
    January 2026 on. Obstacles: one answered, one open."""
    plan = new_plan(municipality, coordinator, title)
    strategic = Goal.objects.bulk_create(
        [Goal(plan=plan, title=f"Strategisch {i}", order=i) for i in range(max(2, size // 20))]
    )
    operational = Goal.objects.bulk_create(
        [
            Goal(plan=plan, parent=parent, title=f"Operationeel {i}.{j}", order=j)
            for i, parent in enumerate(strategic)
            for j in range(2)
        ]
    )
    goals = strategic + operational
    promotors = [person(municipality, f"Promotor {title} {i}") for i in range(5)]
    groups = [
        working_group_create(
            municipality=municipality, name=f"Groep {title} {i}", promotor=promotors[i], by=None
        )
        for i in range(2)
    ]
    items = ActionPlan.objects.bulk_create(
        [
            ActionPlan(
                goal=goals[i % len(goals)],
                order=i // len(goals),
                title=f"Actieplan {title} {i}",
                promotor=promotors[i % len(promotors)],
                working_group=groups[i % 2] if i % 3 == 0 else None,
                start=D(2026, 1, 1),
                end=D(2028, 12, 31),
            )
            for i in range(size)
        ]
    )
    results = ExpectedResult.objects.bulk_create(
        [ExpectedResult(action_plan=ap, text=f"Resultaat {ap.pk}") for ap in items]
    )
    made = Indicator.objects.bulk_create(
        [
            Indicator(
                expected_result=result,
                name=f"Indicator {result.pk}.{k}",
                type=IndicatorType.OUTCOME,
                objectivity=Objectivity.OBJECTIVE,
                baseline=Decimal(120),
                target=Decimal(80) if k % 2 == 0 else Decimal(150),
                order=k,
            )
            for result in results
            for k in range(indicators)
        ]
    )
    Action.objects.bulk_create([Action(action_plan=ap, title=f"Actie {ap.pk}") for ap in items])
    Resource.objects.bulk_create(
        [
            Resource(
                action_plan=ap,
                order=k,
                kind=ResourceKind.BUDGET,
                amount=Decimal(1000 + 250 * k),
                unit="EUR",
                availability=[Availability.AVAILABLE, Availability.REQUIRED][k],
                funding_source=FundingSource.OWN,
            )
            for ap in items
            for k in range(2)
        ]
    )
    steer(plan, coordinator, members, secretary, adopted_on=D(2026, 1, 1))
    reporting_set(
        plan=plan,
        by=coordinator,
        report_frequency=ReportFrequency.MONTHLY,
        reports_from=D(2026, 1, 1),
    )
    statuses = [ReportStatus.ON_TRACK, ReportStatus.AT_RISK, ReportStatus.DELAYED]
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                action_plan=ap,
                period_end=_month_end(month),
                date=D(2026, month + 1, 28),
                author=coordinator,
                status=statuses[(i + month) % 3],
                percent=min(100, 10 * (month + 1)),
                text="Verslag",
                budget_spent=Decimal(100 * (month + 1)),
            )
            for i, ap in enumerate(items)
            for month in range(reports)
        ]
    )
    Measurement.objects.bulk_create(
        [
            Measurement(indicator=indicator, date=D(2026, 2 * k + 1, 15), value=Decimal(110 - k))
            for indicator in made
            for k in range(4)
        ]
    )
    answered = escalation_raise(plan=plan, by=coordinator, goal=strategic[0], text="Te weinig")
    escalation_answer(escalation=answered, by=members[0], answer="Ik bekijk het")
    escalation_raise(plan=plan, by=coordinator, action_plan=items[0], text="Geen partner")
    plan.action_plans = items
    return plan


def _month_end(month_index: int) -> datetime.date:
    """The last day of the (zero-based) month of 2026."""
    first_of_next = D(2026 + (month_index + 1) // 12, (month_index + 1) % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def counted(function) -> int:
    cache.clear()  # the changes since adoption, kept per content version, computed again
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def counted_warm(function) -> SimpleNamespace:
    """The queries of ``function`` with whatever it cached before, and its value."""
    with CaptureQueriesContext(connection) as queries:
        value = function()
    return SimpleNamespace(count=len(queries), value=value)


def test_build_costs_the_same_for_3_and_200_action_plans_with_2000_reports(
    lindenberg, coordinator, members, secretary, django_assert_num_queries
):
    small = bulk_steered(
        lindenberg, coordinator, members, secretary, size=3, reports=1, indicators=1, title="S"
    )
    large = bulk_steered(
        lindenberg, coordinator, members, secretary, size=200, reports=10, indicators=2, title="L"
    )
    day = D(2026, 12, 15)
    for plan in (small, large):
        item_update(item=plan.action_plans[0], by=coordinator, title=f"{plan.title} gewijzigd")

    def fresh(plan):
        return type(plan).objects.get(pk=plan.pk)

    build(fresh(small), grace=GRACE, day=day)  # warms the caches (content types)
    plan = fresh(small)
    queries = counted(lambda: build(plan, grace=GRACE, day=day))
    plan = fresh(large)
    cache.clear()
    with django_assert_num_queries(queries):
        monitor = build(plan, grace=GRACE, day=day)
    assert len(monitor.rows) == 200
    assert sum(row.report_count for row in monitor.rows) == 2000
    assert len(monitor.indicators) == 400
    assert all(len(row.measurements) == 4 for row in monitor.indicators)
    assert len(monitor.escalations) == 2
    assert len(monitor.changes) == 1
    # Ten monthly reports (January to October): November is overdue on 15 December.
    assert {ends(row.overdue)[0] for row in monitor.rows} == {D(2026, 11, 30)}
    # Filtered, it costs no more.
    plan = fresh(large)
    cache.clear()
    with django_assert_num_queries(queries):
        build(plan, grace=GRACE, day=day, filters=Filters(status=ReportStatus.AT_RISK))
    # With the changes since adoption kept for this version, the same monitor costs less: no
    # adopted snapshot, no content.
    plan = fresh(large)
    cached = counted_warm(lambda: build(plan, grace=GRACE, day=day))
    assert cached.count < queries
    assert cached.value.changes == monitor.changes
    assert [row.report_count for row in cached.value.rows] == [
        row.report_count for row in monitor.rows
    ]
    assert len(cached.value.indicators) == 400


def page_url(name, plan, **kwargs):
    if name.startswith("monitor:"):
        return reverse(name, kwargs={"municipality": plan.municipality.slug}) + f"?plan={plan.pk}"
    return reverse(name, kwargs={"municipality": plan.municipality.slug, "pk": plan.pk, **kwargs})


@pytest.fixture
def two_sizes(lindenberg, coordinator, members, secretary):
    small = bulk_steered(
        lindenberg, coordinator, members, secretary, size=3, reports=2, indicators=1, title="S"
    )
    large = bulk_steered(
        lindenberg, coordinator, members, secretary, size=60, reports=8, indicators=2, title="L"
    )
    return small, large


@pytest.mark.parametrize("who", [Role.COORDINATOR, Role.VIEWER])
@pytest.mark.parametrize("name", ["monitor:monitor", "monitor:indicators"])
def test_the_monitor_pages_do_not_grow_with_the_plan(
    client, two_sizes, role_users, who, name, django_assert_max_num_queries
):
    small, large = two_sizes
    client.force_login(role_users[who])
    queries = count_of(client, page_url(name, small))
    url = page_url(name, large)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    monitor = response.context["monitor"]
    assert len(monitor.rows) == 60
    html = response.content.decode()
    if name == "monitor:monitor":
        assert "Actieplan L 59" in html
    else:
        assert len(response.context["indicators"]) == 10
        assert response.context["page_obj"].paginator.count == 120


def test_the_steering_page_of_an_action_plan_does_not_grow_with_its_reports(
    client, two_sizes, coordinator, django_assert_max_num_queries
):
    small, large = two_sizes
    client.force_login(coordinator)
    ap = small.action_plans[0]
    queries = count_of(client, page_url("plans:steering", small, action_plan=ap.pk))
    ap = large.action_plans[0]
    url = page_url("plans:steering", large, action_plan=ap.pk)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert len(response.context["reports"]) == 8
    assert len(response.context["indicators"]) == 2
    assert response.context["may_report"] is True


# --- Exports --------------------------------------------------------------------------------------


def export_url(table, fmt, plan=None, **query):
    url = reverse(
        "monitor:export", kwargs={"municipality": "lindenberg", "table": table, "fmt": fmt}
    )
    params = {**({"plan": plan.pk} if plan else {}), **query}
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def formula(small, coordinator):
    """A title a spreadsheet would run as a formula."""
    item_update(item=small.mediation, by=coordinator, title='=HYPERLINK("http://x","klik")')
    return small


def test_the_action_plans_as_csv(client, formula, viewer):
    client.force_login(viewer)
    response = client.get(export_url("action-plans", "csv", formula.plan))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.FORMATS["csv"]
    assert response["Content-Disposition"].startswith('attachment; filename="lindenberg-monitor-')
    rows = csv_rows(response)
    with translation.override("nl"):
        headers = exports.action_plans(build(formula.plan, grace=GRACE)).headers
    assert rows[0] == headers
    assert len(rows) == 1 + 3  # one line per action plan
    by_title = {row[1]: row for row in rows[1:]}
    assert set(by_title) == {
        "Buurtinformatienetwerken",
        "Inbraakpreventie-advies",
        '\'=HYPERLINK("http://x","klik")',
    }
    bins = by_title["Buurtinformatienetwerken"]
    assert bins[2] == "Ingrid Wouters"
    assert bins[7] == "50"
    assert bins[8] == Q2.isoformat()
    assert [Decimal(value) for value in bins[10:]] == [500, 1500, 600]
    mediation = by_title['\'=HYPERLINK("http://x","klik")']
    assert (mediation[3], mediation[7]) == ("Overlast", "")


def test_the_export_follows_the_pages_filters(client, small, viewer):
    client.force_login(viewer)
    response = client.get(export_url("action-plans", "csv", small.plan, status="at_risk"))
    assert [row[1] for row in csv_rows(response)[1:]] == ["Buurtinformatienetwerken"]


def test_the_action_plans_as_xlsx_with_numbers_as_numbers(client, formula, viewer):
    client.force_login(viewer)
    response = client.get(export_url("action-plans", "xlsx", formula.plan))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.FORMATS["xlsx"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    by_title = {row[1]: row for row in rows[1:]}
    bins = by_title["Buurtinformatienetwerken"]
    assert bins[7] == 50
    assert bins[10:] == (500, 1500, 600)
    assert all(isinstance(value, int | float) for value in bins[10:])
    assert '\'=HYPERLINK("http://x","klik")' in by_title


@pytest.mark.parametrize("table", list(exports.TABLES))
@pytest.mark.parametrize("fmt", list(exports.FORMATS))
def test_every_table_exports(client, small, viewer, table, fmt):
    client.force_login(viewer)
    response = client.get(export_url(table, fmt, small.plan))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.FORMATS[fmt]
    if fmt == "csv":
        rows = csv_rows(response)
    else:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    with translation.override("nl"):
        headers = exports.BUILDERS[table](build(small.plan, grace=GRACE)).headers
    assert list(rows[0]) == headers
    # The overdue reports depend on the day (today, on the page); the others do not.
    if table != "overdue":
        assert len(rows) == 1 + {"action-plans": 3, "goals": 3, "indicators": 2}[table]


def test_the_goals_and_indicators_tables(small):
    monitor = build(small.plan, grace=GRACE, day=AFTER_Q3_DUE)
    goals = exports.goals(monitor)
    assert [row[:4] for row in goals.rows] == [
        ["Minder woninginbraken", "", 2, 75.0],
        ["Meer buurtpreventie", "Minder woninginbraken", 2, 75.0],
        ["Minder overlast", "", 1, None],
    ]
    indicators = exports.indicators(monitor)
    assert [row[1:] for row in indicators.rows] == [
        ["Aantal actieve BIN's", "BIN's", 2, 6, 4, "2026-09-30", 50.0],
        ["Woninginbraken", "", 120, 80, 90, "2026-09-30", 75.0],
    ]
    overdue = exports.overdue(monitor)
    assert overdue.rows == [
        ["Buurtinformatienetwerken", "Ingrid Wouters", "2026-07-01", "2026-09-30", "2026-10-14"],
        ["Buurtbemiddeling", "Els Maes", "2026-07-01", "2026-09-30", "2026-10-14"],
    ]


@pytest.mark.parametrize(("table", "fmt"), [("budgets", "csv"), ("goals", "pdf")])
def test_an_unknown_table_or_format_is_404(client, small, viewer, table, fmt):
    client.force_login(viewer)
    assert client.get(export_url(table, fmt, small.plan)).status_code == 404


def test_the_monitor_page_is_served_from_its_cache_until_something_it_shows_changes(
    client, small, coordinator
):
    url = page_url("monitor:monitor", small.plan)
    client.force_login(coordinator)
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url).content.decode()
    # REQUEST (4) + the plans, the monitor's version: nothing of the monitor's own tables.
    assert len(cached) <= 6, [q["sql"][:80] for q in cached.captured_queries]
    assert without_tokens(again) == without_tokens(first)

    seen = {without_tokens(again)}
    changes = {
        "report": lambda: report(small.mediation, coordinator, Q3, ReportStatus.AT_RISK, 10),
        "measurement": lambda: measure(small.burglaries, coordinator, D(2026, 10, 31), "85"),
        "obstacle": lambda: escalation_raise(
            plan=small.plan, by=coordinator, text="Geen bemiddelaar gevonden"
        ),
        "content": lambda: item_update(item=small.advice, by=coordinator, title="Advies aan huis"),
    }
    for what, change in changes.items():
        change()
        html = without_tokens(client.get(url).content.decode())
        assert html not in seen, what
        seen.add(html)
    assert "Geen bemiddelaar gevonden" in html
    assert "Advies aan huis" in html
    # Another query is another body (the filter's choice, the export links).
    filtered = client.get(url + f"&status={ReportStatus.AT_RISK}").content.decode()
    assert without_tokens(filtered) not in seen
