"""Phase 2: remarks on the plan from residents and organisations, their moderation and the
answers; the personal data of senders kept no longer than the retention setting allows."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actors.models import Actor
from plans.constants import PlanState, RemarkSource, RemarkStatus
from plans.models import Plan, Remark, Response
from plans.models.consultation import PERSONAL_FIELDS
from safetynet.concurrency import check_version, lock_row
from safetynet.constants import Role
from safetynet.history import validated_save as _save
from safetynet.models import Membership
from safetynet.permissions import has_perm

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)
CLOSED = gettext_noop("The consultation on this plan has closed: remarks are no longer accepted.")
NOT_OPEN = gettext_noop("The consultation on this plan has not opened yet.")
TOO_MANY = gettext_noop(
    "Many remarks were sent from your connection in the last hour. Please try again later, or "
    "send your remark by letter or e-mail to the municipality."
)
UNANSWERED = gettext_noop("%(count)s remarks of the consultation have no response yet.")


def _new_reference() -> str:
    return "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def address_hash(address: str) -> str:
    """A keyed hash of the sender's address: enough to count remarks per connection, never
    enough to find the address back."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


def consultation_is_open(plan: Plan, now=None) -> bool:
    now = now or timezone.now()
    # Without dates (the college approved before they were set) it is open from the approval
    # until the coordinator closes it.
    return (
        plan.state == PlanState.CONSULTATION
        and (plan.consultation_opens is None or plan.consultation_opens <= now)
        and (plan.consultation_closes is None or now < plan.consultation_closes)
    )


MAX_TEXT = 5000


def _check_length(text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": _("Write your remark.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": _("A remark has at most %(max)s characters.") % {"max": MAX_TEXT}}
        )


def closed_message(plan: Plan, now=None) -> str:
    """Why no remark is accepted now: not open yet, or closed (source text, for gettext)."""
    now = now or timezone.now()
    not_yet = (
        plan.state == PlanState.CONSULTATION
        and plan.consultation_opens is not None
        and now < plan.consultation_opens
    )
    return NOT_OPEN if not_yet else CLOSED


def _check_about(plan: Plan, goal, action_plan) -> None:
    if goal is not None and (goal.plan_id != plan.pk or goal.archived_at is not None):
        raise ValidationError({"goal": _("Choose a goal of this plan.")})
    if action_plan is not None and action_plan.goal.plan_id != plan.pk:
        raise ValidationError({"action_plan": _("Choose an action plan of this plan.")})


@transaction.atomic
def remark_submit(
    *,
    plan: Plan,
    text: str,
    address: str,
    name: str = "",
    email: str = "",
    organisation: str = "",
    name_public: bool = False,
    goal=None,
    action_plan=None,
) -> Remark:
    """A remark sent on the public page, while the consultation is open. The same text sent
    again from the same connection within minutes (a double click) is stored once."""
    lock_row(plan)
    plan.refresh_from_db()
    now = timezone.now()
    if not consultation_is_open(plan, now):
        raise ValidationError(_(closed_message(plan, now)), code="closed")
    _check_length(text)
    _check_about(plan, goal, action_plan)
    hashed = address_hash(address)
    text = text.strip()
    same = Remark.objects.filter(
        plan=plan, address_hash=hashed, text=text, created_at__gte=now - DOUBLE_SUBMIT_WINDOW
    ).first()
    if same is not None:
        return same
    recent = Remark.objects.filter(
        address_hash=hashed, created_at__gte=now - datetime.timedelta(hours=1)
    ).count()
    if recent >= settings.SAFETYNET_REMARKS_PER_HOUR:
        raise ValidationError(_(TOO_MANY), code="rate_limited")
    remark = _save(
        Remark(
            plan=plan,
            reference=_unique_reference(),
            text=text,
            name=name.strip(),
            email=email.strip(),
            organisation=organisation.strip(),
            name_public=name_public and bool(organisation.strip()),
            goal=goal,
            action_plan=action_plan,
            source=RemarkSource.ONLINE,
            received_on=timezone.localdate(now),
            address_hash=hashed,
        ),
        None,
        gettext_noop("Remark received"),
    )
    if remark.email:
        transaction.on_commit(lambda: _mail_confirmation(remark), robust=True)
    return remark


def _unique_reference() -> str:
    while True:
        reference = _new_reference()
        if not Remark.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def remark_enter(*, plan: Plan, by, text: str, source: str, received_on, **sender) -> Remark:
    """The coordinator enters a remark received by letter, e-mail or at an information
    evening, with its source and date."""
    if not has_perm(by, "plans.add_remark", plan):
        raise PermissionDenied
    if plan.state not in (PlanState.CONSULTATION, PlanState.REVISION):
        raise ValidationError(_("Remarks are entered during the consultation and the revision."))
    _check_length(text)
    _check_about(plan, sender.get("goal"), sender.get("action_plan"))
    lock_row(plan)
    same = Remark.objects.filter(
        plan=plan,
        text=text.strip(),
        received_on=received_on,
        source=source,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if same is not None:  # the same letter entered twice in a row (a double click)
        return same
    organisation = (sender.get("organisation") or "").strip()
    remark = Remark(
        plan=plan,
        reference=_unique_reference(),
        text=text.strip(),
        name=(sender.get("name") or "").strip(),
        email=(sender.get("email") or "").strip(),
        organisation=organisation,
        name_public=bool(sender.get("name_public")) and bool(organisation),
        goal=sender.get("goal"),
        action_plan=sender.get("action_plan"),
        source=source,
        received_on=received_on,
    )
    return _save(remark, by, gettext_noop("Remark entered"))


@transaction.atomic
def remark_moderate(
    *, remark: Remark, by, status: str, redacted_text: str = "", name_public=None, version=None
) -> Remark:
    """Publish a remark as a redacted text (the original stays private), mark it as spam, or
    take it back to new."""
    lock_row(remark)
    check_version(remark, version)
    if status not in RemarkStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    remark.status = status
    if redacted_text or status == RemarkStatus.PUBLISHED:
        remark.redacted_text = redacted_text.strip()
    if name_public is not None:
        remark.name_public = bool(name_public) and bool(remark.organisation)
    reasons = {
        RemarkStatus.PUBLISHED: gettext_noop("Remark published"),
        RemarkStatus.SPAM: gettext_noop("Remark marked as spam"),
        RemarkStatus.NEW: gettext_noop("Remark taken back"),
    }
    return _save(remark, by, reasons[status])


@transaction.atomic
def response_write(
    *,
    remark: Remark,
    by,
    verdict: str,
    motivation: str,
    changed_goal=None,
    changed_action_plan=None,
    version=None,
) -> Response:
    lock_row(remark)
    plan = remark.plan
    _check_about(plan, changed_goal, changed_action_plan)
    response = Response.objects.filter(remark=remark).first()
    if response is None:
        response, reason = Response(remark=remark), gettext_noop("Response written")
    else:
        check_version(response, version)
        reason = gettext_noop("Response changed")
    response.verdict, response.motivation = verdict, motivation.strip()
    response.changed_goal, response.changed_action_plan = changed_goal, changed_action_plan
    return _save(response, by, reason)


def unanswered(plan: Plan) -> list[str]:
    """The precondition of the adoption: every remark (spam aside) has a response."""
    count = (
        Remark.objects.filter(plan=plan, response__isnull=True)
        .exclude(status=RemarkStatus.SPAM)
        .count()
    )
    return [_(UNANSWERED) % {"count": count}] if count else []


@transaction.atomic
def remarks_purge(*, today: datetime.date | None = None, by=None) -> int:
    """Remove senders' personal data from remarks of plans adopted longer ago than the
    retention period — in the history tables too — keeping the (redacted) text."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.SAFETYNET_REMARK_RETENTION_DAYS)
    # Counted from the council's adoption (the plan's definitive decision).
    due = Remark.objects.filter(
        personal_data_removed_on__isnull=True,
        plan__council_decisions__adopted=True,
        plan__council_decisions__date__lt=cutoff,
    ).values_list("pk", flat=True)
    # Locked by id: PostgreSQL refuses FOR UPDATE on the join's DISTINCT.
    remarks = Remark.objects.filter(pk__in=list(due)).order_by("pk").select_for_update()
    count = 0
    for remark in remarks:
        for field in PERSONAL_FIELDS:
            setattr(remark, field, "")
        remark.personal_data_removed_on = today
        _save(remark, by, gettext_noop("Personal data removed after the retention period"))
        Remark.history.filter(id=remark.pk).update(**dict.fromkeys(PERSONAL_FIELDS, ""))
        count += 1
    return count


def _mail_confirmation(remark: Remark) -> None:
    plan = remark.plan
    with translation.override((plan.municipality.languages or ["nl"])[0]):
        send_mail(
            subject=_("Your remark on “%(plan)s”: %(reference)s")
            % {"plan": plan.title, "reference": remark.reference},
            message=_(
                "Thank you for your remark on “%(plan)s” of %(municipality)s. Its reference is "
                "%(reference)s. The municipality answers every remark; the answers are published "
                "with the adapted plan.\n"
            )
            % {
                "plan": plan.title,
                "municipality": plan.municipality.name,
                "reference": remark.reference,
            },
            from_email=None,
            recipient_list=[remark.email],
        )


# --- Notifications -----------------------------------------------------------------------------


def consultation_opened(plan: Plan) -> None:
    """The college approved the action programme: the kerngroep members and the actors who
    asked to be consulted hear that the consultation is open (after the commit)."""
    transaction.on_commit(lambda: _mail_opened(plan), robust=True)


def consultation_closed(plan: Plan) -> None:
    """The coordinator closed the consultation: the coordinators get a summary."""
    transaction.on_commit(lambda: _mail_summary(plan), robust=True)


def absolute_url(plan: Plan, name: str) -> str:
    """A page of the plan by its full address, for e-mails."""
    path = reverse(name, kwargs={"municipality": plan.municipality.slug, "pk": plan.pk})
    return settings.SAFETYNET_BASE_URL + path


def _mail_opened(plan: Plan) -> None:
    addresses = {
        m.user.email: m.user.language
        for m in Membership.objects.filter(
            municipality_id=plan.municipality_id, role=Role.CORE_GROUP, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    }
    official = (plan.municipality.languages or ["nl"])[0]
    for email in (
        Actor.objects.filter(municipality_id=plan.municipality_id, consult=True, active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    ):
        addresses.setdefault(email, official)
    for email, language in addresses.items():
        with translation.override(language or official):
            closes = (
                timezone.localtime(plan.consultation_closes).strftime("%d/%m/%Y %H:%M")
                if plan.consultation_closes
                else "—"
            )
            send_mail(
                subject=_("Consultation open: %(plan)s") % {"plan": plan.title},
                message=_(
                    "%(municipality)s asks residents and organisations for their remarks on "
                    "“%(plan)s” until %(closes)s.\n%(url)s\n"
                )
                % {
                    "municipality": plan.municipality.name,
                    "plan": plan.title,
                    "closes": closes,
                    "url": absolute_url(plan, "public-plan"),
                },
                from_email=None,
                recipient_list=[email],
            )


def _mail_summary(plan: Plan) -> None:
    counts = dict(
        Remark.objects.filter(plan=plan)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    spam = counts.get(RemarkStatus.SPAM, 0)
    for membership in (
        Membership.objects.filter(
            municipality_id=plan.municipality_id, role=Role.COORDINATOR, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    ):
        with translation.override(membership.user.language or "nl"):
            send_mail(
                subject=_("Consultation closed: %(plan)s") % {"plan": plan.title},
                message=_(
                    "The consultation on “%(plan)s” has closed with %(total)s remarks, %(spam)s "
                    "of them spam. Answer every other remark before submitting the plan for "
                    "adoption.\n"
                )
                % {"plan": plan.title, "total": total, "spam": spam},
                from_email=None,
                recipient_list=[membership.user.email],
            )
