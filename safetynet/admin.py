"""The Django admin is the platform operator's tool: municipalities are created here.

Writes go through the services, so history credits the operator and role groups stay in step."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from simple_history.admin import SimpleHistoryAdmin

from .constants import Role
from .models import Membership, Municipality, SecurityEvent, User
from .services import (
    membership_create,
    membership_delete,
    membership_set_chair,
    municipality_save,
)
from .uploads import logo_field_clean

# Role groups follow memberships; editing them by hand would grant rights nobody can see.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    # Groups and permissions follow memberships (safetynet.permissions): not edited by hand.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email", "language"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "home_municipality"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    filter_horizontal = []

    def has_delete_permission(self, request, obj=None):
        # History credits people by their account: deactivate it instead of deleting it.
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "is_chair"]
    readonly_fields = ["user", "role", "is_chair"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class MunicipalityAdminForm(forms.ModelForm):
    def clean_logo(self):
        """The logo judged and re-encoded as in the profile form (safetynet.uploads)."""
        return logo_field_clean(self.cleaned_data.get("logo"))


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    form = MunicipalityAdminForm
    list_display = ["name", "slug", "nis_code", "region", "population"]
    search_fields = ["name", "slug", "nis_code"]
    list_filter = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        reason = (
            gettext_noop("Edited in the admin") if change else gettext_noop("Created in the admin")
        )
        municipality_save(municipality=obj, by=request.user, reason=reason)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "municipality", "role", "is_chair"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__username", "user__last_name", "municipality__name"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "municipality"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "municipality", "role"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            membership_set_chair(membership=obj, is_chair=obj.is_chair, by=request.user)
        else:
            created = membership_create(
                municipality=obj.municipality,
                user=obj.user,
                role=obj.role,
                is_chair=obj.is_chair,
                by=request.user,
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        membership_delete(
            membership=obj, by=request.user, reason=gettext_noop("Removed in the admin")
        )

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            try:
                membership_delete(
                    membership=membership,
                    by=request.user,
                    reason=gettext_noop("Removed in the admin"),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.role == Role.ADMIN:
            others = Membership.objects.filter(municipality_id=obj.municipality_id, role=Role.ADMIN)
            return others.exclude(pk=obj.pk).exists()  # the last admin stays
        return super().has_delete_permission(request, obj)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log, read only: no line is added, changed or deleted here (the model
    refuses it too; ``manage.py security_events_prune`` alone removes old lines)."""

    list_display = ["at", "kind", "username", "address", "municipality", "object_repr", "path"]
    list_filter = ["kind", ("municipality", admin.RelatedOnlyFieldListFilter), "at"]
    search_fields = ["username", "address", "object_repr", "path", "detail"]
    list_select_related = ["municipality"]
    date_hierarchy = "at"
    ordering = ["-at", "-id"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
