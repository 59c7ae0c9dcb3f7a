"""The plan's documents: the plan PDF (``/plans/<id>/pdf/``) from its snapshot, in the language
asked, rendered once per content; the adopted document, made when the plan is submitted for
adoption, frozen, in every official language of the municipality, served byte for byte by
``adoption.pdf`` and publicly once adopted, and checked by the public verification page; the
college votes only on a document it can read; ``manage.py adoption_documents``; who may open
the PDFs; a query count that does not grow with the plan.

Plans are made through the services (``tests.plans.builders``); the PDFs are rendered by
weasyprint for real (the immediate task backend of the test settings) and read with pypdf."""

import datetime
import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

import pytest
from pypdf import PdfReader

from plans import public
from plans.constants import Availability, PlanState, RoundKind, VoteChoice
from plans.documents import document_languages
from plans.models import Action, Vote, VoteRound
from plans.services import (
    consultation_close,
    council_decision_record,
    item_add,
    item_update,
    plan_submit_for_adoption,
    plan_submit_to_college,
    plan_withdraw,
    vote_cast,
)
from plans.services.decisions import DOCUMENT_PENDING
from safetynet.constants import Role
from safetynet.documents import read
from safetynet.models import RenderedDocument
from safetynet.services import municipality_update
from tests.plans import builders
from tests.plans.builders import (
    ACTION_PLAN_TITLE,
    ADOPTED_ON,
    COLLEGE,
    PLAN_TITLE,
    action_plan,
    budget,
    complete_plan,
    discuss,
    everyone_votes,
    expected_result,
    goal,
    put_in_state,
    steer,
)

pytestmark = pytest.mark.django_db

SECOND_GOAL = "Minder overlast in het stadspark"


@pytest.fixture
def members(lindenberg):
    return builders.college(lindenberg, 3)


@pytest.fixture
def secretary(make_member):
    return make_member(Role.COUNCIL_SECRETARY)


@pytest.fixture
def built(lindenberg, coordinator):
    """The builders' complete plan with a second strategic goal: budgets 1500 available
    (goal 1), 500 still required (goal 1) and 250.50 available (goal 2)."""
    built = complete_plan(lindenberg, coordinator)
    budget(
        built.action_plan,
        coordinator,
        amount="500",
        availability=Availability.REQUIRED,
        description="Extra infoborden",
    )
    second = goal(built.plan, coordinator, SECOND_GOAL, phenomena=("nuisance",))
    park = action_plan(
        second,
        coordinator,
        title="Parkwachters in de zomer",
        promotor=built.promotor,
        start=datetime.date(2026, 6, 1),
        end=datetime.date(2026, 9, 30),
    )
    expected_result(park, coordinator, text="Elke zomer twee parkwachters")
    budget(park, coordinator, amount="250.50")
    return built


# --- Helpers ------------------------------------------------------------------------------------


def page_url(name, plan, municipality=None, **params):
    url = reverse(
        f"plans:{name}",
        kwargs={"municipality": municipality or plan.municipality.slug, "pk": plan.pk},
    )
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def public_pdf_url(plan):
    return reverse("public-pdf", kwargs={"municipality": plan.municipality.slug, "pk": plan.pk})


def body(response) -> bytes:
    """The response's bytes (the test client closes a streamed response once it is read)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def pdf_text(content: bytes) -> str:
    """All the pages' text, line breaks (where the PDF wrapped its lines) as spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def plan_documents():
    return RenderedDocument.objects.filter(kind="plan")


def adoption_round(plan) -> VoteRound:
    return VoteRound.objects.get(plan=plan, kind=RoundKind.ADOPTION)


def steer_with_mixed_votes(plan, coordinator, members, secretary):
    """As ``steer()``, but the college members vote differently, with comments: how each one
    voted is in the database, and must stay out of the plan's documents."""
    discuss(plan, coordinator)
    first = plan_submit_to_college(plan=plan, by=coordinator)
    vote_cast(vote_round=first, member=members[0], choice=VoteChoice.APPROVE, comment="Prima")
    vote_cast(vote_round=first, member=members[1], choice=VoteChoice.APPROVE)
    vote_cast(
        vote_round=first,
        member=members[2],
        choice=VoteChoice.ABSTAIN,
        comment="Persoonlijke bedenking van de schepen",
    )
    consultation_close(plan=plan, by=coordinator, reason="Alle reacties zijn binnen")
    second = plan_submit_for_adoption(plan=plan, by=coordinator)
    vote_cast(vote_round=second, member=members[0], choice=VoteChoice.APPROVE)
    vote_cast(
        vote_round=second,
        member=members[1],
        choice=VoteChoice.REJECT,
        comment="Te weinig budget voor de deelgemeenten",
    )
    vote_cast(vote_round=second, member=members[2], choice=VoteChoice.APPROVE)
    council_decision_record(
        plan=plan,
        by=secretary,
        date=ADOPTED_ON,
        reference="GR/2026/12",
        votes_for=19,
        votes_against=6,
        votes_abstain=3,
        adopted=True,
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.STEERING
    return plan


# --- The plan PDF -------------------------------------------------------------------------------


def test_the_plan_pdf_shows_the_plan(client, lindenberg, coordinator, built):
    client.force_login(coordinator)
    response = client.get(page_url("plan-pdf", built.plan))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    content = body(response)
    assert content.startswith(b"%PDF-")
    pages = len(PdfReader(io.BytesIO(content)).pages)
    assert 4 <= pages <= 10
    document = plan_documents().get()
    assert (document.pages, document.sha256, document.language) == (pages, sha256(content), "nl")
    text = pdf_text(content)
    assert PLAN_TITLE in text
    assert "Lindenberg" in text
    assert "Minder woninginbraken" in text
    assert SECOND_GOAL in text
    assert ACTION_PLAN_TITLE in text
    assert "Elke deelgemeente heeft een actief BIN" in text  # an expected result
    assert "Infoavond in het gemeentehuis" in text  # an action
    assert "Ingrid Wouters" in text  # the promotor, in the planning table
    assert "2026–2031" in text
    assert "Toestand Ontwerp" in text  # the state on the cover, in Dutch
    # The budget table: per strategic goal and in total, as the table formats amounts.
    assert "Minder woninginbraken 1.500,00 500,00 2.000,00" in text
    assert f"{SECOND_GOAL} 250,50 0,00 250,50" in text
    assert "Totaal 1.750,50 500,00 2.250,50" in text
    # The table of contents with page numbers.
    assert "Inhoud" in text
    assert "Bijlage: beslissingen over het plan" in text
    assert "Nog geen stemming." in text  # the annex of a draft


def test_the_plan_documents_embed_the_shipped_font_only(
    client, lindenberg, coordinator, members, secretary, built
):
    """The same font on every machine: the plan PDF and the adopted document carry only the
    package's Source Sans Pro, no font of the system they were rendered on."""
    from tests.safetynet.test_pdf import embedded_fonts

    plan = steer(built.plan, coordinator, members, secretary)
    client.force_login(coordinator)
    for content in (
        body(client.get(page_url("plan-pdf", plan))),
        read(plan.adopted_round.document),
    ):
        fonts = embedded_fonts(content)
        assert fonts
        assert all(name.startswith("SourceSansPro-") for name in fonts), fonts


def test_the_annex_has_the_councils_vote_counts_but_never_how_each_member_voted(
    client, lindenberg, coordinator, members, secretary, built
):
    plan = steer_with_mixed_votes(built.plan, coordinator, members, secretary)
    # Control: how each one voted, and why, is in the database.
    assert set(Vote.objects.values_list("choice", flat=True)) == set(VoteChoice.values)
    assert Vote.objects.exclude(comment="").count() == 3

    client.force_login(coordinator)
    for language, choices in {
        "nl": ("Goedkeuren", "Afkeuren", "Zich onthouden"),
        "fr": ("Approuver", "Rejeter", "S’abstenir"),
    }.items():
        text = pdf_text(body(client.get(page_url("plan-pdf", plan, lang=language))))
        # The council's counts and reference are there, and each college round's outcome.
        assert "GR/2026/12 19 6 3" in text, language
        assert text.count("Goedgekeurd" if language == "nl" else "Approuvé") >= 2, language
        # Nobody's vote: no name, no choice, no comment.
        for first, last in COLLEGE[:3]:
            assert f"{first} {last}" not in text, language
            assert last not in text, language
        for user in members:
            assert user.username not in text
        for choice in choices:
            assert choice not in text, (language, choice)
        assert "Persoonlijke bedenking" not in text
        assert "Te weinig budget" not in text
        assert "Prima" not in text


def test_the_adopted_document_never_shows_how_each_member_voted(
    client, lindenberg, coordinator, members, secretary, built
):
    municipality_update(municipality=lindenberg, by=None, languages=["nl", "fr"])
    plan = steer_with_mixed_votes(built.plan, coordinator, members, secretary)
    text = pdf_text(read(adoption_round(plan).document))
    assert "Vaststelling van het definitieve plan" in text
    for _first, last in COLLEGE[:3]:
        assert last not in text
    for choice in ("Goedkeuren", "Afkeuren", "Zich onthouden", "Approuver", "Rejeter"):
        assert choice not in text
    assert "Persoonlijke bedenking" not in text


def test_lang_switches_the_language(client, coordinator, built):
    client.force_login(coordinator)

    french = pdf_text(body(client.get(page_url("plan-pdf", built.plan, lang="fr"))))
    english = pdf_text(body(client.get(page_url("plan-pdf", built.plan, lang="en"))))
    dutch = pdf_text(body(client.get(page_url("plan-pdf", built.plan))))

    assert "Résumé" in french
    assert "Sommaire" in french
    assert "Objectif stratégique 1: Minder woninginbraken" in french
    assert "Annexe : décisions sur le plan" in french
    assert "Samenvatting" not in french
    assert "Summary" in english
    assert "Contents" in english
    assert "Samenvatting" in dutch
    assert "Résumé" not in dutch
    # The amounts in each language's format.
    assert "Totaal 1.750,50 500,00 2.250,50" in dutch
    assert "Total 1 750,50 500,00 2 250,50" in french  # (a narrow no-break space, as a space)
    assert "Total 1,750.50 500.00 2,250.50" in english
    assert set(plan_documents().values_list("language", flat=True)) == {"nl", "fr", "en"}

    # A language the site does not speak: the page's language.
    client.get(page_url("plan-pdf", built.plan, lang="de"))
    assert plan_documents().count() == 3


def test_the_same_content_is_rendered_once_and_an_edit_makes_a_new_document(
    client, coordinator, built
):
    client.force_login(coordinator)
    url = page_url("plan-pdf", built.plan)
    first = body(client.get(url))
    second = body(client.get(url))

    assert first == second
    assert plan_documents().count() == 1
    stored = plan_documents().get()

    item_update(item=built.goal, by=coordinator, title="Minder woninginbraken en diefstal")
    third = body(client.get(url))

    assert plan_documents().count() == 2
    assert third != first
    assert "Minder woninginbraken en diefstal" in pdf_text(third)
    assert "Minder woninginbraken en diefstal" not in pdf_text(first)
    # The earlier document is left as it was.
    stored.refresh_from_db()
    assert read(stored) == first


@pytest.fixture
def broken_plan_template(settings):
    """The plan document's template made to fail (a tag that does not exist), ahead of the
    project's templates; ``broken_plan_template.restore()`` puts the project's back."""
    original = settings.TEMPLATES
    engine = original[0]

    class Switch:
        def restore(self):
            settings.TEMPLATES = original

    settings.TEMPLATES = [
        {
            "BACKEND": engine["BACKEND"],
            "DIRS": engine["DIRS"],
            "APP_DIRS": False,
            "OPTIONS": {
                "context_processors": engine["OPTIONS"]["context_processors"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"plans/pdf/plan.html": "{% no_such_tag %}"},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    return Switch()


def test_a_failed_plan_pdf_shows_the_error_and_is_tried_again_by_post(
    client, coordinator, built, broken_plan_template
):
    client.force_login(coordinator)
    url = page_url("plan-pdf", built.plan)

    failed = client.get(url)

    assert failed.status_code == 500
    assert '<form method="post"' in failed.content.decode()
    document = plan_documents().get()
    assert document.status == RenderedDocument.Status.FAILED
    assert "no_such_tag" in document.error

    broken_plan_template.restore()
    retried = client.post(url)

    assert retried.status_code == 200
    assert body(retried).startswith(b"%PDF-")
    assert plan_documents().count() == 1
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.READY
    assert document.error == ""


def test_a_failed_plan_pdf_stays_failed_on_get_until_retried_by_post(client, coordinator, built):
    """A document failed (in production: in the worker). Opening it again, or the waiting page
    reloading itself, shows the failure and its retry button; only the button (POST) queues it
    again, so a document that always fails is not rendered again on every reload."""
    client.force_login(coordinator)
    url = page_url("plan-pdf", built.plan)
    body(client.get(url))
    document = plan_documents().get()
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=RenderedDocument.Status.FAILED, sha256="", error="Worker stopped"
    )

    shown = client.get(url)

    assert shown.status_code == 500
    assert '<form method="post">' in shown.content.decode()
    document.refresh_from_db()
    assert (document.status, document.error) == (RenderedDocument.Status.FAILED, "Worker stopped")

    retried = client.post(url)
    assert retried.status_code == 200
    assert body(retried).startswith(b"%PDF-")
    document.refresh_from_db()
    assert (document.status, document.error) == (RenderedDocument.Status.READY, "")


def test_the_logo_is_on_the_cover(client, lindenberg, coordinator, built):
    from tests.safetynet.test_views import png_bytes

    municipality_update(
        municipality=lindenberg,
        by=None,
        logo=SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
    )
    client.force_login(coordinator)
    content = body(client.get(page_url("plan-pdf", built.plan)))
    cover = PdfReader(io.BytesIO(content)).pages[0]
    assert len(cover.images) == 1


def test_a_logo_missing_from_storage_fails_the_document_instead_of_waiting_for_ever(
    client, lindenberg, coordinator, built
):
    """The logo's file is gone (a restore without the media folder): the fetcher refuses it,
    weasyprint stops; the document must be marked failed (the error page, 500), not stay
    pending with a page that reloads itself for ever."""
    from tests.safetynet.test_views import png_bytes

    municipality_update(
        municipality=lindenberg,
        by=None,
        logo=SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
    )
    lindenberg.refresh_from_db()
    lindenberg.logo.storage.delete(lindenberg.logo.name)
    client.force_login(coordinator)

    response = client.get(page_url("plan-pdf", built.plan))

    document = plan_documents().get()
    assert document.status == RenderedDocument.Status.FAILED
    assert response.status_code == 500


def test_a_pending_plan_pdf_gets_the_waiting_page(client, coordinator, built):
    client.force_login(coordinator)
    url = page_url("plan-pdf", built.plan)
    body(client.get(url))
    RenderedDocument.objects.filter(kind="plan").update(status=RenderedDocument.Status.PENDING)

    response = client.get(url)
    assert response.status_code == 202
    assert 'http-equiv="refresh"' in response.content.decode()
    assert plan_documents().count() == 1


# --- Who may open the PDFs ----------------------------------------------------------------------


def test_a_viewer_opens_both_pdfs(client, coordinator, viewer, members, secretary, built):
    plan = steer(built.plan, coordinator, members, secretary)
    client.force_login(viewer)
    plan_pdf = client.get(page_url("plan-pdf", plan))
    adoption_pdf = client.get(page_url("adoption-pdf", plan))
    assert plan_pdf.status_code == 200
    assert adoption_pdf.status_code == 200
    assert body(plan_pdf).startswith(b"%PDF-")
    assert body(adoption_pdf) == read(adoption_round(plan).document)


def test_another_municipalitys_coordinator_gets_404(
    client, coordinator, other_coordinator, members, secretary, built
):
    plan = steer(built.plan, coordinator, members, secretary)
    client.force_login(other_coordinator)
    documents = RenderedDocument.objects.count()
    for name in ("plan-pdf", "adoption-pdf"):
        for slug in ("lindenberg", "heidebeek"):
            assert client.get(page_url(name, plan, slug)).status_code == 404, (name, slug)
    assert client.post(page_url("plan-pdf", plan)).status_code == 404
    assert RenderedDocument.objects.count() == documents  # nothing rendered for them


def test_anonymous_is_sent_to_the_login(client, built):
    for name in ("plan-pdf", "adoption-pdf"):
        response = client.get(page_url(name, built.plan))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert not plan_documents().exists()


# --- The adopted document -----------------------------------------------------------------------


def test_submission_for_adoption_makes_the_frozen_document(
    client, coordinator, members, built, viewer
):
    plan = built.plan
    discuss(plan, coordinator)
    everyone_votes(plan_submit_to_college(plan=plan, by=coordinator), members)
    consultation_close(plan=plan, by=coordinator, reason="Alle reacties zijn binnen")
    client.force_login(viewer)
    assert client.get(page_url("adoption-pdf", plan)).status_code == 404  # none yet

    vote_round = plan_submit_for_adoption(plan=plan, by=coordinator)

    document = vote_round.document
    assert document is not None
    assert document.kind == "adopted"
    assert document.frozen
    assert document.status == RenderedDocument.Status.READY
    assert document.requested_by == coordinator
    content = read(document)
    assert document.sha256 == sha256(content)
    text = pdf_text(content)
    assert PLAN_TITLE in text
    assert "Ter vaststelling voorgelegd aan het college" in text
    assert vote_round.content_hash in text  # the version voted on, on the cover

    response = client.get(page_url("adoption-pdf", plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert body(response) == content


def test_the_adopted_bytes_are_served_everywhere_and_never_change(
    client, coordinator, members, secretary, built
):
    plan = steer(built.plan, coordinator, members, secretary)
    vote_round = adoption_round(plan)
    assert plan.adopted_round_id == vote_round.pk
    document = vote_round.document
    content = read(document)
    assert document.sha256 == sha256(content)

    client.force_login(coordinator)
    assert sha256(body(client.get(page_url("adoption-pdf", plan)))) == document.sha256
    client.logout()
    public_response = client.get(public_pdf_url(plan))
    assert public_response.status_code == 200
    assert body(public_response) == content

    # The plan changes in steering: the adopted document does not.
    item_update(item=built.goal, by=coordinator, title="Minder woninginbraken (bijgesteld)")
    item_add(item=Action(action_plan=built.action_plan, title="Extra buurtwandeling"), by=None)
    document.refresh_from_db()
    assert (document.sha256, read(document)) == (sha256(content), content)
    client.force_login(coordinator)
    assert body(client.get(page_url("adoption-pdf", plan))) == content
    client.logout()
    assert body(client.get(public_pdf_url(plan))) == content
    # ... while the plan's own PDF shows the change.
    client.force_login(coordinator)
    live = pdf_text(body(client.get(page_url("plan-pdf", plan))))
    assert "Minder woninginbraken (bijgesteld)" in live
    assert "Minder woninginbraken (bijgesteld)" not in pdf_text(content)


def test_the_adopted_document_is_in_every_official_language(
    lindenberg, coordinator, members, secretary, built
):
    municipality_update(municipality=lindenberg, by=None, languages=["nl", "fr"])
    lindenberg.refresh_from_db()
    assert document_languages(lindenberg) == ["nl", "fr"]

    plan = steer(built.plan, coordinator, members, secretary)

    documents = RenderedDocument.objects.filter(kind="adopted")
    assert documents.count() == 1  # one file for both languages
    content = read(documents.get())
    text = pdf_text(content)
    assert "Samenvatting" in text
    assert "Résumé" in text
    assert "Bijlage: beslissingen over het plan" in text
    assert "Annexe : décisions sur le plan" in text
    assert "Ter vaststelling voorgelegd aan het college" in text
    assert "Soumis au collège pour adoption" in text
    assert text.count(PLAN_TITLE) >= 2
    # The languages one after the other, in the municipality's order, each from a new page.
    assert text.index("Samenvatting") < text.index("Résumé")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]
    dutch_contents = next(i for i, page in enumerate(pages) if "Inhoud" in page)
    french_cover = next(i for i, page in enumerate(pages) if "Soumis au collège" in page)
    assert french_cover > dutch_contents
    assert "Samenvatting" not in " ".join(pages[french_cover:])
    assert "Résumé" not in " ".join(pages[:french_cover])
    assert plan.adopted_round.document.language == "nl"


def test_each_language_of_the_adopted_document_has_its_own_running_footer(
    lindenberg, coordinator, members, secretary, built
):
    """The footer's words ("page 3 of 10", "Version") come from the document's attributes:
    the French pages must say them in French, not in the first language's words."""
    municipality_update(municipality=lindenberg, by=None, languages=["nl", "fr"])
    plan = steer(built.plan, coordinator, members, secretary)
    reader = PdfReader(io.BytesIO(read(plan.adopted_round.document)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    french_cover = next(i for i, page in enumerate(pages) if "Soumis au collège" in page)
    total = len(pages)
    assert f"pagina 2 van {total}" in pages[1]  # Dutch, on the Dutch contents page
    last = pages[-1]
    assert f"page {total} sur {total}" in last, last[-80:]
    assert "pagina" not in " ".join(pages[french_cover:])


def test_a_dutch_only_municipality_gets_a_dutch_only_adopted_document(
    coordinator, members, secretary, built
):
    plan = steer(built.plan, coordinator, members, secretary)
    text = pdf_text(read(adoption_round(plan).document))
    assert "Samenvatting" in text
    assert "Résumé" not in text


# --- The college votes only on a document it can read -------------------------------------------


@pytest.fixture
def in_adoption(coordinator, members, built):
    """The plan submitted for adoption: the open adoption round, its document ready."""
    plan = built.plan
    discuss(plan, coordinator)
    everyone_votes(plan_submit_to_college(plan=plan, by=coordinator), members)
    consultation_close(plan=plan, by=coordinator, reason="Alle reacties zijn binnen")
    vote_round = plan_submit_for_adoption(plan=plan, by=coordinator)
    assert vote_round.document.is_ready
    return vote_round


def test_no_vote_while_the_document_is_pending(in_adoption, members):
    RenderedDocument.objects.filter(pk=in_adoption.document_id).update(
        status=RenderedDocument.Status.PENDING
    )
    with pytest.raises(ValidationError) as raised:
        vote_cast(vote_round=in_adoption, member=members[0], choice=VoteChoice.APPROVE)
    assert raised.value.code == "document_pending"
    assert not Vote.objects.filter(vote_round=in_adoption).exists()

    # Ready again: the vote is taken.
    RenderedDocument.objects.filter(pk=in_adoption.document_id).update(
        status=RenderedDocument.Status.READY
    )
    vote_cast(vote_round=in_adoption, member=members[0], choice=VoteChoice.APPROVE)
    assert Vote.objects.filter(vote_round=in_adoption).count() == 1


def test_no_vote_while_the_document_failed(in_adoption, members):
    RenderedDocument.objects.filter(pk=in_adoption.document_id).update(
        status=RenderedDocument.Status.FAILED, sha256=""
    )
    with pytest.raises(ValidationError) as raised:
        vote_cast(vote_round=in_adoption, member=members[0], choice=VoteChoice.APPROVE)
    assert raised.value.code == "document_pending"


def test_no_vote_without_a_document(in_adoption, members):
    VoteRound.objects.filter(pk=in_adoption.pk).update(document=None)
    with pytest.raises(ValidationError) as raised:
        vote_cast(vote_round=in_adoption, member=members[0], choice=VoteChoice.APPROVE)
    assert raised.value.code == "document_pending"
    assert not Vote.objects.filter(vote_round=in_adoption).exists()


def test_the_vote_page_refuses_the_vote_while_the_document_is_pending(client, in_adoption, members):
    RenderedDocument.objects.filter(pk=in_adoption.document_id).update(
        status=RenderedDocument.Status.PENDING
    )
    client.force_login(members[0])
    response = client.post(
        page_url("vote", in_adoption.plan), {"choice": VoteChoice.APPROVE, "comment": ""}
    )
    assert response.status_code == 200
    with translation.override("nl"):
        message = gettext(DOCUMENT_PENDING)
    assert message in " ".join(response.context["form"].non_field_errors())
    assert escape(message) in response.content.decode()
    assert not Vote.objects.filter(vote_round=in_adoption).exists()


def test_the_first_round_needs_no_document(coordinator, members, built):
    discuss(built.plan, coordinator)
    first = plan_submit_to_college(plan=built.plan, by=coordinator)
    assert first.document_id is None
    vote_cast(vote_round=first, member=members[0], choice=VoteChoice.APPROVE)
    assert Vote.objects.filter(vote_round=first).count() == 1


# --- adoption.pdf: which round's document -------------------------------------------------------


def test_adoption_pdf_follows_the_latest_round_that_was_not_withdrawn(
    client, coordinator, built, in_adoption, viewer
):
    plan = in_adoption.plan
    first_content = read(in_adoption.document)
    client.force_login(viewer)
    assert body(client.get(page_url("adoption-pdf", plan))) == first_content

    plan_withdraw(plan=plan, by=coordinator, reason="Nog een actie toevoegen")
    assert client.get(page_url("adoption-pdf", plan)).status_code == 404

    plan.refresh_from_db()
    item_update(item=built.goal, by=coordinator, title="Geen woninginbraken meer")
    again = plan_submit_for_adoption(plan=plan, by=coordinator)
    assert again.document_id != in_adoption.document_id
    content = body(client.get(page_url("adoption-pdf", plan)))
    assert content == read(again.document)
    assert content != first_content
    assert "Geen woninginbraken meer" in pdf_text(content)


def test_the_retry_button_of_a_failed_adopted_document_renders_it_again(
    client, in_adoption, coordinator, members
):
    """The adopted document failed to render (a worker's error): adoption.pdf shows the error
    page, whose button posts back to adoption.pdf to try again. That must queue the document
    again (and the college may vote once it is ready), not answer 405."""
    RenderedDocument.objects.filter(pk=in_adoption.document_id).update(
        status=RenderedDocument.Status.FAILED, sha256="", error="Worker stopped"
    )
    client.force_login(coordinator)
    url = page_url("adoption-pdf", in_adoption.plan)
    failed = client.get(url)
    assert failed.status_code == 500
    assert '<form method="post">' in failed.content.decode()  # posts to this same address

    retried = client.post(url)

    assert retried.status_code in (200, 202)
    document = RenderedDocument.objects.get(pk=in_adoption.document_id)
    assert document.status != RenderedDocument.Status.FAILED


def test_a_draft_plan_has_no_adoption_pdf(client, coordinator, built):
    client.force_login(coordinator)
    assert client.get(page_url("adoption-pdf", built.plan)).status_code == 404


# --- The public PDF -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        PlanState.DRAFT,
        PlanState.COLLEGE_REVIEW,
        PlanState.REVISION,
        PlanState.COLLEGE_ADOPTION,
        PlanState.COUNCIL_ADOPTION,
    ],
)
def test_the_public_pdf_is_404_before_the_consultation_and_until_adoption(
    client, coordinator, members, secretary, built, state
):
    plan = steer(built.plan, coordinator, members, secretary)
    documents = RenderedDocument.objects.count()
    put_in_state(plan, state)
    assert client.get(public_pdf_url(plan)).status_code == 404
    assert RenderedDocument.objects.count() == documents  # nothing rendered for it


@pytest.mark.parametrize("state", [PlanState.STEERING, PlanState.CLOSED])
def test_the_public_pdf_is_the_adopted_document_once_adopted(
    client, coordinator, members, secretary, built, state
):
    plan = steer(built.plan, coordinator, members, secretary)
    put_in_state(plan, state)
    response = client.get(public_pdf_url(plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == read(plan.adopted_round.document)


def test_the_public_retry_button_of_a_failed_document_is_answered(
    client, coordinator, members, secretary, built
):
    """The public PDF's error page has the same retry button (a POST to the same address):
    it must not answer 405."""
    plan = steer(built.plan, coordinator, members, secretary)
    RenderedDocument.objects.filter(pk=plan.adopted_round.document_id).update(
        status=RenderedDocument.Status.FAILED, sha256="", error="Worker stopped"
    )
    failed = client.get(public_pdf_url(plan))
    assert failed.status_code == 500
    assert '<form method="post">' in failed.content.decode()

    assert client.post(public_pdf_url(plan)).status_code in (200, 202)


def test_the_public_pdf_during_the_consultation_is_the_live_plan(
    client, coordinator, members, built
):
    discuss(built.plan, coordinator)
    everyone_votes(plan_submit_to_college(plan=built.plan, by=coordinator), members)
    built.plan.refresh_from_db()
    assert built.plan.state == PlanState.CONSULTATION

    response = client.get(public_pdf_url(built.plan))

    assert response.status_code == 200
    content = body(response)
    document = plan_documents().get()
    assert content == read(document)
    text = pdf_text(content)
    assert PLAN_TITLE in text
    assert "Toestand Inspraak" in text  # the state on the cover: the plan as consulted on


def test_the_public_pdf_of_another_municipalitys_slug_is_404(
    client, coordinator, members, secretary, built, heidebeek
):
    plan = steer(built.plan, coordinator, members, secretary)
    url = reverse("public-pdf", kwargs={"municipality": heidebeek.slug, "pk": plan.pk})
    assert client.get(url).status_code == 404


# --- The verification page ----------------------------------------------------------------------


VERIFY = reverse("public-verify")


def upload(content: bytes, name="plan.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def adopted(coordinator, members, secretary, built):
    plan = steer(built.plan, coordinator, members, secretary)
    return plan, read(plan.adopted_round.document)


def test_the_adopted_bytes_are_recognised(client, adopted):
    plan, content = adopted
    assert client.get(VERIFY).status_code == 200

    response = client.post(VERIFY, {"document": upload(content)})

    assert response.status_code == 200
    assert response.context["found"] == plan
    assert response.context["sha256"] == sha256(content)
    page = response.content.decode()
    assert PLAN_TITLE in page
    assert "Lindenberg" in page
    assert "GR/2026/12" in page  # the council's decision


def test_altered_bytes_are_not_recognised(client, adopted):
    plan, content = adopted
    altered = content[:-20] + bytes([content[-20] ^ 1]) + content[-19:]
    assert altered != content

    response = client.post(VERIFY, {"document": upload(altered)})

    assert response.status_code == 200
    assert response.context["found"] is None
    assert response.context["sha256"] == sha256(altered)
    assert PLAN_TITLE not in response.content.decode()


def test_the_live_plan_pdf_is_not_an_adopted_plan(client, coordinator, adopted):
    plan, _content = adopted
    client.force_login(coordinator)
    live = body(client.get(page_url("plan-pdf", plan)))
    client.logout()
    response = client.post(VERIFY, {"document": upload(live)})
    assert response.context["found"] is None


def test_a_document_submitted_but_not_yet_adopted_is_not_recognised(client, in_adoption):
    content = read(in_adoption.document)
    response = client.post(VERIFY, {"document": upload(content)})
    assert response.status_code == 200
    assert response.context["found"] is None


def test_an_empty_submission_is_a_form_error(client, db):
    response = client.post(VERIFY, {})
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert "sha256" not in response.context

    empty_file = client.post(VERIFY, {"document": upload(b"", "leeg.pdf")})
    assert empty_file.context["form"].errors["document"]


def test_a_file_too_large_is_refused(client, adopted, monkeypatch):
    _plan, content = adopted
    monkeypatch.setattr(public, "VERIFY_MAX_BYTES", len(content) - 1)

    response = client.post(VERIFY, {"document": upload(content)})

    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert response.context.get("found") is None
    assert "sha256" not in response.context

    # Control: at the limit it is checked.
    monkeypatch.setattr(public, "VERIFY_MAX_BYTES", len(content))
    assert client.post(VERIFY, {"document": upload(content)}).context["found"] == _plan


# --- manage.py adoption_documents ---------------------------------------------------------------


def test_the_command_gives_a_round_without_a_document_its_document_once(
    coordinator, members, secretary, built
):
    plan = steer(built.plan, coordinator, members, secretary)
    vote_round = adoption_round(plan)
    VoteRound.objects.filter(pk=vote_round.pk).update(document=None)
    RenderedDocument.objects.filter(kind="adopted").delete()

    out = io.StringIO()
    call_command("adoption_documents", stdout=out)

    assert "1" in out.getvalue()
    vote_round.refresh_from_db()
    document = vote_round.document
    assert document is not None
    assert document.kind == "adopted"
    assert document.frozen
    assert document.status == RenderedDocument.Status.READY
    content = read(document)
    assert PLAN_TITLE in pdf_text(content)
    history = vote_round.history.first()
    assert history.document_id == document.pk  # saved with its history

    rows = RenderedDocument.objects.count()
    again = io.StringIO()
    call_command("adoption_documents", stdout=again)
    assert "0" in again.getvalue()
    assert RenderedDocument.objects.count() == rows
    vote_round.refresh_from_db()
    assert vote_round.document_id == document.pk
    assert read(vote_round.document) == content


def test_the_command_leaves_rounds_with_a_document_and_first_rounds_alone(
    coordinator, members, secretary, built
):
    plan = steer(built.plan, coordinator, members, secretary)
    before = dict(VoteRound.objects.filter(plan=plan).values_list("pk", "document_id"))
    rows = RenderedDocument.objects.count()
    out = io.StringIO()
    call_command("adoption_documents", stdout=out)
    assert "0" in out.getvalue()
    assert dict(VoteRound.objects.filter(plan=plan).values_list("pk", "document_id")) == before
    assert RenderedDocument.objects.count() == rows
    first = VoteRound.objects.get(plan=plan, kind=RoundKind.APPROVAL)
    assert first.document_id is None


# --- Queries ------------------------------------------------------------------------------------


# Measured: 23 for a stored plan PDF (the session, the user and the permissions, the plan's
# snapshot, its rounds and council decisions, the kerngroep's composition, the document's row),
# plus 3 for its line in the security log (the INSERT in its own savepoint: SAVEPOINT, INSERT,
# RELEASE; outside a test's transaction: the INSERT and its commit).
STORED_PDF_QUERIES = 26


def grow(built, by, times):
    """``times - 1`` more strategic goals like the first: an operational goal, an action plan
    with a result, an action and a budget each."""
    for number in range(2, times + 1):
        strategic = goal(built.plan, by, f"Strategische doelstelling {number}")
        operational = goal(built.plan, by, f"Operationele doelstelling {number}", parent=strategic)
        ap = action_plan(operational, by, title=f"Actieplan {number}", promotor=built.promotor)
        expected_result(ap, by, text=f"Resultaat {number}")
        item_add(item=Action(action_plan=ap, title=f"Actie {number}"), by=by)
        budget(ap, by, amount=str(100 * number))


def queries_of_a_stored_pdf(client, plan) -> int:
    url = page_url("plan-pdf", plan)
    body(client.get(url))  # rendered here, once
    with CaptureQueriesContext(connection) as queries:
        content = body(client.get(url))
    assert content.startswith(b"%PDF-")
    return len(queries)


def test_the_queries_of_a_stored_plan_pdf_do_not_grow_with_the_plan(
    client, lindenberg, coordinator, django_assert_max_num_queries
):
    small = complete_plan(lindenberg, coordinator, title="Klein plan")
    large = complete_plan(lindenberg, coordinator, title="Groot plan")
    grow(large, coordinator, 10)
    client.force_login(coordinator)

    small_count = queries_of_a_stored_pdf(client, small.plan)
    large_count = queries_of_a_stored_pdf(client, large.plan)

    assert large_count == small_count
    assert small_count <= STORED_PDF_QUERIES
    assert RenderedDocument.objects.filter(kind="plan").count() == 2
    with django_assert_max_num_queries(STORED_PDF_QUERIES):
        body(client.get(page_url("plan-pdf", large.plan)))


# --- The public pages ---------------------------------------------------------------------------


def test_every_public_page_is_known():
    """The URL walker of tests/safetynet/test_views.py covers /<municipality>/ only: the public
    pages (no login) are listed here, each tested in this file or test_consultation_views.py,
    test_public_logo.py. A new public page fails this test until it is tested and listed."""
    assert {pattern.name for pattern in public.urlpatterns} == {
        "public-verify",
        "public-logo",
        "public-pdf",
        "public-plan",
        "public-received",
    }
