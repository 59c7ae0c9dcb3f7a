"""Meeting documents: the type judged from the content, the size limited, stored privately,
served only to those who may see the meeting, always as a download."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.generic import FormView, View

from safetynet.forms import add_service_error
from safetynet.history import validated_save
from safetynet.mixins import MunicipalityMixin

from .constants import DocumentKind
from .models import Meeting, MeetingDocument

MAX_BYTES = 10 * 1024 * 1024
# What a municipality files with a meeting, recognised by the first bytes of the file.
SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
]
ZIP = b"PK\x03\x04"
OFFICE = {
    b"word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    b"mimetypeapplication/vnd.oasis.opendocument.text": (
        "application/vnd.oasis.opendocument.text",
        ".odt",
    ),
}


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes; None for anything else."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head.startswith(ZIP):
        for marker, found in OFFICE.items():
            if marker in head:
                return found
    return None


@transaction.atomic
def document_attach(*, meeting: Meeting, kind: str, title: str, file, by) -> MeetingDocument:
    if file.size > MAX_BYTES:
        raise ValidationError(
            {"file": _("A document may be at most %(mb)s MB.") % {"mb": MAX_BYTES // 1024**2}}
        )
    file.seek(0)
    found = sniff(file.read(2048))
    file.seek(0)
    if found is None:
        raise ValidationError(
            {"file": _("Upload a PDF, a Word or OpenDocument text, or a PNG or JPEG image.")}
        )
    content_type, extension = found
    document = MeetingDocument(
        meeting=meeting, kind=kind, title=title.strip(), content_type=content_type, size=file.size
    )
    document.file.save(f"document{extension}", file, save=False)
    return validated_save(document, by, gettext_noop("Document attached"))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, Word or OpenDocument text, PNG or JPEG; at most 10 MB."),
    )


class MeetingPageMixin:
    @cached_property
    def meeting(self):
        return self.get_scoped_object(
            Meeting.objects, "coregroup.view_meeting", pk=self.kwargs["pk"]
        )


class DocumentUploadView(MeetingPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/meeting_document_form.html"
    permission_required = "coregroup.add_meetingdocument"
    form_class = DocumentForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def form_valid(self, form):
        try:
            document_attach(meeting=self.meeting, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The document has been attached."))
        return redirect(
            "coregroup:meeting-detail", municipality=self.municipality.slug, pk=self.meeting.pk
        )


class DocumentDownloadView(MunicipalityMixin, View):
    permission_required = "coregroup.view_meeting"

    def get(self, request, *args, **kwargs):
        document = self.get_scoped_object(
            MeetingDocument.objects.select_related("meeting"),
            "coregroup.view_meetingdocument",
            pk=kwargs["pk"],
        )
        extension = document.file.name.rsplit(".", 1)[-1]
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{document.title}.{extension}",
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'"
        return response


urlpatterns = [
    path("meetings/<int:pk>/documents/new/", DocumentUploadView.as_view(), name="document-add"),
    path("meetings/documents/<int:pk>/", DocumentDownloadView.as_view(), name="document-download"),
]
