"""The registry of actors and their dated roles: the list, one actor's page, adding and editing,
deactivating (actors are never deleted), the history, giving and ending roles, a new function
profile, who held a role on a date, and the municipality's own kinds of actor.

Coordinator and admin edit; every other member reads; another municipality's ids are a 404
(objects come through ``get_scoped_object``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from actors.forms import (
    ActorActiveForm,
    ActorFilterForm,
    ActorForm,
    ActorKindForm,
    RoleAssignForm,
    RoleEndForm,
    RoleProfileForm,
    WhoHeldForm,
)
from actors.models import Actor, RoleAssignment
from actors.selectors import actor_list, open_suggestions, who_held
from actors.services import (
    actor_create,
    actor_kind_create,
    actor_set_active,
    actor_update,
    role_assign,
    role_change_profile,
    role_end,
)
from safetynet.concurrency import EditConflict, conflict_response, latest_version
from safetynet.forms import add_service_error
from safetynet.history import history_entries
from safetynet.mixins import MunicipalityMixin
from safetynet.views import HistoryView

PAGE_SIZE = 25


def _actor_url(municipality, pk) -> str:
    return reverse("actors:actor-detail", kwargs={"municipality": municipality.slug, "pk": pk})


class ActorPageMixin:
    """A page about one actor of this municipality (``pk`` in the URL)."""

    # The permission the actor is looked up with: the one the page needs on it.
    actor_permission = "actors.view_actor"

    def get_actor(self) -> Actor:
        if not hasattr(self, "actor"):
            self.actor = self.get_scoped_object(
                Actor.objects.select_related("kind", "organisation", "user"),
                self.actor_permission,
                pk=self.kwargs["pk"],
            )
        return self.actor

    def http_method_not_allowed(self, request, *args, **kwargs):
        self.get_actor()  # another municipality's id is a 404 whatever the method
        return super().http_method_not_allowed(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actor"] = self.get_actor()
        return context


class RolePageMixin:
    """A page about one role assignment of an actor of this municipality."""

    def get_assignment(self) -> RoleAssignment:
        if not hasattr(self, "assignment"):
            self.assignment = self.get_scoped_object(
                RoleAssignment.objects.select_related("actor__kind"),
                "actors.change_roleassignment",
                pk=self.kwargs["pk"],
            )
        return self.assignment

    def http_method_not_allowed(self, request, *args, **kwargs):
        self.get_assignment()  # another municipality's id is a 404 whatever the method
        return super().http_method_not_allowed(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assignment": self.get_assignment()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignment"] = self.get_assignment()
        context["actor"] = self.get_assignment().actor
        return context


# --- The list ----------------------------------------------------------------------------------


class ActorListView(MunicipalityMixin, TemplateView):
    template_name = "actors/actor_list.html"
    permission_required = "actors.view_actor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ActorFilterForm(self.request.GET, municipality=self.municipality)
        filters = form.filters()
        actors = actor_list(user=self.request.user, municipality=self.municipality, **filters)
        page = Paginator(actors, PAGE_SIZE).get_page(self.request.GET.get("page"))
        sort = filters["sort"]
        context.update(
            form=form,
            page_obj=page,
            actors=page.object_list,
            sort=sort,
            # A column's header sorts by it; once sorted so, it reverses.
            name_sort="-name" if sort == "name" else "name",
            kind_sort="-kind" if sort == "kind" else "kind",
            # The less used filters fold away on a phone, unless one of them is in use.
            more_filters=any(
                self.request.GET.get(name) for name in ("category", "kind", "role", "sort")
            ),
            may_add=self.may("actors.add_actor"),
            may_add_kind=self.may("actors.add_actorkind"),
        )
        return context


# --- One actor ---------------------------------------------------------------------------------


class ActorDetailView(ActorPageMixin, MunicipalityMixin, TemplateView):
    template_name = "actors/actor_detail.html"
    permission_required = "actors.view_actor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.get_actor()
        today = timezone.localdate()
        roles = list(actor.role_assignments.order_by("-start", "role", "-pk"))
        for assignment in roles:
            if assignment.start > today:
                assignment.status = "planned"
            elif assignment.end is not None and assignment.end < today:
                assignment.status = "past"
            else:
                assignment.status = "current"
        context.update(
            roles=roles,
            people=list(actor.people.order_by("-active", "name")),
            org_units=list(actor.org_units.order_by("order", "name")),
            may_change=self.may("actors.change_actor"),
            may_add_role=self.may("actors.add_roleassignment"),
            may_change_roles=self.may("actors.change_roleassignment"),
        )
        return context


class ActorCreateView(MunicipalityMixin, FormView):
    template_name = "actors/actor_form.html"
    permission_required = "actors.add_actor"
    form_class = ActorForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def get_suggestion(self):
        """Coming from a suggestion of the network gaps: one of this municipality's open ones."""
        wanted = self.request.GET.get("suggestion", "")
        if not wanted.isdigit():
            return None
        return next((r for r in open_suggestions(self.municipality) if r.pk == int(wanted)), None)

    def get_initial(self):
        suggestion = self.get_suggestion()
        if suggestion is not None:
            return {"kind": suggestion.kind_id, "name": suggestion.name}
        # Coming from "add a kind": that kind is chosen already.
        return {"kind": self.request.GET.get("kind")}

    def form_valid(self, form):
        try:
            actor = actor_create(
                municipality=self.municipality,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
                source_suggestion=self.get_suggestion(),
                **form.actor_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(actor)s has been added.") % {"actor": actor})
        return redirect(_actor_url(self.municipality, actor.pk))


class ActorEditView(ActorPageMixin, MunicipalityMixin, FormView):
    template_name = "actors/actor_form.html"
    permission_required = "actors.change_actor"
    actor_permission = "actors.change_actor"
    form_class = ActorForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: a refused edit must not change the actor the page itself shows.
        kwargs["instance"] = Actor.objects.get(pk=self.get_actor().pk)
        kwargs["municipality"] = self.municipality
        return kwargs

    def get_initial(self):
        return {"version": latest_version(self.get_actor())}

    def form_valid(self, form):
        try:
            actor_update(
                actor=form.instance,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                **form.actor_fields(),
            )
        except EditConflict as conflict:
            return conflict_response(self, form, conflict, self.get_actor())
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The actor has been saved."))
        return redirect(_actor_url(self.municipality, form.instance.pk))


class ActorActiveView(ActorPageMixin, MunicipalityMixin, FormView):
    """Deactivate (there is no delete: the actor stays in history and past roles) or reactivate."""

    template_name = "actors/actor_active.html"
    permission_required = "actors.change_actor"
    actor_permission = "actors.change_actor"
    form_class = ActorActiveForm

    def get_initial(self):
        active = self.get_actor().active
        return {"action": ActorActiveForm.DEACTIVATE if active else ActorActiveForm.REACTIVATE}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["open_roles"] = [
            assignment
            for assignment in self.get_actor().role_assignments.filter(end__isnull=True)
            if assignment.start <= today
        ]
        return context

    def form_valid(self, form):
        actor = self.get_actor()
        active = form.cleaned_data["action"] == ActorActiveForm.REACTIVATE
        url = _actor_url(self.municipality, actor.pk)
        if actor.active == active:
            messages.info(self.request, _("Nothing changed: someone did this already."))
            return redirect(url)
        try:
            actor_set_active(
                actor=actor, active=active, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if active:
            messages.success(self.request, _("%(actor)s is active again.") % {"actor": actor})
        else:
            messages.success(
                self.request,
                _("%(actor)s has been deactivated; their current roles have ended.")
                % {"actor": actor},
            )
        return redirect(url)


class ActorHistoryView(ActorPageMixin, HistoryView):
    """The actor's history, and below it the history of its roles."""

    template_name = "actors/actor_history.html"
    permission_required = "actors.view_actor"

    def get_records(self):
        return Actor.history.filter(id=self.get_actor().pk)

    def get_back_url(self) -> str:
        return _actor_url(self.municipality, self.get_actor().pk)

    def get_known_objects(self) -> list:
        return [*super().get_known_objects(), self.get_actor()]

    def get_hidden_fields(self):
        # Which user account is linked is shown to those who manage actors only.
        return () if self.may("actors.change_actor") else ("user",)

    @staticmethod
    def role_subject(record, display):
        return display("role")

    def get_context_data(self, **kwargs):
        self.title = _("History of %(actor)s") % {"actor": self.get_actor()}
        context = super().get_context_data(**kwargs)
        records = RoleAssignment.history.filter(actor_id=self.get_actor().pk).order_by(
            "-history_date", "-history_id"
        )
        role_page = Paginator(records, PAGE_SIZE).get_page(self.request.GET.get("roles_page"))
        context.update(
            role_page=role_page,
            role_entries=history_entries(
                role_page.object_list, subject=self.role_subject, known=self.get_known_objects()
            ),
        )
        return context


# --- Roles -------------------------------------------------------------------------------------


class RoleCreateView(ActorPageMixin, MunicipalityMixin, FormView):
    template_name = "actors/role_form.html"
    permission_required = "actors.add_roleassignment"
    actor_permission = "actors.add_roleassignment"
    form_class = RoleAssignForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.get_actor()}

    def form_valid(self, form):
        actor = self.get_actor()
        data = form.cleaned_data
        try:
            assignment = role_assign(
                actor=actor,
                role=data["role"],
                start=data["start"],
                end=data["end"],
                title=data["title"],
                function_profile=data["function_profile"],
                by=self.request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "overlap":
                form.add_error("start", error)
            else:
                add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(actor)s now has the role %(role)s.")
            % {"actor": actor, "role": assignment.get_role_display()},
        )
        return redirect(_actor_url(self.municipality, actor.pk))


class RoleEndView(RolePageMixin, MunicipalityMixin, FormView):
    template_name = "actors/role_end.html"
    permission_required = "actors.change_roleassignment"
    form_class = RoleEndForm

    def form_valid(self, form):
        assignment = self.get_assignment()
        try:
            role_end(
                assignment=assignment,
                end=form.cleaned_data["end"],
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The role %(role)s of %(actor)s has ended.")
            % {"role": assignment.get_role_display(), "actor": assignment.actor},
        )
        return redirect(_actor_url(self.municipality, assignment.actor_id))


class RoleProfileView(RolePageMixin, MunicipalityMixin, FormView):
    """A new function profile from a date: the old assignment ends, a new one starts."""

    template_name = "actors/role_profile.html"
    permission_required = "actors.change_roleassignment"
    form_class = RoleProfileForm

    def has_permission(self) -> bool:
        return super().has_permission() and self.may("actors.add_roleassignment")

    def form_valid(self, form):
        assignment = self.get_assignment()
        data = form.cleaned_data
        try:
            role_change_profile(
                assignment=assignment,
                function_profile=data["function_profile"],
                title=data["title"],
                start=data["start"],
                by=self.request.user,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "overlap":
                form.add_error("start", error)
            else:
                add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The new function profile has been saved."))
        return redirect(_actor_url(self.municipality, assignment.actor_id))


class WhoHeldView(MunicipalityMixin, TemplateView):
    """Who held role X on date D: roles are dated and never overwritten, so history answers."""

    template_name = "actors/role_who_held.html"
    permission_required = "actors.view_roleassignment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asked = "role" in self.request.GET
        form = WhoHeldForm(self.request.GET if asked else None)
        context["form"] = form
        if asked and form.is_valid():
            holders = who_held(
                municipality=self.municipality,
                role=form.cleaned_data["role"],
                day=form.cleaned_data["date"],
            ).select_related("actor__kind")
            page = Paginator(holders, PAGE_SIZE).get_page(self.request.GET.get("page"))
            context.update(
                page_obj=page,
                holders=page.object_list,
                asked_role=dict(form.fields["role"].choices)[form.cleaned_data["role"]],
                asked_date=form.cleaned_data["date"],
            )
        return context


# --- Kinds -------------------------------------------------------------------------------------


class KindCreateView(MunicipalityMixin, FormView):
    """A kind of actor of the municipality's own, beside the domain text's."""

    template_name = "actors/actor_kind_form.html"
    permission_required = "actors.add_actorkind"
    form_class = ActorKindForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            kind = actor_kind_create(
                municipality=self.municipality, by=self.request.user, code=form.code(), **fields
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The kind “%(kind)s” has been added.") % {"kind": kind})
        url = reverse("actors:actor-create", kwargs={"municipality": self.municipality.slug})
        return redirect(f"{url}?kind={kind.pk}")


urlpatterns = [
    path("actors/", ActorListView.as_view(), name="actor-list"),
    path("actors/new/", ActorCreateView.as_view(), name="actor-create"),
    path("actors/who-held/", WhoHeldView.as_view(), name="who-held"),
    path("actors/kinds/new/", KindCreateView.as_view(), name="kind-create"),
    path("actors/<int:pk>/", ActorDetailView.as_view(), name="actor-detail"),
    path("actors/<int:pk>/edit/", ActorEditView.as_view(), name="actor-edit"),
    path("actors/<int:pk>/active/", ActorActiveView.as_view(), name="actor-active"),
    path("actors/<int:pk>/history/", ActorHistoryView.as_view(), name="actor-history"),
    path("actors/<int:pk>/roles/new/", RoleCreateView.as_view(), name="role-create"),
    path("actors/roles/<int:pk>/end/", RoleEndView.as_view(), name="role-end"),
    path("actors/roles/<int:pk>/profile/", RoleProfileView.as_view(), name="role-profile"),
]
