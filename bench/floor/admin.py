"""Django admin's changelist of the same tables, on an admin site of the benchmark's own (the
product's admin registers none of them): the other yardstick of issue 10 — every page of
SafetyNet at least as fast as the admin listing the same rows."""

from django.contrib import admin

from actors.models import Actor
from coregroup.models import SeatHolding
from plans.models import ActionPlan

site = admin.AdminSite(name="floor-admin")


class ScopedAdmin(admin.ModelAdmin):
    """Filtered by the address (``?municipality__id__exact=`` …) without a filter sidebar: a
    sidebar listing every municipality or plan would charge the admin for rows the page does
    not show."""

    scopes: tuple[str, ...] = ()

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.scopes or super().lookup_allowed(lookup, value, request)


@admin.register(Actor, site=site)
class ActorAdmin(ScopedAdmin):
    list_display = ["name", "kind", "organisation", "email"]
    list_select_related = ["kind", "organisation"]
    scopes = ("municipality__id__exact",)
    ordering = ["name", "pk"]
    list_per_page = 25
    list_max_show_all = 5000  # "?all=" for the network picture's every actor


@admin.register(ActionPlan, site=site)
class ActionPlanAdmin(ScopedAdmin):
    list_display = ["title", "goal", "promotor", "start", "end"]
    list_select_related = ["goal", "promotor"]
    scopes = ("goal__plan__id__exact",)
    ordering = ["goal__order", "order", "pk"]
    list_per_page = 200
    show_full_result_count = False


@admin.register(SeatHolding, site=site)
class SeatHoldingAdmin(ScopedAdmin):
    list_display = ["seat", "actor", "start", "end"]
    list_select_related = ["seat", "actor"]
    scopes = ("seat__core_group__municipality__id__exact",)
    list_per_page = 100
