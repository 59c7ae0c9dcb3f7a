"""Domain actions on the safety network: actors, their dated roles, the coordinator's appointment,
the organogram and the network's suggestions.

Keyword-only functions, one transaction each, ``full_clean()`` before saving, the acting user
credited in history. Reasons are stored as English source text and translated when shown."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from safetynet.concurrency import check_version, lock_row
from safetynet.history import record_actor
from safetynet.history import validated_save as _save
from safetynet.intervals import as_text, day_before, first_overlap, next_start, open_interval
from safetynet.models import Municipality

from .constants import AppointmentOption
from .models import (
    Actor,
    ActorKind,
    CoordinatorAppointment,
    OrgUnit,
    RoleAssignment,
    SuggestionDismissal,
    SuggestionRule,
)

# Higher floors react when an actor's account link changes (a promotor's personal grants on
# their action plans follow the link); they register here from their AppConfig.ready(), since
# actors may not import them. Each is called as ``hook(actor=..., former_user_id=...)`` inside
# the transaction of the change.
ACCOUNT_LINK_CHANGED: list = []

ACTOR_FIELDS = (
    "form",
    "name",
    "kind",
    "organisation",
    "function_title",
    "email",
    "phone",
    "website",
    "address",
    "notes",
    "consult",
    "user",
    "external_key",
    "source_suggestion",
)


# --- Actors ------------------------------------------------------------------------------------


@transaction.atomic
def actor_create(*, municipality: Municipality, by, reason: str = "", **fields) -> Actor:
    unknown = set(fields) - set(ACTOR_FIELDS) - {"active"}
    if unknown:
        raise ValueError(f"Not actor fields: {sorted(unknown)}")
    actor = Actor(municipality=municipality, **fields)
    return _save(actor, by, reason or gettext_noop("Actor added"))


@transaction.atomic
def actor_update(
    *, actor: Actor, by, reason: str = "", version: int | None = None, **fields
) -> Actor:
    """Change an actor; ``version`` (the history version the form was loaded at) refuses a save
    over someone else's newer change."""
    unknown = set(fields) - set(ACTOR_FIELDS)
    if unknown:
        raise ValueError(f"Not actor fields: {sorted(unknown)}")
    stored = Actor.objects.select_for_update().get(pk=actor.pk)
    check_version(stored, version)
    for name, value in fields.items():
        setattr(actor, name, value)
    if all(getattr(actor, f) == getattr(stored, f) for f in fields):
        return actor  # unchanged: no history row
    _save(actor, by, reason or gettext_noop("Actor edited"))
    if actor.user_id != stored.user_id:
        for hook in ACCOUNT_LINK_CHANGED:
            hook(actor=actor, former_user_id=stored.user_id)
    return actor


@transaction.atomic
def actor_set_active(*, actor: Actor, active: bool, by, reason: str = "") -> Actor:
    """Deactivate (instead of deleting: an actor stays in history and in past roles) or
    reactivate an actor. Deactivating ends the actor's current roles today, cancels the planned
    ones, and takes the actor off the organogram; it is refused while the actor carries the
    coordinator's function (appoint someone else first)."""
    if actor.active == active:
        return actor
    if not active and actor.coordinator_appointments.filter(end__isnull=True).exists():
        raise ValidationError(
            _("This actor carries the coordinator's function: appoint someone else first."),
            code="current_coordinator",
        )
    actor.active = active
    _save(
        actor,
        by,
        reason
        or (gettext_noop("Actor reactivated") if active else gettext_noop("Actor deactivated")),
    )
    if not active:
        today = timezone.localdate()
        for planned in actor.role_assignments.filter(start__gt=today):
            record_actor(planned, by, gettext_noop("Planned role cancelled: actor deactivated"))
            planned.delete()  # never held; the history keeps it
        running = actor.role_assignments.filter(Q(end__isnull=True) | Q(end__gt=today))
        for assignment in running:
            role_end(assignment=assignment, end=today, by=by)
        for unit in actor.org_units.all():
            org_unit_update(
                unit=unit, by=by, holder=None, reason=gettext_noop("Holder deactivated")
            )
    return actor


@transaction.atomic
def actor_kind_create(*, municipality: Municipality, by, **fields) -> ActorKind:
    """A kind of actor of the municipality's own, beside the domain text's."""
    kind = ActorKind(municipality=municipality, **fields)
    return _save(kind, by, gettext_noop("Kind of actor added"))


# --- Roles -------------------------------------------------------------------------------------


@transaction.atomic
def role_assign(
    *,
    actor: Actor,
    role: str,
    start: datetime.date,
    by,
    title: str = "",
    function_profile: str = "",
    end: datetime.date | None = None,
    reason: str = "",
) -> RoleAssignment:
    """Give an actor a role from ``start``. The open assignment of the same role (no end date)
    ends the day before; any other overlap with a dated assignment of that role is refused:
    roles are dated, never overwritten, and never held twice at once."""
    lock_row(actor)
    if not actor.active:
        raise ValidationError(_("An inactive actor cannot be given a role."), code="inactive")
    same_role = actor.role_assignments.filter(role=role)
    current = open_interval(same_role)
    if current is not None and current.start < start:
        role_end(assignment=current, end=day_before(start), by=by, reason=reason)
    other = first_overlap(same_role, start, end)
    if other is not None:
        raise ValidationError(
            _("The actor already holds this role from %(start)s: choose dates that do not overlap.")
            % {"start": as_text(other.start)},
            code="overlap",
        )
    assignment = RoleAssignment(
        actor=actor,
        role=role,
        start=start,
        end=end,
        title=title,
        function_profile=function_profile,
    )
    return _save(assignment, by, reason or gettext_noop("Role given"))


@transaction.atomic
def role_end(*, assignment: RoleAssignment, end: datetime.date, by, reason: str = ""):
    """End a role on ``end``: not before it starts, not after the same role starts again."""
    same_role = RoleAssignment.objects.filter(actor_id=assignment.actor_id, role=assignment.role)
    later = next_start(same_role, assignment.start)
    if later is not None and end >= later.start:
        raise ValidationError(
            {
                "end": _("The role is held again from %(start)s: end it before that.")
                % {"start": as_text(later.start)}
            },
            code="overlap",
        )
    assignment.end = end
    return _save(assignment, by, reason or gettext_noop("Role ended"))


def role_change_profile(
    *, assignment: RoleAssignment, function_profile: str, title: str, start: datetime.date, by
) -> RoleAssignment:
    """A new function profile from ``start``: the old assignment ends, a new one begins."""
    return role_assign(
        actor=assignment.actor,
        role=assignment.role,
        start=start,
        by=by,
        title=title,
        function_profile=function_profile,
        reason=gettext_noop("Function profile changed"),
    )


# --- The coordinator's appointment ------------------------------------------------------------

POLICE_WARNING = gettext_noop(
    "Appointing someone from the police is not recommended: it risks narrowing security to "
    "police security. Confirm that you appoint them nevertheless."
)


@transaction.atomic
def coordinator_appoint(
    *,
    municipality: Municipality,
    option: str,
    actor: Actor,
    start: datetime.date,
    by,
    police_risk_acknowledged: bool = False,
    motivation: str = "",
) -> CoordinatorAppointment:
    """Appoint who carries the coordinator's function. The current appointment ends the day
    before. Someone from the police is allowed, but only with the explicit acknowledgement of
    the domain text's warning, which history keeps."""
    lock_row(municipality)
    if actor.municipality_id != municipality.pk:
        raise ValidationError({"actor": _("Choose an actor of this municipality.")})
    if _is_police(actor) and option != AppointmentOption.POLICE:
        raise ValidationError(
            {
                "option": ValidationError(
                    _("This actor is part of the police: choose the police option."),
                    code="police_under_other_option",
                )
            }
        )
    if option == AppointmentOption.POLICE and not police_risk_acknowledged:
        raise ValidationError(
            {
                "police_risk_acknowledged": ValidationError(
                    _(POLICE_WARNING), code="police_not_acknowledged"
                )
            }
        )
    appointments = municipality.coordinator_appointments.all()
    current = open_interval(appointments)
    if current is not None:
        if current.start >= start:
            raise ValidationError(
                _("The new appointment must start after the current one."), code="overlap"
            )
        current.end = day_before(start)
        _save(current, by, gettext_noop("Appointment ended by a new one"))
    earlier = first_overlap(appointments, start)
    if earlier is not None:
        raise ValidationError(
            _("An earlier appointment runs until %(end)s: the new one must start after it.")
            % {"end": as_text(earlier.end)},
            code="overlap",
        )
    appointment = CoordinatorAppointment(
        municipality=municipality,
        option=option,
        actor=actor,
        start=start,
        police_risk_acknowledged=option == AppointmentOption.POLICE and police_risk_acknowledged,
        motivation=motivation,
    )
    reason = (
        gettext_noop("Coordinator appointed from the police, the warning acknowledged")
        if option == AppointmentOption.POLICE
        else gettext_noop("Coordinator appointed")
    )
    return _save(appointment, by, reason)


def _is_police(actor: Actor) -> bool:
    """An actor of the police kind, or a person in a police organisation."""
    kinds = {actor.kind.code}
    if actor.organisation_id:
        kinds.add(actor.organisation.kind.code)
    return "local_police" in kinds


# --- Organogram --------------------------------------------------------------------------------

ORG_UNIT_FIELDS = (
    "name",
    "parent",
    "level",
    "function",
    "is_staff",
    "holder",
    "direct_line_to",
    "order",
)


@transaction.atomic
def org_unit_create(*, municipality: Municipality, by, **fields) -> OrgUnit:
    unit = OrgUnit(municipality=municipality, **fields)
    return _save(unit, by, gettext_noop("Unit added to the organogram"))


@transaction.atomic
def org_unit_update(*, unit: OrgUnit, by, reason: str = "", **fields) -> OrgUnit:
    unknown = set(fields) - set(ORG_UNIT_FIELDS)
    if unknown:
        raise ValueError(f"Not unit fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(unit, name, value)
    return _save(unit, by, reason or gettext_noop("Unit changed"))


@transaction.atomic
def org_unit_delete(*, unit: OrgUnit, by) -> None:
    """Remove a unit that has no units under it (the history keeps it)."""
    if unit.children.exists():
        raise ValidationError(
            _("Move or remove the units under “%(unit)s” first.") % {"unit": unit},
            code="has_children",
        )
    for other in OrgUnit.objects.filter(direct_line_to=unit):
        org_unit_update(unit=other, by=by, direct_line_to=None)
    record_actor(unit, by, gettext_noop("Unit removed from the organogram"))
    unit.delete()


# --- Suggestions -------------------------------------------------------------------------------


@transaction.atomic
def suggestion_dismiss(
    *, municipality: Municipality, rule: SuggestionRule, reason: str, by
) -> SuggestionDismissal:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this suggestion does not apply.")})
    dismissal = SuggestionDismissal(municipality=municipality, rule=rule, reason=reason.strip())
    return _save(dismissal, by, gettext_noop("Suggestion dismissed"))


@transaction.atomic
def suggestion_restore(*, dismissal: SuggestionDismissal, by) -> None:
    record_actor(dismissal, by, gettext_noop("Suggestion restored"))
    dismissal.delete()
