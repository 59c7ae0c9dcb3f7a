"""Bad input on the kerngroep's forms (composition, seats, working groups, meetings, attendance,
minutes, decisions, tasks, documents, the calendar address): never a 500, a refusal says why and
stores nothing, what is accepted is stored as typed and shown escaped (tests/bad_input.py)."""

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from coregroup.constants import DocumentKind, TaskStatus
from coregroup.forms import SeatStateForm
from coregroup.meeting_forms import TaskStatusForm
from tests.bad_input import FormCase, changed_tables, db_state, run_case
from tests.bad_input_world import World
from tests.strategies import PDF_FILE, for_field, nasty_choice, nasty_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(lindenberg, heidebeek, make_member, client):
    return World(lindenberg, heidebeek, make_member, client)


def translated(message) -> str:
    with translation.override("nl"):
        return gettext(message)


def page(name, **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": "lindenberg", **kwargs})


def composition():
    return [page("composition"), page("composition-print"), page("composition-history")]


def meeting_pages(meeting):
    return [
        page("meeting-detail", pk=meeting.pk),
        page("meeting-history", pk=meeting.pk),
        page("meeting-list"),
        page("meeting-tasks"),
    ]


def attendance_forms(world):
    return world.shown_form(page("meeting-detail", pk=world.meeting.pk), "attendance_forms")


def attendance_fields(world):
    fields = {}
    for form in attendance_forms(world):
        for name, field in form.fields.items():
            fields[form.add_prefix(name)] = for_field(field)
    return fields


CASES = [
    FormCase(
        "setup", route="coregroup:setup", url=lambda w: page("setup"), user=lambda w: w.coordinator
    ),
    FormCase(
        "seat-add",
        route="coregroup:seat-add",
        url=lambda w: (w.core_group, page("seat-add"))[1],
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("seat-add")),
        accepted=lambda w: {"title": "Vertegenwoordiger van de scholen"},
        shows=lambda w: composition(),
    ),
    FormCase(
        "seat-holder",
        route="coregroup:seat-holder",
        url=lambda w: page("seat-holder", pk=w.seat.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("seat-holder", pk=w.seat.pk)),
        accepted=lambda w: {"actor": str(w.actor.pk), "start": "2026-01-01"},
        shows=lambda w: composition(),
    ),
    FormCase(
        "seat-state",
        route="coregroup:seat-state",
        url=lambda w: page("seat-state", pk=w.seat.pk),
        user=lambda w: w.coordinator,
        form=lambda w: SeatStateForm(),
        accepted=lambda w: {"action": SeatStateForm.VACATE, "end": "2026-01-01"},
        shows=lambda w: composition(),
    ),
    FormCase(
        "composition-pdf",
        route="coregroup:composition-pdf",
        url=lambda w: (w.seat, page("composition-pdf"))[1],
        user=lambda w: w.coordinator,
        success_redirects=False,
        examples=3,
    ),
    FormCase(
        "working-group-create",
        route="coregroup:working-group-create",
        url=lambda w: page("working-group-create"),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("working-group-create")),
        accepted=lambda w: {"name": "Werkgroep fietsdiefstal"},
        shows=lambda w: [page("working-group-list")],
    ),
    FormCase(
        "working-group-update",
        route="coregroup:working-group-update",
        url=lambda w: page("working-group-update", pk=w.working_group.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("working-group-update", pk=w.working_group.pk)),
        shows=lambda w: [
            page("working-group-list"),
            page("working-group-history", pk=w.working_group.pk),
        ],
    ),
    FormCase(
        "working-group-active",
        route="coregroup:working-group-active",
        url=lambda w: page("working-group-active", pk=w.working_group.pk),
        user=lambda w: w.coordinator,
        accepted=lambda w: {"active": "0"},
        fields=lambda w: {"active": nasty_choice(["0", "1"])},
    ),
    FormCase(
        "working-group-member-add",
        route="coregroup:working-group-member-add",
        url=lambda w: page("working-group-member-add", pk=w.working_group.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("working-group-member-add", pk=w.working_group.pk)),
        accepted=lambda w: {"actor": str(w.person.pk), "start": "2026-01-01"},
    ),
    FormCase(
        "working-group-member-end",
        route="coregroup:working-group-member-end",
        url=lambda w: page(
            "working-group-member-end", pk=w.working_group.pk, membership_pk=w.membership.pk
        ),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(
            page("working-group-member-end", pk=w.working_group.pk, membership_pk=w.membership.pk)
        ),
    ),
    FormCase(
        "meeting-schedule",
        route="coregroup:meeting-schedule",
        url=lambda w: (w.seat, page("meeting-schedule"))[1],
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("meeting-schedule")),
        accepted=lambda w: {
            "starts_at": "2026-05-04T19:30",
            "place": "Raadzaal",
            "agenda": "Opening\r\nVeiligheidsplan",
        },
        shows=lambda w: [page("meeting-list")],
    ),
    FormCase(
        "working-group-meeting-schedule",
        route="coregroup:working-group-meeting-schedule",
        url=lambda w: page("working-group-meeting-schedule", pk=w.working_group.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("working-group-meeting-schedule", pk=w.working_group.pk)),
        accepted=lambda w: {"starts_at": "2026-05-04T19:30", "agenda": "Opstart"},
        shows=lambda w: [page("working-group-detail", pk=w.working_group.pk)],
    ),
    FormCase(
        "meeting-attendance",
        route="coregroup:meeting-attendance",
        url=lambda w: page("meeting-attendance", pk=w.meeting.pk),
        user=lambda w: w.coordinator,
        accepted=lambda w: {f.add_prefix("status"): "present" for f in attendance_forms(w)},
        fields=attendance_fields,
        shows=lambda w: meeting_pages(w.meeting),
    ),
    FormCase(
        "meeting-minutes",
        route="coregroup:meeting-minutes",
        url=lambda w: page("meeting-minutes", pk=w.meeting.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("meeting-minutes", pk=w.meeting.pk)),
        shows=lambda w: meeting_pages(w.meeting),
    ),
    FormCase(
        "meeting-delete",
        route="coregroup:meeting-delete",
        url=lambda w: page("meeting-delete", pk=w.empty_meeting.pk),
        user=lambda w: w.coordinator,
    ),
    FormCase(
        "decision-add",
        route="coregroup:decision-add",
        url=lambda w: page("decision-add", pk=w.meeting.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("decision-add", pk=w.meeting.pk)),
        accepted=lambda w: {"text": "De kerngroep keurt het plan goed."},
        shows=lambda w: meeting_pages(w.meeting),
    ),
    FormCase(
        "task-add",
        route="coregroup:task-add",
        url=lambda w: (w.meeting, page("task-add", pk=w.decision.pk))[1],
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("task-add", pk=w.decision.pk)),
        accepted=lambda w: {"description": "Offerte vragen", "assignee": str(w.actor.pk)},
        shows=lambda w: meeting_pages(w.meeting),
    ),
    FormCase(
        "task-status",
        route="coregroup:task-status",
        url=lambda w: (w.meeting, page("task-status", pk=w.task.pk))[1],
        user=lambda w: w.coordinator,
        form=lambda w: TaskStatusForm(),
        accepted=lambda w: {"status": TaskStatus.DONE},
        fields=lambda w: {"next": nasty_choice(["tasks", ""])},
    ),
    FormCase(
        "calendar",
        route="coregroup:calendar",
        url=lambda w: page("calendar"),
        user=lambda w: w.coordinator,
        accepted=lambda w: {"action": "renew"},
        fields=lambda w: {"action": nasty_choice(["renew", "revoke"])},
    ),
    FormCase(
        "document-add",
        route="coregroup:document-add",
        url=lambda w: page("document-add", pk=w.meeting.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("document-add", pk=w.meeting.pk)),
        accepted=lambda w: {
            "kind": DocumentKind.AGENDA,
            "title": "Agenda",
            "file": ("agenda.pdf", PDF_FILE),
        },
        shows=lambda w: [
            *meeting_pages(w.meeting),
            page("document-history", pk=w.meeting.pk),
        ],
    ),
    FormCase(
        "document-remove",
        route="coregroup:document-remove",
        url=lambda w: page("document-remove", pk=w.document.pk),
        user=lambda w: w.coordinator,
        fields=lambda w: {"title": nasty_text()},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input(client, world, case):
    run_case(client, case, world)


# --- Regressions found by the cases above -------------------------------------------------------


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "0001-01-01T00:16"])
def test_a_meeting_in_the_year_1_is_refused_not_a_500(client, world, moment):
    """Midnight of 1 January of the year 1 in Brussels is still the year 0 in UTC: the database
    could not hold it, and the page failed."""
    from safetynet.forms import DateTimeField

    client.force_login(world.coordinator)
    world.seat  # noqa: B018
    before = db_state()
    response = client.post(page("meeting-schedule"), {"starts_at": moment, "agenda": "Punt"})
    assert response.status_code == 200
    message = str(DateTimeField.default_error_messages["out_of_range"])
    assert escape(translated(message)) in response.content.decode()
    assert changed_tables(before, db_state()) == {}


def test_a_wrong_attendance_says_which_row(client, world):
    """The status of a row that is not one of the choices was refused without a word."""
    client.force_login(world.coordinator)
    forms = attendance_forms(world)
    data = {form.add_prefix("status"): "present" for form in forms}
    data[forms[0].add_prefix("status")] = "<b>vakantie</b>"
    before = db_state()
    response = client.post(page("meeting-attendance", pk=world.meeting.pk), data)
    assert response.status_code == 200
    page_html = response.content.decode()
    assert "&lt;b&gt;vakantie&lt;/b&gt;" in page_html  # the refused value, named and escaped
    assert f'id="{forms[0]["status"].auto_id}-error"' in page_html
    assert changed_tables(before, db_state()) == {}


def test_a_document_whose_file_is_gone_is_a_404(client, world):
    from coregroup.models import MeetingDocument

    client.force_login(world.coordinator)
    document = MeetingDocument.objects.create(
        meeting=world.meeting, kind="other", title="Zoek", content_type="application/pdf", size=1
    )
    assert client.get(page("document-download", pk=document.pk)).status_code == 404
    stored = world.document
    stored.file.storage.delete(stored.file.name)
    assert client.get(page("document-download", pk=stored.pk)).status_code == 404
