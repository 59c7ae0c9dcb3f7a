"""Documents in a browser: a college member downloads the document to adopt from the vote page,
finds the fingerprint the page shows, and votes; a resident downloads the adopted plan from the
public page and checks the copy on the verification page."""

import hashlib

from django.urls import reverse

from playwright.sync_api import expect

from plans.constants import PlanState
from plans.models import Plan, VoteRound

from .conftest import PHONE
from .support import tr


def test_the_college_reads_the_document_it_adopts_and_a_resident_checks_the_adopted_plan(
    demo, live_server, new_page, log_in
):
    plan = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.COLLEGE_ADOPTION)
    vote_round = VoteRound.objects.get(plan=plan, kind="adoption", status="open")
    document = vote_round.document
    assert document.is_ready
    kwargs = {"municipality": "lindenberg", "pk": plan.pk}

    # A college member downloads the document from the vote page, then votes on it.
    member = new_page()
    log_in(member, "schepen1")
    member.goto(reverse("plans:vote", kwargs=kwargs))
    expect(member.locator("code.hash", has_text=document.sha256)).to_be_visible()
    with member.expect_download() as download:
        member.locator(f'a[href="{reverse("plans:adoption-pdf", kwargs=kwargs)}"]').click()
    content = download.value.path().read_bytes()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    member.locator("input[name=choice][value=approve]").check()
    member.get_by_role("button", name=tr("Vote"), exact=True).click()
    expect(member.get_by_role("status")).to_be_visible()
    assert vote_round.votes.filter(member__username="schepen1", choice="approve").exists()

    # A resident, on a phone, downloads the adopted plan and checks the copy.
    adopted = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.STEERING)
    resident = new_page(PHONE)
    resident.goto(reverse("public-plan", kwargs={"municipality": "lindenberg", "pk": adopted.pk}))
    with resident.expect_download() as download:
        resident.get_by_role("link", name=tr("Download the adopted plan (PDF)")).click()
    copy = download.value.path()
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == adopted.adopted_round.document.sha256
    resident.get_by_role("link", name=tr("Check a copy")).click()
    resident.locator("input[type=file][name=document]").set_input_files(str(copy))
    resident.get_by_role("button", name=tr("Check"), exact=True).click()
    expect(resident.get_by_role("heading", level=2)).to_have_text(tr("This is an adopted plan"))
    expect(resident.get_by_role("status")).to_contain_text(adopted.title)
