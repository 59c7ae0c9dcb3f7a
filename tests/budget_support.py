"""Support of the query budgets (``tests/test_query_budgets.py``): measuring one page, and making
the scene of the access matrix (``tests/access_support.build_scene``) ten times larger where a
page lists something.

The growth is bulk-built for speed (no services, no history of its own, except where the history
is what the page lists): rows as the services would store them, in the lists each page shows."""

import copy
import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simple_history.utils import bulk_create_with_history

from actors.constants import ActorForm, OrgLevel, RoleType
from actors.models import (
    Actor,
    ActorKind,
    OrgUnit,
    RoleAssignment,
    SuggestionDismissal,
    SuggestionRule,
)
from coregroup.constants import AttendanceStatus, SeatFunction
from coregroup.models import (
    AgendaItem,
    Attendance,
    CoreGroup,
    Decision,
    FollowUpTask,
    Meeting,
    Seat,
    SeatHolding,
    WorkingGroup,
    WorkingGroupMembership,
)
from plans.constants import (
    Availability,
    IndicatorType,
    Objectivity,
    RemarkStatus,
    ResourceKind,
    RoundKind,
    RoundStatus,
    VoteChoice,
)
from plans.models import (
    Action,
    ActionPlan,
    ActionPlanPartner,
    ActionPlanUserObjectPermission,
    Escalation,
    ExpectedResult,
    Goal,
    GoalPhenomenon,
    Indicator,
    Measurement,
    Phenomenon,
    Plan,
    ProgressReport,
    Remark,
    Resource,
    RoundElector,
    Vote,
    VoteRound,
)
from safetynet.constants import Role, TwoFactorPolicy
from safetynet.models import Membership, Municipality, SecurityEvent, User

D = datetime.date
DAY = datetime.timedelta(days=1)


# --- Measuring ----------------------------------------------------------------------------------


def log_in(scene, who: str, second_factor: bool) -> Client:
    """A browser of ``who``: with a verified second factor (the scene's session, made with a
    confirmed TOTP device, under the municipality's default policy), or with the password only
    (the municipality's second factor switched off, as in the demo)."""
    if who == "anonymous":
        return Client()
    policy = TwoFactorPolicy.PRIVILEGED if second_factor else TwoFactorPolicy.OFF
    Municipality.objects.filter(pk=scene.a.pk).update(two_factor=policy)
    if second_factor:
        return scene.client(who)
    client = Client()
    client.force_login(scene.users[who])
    return client


def queries_of(client, path: str) -> tuple[list[str], str]:
    """The SQL of a GET of ``path``, after a first GET warmed the session (its idle clock, the
    second-factor rule read once a minute) and the content-type cache; without the cached
    fragments (the public page's content), so that what the page costs when they are missing is
    what is measured."""
    assert client.get(path).status_code == 200
    cache.clear()  # fragments cached by content version are measured as rendered
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [query["sql"] for query in captured.captured_queries], response.content.decode()


def count_of(client, path: str) -> int:
    """How many queries :func:`queries_of` counts for a GET of ``path``."""
    return len(queries_of(client, path)[0])


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def without_tokens(html: str) -> str:
    """``html`` without its CSRF tokens (masked anew on every response): a page served from a
    cache compared with its first rendering."""
    return CSRF_TOKEN.sub("", html)


def explain(small: list[str], large: list[str]) -> str:
    """Both lists of queries side by side, for a failing assertion."""
    lines = [f"small {len(small)}, large {len(large)}"]
    for i in range(max(len(small), len(large))):
        left = small[i][:90] if i < len(small) else ""
        right = large[i][:90] if i < len(large) else ""
        lines.append(f"{i + 1:3} {left:90} | {right}")
    return "\n".join(lines)


# --- People and actors --------------------------------------------------------------------------


def _kinds():
    return list(ActorKind.objects.filter(municipality=None).order_by("pk"))


def add_actors(municipality, count: int, prefix="Actor") -> list[Actor]:
    """``count`` actors (people and organisations), a third with a role."""
    kinds = _kinds()
    actors = Actor.objects.bulk_create(
        Actor(
            municipality=municipality,
            form=ActorForm.PERSON if i % 2 else ActorForm.ORGANISATION,
            name=f"{prefix} {i:04d}",
            kind=kinds[i % len(kinds)],
        )
        for i in range(count)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(actor=actor, role=RoleType.WORKING_GROUP_MEMBER, start=D(2024, 1, 1))
        for actor in actors[::3]
    )
    return actors


def add_roles(actor, count: int) -> None:
    RoleAssignment.objects.bulk_create(
        RoleAssignment(actor=actor, role=RoleType.OTHER, start=D(2020, 1, 1) + i * DAY)
        for i in range(count)
    )


def add_members(municipality, count: int, role=Role.VIEWER) -> list[User]:
    users = User.objects.bulk_create(
        User(username=f"budget-{role}-{i}", first_name="Lid", last_name=f"{i:03d}")
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=user, municipality=municipality, role=role) for user in users
    )
    return users


def add_units(municipality, count: int) -> None:
    levels = list(OrgLevel)
    OrgUnit.objects.bulk_create(
        OrgUnit(municipality=municipality, name=f"Dienst {i:03d}", level=levels[i % len(levels)])
        for i in range(count)
    )


# --- The kerngroep and its meetings -------------------------------------------------------------


def add_seats(municipality, count: int) -> None:
    """``count`` more seats of the kerngroep ("other" functions, titled), each held."""
    core_group = CoreGroup.objects.get(municipality=municipality)
    seats = Seat.objects.bulk_create(
        Seat(core_group=core_group, function=SeatFunction.OTHER, title=f"Lid {i:03d}")
        for i in range(count)
    )
    holders = add_actors(municipality, count, prefix="Kerngroeplid")
    SeatHolding.objects.bulk_create(
        SeatHolding(seat=seat, actor=actor, start=D(2024, 1, 1))
        for seat, actor in zip(seats, holders, strict=True)
    )


def add_meetings(municipality, count: int) -> None:
    core_group = CoreGroup.objects.get(municipality=municipality)
    now = timezone.now()
    Meeting.objects.bulk_create(
        Meeting(
            municipality=municipality,
            core_group=core_group,
            starts_at=now + (i - count // 2) * 7 * DAY,
            place=f"Zaal {i}",
        )
        for i in range(count)
    )


def fill_meeting(meeting, count: int) -> None:
    """``count`` agenda items, each with a decision, two follow-up tasks and an attendee."""
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title=f"Punt {i:03d}", order=i + 10) for i in range(count)
    )
    decisions = Decision.objects.bulk_create(
        Decision(meeting=meeting, agenda_item=item, text=f"Besluit {i}", consensus=True)
        for i, item in enumerate(items)
    )
    people = add_actors(meeting.municipality, count, prefix="Aanwezige")
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, actor=actor, status=AttendanceStatus.PRESENT)
        for actor in people
    )
    add_tasks(decisions, people, 2)


def add_tasks(decisions, assignees, per_decision: int) -> None:
    today = timezone.localdate()
    FollowUpTask.objects.bulk_create(
        FollowUpTask(
            decision=decision,
            description=f"Taak {i}.{k}",
            assignee=assignees[(i + k) % len(assignees)],
            due=today + (k * 20 - 10) * DAY,
        )
        for i, decision in enumerate(decisions)
        for k in range(per_decision)
    )


def add_working_groups(municipality, count: int, members: int = 0) -> list[WorkingGroup]:
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(municipality=municipality, name=f"Werkgroep {i:03d}") for i in range(count)
    )
    if members:
        for group in groups:
            add_group_members(group, members)
    return groups


def add_group_members(group, count: int) -> None:
    actors = add_actors(group.municipality, count, prefix=f"Werkgroeplid {group.pk}")
    WorkingGroupMembership.objects.bulk_create(
        WorkingGroupMembership(working_group=group, actor=actor, start=D(2024, 1, 1))
        for actor in actors
    )


# --- Plans --------------------------------------------------------------------------------------


def add_plans(municipality, count: int) -> None:
    Plan.objects.bulk_create(
        Plan(
            municipality=municipality,
            title=f"Plan {i:03d}",
            period_start=1900 + i * 6,
            period_end=1905 + i * 6,
        )
        for i in range(count)
    )


def fill_plan(plan, action_plans: int, *, promotor_user=None, reports=False) -> list[ActionPlan]:
    """``action_plans`` more action plans under new strategic and operational goals, each with a
    promotor (a tenth of them ``promotor_user``'s, with the personal grant the services give),
    two partners, two expected results with an indicator, two actions and two resources; with
    ``reports``, a progress report and a measurement each (a plan in steering)."""
    municipality = plan.municipality
    promotors = add_actors(municipality, 5, prefix=f"Promotor {plan.pk}")
    own = Actor.objects.filter(user=promotor_user).first() if promotor_user else None
    partners = add_actors(municipality, 6, prefix=f"Partner {plan.pk}")
    phenomena = list(Phenomenon.objects.filter(municipality=None).order_by("order")[:4])
    strategic = Goal.objects.bulk_create(
        Goal(plan=plan, title=f"Strategisch doel {i}", order=100 + i)
        for i in range(max(2, action_plans // 20))
    )
    operational = Goal.objects.bulk_create(
        Goal(plan=plan, parent=goal, title=f"Operationeel doel {i}.{j}", order=j)
        for i, goal in enumerate(strategic)
        for j in range(2)
    )
    goals = strategic + operational
    GoalPhenomenon.objects.bulk_create(
        GoalPhenomenon(goal=goal, phenomenon=phenomenon)
        for goal in goals
        for phenomenon in phenomena[:2]
    )
    items = ActionPlan.objects.bulk_create(
        ActionPlan(
            goal=goals[i % len(goals)],
            order=100 + i // len(goals),
            title=f"Actieplan {i:03d}",
            description="Beschrijving",
            promotor=own if own and i % 10 == 0 else promotors[i % len(promotors)],
            start=D(2026, 1, 1),
            end=D(2028, 12, 31),
        )
        for i in range(action_plans)
    )
    ActionPlanPartner.objects.bulk_create(
        ActionPlanPartner(action_plan=item, actor=partners[(i + k) % len(partners)])
        for i, item in enumerate(items)
        for k in range(2)
    )
    results = ExpectedResult.objects.bulk_create(
        ExpectedResult(action_plan=item, text=f"Resultaat {item.pk}.{k}", order=k)
        for item in items
        for k in range(2)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            expected_result=result,
            name=f"Indicator {result.pk}",
            type=IndicatorType.OUTPUT,
            objectivity=Objectivity.OBJECTIVE,
            baseline=Decimal(10),
            target=Decimal(5),
            unit="%",
        )
        for result in results
    )
    Action.objects.bulk_create(
        Action(action_plan=item, title=f"Actie {item.pk}.{k}", order=k, due=D(2026, 9, 1))
        for item in items
        for k in range(2)
    )
    Resource.objects.bulk_create(
        Resource(
            action_plan=item,
            order=k,
            kind=[ResourceKind.BUDGET, ResourceKind.STAFF][k],
            amount=Decimal("1000.50") if k == 0 else Decimal("0.5"),
            unit=["EUR", "FTE"][k],
            availability=[Availability.AVAILABLE, Availability.REQUIRED][k],
        )
        for item in items
        for k in range(2)
    )
    if promotor_user is not None and own is not None:
        permission = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(ActionPlan),
            codename="change_actionplan",
        )
        ActionPlanUserObjectPermission.objects.bulk_create(
            ActionPlanUserObjectPermission(
                user=promotor_user, permission=permission, content_object=item
            )
            for item in items
            if item.promotor_id == own.pk
        )
    if reports:
        ProgressReport.objects.bulk_create(
            ProgressReport(
                action_plan=item,
                period_end=D(2026, 3, 31),
                date=D(2026, 4, 7),
                status=["on_track", "at_risk", "delayed"][i % 3],
                percent=10 + i % 80,
                text=f"Verslag {i}",
            )
            for i, item in enumerate(items)
        )
        Measurement.objects.bulk_create(
            Measurement(indicator=indicator, date=D(2026, 6, 30), value=Decimal(i % 50))
            for i, indicator in enumerate(indicators)
        )
    return items


def add_escalations(plan, count: int) -> None:
    now = timezone.now()
    Escalation.objects.bulk_create(
        Escalation(plan=plan, text=f"Knelpunt {i}", raised_at=now - i * DAY) for i in range(count)
    )


def add_phenomena(municipality, count: int) -> None:
    """``count`` phenomena of the municipality's own, beside the framework note's."""
    Phenomenon.objects.bulk_create(
        Phenomenon(
            municipality=municipality, code=f"eigen-{i:02}", name_nl=f"Fenomeen {i:02}", order=200
        )
        for i in range(count)
    )


def dismiss_all_suggestions(municipality, by) -> None:
    """Every suggestion of the network's gaps not set aside yet set aside, with its history
    record (who did, shown on the page)."""
    dismissed = SuggestionDismissal.objects.filter(municipality=municipality).values("rule")
    rules = SuggestionRule.objects.exclude(pk__in=dismissed)
    made = bulk_create_with_history(
        [
            SuggestionDismissal(municipality=municipality, rule=rule, reason="Niet van toepassing")
            for rule in rules
        ],
        SuggestionDismissal,
        default_user=by,
    )
    assert made


def add_remarks(plan, count: int, status=RemarkStatus.NEW) -> list[Remark]:
    return Remark.objects.bulk_create(
        Remark(
            plan=plan,
            reference=f"B{plan.pk:03d}{i:05d}",
            text=f"Opmerking {i}",
            name=f"Inwoner {i}",
            received_on=D(2026, 3, 1),
            source="letter",
            status=status,
        )
        for i in range(count)
    )


def add_open_rounds(municipality, electors, count: int) -> None:
    """``count`` plans before the college, each with an open round of ``electors``."""
    now = timezone.now()
    plans = Plan.objects.bulk_create(
        Plan(
            municipality=municipality,
            title=f"Voorstel {i:03d}",
            period_start=1800 + i * 6,
            period_end=1805 + i * 6,
            state="college_review",
        )
        for i in range(count)
    )
    rounds = VoteRound.objects.bulk_create(
        VoteRound(
            plan=plan,
            kind=RoundKind.APPROVAL,
            snapshot={},
            content_hash="0" * 64,
            opened_at=now,
            deadline=now + (7 + i) * DAY,
        )
        for i, plan in enumerate(plans)
    )
    RoundElector.objects.bulk_create(
        RoundElector(vote_round=vote_round, user=user) for vote_round in rounds for user in electors
    )


def add_electors(vote_round, count: int) -> list[User]:
    """``count`` more college members, electors of the open round; all but one vote."""
    members = add_members(vote_round.plan.municipality, count, role=Role.COLLEGE)
    RoundElector.objects.bulk_create(
        RoundElector(vote_round=vote_round, user=user) for user in members
    )
    choices = [VoteChoice.APPROVE, VoteChoice.REJECT, VoteChoice.ABSTAIN]
    Vote.objects.bulk_create(
        Vote(
            vote_round=vote_round,
            member=user,
            choice=choices[i % 3],
            comment=f"Stem {i}",
            cast_at=timezone.now(),
        )
        for i, user in enumerate(members[:-1])
    )
    assert vote_round.status == RoundStatus.OPEN
    return members


# --- History and the security log ---------------------------------------------------------------


def add_history(instance, count: int, field: str, values=None, by=None) -> None:
    """``count`` more changes of ``instance``'s ``field`` in its history, as saves would store
    them (one full row copy each, newer than anything before): the field takes ``values`` in
    turn, or its text with a number."""
    history = type(instance).history.model
    now = timezone.now()
    rows = []
    for i in range(count):
        row = history(
            **{
                f.attname: getattr(instance, f.attname)
                for f in type(instance)._meta.concrete_fields
            },
            history_date=now + (i + 1) * datetime.timedelta(seconds=1),
            history_type="~",
            history_user=by,
            history_change_reason="Bijgewerkt",
        )
        value = values[i % len(values)] if values else f"{getattr(instance, field)} ({i})"
        setattr(row, field, value)
        rows.append(row)
    history.objects.bulk_create(rows)


def add_security_events(municipality, user, count: int) -> None:
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            kind=SecurityEvent.Kind.DENIED,
            user=user,
            username=user.username,
            municipality=municipality,
            address="192.0.2.1",
            detail=f"Geweigerd {i}",
        )
        for i in range(count)
    )


def repeat_history(querysets, times: int) -> int:
    """The history records of ``querysets`` (several history tables) written ``times`` more,
    later, in the same order: the pages then list many more changes of the same kinds, the
    newest page holding the same kinds of record as before. Returns the number written."""
    rows = sorted(
        (row for queryset in querysets for row in queryset),
        key=lambda row: (row.history_date, row.history_id),
    )
    if not rows:
        return 0
    start = max(row.history_date for row in rows)
    copies = {}
    for round_ in range(times):
        for rank, row in enumerate(rows):
            clone = copy.copy(row)
            clone._state = copy.copy(row._state)
            clone._state.adding = True
            clone.history_id = None
            clone.history_date = start + datetime.timedelta(seconds=round_ * len(rows) + rank + 1)
            copies.setdefault(type(row), []).append(clone)
    for model, clones in copies.items():
        model.objects.bulk_create(clones)
    return times * len(rows)


def history_sources(view_class, reader, **cached) -> list:
    """The history tables a history page (``view_class``) shows to ``reader``; ``cached``: the
    view's cached properties (its plan, its meeting)."""
    view = view_class()
    view.request = SimpleNamespace(user=reader)
    view.__dict__.update(cached)
    return [source.records for source in view.get_sources()]


def plan_history_sources(plan, reader):
    """The history tables the plan's history page shows to ``reader``."""
    from plans.views.history import PlanHistoryView

    return history_sources(PlanHistoryView, reader, plan=plan)
