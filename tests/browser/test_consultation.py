"""The public consultation in a browser: a resident on a small phone (360 px) reads the demo plan
in consultation on its public page, without an account, sends a remark and gets its reference;
the coordinator, on a phone too, finds the remark in the list, publishes it without the name of
the neighbour it mentions and answers it. No page scrolls sideways."""

from django.urls import reverse

from playwright.sync_api import expect

from plans.constants import PlanState, RemarkSource, RemarkStatus, Verdict
from plans.models import Plan, Remark
from plans.services.consultation import address_hash

from .conftest import PHONE
from .support import scroll_width, tr

WIDTH = PHONE["width"]
TEXT = "Mijn buurman Karel Vos parkeert elke avond op het fietspad aan de Kerkstraat."
REDACTED = "Een buur parkeert elke avond op het fietspad aan de Kerkstraat."
MOTIVATION = "De gemeenschapswachten controleren het fietspad voortaan 's avonds."


def assert_no_sideways_scroll(page, what):
    assert scroll_width(page) <= WIDTH, f"{what} scrolls sideways at {WIDTH} px"


def test_a_resident_sends_a_remark_on_a_phone_and_the_coordinator_answers_it(
    demo, live_server, new_page, log_in, mailoutbox
):
    plan = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.CONSULTATION)
    before = set(Remark.objects.filter(plan=plan).values_list("pk", flat=True))
    goal = plan.goals.filter(parent=None, archived_at=None).order_by("order").first()
    public = reverse("public-plan", kwargs={"municipality": "lindenberg", "pk": plan.pk})

    # The resident, without an account, on a small phone.
    resident = new_page(PHONE)
    resident.goto(public)
    expect(resident.get_by_role("heading", level=1)).to_contain_text(plan.title)
    expect(resident.locator(".consultation-status")).to_contain_text(
        tr("The consultation is open.")
    )
    assert_no_sideways_scroll(resident, "the public page")
    form = resident.locator("#remark")
    honeypot = form.locator("input[name=website]")
    box = honeypot.bounding_box()  # out of sight for people, left of the screen
    assert box is not None
    assert box["x"] + box["width"] <= 0, f"the honeypot is on the page: {box}"
    form.get_by_label(tr("Your remark")).fill(TEXT)
    form.get_by_label(tr("About the goal")).select_option(label=goal.title)
    form.get_by_label(tr("Your name")).fill("Lies Vos")
    form.get_by_label(tr("Your e-mail address")).fill("lies.vos@example.org")
    form.get_by_role("button", name=tr("Send"), exact=True).click()

    expect(resident.get_by_role("heading", level=1)).to_have_text(tr("Thank you for your remark"))
    remark = Remark.objects.filter(plan=plan).exclude(pk__in=before).get()
    expect(resident.locator("main strong")).to_have_text(remark.reference)
    assert "ontvangen/" in resident.url
    assert_no_sideways_scroll(resident, "the thanks page")
    assert remark.text == TEXT
    assert remark.goal == goal
    assert remark.source == RemarkSource.ONLINE
    assert remark.status == RemarkStatus.NEW
    assert remark.address_hash == address_hash("127.0.0.1")
    assert [m.to for m in mailoutbox if remark.reference in m.subject] == [["lies.vos@example.org"]]
    # Back on the plan: the address is nowhere on the public page.
    resident.get_by_role("link", name=plan.title).click()
    expect(resident.locator("main")).not_to_contain_text("lies.vos@example.org")

    # The coordinator, on a phone too, finds the remark in the list.
    coordinator = new_page(PHONE)
    log_in(coordinator, "coordinator")
    coordinator.goto(
        reverse("plans:plan-detail", kwargs={"municipality": "lindenberg", "pk": plan.pk})
    )
    coordinator.get_by_role("link", name=tr("Remarks"), exact=True).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        tr("Remarks of the consultation")
    )
    assert_no_sideways_scroll(coordinator, "the remark list")
    coordinator.locator("input[name=q]").fill("fietspad")
    coordinator.get_by_role("button", name=tr("Filter"), exact=True).click()
    rows = coordinator.locator("table tbody tr")
    expect(rows).to_have_count(1)
    assert_no_sideways_scroll(coordinator, "the filtered remark list")
    rows.get_by_role("link", name=remark.reference, exact=True).click()

    # Publishes it without the neighbour's name, and answers it.
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(remark.reference)
    expect(coordinator.locator("main")).to_contain_text("lies.vos@example.org")
    assert_no_sideways_scroll(coordinator, "the remark page")
    moderation = coordinator.locator("form", has=coordinator.locator("input[value=moderate]"))
    moderation.locator("select[name=status]").select_option(RemarkStatus.PUBLISHED)
    moderation.locator("textarea[name=redacted_text]").fill(REDACTED)
    moderation.get_by_role("button", name=tr("Save the publication"), exact=True).click()
    expect(coordinator.get_by_role("status")).to_contain_text(
        tr("The remark's publication has been saved.")
    )
    answer = coordinator.locator("form", has=coordinator.locator("input[value=respond]"))
    answer.locator(f"input[name=verdict][value={Verdict.ACCEPTED}]").check()
    answer.locator("textarea[name=motivation]").fill(MOTIVATION)
    answer.get_by_role("button", name=tr("Save the response"), exact=True).click()
    expect(coordinator.get_by_role("status")).to_contain_text(tr("The response has been saved."))
    assert_no_sideways_scroll(coordinator, "the remark page after the answer")

    remark.refresh_from_db()
    assert remark.status == RemarkStatus.PUBLISHED
    assert remark.redacted_text == REDACTED
    assert remark.text == TEXT
    assert remark.response.verdict == Verdict.ACCEPTED
    assert remark.response.motivation == MOTIVATION
    assert list(
        remark.history.order_by("history_id").values_list(
            "history_user__username", "history_change_reason"
        )
    ) == [(None, "Remark received"), ("coordinator", "Remark published")]
    assert remark.response.history.get().history_user.username == "coordinator"

    # The antwoordnota shows the published text and the answer, never the original.
    coordinator.goto(
        reverse("plans:antwoordnota", kwargs={"municipality": "lindenberg", "pk": plan.pk})
    )
    main = coordinator.locator("main")
    expect(main).to_contain_text(REDACTED)
    expect(main).to_contain_text(MOTIVATION)
    expect(main).not_to_contain_text("Karel Vos")
    assert_no_sideways_scroll(coordinator, "the antwoordnota")
