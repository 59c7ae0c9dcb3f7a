"""Meeting documents' refusals, each with its message and nothing stored: a request too large
(refused unread) or a file passing the limit as it arrives (413), the wrong type, an SVG, HTML
dressed as a PNG, an Office file that unpacks to far more than its size or carries macros; and a
PNG named .pdf is a PNG, downloaded as one, as an attachment, by those who may see the meeting."""

import io
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from coregroup import documents
from coregroup.constants import DocumentKind
from coregroup.models import MeetingDocument
from coregroup.services import core_group_ensure, meeting_schedule
from coregroup.uploads import MAX_BYTES, MAX_RATIO, ODT, TOO_LARGE_UNPACKED, Refused, sniff
from safetynet.constants import Role
from safetynet.uploads import FORM_ALLOWANCE
from tests.coregroup.test_documents import DOCX, PDF, url, zip_of
from tests.safetynet.test_uploads import HTML, SVG, Unreadable, image_bytes

pytestmark = pytest.mark.django_db

TOO_LARGE = "A document may be at most %(mb)s MB."
WRONG_TYPE = "Upload a PDF, a Word or OpenDocument text, or a PNG or JPEG image."


def nl(message, **params) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return escape(text % params if params else text)


def post(client, meeting, content, name="verslag.pdf", title="Ondertekend verslag"):
    return client.post(
        url("document-add", pk=meeting.pk),
        {"kind": DocumentKind.MINUTES, "title": title, "file": SimpleUploadedFile(name, content)},
    )


def nothing_stored():
    root = settings.MEDIA_ROOT
    assert not MeetingDocument.objects.exists()
    assert not MeetingDocument.history.exists()
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def meeting(lindenberg, coordinator):
    return meeting_schedule(
        core_group=core_group_ensure(municipality=lindenberg, by=coordinator),
        starts_at=timezone.now(),
        place="Stadhuis",
        agenda=["Verslag"],
        by=coordinator,
        invite=False,
    )


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_request_declaring_too_much_is_refused_unread(coordinator_client, meeting):
    response = coordinator_client.post(
        url("document-add", pk=meeting.pk),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(MAX_BYTES + FORM_ALLOWANCE + 1),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert nl(TOO_LARGE, mb=MAX_BYTES // 1024**2) in response.content.decode()
    nothing_stored()


def test_a_file_passing_the_limit_is_stopped_as_it_arrives(
    coordinator_client, meeting, monkeypatch
):
    monkeypatch.setattr(documents.DocumentUploadView, "upload_max_bytes", 1000)
    response = post(coordinator_client, meeting, PDF + b"0" * 1000)
    assert response.status_code == 413
    page = response.content.decode()
    assert nl(TOO_LARGE, mb=MAX_BYTES // 1024**2) in page
    assert response.context["form"]["title"].value() == "Ondertekend verslag"  # kept
    nothing_stored()
    # Control: under the limit it is taken.
    assert post(coordinator_client, meeting, PDF).status_code == 302


def test_a_file_over_the_limit_within_the_allowance_is_refused(coordinator_client, meeting):
    response = post(coordinator_client, meeting, PDF + b"0" * MAX_BYTES)
    assert response.status_code == 413
    assert nl(TOO_LARGE, mb=MAX_BYTES // 1024**2) in response.content.decode()
    nothing_stored()


def bomb() -> bytes:
    """A Word document whose one part unpacks to a thousand times its packed size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in DOCX.items():
            archive.writestr(name, content)
        archive.writestr("word/media/image1.png", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def many_parts() -> bytes:
    return zip_of({**DOCX, **{f"word/part{i}.xml": b"" for i in range(2001)}})


ODT_WITH_MACROS = zip_of(
    {"mimetype": ODT[0].encode(), "content.xml": b"<x/>", "Basic/Standard/Module1.xml": b"Sub"}
)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (HTML, "verslag.pdf", WRONG_TYPE),
        (HTML, "foto.png", WRONG_TYPE),  # HTML dressed as a PNG
        (SVG, "plan.svg", WRONG_TYPE),
        (SVG, "plan.png", WRONG_TYPE),
        (b"MZ\x90\x00" + b"\0" * 60, "verslag.pdf", WRONG_TYPE),  # a Windows program
        (zip_of({"word/evil.html": b"<script/>"}), "verslag.docx", WRONG_TYPE),
        (zip_of({**DOCX, "word/vbaProject.bin": b"macro"}), "verslag.docx", WRONG_TYPE),
        (ODT_WITH_MACROS, "verslag.odt", WRONG_TYPE),
        (bomb(), "verslag.docx", TOO_LARGE_UNPACKED),
        (many_parts(), "verslag.docx", TOO_LARGE_UNPACKED),
    ],
    ids=[
        "html",
        "html-named-png",
        "svg",
        "svg-named-png",
        "exe",
        "zip-not-word",
        "docm",
        "odt-macros",
        "zip-bomb",
        "zip-many-parts",
    ],
)
def test_a_refused_file_says_why_and_stores_nothing(
    coordinator_client, meeting, content, name, message
):
    response = post(coordinator_client, meeting, content, name=name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert nl(message) in response.content.decode()
    nothing_stored()


def test_the_bomb_is_judged_without_unpacking_it():
    content = bomb()
    assert len(content) * MAX_RATIO < 20 * 1024 * 1024
    with pytest.raises(Refused):
        sniff(io.BytesIO(content))


def test_a_png_named_pdf_is_a_png(coordinator_client, make_member, meeting):
    png = image_bytes("PNG")
    assert (
        post(coordinator_client, meeting, png, name="verslag.pdf", title="Foto").status_code == 302
    )
    document = MeetingDocument.objects.get()
    assert document.content_type == "image/png"
    coordinator_client.force_login(make_member(Role.CORE_GROUP))
    response = coordinator_client.get(url("document-download", pk=document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="Foto.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == png


def test_a_removed_document_is_served_to_nobody(coordinator_client, meeting):
    assert post(coordinator_client, meeting, PDF).status_code == 302
    document = MeetingDocument.objects.get()
    coordinator_client.post(url("document-remove", pk=document.pk))
    response = coordinator_client.get(url("document-download", pk=document.pk))
    assert response.status_code == 404
