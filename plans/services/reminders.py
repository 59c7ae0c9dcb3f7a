"""Phase 4: the daily e-mail reminders of progress reports (``manage.py report_reminders``).

Every current action plan of a plan in steering whose promotor can be reached by e-mail gets a
reminder for each report that falls due within ``SAFETYNET_REPORT_REMINDER_DAYS`` days and for
each report that is overdue — each reminder at most once ever: a ``ReportReminder`` row is
recorded in the same transaction that decides to send it (the unique constraint settles two
runs at the same time), and the e-mails leave once that transaction commits.

A promotor gets one e-mail per run listing all their reports due and overdue, in their own
language; the coordinators of the municipality get one summary of the reports that became
overdue in this run. One transaction per municipality, so one municipality's trouble does not
hold back another's reminders."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors.models import Actor
from plans.constants import PlanState
from plans.models import ActionPlan, Plan, ReportReminder
from plans.monitor import action_plan_rows
from plans.periods import Period
from plans.services.steering import grace_days
from safetynet.constants import Role
from safetynet.models import Membership

Kind = ReportReminder.Kind
DEFAULT_LANGUAGE = "nl"


def reminder_days() -> int:
    return settings.SAFETYNET_REPORT_REMINDER_DAYS


@dataclass
class _Item:
    """One reminder decided on: an action plan's report for one period."""

    plan: Plan
    action_plan: ActionPlan
    period: Period
    kind: str


@dataclass
class _Recipient:
    actor: Actor
    address: str
    language: str
    items: list[_Item] = field(default_factory=list)


def promotor_address(actor: Actor | None) -> tuple[str, str] | None:
    """Where and in which language a promotor is reached: their account's e-mail address
    (an active account), else the actor's own; the account's language, else Dutch. None when
    the actor is inactive or has no address."""
    if actor is None or not actor.active:
        return None
    user = actor.user
    language = (user.language if user is not None else "") or DEFAULT_LANGUAGE
    if user is not None and user.is_active and user.email:
        return user.email, language
    if actor.email:
        return actor.email, language
    return None


def steering_url(action_plan: ActionPlan, plan: Plan) -> str:
    """The action plan's follow-up page by its full address."""
    path = reverse(
        "plans:steering",
        kwargs={
            "municipality": plan.municipality.slug,
            "pk": plan.pk,
            "action_plan": action_plan.pk,
        },
    )
    return settings.SAFETYNET_BASE_URL + path


def monitor_url(plan: Plan) -> str:
    path = reverse("monitor:monitor", kwargs={"municipality": plan.municipality.slug})
    return f"{settings.SAFETYNET_BASE_URL}{path}?plan={plan.pk}"


def reminders_send(day: datetime.date | None = None) -> dict:
    """Decide, record and send the reminders of ``day`` (today by default) for every plan in
    steering. Returns the reminders newly recorded and the e-mails sent:
    ``{"due": n, "overdue": n, "emails": n}``. Idempotent: a second run the same day (or any
    later day, for the same reports) sends nothing again."""
    day = day or timezone.localdate()
    counts = {"due": 0, "overdue": 0, "emails": 0}
    plans = (
        Plan.objects.filter(state=PlanState.STEERING)
        .select_related("municipality")
        .order_by("municipality_id", "pk")
    )
    for _municipality_id, municipality_plans in groupby(plans, key=lambda p: p.municipality_id):
        with transaction.atomic():
            found = _remind_municipality(list(municipality_plans), day)
        for key, value in found.items():
            counts[key] += value
    return counts


def _remind_municipality(plans: list[Plan], day: datetime.date) -> dict:
    """The reminders of one municipality's plans in steering: about five queries per plan
    (its action plans with their reports and budgets, the promotors' accounts, the reminders
    sent before), one for the coordinators, and one insert per reminder newly decided."""
    counts = {"due": 0, "overdue": 0, "emails": 0}
    grace, window = grace_days(), datetime.timedelta(days=reminder_days())
    recipients: dict[int, _Recipient] = {}
    new_overdue: list[_Item] = []
    for plan in plans:
        rows = action_plan_rows(plan, day, grace)
        promotors = [row.action_plan.promotor for row in rows if row.action_plan.promotor_id]
        prefetch_related_objects(promotors, "user")
        sent = set(
            ReportReminder.objects.filter(action_plan__goal__plan=plan).values_list(
                "action_plan_id", "period_end", "kind"
            )
        )
        for row in rows:
            action_plan = row.action_plan
            reached = promotor_address(action_plan.promotor)
            if reached is None:
                continue
            candidates = [(period, Kind.OVERDUE) for period in row.overdue] + [
                (period, Kind.DUE) for period in row.open if period.due - day <= window
            ]
            for period, kind in candidates:
                if (action_plan.pk, period.end, kind) in sent:
                    continue
                if not _record(action_plan, period, kind):
                    continue  # another run recorded it first: that run sends it
                item = _Item(plan, action_plan, period, kind)
                recipient = recipients.get(action_plan.promotor_id)
                if recipient is None:
                    recipient = recipients[action_plan.promotor_id] = _Recipient(
                        action_plan.promotor, *reached
                    )
                recipient.items.append(item)
                counts[kind] += 1
                if kind == Kind.OVERDUE:
                    new_overdue.append(item)

    messages = [_promotor_message(recipient) for recipient in recipients.values()]
    if new_overdue:
        messages += _coordinator_messages(plans[0].municipality_id, new_overdue)
    for message in messages:
        transaction.on_commit(partial(send_mail, from_email=None, **message), robust=True)
    counts["emails"] = len(messages)
    return counts


def _record(action_plan: ActionPlan, period: Period, kind: str) -> bool:
    """Record the reminder; False when it was there already (a concurrent run)."""
    _reminder, created = ReportReminder.objects.get_or_create(
        action_plan=action_plan,
        period_end=period.end,
        kind=kind,
        defaults={"sent_at": timezone.now()},
    )
    return created


# --- The e-mails -------------------------------------------------------------------------------


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


def _period_line(period: Period) -> str:
    return _("period %(start)s – %(end)s, report due on %(due)s") % {
        "start": _date(period.start),
        "end": _date(period.end),
        "due": _date(period.due),
    }


def _item_lines(item: _Item, title: str) -> list[str]:
    return [
        f"• {title}",
        f"  {_period_line(item.period)}",
        f"  {steering_url(item.action_plan, item.plan)}",
    ]


def _sorted(items: list[_Item]) -> list[_Item]:
    return sorted(items, key=lambda item: (item.period.due, item.action_plan.title.lower()))


def _promotor_message(recipient: _Recipient) -> dict:
    """One e-mail listing the promotor's reports overdue and due soon, in their language."""
    overdue = _sorted([item for item in recipient.items if item.kind == Kind.OVERDUE])
    due = _sorted([item for item in recipient.items if item.kind == Kind.DUE])
    with translation.override(recipient.language):
        if overdue:
            subject = _("Overdue progress reports for the security plan")
        else:
            subject = _("Progress reports due soon for the security plan")
        lines = [
            _("Hello %(name)s,") % {"name": recipient.actor.name},
            "",
            _("As promotor you report on the progress of your action plans in SafetyNet."),
        ]
        if overdue:
            lines += ["", _("Overdue — the report was due and has not been written yet:")]
            for item in overdue:
                lines += _item_lines(item, item.action_plan.title)
        if due:
            lines += [
                "",
                _("Due soon — the report is due within %(days)s days:") % {"days": reminder_days()},
            ]
            for item in due:
                lines += _item_lines(item, item.action_plan.title)
        lines += [
            "",
            _("Write each report on the action plan's follow-up page (the link under it)."),
        ]
    return {
        "subject": subject,
        "message": "\n".join(lines) + "\n",
        "recipient_list": [recipient.address],
    }


def _coordinator_messages(municipality_id: int, new_overdue: list[_Item]) -> list[dict]:
    """One summary per coordinator (active, with an address) of the reports newly overdue."""
    coordinators = (
        Membership.objects.filter(
            municipality_id=municipality_id, role=Role.COORDINATOR, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    by_plan = defaultdict(list)
    for item in _sorted(new_overdue):
        by_plan[item.plan].append(item)
    count = len(new_overdue)
    municipality = new_overdue[0].plan.municipality
    messages = []
    for membership in coordinators:
        user = membership.user
        with translation.override(user.language or DEFAULT_LANGUAGE):
            subject = ngettext(
                "%(count)s progress report overdue in %(municipality)s",
                "%(count)s progress reports overdue in %(municipality)s",
                count,
            ) % {"count": count, "municipality": municipality.name}
            lines = [
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
                "",
                _(
                    "These progress reports became overdue; their promotors received a "
                    "reminder today:"
                ),
            ]
            for plan, items in by_plan.items():
                lines += ["", plan.title]
                for item in items:
                    promotor = _("promotor: %(name)s") % {"name": item.action_plan.promotor.name}
                    lines += _item_lines(item, f"{item.action_plan.title} ({promotor})")
                lines += ["", _("The monitor: %(url)s") % {"url": monitor_url(plan)}]
        messages.append(
            {
                "subject": subject,
                "message": "\n".join(lines) + "\n",
                "recipient_list": [user.email],
            }
        )
    return messages
