from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from two_factor import views as tf_views

from . import account_views, security_views, views
from .forms import PasswordResetForm

municipality_patterns = [
    path("profile/", views.ProfileView.as_view(), name="municipality-profile"),
    path("profile/edit/", views.ProfileEditView.as_view(), name="municipality-profile-edit"),
    path("profile/history/", views.ProfileHistoryView.as_view(), name="municipality-history"),
    path("profile/logo/", views.LogoView.as_view(), name="municipality-logo"),
    path("members/", views.MemberListView.as_view(), name="member-list"),
    path("members/add/", views.MemberInviteView.as_view(), name="member-invite"),
    path("members/history/", views.MembershipHistoryView.as_view(), name="member-history"),
    path("members/<int:user_id>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("security/", security_views.SecurityEventListView.as_view(), name="security-events"),
    path("", include("actors.urls")),  # actors/, network/, organogram/
    path("coregroup/", include("coregroup.urls")),
    path("plans/", include("plans.urls")),
    path("monitor/", include("plans.monitor_urls")),
]

# django-two-factor-auth's screens under its own namespace (its templates reverse
# "two_factor:…"), with SafetyNet's subclasses; its login is also the site's "login".
two_factor_patterns = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("security/", account_views.ProfileView.as_view(), name="profile"),
    path("security/setup/", account_views.SetupView.as_view(), name="setup"),
    path("security/setup/qrcode/", tf_views.QRGeneratorView.as_view(), name="qr"),
    path("security/setup/complete/", tf_views.SetupCompleteView.as_view(), name="setup_complete"),
    path(
        "security/recovery-codes/",
        account_views.BackupTokensView.as_view(),
        name="backup_tokens",
    ),
    path("security/disable/", account_views.DisableView.as_view(), name="disable"),
]

account_patterns = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "logout/everywhere/",
        account_views.LogoutEverywhereView.as_view(),
        name="logout-everywhere",
    ),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("accounts/", include(account_patterns)),
    path("accounts/", include((two_factor_patterns, "two_factor"))),
    # The admin logs in through the site's login, with its second factor.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin-login",
    ),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The public consultation pages of plans (no account needed).
    path("inspraak/", include("plans.public")),
    path("admin/", admin.site.urls),
    path("<slug:municipality>/", include(municipality_patterns)),
]
