"""Serving a rendered document: the stored file when it is ready, a page that waits for it
otherwise (it reloads itself, no JavaScript needed), the error when rendering failed. Each time
the bytes are served, the security log gets a DOWNLOAD line."""

from django.http import FileResponse
from django.template.response import TemplateResponse

from .audit import log_download
from .documents import retry
from .models import RenderedDocument

WAIT_SECONDS = 2


def document_response(request, document: RenderedDocument, *, back_url: str, inline=True):
    """The PDF, exactly the stored bytes; or the waiting page (status 202) while it renders;
    or the failure (500) with a button that posts back here to try again."""
    if request.method == "POST" and document.status == RenderedDocument.Status.FAILED:
        document = retry(document)
    if document.is_ready:
        response = FileResponse(
            document.file.open("rb"),
            content_type="application/pdf",
            as_attachment=not inline,
            filename=document.download_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-transform"
        log_download(request, document, detail=f"{document.kind} ({document.language})")
        return response
    failed = document.status == RenderedDocument.Status.FAILED
    return TemplateResponse(
        request,
        "documents/waiting.html",
        {
            "document": document,
            "failed": failed,
            "back_url": back_url,
            "refresh": None if failed else WAIT_SECONDS,
        },
        status=500 if failed else 202,
    )
