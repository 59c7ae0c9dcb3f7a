"""Logging in with a second factor, setting it up, recovery codes, logging out everywhere.

The screens are django-two-factor-auth's, with SafetyNet's templates (``templates/two_factor``);
these subclasses add the security log, recovery codes at set-up and the rule that a person whose
role requires a second factor cannot switch it off."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from django_otp.plugins.otp_static.models import StaticToken
from two_factor import views as two_factor_views

from .auth import log_out_everywhere, two_factor_required
from .models import SecurityEvent
from .security import log_event

RECOVERY_CODES = 10


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out username and address (``AXES_LOCKOUT_CALLABLE``):
    the same page whether or not the username exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/lockout.html", {"lockout_minutes": minutes}, status=429)


class LoginView(two_factor_views.LoginView):
    """Password, then the code of the authenticator app (or a recovery code) when the person
    has set one up. A wrong code is logged; the device itself slows repeated guesses."""

    redirect_authenticated_user = True

    def get_form_prefix(self, step=None, form=None):
        # The password step's fields keep their usual names (username, password): password
        # managers, browsers and scripts recognise them.
        if (step or self.steps.current) == self.AUTH_STEP:
            return ""
        return super().get_form_prefix(step, form)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["next"] = self.get_redirect_url()
        return context

    def render(self, form=None, **kwargs):
        if (
            self.request.method == "POST"
            and form is not None
            and form.is_bound
            and form.errors
            and self.steps.current in (self.TOKEN_STEP, self.BACKUP_STEP)
        ):
            user = self.get_user()
            log_event(
                SecurityEvent.Kind.SECOND_FACTOR_FAILED,
                request=self.request,
                user=user or None,
                detail=self.steps.current,
            )
        return super().render(form, **kwargs)


def _new_recovery_codes(user) -> None:
    device, _created = user.staticdevice_set.get_or_create(defaults={"name": "backup"})
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=StaticToken.random_token()) for _ in range(RECOVERY_CODES)
    )


class SetupView(two_factor_views.SetupView):
    """Scan the QR code, type a code; then the recovery codes are shown once to be kept."""

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        _new_recovery_codes(self.request.user)
        log_event(SecurityEvent.Kind.TWO_FACTOR_CHANGED, request=self.request, detail="set up")
        messages.success(
            self.request,
            _(
                "Your second factor is set up. Keep these recovery codes somewhere safe: each "
                "one logs you in once when you do not have your phone."
            ),
        )
        return response

    def get_success_url(self):
        return reverse("two_factor:backup_tokens")


class BackupTokensView(two_factor_views.BackupTokensView):
    """The recovery codes: shown, and replaced by new ones on request."""

    def form_valid(self, form):
        _new_recovery_codes(self.request.user)
        log_event(
            SecurityEvent.Kind.TWO_FACTOR_CHANGED, request=self.request, detail="recovery codes"
        )
        messages.success(self.request, _("New recovery codes made; the old ones no longer work."))
        return redirect("two_factor:backup_tokens")


class ProfileView(two_factor_views.ProfileView):
    """Account security: the second factor, recovery codes, logging out everywhere."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["second_factor_required"] = two_factor_required(self.request.user)
        context["idle_minutes"] = settings.SAFETYNET_IDLE_MINUTES
        return context


class DisableView(LoginRequiredMixin, two_factor_views.DisableView):
    """Switching the second factor off: only for those whose roles do not require it."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and two_factor_required(request.user):
            messages.error(
                request,
                _("Your role requires a second factor: it cannot be switched off."),
            )
            return redirect("two_factor:profile")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        log_event(SecurityEvent.Kind.TWO_FACTOR_CHANGED, request=self.request, detail="removed")
        return response


class LogoutEverywhereView(LoginRequiredMixin, View):
    """Ends every session of the person, on every device (POST only)."""

    http_method_names = ["post"]

    def post(self, request):
        log_out_everywhere(request)
        messages.success(request, _("You are logged out on every device."))
        return redirect("login")
