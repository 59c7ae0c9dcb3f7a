from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from safetynet.document_views import document_response
from safetynet.forms import add_service_error
from safetynet.mixins import MunicipalityMixin
from safetynet.views import HistoryView

from .constants import KerngroepTask, SeatState
from .forms import SeatAddForm, SeatHolderForm, SeatStateForm
from .models import CoreGroup, Seat, SeatHolding
from .selectors import composition
from .services import (
    core_group_ensure,
    seat_add,
    seat_set_holder,
    seat_set_not_present,
    seat_vacate,
)
from .sheet import composition_document, composition_rows
from .versions import composition_version


def _composition_url(municipality):
    return reverse("coregroup:composition", kwargs={"municipality": municipality.slug})


class CompositionView(MunicipalityMixin, TemplateView):
    """The kerngroep: its tasks (the domain text's) and its seats by member function."""

    template_name = "coregroup/composition.html"
    permission_required = "coregroup.view_coregroup"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        core_group = CoreGroup.objects.filter(municipality=self.municipality).first()
        # The seats are rendered once per version of the composition, day and language
        # (coregroup.versions; the template's cache): read only when that is not cached yet.
        found = SimpleLazyObject(lambda: composition(core_group)) if core_group else None
        context.update(
            core_group=core_group,
            composition=found,
            composition_key=SimpleLazyObject(self.composition_key),
            tasks=KerngroepTask,
            states=SeatState,
            may_manage=self.may("coregroup.change_seat"),
            may_see_meetings=self.may("coregroup.view_meeting"),
            may_set_up=self.may("coregroup.add_coregroup"),
        )
        return context

    def composition_key(self) -> str:
        """What the cached seats vary with besides the language: the composition's version,
        the day (holdings are dated), the municipality (its links) and whether the reader may
        manage the seats."""
        version = composition_version(self.municipality)
        day = timezone.localdate().isoformat()
        return f"{version}:{day}:{self.municipality.slug}:{self.may('coregroup.change_seat')}"


class CompositionPrintView(CompositionView):
    """The composition sheet, laid out for paper."""

    template_name = "coregroup/composition_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        found = context["composition"]
        context["rows"] = composition_rows(found) if found else []
        return context


class CompositionPdfView(MunicipalityMixin, View):
    """The composition sheet as a PDF (rendered off the request, stored once per content)."""

    permission_required = "coregroup.view_coregroup"

    def get(self, request, *args, **kwargs):
        document = composition_document(
            self.municipality, language=request.LANGUAGE_CODE[:2], by=request.user
        )
        back = reverse("coregroup:composition", kwargs={"municipality": self.municipality.slug})
        return document_response(request, document, back_url=back)

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


class SetUpView(MunicipalityMixin, View):
    permission_required = "coregroup.add_coregroup"

    def post(self, request, *args, **kwargs):
        core_group_ensure(municipality=self.municipality, by=request.user)
        messages.success(request, _("The core group has been set up with the ten seats."))
        return redirect(_composition_url(self.municipality))


class SeatPageMixin:
    @cached_property
    def seat(self):
        return self.get_scoped_object(
            Seat.objects.select_related("core_group"), "coregroup.view_seat", pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(seat=self.seat, **kwargs)


class SeatHolderView(SeatPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/seat_holder_form.html"
    permission_required = "coregroup.add_seatholding"
    form_class = SeatHolderForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def form_valid(self, form):
        try:
            seat_set_holder(seat=self.seat, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(actor)s holds the seat “%(seat)s”.")
            % {"actor": form.cleaned_data["actor"], "seat": self.seat},
        )
        return redirect(_composition_url(self.municipality))


class SeatStateView(SeatPageMixin, MunicipalityMixin, View):
    permission_required = "coregroup.change_seat"

    def post(self, request, *args, **kwargs):
        seat = self.seat  # another municipality's seat is a 404 before the form is read
        form = SeatStateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid date."))
            return redirect(_composition_url(self.municipality))
        action = form.cleaned_data["action"]
        end = form.cleaned_data["end"] or timezone.localdate()
        try:
            if action == SeatStateForm.VACATE:
                seat_vacate(seat=seat, end=end, by=request.user)
            else:
                seat_set_not_present(
                    seat=seat,
                    not_present=action == SeatStateForm.NOT_PRESENT,
                    end=end,
                    by=request.user,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The seat “%(seat)s” has been updated.") % {"seat": seat})
        return redirect(_composition_url(self.municipality))


class SeatAddView(MunicipalityMixin, FormView):
    template_name = "coregroup/seat_form.html"
    permission_required = "coregroup.add_seat"
    form_class = SeatAddForm

    def form_valid(self, form):
        core_group = CoreGroup.objects.filter(municipality=self.municipality).first()
        if core_group is None:
            raise PermissionDenied
        try:
            seat_add(core_group=core_group, title=form.cleaned_data["title"], by=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The seat has been added."))
        return redirect(_composition_url(self.municipality))


class CompositionHistoryView(HistoryView):
    """Who held which seat when: the holders' history."""

    permission_required = "coregroup.view_seatholding"
    title = gettext_lazy("History of the core group's composition")
    back_url_name = "coregroup:composition"

    def get_records(self):
        seats = Seat.objects.filter(core_group__municipality=self.municipality).values("pk")
        return SeatHolding.history.filter(Q(seat_id__in=seats))

    @staticmethod
    def subject(record, display):
        return f"{display('seat')} · {display('actor')}"
