"""The one way views find their municipality and ask for permission."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Municipality
from .permissions import access_for, has_perm

SESSION_KEY = "safetynet_municipality"


class MunicipalityMixin(LoginRequiredMixin):
    """A page under ``/<municipality>/``.

    Someone who holds no role in the municipality gets 404, whatever the page, so nobody learns
    what another municipality keeps. A member without ``permission_required`` gets 403."""

    permission_required = "safetynet.view_municipality"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.municipality = get_object_or_404(Municipality, slug=kwargs["municipality"])
        if not access_for(request.user).is_member(self.municipality):
            raise Http404
        if request.session.get(SESSION_KEY) != self.municipality.slug:
            request.session[SESSION_KEY] = self.municipality.slug
        request.municipality = self.municipality
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.municipality

    def has_permission(self) -> bool:
        return has_perm(self.request.user, self.permission_required, self.get_permission_object())

    def may(self, perm: str, obj=None) -> bool:
        return has_perm(self.request.user, perm, obj if obj is not None else self.municipality)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipality"] = self.municipality
        return context
