"""Meeting documents: the type judged from the content, the size limited, stored privately,
served only to those who may see the meeting, always as a download. A removed document leaves
the meeting's page and stays on record."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from safetynet.audit import log_download
from safetynet.forms import add_service_error
from safetynet.mixins import MunicipalityMixin
from safetynet.uploads import UploadLimitMixin
from safetynet.views import HistoryView

from .constants import DocumentKind
from .models import Meeting, MeetingDocument
from .services import document_attach, document_remove
from .uploads import MAX_BYTES, download_name


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
            Meeting.objects.select_related("core_group", "working_group"),
            "coregroup.view_meeting",
            pk=self.kwargs["pk"],
        )

    def meeting_url(self) -> str:
        return reverse(
            "coregroup:meeting-detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.meeting.pk},
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class DocumentUploadView(UploadLimitMixin, MeetingPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/meeting_document_form.html"
    permission_required = "coregroup.add_meetingdocument"
    form_class = DocumentForm
    upload_max_bytes = MAX_BYTES

    def upload_too_large_message(self) -> str:
        return _("A document may be at most %(mb)s MB.") % {"mb": MAX_BYTES // 1024**2}

    def form_valid(self, form):
        try:
            document_attach(meeting=self.meeting, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The document has been attached."))
        return redirect(self.meeting_url() + "#documents-heading")


def _current_document(view, perm: str) -> MeetingDocument:
    return view.get_scoped_object(
        MeetingDocument.objects.filter(removed_at__isnull=True).select_related("meeting"),
        perm,
        pk=view.kwargs["pk"],
    )


class DocumentDownloadView(MunicipalityMixin, View):
    permission_required = "coregroup.view_meeting"

    def get(self, request, *args, **kwargs):
        document = _current_document(self, "coregroup.view_meetingdocument")
        if not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:  # the row is there, its file is not (a storage restored late)
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(document.title, document.content_type),
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'"
        log_download(
            request, document, municipality=self.municipality, detail=document.content_type
        )
        return response


class DocumentRemoveView(MunicipalityMixin, View):
    permission_required = "coregroup.change_meetingdocument"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        document = _current_document(self, "coregroup.change_meetingdocument")
        document_remove(document=document, by=request.user)
        messages.success(
            request,
            _("“%(title)s” has been removed from the meeting; the history keeps it.")
            % {"title": document.title},
        )
        return redirect(
            reverse(
                "coregroup:meeting-detail",
                kwargs={"municipality": self.municipality.slug, "pk": document.meeting_id},
            )
            + "#documents-heading"
        )


class DocumentHistoryView(MeetingPageMixin, HistoryView):
    """Which documents were attached to and removed from a meeting, by whom and when."""

    permission_required = "coregroup.view_meetingdocument"
    title = gettext_lazy("History of the meeting's documents")

    def get_records(self):
        return MeetingDocument.history.filter(meeting_id=self.meeting.pk)

    def get_back_url(self) -> str:
        return self.meeting_url()

    def get_hidden_fields(self):
        return ("file",)  # the storage name of ours tells a reader nothing

    @staticmethod
    def subject(record, display):
        return f"{display('kind')} · {record.title}"


urlpatterns = [
    path("meetings/<int:pk>/documents/new/", DocumentUploadView.as_view(), name="document-add"),
    path(
        "meetings/<int:pk>/documents/history/",
        DocumentHistoryView.as_view(),
        name="document-history",
    ),
    path("meetings/documents/<int:pk>/", DocumentDownloadView.as_view(), name="document-download"),
    path(
        "meetings/documents/<int:pk>/remove/",
        DocumentRemoveView.as_view(),
        name="document-remove",
    ),
]
