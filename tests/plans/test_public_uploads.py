"""The public verification upload: anyone may send a PDF to check, so a request too large is
refused unread (413, with the message), a file that is no PDF says so, and nothing sent is ever
kept."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from plans.public import VERIFY_MAX_BYTES, VERIFY_NOT_A_PDF, VERIFY_TOO_LARGE, VerifyView
from safetynet.models import RenderedDocument
from safetynet.uploads import FORM_ALLOWANCE
from tests.safetynet.test_uploads import HTML, Unreadable, image_bytes

pytestmark = pytest.mark.django_db

VERIFY = reverse("public-verify")


def nl(message) -> str:
    with translation.override("nl"):
        return escape(gettext(message))


def nothing_kept():
    root = settings.MEDIA_ROOT
    assert not RenderedDocument.objects.exists()
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_a_request_declaring_too_much_is_refused_unread(client):
    response = client.post(
        VERIFY,
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(VERIFY_MAX_BYTES + FORM_ALLOWANCE + 1),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert nl(VERIFY_TOO_LARGE) in response.content.decode()
    assert "sha256" not in response.context
    nothing_kept()


def test_a_file_passing_the_limit_is_stopped_as_it_arrives(client, monkeypatch):
    monkeypatch.setattr(VerifyView, "upload_max_bytes", 100)
    response = client.post(
        VERIFY, {"document": SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n" + b"0" * 200)}
    )
    assert response.status_code == 413
    assert nl(VERIFY_TOO_LARGE) in response.content.decode()
    assert "sha256" not in response.context
    nothing_kept()


@pytest.mark.parametrize(
    ("content", "name"),
    [(image_bytes("PNG"), "plan.pdf"), (HTML, "plan.pdf"), (b"%PD", "plan.pdf")],
    ids=["png-named-pdf", "html-named-pdf", "cut"],
)
def test_a_file_that_is_no_pdf_says_so(client, content, name):
    response = client.post(VERIFY, {"document": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert nl(VERIFY_NOT_A_PDF) in response.content.decode()
    assert "sha256" not in response.context
    nothing_kept()


def test_the_csrf_check_still_runs(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n%%EOF\n")
    assert client.post(VERIFY, {"document": pdf}).status_code == 403
    client.get(VERIFY)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    pdf.seek(0)
    checked = client.post(VERIFY, {"document": pdf, "csrfmiddlewaretoken": token})
    assert checked.status_code == 200
    assert checked.context["found"] is None
