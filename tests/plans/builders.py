"""Builders for the plans tests: plans, the kerngroep's discussion of them and the college, all
made through the services, as the application makes them.

Plain functions; the tests' fixtures call them. Names are of Lindenberg's (fictional) people."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from actors.constants import ActorForm
from actors.models import Actor, ActorKind
from actors.services import actor_create
from coregroup.models import AgendaItem
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
from plans.models import (
    Action,
    ActionPlan,
    Discussion,
    ExpectedResult,
    Goal,
    Indicator,
    Phenomenon,
    Plan,
    Resource,
    VoteRound,
)
from plans.services import discussion_record, item_add, plan_create, vote_cast
from safetynet.constants import Role
from tests.factories import MembershipFactory, UserFactory

D = datetime.date
PLAN_TITLE = "Integraal veiligheidsplan Lindenberg 2026–2031"
ACTION_PLAN_TITLE = "Buurtinformatienetwerken in elke deelgemeente"

# The college of Lindenberg: the burgemeester (chair) first, then the schepenen.
COLLEGE = [
    ("Marleen", "Peeters"),
    ("Koen", "Van den Broeck"),
    ("Els", "Maes"),
    ("Pieter", "Wouters"),
    ("An", "Claes"),
    ("Bart", "Jacobs"),
    ("Sofie", "Willems"),
]


# --- Actors and people ---------------------------------------------------------------------------


def _kind(code="municipal_government"):
    return ActorKind.objects.get(municipality=None, code=code)


def person(municipality, name, *, user=None, email="", by=None) -> Actor:
    """A person actor of ``municipality``, linked to ``user`` when given."""
    return actor_create(
        municipality=municipality,
        by=by,
        form=ActorForm.PERSON,
        name=name,
        kind=_kind(),
        email=email,
        user=user,
    )


def organisation(municipality, name, *, by=None) -> Actor:
    return actor_create(
        municipality=municipality,
        by=by,
        form=ActorForm.ORGANISATION,
        name=name,
        kind=_kind(),
    )


def member(municipality, role, first_name, last_name, *, is_chair=False, **user_fields):
    """A user of ``municipality`` holding ``role`` (username from the name and municipality)."""
    username = slugify(f"{first_name} {last_name} {municipality.slug}")
    user_fields.setdefault("email", f"{username}@example.org")
    user = UserFactory(
        username=username,
        first_name=first_name,
        last_name=last_name,
        home_municipality=municipality,
        **user_fields,
    )
    MembershipFactory(user=user, municipality=municipality, role=role, is_chair=is_chair)
    return user


def college(municipality, size=5, *, chair=True, **user_fields) -> list:
    """``size`` college members of ``municipality``, the burgemeester first (the chair when
    ``chair``)."""
    return [
        member(
            municipality,
            Role.COLLEGE,
            first,
            last,
            is_chair=chair and index == 0,
            **user_fields,
        )
        for index, (first, last) in enumerate(COLLEGE[:size])
    ]


# --- Plans ---------------------------------------------------------------------------------------


@dataclass
class Built:
    """A plan and the items of its first action plan."""

    plan: Plan
    goal: Goal
    operational_goal: Goal
    action_plan: ActionPlan
    result: ExpectedResult
    indicator: Indicator
    action: Action
    resource: Resource
    promotor: Actor


def phenomenon(code) -> Phenomenon:
    return Phenomenon.objects.get(municipality=None, code=code)


def new_plan(municipality, by, title=PLAN_TITLE) -> Plan:
    return plan_create(
        municipality=municipality,
        by=by,
        title=title,
        period_start=2026,
        period_end=2031,
        summary="Samen werken aan een veilige gemeente.",
    )


def goal(plan, by, title="Minder woninginbraken", *, parent=None, phenomena=("property_crime",)):
    return item_add(
        item=Goal(plan=plan, parent=parent, title=title),
        by=by,
        phenomena=[phenomenon(code) for code in phenomena],
    )


def action_plan(parent_goal, by, title=ACTION_PLAN_TITLE, **fields) -> ActionPlan:
    """An action plan with only what it is given: no promotor, dates or resources unless
    passed (``partners`` among ``fields`` sets its partners)."""
    partners = fields.pop("partners", None)
    relations = {} if partners is None else {"partners": partners}
    return item_add(item=ActionPlan(goal=parent_goal, title=title, **fields), by=by, **relations)


def expected_result(of, by, text="Elke deelgemeente heeft een actief BIN") -> ExpectedResult:
    return item_add(item=ExpectedResult(action_plan=of, text=text), by=by)


def budget(of, by, amount="1500", availability=Availability.AVAILABLE, **fields) -> Resource:
    fields.setdefault("description", "Drukwerk en bijeenkomsten")
    fields.setdefault("unit", "EUR")
    fields.setdefault("funding_source", FundingSource.OWN)
    return item_add(
        item=Resource(
            action_plan=of,
            kind=ResourceKind.BUDGET,
            amount=Decimal(amount),
            availability=availability,
            **fields,
        ),
        by=by,
    )


def complete_plan(municipality, by, *, title=PLAN_TITLE, promotor=None) -> Built:
    """A plan ready for submission (but not yet discussed by the kerngroep): a strategic goal
    with a phenomenon and an operational goal under it, an action plan with a promotor, dates,
    an expected result with an indicator, an action and a budget."""
    plan = new_plan(municipality, by, title)
    strategic = goal(plan, by)
    operational = goal(
        plan, by, "Meer buurtpreventie", parent=strategic, phenomena=("property_crime", "nuisance")
    )
    promotor = promotor or person(municipality, "Ingrid Wouters", by=by)
    ap = action_plan(
        operational,
        by,
        promotor=promotor,
        priority=Priority.HIGH,
        start=D(2026, 1, 1),
        end=D(2027, 12, 31),
        description="Een BIN per deelgemeente, met de lokale politie.",
    )
    result = expected_result(ap, by)
    indicator = item_add(
        item=Indicator(
            expected_result=result,
            name="Aantal actieve BIN's",
            type=IndicatorType.OUTPUT,
            objectivity=Objectivity.OBJECTIVE,
            unit="BIN's",
            baseline=Decimal("2"),
            target=Decimal("6"),
        ),
        by=by,
    )
    action = item_add(
        item=Action(action_plan=ap, title="Infoavond in het gemeentehuis", due=D(2026, 3, 1)),
        by=by,
    )
    resource = budget(ap, by)
    return Built(plan, strategic, operational, ap, result, indicator, action, resource, promotor)


# --- The kerngroep's discussion ------------------------------------------------------------------


def core_group_agenda_item(municipality, by, *, decided=True, title=None) -> AgendaItem:
    """An agenda item of a kerngroep meeting; ``decided``: with a decision recorded on it."""
    meeting = meeting_schedule(
        core_group=core_group_ensure(municipality=municipality, by=by),
        starts_at=timezone.now() - datetime.timedelta(days=7),
        place="Gemeentehuis, zaal 2",
        agenda=[title or "Ontwerp van het veiligheidsplan"],
        by=by,
        invite=False,
    )
    item = meeting.agenda_items.get()
    if decided:
        decision_record(
            meeting=meeting,
            agenda_item=item,
            text="De kerngroep keurt het ontwerp goed voor het college.",
            consensus=True,
            by=by,
        )
    return item


def discuss(plan, by, *, decided=True) -> Discussion:
    """The kerngroep discussed (and, when ``decided``, decided on) the plan as it is now."""
    item = core_group_agenda_item(plan.municipality, by, decided=decided)
    return discussion_record(plan=plan, agenda_item=item, by=by)


# --- Votes ---------------------------------------------------------------------------------------


def open_round(plan) -> VoteRound:
    return plan.vote_rounds.get(status="open")


def everyone_votes(vote_round, members, choice=VoteChoice.APPROVE):
    for user in members:
        vote_cast(vote_round=vote_round, member=user, choice=choice)
    vote_round.refresh_from_db()
    return vote_round


def put_in_state(plan, state) -> Plan:
    """Put the plan in ``state`` directly, for tests of what holds in a state."""
    Plan.objects.filter(pk=plan.pk).update(state=state)
    plan.refresh_from_db()
    return plan


# --- Steering (phase 4) --------------------------------------------------------------------------


ADOPTED_ON = D(2026, 3, 1)  # the council's decision: reports are owed from this day


def steer(plan, coordinator, members, secretary, *, adopted_on=ADOPTED_ON) -> Plan:
    """Walk a complete plan through the kerngroep, the college (approval), the consultation,
    the college (adoption) and the council into steering, every step by the services;
    ``members``: the whole college, who all approve."""
    from plans.services import (
        consultation_close,
        council_decision_record,
        plan_submit_for_adoption,
        plan_submit_to_college,
    )

    discuss(plan, coordinator)
    everyone_votes(plan_submit_to_college(plan=plan, by=coordinator), members)
    consultation_close(plan=plan, by=coordinator, reason="Alle reacties zijn binnen")
    everyone_votes(plan_submit_for_adoption(plan=plan, by=coordinator), members)
    council_decision_record(
        plan=plan,
        by=secretary,
        date=adopted_on,
        reference="GR/2026/12",
        votes_for=20,
        votes_against=5,
        votes_abstain=2,
        adopted=True,
    )
    plan.refresh_from_db()
    assert plan.state == "steering"
    return plan


def report(action_plan, by, period_end, status="on_track", percent=40, **fields):
    """A progress report through the service, written a week after its period ended unless
    ``day`` says otherwise."""
    from plans.services.steering import report_submit

    fields.setdefault("text", "Op schema: drie deelgemeenten hebben een BIN.")
    fields.setdefault("day", period_end + datetime.timedelta(days=7))
    return report_submit(
        action_plan=action_plan,
        by=by,
        period_end=period_end,
        status=status,
        percent=percent,
        **fields,
    )


def measure(indicator, by, date, value, **fields):
    from plans.services.steering import measurement_record

    return measurement_record(indicator=indicator, by=by, date=date, value=Decimal(value), **fields)
