"""The forms of the organogram and of the coordinator's appointment.

They offer only this municipality's units and actors; the services decide (and refuse what the
domain does not allow), the forms show why."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import OFFICIAL_OPTIONS, POLITICAL_OPTIONS, AppointmentOption
from .models import Actor, OrgUnit
from .services import ORG_UNIT_FIELDS
from .svg import OrgTree

POLICE_WARNING_ID = "police-warning"
POLICE_KIND = "local_police"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has that
    field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = name if name in form.fields else None
        if name == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, errors)


class _TreeOrder(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in sorted(self.queryset, key=lambda u: self.field.ordering.get(u.pk, 0)):
            yield self.choice(unit)


class _IndentedUnitChoice(forms.ModelChoiceField):
    """Units in the order and indentation of the tree, so the choice reads like the
    organogram."""

    iterator = _TreeOrder

    def __init__(self, *args, tree: OrgTree, **kwargs):
        self.ordering = {unit.pk: index for index, unit in enumerate(tree.order)}
        self.depths = {unit.pk: tree.depth(unit) for unit in tree.order}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return "– " * self.depths.get(obj.pk, 0) + obj.name


class OrgUnitForm(forms.ModelForm):
    """A unit of the organogram. ``instance`` carries the municipality (a new unit too)."""

    class Meta:
        model = OrgUnit
        fields = list(ORG_UNIT_FIELDS)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        tree = OrgTree(
            OrgUnit.objects.filter(municipality=municipality).only("pk", "name", "parent", "order")
        )
        excluded = set()
        if self.instance.pk in tree.by_pk:
            # Not under itself nor under one of its own units: that would be a cycle.
            excluded = {self.instance.pk} | tree.descendants(tree.by_pk[self.instance.pk])
        self.fields["parent"] = _IndentedUnitChoice(
            queryset=OrgUnit.objects.filter(municipality=municipality).exclude(pk__in=excluded),
            tree=tree,
            required=False,
            label=OrgUnit._meta.get_field("parent").verbose_name.capitalize(),
            empty_label=_("— at the top —"),
            help_text=_("The unit it is under in the organogram."),
        )
        self.fields["direct_line_to"] = _IndentedUnitChoice(
            queryset=OrgUnit.objects.filter(municipality=municipality).exclude(
                pk=self.instance.pk or 0
            ),
            tree=tree,
            required=False,
            label=OrgUnit._meta.get_field("direct_line_to").verbose_name.capitalize(),
            empty_label=_("— none —"),
            help_text=OrgUnit._meta.get_field("direct_line_to").help_text,
        )
        holders = Actor.objects.filter(municipality=municipality).filter(
            Q(active=True) | Q(pk=self.instance.holder_id or 0)
        )
        self.fields["holder"].queryset = holders.order_by("name")
        self.fields["holder"].empty_label = _("— nobody —")
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["order"].help_text = _(
            "Units under the same unit are drawn and listed in this order, lowest first."
        )


# --- The coordinator's appointment ------------------------------------------------------------

OTHER_OPTIONS = [AppointmentOption.OTHER]
POLICE_OPTIONS = [AppointmentOption.POLICE]
NO_COORDINATOR_OPTIONS = [AppointmentOption.NO_COORDINATOR]

# The domain text's order: two options (a political or an official figure), other arrangements,
# the police (allowed but advised against), and no specific coordinator at all.
OPTION_GROUPS = [
    (
        "political",
        _("Option 1: a political figure"),
        [o for o in AppointmentOption if o in POLITICAL_OPTIONS],
    ),
    (
        "official",
        _("Option 2: an official figure"),
        [o for o in AppointmentOption if o in OFFICIAL_OPTIONS],
    ),
    ("other", _("Another possibility"), OTHER_OPTIONS),
    ("police", _("Someone from the police"), POLICE_OPTIONS),
    ("none", _("No specific coordinator"), NO_COORDINATOR_OPTIONS),
]


class _OptionRadios(forms.RadioSelect):
    """The police option points to the warning printed beside it."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == AppointmentOption.POLICE:
            option["attrs"]["aria-describedby"] = POLICE_WARNING_ID
        return option


def _is_police(actor: Actor) -> bool:
    if actor.kind.code == POLICE_KIND:
        return True
    return actor.organisation_id is not None and actor.organisation.kind.code == POLICE_KIND


class AppointmentForm(forms.Form):
    option = forms.ChoiceField(
        label=_("Who carries the coordinator's function"),
        choices=[
            (label, [(o.value, o.label) for o in options]) for _k, label, options in OPTION_GROUPS
        ],
        widget=_OptionRadios,
    )
    actor = forms.ModelChoiceField(
        label=_("Who carries the tasks"),
        queryset=Actor.objects.none(),
        help_text=_(
            "The coordinator, or — with no specific coordinator — the actor who carries the "
            "coordinator's tasks."
        ),
    )
    police_risk_acknowledged = forms.BooleanField(
        label=_(
            "I have read the warning and appoint someone from the police as coordinator "
            "nevertheless."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": POLICE_WARNING_ID}),
    )
    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The current appointment ends the day before."),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this option suits the municipality."),
    )

    def __init__(self, *args, municipality, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("start", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["actor"].queryset = (
            Actor.objects.filter(municipality=municipality, active=True)
            .select_related("kind", "organisation__kind")
            .order_by("name")
        )
        self.fields["actor"].label_from_instance = lambda actor: (
            f"{actor.name} — {actor.function_title}" if actor.function_title else actor.name
        )

    def clean(self):
        data = super().clean()
        actor, option = data.get("actor"), data.get("option")
        if (
            actor is not None
            and option
            and option != AppointmentOption.POLICE
            and _is_police(actor)
        ):
            # The warning is the point: it cannot be side-stepped by naming another option.
            self.add_error(
                "option",
                ValidationError(
                    _(
                        "%(actor)s belongs to the police: choose “Someone from the "
                        "police”, which shows the warning."
                    ),
                    code="police_actor_other_option",
                    params={"actor": actor.name},
                ),
            )
        return data

    def option_groups(self):
        """The radio buttons grouped as the domain text groups the options:
        ``[(key, label, [radio, ...]), ...]``."""
        radios = {radio.data["value"]: radio for radio in self["option"]}
        return [
            (key, label, [radios[o.value] for o in options if o.value in radios])
            for key, label, options in OPTION_GROUPS
        ]
