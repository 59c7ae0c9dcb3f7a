"""Lindenberg's demo kerngroep: nine seats held, one not present in the municipality."""

import datetime

from django.db import transaction
from django.utils import timezone

from actors.models import Actor

from .constants import AttendanceStatus, SeatFunction, TaskStatus
from .models import CoreGroup
from .selectors import attendees, composition
from .services import (
    attendance_record,
    core_group_ensure,
    decision_record,
    meeting_schedule,
    meeting_update_minutes,
    seat_set_holder,
    seat_set_not_present,
    task_add,
    task_set_status,
    working_group_add_member,
    working_group_create,
)

START = datetime.date(2023, 1, 15)
HOLDERS = {
    SeatFunction.MAYOR: "Marleen Peeters",
    SeatFunction.PROSECUTOR: "Dirk Van den Broeck",
    SeatFunction.POLICE_CHIEF: "Ingrid Wouters",
    SeatFunction.ALDERMAN_WELFARE: "Sofie Maes",
    SeatFunction.ALDERMAN_SECURITY: "Luc Janssens",
    SeatFunction.ALDERMAN_PUBLIC_WORKS: "Bart Jacobs",
    SeatFunction.ALDERMAN_MOBILITY: "Nadia El Amrani",
    SeatFunction.COORDINATOR: "Koen Claes",
    SeatFunction.PREVENTION_OFFICER: "Els Mertens",
}


@transaction.atomic
def seed(municipalities, stdout=None):
    lindenberg = municipalities.get("lindenberg")
    if lindenberg is None or CoreGroup.objects.filter(municipality=lindenberg).exists():
        return
    core_group = core_group_ensure(municipality=lindenberg, by=None)
    actors = {a.name: a for a in Actor.objects.filter(municipality=lindenberg)}
    for seat in core_group.seats.all():
        if seat.function == SeatFunction.COMPLAINTS_OFFICER:
            seat_set_not_present(seat=seat, not_present=True, end=START, by=None)
        elif seat.function in HOLDERS and HOLDERS[seat.function] in actors:
            seat_set_holder(seat=seat, actor=actors[HOLDERS[seat.function]], start=START, by=None)
    if stdout:
        stdout.write("Lindenberg: core group with nine seats held, one not present.")


MEETINGS = [
    (
        datetime.datetime(2025, 3, 13, 14, 0),
        ["Goedkeuring verslag", "Stand van zaken woninginbraak", "Voorbereiding veiligheidsplan"],
        [
            (
                "De kerngroep kiest woninginbraak, drugsoverlast en verkeersveiligheid als prioriteiten "
                "voor het nieuwe plan.",
                True,
                "Prioriteitennota opstellen",
                "Koen Claes",
                30,
            ),
        ],
    ),
    (
        datetime.datetime(2025, 6, 12, 14, 0),
        ["Goedkeuring verslag", "Cijfers lokale politie", "Werkgroepen"],
        [
            (
                "Een werkgroep jeugd en overlast wordt opgericht onder leiding van Lies Goossens.",
                True,
                "Mandaat van de werkgroep uitschrijven",
                "Lies Goossens",
                21,
            ),
            (
                "Camerabewaking in de Stationsbuurt wordt onderzocht; de politie is voor, de "
                "straathoekwerkers vragen eerst overleg met de buurt.",
                False,
                "Buurtoverleg Stationsbuurt organiseren",
                "Tom Wouters",
                45,
            ),
        ],
    ),
    (
        datetime.datetime(2025, 10, 9, 14, 0),
        ["Goedkeuring verslag", "Ontwerp actieprogramma", "Varia"],
        [
            (
                "Het ontwerp van het actieprogramma wordt besproken en met aanpassingen aanvaard.",
                True,
                "Aangepast ontwerp rondsturen aan de kerngroep",
                "Koen Claes",
                14,
            ),
        ],
    ),
]

WORKING_GROUPS = [
    (
        "Werkgroep jeugd en overlast",
        "Lies Goossens",
        "Werkt acties uit tegen jongerenoverlast op pleinen en in het stationsgebied.",
        [
            "Lies Goossens",
            "Jeugddienst",
            "Tom Wouters",
            "Jeugdhuis De Kelder",
            "Wijkpolitie Centrum",
        ],
    ),
    (
        "Werkgroep woninginbraak",
        "Els Mertens",
        "Zet de acties tegen woninginbraak uit: diefstalpreventieadvies, BIN's, techno-preventie.",
        ["Els Mertens", "Wijkpolitie Centrum", "BIN Centrum", "BIN Stationsbuurt"],
    ),
]


@transaction.atomic
def seed_meetings(municipalities, stdout=None):
    """Three past kerngroep meetings with decisions and follow-up tasks, two working groups."""
    lindenberg = municipalities.get("lindenberg")
    core_group = CoreGroup.objects.filter(municipality=lindenberg).first() if lindenberg else None
    if core_group is None or core_group.meetings.exists():
        return
    actors = {a.name: a for a in Actor.objects.filter(municipality=lindenberg)}
    zone = timezone.get_current_timezone()
    for starts_at, agenda, decisions in MEETINGS:
        meeting = meeting_schedule(
            core_group=core_group,
            starts_at=starts_at.replace(tzinfo=zone),
            place="Stadhuis, raadzaal",
            agenda=agenda,
            by=None,
            invite=False,  # past meetings: nobody to invite
        )
        rows = [
            {"seat": row.seat, "actor": row.holding.actor, "status": AttendanceStatus.PRESENT}
            for row in composition(core_group, starts_at.date()).rows
            if row.holding is not None
        ]
        attendance_record(meeting=meeting, rows=rows, by=None)
        meeting_update_minutes(
            meeting=meeting,
            by=None,
            minutes="De agendapunten werden besproken; de beslissingen staan hieronder.",
        )
        for text, consensus, task, assignee, days in decisions:
            decision = decision_record(meeting=meeting, text=text, consensus=consensus, by=None)
            added = task_add(
                decision=decision,
                description=task,
                assignee=actors[assignee],
                due=starts_at.date() + datetime.timedelta(days=days),
                by=None,
            )
            if starts_at.year == 2025 and starts_at.month < 10:
                task_set_status(task=added, status=TaskStatus.DONE, by=None)
    groups = []
    for name, promotor, mandate, members in WORKING_GROUPS:
        group = working_group_create(
            municipality=lindenberg, name=name, mandate=mandate, promotor=actors[promotor], by=None
        )
        groups.append(group)
        for member in members:
            working_group_add_member(
                working_group=group, actor=actors[member], start=START, by=None
            )
    _seed_working_group_meeting(groups[0], actors, zone)
    if stdout:
        stdout.write("Lindenberg: three kerngroep meetings, two working groups, one of which met.")


def _seed_working_group_meeting(group, actors, zone):
    """The youth working group met once: attendance per member, a decision and a task."""
    starts_at = datetime.datetime(2025, 11, 4, 19, 0, tzinfo=zone)
    meeting = meeting_schedule(
        working_group=group,
        starts_at=starts_at,
        place="Jeugdhuis De Kelder",
        agenda=["Overlast stationsplein", "Zomerwerking"],
        by=None,
        invite=False,
    )
    rows = [
        {"seat": None, "actor": row.actor, "status": AttendanceStatus.PRESENT}
        for row in attendees(meeting)
    ]
    attendance_record(meeting=meeting, rows=rows, by=None)
    decision = decision_record(
        meeting=meeting,
        text="Een straathoekwerker start op het stationsplein op vrijdagavond.",
        consensus=True,
        by=None,
    )
    task_add(
        decision=decision,
        description="Afspraken met de straathoekwerker op papier zetten",
        assignee=actors["Lies Goossens"],
        due=starts_at.date() + datetime.timedelta(days=30),
        by=None,
    )
