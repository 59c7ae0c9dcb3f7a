"""Domain actions of the core: municipalities, users and memberships.

Each is a keyword-only function that runs in one transaction, validates with ``full_clean()``,
takes the acting user explicitly, and credits history to them. Change reasons are stored as the
English source text (``gettext_noop``) and translated when a history page shows them, so each
reader sees them in their own language."""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .concurrency import check_version, lock_row
from .constants import Role, TwoFactorPolicy
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
    "two_factor",
)
USER_IDENTITY_FIELDS = ("username", "first_name", "last_name", "email", "language")


# --- Municipalities ----------------------------------------------------------------------------


@transaction.atomic
def municipality_create(*, by, reason: str = "", **fields) -> Municipality:
    """A platform operator creates a municipality; its role groups are made at once."""
    return municipality_save(
        municipality=Municipality(**fields),
        by=by,
        reason=reason or gettext_noop("Municipality created"),
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
def municipality_update(
    *, municipality: Municipality, by, reason: str = "", version: int | None = None, **fields
):
    """The municipal admin changes the profile.

    ``version`` is the history version the form was loaded at: a save over someone else's newer
    change is refused (:class:`~safetynet.concurrency.EditConflict`). Saving it unchanged writes
    nothing, so the history holds only real changes."""
    unknown = set(fields) - set(MUNICIPALITY_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    stored = Municipality.objects.select_for_update().get(pk=municipality.pk)
    check_version(stored, version)
    if (
        fields.get("two_factor", stored.two_factor) == TwoFactorPolicy.OFF
        and stored.two_factor != TwoFactorPolicy.OFF
        and not (by is not None and by.is_superuser)
    ):
        raise ValidationError(
            {"two_factor": _("Only the platform operator can switch the second factor off.")}
        )
    for name, value in fields.items():
        setattr(municipality, name, value)
    municipality.full_clean()
    if not _differs(municipality, stored, fields):
        return municipality
    record_actor(municipality, by, reason or gettext_noop("Profile edited"))
    municipality.save()
    return municipality


def _differs(municipality: Municipality, stored: Municipality, names) -> bool:
    for name in names:
        new, old = getattr(municipality, name), getattr(stored, name)
        if name == "logo":
            if not getattr(new, "_committed", True) or (new.name or "") != (old.name or ""):
                return True
        elif new != old:
            return True
    return False


# --- Accounts ----------------------------------------------------------------------------------


def may_edit_identity(user: User, municipality: Municipality) -> bool:
    """May ``municipality``'s admin change this person's name, e-mail address or password?

    Only for an account that admin's municipality made, of a person who works for no other
    municipality and has no rights on the platform itself. A linked account (the person already
    had one) stays its owner's."""
    return (
        user.home_municipality_id == municipality.pk
        and not user.is_superuser
        and not user.is_staff
        and Membership.objects.filter(user=user, municipality=municipality).exists()
        and not Membership.objects.filter(user=user).exclude(municipality=municipality).exists()
    )


def _refuse_unless_editable(user: User, municipality: Municipality) -> None:
    if not may_edit_identity(user, municipality):
        raise PermissionDenied(
            _(
                "This account is not this municipality's to change: the person works for "
                "another municipality too, or had an account already. Only they themselves or "
                "the platform operator can change it."
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
    language: str = "",
    roles=(),
    is_chair: bool = False,
    base_url: str = "",
) -> tuple[User, bool]:
    """Give a person roles in ``municipality``, creating their account if needed.

    A new account gets no password and an e-mail with a link to choose one. An account that
    already exists with this e-mail address is linked, unchanged, and its owner is told by
    e-mail, so nobody is added to a municipality without knowing. Returns the user and whether
    the account is new."""
    lock_row(municipality)
    email = email.strip()
    existing = User.objects.filter(email__iexact=email).first() if email else None
    created = existing is None
    if created:
        user = User(
            username=username.strip(),
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            language=language or (municipality.languages or ["nl"])[0],
            home_municipality=municipality,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        record_actor(user, by, gettext_noop("Account created by the municipal admin"))
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same username, taken a moment ago
            raise ValidationError(_("This username is taken; choose another.")) from None
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
    template = "invitation" if created else "roles_given"
    if user.email:
        transaction.on_commit(lambda: _mail_link(user, municipality, base_url, template))
    return user, created


def _mail_link(user: User, municipality: Municipality, base_url: str, template: str) -> None:
    """An e-mail in the person's own language, with a link to choose a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {"user": user, "municipality": municipality, "link": link, "base_url": base_url}
    with translation.override(user.language):
        subject = render_to_string(f"safetynet/email/{template}_subject.txt", context)
        send_mail(
            subject=" ".join(subject.split()),
            message=render_to_string(f"safetynet/email/{template}.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@transaction.atomic
def user_update_identity(*, user: User, municipality: Municipality, by, **fields) -> User:
    """The municipal admin corrects a person's name, username, e-mail address or language.

    Only for accounts that are this municipality's to change (:func:`may_edit_identity`)."""
    unknown = set(fields) - set(USER_IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"Not identity fields: {sorted(unknown)}")
    _refuse_unless_editable(user, municipality)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password"])
    record_actor(user, by, gettext_noop("Account edited by the municipal admin"))
    user.save()
    return user


def user_send_password_reset(*, user: User, municipality: Municipality, by, base_url: str = ""):
    """Send the person a link to choose a new password (never shows or sets one)."""
    _refuse_unless_editable(user, municipality)
    if not user.email:
        raise ValidationError(_("This person has no e-mail address to send the link to."))
    transaction.on_commit(lambda: _mail_link(user, municipality, base_url, "password_link"))


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    """The person chose a language in the switcher: pages and e-mails follow it."""
    if user.language != language:
        user.language = language
        user.full_clean(exclude=["password"])
        record_actor(user, user, gettext_noop("Language chosen"))
        user.save()


# --- Memberships -------------------------------------------------------------------------------


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
    lock_row(municipality)
    if is_chair:
        _hand_over_chair(municipality_id=municipality.pk, keep=None, by=by)
    membership = Membership(municipality=municipality, user=user, role=role, is_chair=is_chair)
    membership.full_clean()
    record_actor(membership, by, reason or gettext_noop("Role given"))
    membership.save()
    sync_role_members(municipality, role)
    forget_access(user)
    return membership


@transaction.atomic
def membership_set_chair(*, membership: Membership, is_chair: bool, by, reason: str = ""):
    """Make a college member the chair (burgemeester), or no longer the chair."""
    lock_row(membership.municipality)
    if is_chair:
        _hand_over_chair(municipality_id=membership.municipality_id, keep=membership.pk, by=by)
    membership.is_chair = is_chair
    membership.full_clean()
    record_actor(membership, by, reason or gettext_noop("Chair changed"))
    membership.save()
    return membership


def _hand_over_chair(*, municipality_id: int, keep: int | None, by) -> None:
    """A municipality has one college chair: the previous one steps down first."""
    for other in Membership.objects.filter(municipality_id=municipality_id, is_chair=True).exclude(
        pk=keep
    ):
        other.is_chair = False
        record_actor(other, by, gettext_noop("Chair handed over"))
        other.save()


@transaction.atomic
def membership_delete(*, membership: Membership, by, reason: str = "") -> None:
    """Take a role away: the user loses the role's permissions at once.

    A municipality keeps at least one admin, so that someone can still manage its users."""
    municipality, user, role = membership.municipality, membership.user, membership.role
    lock_row(municipality)
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
    record_actor(membership, by, reason or gettext_noop("Role taken away"))
    membership.delete()
    sync_role_members(municipality, role)
    forget_access(user)


@transaction.atomic
def memberships_set_roles(
    *, municipality: Municipality, user: User, roles, is_chair: bool, by, reason: str = ""
) -> None:
    """Give ``user`` exactly ``roles`` in ``municipality``: new ones added, missing ones removed."""
    lock_row(municipality)
    roles = set(roles)
    current = {m.role: m for m in Membership.objects.filter(municipality=municipality, user=user)}
    for role in sorted(roles - current.keys()):  # add first: a new admin before the old one goes
        membership_create(
            municipality=municipality,
            user=user,
            role=role,
            by=by,
            reason=reason,
            is_chair=is_chair and role == Role.COLLEGE,
        )
    for role in sorted(current.keys() - roles):
        membership_delete(membership=current[role], by=by, reason=reason)
    college = current.get(Role.COLLEGE) if Role.COLLEGE in roles else None
    if college is not None and college.is_chair != is_chair:
        membership_set_chair(membership=college, is_chair=is_chair, by=by, reason=reason)
