"""Phase 4 services (``plans.services.steering``): progress reports by the promotor (personal
grant) and the coordinator, only for periods owed and only while the plan is steered; actions
ticked off and the action plan's status following its latest report; measurements; obstacles
the coordinator puts before the mayor and the mayor's answer, with their e-mails; the evaluation
that closing the plan waits for. Every write leaves a history record naming who acted."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

import pytest

from plans.constants import ActionPlanStatus, PlanState, ReportFrequency, ReportStatus
from plans.models import (
    Action,
    ActionPlan,
    Escalation,
    Goal,
    GoalEvaluation,
    Measurement,
    Plan,
    ProgressReport,
)
from plans.services import item_add, plan_close
from plans.services.steering import (
    NOT_STEERING,
    escalation_answer,
    escalation_raise,
    evaluation_problems,
    evaluation_write,
    may_report,
    measurement_record,
    measurement_update,
    report_update,
    reportable_periods,
    reporting_set,
)
from safetynet.concurrency import EditConflict, latest_version
from safetynet.constants import Role
from safetynet.models import User
from tests.plans import builders
from tests.plans.builders import (
    action_plan,
    budget,
    complete_plan,
    expected_result,
    measure,
    member,
    person,
    put_in_state,
    report,
    steer,
)

pytestmark = pytest.mark.django_db

D = datetime.date
S = PlanState
Q1, Q2, Q3 = D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30)
TODAY = timezone.localdate


def fresh(user):
    """The user as a new request would load them: permission answers are cached per object."""
    return User.objects.get(pk=user.pk)


def last_history(obj):
    record = obj.history.order_by("-history_id").first()
    return record.history_user, record.history_change_reason


# --- The scene: Lindenberg's plan in steering, two action plans with their own promotors ----------


@pytest.fixture
def members(lindenberg):
    """The college of five, the burgemeester (chair) first."""
    return builders.college(lindenberg, 5)


@pytest.fixture
def mayor(members):
    return members[0]


@pytest.fixture
def secretary(make_member):
    return make_member(Role.COUNCIL_SECRETARY, first_name="Hilde", last_name="Goossens")


@pytest.fixture
def ingrid(lindenberg):
    """The promotor of the first action plan, who logs in."""
    return member(lindenberg, Role.PROMOTOR, "Ingrid", "Wouters")


@pytest.fixture
def jan(lindenberg):
    """The promotor of the second action plan, who logs in too."""
    return member(lindenberg, Role.PROMOTOR, "Jan", "Maes")


@pytest.fixture
def built(lindenberg, coordinator, members, secretary, ingrid, jan):
    """The plan (adopted by the council on 1 March 2026, quarterly reports), Ingrid's action
    plan (``built.action_plan``) and Jan's (``built.other``)."""
    built = complete_plan(
        lindenberg, coordinator, promotor=person(lindenberg, "Ingrid Wouters", user=ingrid)
    )
    other = action_plan(
        built.operational_goal,
        coordinator,
        "Inbraakpreventie-advies aan huis",
        promotor=person(lindenberg, "Jan Maes", user=jan),
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
    )
    expected_result(other, coordinator, "Honderd adviezen per jaar")
    budget(other, coordinator, "800")
    item_add(item=Action(action_plan=other, title="Folder"), by=coordinator)
    steer(built.plan, coordinator, members, secretary)
    built.other = other
    return built


# --- Reports: who may write them ------------------------------------------------------------------


def test_the_promotor_reports_on_their_own_action_plan(built, ingrid):
    ap = built.action_plan
    assert may_report(fresh(ingrid), ap)
    written = report(
        ap,
        fresh(ingrid),
        Q1,
        ReportStatus.ON_TRACK,
        35,
        text="  Twee BIN's opgestart.  ",
        budget_spent=Decimal("420.50"),
        day=D(2026, 4, 8),
    )
    saved = ProgressReport.objects.get(action_plan=ap)
    assert saved == written
    assert (saved.period_end, saved.date, saved.author) == (Q1, D(2026, 4, 8), ingrid)
    assert (saved.status, saved.percent, saved.budget_spent) == ("on_track", 35, Decimal("420.50"))
    assert saved.text == "Twee BIN's opgestart."
    assert last_history(saved) == (ingrid, "Progress reported")


def test_the_coordinator_reports_on_any_action_plan(built, coordinator):
    for ap in (built.action_plan, built.other):
        written = report(ap, coordinator, Q2, ReportStatus.AT_RISK, 20)
        assert written.author == coordinator
        assert last_history(written) == (coordinator, "Progress reported")
    assert ProgressReport.objects.count() == 2


def test_a_promotor_may_not_report_on_another_promotors_action_plan(built, ingrid, jan):
    assert not may_report(fresh(ingrid), built.other)
    with pytest.raises(PermissionDenied):
        report(built.other, fresh(ingrid), Q1)
    with pytest.raises(PermissionDenied):
        report(built.action_plan, fresh(jan), Q1)
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.VIEWER, Role.COLLEGE, Role.CORE_GROUP, Role.COUNCIL_SECRETARY, Role.ADMIN]
)
def test_other_roles_may_not_report(built, make_member, role):
    user = make_member(role)
    assert not may_report(user, built.action_plan)
    with pytest.raises(PermissionDenied):
        report(built.action_plan, user, Q1)
    assert not ProgressReport.objects.exists()


def test_the_coordinator_of_another_municipality_may_not_report(built, other_coordinator):
    with pytest.raises(PermissionDenied):
        report(built.action_plan, other_coordinator, Q1)
    assert not ProgressReport.objects.exists()


# --- Reports: only while steered, only for periods owed -------------------------------------------


@pytest.mark.parametrize(
    "plan_state",
    [S.DRAFT, S.COLLEGE_REVIEW, S.CONSULTATION, S.REVISION, S.COUNCIL_ADOPTION, S.CLOSED],
)
def test_no_report_outside_steering(built, coordinator, plan_state):
    put_in_state(built.plan, plan_state)
    with pytest.raises(ValidationError) as refused:
        report(built.action_plan, coordinator, Q1)
    assert refused.value.code == "not_steering"
    assert refused.value.messages == [
        gettext(NOT_STEERING) % {"state": PlanState(plan_state).label}
    ]
    assert not ProgressReport.objects.exists()


def test_a_closed_plan_takes_no_more_reports_or_measurements(built, coordinator):
    report(built.action_plan, coordinator, Q1)
    for goal in Goal.objects.filter(plan=built.plan, parent=None):
        evaluation_write(goal=goal, by=coordinator, result="Grotendeels bereikt")
    plan_close(plan=built.plan, by=coordinator, reason="Einde van de planperiode")
    built.plan.refresh_from_db()
    assert built.plan.state == S.CLOSED

    with pytest.raises(ValidationError, match=str(PlanState.CLOSED.label)):
        report(built.action_plan, coordinator, Q2)
    with pytest.raises(ValidationError):
        report_update(report=ProgressReport.objects.get(), by=coordinator, percent=90)
    with pytest.raises(ValidationError):
        measure(built.indicator, coordinator, D(2026, 6, 30), "4")
    with pytest.raises(ValidationError):
        evaluation_write(goal=built.goal, by=coordinator, result="Toch anders")
    assert list(ProgressReport.objects.values_list("period_end", "percent")) == [(Q1, 40)]
    assert not Measurement.objects.exists()
    assert GoalEvaluation.objects.get(goal=built.goal).result == "Grotendeels bereikt"


@pytest.mark.parametrize(
    ("period_end", "day"),
    [
        (D(2025, 12, 31), D(2026, 11, 28)),  # ends before the council adopted the plan
        (D(2026, 5, 15), D(2026, 11, 28)),  # not the end of a quarter
        (D(2026, 4, 30), D(2026, 11, 28)),  # a month's end, but the rhythm is quarterly
        (D(2026, 12, 31), D(2026, 9, 30)),  # a period still to come
        (D(2028, 3, 31), D(2028, 4, 10)),  # after the action plan's end
    ],
)
def test_a_period_not_owed_is_refused(built, coordinator, period_end, day):
    with pytest.raises(ValidationError) as refused:
        report(built.action_plan, coordinator, period_end, day=day)
    assert "period_end" in refused.value.message_dict
    assert not ProgressReport.objects.exists()


def test_the_current_period_may_be_reported_before_it_ends(built, coordinator):
    early = report(built.action_plan, coordinator, Q3, day=D(2026, 9, 20))
    assert early.period_end == Q3


def test_a_period_already_reported_is_refused(built, ingrid, coordinator):
    report(built.action_plan, fresh(ingrid), Q1)
    periods = [p.end for p in reportable_periods(built.action_plan, D(2026, 7, 5))]
    assert periods == [Q3, Q2]  # latest first; Q1 is no longer offered
    with pytest.raises(ValidationError) as refused:
        report(built.action_plan, coordinator, Q1, ReportStatus.DELAYED, day=D(2026, 7, 5))
    assert "period_end" in refused.value.message_dict
    assert ProgressReport.objects.get().author == ingrid


def test_a_late_report_fills_its_own_period(built, coordinator):
    late = report(built.action_plan, coordinator, Q1, day=D(2026, 11, 2))
    assert (late.period_end, late.date) == (Q1, D(2026, 11, 2))


def test_an_action_plan_ending_early_owes_no_period_after_its_end(built, coordinator):
    periods = [p.end for p in reportable_periods(built.other, D(2027, 3, 20))]
    assert periods == [D(2026, 12, 31), Q3, Q2, Q1]


def test_a_percentage_over_100_is_refused(built, coordinator):
    with pytest.raises(ValidationError) as refused:
        report(built.action_plan, coordinator, Q1, percent=101)
    assert "percent" in refused.value.message_dict
    assert not ProgressReport.objects.exists()


# --- Reports: actions ticked off and the action plan's status -------------------------------------


def test_ticked_actions_are_done_with_history(built, ingrid):
    second = item_add(item=Action(action_plan=built.action_plan, title="Flyers"), by=None)
    written = report(built.action_plan, fresh(ingrid), Q1, actions_done=[built.action])
    assert written.actions_done == [built.action.pk]
    built.action.refresh_from_db()
    second.refresh_from_db()
    assert built.action.done is True
    assert second.done is False
    assert last_history(built.action) == (ingrid, "Ticked off in a progress report")

    history_before = built.action.history.count()
    corrected = report_update(
        report=written, by=fresh(ingrid), actions_done=[built.action, second], text="Meer"
    )
    second.refresh_from_db()
    assert second.done is True
    assert sorted(corrected.actions_done) == sorted([built.action.pk, second.pk])
    assert built.action.history.count() == history_before  # already done: not saved again


def test_an_action_of_another_action_plan_cannot_be_ticked_off(built, ingrid, coordinator):
    foreign = built.other.actions.get()
    with pytest.raises(ValidationError) as refused:
        report(built.action_plan, coordinator, Q1, actions_done=[foreign])
    assert "actions_done" in refused.value.message_dict
    foreign.refresh_from_db()
    assert foreign.done is False
    assert not ProgressReport.objects.exists()


def test_the_action_plans_status_follows_its_latest_report(built, ingrid):
    ap, user = built.action_plan, fresh(ingrid)

    def status():
        return ActionPlan.objects.values_list("status", flat=True).get(pk=ap.pk)

    report(ap, user, Q2, ReportStatus.NOT_STARTED, 0)
    assert status() == ActionPlanStatus.PLANNED
    report(ap, user, Q3, ReportStatus.AT_RISK, 30)
    assert status() == ActionPlanStatus.RUNNING
    # A late report for an earlier period does not overrule the latest one.
    report(ap, user, Q1, ReportStatus.DONE, 100, day=D(2026, 10, 20))
    assert status() == ActionPlanStatus.RUNNING
    latest = ProgressReport.objects.get(action_plan=ap, period_end=Q3)
    report_update(report=latest, by=user, status=ReportStatus.STOPPED)
    assert status() == ActionPlanStatus.STOPPED
    ap.refresh_from_db()
    assert last_history(ap) == (ingrid, "Status from the latest progress report")
    assert ActionPlan.objects.get(pk=built.other.pk).status == ActionPlanStatus.PLANNED


def test_after_a_report_of_done_an_earlier_period_may_still_be_filled(built, coordinator):
    report(built.action_plan, coordinator, Q2, ReportStatus.DONE, 100)
    assert ActionPlan.objects.get(pk=built.action_plan.pk).status == ActionPlanStatus.DONE
    assert Q1 in [p.end for p in reportable_periods(built.action_plan, D(2026, 11, 28))]
    report(built.action_plan, coordinator, Q1, ReportStatus.ON_TRACK, 60, day=D(2026, 11, 28))
    # The latest period's report still decides.
    assert ActionPlan.objects.get(pk=built.action_plan.pk).status == ActionPlanStatus.DONE


# --- Reports: corrections -------------------------------------------------------------------------


def test_correcting_a_report_keeps_its_period_and_records_who(built, ingrid, coordinator):
    written = report(built.action_plan, fresh(ingrid), Q1, ReportStatus.ON_TRACK, 40)
    report_update(
        report=written,
        by=coordinator,
        version=latest_version(written),
        percent=55,
        text=" Bijgesteld ",
        period_end=Q2,  # not a field a correction changes
    )
    written.refresh_from_db()
    assert (written.period_end, written.percent, written.text) == (Q1, 55, "Bijgesteld")
    assert written.author == ingrid  # the author stays; the history names who corrected
    assert last_history(written) == (coordinator, "Progress report corrected")


def test_a_stale_correction_raises_an_edit_conflict(built, ingrid, coordinator):
    written = report(built.action_plan, fresh(ingrid), Q1, percent=40)
    loaded_at = latest_version(written)
    report_update(
        report=ProgressReport.objects.get(pk=written.pk), by=coordinator, percent=60, version=None
    )
    with pytest.raises(EditConflict) as conflict:
        report_update(
            report=ProgressReport.objects.get(pk=written.pk),
            by=fresh(ingrid),
            version=loaded_at,
            percent=45,
        )
    assert conflict.value.changes  # what the coordinator changed
    assert ProgressReport.objects.get(pk=written.pk).percent == 60


def test_another_promotor_may_not_correct_a_report(built, ingrid, jan):
    written = report(built.action_plan, fresh(ingrid), Q1, percent=40)
    with pytest.raises(PermissionDenied):
        report_update(report=written, by=fresh(jan), percent=0)
    assert ProgressReport.objects.get(pk=written.pk).percent == 40


# --- Measurements ---------------------------------------------------------------------------------


def test_the_promotor_records_a_measurement_with_history(built, ingrid):
    measured = measure(built.indicator, fresh(ingrid), D(2026, 6, 30), "3", comment=" Telling ")
    saved = Measurement.objects.get()
    assert saved == measured
    assert (saved.date, saved.value, saved.author) == (D(2026, 6, 30), Decimal("3.00"), ingrid)
    assert saved.comment == "Telling"
    assert last_history(saved) == (ingrid, "Measurement recorded")


def test_a_promotor_may_not_measure_another_action_plans_indicator(built, jan):
    with pytest.raises(PermissionDenied):
        measure(built.indicator, fresh(jan), D(2026, 6, 30), "3")
    assert not Measurement.objects.exists()


def test_a_viewer_may_not_measure(built, viewer):
    with pytest.raises(PermissionDenied):
        measure(built.indicator, viewer, D(2026, 6, 30), "3")
    assert not Measurement.objects.exists()


def test_a_measurement_in_the_future_is_refused_today_is_not(built, coordinator):
    with pytest.raises(ValidationError) as refused:
        measure(built.indicator, coordinator, TODAY() + datetime.timedelta(days=1), "5")
    assert "date" in refused.value.message_dict
    assert not Measurement.objects.exists()
    assert measure(built.indicator, coordinator, TODAY(), "5").date == TODAY()


def test_one_measurement_per_indicator_and_day(built, coordinator):
    measure(built.indicator, coordinator, D(2026, 6, 30), "3")
    with pytest.raises(ValidationError):
        measure(built.indicator, coordinator, D(2026, 6, 30), "4")
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("3.00")]


def test_correcting_a_measurement(built, ingrid, coordinator):
    measured = measure(built.indicator, fresh(ingrid), D(2026, 6, 30), "3")
    loaded_at = latest_version(measured)
    measurement_update(measurement=measured, by=coordinator, version=loaded_at, value=Decimal(4))
    measured.refresh_from_db()
    assert measured.value == Decimal(4)
    assert last_history(measured) == (coordinator, "Measurement corrected")

    with pytest.raises(EditConflict):
        measurement_update(
            measurement=Measurement.objects.get(pk=measured.pk),
            by=fresh(ingrid),
            version=loaded_at,
            value=Decimal(2),
        )
    with pytest.raises(ValidationError) as future:
        measurement_update(
            measurement=Measurement.objects.get(pk=measured.pk),
            by=coordinator,
            date=TODAY() + datetime.timedelta(days=3),
        )
    assert "date" in future.value.message_dict
    measured.refresh_from_db()
    assert (measured.date, measured.value) == (D(2026, 6, 30), Decimal(4))


def test_a_measurement_needs_the_plan_in_steering(built, coordinator):
    put_in_state(built.plan, S.REVISION)
    with pytest.raises(ValidationError) as refused:
        measurement_record(
            indicator=built.indicator, by=coordinator, date=D(2026, 6, 30), value=Decimal(3)
        )
    assert refused.value.code == "not_steering"
    assert not Measurement.objects.exists()


# --- Obstacles for the mayor ----------------------------------------------------------------------


def test_the_coordinator_raises_an_obstacle_and_the_mayor_is_mailed(
    built, coordinator, mayor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raised = escalation_raise(
            plan=built.plan,
            by=coordinator,
            action_plan=built.action_plan,
            text=" De politie levert geen patrouilles meer. ",
        )
    saved = Escalation.objects.get()
    assert saved == raised
    assert (saved.text, saved.raised_by, saved.action_plan) == (
        "De politie levert geen patrouilles meer.",
        coordinator,
        built.action_plan,
    )
    assert saved.is_open
    assert last_history(saved) == (coordinator, "Obstacle put before the mayor")
    assert [mail.to for mail in mailoutbox] == [[mayor.email]]
    assert "De politie levert geen patrouilles meer." in mailoutbox[0].body
    assert f"/plans/{built.plan.pk}/obstacles/" in mailoutbox[0].body


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PROMOTOR, Role.COLLEGE, Role.CORE_GROUP])
def test_only_the_coordinator_raises_obstacles(built, make_member, role, mailoutbox):
    with pytest.raises(PermissionDenied):
        escalation_raise(plan=built.plan, by=make_member(role), text="Help")
    assert not Escalation.objects.exists()
    assert mailoutbox == []


def test_an_obstacle_about_another_plans_goal_is_refused(built, coordinator, lindenberg):
    elsewhere = complete_plan(lindenberg, coordinator, title="Een ander plan")
    with pytest.raises(ValidationError) as refused:
        escalation_raise(plan=built.plan, by=coordinator, goal=elsewhere.goal, text="Help")
    assert "goal" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        escalation_raise(plan=built.plan, by=coordinator, text="   ")
    assert "text" in refused.value.message_dict
    assert not Escalation.objects.exists()


def test_only_the_mayor_answers_once_and_the_coordinator_is_mailed(
    built, coordinator, members, mayor, mailoutbox, django_capture_on_commit_callbacks
):
    raised = escalation_raise(plan=built.plan, by=coordinator, goal=built.goal, text="Help")
    for outsider in (members[1], coordinator):  # a schepen, the coordinator
        with pytest.raises(PermissionDenied):
            escalation_answer(escalation=raised, by=outsider, answer="Ik regel het")
    assert Escalation.objects.get().is_open

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        escalation_answer(escalation=raised, by=mayor, answer=" Ik breng het op de zonale raad. ")
    answered = Escalation.objects.get()
    assert (answered.answer, answered.answered_by) == ("Ik breng het op de zonale raad.", mayor)
    assert answered.answered_at is not None
    assert not answered.is_open
    assert last_history(answered) == (mayor, "Answered by the mayor")
    assert [mail.to for mail in mailoutbox] == [[coordinator.email]]
    assert "Ik breng het op de zonale raad." in mailoutbox[0].body

    with pytest.raises(ValidationError) as twice:
        escalation_answer(escalation=answered, by=mayor, answer="Nog iets")
    assert twice.value.code == "answered"
    assert Escalation.objects.get().answer == "Ik breng het op de zonale raad."


def test_the_mayor_of_another_municipality_may_not_answer(built, coordinator, heidebeek):
    raised = escalation_raise(plan=built.plan, by=coordinator, text="Help")
    other_mayor = builders.college(heidebeek, 1)[0]
    with pytest.raises(PermissionDenied):
        escalation_answer(escalation=raised, by=other_mayor, answer="Niet mijn gemeente")
    assert Escalation.objects.get().is_open


def test_an_empty_answer_is_refused(built, coordinator, mayor):
    raised = escalation_raise(plan=built.plan, by=coordinator, text="Help")
    with pytest.raises(ValidationError) as refused:
        escalation_answer(escalation=raised, by=mayor, answer="  ")
    assert "answer" in refused.value.message_dict
    assert Escalation.objects.get().is_open


# --- The evaluation and closing -------------------------------------------------------------------


def test_closing_waits_for_the_evaluation_of_every_strategic_goal(built, coordinator):
    second = item_add(item=Goal(plan=built.plan, title="Minder overlast"), by=coordinator)
    assert len(evaluation_problems(built.plan)) == 2
    with pytest.raises(ValidationError) as refused:
        plan_close(plan=built.plan, by=coordinator, reason="Einde")
    assert refused.value.messages == evaluation_problems(built.plan)
    assert Plan.objects.get(pk=built.plan.pk).state == S.STEERING

    evaluation = evaluation_write(
        goal=built.goal, by=coordinator, result=" Inbraken -30 % ", lessons=" Vroeger starten "
    )
    assert (evaluation.result, evaluation.lessons) == ("Inbraken -30 %", "Vroeger starten")
    assert last_history(evaluation) == (coordinator, "Evaluated")
    problems = evaluation_problems(built.plan)
    assert problems == [
        gettext("The strategic goal “%(title)s” has no evaluation yet.") % {"title": second.title}
    ]
    with pytest.raises(ValidationError) as refused:
        plan_close(plan=built.plan, by=coordinator, reason="Einde")
    assert refused.value.messages == problems

    evaluation_write(goal=second, by=coordinator, result="Overlast stabiel")
    assert evaluation_problems(built.plan) == []  # the operational goal needs none
    plan_close(plan=built.plan, by=coordinator, reason="Einde van de planperiode")
    assert Plan.objects.get(pk=built.plan.pk).state == S.CLOSED


def test_rewriting_an_evaluation_changes_it_and_the_same_text_writes_nothing(built, coordinator):
    evaluation_write(goal=built.goal, by=coordinator, result="Bereikt")
    evaluation_write(goal=built.goal, by=coordinator, result="Bereikt")
    evaluation = GoalEvaluation.objects.get(goal=built.goal)
    assert evaluation.history.count() == 1
    evaluation_write(goal=built.goal, by=coordinator, result="Grotendeels bereikt")
    evaluation.refresh_from_db()
    assert evaluation.result == "Grotendeels bereikt"
    assert last_history(evaluation) == (coordinator, "Evaluation changed")
    assert GoalEvaluation.objects.count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PROMOTOR, Role.COLLEGE])
def test_only_the_coordinator_evaluates(built, make_member, role):
    with pytest.raises(PermissionDenied):
        evaluation_write(goal=built.goal, by=make_member(role), result="Bereikt")
    assert not GoalEvaluation.objects.exists()


def test_an_evaluation_needs_a_result(built, coordinator):
    with pytest.raises(ValidationError) as refused:
        evaluation_write(goal=built.goal, by=coordinator, result="  ")
    assert "result" in refused.value.message_dict
    assert not GoalEvaluation.objects.exists()


# --- The reporting rhythm -------------------------------------------------------------------------


def test_the_coordinator_sets_the_reporting_rhythm(built, coordinator, ingrid):
    reporting_set(
        plan=built.plan,
        by=coordinator,
        report_frequency=ReportFrequency.MONTHLY,
        reports_from=D(2026, 9, 1),
    )
    built.plan.refresh_from_db()
    assert (built.plan.report_frequency, built.plan.reports_from) == (1, D(2026, 9, 1))
    assert last_history(built.plan) == (coordinator, "Reporting rhythm set")
    periods = [p.end for p in reportable_periods(built.action_plan, D(2026, 11, 5))]
    assert periods == [D(2026, 11, 30), D(2026, 10, 31), Q3]

    with pytest.raises(PermissionDenied):
        reporting_set(plan=built.plan, by=fresh(ingrid), report_frequency=12, reports_from=None)
    assert Plan.objects.get(pk=built.plan.pk).report_frequency == 1


def test_the_council_adopting_sets_reports_from_to_its_decision_date(built):
    assert built.plan.reports_from == builders.ADOPTED_ON
    assert built.plan.report_frequency == ReportFrequency.QUARTERLY
