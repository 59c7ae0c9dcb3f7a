"""Export and import of the actor list: ``actors/export/`` and ``actors/import/``."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from actors import transfer
from actors.forms import ActorFilterForm
from actors.selectors import actor_list, kinds_for
from safetynet.audit import log_export
from safetynet.mixins import MunicipalityMixin
from safetynet.uploads import UploadLimitMixin

FORMATS = {
    "csv": (transfer.export_csv, transfer.CSV_TYPE),
    "xlsx": (transfer.export_xlsx, transfer.XLSX_TYPE),
}
# The list's own parameter is ``status``; ``active`` (yes/no/all) is understood too.
ACTIVE_TO_STATUS = {
    **dict.fromkeys(("1", "true", "yes", "on"), ActorFilterForm.STATUS_ACTIVE),
    **dict.fromkeys(("0", "false", "no", "off"), ActorFilterForm.STATUS_INACTIVE),
    **dict.fromkeys(("", "all"), ActorFilterForm.STATUS_ALL),
}


def list_filters(query, municipality) -> dict:
    """The actor list's filters (q, category, kind, role, status, sort) read by the list's own
    form, as arguments of :func:`actors.selectors.actor_list`: the export holds what the list
    shows."""
    query = query.copy()
    if "status" not in query and "active" in query:
        query["status"] = ACTIVE_TO_STATUS.get(query["active"].strip().lower(), "")
    return ActorFilterForm(query, municipality=municipality).filters()


class ActorExportView(MunicipalityMixin, View):
    """The actor list, with the list's filters, as CSV or Excel. A list of everyone's contact
    details is for those who keep the network up to date."""

    permission_required = "actors.change_actor"

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("format", "csv")
        if file_format not in FORMATS:
            raise Http404
        write, content_type = FORMATS[file_format]
        actors = actor_list(
            user=request.user,
            municipality=self.municipality,
            **list_filters(request.GET, self.municipality),
        )
        rows = transfer.export_rows(actors, self.municipality)
        content = write(rows, title=_("Actors")) if file_format == "xlsx" else write(rows)
        name = f"actors-{self.municipality.slug}-{timezone.localdate():%Y-%m-%d}.{file_format}"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        log_export(request, self.municipality, detail=f"actors ({file_format})")
        return response


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file (XLSX)"),
        help_text=gettext_lazy("At most 2 MB, with the columns described below."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv," + transfer.XLSX_TYPE}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > transfer.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": transfer.MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ActorImportView(UploadLimitMixin, MunicipalityMixin, FormView):
    template_name = "actors/import.html"
    form_class = ImportForm
    permission_required = "actors.add_actor"
    upload_max_bytes = transfer.MAX_BYTES

    def upload_too_large_message(self) -> str:
        return _("The file is larger than %(size)s MB.") % {
            "size": transfer.MAX_BYTES // (1024 * 1024)
        }

    def has_permission(self) -> bool:
        # An import adds actors and changes those it finds again.
        return super().has_permission() and self.may("actors.change_actor")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = [
            {"column": column, "names": sorted(transfer.header_names(column) - {column.code})}
            for column in transfer.COLUMNS
        ]
        context["kinds"] = kinds_for(self.municipality).order_by("category", "order", "name_nl")
        context["max_rows"] = transfer.MAX_ROWS
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        result = transfer.actors_import(
            municipality=self.municipality, by=self.request.user, file=upload
        )
        if result.file_errors:
            for error in result.file_errors:
                form.add_error("file", error.message)
            return self.form_invalid(form)
        if not result.ok:
            return self.render_to_response(
                self.get_context_data(form=form, result=result, file_name=upload.name)
            )
        messages.success(
            self.request,
            _(
                "The file has been imported. Actors added: %(created)d; changed: %(updated)d; "
                "unchanged: %(unchanged)d."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        return redirect("actors:actor-list", municipality=self.municipality.slug)


urlpatterns = [
    path("actors/export/", ActorExportView.as_view(), name="actors-export"),
    path("actors/import/", ActorImportView.as_view(), name="actors-import"),
]
