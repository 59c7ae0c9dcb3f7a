"""Forms of the actor registry and the dated roles.

Every choice of a related object is limited to the municipality the page is about (kinds of
:func:`~actors.selectors.kinds_for`, organisations and members of this municipality), so a
forged value from another municipality fails validation on the server as "not one of the
choices"; the services check again."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from safetynet.forms import ReasonField, date_input
from safetynet.models import User
from safetynet.widgets import FastSelect

from . import constants
from .constants import ActorCategory, RoleType
from .models import Actor, ActorKind, RoleAssignment
from .selectors import SORTS, kinds_for

# Messages the tests import instead of retyping.
USER_NEEDS_PERSON = _("Only a person can be linked to a user account.")
ROLE_ALREADY_ENDED = _("This role has already ended.")
PROFILE_NEEDS_OPEN_ROLE = _(
    "Only a role without an end date can get a new function profile: give the role again instead."
)
ORGANISATION_HAS_PEOPLE = _(
    "People belong to this organisation: move them to another organisation before making it a "
    "person."
)
KIND_NAME_TAKEN = _("A kind with this name already exists.")


def constraint_message(model, name: str) -> str:
    """The translated message of one of the model's named constraints: one wording for the
    form and the database."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return constraint.violation_error_message


class KindChoiceIterator(forms.models.ModelChoiceIterator):
    """The kinds grouped by the domain text's two categories, the core kinds first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for kind in self.queryset:
            groups.setdefault(kind.category, []).append(self.choice(kind))
        for category, label in ActorCategory.choices:
            if category in groups:
                yield (label, groups[category])


class KindChoiceField(forms.ModelChoiceField):
    iterator = KindChoiceIterator


def kind_choices(municipality):
    return kinds_for(municipality).order_by("order", "name_nl", "pk")


class ActorFilterForm(forms.Form):
    """The list's search and filters; each wrong value is dropped alone, the others still work.
    Its selects are FastSelects: the page is shown on every search."""

    STATUS_ACTIVE, STATUS_INACTIVE, STATUS_ALL = "active", "inactive", "all"
    ACTIVE_FILTER = {"": True, STATUS_ACTIVE: True, STATUS_INACTIVE: False, STATUS_ALL: None}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, function, e-mail address or organisation."),
    )
    category = forms.ChoiceField(
        widget=FastSelect,
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *ActorCategory.choices],
    )
    kind = KindChoiceField(
        widget=FastSelect,
        label=_("Kind"),
        required=False,
        queryset=ActorKind.objects.none(),
        empty_label=_("All kinds"),
    )
    role = forms.ChoiceField(
        widget=FastSelect,
        label=_("Current role"),
        required=False,
        choices=[("", _("Any role or none")), *RoleType.choices],
    )
    status = forms.ChoiceField(
        widget=FastSelect,
        label=_("Status"),
        required=False,
        choices=[
            (STATUS_ACTIVE, _("Active")),
            (STATUS_INACTIVE, _("Inactive")),
            (STATUS_ALL, _("Active and inactive")),
        ],
    )
    sort = forms.ChoiceField(
        widget=FastSelect,
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("kind", _("Kind")),
            ("-kind", _("Kind, reversed")),
        ],
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kind_choices(municipality)

    def filters(self) -> dict:
        """The keyword arguments of :func:`actors.selectors.actor_list`."""
        self.is_valid()  # the valid fields' values stay in cleaned_data
        data = self.cleaned_data
        sort = data.get("sort") or "name"
        return {
            "query": (data.get("q") or "").strip(),
            "category": data.get("category") or "",
            "kind": data.get("kind"),
            "role": data.get("role") or "",
            "active": self.ACTIVE_FILTER[data.get("status") or ""],
            "sort": sort if sort in SORTS else "name",
        }


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


class ActorForm(forms.ModelForm):
    """Create or edit an actor. The instance carries its municipality, so the model's own
    checks (kind and organisation of this municipality) run in the form too."""

    form = forms.ChoiceField(
        label=_("Organisation or person"),
        choices=constants.ActorForm.choices,
        initial=constants.ActorForm.ORGANISATION,
        widget=forms.RadioSelect,
    )
    user = MemberChoiceField(
        label=_("User account"),
        required=False,
        queryset=User.objects.none(),
        help_text=_(
            "Only for a person who logs in, chosen among this municipality's users: what they "
            "may see and do follows this link."
        ),
    )
    kind = Actor._meta.get_field("kind").formfield(form_class=KindChoiceField)
    # An address typed without a scheme is a secure one.
    website = Actor._meta.get_field("website").formfield(assume_scheme="https")
    reason = ReasonField()
    # The version the form was loaded at: saving over a newer change is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Actor
        fields = [
            "form",
            "name",
            "kind",
            "organisation",
            "function_title",
            "email",
            "phone",
            "website",
            "address",
            "notes",
            "consult",
            "user",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 5}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.instance.municipality = municipality
        own_pk = self.instance.pk
        self.fields["kind"].queryset = kind_choices(municipality)
        organisations = Actor.objects.filter(
            municipality=municipality, form=constants.ActorForm.ORGANISATION
        )
        # An inactive organisation stays choosable for the people who already belong to it.
        self.fields["organisation"].queryset = (
            organisations.filter(Q(active=True) | Q(pk=self.instance.organisation_id))
            .exclude(pk=own_pk)
            .order_by("name")
        )
        self.fields["organisation"].help_text = _("Only for a person.")
        linked_elsewhere = (
            Actor.objects.filter(municipality=municipality, user__isnull=False)
            .exclude(pk=own_pk)
            .values("user_id")
        )
        # The account linked now stays choosable, so an unrelated edit never fails on it.
        self.fields["user"].queryset = (
            User.objects.filter(
                Q(memberships__municipality=municipality) | Q(pk=self.instance.user_id)
            )
            .exclude(pk__in=linked_elsewhere)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("user") and cleaned.get("form") != constants.ActorForm.PERSON:
            self.add_error("user", USER_NEEDS_PERSON)
        becomes_person = cleaned.get("form") == constants.ActorForm.PERSON
        if becomes_person and self.instance.pk and self.instance.people.exists():
            self.add_error("form", ORGANISATION_HAS_PEOPLE)
        return cleaned

    def actor_fields(self) -> dict:
        """The cleaned values the services take."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ActorActiveForm(forms.Form):
    DEACTIVATE, REACTIVATE = "deactivate", "reactivate"

    # Says what the person saw on the page: posting twice does not toggle back.
    action = forms.ChoiceField(
        choices=[(DEACTIVATE, _("Deactivate")), (REACTIVATE, _("Reactivate"))],
        widget=forms.HiddenInput,
    )
    reason = ReasonField()


class RoleAssignForm(forms.ModelForm):
    reason = ReasonField()

    class Meta:
        model = RoleAssignment
        fields = ["role", "title", "function_profile", "start", "end"]
        widgets = {
            "function_profile": forms.Textarea(attrs={"rows": 5}),
            "start": date_input(),
            "end": date_input(),
        }
        help_texts = {"end": _("Leave empty while the role lasts.")}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.actor = actor
        self.fields["start"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error(
                "end", constraint_message(RoleAssignment, "roleassignment_end_after_start")
            )
        return cleaned


class RoleEndForm(forms.Form):
    end = forms.DateField(
        label=_("Last day in the role"),
        widget=date_input(),
        help_text=_("The role is held up to and including this day."),
    )
    reason = ReasonField()

    def __init__(self, *args, assignment: RoleAssignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["end"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        if self.assignment.end is not None and self.assignment.end < timezone.localdate():
            raise forms.ValidationError(ROLE_ALREADY_ENDED, code="ended")
        end = cleaned.get("end")
        if end and end < self.assignment.start:
            self.add_error(
                "end", constraint_message(RoleAssignment, "roleassignment_end_after_start")
            )
        return cleaned


class RoleProfileForm(forms.Form):
    """A new function profile from a date: the old assignment ends the day before."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=RoleAssignment._meta.get_field("title").help_text,
    )
    function_profile = forms.CharField(
        label=_("Function profile"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=RoleAssignment._meta.get_field("function_profile").help_text,
    )
    start = forms.DateField(
        label=_("New profile from"),
        widget=date_input(),
        help_text=_("The present assignment ends the day before."),
    )

    def __init__(self, *args, assignment: RoleAssignment, **kwargs):
        kwargs["initial"] = {
            "title": assignment.title,
            "function_profile": assignment.function_profile,
            "start": timezone.localdate(),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.assignment = assignment

    def clean(self):
        cleaned = super().clean()
        if self.assignment.end is not None:
            raise forms.ValidationError(PROFILE_NEEDS_OPEN_ROLE, code="ended")
        return cleaned


class WhoHeldForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=RoleType.choices)
    date = forms.DateField(label=_("On"), widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate


class ActorKindForm(forms.ModelForm):
    """A kind of actor of the municipality's own; its code is made from its name."""

    category = forms.ChoiceField(
        label=capfirst(ActorKind._meta.get_field("category").verbose_name),
        choices=ActorCategory.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ActorKind
        fields = ["name_nl", "name_fr", "name_en", "category"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.instance.municipality = municipality

    def clean(self):
        cleaned = super().clean()
        known = kinds_for(self.municipality)
        for name in ("name_nl", "name_fr", "name_en"):
            value = (cleaned.get(name) or "").strip()
            same_name = (
                Q(name_nl__iexact=value) | Q(name_fr__iexact=value) | Q(name_en__iexact=value)
            )
            if value and known.filter(same_name).exists():
                self.add_error(name, KIND_NAME_TAKEN)
        return cleaned

    def code(self) -> str:
        """A code unique among the kinds this municipality sees."""
        base = slugify(self.cleaned_data.get("name_en") or self.cleaned_data["name_nl"])[:50]
        base = base or "kind"
        taken = set(kinds_for(self.municipality).values_list("code", flat=True))
        code, number = base, 2
        while code in taken:
            code, number = f"{base}-{number}", number + 1
        return code
