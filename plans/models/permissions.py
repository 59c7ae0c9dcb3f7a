"""Personal grants with direct foreign keys (PITFALLS.md): a promotor on the action plans that
are theirs, a guest on one plan. Granted and revoked only by services."""

from django.db import models

from guardian.models import UserObjectPermissionBase

from .structure import ActionPlan, Plan


class PlanUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Plan, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class ActionPlanUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ActionPlan, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False
