"""The one place that turns memberships into permissions, and the one way to ask about them.

Two layers (DESIGN.md, "Permissions"):

* **Roles, at municipality scope.** Each role of each municipality is an auth group (``RoleGroup``)
  holding django-guardian object permissions *on the municipality object*, in the direct
  foreign-key table ``MunicipalityGroupObjectPermission``. Permission rows are named after the
  model permission they stand for (``plans.change_plan`` becomes the codename ``change_plan`` on
  the municipality's content type), so a check on any object resolves to its municipality and asks
  for the same codename there. Which role holds which permission is declared by each app in its
  ``AppConfig.ready()`` through :func:`register_role_permissions`.
* **Personal grants, at object scope.** django-guardian user permissions on one object (a promotor
  on their action plan, a guest on one plan), stored in the object's direct foreign-key table and
  granted or revoked only through :func:`grant_personal` / :func:`revoke_personal`.

Views and selectors ask only :func:`has_perm` and :func:`visible`. Model-wide ("global")
permissions are never consulted, and a superuser has no special rights in the application: a
platform operator works in the Django admin.

A request's answers come from one :class:`Access` per user, which loads the user's role
permissions in one query and each model's personal grants in one query, so checking fifty rows
costs nothing more than checking one (guardian's ``user.has_perm(perm, obj)`` costs two queries
per object, see PITFALLS.md).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Q

from guardian.models import UserObjectPermissionBase
from guardian.utils import get_user_obj_perms_model

from .constants import Role
from .models import Membership, Municipality, MunicipalityGroupObjectPermission, RoleGroup, User

# role -> {"app_label.codename", ...}; filled by the apps' ready().
_ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)


def register_role_permissions(mapping: dict[str, Iterable[str]]) -> None:
    """Declare which role holds which permission at municipality scope.

    ``mapping`` is ``{Role.COORDINATOR: ["plans.change_plan", ...], ...}``. Called by each app in
    its ``AppConfig.ready()``; :func:`sync_all_role_groups` (run after every migrate) brings the
    groups of existing municipalities in step."""
    mapping = {role: list(perms) for role, perms in mapping.items()}
    for role, perms in mapping.items():
        if role not in Role.values:
            raise ImproperlyConfigured(f"Unknown role {role!r}.")
        for perm in perms:
            if perm.count(".") != 1:
                raise ImproperlyConfigured(
                    f"Name permissions as 'app_label.codename', not {perm!r}."
                )
    for role, perms in mapping.items():  # all or nothing
        _ROLE_PERMISSIONS[role].update(perms)


def role_permissions(role: str) -> frozenset[str]:
    return frozenset(_ROLE_PERMISSIONS.get(role, ()))


def is_role_permission(perm: str) -> bool:
    """Can roles hold ``perm`` ("app_label.codename")? Guards against asking for a codename
    under the wrong app label."""
    return any(perm in perms for perms in _ROLE_PERMISSIONS.values())


def _codename(perm: str) -> str:
    return perm.split(".", 1)[1] if "." in perm else perm


def _all_codenames() -> set[str]:
    codenames = {_codename(p) for perms in _ROLE_PERMISSIONS.values() for p in perms}
    apps = defaultdict(set)
    for perms in _ROLE_PERMISSIONS.values():
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            apps[codename].add(app_label)
    clashes = {c: labels for c, labels in apps.items() if len(labels) > 1}
    if clashes:
        raise ImproperlyConfigured(f"Permission codenames used by two apps: {clashes}")
    return codenames


def ensure_permission_rows() -> dict[str, Permission]:
    """The ``Permission`` rows on the municipality's content type for every registered codename."""
    content_type = ContentType.objects.get_for_model(Municipality)
    wanted = _all_codenames()
    existing = {
        p.codename: p
        for p in Permission.objects.filter(content_type=content_type, codename__in=wanted)
    }
    missing = [
        Permission(
            content_type=content_type,
            codename=codename,
            name=f"{codename.replace('_', ' ').capitalize()} (in the municipality)"[:255],
        )
        for codename in sorted(wanted - existing.keys())
    ]
    if missing:
        Permission.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {
            p.codename: p
            for p in Permission.objects.filter(content_type=content_type, codename__in=wanted)
        }
    return existing


def _group_name(municipality: Municipality, role: str) -> str:
    return f"municipality:{municipality.pk}:{role}"


@transaction.atomic
def sync_role_groups(municipality: Municipality, permissions: dict[str, Permission] | None = None):
    """Make every role group of ``municipality`` exist, hold exactly its role's permissions and
    have exactly the users with that membership as members. Idempotent."""
    permissions = permissions if permissions is not None else ensure_permission_rows()
    groups = {rg.role: rg for rg in RoleGroup.objects.filter(municipality=municipality)}
    for role in Role.values:
        role_group = groups.get(role)
        if role_group is None:
            group, _created = Group.objects.get_or_create(name=_group_name(municipality, role))
            role_group, _created = RoleGroup.objects.get_or_create(
                municipality=municipality, role=role, defaults={"group": group}
            )
        wanted = {permissions[_codename(p)].pk for p in role_permissions(role)}
        held = set(
            MunicipalityGroupObjectPermission.objects.filter(
                group_id=role_group.group_id, content_object=municipality
            ).values_list("permission_id", flat=True)
        )
        if held - wanted:
            MunicipalityGroupObjectPermission.objects.filter(
                group_id=role_group.group_id,
                content_object=municipality,
                permission_id__in=held - wanted,
            ).delete()
        MunicipalityGroupObjectPermission.objects.bulk_create(
            [
                MunicipalityGroupObjectPermission(
                    group_id=role_group.group_id, content_object=municipality, permission_id=pk
                )
                for pk in sorted(wanted - held)
            ],
            ignore_conflicts=True,
        )
        _sync_members(role_group)


def sync_role_members(municipality: Municipality, role: str) -> None:
    """Make the members of one role group exactly the users holding that membership."""
    role_group = RoleGroup.objects.filter(municipality=municipality, role=role).first()
    if role_group is None:
        sync_role_groups(municipality)
        return
    _sync_members(role_group)


def _sync_members(role_group: RoleGroup) -> None:
    wanted = set(
        Membership.objects.filter(
            municipality_id=role_group.municipality_id, role=role_group.role
        ).values_list("user_id", flat=True)
    )
    through = User.groups.through
    held = set(
        through.objects.filter(group_id=role_group.group_id).values_list("user_id", flat=True)
    )
    if held - wanted:
        through.objects.filter(group_id=role_group.group_id, user_id__in=held - wanted).delete()
    through.objects.bulk_create(
        [through(group_id=role_group.group_id, user_id=uid) for uid in sorted(wanted - held)],
        ignore_conflicts=True,
    )


def sync_all_role_groups() -> int:
    """Bring every municipality's role groups in step (after a migrate or a new permission)."""
    permissions = ensure_permission_rows()
    count = 0
    for municipality in Municipality.objects.order_by("pk").iterator():
        sync_role_groups(municipality, permissions)
        count += 1
    return count


# --- Personal grants ---------------------------------------------------------------------------


def _personal_model(model) -> type[UserObjectPermissionBase]:
    perm_model = get_user_obj_perms_model(model)
    if perm_model.objects.is_generic():
        raise ImproperlyConfigured(
            f"{model.__name__} has no direct user permission table; personal grants need one."
        )
    return perm_model


def _model_permission(model, perm: str) -> Permission:
    content_type = ContentType.objects.get_for_model(model)
    return Permission.objects.get(content_type=content_type, codename=_codename(perm))


@transaction.atomic
def grant_personal(*, user: User, perm: str, obj: models.Model) -> None:
    """Give ``user`` the permission ``perm`` on this one object (a promotor, a guest)."""
    perm_model = _personal_model(type(obj))
    perm_model.objects.get_or_create(
        user=user, permission=_model_permission(type(obj), perm), content_object=obj
    )
    forget_access(user)


@transaction.atomic
def revoke_personal(*, user: User, perm: str, obj: models.Model) -> None:
    perm_model = _personal_model(type(obj))
    perm_model.objects.filter(
        user=user, permission=_model_permission(type(obj), perm), content_object=obj
    ).delete()
    forget_access(user)


# --- Asking ------------------------------------------------------------------------------------


def municipality_path(model) -> str:
    """The lookup from ``model`` to its municipality ("" for the municipality itself)."""
    try:
        return model.MUNICIPALITY_PATH
    except AttributeError:
        raise ImproperlyConfigured(
            f"{model.__name__} must declare MUNICIPALITY_PATH, the lookup to its municipality."
        ) from None


def municipality_of(obj) -> Municipality:
    """The municipality any domain object belongs to."""
    if isinstance(obj, Municipality):
        return obj
    path = municipality_path(type(obj))
    return attrgetter(path.replace("__", "."))(obj)


def municipality_id_of(obj) -> int:
    """The id of the object's municipality, read from the last foreign key on the path: with the
    parents loaded (``select_related``), it costs no query."""
    if isinstance(obj, Municipality):
        return obj.pk
    *parents, last = municipality_path(type(obj)).split("__")
    for name in parents:
        obj = getattr(obj, name)
    return getattr(obj, f"{last}_id")


@dataclass
class Access:
    """What one user may do: loaded once per user object (so once per request)."""

    user: User
    role_perms: dict[int, frozenset[str]] = field(default_factory=dict)
    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    # The municipalities of those roles, loaded with the memberships (no query of their own).
    municipalities: dict[int, Municipality] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    _personal: dict[type, dict[int, frozenset[str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, user) -> "Access":
        access = cls(user=user)
        if not (user.is_authenticated and user.is_active):
            return access
        perms = defaultdict(set)
        rows = MunicipalityGroupObjectPermission.objects.filter(group__user=user).values_list(
            "content_object_id", "permission__codename"
        )
        for municipality_id, codename in rows:
            perms[municipality_id].add(codename)
        access.role_perms = {mid: frozenset(c) for mid, c in perms.items()}
        roles = defaultdict(set)
        access.memberships = list(
            Membership.objects.filter(user=user).select_related("municipality")
        )
        for membership in access.memberships:
            roles[membership.municipality_id].add(membership.role)
            access.municipalities[membership.municipality_id] = membership.municipality
        access.roles = {mid: frozenset(r) for mid, r in roles.items()}
        return access

    def personal(self, model) -> dict[int, frozenset[str]]:
        """The user's personal grants on objects of ``model``: ``{pk: codenames}``."""
        if model not in self._personal:
            grants = defaultdict(set)
            perm_model = get_user_obj_perms_model(model)
            if (
                self.user.is_authenticated
                and self.user.is_active
                and not perm_model.objects.is_generic()
            ):
                for pk, codename in perm_model.objects.filter(user=self.user).values_list(
                    "content_object_id", "permission__codename"
                ):
                    grants[pk].add(codename)
            self._personal[model] = {pk: frozenset(c) for pk, c in grants.items()}
        return self._personal[model]

    def is_member(self, municipality) -> bool:
        return _pk(municipality) in self.roles

    def chaired(self, role: str) -> set[int]:
        """The municipalities in which the user chairs ``role`` (the mayor chairs the college)."""
        return {m.municipality_id for m in self.memberships if m.role == role and m.is_chair}

    def member_municipality(self, slug: str) -> Municipality | None:
        """The municipality at ``slug`` if the user holds a role in it (else ``None``: ask the
        database, it may exist without the user)."""
        for municipality in self.municipalities.values():
            if municipality.slug == slug:
                return municipality
        return None

    def municipality_ids(self, perm: str) -> list[int]:
        codename = _codename(perm)
        return [mid for mid, codenames in self.role_perms.items() if codename in codenames]

    def role_allows(self, perm: str, municipality_id: int) -> bool:
        """Does one of the user's roles in that municipality hold ``perm`` (for every object
        of it)?"""
        return is_role_permission(perm) and _codename(perm) in self.role_perms.get(
            municipality_id, ()
        )

    def personal_ids(self, model, perm: str) -> frozenset[int]:
        """The objects of ``model`` the user holds ``perm`` on by a personal grant."""
        codename = _codename(perm)
        return frozenset(pk for pk, c in self.personal(model).items() if codename in c)

    def has_perm(self, perm: str, obj) -> bool:
        municipality_id = municipality_id_of(obj)  # also refuses a model with no municipality
        if self.role_allows(perm, municipality_id):
            return True
        if isinstance(obj, Municipality):
            return False
        return _codename(perm) in self.personal(type(obj)).get(obj.pk, ())


def _pk(municipality) -> int:
    return municipality.pk if isinstance(municipality, Municipality) else int(municipality)


def access_for(user) -> Access:
    """The user's :class:`Access`, cached on the user object for the life of the request."""
    access = getattr(user, "_safetynet_access", None)
    if access is None:
        access = Access.load(user)
        if user.is_authenticated:
            user._safetynet_access = access
    return access


def forget_access(user) -> None:
    """Drop the cached answers after the user's permissions changed."""
    if hasattr(user, "_safetynet_access"):
        del user._safetynet_access


def has_perm(user, perm: str, obj) -> bool:
    """May ``user`` do ``perm`` (``"app_label.codename"``) to ``obj``?

    True when one of the user's roles in the object's municipality holds the permission, or when
    the user has it as a personal grant on this very object."""
    return access_for(user).has_perm(perm, obj)


def visible(user, perm: str, queryset: models.QuerySet) -> models.QuerySet:
    """The rows of ``queryset`` on which ``user`` has ``perm`` (role or personal grant).

    Filters with the user's cached access: no permission subqueries in the page's own query."""
    access = access_for(user)
    model = queryset.model
    path = municipality_path(model)
    lookup = f"{path}__in" if path else "pk__in"
    municipality_ids = access.municipality_ids(perm) if is_role_permission(perm) else []
    condition = Q(**{lookup: municipality_ids})
    if model is not Municipality:
        codename = _codename(perm)
        granted = [pk for pk, codenames in access.personal(model).items() if codename in codenames]
        if granted:
            condition |= Q(pk__in=granted)
    return queryset.filter(condition)


def member_municipalities(user) -> list[Municipality]:
    """The municipalities in which the user holds at least one role, by name: loaded with the
    user's memberships, so asking costs no query."""
    return sorted(access_for(user).municipalities.values(), key=lambda m: (m.name, m.pk))
