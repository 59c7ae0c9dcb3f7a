"""Documents rendered off the request: ask for one, render it in a background task, serve it.

A view builds the data a document shows (plain JSON: a stored snapshot, names, dates, numbers)
and calls :func:`request_document`. The document's key is the SHA-256 of its template, language
and data: the same content is rendered once, whoever asks again gets the stored file. The
rendering runs as a django-tasks task (a worker in production, at once in development and
tests), so a plan of 200 action plans never ties up a web worker; the page asking for it polls
until it is ready."""

import hashlib
import json
import time

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from django_tasks import task

from .models import RenderedDocument
from .pdf import render_template


def document_key(template: str, language: str, data: dict, undated=()) -> str:
    """The SHA-256 of what a document shows; ``undated``: entries of ``data`` left out (the
    day it was first asked for), so the same content is rendered once, not once a day."""
    keyed = {name: value for name, value in data.items() if name not in undated}
    raw = json.dumps(
        [template, language, keyed],
        cls=DjangoJSONEncoder,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def request_document(
    *,
    municipality,
    kind: str,
    template: str,
    language: str,
    data: dict,
    title: str,
    by=None,
    frozen: bool = False,
    undated=(),
) -> RenderedDocument:
    """The document for this template, language and data: the stored one when it exists (a
    failed one stays failed until :func:`retry`), otherwise a new one queued for rendering."""
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))  # as the JSON field gives it back
    key = document_key(template, language, data, undated)
    with transaction.atomic():
        document, created = RenderedDocument.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "municipality": municipality,
                "kind": kind,
                "template": template,
                "language": language,
                "data": data,
                "title": title[:300],
                "requested_by": by if getattr(by, "is_authenticated", False) else None,
                "frozen": frozen,
            },
        )
        if frozen and not document.frozen:
            document.frozen = True
            document.save(update_fields=["frozen"])
        if created:
            # Enqueued in the same transaction: the database backend's task row commits (or
            # rolls back) with the document's; the immediate backend renders it right here.
            render_document.enqueue(document.pk)
    document.refresh_from_db()  # an immediate backend has rendered it by now
    return document


def retry(document: RenderedDocument) -> RenderedDocument:
    """Queue a failed document again (the waiting page's "try again", a POST): a failure is
    shown, never retried by a page that reloads itself."""
    with transaction.atomic():
        locked = RenderedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == RenderedDocument.Status.FAILED:
            locked.status = RenderedDocument.Status.PENDING
            locked.error = ""
            locked.save(update_fields=["status", "error"])
            render_document.enqueue(locked.pk)
    document.refresh_from_db()
    return document


@task(queue_name="documents")
def render_document(document_id: int) -> str:
    """Render one queued document and store it with its SHA-256. A ready document is never
    rendered again (a frozen one, such as an adopted plan, keeps its exact bytes)."""
    document = RenderedDocument.objects.filter(pk=document_id).first()
    if document is None:  # removed before its turn (documents_prune): nothing to render
        return ""
    if document.status == RenderedDocument.Status.READY:
        return document.sha256
    started = time.perf_counter()
    try:
        rendered = render_template(document.template, document.data, language=document.language)
    except Exception as error:  # stored for the page that waits for it, then raised
        RenderedDocument.objects.filter(pk=document_id).update(
            status=RenderedDocument.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        document = RenderedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == RenderedDocument.Status.READY:
            return document.sha256
        document.file.save(f"{document.key}.pdf", ContentFile(rendered.content), save=False)
        document.sha256 = rendered.sha256
        document.pages = rendered.pages
        document.size = len(rendered.content)
        document.seconds = round(time.perf_counter() - started, 3)
        document.status = RenderedDocument.Status.READY
        document.finished_at = timezone.now()
        document.error = ""
        document.save()
    return document.sha256


def read(document: RenderedDocument) -> bytes:
    """The stored bytes, exactly."""
    with document.file.open("rb") as handle:
        return handle.read()
