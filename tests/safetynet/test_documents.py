"""``safetynet.documents`` and ``safetynet.document_views``: a document is keyed by what it shows
and rendered once (the same request gets the stored file, untouched); a failure is stored with
its error and the next request queues it again; a ready document, frozen or not, is never
rendered again; the response is the stored bytes, the waiting page (202) or the error (500).

The tests render with their own small templates, from a locmem loader set for the test (the
project's ``pdf/base.html`` is still found behind it), through the immediate task backend the
test settings use: weasyprint runs for real."""

import datetime
import hashlib
import io
import os

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory

import pytest
from django_tasks.signals import task_enqueued
from pypdf import PdfReader

from safetynet.document_views import WAIT_SECONDS, document_response
from safetynet.documents import document_key, read, render_document, request_document, retry
from safetynet.models import RenderedDocument
from safetynet.pdf import RemoteResourceRefused

pytestmark = pytest.mark.django_db

TEMPLATE = "proef/document.html"
GOOD = (
    '{% extends "pdf/base.html" %}{% load i18n %}'
    "{% block body %}<h1>{{ heading }}</h1>"
    "<ul>{% for line in lines %}<li>{{ line }}</li>{% endfor %}</ul>"
    '<p>{% translate "Summary" %}</p>{% endblock %}'
)
BROKEN = '{% extends "pdf/base.html" %}{% block body %}{% this_tag_does_not_exist %}{% endblock %}'
REMOTE = (
    '{% extends "pdf/base.html" %}{% block body %}<h1>{{ heading }}</h1>'
    '<img src="https://example.com/tracker.png">{% endblock %}'
)
OTHER = '{% extends "pdf/base.html" %}{% block body %}<h1>Iets heel anders</h1>{% endblock %}'
DATA = {"heading": "Veiligheidsplan Lindenberg", "lines": ["Één", "Twee"], "title": "Proef"}


@pytest.fixture
def templates(settings):
    """``templates(source)``: the test's document template (``TEMPLATE``) is ``source`` from now
    on; the project's templates stay found behind it. Setting it anew resets the engines."""

    def set_template(source, **more):
        base = settings.TEMPLATES[0]
        settings.TEMPLATES = [
            {
                "BACKEND": base["BACKEND"],
                "DIRS": base["DIRS"],
                "APP_DIRS": False,
                "OPTIONS": {
                    "context_processors": base["OPTIONS"]["context_processors"],
                    "loaders": [
                        ("django.template.loaders.locmem.Loader", {TEMPLATE: source, **more}),
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                },
            }
        ]

    set_template(GOOD)
    return set_template


@pytest.fixture
def enqueued():
    """The document tasks queued during the test (django-tasks' own signal)."""
    queued = []

    def receive(sender, task_result, **kwargs):
        queued.append(task_result.args)

    task_enqueued.connect(receive)
    yield queued
    task_enqueued.disconnect(receive)


def ask(municipality, data=DATA, **fields):
    arguments = {
        "municipality": municipality,
        "kind": "proef",
        "template": TEMPLATE,
        "language": "nl",
        "data": data,
        "title": "Proefdocument",
        **fields,
    }
    return request_document(**arguments)


def stamp(document) -> tuple:
    """The stored file as the file system sees it: changes when it is written again."""
    stat = os.stat(document.file.path)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


# --- The key ----------------------------------------------------------------------------------


def test_the_key_is_the_sha256_of_template_language_and_data():
    key = document_key(TEMPLATE, "nl", DATA)
    assert len(key) == 64
    assert int(key, 16) >= 0
    assert key == document_key(TEMPLATE, "nl", dict(reversed(list(DATA.items()))))
    assert key != document_key("proef/other.html", "nl", DATA)
    assert key != document_key(TEMPLATE, "fr", DATA)
    assert key != document_key(TEMPLATE, "nl", {**DATA, "heading": "Anders"})
    assert key != document_key(TEMPLATE, "nl", {**DATA, "lines": ["Twee", "Één"]})


def test_undated_entries_do_not_change_the_key():
    monday = {**DATA, "date": "1 maart 2026"}
    tuesday = {**DATA, "date": "2 maart 2026"}
    assert document_key(TEMPLATE, "nl", monday, ("date",)) == document_key(
        TEMPLATE, "nl", tuesday, ("date",)
    )
    assert document_key(TEMPLATE, "nl", monday, ("date",)) == document_key(
        TEMPLATE, "nl", DATA, ("date",)
    )
    # Control: without undated the day is part of what the document shows.
    assert document_key(TEMPLATE, "nl", monday) != document_key(TEMPLATE, "nl", tuesday)
    # Only the named entries are left out.
    assert document_key(TEMPLATE, "nl", monday, ("date",)) != document_key(
        TEMPLATE, "nl", {**monday, "heading": "Anders"}, ("date",)
    )


def test_dates_and_decimals_in_the_data_are_keyed_as_the_json_field_gives_them_back():
    from decimal import Decimal

    data = {**DATA, "on": datetime.date(2026, 3, 1), "amount": Decimal("1500.00")}
    as_stored = {**DATA, "on": "2026-03-01", "amount": "1500.00"}
    assert document_key(TEMPLATE, "nl", data) == document_key(TEMPLATE, "nl", as_stored)


# --- Rendered once ----------------------------------------------------------------------------


def test_a_document_is_rendered_and_stored_with_its_fingerprint(
    templates, lindenberg, coordinator, enqueued
):
    document = ask(lindenberg, by=coordinator)

    assert document.status == RenderedDocument.Status.READY
    content = read(document)
    assert content.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.pages == len(PdfReader(io.BytesIO(content)).pages) == 1
    assert document.seconds is not None
    assert document.seconds >= 0
    assert document.finished_at is not None
    assert document.error == ""
    assert document.key == document_key(TEMPLATE, "nl", DATA)
    assert document.file.name == f"documents/{lindenberg.pk}/{document.key}.pdf"
    assert (document.municipality, document.kind, document.language) == (lindenberg, "proef", "nl")
    assert document.requested_by == coordinator
    assert document.data == DATA
    assert not document.frozen
    text = pdf_text(content)
    assert "Veiligheidsplan Lindenberg" in text
    assert "Één" in text
    assert "Samenvatting" in text  # the template's words in the document's language
    assert len(enqueued) == 1


def test_the_same_data_gives_the_same_document_rendered_once(templates, lindenberg, enqueued):
    first = ask(lindenberg)
    before = stamp(first)
    content = read(first)

    again = ask(lindenberg, data=dict(reversed(list(DATA.items()))))

    assert again.pk == first.pk
    assert RenderedDocument.objects.count() == 1
    assert len(enqueued) == 1  # queued once: the second request got the stored file
    assert stamp(again) == before  # the file was not written again
    assert read(again) == content
    assert again.finished_at == first.finished_at
    assert again.requested_by is None  # an anonymous or missing requester is not stored


def test_different_data_gives_another_document(templates, lindenberg, enqueued):
    first = ask(lindenberg)
    other = ask(lindenberg, data={**DATA, "heading": "Heidebeek veilig"})

    assert other.pk != first.pk
    assert other.key != first.key
    assert RenderedDocument.objects.count() == 2
    assert len(enqueued) == 2
    assert other.sha256 != first.sha256
    assert "Heidebeek veilig" in pdf_text(read(other))
    assert "Heidebeek veilig" not in pdf_text(read(first))


def test_another_language_gives_another_document(templates, lindenberg):
    dutch = ask(lindenberg)
    french = ask(lindenberg, language="fr")
    assert french.pk != dutch.pk
    assert "Résumé" in pdf_text(read(french))
    assert "Samenvatting" in pdf_text(read(dutch))


def test_undated_entries_ask_for_the_same_document(templates, lindenberg, enqueued):
    monday = ask(lindenberg, data={**DATA, "date": "1 maart 2026"}, undated=("date",))
    tuesday = ask(lindenberg, data={**DATA, "date": "2 maart 2026"}, undated=("date",))
    assert tuesday.pk == monday.pk
    assert RenderedDocument.objects.count() == 1
    assert len(enqueued) == 1
    # Control: without ``undated`` the day makes another document.
    ask(lindenberg, data={**DATA, "date": "2 maart 2026"})
    assert RenderedDocument.objects.count() == 2


# --- Failures ---------------------------------------------------------------------------------


def test_a_template_error_marks_the_document_failed_with_the_error(templates, lindenberg):
    templates(BROKEN)
    document = ask(lindenberg)

    assert document.status == RenderedDocument.Status.FAILED
    assert "TemplateSyntaxError" in document.error
    assert "this_tag_does_not_exist" in document.error
    assert document.finished_at is not None
    assert not document.file
    assert document.sha256 == ""


def test_a_failed_document_is_queued_again_and_succeeds_once_fixed(templates, lindenberg, enqueued):
    templates(BROKEN)
    failed = ask(lindenberg)
    assert failed.status == RenderedDocument.Status.FAILED

    shown = ask(lindenberg)  # asked again (a page reloading): shown as failed, not queued
    assert shown.pk == failed.pk
    assert shown.status == RenderedDocument.Status.FAILED
    assert len(enqueued) == 1

    still = retry(shown)  # someone presses "try again", still broken: queued, failed again
    assert still.status == RenderedDocument.Status.FAILED
    assert len(enqueued) == 2

    templates(GOOD)
    fixed = retry(ask(lindenberg))
    assert fixed.pk == failed.pk
    assert RenderedDocument.objects.count() == 1
    assert len(enqueued) == 3
    assert fixed.status == RenderedDocument.Status.READY
    assert fixed.error == ""
    assert read(fixed).startswith(b"%PDF-")
    assert fixed.sha256 == hashlib.sha256(read(fixed)).hexdigest()

    ask(lindenberg)  # ready now: not queued again
    assert len(enqueued) == 3


def test_a_refused_url_marks_the_document_failed(templates, lindenberg):
    """A template asking for something from elsewhere stops the rendering (weasyprint's
    FatalURLFetchingError): the document must be stored as failed with that error, not left
    pending for ever (the waiting page would reload without end)."""
    templates(REMOTE)
    document = ask(lindenberg)

    assert document.status == RenderedDocument.Status.FAILED
    assert "example.com" in document.error
    assert not document.file


def test_the_renderer_refuses_the_remote_url_of_that_template(templates):
    """Control for the test above: the refusal itself is the fetcher's."""
    from safetynet.pdf import render_template

    templates(REMOTE)
    with pytest.raises(RemoteResourceRefused) as raised:
        render_template(TEMPLATE, DATA, language="nl")
    assert "example.com" in str(raised.value)


# --- Never rendered again ----------------------------------------------------------------------


def test_a_document_removed_before_its_turn_is_skipped_by_the_worker(templates, lindenberg):
    document = ask(lindenberg)
    document_id = document.pk
    document.delete()  # documents_prune, or a benchmark asking afresh, before the worker ran

    assert render_document.call(document_id) == ""
    assert not RenderedDocument.objects.filter(pk=document_id).exists()


def test_a_ready_frozen_document_is_never_rendered_again(templates, lindenberg, enqueued):
    document = ask(lindenberg, frozen=True)
    assert document.frozen
    content, before, finished = read(document), stamp(document), document.finished_at

    # Whatever the template says now, the task leaves the stored file alone.
    templates(OTHER)
    assert render_document.call(document.pk) == document.sha256
    document.refresh_from_db()
    assert read(document) == content
    assert stamp(document) == before
    assert document.finished_at == finished
    assert document.status == RenderedDocument.Status.READY

    again = ask(lindenberg, frozen=True)
    assert again.pk == document.pk
    assert read(again) == content
    assert len(enqueued) == 1


def test_a_ready_document_that_is_not_frozen_is_not_rendered_again_either(templates, lindenberg):
    document = ask(lindenberg)
    content, before = read(document), stamp(document)
    templates(OTHER)
    render_document.call(document.pk)
    document.refresh_from_db()
    assert read(document) == content
    assert stamp(document) == before


def test_asking_for_a_stored_document_as_frozen_freezes_it(templates, lindenberg):
    document = ask(lindenberg)
    assert not document.frozen
    content = read(document)
    frozen = ask(lindenberg, frozen=True)
    assert frozen.pk == document.pk
    assert frozen.frozen
    assert read(frozen) == content
    # Asking later without ``frozen`` does not thaw it.
    assert ask(lindenberg).frozen


# --- The response -----------------------------------------------------------------------------


def request_for(path="/lindenberg/proef.pdf", method="get"):
    request = getattr(RequestFactory(), method)(path)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    return request


def close(response):
    """Close a response made outside the test client as the client does: closing sends
    ``request_finished``, which must not close the test's database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def rendered(response):
    if hasattr(response, "render"):
        response.render()
    return response


def test_a_ready_document_is_served_as_its_exact_bytes(templates, lindenberg):
    document = ask(lindenberg)
    content = read(document)

    response = document_response(request_for(), document, back_url="/lindenberg/")
    try:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == content
        assert response["Content-Disposition"].startswith("inline")
        assert 'filename="proefdocument.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
    finally:
        close(response)

    download = document_response(request_for(), document, back_url="/lindenberg/", inline=False)
    try:
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content) == content
    finally:
        close(download)


def test_a_pending_document_gets_the_waiting_page_that_reloads(templates, lindenberg):
    document = ask(lindenberg)
    RenderedDocument.objects.filter(pk=document.pk).update(status=RenderedDocument.Status.PENDING)
    document.refresh_from_db()

    response = rendered(document_response(request_for(), document, back_url="/lindenberg/back/"))

    assert response.status_code == 202
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'<meta http-equiv="refresh" content="{WAIT_SECONDS}">' in page
    assert 'role="status"' in page
    assert 'href="/lindenberg/back/"' in page
    assert b"%PDF" not in response.content
    assert '<form method="post"' not in page


def test_a_failed_document_gets_the_error_page_with_a_retry_button(templates, lindenberg):
    templates(BROKEN)
    document = ask(lindenberg)
    assert document.status == RenderedDocument.Status.FAILED

    response = rendered(document_response(request_for(), document, back_url="/lindenberg/back/"))

    assert response.status_code == 500
    page = response.content.decode()
    assert '<form method="post"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<button type="submit"' in page
    assert 'role="alert"' in page
    assert 'http-equiv="refresh"' not in page  # a failure does not reload by itself
    assert "this_tag_does_not_exist" not in page  # the error is recorded, not shown
