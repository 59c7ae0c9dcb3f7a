"""The coordinator plans a kerngroep meeting, records attendance and a consensus decision with a
follow-up task."""

from playwright.sync_api import expect

from coregroup.constants import AttendanceStatus
from coregroup.models import Meeting, Seat

from .support import in_language, tr


def test_the_coordinator_plans_a_meeting_and_records_a_decision_with_a_task(
    demo, live_server, page, log_in
):
    log_in(page, "coordinator")
    page.get_by_role("navigation", name=tr("Main navigation")).get_by_role(
        "link", name=tr("Core group"), exact=True
    ).click()
    page.locator("main").get_by_role("link", name=tr("Meetings"), exact=True).first.click()
    page.get_by_role("link", name=tr("Schedule a meeting"), exact=True).click()

    page.locator("input[name=starts_at]").fill("2026-12-10T14:00")
    page.locator("input[name=place]").fill("Stadhuis, raadzaal")
    page.locator("textarea[name=agenda]").fill("Goedkeuring verslag\nOntwerp actieprogramma")
    page.get_by_role("button", name=tr("Schedule and invite"), exact=True).click()

    meeting = Meeting.objects.filter(place="Stadhuis, raadzaal").order_by("-pk").first()
    expect(page.get_by_role("heading", level=1)).to_contain_text("10/12/2026")
    assert [item.title for item in meeting.agenda_items.all()] == [
        "Goedkeuring verslag",
        "Ontwerp actieprogramma",
    ]

    # Attendance: the first seat holder is excused, the others present.
    statuses = page.locator("select[name$=status]")
    expect(statuses.first).to_be_visible()
    statuses.first.select_option(AttendanceStatus.EXCUSED)
    for index in range(1, statuses.count()):
        statuses.nth(index).select_option(AttendanceStatus.PRESENT)
    page.get_by_role("button", name=tr("Save the attendance"), exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    assert meeting.attendances.filter(status=AttendanceStatus.EXCUSED).count() == 1

    page.get_by_role("link", name=tr("Record a decision"), exact=True).click()
    page.locator("textarea[name=text]").fill("Het ontwerp van het actieprogramma wordt aanvaard.")
    page.locator("input[name=consensus]").check()
    page.get_by_role("button", name=tr("Record"), exact=True).click()
    decision = meeting.decisions.get()
    assert decision.consensus

    page.get_by_role("link", name=tr("Add a follow-up task")).first.click()
    page.locator("input[name=description]").fill("Ontwerp rondsturen aan de kerngroep")
    page.locator("select[name=assignee]").select_option(label="Koen Claes")
    page.locator("input[name=due]").fill("2026-12-20")
    page.locator("main form button[type=submit]").first.click()

    expect(page.locator("main")).to_contain_text("Ontwerp rondsturen aan de kerngroep")
    task = decision.tasks.get()
    assert task.assignee.name == "Koen Claes"
    assert task.history.latest().history_user.username == "coordinator"


def test_the_coordinator_marks_a_seat_not_present_and_present_again(
    demo, live_server, page, log_in
):
    """The seat buttons are part of the cached seats table and submit the page's one form."""
    seat = next(
        seat
        for seat in Seat.objects.filter(core_group__municipality__slug="lindenberg").order_by("pk")
        if not seat.holdings.filter(end__isnull=True).exists()
    )
    name = in_language(seat)
    log_in(page, "coordinator")
    page.get_by_role("navigation", name=tr("Main navigation")).get_by_role(
        "link", name=tr("Core group"), exact=True
    ).click()

    steps = [("Not present in this municipality", True), ("Present after all", False)]
    if seat.not_present:
        steps.reverse()
    for label, not_present in steps:
        page.get_by_role("button", name=f"{tr(label)} · {name}").click()
        expect(page.get_by_role("status").first).to_contain_text(name)
        seat.refresh_from_db()
        assert seat.not_present is not_present
    expect(page.get_by_role("button", name=f"{tr(steps[0][0])} · {name}")).to_be_visible()
