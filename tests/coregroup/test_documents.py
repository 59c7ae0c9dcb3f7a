"""Meeting documents: judged by content, size-limited, private, downloaded by those who may see
the meeting only."""

import datetime
import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from coregroup.constants import DocumentKind
from coregroup.models import MeetingDocument
from coregroup.services import (
    core_group_ensure,
    document_remove,
    meeting_delete,
    meeting_schedule,
)
from coregroup.uploads import MAX_BYTES, download_name, sniff
from safetynet.constants import Role

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": municipality, **kwargs})


@pytest.fixture
def meeting(lindenberg, coordinator):
    return meeting_schedule(
        core_group=core_group_ensure(municipality=lindenberg, by=coordinator),
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Stadhuis",
        agenda=["Verslag"],
        by=coordinator,
        invite=False,
    )


def upload(client, meeting, content, name="verslag.pdf"):
    return client.post(
        url("document-add", pk=meeting.pk),
        {
            "kind": DocumentKind.MINUTES,
            "title": "Ondertekend verslag",
            "file": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.django_db
def test_the_coordinator_attaches_a_pdf_and_a_member_downloads_it(
    client, coordinator, make_member, meeting
):
    client.force_login(coordinator)
    assert upload(client, meeting, PDF).status_code == 302
    document = MeetingDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert document.history.get().history_user == coordinator
    assert not document.file.name.endswith("verslag.pdf")  # stored under a name of ours

    client.force_login(make_member(Role.CORE_GROUP))
    response = client.get(url("document-download", pk=document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b""],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(client, coordinator, meeting, content):
    client.force_login(coordinator)
    response = upload(client, meeting, content, name="verslag.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not MeetingDocument.objects.exists()


@pytest.mark.django_db
def test_a_file_too_large_is_refused(client, coordinator, meeting):
    client.force_login(coordinator)
    response = upload(client, meeting, PDF + b"0" * MAX_BYTES)
    assert "file" in response.context["form"].errors
    assert not MeetingDocument.objects.exists()


@pytest.mark.django_db
def test_who_may_download(client, coordinator, make_member, other_coordinator, meeting):
    client.force_login(coordinator)
    upload(client, meeting, PDF)
    document = MeetingDocument.objects.get()
    path = url("document-download", pk=document.pk)
    client.force_login(make_member(Role.VIEWER))  # sees the composition only
    assert client.get(path).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(path).status_code == 404
    assert client.get(url("document-download", "heidebeek", pk=document.pk)).status_code == 404
    client.logout()
    assert client.get(path).status_code == 302


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (DOCX, ".docx"),
        ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, ".odt"),
        ({"word/evil.html": b"<script/>", "payload.exe": b"MZ"}, None),  # "word/" is not enough
        ({**DOCX, "word/vbaProject.bin": b"macro"}, None),  # macros refused
    ],
)
def test_office_documents_are_judged_from_the_archive_s_contents(files, expected):
    found = sniff(io.BytesIO(zip_of(files)))
    assert (found[1] if found else None) == expected


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Ondertekend verslag", "Ondertekend verslag.pdf"),
        ("Verslag\r\nSet-Cookie: x", "VerslagSet-Cookie x.pdf"),
        ("../../etc/passwd", "etc passwd.pdf"),
        ("\n", "document.pdf"),
    ],
)
def test_the_download_name_is_the_cleaned_title_with_the_judged_extension(title, name):
    assert download_name(title, "application/pdf") == name


@pytest.mark.django_db
def test_the_download_carries_the_title_as_file_name(client, coordinator, meeting):
    client.force_login(coordinator)
    upload(client, meeting, PDF)
    response = client.get(url("document-download", pk=MeetingDocument.objects.get().pk))
    assert 'filename="Ondertekend verslag.pdf"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_a_removed_document_leaves_the_page_and_stays_in_history(
    client, coordinator, make_member, meeting
):
    client.force_login(coordinator)
    upload(client, meeting, PDF)
    document = MeetingDocument.objects.get()
    member = make_member(Role.CORE_GROUP)
    client.force_login(member)  # members read, they do not remove
    assert client.post(url("document-remove", pk=document.pk)).status_code == 403

    client.force_login(coordinator)
    response = client.post(url("document-remove", pk=document.pk))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.removed_at is not None
    assert document.file.storage.exists(document.file.name)  # the file stays on record
    assert document.history.latest().history_change_reason == "Document removed"
    assert document.history.latest().history_user == coordinator
    detail = client.get(url("meeting-detail", pk=meeting.pk))
    assert detail.context["meeting"].documents.all().count() == 0
    assert client.get(url("document-download", pk=document.pk)).status_code == 404

    client.force_login(member)
    history = client.get(url("document-history", pk=meeting.pk))
    assert history.status_code == 200
    entries = history.context["entries"]
    assert [entry.action for entry in entries] == ["~", "+"]
    assert [entry.who for entry in entries] == [str(coordinator)] * 2
    client.force_login(make_member(Role.VIEWER))
    assert client.get(url("document-history", pk=meeting.pk)).status_code == 403


@pytest.mark.django_db
def test_a_meeting_with_documents_is_not_deleted(client, coordinator, meeting):
    client.force_login(coordinator)
    upload(client, meeting, PDF)
    document = MeetingDocument.objects.get()
    assert client.get(url("meeting-detail", pk=meeting.pk)).context["may_delete"] is False
    with pytest.raises(ValidationError):
        meeting_delete(meeting=meeting, by=coordinator)
    document_remove(document=document, by=coordinator)
    meeting_delete(meeting=meeting, by=coordinator)
    assert not MeetingDocument.objects.exists()
    assert MeetingDocument.history.latest().history_change_reason == "Meeting deleted"


@pytest.mark.django_db
def test_another_municipality_cannot_remove_or_read_the_history(
    client, coordinator, other_coordinator, meeting
):
    client.force_login(coordinator)
    upload(client, meeting, PDF)
    document = MeetingDocument.objects.get()
    client.force_login(other_coordinator)
    assert client.post(url("document-remove", "heidebeek", pk=document.pk)).status_code == 404
    assert client.get(url("document-history", "heidebeek", pk=meeting.pk)).status_code == 404
    assert MeetingDocument.objects.get().removed_at is None
