"""The other documents: the antwoordnota, a vote round's decision extract (how each member voted
only in the copy for those who may see it), the kerngroep's composition sheet and the monitor
report — each rendered for real and read back with pypdf; who may open them."""

import datetime
import hashlib
import io

from django.urls import reverse

import pytest
from pypdf import PdfReader

from coregroup.constants import SeatFunction
from coregroup.services import core_group_ensure, seat_set_holder
from plans.constants import PlanState, RemarkStatus, Verdict
from plans.models import VoteRound
from plans.services import plan_submit_to_college, vote_cast
from plans.services.consultation import remark_moderate, remark_submit, response_write
from safetynet.constants import Role
from safetynet.models import RenderedDocument
from tests.factories import MunicipalityFactory
from tests.plans import builders
from tests.plans.builders import complete_plan, discuss, put_in_state, steer

pytestmark = pytest.mark.django_db

REMARK = "Graag meer verlichting in het stationspark, zegt mijn buurman Jan Peeters."
PUBLISHED = "Graag meer verlichting in het stationspark."
MOTIVATION = "De verlichting komt er in het voorjaar."


@pytest.fixture
def members(lindenberg):
    return builders.college(lindenberg, 3)


@pytest.fixture
def secretary(make_member):
    return make_member(Role.COUNCIL_SECRETARY)


@pytest.fixture
def built(lindenberg, coordinator):
    return complete_plan(lindenberg, coordinator)


def body(response) -> bytes:
    """The response's bytes. Not ``response.close()``: that sends ``request_finished``, which
    closes the test's database connection (on PostgreSQL the test then fails)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def unwrapped(text: str) -> str:
    """The text without spaces: a fingerprint wraps over lines in its table cell."""
    return text.replace(" ", "")


def plan_url(name, plan, **kwargs):
    return reverse(
        f"plans:{name}", kwargs={"municipality": plan.municipality.slug, "pk": plan.pk, **kwargs}
    )


# --- The antwoordnota ---------------------------------------------------------------------------


def test_the_antwoordnota_has_the_published_remarks_and_answers_never_their_senders(
    client, coordinator, built
):
    put_in_state(built.plan, PlanState.CONSULTATION)
    remark = remark_submit(
        plan=built.plan,
        text=REMARK,
        address="192.0.2.1",
        name="Marie Verstraeten",
        email="marie@example.org",
    )
    remark_moderate(
        remark=remark, by=coordinator, status=RemarkStatus.PUBLISHED, redacted_text=PUBLISHED
    )
    put_in_state(built.plan, PlanState.REVISION)
    response_write(remark=remark, by=coordinator, verdict=Verdict.ACCEPTED, motivation=MOTIVATION)
    client.force_login(coordinator)

    response = client.get(plan_url("antwoordnota-pdf", built.plan))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(body(response))
    assert remark.reference in text
    assert PUBLISHED in text
    assert MOTIVATION in text
    assert "Aanvaard" in text  # the verdict, in Dutch
    for private in ("Jan Peeters", "Marie Verstraeten", "marie@example.org", "192.0.2.1"):
        assert private not in text


def test_the_antwoordnota_pdf_needs_the_right_to_read_answers(client, make_member, built):
    elsewhere = MunicipalityFactory(slug="elders")
    stranger = make_member(Role.COORDINATOR, municipality=elsewhere)
    client.force_login(stranger)
    assert client.get(plan_url("antwoordnota-pdf", built.plan)).status_code == 404
    client.logout()
    assert client.get(plan_url("antwoordnota-pdf", built.plan)).status_code == 302


# --- Decision extracts ---------------------------------------------------------------------------


@pytest.fixture
def decided_round(coordinator, members, built):
    discuss(built.plan, coordinator)
    vote_round = plan_submit_to_college(plan=built.plan, by=coordinator)
    vote_cast(vote_round=vote_round, member=members[0], choice="approve")
    vote_cast(vote_round=vote_round, member=members[1], choice="reject")
    vote_cast(vote_round=vote_round, member=members[2], choice="approve")
    vote_round.refresh_from_db()
    return vote_round


def test_the_extract_for_the_college_names_each_vote(client, members, decided_round):
    client.force_login(members[1])
    url = plan_url("round-extract", decided_round.plan, round=decided_round.pk)

    text = pdf_text(body(client.get(url)))

    assert decided_round.content_hash in unwrapped(text)
    assert "Goedgekeurd" in text  # the outcome
    assert "2" in text
    assert "3 / 3" in text
    for member in members:
        assert member.get_full_name() in text
    assert "Afkeuren" in text  # members[1]'s choice


def test_the_extract_for_others_has_the_outcome_but_not_how_each_member_voted(
    client, viewer, members, decided_round
):
    client.force_login(viewer)
    response = client.get(plan_url("round-extract", decided_round.plan, round=decided_round.pk))

    assert response.status_code == 200
    text = pdf_text(body(response))
    assert decided_round.content_hash in unwrapped(text)
    assert "Goedgekeurd" in text
    for member in members:
        assert member.get_full_name() not in text
    assert "Afkeuren" not in text
    kinds = set(RenderedDocument.objects.values_list("kind", flat=True))
    assert kinds == {"extract"}  # a separate document from the college's copy


def test_another_plans_round_is_404(client, coordinator, lindenberg, decided_round):
    other = complete_plan(lindenberg, coordinator, title="Een ander plan")
    client.force_login(coordinator)
    url = plan_url("round-extract", other.plan, round=decided_round.pk)
    assert client.get(url).status_code == 404


def test_the_adoption_extract_carries_the_documents_fingerprint(
    client, coordinator, members, secretary, built
):
    steer(built.plan, coordinator, members, secretary)
    adoption = VoteRound.objects.get(plan=built.plan, kind="adoption")
    client.force_login(coordinator)

    text = pdf_text(body(client.get(plan_url("round-extract", built.plan, round=adoption.pk))))

    assert adoption.document.sha256 in unwrapped(text)


# --- The kerngroep's composition sheet ----------------------------------------------------------


def test_the_composition_sheet_lists_the_seats_and_their_holders(
    client, lindenberg, coordinator, viewer
):
    core_group = core_group_ensure(municipality=lindenberg, by=coordinator)
    mayor = builders.person(lindenberg, "Marleen Peeters")
    seat_set_holder(
        seat=core_group.seats.get(function=SeatFunction.MAYOR),
        actor=mayor,
        start=datetime.date(2026, 1, 1),
        by=coordinator,
    )
    client.force_login(viewer)
    url = reverse("coregroup:composition-pdf", kwargs={"municipality": "lindenberg"})

    response = client.get(url)

    assert response.status_code == 200
    text = pdf_text(body(response))
    assert "Marleen Peeters" in text
    assert "De burgemeester of de afgevaardigde" in text
    print_page = client.get(
        reverse("coregroup:composition-print", kwargs={"municipality": "lindenberg"})
    )
    assert "Marleen Peeters" in print_page.content.decode()  # the same table on paper and screen


def test_the_composition_sheet_of_another_municipality_is_404(client, make_member, lindenberg):
    stranger = make_member(Role.COORDINATOR, municipality=MunicipalityFactory(slug="elders"))
    client.force_login(stranger)
    url = reverse("coregroup:composition-pdf", kwargs={"municipality": "lindenberg"})
    assert client.get(url).status_code == 404


# --- The monitor report -------------------------------------------------------------------------


def test_the_monitor_report_has_its_figures_charts_and_tables(
    client, coordinator, members, secretary, built
):
    steer(built.plan, coordinator, members, secretary)
    client.force_login(coordinator)
    url = reverse("monitor:report", kwargs={"municipality": "lindenberg"})

    response = client.get(url)

    assert response.status_code == 200
    content = body(response)
    text = pdf_text(content)
    assert built.plan.title in text
    assert "Status van de actieplannen" in text
    assert built.goal.title in text  # a chart's label and the goals table
    assert built.action_plan.title in text  # the Gantt chart and the action plans table
    assert len(PdfReader(io.BytesIO(content)).pages) >= 3
    again = body(client.get(url))
    assert hashlib.sha256(again).digest() == hashlib.sha256(content).digest()
    assert RenderedDocument.objects.filter(kind="monitor").count() == 1


def test_there_is_no_monitor_report_without_a_plan_in_steering(client, coordinator, built):
    client.force_login(coordinator)
    url = reverse("monitor:report", kwargs={"municipality": "lindenberg"})
    assert client.get(url).status_code == 404


def test_the_monitor_report_of_another_municipality_is_404(
    client, make_member, coordinator, members, secretary, built
):
    steer(built.plan, coordinator, members, secretary)
    stranger = make_member(Role.COORDINATOR, municipality=MunicipalityFactory(slug="elders"))
    client.force_login(stranger)
    url = reverse("monitor:report", kwargs={"municipality": "lindenberg"})
    assert client.get(url).status_code == 404
