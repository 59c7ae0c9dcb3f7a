"""The organogram (its drawing, its units as an editable tree, the coordinator's placement
check) and the coordinator's appointment, under ``organogram/``.

Coordinator and admin edit; every other member reads; another municipality's units are a 404.
The placement check is computed from the organogram, never ticked by hand."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from actors.constants import AppointmentOption, OrgFunction, OrgLevel
from actors.models import CoordinatorAppointment, OrgUnit
from actors.organogram_forms import (
    POLICE_WARNING_ID,
    AppointmentForm,
    OrgUnitForm,
    add_service_errors,
)
from actors.selectors import placement_checks
from actors.services import (
    ORG_UNIT_FIELDS,
    POLICE_WARNING,
    coordinator_appoint,
    org_unit_create,
    org_unit_delete,
    org_unit_update,
)
from actors.svg import OrgTree, organogram_svg
from safetynet.mixins import MunicipalityMixin

TREE_LIST_ID = "organogram-units"


def _units(municipality) -> list[OrgUnit]:
    """The municipality's units with their holders: one query, whatever their number."""
    return list(
        OrgUnit.objects.filter(municipality=municipality)
        .select_related("holder")
        .order_by("order", "name", "pk")
    )


def _title(municipality) -> str:
    return _("Organogram of %(municipality)s") % {"municipality": municipality.name}


class PlacementMixin:
    """The placement check's context: the checks and whether there is a coordinator unit."""

    def placement_context(self, units) -> dict:
        return {
            "checks": placement_checks(units),
            "has_coordinator_unit": any(u.function == OrgFunction.COORDINATOR for u in units),
            "may_add_unit": self.may("actors.add_orgunit"),
        }


class OrganogramView(PlacementMixin, MunicipalityMixin, TemplateView):
    """The drawing, the units as a tree (the drawing's text alternative), the placement check."""

    template_name = "actors/organogram.html"
    permission_required = "actors.view_orgunit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        units = _units(self.municipality)
        tree = OrgTree(units)
        context.update(
            title=_title(self.municipality),
            svg=organogram_svg(units, title=_title(self.municipality), described_by=TREE_LIST_ID),
            outline=tree.outline(),
            tree_list_id=TREE_LIST_ID,
            other_function=OrgFunction.OTHER,
            may_add=self.may("actors.add_orgunit"),
            may_change=self.may("actors.change_orgunit"),
            may_delete=self.may("actors.delete_orgunit"),
            **self.placement_context(units),
        )
        return context


class OrganogramSvgView(MunicipalityMixin, View):
    """The drawing alone, to download or print."""

    permission_required = "actors.view_orgunit"

    def get(self, request, *args, **kwargs):
        svg = organogram_svg(
            _units(self.municipality), title=_title(self.municipality), standalone=True
        )
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = (
            f'inline; filename="organogram-{self.municipality.slug}.svg"'
        )
        # Names are escaped; this keeps the file inert even opened on its own.
        response["Content-Security-Policy"] = "default-src 'none'"
        return response


# --- Units -------------------------------------------------------------------------------------


class OrgUnitFormMixin:
    template_name = "actors/organogram_unit_form.html"
    form_class = OrgUnitForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["municipality"] = self.municipality
        kwargs["instance"] = self.get_instance()
        return kwargs

    def organogram_url(self) -> str:
        return reverse("actors:organogram", kwargs={"municipality": self.municipality.slug})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.organogram_url()
        return context

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in ORG_UNIT_FIELDS}
        try:
            unit = self.save(form.instance, fields)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"unit": unit.name})
        return redirect(self.organogram_url() + f"#unit-{unit.pk}")


class OrgUnitCreateView(OrgUnitFormMixin, MunicipalityMixin, FormView):
    permission_required = "actors.add_orgunit"

    @property
    def success_message(self):
        return _("“%(unit)s” has been added to the organogram.")

    def get_instance(self):
        return OrgUnit(municipality=self.municipality)

    def get_initial(self):
        """``?parent=…&function=…&level=…`` from the links that add a unit (the form checks
        them like anything typed)."""
        initial = super().get_initial()
        query = self.request.GET
        if query.get("function") in OrgFunction.values:
            initial["function"] = query["function"]
        if query.get("level") in OrgLevel.values:
            initial["level"] = query["level"]
        if query.get("parent", "").isdigit():
            initial["parent"] = int(query["parent"])
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Add a unit to the organogram")
        return context

    def save(self, instance, fields):
        return org_unit_create(municipality=self.municipality, by=self.request.user, **fields)


class OrgUnitEditView(OrgUnitFormMixin, MunicipalityMixin, FormView):
    permission_required = "actors.change_orgunit"

    @property
    def success_message(self):
        return _("“%(unit)s” has been saved.")

    def get_instance(self):
        unit = self.get_scoped_object(
            OrgUnit.objects.all(), "actors.change_orgunit", pk=self.kwargs["pk"]
        )
        # The form writes what was typed onto the instance: the page keeps the stored name.
        self.stored_name = unit.name
        return unit

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit “%(unit)s”") % {"unit": self.stored_name}
        context["unit_pk"] = self.kwargs["pk"]
        return context

    def save(self, instance, fields):
        return org_unit_update(unit=instance, by=self.request.user, **fields)


class OrgUnitDeleteView(MunicipalityMixin, TemplateView):
    """Asks first (GET), removes on POST; a unit with units under it stays, with a message."""

    template_name = "actors/organogram_unit_delete.html"
    permission_required = "actors.delete_orgunit"

    def get_unit(self):
        return self.get_scoped_object(
            OrgUnit.objects.all(),
            "actors.delete_orgunit",
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.get_unit()
        context.update(unit=unit, children=list(unit.children.order_by("order", "name")))
        return context

    def post(self, request, *args, **kwargs):
        unit = self.get_unit()
        url = reverse("actors:organogram", kwargs={"municipality": self.municipality.slug})
        try:
            org_unit_delete(unit=unit, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(url + f"#unit-{unit.pk}")
        messages.success(
            request, _("“%(unit)s” has been removed from the organogram.") % {"unit": unit.name}
        )
        return redirect(url)


# --- The coordinator's appointment ------------------------------------------------------------


class AppointmentView(PlacementMixin, MunicipalityMixin, FormView):
    """The current appointment, the past ones, the placement check, and the form to appoint."""

    template_name = "actors/appointment.html"
    permission_required = "actors.view_coordinatorappointment"
    form_class = AppointmentForm

    def may_appoint(self) -> bool:
        return self.may("actors.add_coordinatorappointment")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["municipality"] = self.municipality
        return kwargs

    def get_context_data(self, **kwargs):
        may_appoint = self.may_appoint()
        if not may_appoint:
            kwargs["form"] = None
        context = super().get_context_data(**kwargs)
        appointments = list(
            CoordinatorAppointment.objects.filter(municipality=self.municipality)
            .select_related("actor")
            .order_by("-start", "-pk")
        )
        current = next((a for a in appointments if a.end is None), None)
        context.update(
            current=current,
            past=[a for a in appointments if a is not current],
            may_appoint=may_appoint,
            police_warning=_(POLICE_WARNING),
            police_warning_id=POLICE_WARNING_ID,
            police_option=AppointmentOption.POLICE,
            no_coordinator_option=AppointmentOption.NO_COORDINATOR,
            **self.placement_context(_units(self.municipality)),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.may_appoint():
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            appointment = coordinator_appoint(
                municipality=self.municipality,
                option=data["option"],
                actor=data["actor"],
                start=data["start"],
                by=self.request.user,
                police_risk_acknowledged=data["police_risk_acknowledged"],
                motivation=data["motivation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if appointment.option == AppointmentOption.POLICE:
            messages.warning(
                self.request,
                _(
                    "%(actor)s has been appointed from the police; the acknowledged warning "
                    "is kept in the history."
                )
                % {"actor": appointment.actor.name},
            )
        else:
            messages.success(
                self.request,
                _("%(actor)s now carries the coordinator's function.")
                % {"actor": appointment.actor.name},
            )
        return redirect("actors:appointment", municipality=self.municipality.slug)


urlpatterns = [
    path("organogram/", OrganogramView.as_view(), name="organogram"),
    path("organogram/organogram.svg", OrganogramSvgView.as_view(), name="organogram-svg"),
    path("organogram/units/new/", OrgUnitCreateView.as_view(), name="orgunit-create"),
    path("organogram/units/<int:pk>/edit/", OrgUnitEditView.as_view(), name="orgunit-edit"),
    path("organogram/units/<int:pk>/delete/", OrgUnitDeleteView.as_view(), name="orgunit-delete"),
    path("organogram/coordinator/", AppointmentView.as_view(), name="appointment"),
]
