"""The one way views find their municipality, its objects, and ask for permission."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from .audit import Refused, log_refusal
from .models import Municipality
from .permissions import access_for, has_perm, municipality_path, visible

SESSION_KEY = "safetynet_municipality"


class MunicipalityMixin(LoginRequiredMixin):
    """A page under ``/<municipality>/``.

    Someone who holds no role in the municipality gets 404, whatever the page, so nobody learns
    what another municipality keeps. A member without ``permission_required`` gets 403.

    Pages about one object get it through :meth:`get_scoped_object`, never with a bare
    ``get_object_or_404``: an id of another municipality's object is then a 404 too.

    Every refusal — the 404 of a municipality or an object that is not the person's, a 403
    here or from the view or its service — is written to the security log (DENIED), here and
    nowhere else; a plain missing object is not."""

    permission_required = "safetynet.view_municipality"

    def dispatch(self, request, *args, **kwargs):
        try:
            return self._dispatch_in_municipality(request, *args, **kwargs)
        except (PermissionDenied, Refused) as refusal:
            log_refusal(request, refusal, view=self)
            raise

    def _dispatch_in_municipality(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        access = access_for(request.user)
        # A member's municipality came with their memberships; anyone else's is looked up.
        municipality = access.member_municipality(kwargs["municipality"])
        if municipality is None:
            municipality = Municipality.objects.filter(slug=kwargs["municipality"]).first()
        if municipality is None:
            return self._follow_renamed_slug(request, kwargs["municipality"])
        self.municipality = municipality
        if not access.is_member(municipality):
            raise Refused("no role in this municipality", obj=municipality)
        if request.session.get(SESSION_KEY) != municipality.slug:
            request.session[SESSION_KEY] = municipality.slug
        request.municipality = municipality
        if not self.has_permission():
            self.refused_permission = self.permission_required  # for the security log
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _follow_renamed_slug(self, request, old_slug):
        """A bookmark or an e-mail link with the municipality's former address still works for
        its members; anyone else gets the 404 they would get anyway."""
        history = Municipality.history.model
        former = history.objects.filter(slug=old_slug).order_by("-history_id").first()
        current = Municipality.objects.filter(pk=former.id).first() if former else None
        if current is None:
            raise Http404
        if not access_for(request.user).is_member(current):
            raise Refused("no role in this municipality", obj=current)
        prefix = f"/{old_slug}/"
        return redirect(f"/{current.slug}/" + request.get_full_path()[len(prefix) :])

    def get_permission_object(self):
        return self.municipality

    def has_permission(self) -> bool:
        return has_perm(self.request.user, self.permission_required, self.get_permission_object())

    def may(self, perm: str, obj=None) -> bool:
        return has_perm(self.request.user, perm, obj if obj is not None else self.municipality)

    def scoped(self, queryset):
        """Only this municipality's rows of ``queryset``."""
        path = municipality_path(queryset.model)
        return queryset.filter(**{path or "pk": self.municipality.pk})

    def visible(self, perm: str, queryset):
        """This municipality's rows of ``queryset`` on which the user has ``perm``: all of them
        when one of their roles here holds it (no query for personal grants), else those of
        their personal grants."""
        scoped = self.scoped(queryset)
        if access_for(self.request.user).has_perm(perm, self.municipality):
            return scoped
        return visible(self.request.user, perm, scoped)

    def get_scoped_object(self, queryset, perm: str, **lookup):
        """One object of this municipality on which the user has ``perm`` (a role or a personal
        grant); 404 otherwise, so another municipality's ids tell nothing. The 404 of an
        object that exists (elsewhere, or without the right) is a refusal: logged."""
        try:
            return self.visible(perm, queryset).get(**lookup)
        except queryset.model.DoesNotExist:
            # One more query, on this 404 only: a missing object is not a refusal.
            hidden = queryset.filter(**lookup).first()
            if hidden is None:
                raise Http404 from None
            raise Refused(perm, obj=hidden) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipality"] = self.municipality
        return context
