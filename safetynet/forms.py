import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _

from .constants import Role, TwoFactorPolicy
from .models import Municipality, User
from .services import MUNICIPALITY_PROFILE_FIELDS
from .uploads import logo_field_clean


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has that
    field, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def date_input() -> forms.DateInput:
    """The browser's date picker; it sends ISO dates, which every language's input formats
    accept."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database integer can hold before the database is asked (an
    ``__in`` lookup with it fails: OverflowError on SQLite, an error on PostgreSQL)."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for item in value:
            try:
                number = int(str(item))
            except (TypeError, ValueError):
                continue  # Django refuses what is no number
            if not low <= number <= high:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


def query_text(query, name: str, max_length: int = 100) -> str:
    """A text parameter of a page's address (a search), as a form's field would clean it:
    trimmed, shortened, without the NUL characters PostgreSQL refuses in a query."""
    return query.get(name, "").replace("\x00", "").strip()[:max_length]


class DateTimeField(forms.DateTimeField):
    """Django's, refusing a moment that cannot be stored: 1 January of the year 1 at midnight in
    Brussels is still the year 0 in UTC, where the database keeps it."""

    default_error_messages = {
        "out_of_range": _("Enter a date and time between the years 1 and 9999."),
    }

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None:
            try:
                moment.astimezone(datetime.UTC)
            except OverflowError:
                raise ValidationError(
                    self.error_messages["out_of_range"], code="out_of_range"
                ) from None
        return moment


REASON_HELP = _("Optional: why this change, for whoever reads the history later.")


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason for the change"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("help_text", REASON_HELP)
        super().__init__(**kwargs)


class MunicipalityProfileForm(forms.ModelForm):
    reason = ReasonField()
    # The version the form was loaded at: saving over a newer change is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Municipality
        fields = MUNICIPALITY_PROFILE_FIELDS
        widgets = {
            "existing_projects": forms.Textarea(attrs={"rows": 5}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["population"].widget.attrs["min"] = 1  # as the model's validator says
        if self.instance.two_factor != TwoFactorPolicy.OFF:
            # Switching the second factor off is the platform operator's (Django admin).
            field = self.fields["two_factor"]
            field.choices = [c for c in field.choices if c[0] != TwoFactorPolicy.OFF]

    def clean_logo(self):
        """A new logo is judged and re-encoded here, so that a refusal shows at the field."""
        return logo_field_clean(self.cleaned_data.get("logo"))


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Roles"))
        kwargs.setdefault("choices", Role.choices)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)


class ChairField(forms.BooleanField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Chair of the college (mayor)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("Only for a college member. The present chair steps down.")
        )
        super().__init__(**kwargs)


def _check_chair(cleaned):
    if cleaned.get("is_chair") and Role.COLLEGE not in cleaned.get("roles", ()):
        raise forms.ValidationError({"is_chair": _("Only a college member can chair the college.")})


class MemberInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "A new account receives an e-mail with a link to choose a password. An existing "
            "account with this address is linked, unchanged."
        ),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("For a new account: letters, digits and @ . + - _ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_(
            "For the pages and the e-mails this person receives; the municipality's language "
            "if left empty."
        ),
    )
    roles = RolesField()
    is_chair = ChairField()

    def clean(self):
        cleaned = super().clean()
        _check_chair(cleaned)
        email, username = cleaned.get("email"), cleaned.get("username")
        is_new = email and username and not User.objects.filter(email__iexact=email).exists()
        if is_new and User.objects.filter(username__iexact=username).exists():
            self.add_error("username", _("This username is taken; choose another."))
        return cleaned


class MemberRolesForm(forms.Form):
    roles = RolesField(required=False)
    is_chair = ChairField()
    reason = ReasonField()

    def clean(self):
        cleaned = super().clean()
        _check_chair(cleaned)
        return cleaned


class MemberIdentityForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "language"]
        labels = {"email": _("E-mail address")}


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class PasswordResetForm(BasePasswordResetForm):
    """Also reaches people who were invited and never chose a password (their invitation link
    may have expired); Django's own form skips accounts without a usable password."""

    def get_users(self, email):
        return (
            user
            for user in User._default_manager.filter(email__iexact=email, is_active=True)
            if user.email.lower() == email.lower()
        )
