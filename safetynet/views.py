from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n as i18n_views
from django.views.generic import FormView, TemplateView, View

from .concurrency import EditConflict, conflict_response, latest_version
from .forms import (
    MemberIdentityForm,
    MemberInviteForm,
    MemberRolesForm,
    MemberSearchForm,
    MunicipalityProfileForm,
)
from .history import HistorySource, history_entries, merged_entries, merged_timeline
from .mixins import MunicipalityMixin
from .models import LOGO_MAX_BYTES, Membership, Municipality, User
from .registry import dashboard_panels
from .services import (
    MUNICIPALITY_PROFILE_FIELDS,
    memberships_set_roles,
    municipality_update,
    user_invite,
    user_send_password_reset,
    user_set_language,
    user_update_identity,
)
from .services import may_edit_identity as may_edit_identity_of
from .uploads import LOGO_TOO_LARGE, UploadLimitMixin, image_response

PAGE_SIZE = 25


class DashboardView(LoginRequiredMixin, TemplateView):
    """``/``: per role, what needs me. Each app contributes panels through the registry."""

    template_name = "safetynet/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panels = []
        for panel in dashboard_panels():
            panel_context = panel.context(self.request)
            if panel_context is not None:
                panels.append({"template": panel.template, "context": panel_context})
        context["panels"] = panels
        return context


# --- Municipality profile ----------------------------------------------------------------------


class ProfileView(MunicipalityMixin, TemplateView):
    template_name = "safetynet/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_edit"] = self.may("safetynet.change_municipality")
        return context


class ProfileEditView(UploadLimitMixin, MunicipalityMixin, FormView):
    template_name = "safetynet/profile_form.html"
    permission_required = "safetynet.change_municipality"
    form_class = MunicipalityProfileForm
    upload_max_bytes = LOGO_MAX_BYTES
    upload_field = "logo"

    def upload_too_large_message(self) -> str:
        return LOGO_TOO_LARGE % {"max": LOGO_MAX_BYTES // 1024}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: a refused edit must not change the municipality the page itself links to.
        kwargs["instance"] = Municipality.objects.get(pk=self.municipality.pk)
        return kwargs

    def get_initial(self):
        return {"version": latest_version(self.municipality)}

    def form_valid(self, form):
        # The form has put the cleaned values (the logo's upload or clearing included) on its copy.
        fields = {name: getattr(form.instance, name) for name in MUNICIPALITY_PROFILE_FIELDS}
        try:
            municipality_update(
                municipality=form.instance,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                **fields,
            )
        except EditConflict as conflict:
            return conflict_response(self, form, conflict, self.municipality)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The profile has been saved."))
        return redirect(form.instance.get_absolute_url())


class LogoView(MunicipalityMixin, View):
    """The logo, served to members only (uploads are never served from a public folder)."""

    def get(self, request, *args, **kwargs):
        if not self.municipality.logo:
            raise Http404
        return image_response(self.municipality.logo, cache_control="private, max-age=3600")


# --- History pages -----------------------------------------------------------------------------


class HistoryView(MunicipalityMixin, TemplateView):
    """The reusable history page: subclasses say which records and how to name their subject."""

    template_name = "safetynet/history.html"
    title = ""
    back_url_name = ""
    # ``subject(record, display)`` names what a record is about; None: the model's name.
    subject = None

    def get_records(self):
        raise NotImplementedError

    def get_sources(self) -> list[HistorySource]:
        """Several models' records on one page; by default the one of :meth:`get_records`."""
        return [HistorySource(self.get_records(), self.subject, self.get_hidden_fields())]

    def get_back_url(self) -> str:
        return reverse(self.back_url_name, kwargs={"municipality": self.municipality.slug})

    def get_known_objects(self) -> list:
        """Objects the page has loaded already: the records name them without a query."""
        return [self.municipality]

    def get_hidden_fields(self) -> tuple[str, ...]:
        """Fields this reader may not see in the history."""
        return ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sources = self.get_sources()
        known = self.get_known_objects()
        page_number = self.request.GET.get("page")
        if len(sources) == 1:
            source = sources[0]
            records = source.records.select_related("history_user").order_by(
                "-history_date", "-history_id"
            )
            page = Paginator(records, PAGE_SIZE).get_page(page_number)
            entries = history_entries(
                page.object_list, subject=source.subject, hide=source.hide, known=known
            )
        else:
            page = Paginator(merged_timeline(sources), PAGE_SIZE).get_page(page_number)
            entries = merged_entries(sources, list(page.object_list), known=known)
        context.update(
            page_obj=page, entries=entries, title=self.title, back_url=self.get_back_url()
        )
        return context


class ProfileHistoryView(HistoryView):
    title = gettext_lazy("History of the municipality profile")
    back_url_name = "municipality-profile"

    def get_records(self):
        return self.municipality.history.all()


class MembershipHistoryView(HistoryView):
    permission_required = "safetynet.view_membership"
    title = gettext_lazy("History of users and roles")
    back_url_name = "member-list"

    def get_records(self):
        return Membership.history.filter(municipality_id=self.municipality.pk)

    def subject(self, record, display):
        return f"{display('user')} · {display('role')}"


# --- Users and memberships ---------------------------------------------------------------------


class MemberListView(MunicipalityMixin, TemplateView):
    template_name = "safetynet/member_list.html"
    permission_required = "safetynet.view_membership"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MemberSearchForm(self.request.GET)
        form.is_valid()  # a bad value in one filter leaves the others working
        memberships = Membership.objects.filter(municipality=self.municipality)
        if role := form.cleaned_data.get("role"):
            memberships = memberships.filter(role=role)  # roles held here, not elsewhere
        users = User.objects.filter(pk__in=memberships.values("user_id"))
        if query := form.cleaned_data.get("q", "").strip():
            users = users.filter(
                Q(username__icontains=query)
                | Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
                | Q(email__icontains=query)
            )
        users = users.order_by("last_name", "first_name", "username").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(municipality=self.municipality),
                to_attr="roles_here",
            )
        )
        page = Paginator(users, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            form=form,
            page_obj=page,
            members=page.object_list,
            may_add=self.may("safetynet.add_membership"),
            may_change=self.may("safetynet.change_membership"),
        )
        return context


class MemberInviteView(MunicipalityMixin, FormView):
    template_name = "safetynet/member_invite.html"
    permission_required = "safetynet.add_membership"
    form_class = MemberInviteForm

    def get_initial(self):
        return {"language": (self.municipality.languages or [settings.LANGUAGE_CODE])[0]}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user, created = user_invite(
                municipality=self.municipality,
                by=self.request.user,
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
                roles=data["roles"],
                is_chair=data["is_chair"],
                base_url=self.request.build_absolute_uri("/")[:-1],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request,
                _("%(user)s has been added and will receive an e-mail to choose a password.")
                % {"user": user},
            )
        else:
            messages.success(
                self.request,
                _(
                    "An account with this e-mail address already existed: it has been given "
                    "the roles, and its owner has been told by e-mail."
                ),
            )
        return redirect("member-detail", municipality=self.municipality.slug, user_id=user.pk)


class MemberDetailView(MunicipalityMixin, TemplateView):
    """One person's roles in this municipality and, if they belong here only, their identity."""

    template_name = "safetynet/member_detail.html"
    permission_required = "safetynet.view_membership"

    def get_member(self):
        members = Membership.objects.filter(municipality=self.municipality).values("user_id")
        member = get_object_or_404(User.objects.filter(pk__in=members), pk=self.kwargs["user_id"])
        member.roles_here = list(
            Membership.objects.filter(municipality=self.municipality, user=member)
        )
        return member

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = kwargs.get("member") or self.get_member()
        may_change = self.may("safetynet.change_membership")
        may_edit_identity = may_change and may_edit_identity_of(member, self.municipality)
        roles = [m.role for m in member.roles_here]
        is_chair = any(m.is_chair for m in member.roles_here)
        context.update(
            member=member,
            may_change=may_change,
            may_edit_identity=may_edit_identity,
            roles_form=kwargs.get("roles_form")
            or MemberRolesForm(initial={"roles": roles, "is_chair": is_chair}),
            identity_form=kwargs.get("identity_form") or MemberIdentityForm(instance=member),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.may("safetynet.change_membership"):
            raise PermissionDenied
        member = self.get_member()
        action = request.POST.get("action")
        url = reverse(
            "member-detail", kwargs={"municipality": self.municipality.slug, "user_id": member.pk}
        )
        if action == "roles":
            form = MemberRolesForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(
                    self.get_context_data(member=member, roles_form=form)
                )
            try:
                memberships_set_roles(
                    municipality=self.municipality,
                    user=member,
                    by=request.user,
                    roles=form.cleaned_data["roles"],
                    is_chair=form.cleaned_data["is_chair"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
                return self.render_to_response(
                    self.get_context_data(member=member, roles_form=form)
                )
            if not form.cleaned_data["roles"]:
                messages.success(
                    request, _("%(user)s no longer has a role here.") % {"user": member}
                )
                return redirect("member-list", municipality=self.municipality.slug)
            messages.success(request, _("The roles have been saved."))
            return HttpResponseRedirect(url)
        if action == "identity":
            form = MemberIdentityForm(request.POST, instance=member)
            if not form.is_valid():
                return self.render_to_response(
                    self.get_context_data(member=member, identity_form=form)
                )
            user_update_identity(
                user=member,
                municipality=self.municipality,
                by=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
            messages.success(request, _("The account has been saved."))
            return HttpResponseRedirect(url)
        if action == "password_reset":
            try:
                user_send_password_reset(
                    user=member,
                    municipality=self.municipality,
                    by=request.user,
                    base_url=request.build_absolute_uri("/")[:-1],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("A link to choose a new password has been sent to %(email)s.")
                    % {"email": member.email},
                )
            return HttpResponseRedirect(url)
        return HttpResponseRedirect(url)


def set_language(request):
    """The language switcher: Django's view (cookie, safe redirect), and the person's account
    remembers the choice for their e-mails and their other devices."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        user_set_language(user=request.user, language=language)
    return response
