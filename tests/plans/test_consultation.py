"""Phase 2, the public consultation, through its services: remarks sent on the public page
(reference, hashed address, rate limit, double submit, confirmation e-mail), remarks entered by
the coordinator, moderation and answers in the history with who acted, the adoption waiting for
every answer, the retention purge (in the history tables too) and the e-mails when the
consultation opens and closes.

The helpers at the top (a plan in consultation, moving it on, sending a remark) are shared with
test_consultation_views.py."""

import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create
from plans.constants import PlanState, RemarkSource, RemarkStatus, Verdict
from plans.models import Remark, Response, VoteRound
from plans.services import (
    consultation_close,
    consultation_set_dates,
    council_decision_record,
    plan_close,
    plan_submit_for_adoption,
    submission_problems,
    vote_cast,
)
from plans.services.consultation import (
    CLOSED,
    NOT_OPEN,
    TOO_MANY,
    UNANSWERED,
    address_hash,
    consultation_is_open,
    remark_enter,
    remark_moderate,
    remark_submit,
    remarks_purge,
    response_write,
)
from plans.services.steering import evaluation_write
from safetynet.concurrency import EditConflict, latest_version
from safetynet.constants import Role
from safetynet.models import Membership
from tests.plans.pages_support import add_goal, all_vote, discuss, ready_plan, submit

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ADDRESS = "203.0.113.7"

# --- Shared helpers -----------------------------------------------------------------------------


def college_of(municipality) -> list:
    """Every college member of the municipality: the electors of its vote rounds."""
    return [
        m.user
        for m in Membership.objects.filter(municipality=municipality, role=Role.COLLEGE)
        .select_related("user")
        .order_by("pk")
    ]


def ensure_college(municipality, make_member):
    """A college with a chair, when the municipality has none yet."""
    if not Membership.objects.filter(
        municipality=municipality, role=Role.COLLEGE, is_chair=True
    ).exists():
        make_member(Role.COLLEGE, municipality=municipality, is_chair=True)
        make_member(Role.COLLEGE, municipality=municipality)
    return college_of(municipality)


def consulting_plan(
    municipality, coordinator, *, opens=-1, closes=10, title="Inspraakplan", goals=()
):
    """A ready plan (with more strategic ``goals`` when given, on ``plan.items["goals"]``),
    its consultation dated ``opens``/``closes`` days from now, approved by every college
    member: in consultation."""
    plan = ready_plan(municipality, coordinator, title=title)
    if goals:
        plan.items["goals"] = [add_goal(plan, coordinator, title=t) for t in goals]
        discuss(plan, coordinator)  # the kerngroep discussed this version
    now = timezone.now()
    consultation_set_dates(plan=plan, opens=now + opens * DAY, closes=now + closes * DAY, by=None)
    submit(plan, coordinator)
    all_vote(plan.vote_rounds.get(status="open"), college_of(municipality))
    plan.refresh_from_db()
    assert plan.state == PlanState.CONSULTATION
    return plan


def advance(plan, state, coordinator, secretary=None):
    """Move ``plan`` on from its current state to ``state`` (after the consultation), each step
    by whom it belongs to; every remark must be answered before the adoption."""
    order = [
        PlanState.CONSULTATION,
        PlanState.REVISION,
        PlanState.COLLEGE_ADOPTION,
        PlanState.COUNCIL_ADOPTION,
        PlanState.STEERING,
        PlanState.CLOSED,
    ]
    plan.refresh_from_db()
    while order.index(plan.state) < order.index(state):
        if plan.state == PlanState.CONSULTATION:
            consultation_close(plan=plan, by=coordinator, reason="Vroeger gesloten")
        elif plan.state == PlanState.REVISION:
            plan_submit_for_adoption(plan=plan, by=coordinator)
        elif plan.state == PlanState.COLLEGE_ADOPTION:
            all_vote(plan.vote_rounds.get(status="open"), college_of(plan.municipality))
        elif plan.state == PlanState.COUNCIL_ADOPTION:
            council_decision_record(
                plan=plan,
                by=secretary,
                date=timezone.localdate(),
                reference="GR/2026/12",
                votes_for=20,
                votes_against=5,
                votes_abstain=2,
                adopted=True,
            )
        elif plan.state == PlanState.STEERING:
            for goal in plan.goals.filter(parent=None, archived_at=None):
                evaluation_write(goal=goal, by=coordinator, result="Bereikt.")
            plan_close(plan=plan, by=coordinator, reason="Geëvalueerd")
        plan.refresh_from_db()
    assert plan.state == state
    return plan


def send(plan, text="Meer verlichting aan het station.", address=ADDRESS, **fields):
    return remark_submit(plan=plan, text=text, address=address, **fields)


def publish_and_answer(remark, by, redacted="Meer verlichting aan het station, graag."):
    remark_moderate(remark=remark, by=by, status=RemarkStatus.PUBLISHED, redacted_text=redacted)
    return response_write(
        remark=remark, by=by, verdict=Verdict.ACCEPTED, motivation="Staat in het actieplan."
    )


def nl(message):
    with translation.override("nl"):
        return gettext(message)


def messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def college(lindenberg, make_member):
    return ensure_college(lindenberg, make_member)


@pytest.fixture
def secretary(make_member):
    return make_member(Role.COUNCIL_SECRETARY, username="secretaris")


@pytest.fixture
def plan(lindenberg, coordinator, college):
    return consulting_plan(lindenberg, coordinator)


# --- When the consultation is open --------------------------------------------------------------


def test_the_consultation_is_open_only_in_its_state_between_its_dates(
    lindenberg, coordinator, college
):
    plan = ready_plan(lindenberg, coordinator)
    now = timezone.now()
    consultation_set_dates(plan=plan, opens=now - DAY, closes=now + DAY, by=coordinator)
    plan.refresh_from_db()
    assert not consultation_is_open(plan)  # still a draft
    plan.state = PlanState.CONSULTATION
    assert consultation_is_open(plan)
    assert not consultation_is_open(plan, now=now - 2 * DAY)  # before it opens
    assert not consultation_is_open(plan, now=now + DAY)  # the closing moment itself
    # Without dates (approved before they were set): open from the approval until it closes.
    plan.consultation_opens = None
    assert consultation_is_open(plan)
    assert not consultation_is_open(plan, now=now + DAY)
    plan.consultation_closes = None
    assert consultation_is_open(plan, now=now + 100 * DAY)
    plan.state = PlanState.REVISION
    assert not consultation_is_open(plan)


# --- Sending a remark ---------------------------------------------------------------------------


def test_a_remark_is_stored_with_a_reference_and_the_hashed_address_only(plan):
    goal = plan.items["goal"]
    remark = send(
        plan,
        text="  Meer verlichting aan het station.  ",
        name=" Jan Peeters ",
        email="jan@example.org",
        organisation="",
        name_public=True,
        goal=goal,
    )
    remark.refresh_from_db()
    assert remark.text == "Meer verlichting aan het station."
    assert remark.name == "Jan Peeters"
    assert remark.status == RemarkStatus.NEW
    assert remark.source == RemarkSource.ONLINE
    assert remark.received_on == timezone.localdate()
    assert remark.goal == goal
    assert not remark.name_public  # only organisations are named
    assert remark.reference.startswith("R-")
    assert len(remark.reference) == 8
    assert remark.address_hash == address_hash(ADDRESS)
    assert ADDRESS not in remark.address_hash
    assert len(remark.address_hash) == 64
    assert address_hash(ADDRESS) != address_hash("203.0.113.8")
    record = remark.history.get()
    assert record.history_user is None
    assert record.history_change_reason == "Remark received"


def test_references_differ(plan):
    references = {
        send(plan, text=f"Opmerking {i}", address=f"192.0.2.{i}").reference for i in range(8)
    }
    assert len(references) == 8


def test_an_organisation_may_ask_to_be_named(plan):
    remark = send(plan, organisation=" BIN Kerkwijk ", name_public=True)
    assert remark.organisation == "BIN Kerkwijk"
    assert remark.name_public


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(1, 10, NOT_OPEN), (-10, -1, CLOSED)],
    ids=["not-yet-open", "closed-by-date"],
)
def test_no_remark_outside_the_consultation_dates(
    lindenberg, coordinator, college, opens, closes, message
):
    plan = consulting_plan(lindenberg, coordinator, opens=opens, closes=closes)
    with pytest.raises(ValidationError) as caught:
        send(plan)
    assert caught.value.code == "closed"
    assert messages_of(caught.value) == [gettext(message)]
    assert not Remark.objects.exists()


def test_no_remark_once_the_consultation_is_closed(plan, coordinator):
    consultation_close(plan=plan, by=coordinator, reason="Vroeger gesloten")
    with pytest.raises(ValidationError):
        send(plan)
    assert not Remark.objects.exists()


def test_no_remark_about_a_goal_or_action_plan_of_another_plan(plan, lindenberg, coordinator):
    other = ready_plan(lindenberg, coordinator, title="Ander plan")
    with pytest.raises(ValidationError) as caught:
        send(plan, goal=other.items["goal"])
    assert "goal" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        send(plan, action_plan=other.items["action-plan"])
    assert "action_plan" in caught.value.message_dict
    assert not Remark.objects.exists()


def test_the_same_text_from_the_same_address_within_ten_minutes_is_stored_once(plan):
    first = send(plan)
    again = send(plan, text="  Meer verlichting aan het station.")
    assert again.pk == first.pk
    assert Remark.objects.count() == 1
    # Another text, another address, or the same text later: new remarks.
    send(plan, text="Ook aan de bushalte.")
    send(plan, address="203.0.113.99")
    Remark.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    later = send(plan)
    assert later.pk != first.pk
    assert Remark.objects.count() == 4


def test_the_rate_limit_counts_remarks_per_address_in_the_last_hour(plan, settings):
    settings.SAFETYNET_REMARKS_PER_HOUR = 3
    for i in range(3):
        send(plan, text=f"Opmerking {i}")
    with pytest.raises(ValidationError) as caught:
        send(plan, text="Nog een opmerking")
    assert caught.value.code == "rate_limited"
    assert messages_of(caught.value) == [gettext(TOO_MANY)]
    assert Remark.objects.count() == 3
    # A double submit of a stored remark is no new remark: it is not refused.
    assert send(plan, text="Opmerking 2").text == "Opmerking 2"
    # Another connection is not limited; an hour later this one may send again.
    send(plan, text="Nog een opmerking", address="198.51.100.1")
    Remark.objects.filter(address_hash=address_hash(ADDRESS)).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    send(plan, text="Nog een opmerking")
    assert Remark.objects.count() == 5


def test_the_rate_limit_defaults_to_five_an_hour(plan):
    for i in range(5):
        send(plan, text=f"Opmerking {i}")
    with pytest.raises(ValidationError):
        send(plan, text="De zesde")
    assert Remark.objects.count() == 5


def test_the_services_refuse_an_empty_text_or_one_longer_than_5000_characters(plan, coordinator):
    """Not only the forms: the services themselves (the model's TextField does not validate
    its max_length)."""
    for text in ("x" * 5001, "   "):
        with pytest.raises(ValidationError) as caught:
            send(plan, text=text)
        assert "text" in caught.value.message_dict
        with pytest.raises(ValidationError) as caught:
            remark_enter(
                plan=plan,
                by=coordinator,
                text=text,
                source=RemarkSource.LETTER,
                received_on=timezone.localdate(),
            )
        assert "text" in caught.value.message_dict
    assert not Remark.objects.exists()
    assert len(send(plan, text="x" * 5000).text) == 5000


def test_a_confirmation_is_mailed_with_the_reference_after_the_commit(
    plan, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        remark = send(plan, email="jan@example.org")
        assert mailoutbox == []  # not before the commit
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["jan@example.org"]
    assert remark.reference in mail.subject
    assert remark.reference in mail.body
    assert plan.title in mail.body


def test_no_confirmation_without_an_e_mail_address(
    plan, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(plan)
    assert callbacks == []
    assert mailoutbox == []


# --- Remarks entered by the coordinator ---------------------------------------------------------


def test_the_coordinator_enters_a_letter_with_its_source_and_date(plan, coordinator, viewer):
    received = timezone.localdate() - 3 * DAY
    remark = remark_enter(
        plan=plan,
        by=coordinator,
        text="Brief over de verkeersveiligheid.",
        source=RemarkSource.LETTER,
        received_on=received,
        name="Mevrouw Claes",
        organisation="",
        name_public=True,
    )
    assert remark.source == RemarkSource.LETTER
    assert remark.received_on == received
    assert remark.address_hash == ""
    assert not remark.name_public
    record = remark.history.get()
    assert record.history_user == coordinator
    # Entered twice in a row: stored once.
    again = remark_enter(
        plan=plan,
        by=coordinator,
        text="Brief over de verkeersveiligheid.",
        source=RemarkSource.LETTER,
        received_on=received,
    )
    assert again.pk == remark.pk
    with pytest.raises(PermissionDenied):
        remark_enter(
            plan=plan, by=viewer, text="x", source=RemarkSource.LETTER, received_on=received
        )
    assert Remark.objects.count() == 1


def test_remarks_are_entered_only_during_the_consultation_and_the_revision(
    lindenberg, coordinator, college
):
    plan = ready_plan(lindenberg, coordinator)
    with pytest.raises(ValidationError):
        remark_enter(
            plan=plan,
            by=coordinator,
            text="Te vroeg",
            source=RemarkSource.LETTER,
            received_on=timezone.localdate(),
        )
    assert not Remark.objects.exists()


# --- Moderation and answers ---------------------------------------------------------------------


def test_moderation_and_answers_are_in_the_history_with_who_acted(plan, coordinator, make_member):
    second = make_member(Role.COORDINATOR, username="coordinator-2")
    remark = send(plan, text="Jan Janssens van nr. 5 parkeert altijd op de stoep.")
    remark_moderate(
        remark=remark,
        by=coordinator,
        status=RemarkStatus.PUBLISHED,
        redacted_text="Een buur parkeert altijd op de stoep.",
    )
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.PUBLISHED
    assert remark.redacted_text == "Een buur parkeert altijd op de stoep."
    assert remark.text.startswith("Jan Janssens")  # the original stays
    remark_moderate(remark=remark, by=second, status=RemarkStatus.NEW)
    remark_moderate(remark=remark, by=coordinator, status=RemarkStatus.SPAM)
    rows = list(
        remark.history.order_by("history_id").values_list(
            "history_user__username", "history_change_reason", "status"
        )
    )
    assert rows == [
        (None, "Remark received", "new"),
        ("coordinator", "Remark published", "published"),
        ("coordinator-2", "Remark taken back", "new"),
        ("coordinator", "Remark marked as spam", "spam"),
    ]
    response = response_write(
        remark=remark, by=coordinator, verdict=Verdict.NOT_ACCEPTED, motivation=" Geen actie. "
    )
    assert response.motivation == "Geen actie."
    response_write(
        remark=remark,
        by=second,
        verdict=Verdict.PARTLY,
        motivation="Toch deels.",
        changed_goal=plan.items["goal"],
        changed_action_plan=plan.items["action-plan"],
    )
    response.refresh_from_db()
    assert response.verdict == Verdict.PARTLY
    assert response.changed_action_plan == plan.items["action-plan"]
    assert list(
        response.history.order_by("history_id").values_list(
            "history_user__username", "history_change_reason", "verdict"
        )
    ) == [
        ("coordinator", "Response written", "not_accepted"),
        ("coordinator-2", "Response changed", "partly"),
    ]
    assert Response.objects.count() == 1


def test_a_published_remark_needs_its_text(plan, coordinator):
    remark = send(plan)
    with pytest.raises(ValidationError):
        remark_moderate(remark=remark, by=coordinator, status=RemarkStatus.PUBLISHED)
    with pytest.raises(ValidationError):
        remark_moderate(remark=remark, by=coordinator, status="deleted", redacted_text="x")
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.NEW
    assert remark.history.count() == 1


def test_a_moderation_over_a_newer_change_is_refused(plan, coordinator):
    remark = send(plan)
    version = latest_version(remark)
    remark_moderate(remark=remark, by=coordinator, status=RemarkStatus.SPAM)
    with pytest.raises(EditConflict):
        remark_moderate(
            remark=remark,
            by=coordinator,
            status=RemarkStatus.PUBLISHED,
            redacted_text="Tekst",
            version=version,
        )
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.SPAM


def test_an_answer_changes_only_goals_and_action_plans_of_its_own_plan(
    plan, lindenberg, coordinator
):
    other = ready_plan(lindenberg, coordinator, title="Ander plan")
    remark = send(plan)
    with pytest.raises(ValidationError):
        response_write(
            remark=remark,
            by=coordinator,
            verdict=Verdict.ACCEPTED,
            motivation="Ja",
            changed_goal=other.items["goal"],
        )
    with pytest.raises(ValidationError):
        response_write(
            remark=remark,
            by=coordinator,
            verdict=Verdict.ACCEPTED,
            motivation="Ja",
            changed_action_plan=other.items["action-plan"],
        )
    assert not Response.objects.exists()


# --- The adoption waits for every answer --------------------------------------------------------


def test_the_adoption_waits_until_every_remark_but_spam_is_answered(plan, coordinator):
    answered = send(plan, text="Beantwoord")
    open_one = send(plan, text="Nog open", address="192.0.2.2")
    spam = send(plan, text="CASINO", address="192.0.2.3")
    entered = remark_enter(
        plan=plan,
        by=coordinator,
        text="Per brief",
        source=RemarkSource.LETTER,
        received_on=timezone.localdate(),
    )
    remark_moderate(remark=spam, by=coordinator, status=RemarkStatus.SPAM)
    publish_and_answer(answered, coordinator)
    advance(plan, PlanState.REVISION, coordinator)
    expected = nl(UNANSWERED) % {"count": 2}
    with translation.override("nl"):
        assert expected in submission_problems(plan)
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        plan_submit_for_adoption(plan=plan, by=coordinator)
    assert expected in caught.value.messages
    plan.refresh_from_db()
    assert plan.state == PlanState.REVISION

    response_write(remark=open_one, by=coordinator, verdict=Verdict.PARTLY, motivation="Deels")
    with translation.override("nl"):
        assert nl(UNANSWERED) % {"count": 1} in submission_problems(plan)
    response_write(remark=entered, by=coordinator, verdict=Verdict.ACCEPTED, motivation="Ja")
    assert submission_problems(plan) == []
    plan_submit_for_adoption(plan=plan, by=coordinator)
    plan.refresh_from_db()
    assert plan.state == PlanState.COLLEGE_ADOPTION


# --- The retention purge ------------------------------------------------------------------------


@pytest.fixture
def adopted(plan, coordinator, secretary):
    """The plan adopted (in steering) with two remarks, one by an organisation; and a plan still
    in consultation with a remark of its own."""
    person_remark = send(plan, name="Jan Peeters", email="jan@example.org", text="Tekst van Jan")
    organisation_remark = send(
        plan,
        address="192.0.2.5",
        name="An Claes",
        email="an@example.org",
        organisation="BIN Kerkwijk",
        name_public=True,
        text="Tekst van het BIN",
    )
    for remark in (person_remark, organisation_remark):
        publish_and_answer(remark, coordinator, redacted=f"Gepubliceerd: {remark.text}")
    advance(plan, PlanState.STEERING, coordinator, secretary)
    pending = consulting_plan(plan.municipality, coordinator, title="Nog in inspraak")
    waiting = send(pending, name="Piet", email="piet@example.org", address="192.0.2.9")
    adopted_on = timezone.localdate(plan.adopted_round.decided_at)
    return plan, [person_remark, organisation_remark], waiting, adopted_on


def personal_data(remark) -> set:
    values = {remark.name, remark.email, remark.address_hash}
    for record in remark.history.all():
        values |= {record.name, record.email, record.address_hash}
    return values - {""}


def test_the_purge_removes_personal_data_after_the_retention_period_history_included(
    adopted, settings
):
    settings.SAFETYNET_REMARK_RETENTION_DAYS = 30
    plan, remarks, waiting, adopted_on = adopted
    assert all(personal_data(r) for r in remarks)

    # Exactly the retention period after the adoption: nothing yet.
    assert remarks_purge(today=adopted_on + 30 * DAY) == 0
    assert all(personal_data(Remark.objects.get(pk=r.pk)) for r in remarks)

    day = adopted_on + 31 * DAY
    assert remarks_purge(today=day) == 2
    for remark in remarks:
        remark.refresh_from_db()
        assert personal_data(remark) == set()
        assert remark.personal_data_removed_on == day
        assert remark.text.startswith("Tekst van")  # the text stays
        assert remark.redacted_text.startswith("Gepubliceerd")
        assert remark.history.count() >= 3
        latest = remark.history.order_by("-history_id").first()
        assert latest.history_change_reason == "Personal data removed after the retention period"
        assert all(r.text == remark.text for r in remark.history.all())
    assert remarks[1].organisation == "BIN Kerkwijk"  # an organisation is no personal data
    assert remarks[0].response.motivation  # the answers stay

    # The plan not yet adopted keeps its sender's data.
    waiting.refresh_from_db()
    assert personal_data(waiting) == {"Piet", "piet@example.org", address_hash("192.0.2.9")}
    assert waiting.personal_data_removed_on is None

    # Idempotent: a second run (the next day) changes nothing and writes no history.
    counts = [r.history.count() for r in remarks]
    assert remarks_purge(today=day + DAY) == 0
    assert [Remark.objects.get(pk=r.pk).history.count() for r in remarks] == counts
    assert Remark.objects.get(pk=remarks[0].pk).personal_data_removed_on == day


def test_the_purge_command_uses_the_retention_setting(adopted, settings):
    settings.SAFETYNET_REMARK_RETENTION_DAYS = 0
    plan, remarks, _waiting, _adopted_on = adopted
    out = io.StringIO()
    call_command("remarks_purge", stdout=out)
    assert out.getvalue() == "Personal data removed from 0 remarks.\n"  # adopted today
    assert all(Remark.objects.get(pk=r.pk).email for r in remarks)
    # The adoption two days back: the command removes the data.
    VoteRound.objects.filter(pk=plan.adopted_round_id).update(decided_at=timezone.now() - 2 * DAY)
    plan.council_decisions.update(date=timezone.localdate() - 2 * DAY)  # counted from the council
    out = io.StringIO()
    call_command("remarks_purge", stdout=out)
    assert out.getvalue() == "Personal data removed from 2 remarks.\n"
    assert not any(personal_data(Remark.objects.get(pk=r.pk)) for r in remarks)


# --- E-mails when the consultation opens and closes ---------------------------------------------


def _actor(municipality, name, **fields):
    return actor_create(
        municipality=municipality,
        by=None,
        form=ActorForm.ORGANISATION,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
        **fields,
    )


def test_the_kerngroep_and_the_actors_to_consult_hear_that_the_consultation_opens(
    lindenberg,
    heidebeek,
    coordinator,
    college,
    make_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    core = make_member(Role.CORE_GROUP, username="kern-1", email="kern1@example.org")
    make_member(Role.CORE_GROUP, username="kern-2", email="")
    make_member(Role.CORE_GROUP, username="kern-3", email="kern3@example.org", is_active=False)
    make_member(Role.VIEWER, username="kijker", email="kijker@example.org")
    make_member(Role.CORE_GROUP, municipality=heidebeek, email="kern-hb@example.org")
    _actor(lindenberg, "Politiezone", email="pz@example.org", consult=True)
    _actor(lindenberg, "Jeugdhuis", email="jh@example.org", consult=False)
    _actor(lindenberg, "Zonder adres", consult=True)
    _actor(lindenberg, "Gestopt", email="gestopt@example.org", consult=True, active=False)
    _actor(lindenberg, "Kern als actor", email="kern1@example.org", consult=True)
    _actor(heidebeek, "Politie Heidebeek", email="pz-hb@example.org", consult=True)

    plan = ready_plan(lindenberg, coordinator)
    now = timezone.now()
    consultation_set_dates(plan=plan, opens=now, closes=now + 30 * DAY, by=coordinator)
    vote_round = submit(plan, coordinator)
    *first, last = college
    all_vote(vote_round, first)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(vote_round=vote_round, member=last, choice="approve")
    plan.refresh_from_db()
    assert plan.state == PlanState.CONSULTATION
    public = f"/inspraak/lindenberg/{plan.pk}/"
    opened = [m for m in mailoutbox if public in m.body]
    assert sorted(a for m in opened for a in m.to) == [core.email, "pz@example.org"]
    closes = timezone.localtime(plan.consultation_closes).strftime("%d/%m/%Y %H:%M")
    for mail in opened:
        assert len(mail.to) == 1
        assert plan.title in mail.subject
        assert closes in mail.body


def test_no_e_mail_about_a_consultation_when_the_college_rejects(
    lindenberg, coordinator, college, make_member, mailoutbox, django_capture_on_commit_callbacks
):
    make_member(Role.CORE_GROUP, email="kern1@example.org")
    plan = ready_plan(lindenberg, coordinator)
    vote_round = submit(plan, coordinator)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        all_vote(vote_round, college, choice="reject")
    assert not [m for m in mailoutbox if "/inspraak/" in m.body]


def test_the_coordinators_get_a_summary_when_the_consultation_closes(
    plan,
    coordinator,
    make_member,
    other_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    second = make_member(Role.COORDINATOR, username="coordinator-2", language="en")
    make_member(Role.COORDINATOR, username="coordinator-3", email="")
    make_member(Role.VIEWER, username="kijker")
    send(plan, text="Een")
    send(plan, text="Twee", address="192.0.2.2")
    remark_moderate(
        remark=send(plan, text="Spam", address="192.0.2.3"), by=coordinator, status="spam"
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_close(plan=plan, by=coordinator, reason="Vroeger")
        assert mailoutbox == []
    assert sorted(a for m in mailoutbox for a in m.to) == sorted([coordinator.email, second.email])
    message = (
        "The consultation on “%(plan)s” has closed with %(total)s remarks, %(spam)s of them "
        "spam. Answer every other remark before submitting the plan for adoption.\n"
    )
    for mail in mailoutbox:
        language = "en" if mail.to == [second.email] else "nl"
        with translation.override(language):
            expected = gettext(message) % {"plan": plan.title, "total": 3, "spam": 1}
            assert mail.body == expected
            assert mail.subject == gettext("Consultation closed: %(plan)s") % {"plan": plan.title}
