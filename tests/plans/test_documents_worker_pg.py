"""Documents as production renders them: the database task backend queues the rendering (a
``DBTaskResult`` row committed with the document's), the page waits, ``manage.py
documents_worker`` (django-tasks' ``db_worker``) renders it, the page serves it. PostgreSQL only,
as in production (the worker claims its tasks with ``SELECT … FOR UPDATE SKIP LOCKED``);
transactional, so that what the request commits is what the worker sees.

The test switches ``TASKS`` to ``django_tasks_db.DatabaseBackend``; django-tasks caches its
backends (``django_tasks.task_backends``), reset on ``setting_changed`` and checked here."""

import io
import signal

from django.core.management import call_command
from django.urls import reverse

import pytest
from asgiref.local import Local
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from actors.data import ensure_shipped as ensure_actor_kinds
from plans.data import ensure_shipped as ensure_phenomena
from safetynet.documents import read, render_document
from safetynet.models import RenderedDocument
from tests.plans.builders import PLAN_TITLE, complete_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

IMMEDIATE = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "documents"],
    }
}
SIGNALS = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]


@pytest.fixture(autouse=True)
def _shipped_catalogues(postgres):
    """A transactional test flushes the tables after it: the shipped rows come back here."""
    ensure_actor_kinds()
    ensure_phenomena()


def reset_task_backends():
    """Forget the task backends django-tasks made (its ``setting_changed`` receiver does the
    same; done here too, so that no backend of another test's settings is used)."""
    task_backends._settings = task_backends.settings = task_backends.configure_settings(None)
    task_backends._connections = Local()


@pytest.fixture
def database_tasks(settings):
    """``TASKS`` as in production: the database backend, the documents' queue."""
    assert isinstance(render_document.get_backend(), ImmediateBackend)
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "documents"],
        }
    }
    reset_task_backends()
    assert isinstance(render_document.get_backend(), DatabaseBackend)
    yield
    settings.TASKS = IMMEDIATE
    reset_task_backends()
    assert isinstance(render_document.get_backend(), ImmediateBackend)


def run_worker(queue="documents") -> str:
    """``manage.py documents_worker --batch --no-startup-delay --queue-name documents`` (django-
    tasks' db_worker with the PDF renderer loaded first): runs what is queued, then exits. The
    worker sets its own signal handlers; they are put back after."""
    saved = {number: signal.getsignal(number) for number in SIGNALS}
    out = io.StringIO()
    try:
        call_command(
            "documents_worker",
            batch=True,
            startup_delay=False,
            queue_name=queue,
            reload=False,
            verbosity=0,
            stdout=out,
            stderr=out,
        )
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
    return out.getvalue()


def break_the_plan_template(settings):
    """The plan document's template fails (an unknown tag) until ``settings.TEMPLATES`` is put
    back to what this returns."""
    original = settings.TEMPLATES
    engine = original[0]
    settings.TEMPLATES = [
        {
            "BACKEND": engine["BACKEND"],
            "DIRS": engine["DIRS"],
            "APP_DIRS": False,
            "OPTIONS": {
                "context_processors": engine["OPTIONS"]["context_processors"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"plans/pdf/plan.html": "{% x %}"}),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    return original


def pdf_url(plan):
    return reverse("plans:plan-pdf", kwargs={"municipality": plan.municipality.slug, "pk": plan.pk})


def test_the_worker_renders_a_queued_plan_pdf(client, lindenberg, coordinator, database_tasks):
    built = complete_plan(lindenberg, coordinator)
    client.force_login(coordinator)

    waiting = client.get(pdf_url(built.plan))

    assert waiting.status_code == 202
    assert 'http-equiv="refresh"' in waiting.content.decode()
    document = RenderedDocument.objects.get(kind="plan")
    assert document.status == RenderedDocument.Status.PENDING
    assert not document.file
    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert task.queue_name == "documents"
    assert task.task_path == "safetynet.documents.render_document"
    assert task.args_kwargs["args"] == [document.pk]

    # Asked again while it waits: the same document, no second task.
    assert client.get(pdf_url(built.plan)).status_code == 202
    assert DBTaskResult.objects.count() == 1
    assert RenderedDocument.objects.filter(kind="plan").count() == 1

    # A worker of another queue leaves it alone.
    run_worker(queue="default")
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.PENDING

    run_worker()

    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.READY
    content = read(document)
    assert content.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(content)).pages) == document.pages
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )
    assert PLAN_TITLE in text
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == document.sha256

    served = client.get(pdf_url(built.plan))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == content
    assert DBTaskResult.objects.count() == 1  # served from the store, not queued again


def test_a_failure_in_the_worker_is_stored_and_the_next_request_queues_it_again(
    client, lindenberg, coordinator, database_tasks, settings
):
    built = complete_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    original = break_the_plan_template(settings)
    assert client.get(pdf_url(built.plan)).status_code == 202
    run_worker()

    document = RenderedDocument.objects.get(kind="plan")
    assert document.status == RenderedDocument.Status.FAILED
    assert "TemplateSyntaxError" in document.error
    assert DBTaskResult.objects.get().status == "FAILED"

    settings.TEMPLATES = original
    again = client.post(pdf_url(built.plan))  # the retry button
    assert again.status_code == 202
    assert DBTaskResult.objects.count() == 2
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.PENDING

    run_worker()
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.READY
    assert read(document).startswith(b"%PDF-")


def test_a_failed_document_shows_its_error_page_until_someone_retries(
    client, lindenberg, coordinator, database_tasks, settings
):
    """After the worker failed, the waiting page (which reloads itself every few seconds) must
    show the failure with its retry button, not queue the document again on every reload: a
    document that always fails would otherwise be rendered again and again for as long as the
    page is open, and the error page would never be seen."""
    built = complete_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    break_the_plan_template(settings)
    assert client.get(pdf_url(built.plan)).status_code == 202
    run_worker()
    assert RenderedDocument.objects.get(kind="plan").status == RenderedDocument.Status.FAILED

    reload = client.get(pdf_url(built.plan))  # the waiting page reloading itself

    assert reload.status_code == 500
    assert '<form method="post">' in reload.content.decode()
    assert DBTaskResult.objects.count() == 1  # not queued again by a GET
    assert RenderedDocument.objects.get(kind="plan").status == RenderedDocument.Status.FAILED
