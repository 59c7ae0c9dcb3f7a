"""The daily e-mail reminders of progress reports (``manage.py report_reminders``): a promotor
is reminded of a report due soon exactly inside the window and of an overdue one the day after
its due date, once each; one e-mail per promotor, in their language; the coordinators get a
summary of what became overdue; nothing for a plan not in steering; queries do not grow with
the action plans; two runs at once send each reminder once.

The plan reports quarterly from 1 January 2026 with 14 days' grace and a 7-day window: the
first quarter's report (31 March) is due on 14 April, reminded from 7 April, overdue on 15."""

import datetime
from decimal import Decimal
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from actors.data import ensure_shipped as ensure_actor_kinds
from plans.constants import PlanState, ReportStatus
from plans.data import ensure_shipped as ensure_phenomena
from plans.models import ReportReminder
from plans.services.reminders import reminders_send
from plans.services.steering import report_submit, reporting_set
from safetynet.constants import Role
from tests.factories import MembershipFactory, UserFactory
from tests.plans.builders import action_plan, complete_plan, person, put_in_state
from tests.plans.test_concurrency_pg import at_once

pytestmark = pytest.mark.django_db

D = datetime.date
Q1_END = D(2026, 3, 31)
Q1_DUE = D(2026, 4, 14)
NOTHING = {"due": 0, "overdue": 0, "emails": 0}
BASE_URL = "https://veiligheid.example.be"


@pytest.fixture(autouse=True)
def _rhythm(settings):
    settings.SAFETYNET_REPORT_GRACE_DAYS = 14
    settings.SAFETYNET_REPORT_REMINDER_DAYS = 7
    settings.SAFETYNET_BASE_URL = BASE_URL


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """``run(day)``: the reminders of that day, with the e-mails sent on commit."""

    def remind(day):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(day)

    return remind


@pytest.fixture
def ingrid(lindenberg):
    return UserFactory(
        username="ingrid",
        first_name="Ingrid",
        last_name="Wouters",
        email="ingrid@example.org",
        language="en",
        home_municipality=lindenberg,
    )


def steered(municipality, coordinator, promotor):
    """A plan in steering whose action plan has ``promotor``, reporting quarterly from 2026."""
    built = complete_plan(municipality, coordinator, promotor=promotor)
    put_in_state(built.plan, PlanState.STEERING)
    reporting_set(plan=built.plan, by=coordinator, report_frequency=3, reports_from=D(2026, 1, 1))
    return built


@pytest.fixture
def built(lindenberg, coordinator, ingrid):
    promotor = person(lindenberg, "Ingrid Wouters", user=ingrid, by=coordinator)
    return steered(lindenberg, coordinator, promotor)


def to(mailoutbox, address):
    return [mail for mail in mailoutbox if mail.to == [address]]


def steering_link(built, action_plan=None):
    action_plan = action_plan or built.action_plan
    return f"{BASE_URL}/lindenberg/plans/{built.plan.pk}/steering/{action_plan.pk}/"


# --- Due soon and overdue --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (Q1_DUE - datetime.timedelta(days=8), 0),  # a day before the window
        (Q1_DUE - datetime.timedelta(days=7), 1),  # its first day
        (Q1_DUE, 1),  # the due date itself, still in the window
    ],
)
def test_a_report_due_soon_is_reminded_inside_the_window_only(
    built, run, mailoutbox, ingrid, day, due
):
    counts = run(day)
    assert counts == {"due": due, "overdue": 0, "emails": due}
    assert len(mailoutbox) == due
    if due:
        mail = mailoutbox[0]
        assert mail.to == [ingrid.email]
        assert mail.subject == "Progress reports due soon for the security plan"
        assert built.action_plan.title in mail.body
        assert steering_link(built) in mail.body
        assert "period 1 January 2026 – 31 March 2026, report due on 14 April 2026" in mail.body
        assert "Overdue" not in mail.body
        reminder = ReportReminder.objects.get()
        assert (reminder.action_plan, reminder.period_end, reminder.kind) == (
            built.action_plan,
            Q1_END,
            ReportReminder.Kind.DUE,
        )


def test_the_due_soon_reminder_goes_once_then_the_overdue_one_the_day_after_the_due_date(
    built, run, mailoutbox, ingrid
):
    assert run(Q1_DUE - datetime.timedelta(days=7))["due"] == 1
    assert run(Q1_DUE - datetime.timedelta(days=3)) == NOTHING
    assert run(Q1_DUE) == NOTHING
    assert len(mailoutbox) == 1

    counts = run(Q1_DUE + datetime.timedelta(days=1))
    assert counts == {"due": 0, "overdue": 1, "emails": 2}  # the promotor and the coordinator
    (mail,) = to(mailoutbox, ingrid.email)[1:]
    assert mail.subject == "Overdue progress reports for the security plan"
    assert "Overdue — the report was due and has not been written yet:" in mail.body
    assert steering_link(built) in mail.body
    assert run(Q1_DUE + datetime.timedelta(days=2)) == NOTHING
    assert ReportReminder.objects.count() == 2


def test_no_reminder_once_the_report_is_written(built, run, mailoutbox, coordinator):
    report_submit(
        action_plan=built.action_plan,
        by=coordinator,
        period_end=Q1_END,
        status=ReportStatus.ON_TRACK,
        percent=30,
        text="Twee infoavonden gehouden.",
        budget_spent=Decimal("200"),
        day=D(2026, 4, 2),
    )
    assert run(Q1_DUE - datetime.timedelta(days=7)) == NOTHING
    assert run(Q1_DUE + datetime.timedelta(days=1)) == NOTHING
    assert mailoutbox == []
    assert not ReportReminder.objects.exists()


def test_a_second_run_the_same_day_sends_nothing(built, run, mailoutbox):
    day = Q1_DUE + datetime.timedelta(days=1)
    assert run(day) == {"due": 0, "overdue": 1, "emails": 2}
    assert run(day) == NOTHING
    assert len(mailoutbox) == 2


def test_one_e_mail_per_promotor_lists_all_their_reports(
    built, run, mailoutbox, ingrid, coordinator
):
    second = action_plan(
        built.operational_goal,
        coordinator,
        "Cameratoezicht op het marktplein",
        promotor=built.promotor,
        start=D(2026, 1, 1),
    )
    # First run on 10 July: the first quarter is overdue, the second due on 14 July.
    counts = run(D(2026, 7, 10))
    assert counts == {"due": 2, "overdue": 2, "emails": 2}
    (mail,) = to(mailoutbox, ingrid.email)
    assert mail.subject == "Overdue progress reports for the security plan"
    overdue, due = mail.body.split("Due soon — the report is due within 7 days:")
    for part in (overdue, due):
        assert steering_link(built) in part
        assert steering_link(built, second) in part
    assert "report due on 14 April 2026" in overdue
    assert "report due on 14 July 2026" in due


# --- Who is reminded -------------------------------------------------------------------------


def test_a_plan_not_in_steering_gets_nothing(built, run, mailoutbox, lindenberg, coordinator):
    put_in_state(built.plan, PlanState.CLOSED)
    complete_plan(lindenberg, coordinator, title="Ontwerp", promotor=built.promotor)  # a draft
    assert run(Q1_DUE + datetime.timedelta(days=1)) == NOTHING
    assert mailoutbox == []


def test_a_promotor_without_an_account_is_reached_at_the_actors_address_in_dutch(
    lindenberg, coordinator, run, mailoutbox
):
    promotor = person(lindenberg, "Jan Maes", email="jan.maes@example.org", by=coordinator)
    steered(lindenberg, coordinator, promotor)
    assert run(Q1_DUE)["emails"] == 1
    (mail,) = mailoutbox
    assert mail.to == ["jan.maes@example.org"]
    assert "31 maart 2026" in mail.body  # the dates are written in Dutch


def test_the_account_address_comes_before_the_actors_own(
    lindenberg, coordinator, ingrid, run, mailoutbox
):
    promotor = person(
        lindenberg, "Ingrid Wouters", user=ingrid, email="secretariaat@example.org", by=coordinator
    )
    steered(lindenberg, coordinator, promotor)
    run(Q1_DUE)
    assert [mail.to for mail in mailoutbox] == [[ingrid.email]]


def test_a_promotor_without_an_address_is_not_reminded_and_nothing_is_recorded(
    lindenberg, coordinator, run, mailoutbox
):
    steered(lindenberg, coordinator, person(lindenberg, "Zonder Adres", by=coordinator))
    assert run(Q1_DUE + datetime.timedelta(days=1)) == NOTHING
    assert mailoutbox == []
    assert not ReportReminder.objects.exists()


def test_the_e_mail_is_in_the_promotors_language(built, run, mailoutbox, ingrid):
    ingrid.language = "fr"
    ingrid.save()
    run(Q1_DUE)
    (mail,) = mailoutbox
    assert mail.body.startswith("Bonjour Ingrid Wouters,")
    assert "31 mars 2026" in mail.body
    assert "14 avril 2026" in mail.body


def test_the_coordinators_get_a_summary_of_what_became_overdue(
    built, run, mailoutbox, lindenberg, heidebeek, coordinator, make_member, ingrid
):
    coordinator.language = "en"
    coordinator.save()
    make_member(Role.COORDINATOR, username="former", is_active=False)
    make_member(Role.COORDINATOR, username="no-address", email="")
    make_member(Role.COORDINATOR, municipality=heidebeek, username="elsewhere")
    make_member(Role.VIEWER, username="viewer")

    run(Q1_DUE)  # only due soon: no summary
    assert to(mailoutbox, coordinator.email) == []

    run(Q1_DUE + datetime.timedelta(days=1))
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(
        [ingrid.email, ingrid.email, coordinator.email]
    )
    (summary,) = to(mailoutbox, coordinator.email)
    assert summary.subject == "1 progress report overdue in Lindenberg"
    assert built.plan.title in summary.body
    assert f"{built.action_plan.title} (promotor: Ingrid Wouters)" in summary.body
    assert "report due on 14 April 2026" in summary.body
    assert steering_link(built) in summary.body
    assert f"{BASE_URL}/lindenberg/monitor/?plan={built.plan.pk}" in summary.body


# --- Queries, the command, concurrency -------------------------------------------------------


def test_the_queries_do_not_grow_with_the_action_plans(built, run, lindenberg, coordinator, ingrid):
    def queries():
        run(Q1_DUE + datetime.timedelta(days=1))  # records what is new
        with CaptureQueriesContext(connection) as captured:
            assert run(Q1_DUE + datetime.timedelta(days=1)) == NOTHING
        return len(captured)

    few = queries()
    for number in range(5):
        user = UserFactory(username=f"promotor{number}", home_municipality=lindenberg)
        promotor = person(lindenberg, f"Promotor {number}", user=user, by=coordinator)
        action_plan(built.operational_goal, coordinator, f"Actieplan {number}", promotor=promotor)
    assert queries() == few


def test_the_command_runs_as_of_a_date_and_prints_the_counts(
    built, mailoutbox, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("report_reminders", "--date", "2026-04-15", stdout=out)
    assert out.getvalue().strip() == "Reminders: 0 due soon, 1 overdue; 2 e-mails sent."
    assert len(mailoutbox) == 2

    out = StringIO()
    call_command("report_reminders", "--date", "2026-04-15", stdout=out)
    assert out.getvalue().strip() == "Reminders: 0 due soon, 0 overdue; 0 e-mails sent."

    with pytest.raises(CommandError):
        call_command("report_reminders", "--date", "15/04/2026")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(postgres, lindenberg, mailoutbox):
    ensure_actor_kinds()  # a transactional test flushes the shipped rows after it
    ensure_phenomena()
    coordinator = UserFactory(username="coordinator", home_municipality=lindenberg)
    MembershipFactory(user=coordinator, municipality=lindenberg, role=Role.COORDINATOR)
    user = UserFactory(username="ingrid", email="ingrid@example.org", home_municipality=lindenberg)
    steered(lindenberg, coordinator, person(lindenberg, "Ingrid Wouters", user=user))
    mailoutbox.clear()

    day = Q1_DUE + datetime.timedelta(days=1)
    outcomes = at_once(*[lambda: reminders_send(day)] * 4)
    assert [error for _result, error in outcomes if error is not None] == []
    assert sorted(result["overdue"] for result, _error in outcomes) == [0, 0, 0, 1]
    assert ReportReminder.objects.count() == 1
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(
        [user.email, coordinator.email]
    )
