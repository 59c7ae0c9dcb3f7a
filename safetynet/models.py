"""The cross-cutting core: users, municipalities and the memberships that give users their roles."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from guardian.models import GroupObjectPermissionBase
from simple_history import register
from simple_history.models import HistoricalRecords

from .constants import RESERVED_SLUGS, Infrastructure, Language, Region, Role, TwoFactorPolicy
from .fields import ChoiceListField

LOGO_MAX_BYTES = 1024 * 1024


class User(AbstractUser):
    """A person who logs in. Custom from the first migration so it can grow without pain."""

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the pages and of the e-mails this person receives."),
    )
    home_municipality = models.ForeignKey(
        "Municipality",
        verbose_name=_("account made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="home_users",
        help_text=_(
            "The municipality whose admin made this account; only that admin may change it, "
            "and only while the person works for no other municipality."
        ),
    )
    session_generation = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised by 'log out everywhere': every session made before it ends.",
    )

    def _get_session_auth_hash(self, secret=None):
        """Django ties a session to the password hash; the generation is added so that 'log out
        everywhere' (``safetynet.auth.log_out_everywhere``) ends every session at once. Generation
        0 keeps Django's own hash: sessions made before this field existed stay valid."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "safetynet.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("username"),
                name="user_username_unique_ci",
                violation_error_message=_("This username is taken; choose another."),
            ),
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("Another account already uses this e-mail address."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


# The password hash and the last login stay out of the history tables.
register(User, app="safetynet", excluded_fields=["password", "last_login"])


def validate_slug_not_reserved(value):
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is a word the site itself uses in its addresses; choose another."),
            code="reserved_slug",
            params={"slug": value},
        )


LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}


def validate_logo(file):
    """A PNG or JPEG of at most 1 MB, judged by its content, not by its name."""
    if not file:
        return
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo may be at most %(max)s kB."),
            code="logo_too_large",
            params={"max": LOGO_MAX_BYTES // 1024},
        )
    if logo_format(file) not in LOGO_FORMATS:
        raise ValidationError(_("Upload the logo as PNG or JPEG."), code="logo_type")


def logo_format(file) -> str | None:
    """ "PNG", "JPEG", … as read from the file's content; None when it is no image."""
    from PIL import Image, UnidentifiedImageError

    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            return image.format
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    finally:
        file.seek(position)


def logo_upload_to(instance, filename):
    """Stored under a name of ours with the extension of its real format."""
    extension = LOGO_FORMATS.get(logo_format(instance.logo), ".bin")
    return f"municipalities/logos/{uuid.uuid4().hex}{extension}"


nis_code_validator = RegexValidator(
    r"^[0-9]{5}\Z", _("The NIS code has exactly five digits."), code="nis_code"
)


class Municipality(models.Model):
    """A gemeente: every domain row belongs to exactly one, directly or through its parent."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("web address"),
        max_length=60,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("The part of the address after the site name, e.g. “lindenberg”."),
    )
    nis_code = models.CharField(
        _("NIS code"),
        max_length=5,
        unique=True,
        validators=[nis_code_validator],
        help_text=_("The five-digit code of Statbel, e.g. 44021 for Ghent."),
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    languages = ChoiceListField(
        _("official languages"),
        item_choices=Language.choices,
        blank=False,
        help_text=_("The languages in which the municipality publishes its plan."),
    )
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    area_km2 = models.DecimalField(
        _("area (km²)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01)],
    )
    crime_rate = models.DecimalField(
        _("crime rate per 1,000 inhabitants"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    infrastructures = ChoiceListField(
        _("infrastructures"),
        item_choices=Infrastructure.choices,
        help_text=_("What is present in the municipality that shapes its security network."),
    )
    existing_projects = models.TextField(
        _("existing projects"),
        blank=True,
        max_length=5000,
        help_text=_("Projects already running, one per line."),
    )
    police_zone = models.CharField(_("police zone"), max_length=120, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_upload_to,
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG or JPEG, at most 1 MB."),
    )
    two_factor = models.CharField(
        _("second factor at login"),
        max_length=20,
        choices=TwoFactorPolicy.choices,
        default=TwoFactorPolicy.PRIVILEGED,
        help_text=_("Who must confirm their login with a code from an authenticator app."),
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = ""

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(population__isnull=True) | models.Q(population__gt=0),
                name="municipality_population_positive",
                violation_error_message=_("The population must be a positive number."),
            ),
            models.CheckConstraint(
                condition=models.Q(area_km2__isnull=True) | models.Q(area_km2__gt=0),
                name="municipality_area_positive",
                violation_error_message=_("The area must be a positive number."),
            ),
            models.CheckConstraint(
                condition=models.Q(crime_rate__isnull=True) | models.Q(crime_rate__gte=0),
                name="municipality_crime_rate_not_negative",
                violation_error_message=_("The crime rate cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("municipality-profile", kwargs={"municipality": self.slug})

    def clean(self):
        super().clean()
        if self.slug:
            self.slug = self.slug.lower()

    @property
    def languages_display(self):
        return self._meta.get_field("languages").labels_for(self.languages)

    @property
    def infrastructures_display(self):
        return self._meta.get_field("infrastructures").labels_for(self.infrastructures)


class Membership(models.Model):
    """A user's role in one municipality. Several roles, several municipalities are fine."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_chair = models.BooleanField(
        _("chair of the college (mayor)"),
        default=False,
        help_text=_("Only for a college member: the burgemeester, who breaks a tie."),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["municipality_id", "user_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"],
                name="membership_unique_role",
                violation_error_message=_("This user already has this role in this municipality."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_chair=False) | models.Q(role=Role.COLLEGE),
                name="membership_chair_is_college",
                violation_error_message=_("Only a college member can chair the college."),
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(is_chair=True),
                name="membership_one_chair",
                violation_error_message=_("This municipality already has a college chair."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.municipality}"


class RoleGroup(models.Model):
    """The auth group that carries one role's permissions in one municipality.

    Derived from memberships by ``safetynet.permissions``; never edited by hand."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="role_groups"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role_group")

    class Meta:
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "role"], name="rolegroup_unique")
        ]

    def __str__(self):
        return self.group.name


class MunicipalityGroupObjectPermission(GroupObjectPermissionBase):
    """Role permissions on a municipality, in a table with a real foreign key (see PITFALLS.md)."""

    content_object = models.ForeignKey(Municipality, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        verbose_name = _("role permission")
        verbose_name_plural = _("role permissions")


def _document_path(document, filename: str) -> str:
    return f"documents/{document.municipality_id}/{document.key}.pdf"


class RenderedDocument(models.Model):
    """A PDF rendered off the request (``safetynet.documents``): from a template and the data
    it was asked with, stored once per distinct input (``key``, the SHA-256 of template,
    language and data), so the same content is never rendered twice.

    ``frozen`` documents (a plan's adopted version) are kept for good and never rendered again;
    the others are a cache that can be pruned. The rows themselves have no history: what a
    document shows has its history where it was written (the plan, the remarks, …)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=64, unique=True)
    template = models.CharField(max_length=200)
    language = models.CharField(_("language"), max_length=8)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    frozen = models.BooleanField(_("kept for good"), default=False)
    file = models.FileField(_("file"), upload_to=_document_path, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    seconds = models.FloatField(_("seconds to render"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested on"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(sha256=""),
                name="document_ready_has_hash",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def download_name(self) -> str:
        return f"{slugify(self.title)[:80] or self.kind}.pdf"


class SecurityEvent(models.Model):
    """One line of the security log (``safetynet.security.log_event``): who did or tried what,
    when (UTC), from which address, on which object.

    Append only: the application never changes or deletes a line (``save`` refuses an update,
    ``delete`` refuses); only ``manage.py security_events_prune`` removes lines older than the
    retention period (SECURITY.md)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKOUT = "lockout", _("Lockout after failed logins")
        SECOND_FACTOR_FAILED = "otp_failed", _("Wrong second-factor code")
        LOGOUT = "logout", _("Logout")
        LOGOUT_EVERYWHERE = "logout_everywhere", _("Logout on every device")
        SESSION_EXPIRED = "session_expired", _("Session ended after inactivity")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset requested")
        TWO_FACTOR_CHANGED = "two_factor", _("Second factor set up or removed")
        DENIED = "denied", _("Access refused")
        VOTE = "vote", _("Vote")
        TRANSITION = "transition", _("Phase transition")
        EXPORT = "export", _("Export")
        DOWNLOAD = "download", _("Document downloaded")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(
        _("username"),
        max_length=150,
        blank=True,
        help_text=_("As typed at a failed login, or the user's name when the event happened."),
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    path = models.CharField(_("address on the site"), max_length=500, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["municipality", "-at"], name="securityevent_muni_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("A security event cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A security event cannot be deleted."))
