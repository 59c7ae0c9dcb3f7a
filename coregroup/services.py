"""Domain actions on the kerngroep's composition. Keyword-only, one transaction each, the acting
user credited in history; reasons stored as English source text."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actors.models import Actor
from safetynet.concurrency import check_version, lock_row
from safetynet.history import record_actor
from safetynet.history import validated_save as _save
from safetynet.intervals import as_text, day_before, first_overlap, open_interval
from safetynet.models import Municipality

from .constants import DOMAIN_SEATS, AttendanceStatus, SeatFunction, TaskStatus
from .models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    CoreGroup,
    Decision,
    FollowUpTask,
    Meeting,
    MeetingDocument,
    Seat,
    SeatHolding,
    WorkingGroup,
    WorkingGroupMembership,
)
from .selectors import attendees
from .uploads import MAX_BYTES, Refused, sniff

DEFAULT_NAME = gettext_noop("Core group for integral security")


@transaction.atomic
def core_group_ensure(*, municipality: Municipality, by) -> CoreGroup:
    """The municipality's kerngroep with the domain text's ten seats (made once)."""
    # Serialised per municipality: a double click finds what the first click made.
    lock_row(municipality)
    core_group = CoreGroup.objects.filter(municipality=municipality).first()
    if core_group is None:
        with translation.override((municipality.languages or ["nl"])[0]):
            name = _(DEFAULT_NAME)  # in the municipality's language, whoever sets it up
        core_group = _save(
            CoreGroup(municipality=municipality, name=name), by, gettext_noop("Core group set up")
        )
    present = set(core_group.seats.values_list("function", flat=True))
    for order, function in enumerate(DOMAIN_SEATS, start=1):
        if function not in present:
            _save(
                Seat(core_group=core_group, function=function, order=order),
                by,
                gettext_noop("Seat of the domain text"),
            )
    return core_group


@transaction.atomic
def seat_add(*, core_group: CoreGroup, title: str, by) -> Seat:
    """A seat the municipality adds beside the domain text's ten."""
    return _save(
        Seat(core_group=core_group, function=SeatFunction.OTHER, title=title.strip(), order=200),
        by,
        gettext_noop("Seat added"),
    )


@transaction.atomic
def seat_set_holder(*, seat: Seat, actor: Actor, start: datetime.date, by) -> SeatHolding:
    """``actor`` holds the seat from ``start``; the current holder's holding ends the day
    before. Holders are dated, never overwritten."""
    lock_row(seat)
    if actor.municipality_id != seat.core_group.municipality_id:
        raise ValidationError({"actor": _("Choose an actor of this municipality.")})
    if not actor.active:
        raise ValidationError({"actor": _("An inactive actor cannot hold a seat.")})
    holdings = seat.holdings.all()
    current = open_interval(holdings)
    if current is not None:
        if current.start >= start:
            raise ValidationError(
                {
                    "start": _("The current holder holds the seat from %(start)s: start later.")
                    % {"start": as_text(current.start)}
                }
            )
        current.end = day_before(start)
        _save(current, by, gettext_noop("Seat handed over"))
    earlier = first_overlap(holdings, start)
    if earlier is not None:
        raise ValidationError(
            {
                "start": _("%(actor)s held the seat until %(end)s: start after that.")
                % {"actor": earlier.actor, "end": as_text(earlier.end)}
            }
        )
    if seat.not_present:
        seat.not_present = False
        _save(seat, by, gettext_noop("Seat filled"))
    return _save(SeatHolding(seat=seat, actor=actor, start=start), by, gettext_noop("Holder named"))


@transaction.atomic
def seat_vacate(*, seat: Seat, end: datetime.date, by) -> None:
    """The current holder leaves the seat on ``end``; the seat is vacant after."""
    lock_row(seat)
    current = open_interval(seat.holdings.all())
    if current is None:
        return
    if end < current.start:
        raise ValidationError({"end": _("The holding cannot end before it starts.")})
    current.end = end
    _save(current, by, gettext_noop("Seat vacated"))


@transaction.atomic
def seat_set_not_present(*, seat: Seat, not_present: bool, end: datetime.date, by) -> Seat:
    """Mark a function as not present in this municipality (its holder, if any, leaves on
    ``end``), or as present again."""
    if not_present:
        seat_vacate(seat=seat, end=end, by=by)
    if seat.not_present != not_present:
        seat.not_present = not_present
        reason = (
            gettext_noop("Marked not present in this municipality")
            if not_present
            else gettext_noop("Marked present again")
        )
        _save(seat, by, reason)
    return seat


# --- Meetings, attendance, decisions and follow-up tasks --------------------------------------

# Imports kept in this section so that the top of the module stays untouched (shared file).


def _of_municipality(actor: Actor | None, municipality_id: int, field: str) -> None:
    if actor is not None and actor.municipality_id != municipality_id:
        raise ValidationError({field: _("Choose an actor of this municipality.")})


def meeting_invitees(meeting: Meeting) -> list[Actor]:
    """Who is expected on the meeting's day (the kerngroep's seat holders, or the working
    group's promotor and members) and has an e-mail address, each once."""
    seen, actors = set(), []
    for row in attendees(meeting):
        if row.actor.email and row.actor.pk not in seen:
            seen.add(row.actor.pk)
            actors.append(row.actor)
    return actors


def _mail_invitation(meeting: Meeting, actor: Actor, agenda: list[str]) -> None:
    """One invitation in the recipient's language: their account's, else the municipality's
    first language."""
    municipality = meeting.municipality
    language = actor.user.language if actor.user_id else (municipality.languages or ["nl"])[0]
    with translation.override(language):
        # Day and month in words, in the recipient's language.
        when = formats.date_format(timezone.localtime(meeting.starts_at), "l j F Y, H:i")
        subject = _("Invitation: meeting of %(body)s on %(when)s") % {
            "body": meeting.body,
            "when": when,
        }
        lines = [
            _("Dear %(name)s,") % {"name": actor.name},
            "",
            _("You are invited to the meeting of %(body)s (%(municipality)s).")
            % {"body": meeting.body, "municipality": municipality.name},
            _("Date and time: %(when)s") % {"when": when},
        ]
        if meeting.place:
            lines.append(_("Place: %(place)s") % {"place": meeting.place})
        if agenda:
            lines += ["", _("Agenda:")]
            lines += [f"{number}. {title}" for number, title in enumerate(agenda, start=1)]
        send_mail(
            subject=" ".join(subject.split()),
            message="\n".join(lines) + "\n",
            from_email=None,
            recipient_list=[actor.email],
        )


@transaction.atomic
def meeting_schedule(
    *,
    starts_at: datetime.datetime,
    place: str,
    agenda: list[str],
    by,
    core_group: CoreGroup | None = None,
    working_group: WorkingGroup | None = None,
    invite: bool = True,
) -> Meeting:
    """A meeting of the kerngroep or of one working group, with its agenda; those expected
    with an e-mail address are invited once the meeting is saved (``invite=False`` for a
    meeting recorded afterwards)."""
    body = core_group or working_group
    if working_group is not None and not working_group.active:
        raise ValidationError(_("An inactive working group does not meet."))
    meeting = _save(
        Meeting(
            municipality_id=body.municipality_id,
            core_group=core_group,
            working_group=working_group,
            starts_at=starts_at,
            place=place.strip(),
        ),
        by,
        gettext_noop("Meeting scheduled"),
    )
    titles = [title.strip() for title in agenda if title and title.strip()]
    for order, title in enumerate(titles, start=1):
        _save(
            AgendaItem(meeting=meeting, order=order, title=title),
            by,
            gettext_noop("Agenda item added"),
        )
    for actor in meeting_invitees(meeting) if invite else []:
        transaction.on_commit(
            lambda actor=actor: _mail_invitation(meeting, actor, titles), robust=True
        )
    return meeting


@transaction.atomic
def attendance_record(*, meeting: Meeting, rows, by) -> list[Attendance]:
    """Who attended, per seat holder. ``rows``: dicts with ``seat``, ``actor``, ``status`` and
    ``represented_by`` (an actor of the municipality, needed for "represented" only)."""
    lock_row(meeting)
    existing = {attendance.actor_id: attendance for attendance in meeting.attendances.all()}
    saved = []
    for row in rows:
        actor, seat = row["actor"], row.get("seat")
        status, represented_by = row["status"], row.get("represented_by")
        _of_municipality(actor, meeting.municipality_id, "actor")
        _of_municipality(represented_by, meeting.municipality_id, "represented_by")
        if seat is not None and seat.core_group_id != meeting.core_group_id:
            raise ValidationError({"seat": _("Choose a seat of this core group.")})
        if seat is None and meeting.core_group_id:
            raise ValidationError({"seat": _("Say which seat the attendance is for.")})
        if status == AttendanceStatus.REPRESENTED:
            if represented_by is None:
                raise ValidationError({"represented_by": _("Say who represented them.")})
            if represented_by.pk == actor.pk:
                raise ValidationError({"represented_by": _("Someone cannot represent themselves.")})
        else:
            represented_by = None
        attendance = existing.get(actor.pk) or Attendance(meeting=meeting, actor=actor)
        unchanged = (
            attendance.pk
            and attendance.status == status
            and attendance.represented_by_id == getattr(represented_by, "pk", None)
            and attendance.seat_id == getattr(seat, "pk", None)
        )
        if unchanged:
            saved.append(attendance)
            continue
        attendance.seat, attendance.status, attendance.represented_by = seat, status, represented_by
        saved.append(_save(attendance, by, gettext_noop("Attendance recorded")))
    return saved


@transaction.atomic
def meeting_update_minutes(
    *, meeting: Meeting, minutes: str, by, version: int | None = None
) -> Meeting:
    """Save the minutes; refused (:class:`EditConflict`) when someone saved them after
    ``version``, the history version the form was loaded at."""
    lock_row(meeting)
    check_version(meeting, version)
    meeting.minutes = minutes.strip()
    return _save(meeting, by, gettext_noop("Minutes updated"))


MEETING_HAS_DECISIONS = gettext_noop("This meeting has recorded decisions: it cannot be deleted.")
MEETING_HAS_DOCUMENTS = gettext_noop(
    "This meeting has documents: remove them before deleting the meeting."
)


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by) -> None:
    """A meeting goes only while it has no decisions and no documents: recorded decisions and
    filed documents stay on record. The files of documents removed earlier are kept."""
    lock_row(meeting)
    if meeting.decisions.exists():
        raise ValidationError(_(MEETING_HAS_DECISIONS))
    if meeting.documents.filter(removed_at__isnull=True).exists():
        raise ValidationError(_(MEETING_HAS_DOCUMENTS))
    for document in meeting.documents.all():  # removed ones: the row goes, history keeps it
        record_actor(document, by, gettext_noop("Meeting deleted"))
        document.delete()
    for item in meeting.agenda_items.all():
        record_actor(item, by, gettext_noop("Meeting deleted"))
        item.delete()
    for attendance in meeting.attendances.all():
        record_actor(attendance, by, gettext_noop("Meeting deleted"))
        attendance.delete()
    record_actor(meeting, by, gettext_noop("Meeting deleted"))
    meeting.delete()


@transaction.atomic
def decision_record(
    *, meeting: Meeting, text: str, consensus: bool, agenda_item: AgendaItem | None = None, by
) -> Decision:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    return _save(
        Decision(meeting=meeting, agenda_item=agenda_item, text=text.strip(), consensus=consensus),
        by,
        gettext_noop("Decision recorded"),
    )


@transaction.atomic
def task_add(
    *, decision: Decision, description: str, assignee: Actor, due: datetime.date, by
) -> FollowUpTask:
    _of_municipality(assignee, decision.meeting.municipality_id, "assignee")
    return _save(
        FollowUpTask(
            decision=decision, description=description.strip(), assignee=assignee, due=due
        ),
        by,
        gettext_noop("Follow-up task added"),
    )


@transaction.atomic
def task_set_status(*, task: FollowUpTask, status: str, by) -> FollowUpTask:
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if task.status == status:
        return task
    task.status = status
    return _save(task, by, gettext_noop("Follow-up task status changed"))


# --- Working groups ----------------------------------------------------------------------------

# This section is written beside the meetings section above; its imports stay here, so that the
# two sections never edit the same lines.

WORKING_GROUP_FIELDS = ("name", "mandate", "promotor")
NOT_OF_MUNICIPALITY = gettext_noop("Choose an actor of this municipality.")
INACTIVE_PROMOTOR = gettext_noop("An inactive actor cannot lead a working group.")
INACTIVE_MEMBER = gettext_noop("An inactive actor cannot join a working group.")
ALREADY_MEMBER = gettext_noop("This actor is a member already.")
INACTIVE_WORKING_GROUP = gettext_noop("An inactive working group takes no new members.")
END_BEFORE_START = gettext_noop("The membership cannot end before it starts.")
ALREADY_ENDED = gettext_noop("This membership has ended already.")


def _check_promotor(promotor: Actor | None, municipality_id: int) -> None:
    if promotor is None:
        return
    if promotor.municipality_id != municipality_id:
        raise ValidationError({"promotor": _(NOT_OF_MUNICIPALITY)})
    if not promotor.active:
        raise ValidationError({"promotor": _(INACTIVE_PROMOTOR)})


@transaction.atomic
def working_group_create(
    *, municipality: Municipality, name: str, mandate: str = "", promotor: Actor | None, by
) -> WorkingGroup:
    """A working group of ``municipality``, led by ``promotor`` (an active actor of it)."""
    _check_promotor(promotor, municipality.pk)
    working_group = WorkingGroup(
        municipality=municipality, name=name.strip(), mandate=mandate.strip(), promotor=promotor
    )
    return _save(working_group, by, gettext_noop("Working group created"))


@transaction.atomic
def working_group_update(*, working_group: WorkingGroup, by, **fields) -> WorkingGroup:
    """Change the name, mandate or lead promotor of a working group."""
    unknown = set(fields) - set(WORKING_GROUP_FIELDS)
    if unknown:
        raise ValueError(f"Not working group fields: {sorted(unknown)}")
    if "promotor" in fields and fields["promotor"] != working_group.promotor:
        _check_promotor(fields["promotor"], working_group.municipality_id)
    for name, value in fields.items():
        setattr(working_group, name, value.strip() if isinstance(value, str) else value)
    return _save(working_group, by, gettext_noop("Working group changed"))


@transaction.atomic
def working_group_set_active(*, working_group: WorkingGroup, active: bool, by) -> WorkingGroup:
    """Close a working group (it stays, with its members and history) or open it again."""
    if working_group.active == active:
        return working_group
    working_group.active = active
    reason = (
        gettext_noop("Working group reopened") if active else gettext_noop("Working group closed")
    )
    return _save(working_group, by, reason)


@transaction.atomic
def working_group_add_member(
    *, working_group: WorkingGroup, actor: Actor, start: datetime.date, by
) -> WorkingGroupMembership:
    """``actor`` is a member from ``start``; one open membership per actor and working group."""
    # Locks the working group, so that two coordinators adding the same actor at once cannot
    # both pass the check below (the database's unique constraint is the last guard).
    lock_row(working_group)
    if actor.municipality_id != working_group.municipality_id:
        raise ValidationError({"actor": _(NOT_OF_MUNICIPALITY)})
    if not actor.active:
        raise ValidationError({"actor": _(INACTIVE_MEMBER)})
    if not working_group.active:
        raise ValidationError(_(INACTIVE_WORKING_GROUP))
    other = first_overlap(working_group.memberships.filter(actor=actor), start)
    if other is not None and other.end is None:
        raise ValidationError({"actor": _(ALREADY_MEMBER)})
    if other is not None:
        raise ValidationError(
            {
                "start": _("%(actor)s was a member until %(end)s: start after that.")
                % {"actor": actor, "end": as_text(other.end)}
            }
        )
    return _save(
        WorkingGroupMembership(working_group=working_group, actor=actor, start=start),
        by,
        gettext_noop("Member added"),
    )


@transaction.atomic
def working_group_end_member(
    *, membership: WorkingGroupMembership, end: datetime.date, by
) -> WorkingGroupMembership:
    """The member leaves the working group on ``end`` (the membership is kept, dated)."""
    membership = WorkingGroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.end is not None:
        raise ValidationError(_(ALREADY_ENDED))
    if end < membership.start:
        raise ValidationError({"end": _(END_BEFORE_START)})
    membership.end = end
    return _save(membership, by, gettext_noop("Member left"))


# --- Calendar feeds ----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user, by) -> CalendarFeed:
    """A new secret address for ``user``'s meetings; the previous one stops working."""
    # Serialised per person: a double click revokes the address the first click made.
    lock_row(user)
    for feed in CalendarFeed.objects.select_for_update().filter(user=user, revoked=False):
        feed.revoked = True
        _save(feed, by, gettext_noop("Calendar address replaced"))
    return _save(
        CalendarFeed(user=user, token=secrets.token_urlsafe(32)),
        by,
        gettext_noop("Calendar address made"),
    )


@transaction.atomic
def calendar_feed_revoke(*, user, by) -> None:
    for feed in CalendarFeed.objects.select_for_update().filter(user=user, revoked=False):
        feed.revoked = True
        _save(feed, by, gettext_noop("Calendar address revoked"))


# --- Meeting documents -------------------------------------------------------------------------


@transaction.atomic
def document_attach(*, meeting: Meeting, kind: str, title: str, file, by) -> MeetingDocument:
    """Attach a file to a meeting: its type judged from the content, its size limited, stored
    under a name of ours (the title keeps the uploader's)."""
    if file.size > MAX_BYTES:
        raise ValidationError(
            {"file": _("A document may be at most %(mb)s MB.") % {"mb": MAX_BYTES // 1024**2}}
        )
    try:
        found = sniff(file)
    except Refused as refused:
        raise ValidationError({"file": refused.message}) from None
    if found is None:
        raise ValidationError(
            {"file": _("Upload a PDF, a Word or OpenDocument text, or a PNG or JPEG image.")}
        )
    content_type, extension = found
    document = MeetingDocument(
        meeting=meeting, kind=kind, title=title.strip(), content_type=content_type, size=file.size
    )
    document.file.save(f"document{extension}", file, save=False)
    return _save(document, by, gettext_noop("Document attached"))


@transaction.atomic
def document_remove(*, document: MeetingDocument, by) -> MeetingDocument:
    """Take a document off the meeting. Its row, file and history stay on record (a wrong
    version of the minutes is replaced, not erased)."""
    lock_row(document)
    document.refresh_from_db(fields=["removed_at"])
    if document.removed_at is not None:
        return document
    document.removed_at = timezone.now()
    return _save(document, by, gettext_noop("Document removed"))
