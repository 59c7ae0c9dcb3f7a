"""Phase 4 in a browser: a promotor finds the report they owe on their dashboard, writes it on
the action plan's follow-up page, and the coordinator sees it on the monitor."""

from django.urls import reverse

from playwright.sync_api import expect

from plans.constants import PlanState, ReportStatus
from plans.models import ActionPlan, ProgressReport
from plans.services.steering import reportable_periods

from .conftest import PHONE
from .support import scroll_width, tr

TEXT = "De straathoekwerkers zijn nu ook op zaterdagavond aan het werk."


def test_a_promotor_reports_and_the_coordinator_sees_it_on_the_monitor(
    demo, live_server, new_page, log_in
):
    action_plan = ActionPlan.objects.select_related("goal__plan").get(
        goal__plan__municipality__slug="lindenberg",
        goal__plan__state=PlanState.STEERING,
        promotor__user__username="promotor1",
        title__startswith="Straathoekwerk",
    )
    plan = action_plan.goal.plan
    overdue = reportable_periods(action_plan)[-1]  # the oldest period owed: overdue
    assert not ProgressReport.objects.filter(
        action_plan=action_plan, period_end=overdue.end
    ).exists()

    # The promotor, on a phone: the dashboard says what is owed, the follow-up page takes it.
    promotor = new_page(PHONE)
    log_in(promotor, "promotor1")
    panel = promotor.locator("#panel-reports-due").locator("xpath=..")
    expect(panel).to_contain_text(action_plan.title)
    panel.get_by_role("link", name=action_plan.title).click()
    expect(promotor.get_by_role("heading", level=1)).to_have_text(action_plan.title)
    promotor.get_by_role("link", name=tr("Report progress")).click()
    promotor.locator("[name=period_end]").select_option(overdue.end.isoformat())
    promotor.locator("[name=status]").select_option(ReportStatus.ON_TRACK.value)
    promotor.locator("[name=percent]").fill("85")
    promotor.locator("[name=budget_spent]").fill("12500")
    promotor.locator("[name=text]").fill(TEXT)
    assert scroll_width(promotor) <= PHONE["width"], "the report form scrolls sideways"
    promotor.get_by_role("button", name=tr("Save the report")).click()
    expect(promotor.locator(".messages")).to_contain_text(tr("The progress report has been saved."))
    expect(promotor.locator("article.report").first).to_contain_text(TEXT)

    report = ProgressReport.objects.get(action_plan=action_plan, period_end=overdue.end)
    assert (report.status, report.percent, report.author.username) == (
        ReportStatus.ON_TRACK,
        85,
        "promotor1",
    )
    assert report.history.get().history_user.username == "promotor1"

    # The coordinator sees it on the monitor: the action plan on track at 85 %, nothing overdue.
    coordinator = new_page()
    log_in(coordinator, "coordinator")
    coordinator.goto(reverse("monitor:monitor", kwargs={"municipality": "lindenberg"}))
    expect(coordinator.get_by_role("heading", level=1)).to_be_visible()
    row = (
        coordinator.locator("#monitor-status")
        .locator("xpath=..")
        .locator("tr")
        .filter(has_text=action_plan.title)
    )
    expect(row).to_contain_text("85 %")
    expect(row).to_contain_text(tr("On track"))
    expect(row.locator(".tag.warning")).to_have_count(0)
    overdue_table = coordinator.locator("#monitor-overdue").locator("xpath=..")
    expect(overdue_table).not_to_contain_text(action_plan.title)
    assert plan.state == PlanState.STEERING
