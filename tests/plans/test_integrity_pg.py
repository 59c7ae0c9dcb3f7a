"""Integrity under real parallel connections and crashes (security issue, item 5), beside
``test_concurrency_pg.py``: two coordinators saving the same action plan (one wins, the other is
told, nothing is silently overwritten), double-clicked transitions (they happen once, the second
click is refused with a message), a crash in the middle of a transition (nothing of it stays,
and the same transition then goes through), and idempotent double submissions.

PostgreSQL only: row locks do nothing on SQLite. Every thread has its own connection.

The crashes are fault injection, not mocks: the functions a service writes through are wrapped
so that they really write and then raise; the database is real and is compared, table by
table and row by row, before and after."""

import datetime

from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from actors.data import ensure_shipped as ensure_actor_kinds
from coregroup import services as coregroup_services
from coregroup.constants import DOMAIN_SEATS
from coregroup.models import CalendarFeed, CoreGroup, Seat
from plans import workflow
from plans.constants import PlanState, RoundKind, RoundStatus, VoteChoice
from plans.data import ensure_shipped as ensure_phenomena
from plans.models import ActionPlan, CouncilDecision, Plan, PlanTransition, Vote, VoteRound
from plans.services import (
    consultation_close,
    council_decision_record,
    item_update,
    plan_submit_for_adoption,
    vote_cast,
)
from plans.services import decisions as decision_services
from safetynet.concurrency import EditConflict, latest_version
from safetynet.constants import Role
from safetynet.models import User
from tests.plans.pages_support import D, plan_page, ready_plan, walk_to
from tests.plans.test_concurrency_pg import at_once, errors_of
from tests.plans.test_views import form_values

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _shipped_catalogues(postgres):
    """A transactional test flushes the tables after it: the shipped rows come back here."""
    ensure_actor_kinds()
    ensure_phenomena()


def nl(message):
    """A message as the (Dutch) page shows it, escaped as in the HTML."""
    with translation.override("nl"):
        return escape(gettext(message))


def user(pk):
    """The user as another request would load it (threads share no instances)."""
    return User.objects.get(pk=pk)


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def statuses(outcomes):
    assert errors_of(outcomes) == []  # no request raised (a 500 would have)
    return sorted(response.status_code for response, _error in outcomes)


def refused(outcomes):
    """The response of the request that did not go through."""
    return next(response for response, _error in outcomes if response.status_code != 302)


def conflict_message() -> str:
    """The refusal of a save over a newer change, as the page shows it."""
    with translation.override("nl"):
        return escape(str(EditConflict([]).message))


def refusal(plan, transition: str, by) -> str:
    """What the workflow says of ``transition`` on the plan as it is now, as the page shows it
    (nothing is written: the refusal comes before any write)."""
    with (
        translation.override("nl"),
        transaction.atomic(),
        pytest.raises(workflow.TransitionNotAllowed) as refused_transition,
    ):
        workflow.apply(Plan.objects.get(pk=plan.pk), transition, by=by)
    return escape(refused_transition.value.message)


@pytest.fixture
def college(make_member):
    """The college: the burgemeester (chair) and two schepenen."""
    return [make_member(Role.COLLEGE, is_chair=i == 0, username=f"college{i}") for i in range(3)]


@pytest.fixture
def secretary(make_member):
    return make_member(Role.COUNCIL_SECRETARY, username="secretary")


# --- Two coordinators saving the same action plan ------------------------------------------------


def test_two_coordinators_saving_the_same_action_plan_at_once_one_wins_the_other_is_told(
    lindenberg, make_member
):
    first, second = make_member(Role.COORDINATOR), make_member(Role.COORDINATOR)
    action_plan = ready_plan(lindenberg, first).items["action-plan"]
    version = latest_version(action_plan)  # both forms were loaded at this version
    records = action_plan.history.count()
    titles = ["Fietsdiefstal: versie van de eerste", "Fietsdiefstal: versie van de tweede"]

    def save(coordinator, title):
        return lambda: item_update(
            item=ActionPlan.objects.get(pk=action_plan.pk),
            by=user(coordinator.pk),
            version=version,
            title=title,
        )

    outcomes = at_once(save(first, titles[0]), save(second, titles[1]))

    errors = errors_of(outcomes)
    assert len(errors) == 1, errors
    conflict = errors[0]
    assert isinstance(conflict, EditConflict)
    assert conflict.code == "edit_conflict"
    winner = 0 if outcomes[0][1] is None else 1
    action_plan.refresh_from_db()
    assert action_plan.title == titles[winner]  # the loser's text did not overwrite it
    assert action_plan.history.count() == records + 1  # one save, one record
    assert action_plan.history.latest().history_user == (first, second)[winner]
    # The loser is told what the winner changed.
    assert titles[winner] in [change.new for entry in conflict.changes for change in entry.changes]


def test_two_coordinators_posting_the_action_plan_form_at_once_one_sees_the_conflict(
    lindenberg, make_member
):
    first, second = make_member(Role.COORDINATOR), make_member(Role.COORDINATOR)
    action_plan = ready_plan(lindenberg, first).items["action-plan"]
    url = plan_page("item-edit", action_plan.goal.plan, kind="action-plan", item=action_plan.pk)
    clients = [logged_in(first), logged_in(second)]
    loaded = [form_values(client.get(url).context["form"]) for client in clients]
    assert loaded[0]["version"] == loaded[1]["version"]
    records = action_plan.history.count()
    titles = ["Fietsdiefstal: versie van de eerste", "Fietsdiefstal: versie van de tweede"]

    outcomes = at_once(
        *[
            lambda client=client, data=data, title=title: client.post(url, {**data, "title": title})
            for client, data, title in zip(clients, loaded, titles, strict=True)
        ]
    )

    assert statuses(outcomes) == [200, 302]
    winner = next(i for i, (response, _e) in enumerate(outcomes) if response.status_code == 302)
    loser = 1 - winner
    html = refused(outcomes).content.decode()
    assert conflict_message() in html
    assert nl("The change saved meanwhile") in html  # what the other coordinator changed
    assert escape(titles[loser]) in html  # what this one typed is still in the form
    action_plan.refresh_from_db()
    assert action_plan.title == titles[winner]
    assert action_plan.history.count() == records + 1
    assert action_plan.history.latest().history_user == (first, second)[winner]


def test_the_second_coordinator_posting_a_stale_version_is_told_and_overwrites_nothing(
    lindenberg, make_member
):
    first, second = make_member(Role.COORDINATOR), make_member(Role.COORDINATOR)
    action_plan = ready_plan(lindenberg, first).items["action-plan"]
    url = plan_page("item-edit", action_plan.goal.plan, kind="action-plan", item=action_plan.pk)
    first_client, second_client = logged_in(first), logged_in(second)
    first_form = form_values(first_client.get(url).context["form"])
    stale = form_values(second_client.get(url).context["form"])
    records = action_plan.history.count()

    saved = first_client.post(url, {**first_form, "title": "Van de eerste"})
    assert saved.status_code == 302
    response = second_client.post(url, {**stale, "title": "Van de tweede"})

    assert response.status_code == 200
    html = response.content.decode()
    assert conflict_message() in html
    assert nl("The change saved meanwhile") in html
    assert "Van de eerste" in html  # the change saved meanwhile
    assert response.context["form"].data["title"] == "Van de tweede"  # the input is kept
    action_plan.refresh_from_db()
    assert action_plan.title == "Van de eerste"
    assert action_plan.history.count() == records + 1
    assert action_plan.history.latest().history_user == first


# --- Double-clicked transitions ------------------------------------------------------------------


def test_a_double_click_on_the_last_vote_opens_the_consultation_once(
    lindenberg, coordinator, college, make_member
):
    make_member(Role.CORE_GROUP, username="kerngroep")  # told when the consultation opens
    plan = walk_to(ready_plan(lindenberg, coordinator), "college_review", coordinator, college)
    vote_round = plan.vote_rounds.get()
    for member in college[:-1]:
        vote_cast(vote_round=vote_round, member=member, choice=VoteChoice.APPROVE)
    last = college[-1]
    mail.outbox.clear()

    def click():
        return vote_cast(
            vote_round=VoteRound.objects.get(pk=vote_round.pk),
            member=user(last.pk),
            choice=VoteChoice.APPROVE,
        )

    outcomes = at_once(click, click)

    errors = errors_of(outcomes)
    assert [(type(e), e.code) for e in errors] == [(ValidationError, "closed")]
    assert Vote.objects.filter(vote_round=vote_round, member=last).count() == 1
    assert Plan.objects.get(pk=plan.pk).state == PlanState.CONSULTATION
    assert list(
        PlanTransition.objects.filter(plan=plan, vote_round=vote_round)
        .exclude(name="submit_to_college")
        .values_list("name", flat=True)
    ) == ["college_approves"]
    assert Plan.history.filter(id=plan.pk, state=PlanState.CONSULTATION).count() == 1
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == len(set(subjects)) == 2  # the decision and the opening, once each


def test_a_double_click_on_closing_the_consultation_closes_it_once(
    lindenberg, coordinator, college
):
    plan = walk_to(ready_plan(lindenberg, coordinator), "consultation", coordinator, college)
    mail.outbox.clear()

    def click():
        return consultation_close(
            plan=Plan.objects.get(pk=plan.pk), by=user(coordinator.pk), reason="Vroeger gesloten"
        )

    outcomes = at_once(click, click)

    errors = errors_of(outcomes)
    assert [(type(e), e.code) for e in errors] == [(workflow.TransitionNotAllowed, "wrong_state")]
    assert Plan.objects.get(pk=plan.pk).state == PlanState.REVISION
    assert PlanTransition.objects.filter(plan=plan, name="close_consultation").count() == 1
    assert Plan.history.filter(id=plan.pk, state=PlanState.REVISION).count() == 1
    assert [m.to for m in mail.outbox] == [[coordinator.email]]  # one summary


def test_a_double_click_on_recording_the_council_decision_records_it_once(
    lindenberg, coordinator, college, secretary
):
    plan = walk_to(ready_plan(lindenberg, coordinator), "council_adoption", coordinator, college)

    def click():
        return council_decision_record(
            plan=Plan.objects.get(pk=plan.pk),
            by=user(secretary.pk),
            date=D(2026, 3, 1),
            reference="GR/2026/12",
            votes_for=20,
            votes_against=5,
            votes_abstain=2,
            adopted=True,
        )

    outcomes = at_once(click, click)

    errors = errors_of(outcomes)
    assert [(type(e), e.code) for e in errors] == [(workflow.TransitionNotAllowed, "wrong_state")]
    assert CouncilDecision.objects.filter(plan=plan).count() == 1
    assert PlanTransition.objects.filter(plan=plan, name="council_adopts").count() == 1
    plan.refresh_from_db()
    assert plan.state == PlanState.STEERING
    assert plan.history.filter(history_change_reason="Adopted version frozen").count() == 1


def test_two_posts_at_once_of_closing_the_consultation_close_it_once(
    lindenberg, coordinator, college
):
    plan = walk_to(ready_plan(lindenberg, coordinator), "consultation", coordinator, college)
    url = plan_page("consultation", plan)
    clients = [logged_in(coordinator), logged_in(coordinator)]  # two tabs, or a double click

    outcomes = at_once(
        *[
            lambda client=client: client.post(url, {"action": "close", "reason": "Vroeger"})
            for client in clients
        ]
    )

    assert statuses(outcomes) == [200, 302]
    assert refusal(plan, "close_consultation", coordinator) in refused(outcomes).content.decode()
    assert Plan.objects.get(pk=plan.pk).state == PlanState.REVISION
    assert PlanTransition.objects.filter(plan=plan, name="close_consultation").count() == 1
    assert Plan.history.filter(id=plan.pk, state=PlanState.REVISION).count() == 1


def test_two_posts_at_once_of_submitting_to_the_college_open_one_round(
    lindenberg, coordinator, college
):
    plan = ready_plan(lindenberg, coordinator)
    url = plan_page("submit", plan)
    deadline = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    clients = [logged_in(coordinator), logged_in(coordinator)]
    mail.outbox.clear()

    outcomes = at_once(
        *[lambda client=client: client.post(url, {"deadline": deadline}) for client in clients]
    )

    assert statuses(outcomes) == [200, 302]
    assert refusal(plan, "submit_to_college", coordinator) in refused(outcomes).content.decode()
    vote_round = VoteRound.objects.get(plan=plan)  # one round
    assert vote_round.electors.count() == len(college)
    assert PlanTransition.objects.filter(plan=plan, name="submit_to_college").count() == 1
    assert Plan.history.filter(id=plan.pk, state=PlanState.COLLEGE_REVIEW).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in college)  # once each


# --- A crash in the middle of a transition -------------------------------------------------------


class InjectedFault(Exception):
    """The crash: a lost connection, a full disk, a killed worker."""


class Crash:
    """Wraps functions a service calls — its writes, what it hands over for after the commit —
    so that each really runs and the service then fails right after the n-th call
    (:meth:`arm`). Calls are counted across all wrapped functions, in the order they happen."""

    def __init__(self, monkeypatch, *targets):
        self.at = None
        self.steps = []
        for module, name in targets:
            monkeypatch.setattr(module, name, self._wrap(getattr(module, name), name))

    def _wrap(self, real, name):
        def step(*args, **kwargs):
            result = real(*args, **kwargs)
            self.steps.append(name)
            if len(self.steps) == self.at:
                raise InjectedFault(f"crash after step {self.at}: {name}")
            return result

        return step

    def arm(self, at):
        self.at, self.steps = at, []


def database_state() -> dict:
    """Every row of every table (history, permissions and documents included), by model."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def crash_after_every_step(crash: Crash, service):
    """Run ``service`` with a crash after its first step, then after its second, …: after each
    crash nothing of it is stored (no row in any table, no e-mail). Then it runs through
    without the fault. Returns the steps of that run."""
    for at in range(1, 100):
        before = database_state()
        mail.outbox.clear()
        crash.arm(at)
        try:
            service()
        except InjectedFault:
            assert changed_tables(before, database_state()) == [], crash.steps
            assert mail.outbox == [], crash.steps
            continue
        assert len(crash.steps) == at - 1  # every step has crashed once
        return crash.steps
    raise AssertionError("the service never finished")


def test_a_crash_while_submitting_for_adoption_leaves_nothing_half_done(
    lindenberg, coordinator, college, monkeypatch
):
    """The submission opens a round with its electorate, moves the plan and renders the document
    to adopt: a crash anywhere leaves the plan in revision with none of that."""
    plan = walk_to(ready_plan(lindenberg, coordinator), "revision", coordinator, college)
    transitions = PlanTransition.objects.filter(plan=plan).count()
    crash = Crash(
        monkeypatch,
        (decision_services, "_save"),
        (workflow, "validated_save"),
        (decision_services, "adopted_document"),
    )

    steps = crash_after_every_step(
        crash,
        lambda: plan_submit_for_adoption(
            plan=Plan.objects.get(pk=plan.pk), by=user(coordinator.pk)
        ),
    )

    # Round, 3 electors, plan, transition, document, round with its document.
    assert len(steps) == 8, steps
    plan.refresh_from_db()
    assert plan.state == PlanState.COLLEGE_ADOPTION
    vote_round = plan.vote_rounds.get(kind=RoundKind.ADOPTION)
    assert vote_round.status == RoundStatus.OPEN
    assert vote_round.electors.count() == len(college)
    assert vote_round.document.is_ready
    assert PlanTransition.objects.filter(plan=plan).count() == transitions + 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in college)


def test_a_crash_while_the_council_adopts_leaves_nothing_half_done(
    lindenberg, coordinator, college, secretary, monkeypatch
):
    plan = walk_to(ready_plan(lindenberg, coordinator), "council_adoption", coordinator, college)
    crash = Crash(monkeypatch, (decision_services, "_save"), (workflow, "validated_save"))

    def adopt():
        return council_decision_record(
            plan=Plan.objects.get(pk=plan.pk),
            by=user(secretary.pk),
            date=D(2026, 3, 1),
            reference="GR/2026/12",
            votes_for=20,
            votes_against=5,
            votes_abstain=2,
            adopted=True,
        )

    steps = crash_after_every_step(crash, adopt)

    assert steps == ["_save", "validated_save", "validated_save", "_save"]  # decision … frozen
    plan.refresh_from_db()
    assert plan.state == PlanState.STEERING
    assert plan.adopted_round == plan.vote_rounds.get(kind=RoundKind.ADOPTION)
    assert CouncilDecision.objects.get(plan=plan).adopted
    assert PlanTransition.objects.filter(plan=plan, name="council_adopts").count() == 1


def test_a_crash_while_the_last_vote_opens_the_consultation_leaves_nothing_half_done(
    lindenberg, coordinator, college, make_member, monkeypatch
):
    """The last vote decides the round, moves the plan into consultation and hands over the
    e-mails (the decision, the consultation's opening): a crash after any of it sends none."""
    make_member(Role.CORE_GROUP, username="kerngroep")
    plan = walk_to(ready_plan(lindenberg, coordinator), "college_review", coordinator, college)
    vote_round = plan.vote_rounds.get()
    for member in college[:-1]:
        vote_cast(vote_round=vote_round, member=member, choice=VoteChoice.APPROVE)
    crash = Crash(
        monkeypatch,
        (decision_services, "_save"),
        (workflow, "validated_save"),
        (decision_services, "consultation_opened"),
    )

    steps = crash_after_every_step(
        crash,
        lambda: vote_cast(
            vote_round=VoteRound.objects.get(pk=vote_round.pk),
            member=user(college[-1].pk),
            choice=VoteChoice.APPROVE,
        ),
    )

    assert steps == ["_save", "_save", "validated_save", "validated_save", "consultation_opened"]
    assert Plan.objects.get(pk=plan.pk).state == PlanState.CONSULTATION
    vote_round.refresh_from_db()
    assert vote_round.status == RoundStatus.APPROVED
    assert Vote.objects.filter(vote_round=vote_round).count() == len(college)
    assert len(mail.outbox) == 2  # the decision to the coordinator, the opening to the kerngroep


# --- Idempotent double submissions ---------------------------------------------------------------


def test_setting_up_the_kerngroep_twice_at_once_makes_one(lindenberg, coordinator):
    def click():
        return coregroup_services.core_group_ensure(
            municipality=type(lindenberg).objects.get(pk=lindenberg.pk), by=user(coordinator.pk)
        )

    outcomes = at_once(click, click, click)

    assert errors_of(outcomes) == []
    core_group = CoreGroup.objects.get(municipality=lindenberg)
    assert {result.pk for result, _error in outcomes} == {core_group.pk}
    assert Seat.objects.filter(core_group=core_group).count() == len(DOMAIN_SEATS)
    assert CoreGroup.history.filter(municipality=lindenberg).count() == 1
    assert Seat.history.filter(core_group=core_group).count() == len(DOMAIN_SEATS)


def test_completing_the_kerngroep_seats_twice_at_once_adds_each_once(lindenberg, coordinator):
    core_group = coregroup_services.core_group_ensure(municipality=lindenberg, by=coordinator)
    Seat.objects.filter(core_group=core_group, order__gt=5).delete()  # seats of an older version

    def click():
        return coregroup_services.core_group_ensure(
            municipality=type(lindenberg).objects.get(pk=lindenberg.pk), by=user(coordinator.pk)
        )

    outcomes = at_once(click, click)

    assert errors_of(outcomes) == []
    assert sorted(
        Seat.objects.filter(core_group=core_group).values_list("function", flat=True)
    ) == sorted(DOMAIN_SEATS)


@pytest.mark.parametrize("existing", [False, True], ids=["first-address", "renewal"])
def test_renewing_the_calendar_address_twice_at_once_leaves_one_address(
    lindenberg, make_member, existing
):
    member = make_member(Role.CORE_GROUP)
    if existing:
        coregroup_services.calendar_feed_renew(user=member, by=member)

    def click():
        return coregroup_services.calendar_feed_renew(user=user(member.pk), by=user(member.pk))

    outcomes = at_once(click, click)

    assert errors_of(outcomes) == []
    active = CalendarFeed.objects.get(user=member, revoked=False)  # one address works
    assert active.pk in {result.pk for result, _error in outcomes}
    assert CalendarFeed.objects.filter(user=member).count() == 2 + existing


def test_two_posts_at_once_of_setting_up_the_kerngroep_make_one(lindenberg, coordinator):
    path = reverse("coregroup:setup", kwargs={"municipality": lindenberg.slug})
    clients = [logged_in(coordinator), logged_in(coordinator)]

    outcomes = at_once(*[lambda client=client: client.post(path) for client in clients])

    assert statuses(outcomes) == [302, 302]
    core_group = CoreGroup.objects.get(municipality=lindenberg)
    assert Seat.objects.filter(core_group=core_group).count() == len(DOMAIN_SEATS)


def test_two_posts_at_once_of_making_the_calendar_address_leave_one(lindenberg, coordinator):
    path = reverse("coregroup:calendar", kwargs={"municipality": lindenberg.slug})
    clients = [logged_in(coordinator), logged_in(coordinator)]

    outcomes = at_once(
        *[lambda client=client: client.post(path, {"action": "renew"}) for client in clients]
    )

    assert statuses(outcomes) == [302, 302]
    assert CalendarFeed.objects.filter(user=coordinator, revoked=False).count() == 1
