"""Meeting documents: judged by content, size-limited, private, downloaded by those who may see
the meeting only."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from coregroup.constants import DocumentKind
from coregroup.documents import MAX_BYTES
from coregroup.models import MeetingDocument
from coregroup.services import core_group_ensure, meeting_schedule
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
