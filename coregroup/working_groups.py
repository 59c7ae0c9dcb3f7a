"""Pages of the working groups, mounted under ``/<municipality>/coregroup/working-groups/``.

Every member of the municipality reads them; the coordinator creates them and keeps their
membership (the domain text: the coordinator oversees their creation)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from safetynet.forms import add_service_error
from safetynet.mixins import MunicipalityMixin
from safetynet.views import HistoryView

from .models import WorkingGroup, WorkingGroupMembership
from .selectors import working_group_meetings
from .services import (
    working_group_add_member,
    working_group_create,
    working_group_end_member,
    working_group_set_active,
    working_group_update,
)
from .working_group_forms import (
    WorkingGroupForm,
    WorkingGroupMemberEndForm,
    WorkingGroupMemberForm,
    WorkingGroupSearchForm,
)

PAGE_SIZE = 25
VIEW = "coregroup.view_workinggroup"


def _detail_url(working_group):
    return reverse(
        "coregroup:working-group-detail",
        kwargs={"municipality": working_group.municipality.slug, "pk": working_group.pk},
    )


class WorkingGroupListView(MunicipalityMixin, TemplateView):
    template_name = "coregroup/working_group_list.html"
    permission_required = VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = WorkingGroupSearchForm(self.request.GET)
        form.is_valid()
        working_groups = self.visible(VIEW, WorkingGroup.objects.all())
        if query := form.cleaned_data.get("q", "").strip():
            working_groups = working_groups.filter(
                Q(name__icontains=query)
                | Q(mandate__icontains=query)
                | Q(promotor__name__icontains=query)
            )
        working_groups = (
            working_groups.select_related("promotor")
            .annotate(member_count=Count("memberships", filter=Q(memberships__end__isnull=True)))
            .order_by("-active", "name", "pk")
        )
        page = Paginator(working_groups, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            form=form,
            page_obj=page,
            working_groups=page.object_list,
            may_add=self.may("coregroup.add_workinggroup"),
        )
        return context


class WorkingGroupPageMixin:
    """A page about one working group of this municipality (404 for another's)."""

    @cached_property
    def working_group(self):
        return self.get_scoped_object(
            WorkingGroup.objects.select_related("promotor", "municipality"),
            VIEW,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(working_group=self.working_group, **kwargs)


class WorkingGroupDetailView(WorkingGroupPageMixin, MunicipalityMixin, TemplateView):
    template_name = "coregroup/working_group_detail.html"
    permission_required = VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        memberships = self.working_group.memberships.select_related("actor").order_by("pk")
        # Sorted here, not by the database: where NULL ends sort differs between databases.
        memberships = sorted(
            memberships, key=lambda m: (m.end is not None, m.actor.name.casefold(), m.start)
        )
        context.update(
            current=[m for m in memberships if m.end is None],
            former=[m for m in memberships if m.end is not None],
            may_manage=self.may("coregroup.change_workinggroup"),
            may_add_member=self.may("coregroup.add_workinggroupmembership"),
            may_end_member=self.may("coregroup.change_workinggroupmembership"),
            may_see_history=self.may("coregroup.view_workinggroupmembership"),
            may_schedule=self.may("coregroup.add_meeting") and self.working_group.active,
        )
        if self.may("coregroup.view_meeting"):
            page = Paginator(working_group_meetings(self.working_group), PAGE_SIZE).get_page(
                self.request.GET.get("page")
            )
            context.update(page_obj=page, meetings=page.object_list, now=timezone.now())
        return context


class WorkingGroupCreateView(MunicipalityMixin, FormView):
    template_name = "coregroup/working_group_form.html"
    permission_required = "coregroup.add_workinggroup"
    form_class = WorkingGroupForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def form_valid(self, form):
        try:
            working_group = working_group_create(
                municipality=self.municipality, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The working group “%(name)s” has been created.") % {"name": working_group},
        )
        return redirect(_detail_url(working_group))


class WorkingGroupUpdateView(WorkingGroupPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/working_group_form.html"
    permission_required = "coregroup.change_workinggroup"
    form_class = WorkingGroupForm

    def get_form_kwargs(self):
        # The form edits a copy: the service compares the new values with the stored ones.
        copy = WorkingGroup.objects.get(pk=self.working_group.pk)
        return {**super().get_form_kwargs(), "municipality": self.municipality, "instance": copy}

    def form_valid(self, form):
        try:
            working_group_update(
                working_group=self.working_group, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The working group has been saved."))
        return redirect(_detail_url(self.working_group))


class WorkingGroupActiveView(WorkingGroupPageMixin, MunicipalityMixin, View):
    permission_required = "coregroup.change_workinggroup"

    def post(self, request, *args, **kwargs):
        active = request.POST.get("active") == "1"
        working_group_set_active(working_group=self.working_group, active=active, by=request.user)
        if active:
            messages.success(request, _("The working group has been reopened."))
        else:
            messages.success(request, _("The working group has been closed."))
        return redirect(_detail_url(self.working_group))


class WorkingGroupMemberAddView(WorkingGroupPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/working_group_member_form.html"
    permission_required = "coregroup.add_workinggroupmembership"
    form_class = WorkingGroupMemberForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def form_valid(self, form):
        try:
            working_group_add_member(
                working_group=self.working_group, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(actor)s is a member of “%(group)s”.")
            % {"actor": form.cleaned_data["actor"], "group": self.working_group},
        )
        return redirect(_detail_url(self.working_group))


class WorkingGroupMemberEndView(WorkingGroupPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/working_group_member_end.html"
    permission_required = "coregroup.change_workinggroupmembership"
    form_class = WorkingGroupMemberEndForm

    @cached_property
    def membership(self):
        return self.get_scoped_object(
            WorkingGroupMembership.objects.select_related("actor").filter(
                working_group=self.working_group, end__isnull=True
            ),
            "coregroup.view_workinggroupmembership",
            pk=self.kwargs["membership_pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.membership, **kwargs)

    def form_valid(self, form):
        try:
            working_group_end_member(
                membership=self.membership, end=form.cleaned_data["end"], by=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(actor)s has left “%(group)s”.")
            % {"actor": self.membership.actor, "group": self.working_group},
        )
        return redirect(_detail_url(self.working_group))


class WorkingGroupHistoryView(WorkingGroupPageMixin, HistoryView):
    """Who was a member of the working group when, and who recorded it."""

    permission_required = "coregroup.view_workinggroupmembership"
    title = gettext_lazy("History of the working group's members")

    def get_back_url(self) -> str:
        return _detail_url(self.working_group)

    def get_known_objects(self) -> list:
        return [*super().get_known_objects(), self.working_group]

    def get_records(self):
        return WorkingGroupMembership.history.filter(working_group_id=self.working_group.pk)

    @staticmethod
    def subject(record, display):
        return display("actor")


urlpatterns = [
    path("", WorkingGroupListView.as_view(), name="working-group-list"),
    path("new/", WorkingGroupCreateView.as_view(), name="working-group-create"),
    path("<int:pk>/", WorkingGroupDetailView.as_view(), name="working-group-detail"),
    path("<int:pk>/edit/", WorkingGroupUpdateView.as_view(), name="working-group-update"),
    path("<int:pk>/active/", WorkingGroupActiveView.as_view(), name="working-group-active"),
    path("<int:pk>/history/", WorkingGroupHistoryView.as_view(), name="working-group-history"),
    path(
        "<int:pk>/members/new/",
        WorkingGroupMemberAddView.as_view(),
        name="working-group-member-add",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/end/",
        WorkingGroupMemberEndView.as_view(),
        name="working-group-member-end",
    ),
]
