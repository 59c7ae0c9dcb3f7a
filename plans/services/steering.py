"""Phase 4, steering and follow-up: progress reports, measurements, obstacles put before the
mayor, the evaluation per goal, and the reporting rhythm.

Who may do what: a promotor reports on (and measures for) their own action plans through the
personal grant ``plans.change_actionplan`` they hold on them; the coordinator on every action
plan through the same permission at the municipality. Reports and measurements are taken only
while the plan is in steering: a closed plan keeps its monitor as it was."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plans.constants import ACTION_PLAN_STATUS_OF_REPORT, PlanState
from plans.models import (
    Action,
    ActionPlan,
    Escalation,
    Goal,
    GoalEvaluation,
    Indicator,
    Measurement,
    Plan,
    ProgressReport,
)
from plans.periods import Period, owed_periods, period_of
from plans.services.consultation import absolute_url
from safetynet.concurrency import check_version, lock_row
from safetynet.constants import Role
from safetynet.history import validated_save as _save
from safetynet.models import Membership
from safetynet.permissions import has_perm

REPORT_PERM = "plans.change_actionplan"
NOT_STEERING = gettext_noop(
    "The plan is in “%(state)s”: reports, measurements and evaluations are taken only while it "
    "is steered."
)


def grace_days() -> int:
    return settings.SAFETYNET_REPORT_GRACE_DAYS


def may_report(user, action_plan: ActionPlan) -> bool:
    """The promotor of the action plan (personal grant) or the coordinator (role)."""
    return has_perm(user, REPORT_PERM, action_plan)


def _check_steering(plan: Plan) -> None:
    if plan.state != PlanState.STEERING:
        raise ValidationError(
            _(NOT_STEERING) % {"state": plan.get_state_display()}, code="not_steering"
        )


def _locked_plan(plan: Plan) -> Plan:
    lock_row(plan)
    plan.refresh_from_db(fields=["state", "report_frequency", "reports_from"])
    _check_steering(plan)
    return plan


def reportable_periods(action_plan: ActionPlan, day: datetime.date | None = None) -> list[Period]:
    """The periods a report may be written for now: every period owed up to the current one
    (a late report fills its own period), latest first."""
    day = day or timezone.localdate()
    plan = action_plan.goal.plan
    reports = dict(action_plan.reports.values_list("period_end", "status"))
    owed = owed_periods(
        reports_from=plan.reports_from,
        months=plan.report_frequency,
        grace=grace_days(),
        until=day,
        start=action_plan.start,
        end=action_plan.end,
        reports=reports,  # none after a period reported done or stopped; earlier ones stay
    )
    return [period for period in reversed(owed) if period.end not in reports]


# --- Progress reports --------------------------------------------------------------------------


def _check_actions(action_plan: ActionPlan, actions) -> list[Action]:
    actions = list(actions)
    foreign = [a for a in actions if a.action_plan_id != action_plan.pk or a.archived_at]
    if foreign:
        raise ValidationError(
            {"actions_done": _("Tick off only current actions of this action plan.")}
        )
    return actions


def _tick_off(actions: list[Action], by) -> list[int]:
    ticked = []
    for action in actions:
        if not action.done:
            action.done = True
            _save(action, by, gettext_noop("Ticked off in a progress report"))
        ticked.append(action.pk)
    return ticked


def _follow_latest(action_plan: ActionPlan, by) -> None:
    """The action plan's own status follows its latest report."""
    latest = action_plan.reports.order_by("-period_end", "-pk").first()
    if latest is None:
        return
    status = ACTION_PLAN_STATUS_OF_REPORT[latest.status]
    if action_plan.status != status:
        action_plan.status = status
        _save(action_plan, by, gettext_noop("Status from the latest progress report"))


@transaction.atomic
def report_submit(
    *,
    action_plan: ActionPlan,
    by,
    period_end: datetime.date,
    status: str,
    percent: int,
    text: str,
    budget_spent: Decimal = Decimal(0),
    actions_done=(),
    day: datetime.date | None = None,
) -> ProgressReport:
    """The promotor (or the coordinator) reports on an action plan for one period owed."""
    if not may_report(by, action_plan):
        raise PermissionDenied
    _locked_plan(action_plan.goal.plan)
    lock_row(action_plan)
    if action_plan.archived_at is not None:
        raise ValidationError(_("This action plan was removed from the plan."))
    allowed = {period.end for period in reportable_periods(action_plan, day)}
    if period_end not in allowed:
        raise ValidationError(
            {"period_end": _("Choose a period for which a report is owed and not yet written.")}
        )
    actions = _check_actions(action_plan, actions_done)
    report = ProgressReport(
        action_plan=action_plan,
        period_end=period_end,
        date=day or timezone.localdate(),
        author=by,
        status=status,
        percent=percent,
        text=text.strip(),
        budget_spent=budget_spent,
    )
    report.actions_done = _tick_off(actions, by)
    _save(report, by, gettext_noop("Progress reported"))
    _follow_latest(action_plan, by)
    return report


@transaction.atomic
def report_update(
    *, report: ProgressReport, by, version: int | None = None, actions_done=(), **fields
) -> ProgressReport:
    """Correct a report (its period stays): the promotor or the coordinator, while steering."""
    action_plan = report.action_plan
    if not may_report(by, action_plan):
        raise PermissionDenied
    _locked_plan(action_plan.goal.plan)
    lock_row(report)
    check_version(report, version)
    for name in ("status", "percent", "text", "budget_spent"):
        if name in fields:
            setattr(report, name, fields[name].strip() if name == "text" else fields[name])
    actions = _check_actions(action_plan, actions_done)
    report.actions_done = sorted(set(report.actions_done) | set(_tick_off(actions, by)))
    _save(report, by, gettext_noop("Progress report corrected"))
    _follow_latest(action_plan, by)
    return report


# --- Measurements ------------------------------------------------------------------------------


def _indicator_action_plan(indicator: Indicator) -> ActionPlan:
    return indicator.expected_result.action_plan


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    by,
    date: datetime.date,
    value: Decimal,
    source: str = "",
    comment: str = "",
) -> Measurement:
    action_plan = _indicator_action_plan(indicator)
    if not may_report(by, action_plan):
        raise PermissionDenied
    _locked_plan(action_plan.goal.plan)
    if indicator.archived_at is not None:
        raise ValidationError(_("This indicator was removed from the plan."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("A measurement cannot lie in the future.")})
    measurement = Measurement(
        indicator=indicator,
        date=date,
        value=value,
        source=source.strip() or indicator.source,
        comment=comment.strip(),
        author=by,
    )
    return _save(measurement, by, gettext_noop("Measurement recorded"))


@transaction.atomic
def measurement_update(
    *, measurement: Measurement, by, version: int | None = None, **fields
) -> Measurement:
    action_plan = _indicator_action_plan(measurement.indicator)
    if not may_report(by, action_plan):
        raise PermissionDenied
    _locked_plan(action_plan.goal.plan)
    lock_row(measurement)
    check_version(measurement, version)
    if "date" in fields and fields["date"] > timezone.localdate():
        raise ValidationError({"date": _("A measurement cannot lie in the future.")})
    for name in ("date", "value", "source", "comment"):
        if name in fields:
            value = fields[name]
            setattr(measurement, name, value.strip() if isinstance(value, str) else value)
    return _save(measurement, by, gettext_noop("Measurement corrected"))


# --- Obstacles for the mayor -------------------------------------------------------------------


def mayor_of(municipality_id: int):
    """The chair of the college (the mayor), or None."""
    membership = (
        Membership.objects.filter(
            municipality_id=municipality_id,
            role=Role.COLLEGE,
            is_chair=True,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def is_mayor(user, municipality_id: int) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(
            municipality_id=municipality_id, user=user, role=Role.COLLEGE, is_chair=True
        ).exists()
    )


@transaction.atomic
def escalation_raise(
    *, plan: Plan, by, text: str, goal: Goal | None = None, action_plan: ActionPlan | None = None
) -> Escalation:
    """The coordinator puts an obstacle before the mayor, about the plan, a goal or an
    action plan. The mayor is told by e-mail at once."""
    if not has_perm(by, "plans.add_escalation", plan):
        raise PermissionDenied
    _locked_plan(plan)
    if goal is not None and (goal.plan_id != plan.pk or goal.archived_at):
        raise ValidationError({"goal": _("Choose a goal of this plan.")})
    if action_plan is not None and (action_plan.goal.plan_id != plan.pk or action_plan.archived_at):
        raise ValidationError({"action_plan": _("Choose an action plan of this plan.")})
    if not text.strip():
        raise ValidationError({"text": _("Describe the obstacle.")})
    escalation = _save(
        Escalation(
            plan=plan,
            goal=goal,
            action_plan=action_plan,
            text=text.strip(),
            raised_by=by,
            raised_at=timezone.now(),
        ),
        by,
        gettext_noop("Obstacle put before the mayor"),
    )
    transaction.on_commit(lambda: _mail_escalation_raised(escalation), robust=True)
    return escalation


@transaction.atomic
def escalation_answer(*, escalation: Escalation, by, answer: str) -> Escalation:
    """The mayor answers an obstacle; it then leaves the mayor's dashboard."""
    plan = escalation.plan
    if not is_mayor(by, plan.municipality_id):
        raise PermissionDenied
    lock_row(escalation)
    escalation.refresh_from_db()
    if escalation.answered_at is not None:
        raise ValidationError(_("This obstacle has been answered already."), code="answered")
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    escalation.answer = answer.strip()
    escalation.answered_by = by
    escalation.answered_at = timezone.now()
    _save(escalation, by, gettext_noop("Answered by the mayor"))
    transaction.on_commit(lambda: _mail_escalation_answered(escalation), robust=True)
    return escalation


# --- Evaluation, reporting rhythm, closing ----------------------------------------------------


@transaction.atomic
def evaluation_write(*, goal: Goal, by, result: str, lessons: str = "") -> GoalEvaluation:
    """The coordinator evaluates a goal before closing the plan."""
    plan = goal.plan
    if not has_perm(by, "plans.close_plan", plan):
        raise PermissionDenied
    _locked_plan(plan)
    if not result.strip():
        raise ValidationError({"result": _("Describe the result of this goal.")})
    evaluation = GoalEvaluation.objects.filter(goal=goal).first() or GoalEvaluation(goal=goal)
    if evaluation.result == result.strip() and evaluation.lessons == lessons.strip():
        return evaluation
    reason = gettext_noop("Evaluation changed") if evaluation.pk else gettext_noop("Evaluated")
    evaluation.result = result.strip()
    evaluation.lessons = lessons.strip()
    return _save(evaluation, by, reason)


def evaluation_problems(plan: Plan) -> list[str]:
    """What stands in the way of closing: every current strategic goal needs its evaluation."""
    missing = list(
        Goal.objects.filter(
            plan=plan, parent__isnull=True, archived_at__isnull=True, evaluation__isnull=True
        ).values_list("title", flat=True)
    )
    if not missing:
        return []
    return [
        _("The strategic goal “%(title)s” has no evaluation yet.") % {"title": title}
        for title in missing
    ]


@transaction.atomic
def reporting_set(
    *, plan: Plan, by, report_frequency: int, reports_from: datetime.date | None
) -> Plan:
    """The coordinator sets how often promotors report, and from which day."""
    if not has_perm(by, "plans.change_plan", plan):
        raise PermissionDenied
    _locked_plan(plan)
    plan.report_frequency = report_frequency
    plan.reports_from = reports_from
    return _save(plan, by, gettext_noop("Reporting rhythm set"))


def current_period(plan: Plan, day: datetime.date | None = None) -> Period:
    return period_of(day or timezone.localdate(), plan.report_frequency, grace_days())


# --- Mail --------------------------------------------------------------------------------------


def _mail_escalation_raised(escalation: Escalation) -> None:
    plan = escalation.plan
    mayor = mayor_of(plan.municipality_id)
    if mayor is None or not mayor.email:
        return
    with translation.override(mayor.language or "nl"):
        send_mail(
            subject=_("An obstacle in the security plan: %(subject)s")
            % {"subject": escalation.subject},
            message=_(
                "The coordinator puts an obstacle before you:\n\n%(text)s\n\n"
                "Answer in SafetyNet: %(url)s\n"
            )
            % {"text": escalation.text, "url": absolute_url(plan, "plans:escalations")},
            from_email=None,
            recipient_list=[mayor.email],
        )


def _mail_escalation_answered(escalation: Escalation) -> None:
    user = escalation.raised_by
    if user is None or not user.email:
        return
    with translation.override(user.language or "nl"):
        send_mail(
            subject=_("The mayor answered: %(subject)s") % {"subject": escalation.subject},
            message=_("%(answer)s\n\n%(url)s\n")
            % {
                "answer": escalation.answer,
                "url": absolute_url(escalation.plan, "plans:escalations"),
            },
            from_email=None,
            recipient_list=[user.email],
        )
