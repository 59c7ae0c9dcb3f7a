"""Domain actions of the core: municipalities, users and memberships.

Each is a keyword-only function that runs in one transaction, validates with ``full_clean()``,
takes the acting user explicitly, and credits history to them."""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .constants import Role
from .history import record_actor
from .models import Membership, Municipality, User
from .permissions import forget_access, sync_role_groups, sync_role_members

MUNICIPALITY_PROFILE_FIELDS = (
    "name",
    "slug",
    "nis_code",
    "region",
    "languages",
    "population",
    "area_km2",
    "crime_rate",
    "infrastructures",
    "existing_projects",
    "police_zone",
    "logo",
)
USER_IDENTITY_FIELDS = ("username", "first_name", "last_name", "email")


@transaction.atomic
def municipality_create(*, by, reason: str = "", **fields) -> Municipality:
    """A platform operator creates a municipality; its role groups are made at once."""
    return municipality_save(
        municipality=Municipality(**fields), by=by, reason=reason or _("Municipality created")
    )


@transaction.atomic
def municipality_save(*, municipality: Municipality, by, reason: str) -> Municipality:
    """Validate and save a municipality built elsewhere (the operator's admin form), and keep its
    role groups in step."""
    municipality.full_clean()
    record_actor(municipality, by, reason)
    municipality.save()
    sync_role_groups(municipality)
    return municipality


@transaction.atomic
def municipality_update(*, municipality: Municipality, by, reason: str = "", **fields):
    """The municipal admin changes the profile. Saving it unchanged writes nothing, so the
    history holds only real changes."""
    unknown = set(fields) - set(MUNICIPALITY_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(municipality, name, value)
    municipality.full_clean()
    if not _differs_from_stored(municipality, fields):
        return municipality
    record_actor(municipality, by, reason or _("Profile edited"))
    municipality.save()
    return municipality


def _differs_from_stored(municipality: Municipality, names) -> bool:
    stored = Municipality.objects.get(pk=municipality.pk)
    for name in names:
        new, old = getattr(municipality, name), getattr(stored, name)
        if name == "logo":
            if not getattr(new, "_committed", True) or (new.name or "") != (old.name or ""):
                return True
        elif new != old:
            return True
    return False


def user_belongs_elsewhere(user: User, municipality: Municipality) -> bool:
    """Does ``user`` also hold a role in another municipality?"""
    return Membership.objects.filter(user=user).exclude(municipality=municipality).exists()


def _refuse_if_shared(user: User, municipality: Municipality) -> None:
    """Only a person who belongs to ``municipality`` and to no other is its admin's to change."""
    if not Membership.objects.filter(user=user, municipality=municipality).exists():
        raise PermissionDenied(_("This person has no role in this municipality."))
    if user_belongs_elsewhere(user, municipality) or user.is_superuser:
        raise PermissionDenied(
            _(
                "This person also works for another municipality or runs the platform: "
                "only they themselves or the platform operator can change their account."
            )
        )


@transaction.atomic
def user_invite(
    *,
    municipality: Municipality,
    by,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    roles=(),
    is_chair: bool = False,
    base_url: str = "",
) -> tuple[User, bool]:
    """Give a person roles in ``municipality``, creating their account if needed.

    An account that already exists with this e-mail address is linked, unchanged; a new account
    gets no password and an e-mail with a link to choose one. Returns the user and whether the
    account is new."""
    existing = User.objects.filter(email__iexact=email.strip()).first() if email.strip() else None
    created = existing is None
    if created:
        user = User(
            username=username.strip(),
            email=email.strip(),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        record_actor(user, by, _("Account created by the municipal admin"))
        user.save()
    else:
        user = existing
    for role in roles:
        membership_create(
            municipality=municipality,
            user=user,
            role=role,
            is_chair=is_chair and role == Role.COLLEGE,
            by=by,
        )
    if created and user.email:
        transaction.on_commit(lambda: _send_invitation(user, municipality, base_url))
    return user, created


def _send_invitation(user: User, municipality: Municipality, base_url: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {"user": user, "municipality": municipality, "link": link}
    send_mail(
        subject=_("Your SafetyNet account for %(municipality)s") % {"municipality": municipality},
        message=render_to_string("safetynet/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def user_update_identity(*, user: User, municipality: Municipality, by, **fields) -> User:
    """The municipal admin corrects a person's name, username or e-mail address.

    Refused for a person who also belongs to another municipality: their identity is not this
    municipality's to change."""
    unknown = set(fields) - set(USER_IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"Not identity fields: {sorted(unknown)}")
    _refuse_if_shared(user, municipality)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password"])
    record_actor(user, by, _("Account edited by the municipal admin"))
    user.save()
    return user


def user_send_password_reset(*, user: User, municipality: Municipality, by, base_url: str = ""):
    """Send the person a link to choose a new password (never shows or sets one)."""
    _refuse_if_shared(user, municipality)
    if not user.email:
        raise ValidationError(_("This person has no e-mail address to send the link to."))
    transaction.on_commit(lambda: _send_invitation(user, municipality, base_url))


@transaction.atomic
def membership_create(
    *,
    municipality: Municipality,
    user: User,
    role: str,
    by,
    is_chair: bool = False,
    reason: str = "",
) -> Membership:
    if is_chair:
        _hand_over_chair(municipality_id=municipality.pk, keep=None, by=by)
    membership = Membership(municipality=municipality, user=user, role=role, is_chair=is_chair)
    membership.full_clean()
    record_actor(membership, by, reason or _("Role given"))
    membership.save()
    sync_role_members(municipality, role)
    forget_access(user)
    return membership


@transaction.atomic
def membership_set_chair(*, membership: Membership, is_chair: bool, by, reason: str = ""):
    """Make a college member the chair (burgemeester), or no longer the chair."""
    if is_chair:
        _hand_over_chair(municipality_id=membership.municipality_id, keep=membership.pk, by=by)
    membership.is_chair = is_chair
    membership.full_clean()
    record_actor(membership, by, reason or _("Chair changed"))
    membership.save()
    return membership


def _hand_over_chair(*, municipality_id: int, keep: int | None, by) -> None:
    """A municipality has one college chair: the previous one steps down first."""
    for other in Membership.objects.filter(municipality_id=municipality_id, is_chair=True).exclude(
        pk=keep
    ):
        other.is_chair = False
        record_actor(other, by, _("Chair handed over"))
        other.save()


@transaction.atomic
def membership_delete(*, membership: Membership, by, reason: str = "") -> None:
    """Take a role away: the user loses the role's permissions at once.

    A municipality keeps at least one admin, so that someone can still manage its users."""
    municipality, user, role = membership.municipality, membership.user, membership.role
    others = Membership.objects.filter(municipality=municipality, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if role == Role.ADMIN and not others.exists():
        raise ValidationError(
            _(
                "%(municipality)s needs at least one municipal admin: give the role to "
                "someone else first."
            )
            % {"municipality": municipality},
            code="last_admin",
        )
    record_actor(membership, by, reason or _("Role taken away"))
    membership.delete()
    sync_role_members(municipality, role)
    forget_access(user)


@transaction.atomic
def memberships_set_roles(
    *, municipality: Municipality, user: User, roles, is_chair: bool, by, reason: str = ""
) -> None:
    """Give ``user`` exactly ``roles`` in ``municipality``: new ones added, missing ones removed."""
    roles = set(roles)
    current = {m.role: m for m in Membership.objects.filter(municipality=municipality, user=user)}
    for role in sorted(current.keys() - roles):
        membership_delete(membership=current[role], by=by, reason=reason)
    for role in sorted(roles - current.keys()):
        membership_create(
            municipality=municipality,
            user=user,
            role=role,
            by=by,
            reason=reason,
            is_chair=is_chair and role == Role.COLLEGE,
        )
    college = current.get(Role.COLLEGE) if Role.COLLEGE in roles else None
    if college is not None and college.is_chair != is_chair:
        membership_set_chair(membership=college, is_chair=is_chair, by=by, reason=reason)
