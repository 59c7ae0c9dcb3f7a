"""Small builders for the page, query-count and concurrency tests of the plans app: every object
is made through the services, as the application makes it (the query-count file also bulk-builds
large plans for speed)."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create
from coregroup.services import core_group_ensure, decision_record, meeting_schedule
from plans.constants import (
    Availability,
    FundingSource,
    IndicatorType,
    Objectivity,
    Priority,
    ResourceKind,
    VoteChoice,
)
from plans.models import Action, ActionPlan, ExpectedResult, Goal, Indicator, Resource
from plans.services import (
    consultation_close,
    council_decision_record,
    discussion_record,
    item_add,
    plan_create,
    plan_submit_for_adoption,
    plan_submit_to_college,
    vote_cast,
)

D = datetime.date
DAY = datetime.timedelta(days=1)


def plan_page(name, plan, municipality=None, **kwargs):
    """The URL of a plan's page (``name`` without the ``plans:`` namespace), optionally under
    another municipality's slug."""
    slug = municipality or plan.municipality.slug
    return reverse(f"plans:{name}", kwargs={"municipality": slug, "pk": plan.pk, **kwargs})


def person(municipality, name, user=None):
    """A person actor, linked to ``user`` when given (a promotor who logs in)."""
    return actor_create(
        municipality=municipality,
        by=None,
        form=ActorForm.PERSON,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
        user=user,
    )


def new_plan(municipality, by, title="Veiligheidsplan 2026-2031", **fields):
    fields = {"period_start": 2026, "period_end": 2031, "summary": "Samen veilig.", **fields}
    return plan_create(municipality=municipality, by=by, title=title, **fields)


def add_goal(plan, by, title="Veilige schoolomgeving", parent=None, phenomena=()):
    return item_add(
        item=Goal(plan=plan, parent=parent, title=title), by=by, phenomena=list(phenomena)
    )


def add_action_plan(goal, by, title="Fietsdiefstal", promotor=None, partners=(), **fields):
    fields = {"start": D(2026, 1, 1), "end": D(2027, 12, 31), **fields}
    item = ActionPlan(goal=goal, title=title, promotor=promotor, **fields)
    return item_add(item=item, by=by, partners=list(partners))


def add_result(action_plan, by, text="Minder fietsdiefstallen"):
    return item_add(item=ExpectedResult(action_plan=action_plan, text=text), by=by)


def add_action(action_plan, by, title="Graveeractie"):
    item = Action(action_plan=action_plan, title=title, priority=Priority.HIGH, due=D(2026, 6, 1))
    return item_add(item=item, by=by)


def add_resource(action_plan, by, amount="1500"):
    item = Resource(
        action_plan=action_plan,
        kind=ResourceKind.BUDGET,
        amount=Decimal(amount),
        unit="EUR",
        availability=Availability.AVAILABLE,
        funding_source=FundingSource.OWN,
    )
    return item_add(item=item, by=by)


def add_indicator(result, by, name="Aangiftes fietsdiefstal"):
    item = Indicator(
        expected_result=result,
        name=name,
        type=IndicatorType.OUTCOME,
        objectivity=Objectivity.OBJECTIVE,
        baseline=Decimal(120),
        target=Decimal(80),
    )
    return item_add(item=item, by=by)


def discuss(plan, by):
    """The kerngroep discussed this version and decided on it: the plan may be submitted."""
    meeting = meeting_schedule(
        core_group=core_group_ensure(municipality=plan.municipality, by=by),
        starts_at=timezone.now() - DAY,
        place="Gemeentehuis",
        agenda=["Veiligheidsplan"],
        by=by,
        invite=False,
    )
    item = meeting.agenda_items.get()
    decision_record(meeting=meeting, text="Akkoord", consensus=True, agenda_item=item, by=by)
    return discussion_record(plan=plan, agenda_item=item, by=by)


def ready_plan(municipality, coordinator, promotor=None, title="Veiligheidsplan 2026-2031"):
    """A draft plan with one goal and one complete action plan, discussed by the kerngroep:
    everything the submission asks for. Its items are on ``plan.items`` by kind."""
    plan = new_plan(municipality, coordinator, title=title)
    promotor = promotor or person(municipality, "Sofie Claes")
    goal = add_goal(plan, coordinator)
    action_plan = add_action_plan(goal, coordinator, promotor=promotor)
    result = add_result(action_plan, coordinator)
    plan.items = {
        "goal": goal,
        "action-plan": action_plan,
        "result": result,
        "action": add_action(action_plan, coordinator),
        "resource": add_resource(action_plan, coordinator),
        "indicator": add_indicator(result, coordinator),
    }
    discuss(plan, coordinator)
    return plan


def submit(plan, coordinator, deadline=None):
    """Submit (to the college from draft, for adoption from revision): the new vote round."""
    plan.refresh_from_db()
    if plan.state == "revision":
        return plan_submit_for_adoption(plan=plan, by=coordinator, deadline=deadline)
    return plan_submit_to_college(plan=plan, by=coordinator, deadline=deadline)


def all_vote(vote_round, members, choice=VoteChoice.APPROVE):
    for member in members:
        vote_cast(vote_round=vote_round, member=member, choice=choice)


def walk_to(plan, state, coordinator, college, secretary=None):
    """Move a ready plan along the phases up to ``state`` (college: every college member of
    the municipality, who all approve)."""
    order = [
        "draft",
        "college_review",
        "consultation",
        "revision",
        "college_adoption",
        "council_adoption",
        "steering",
    ]
    for step in order[1 : order.index(state) + 1]:
        plan.refresh_from_db()
        if step in ("college_review", "college_adoption"):
            submit(plan, coordinator)
        elif step in ("consultation", "council_adoption"):
            all_vote(plan.vote_rounds.get(status="open"), college)
        elif step == "revision":
            consultation_close(plan=plan, by=coordinator, reason="Vroeger gesloten")
        elif step == "steering":
            council_decision_record(
                plan=plan,
                by=secretary,
                date=D(2026, 3, 1),
                reference="GR/2026/12",
                votes_for=20,
                votes_against=5,
                votes_abstain=2,
                adopted=True,
            )
    plan.refresh_from_db()
    assert plan.state == state
    return plan
