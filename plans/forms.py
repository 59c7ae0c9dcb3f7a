"""Forms of the plan pages. Every edit form carries the version it was loaded at, so that a save
over someone else's newer change is refused (``safetynet.concurrency``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from plans.models import (
    Action,
    ActionPlan,
    ExpectedResult,
    Goal,
    Indicator,
    Phenomenon,
    Plan,
    Resource,
)
from plans.services.content import phenomena_for, working_groups_for
from safetynet.forms import ModelMultipleChoiceField, date_input


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def content_fields(self) -> dict:
        """The cleaned data without the version: what the service sets on the item."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class PlanForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["title", "period_start", "period_end", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The last year cannot come before the first."))
        return data


class GoalForm(VersionedForm):
    phenomena = ModelMultipleChoiceField(
        label=_("Phenomena"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The phenomena of the federal framework note this goal addresses."),
    )

    class Meta:
        model = Goal
        fields = [
            "parent",
            "title",
            "description",
            "phenomena",
            "police_plan_reference",
            "multiyear_plan_code",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"parent": _("Under strategic goal")}
        help_texts = {
            "parent": _("Empty for a strategic goal; choose one for an operational goal.")
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        parents = plan.goals.filter(parent=None, archived_at__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.initial.setdefault(
                "phenomena", [link.phenomenon_id for link in self.instance.goal_phenomena.all()]
            )
        self.fields["parent"].queryset = parents
        self.fields["phenomena"].queryset = phenomena_for(plan.municipality)


class ActionPlanForm(VersionedForm):
    partners = ModelMultipleChoiceField(label=_("Partners"), queryset=None, required=False)

    class Meta:
        model = ActionPlan
        fields = [
            "goal",
            "title",
            "description",
            "priority",
            "promotor",
            "partners",
            "working_group",
            "start",
            "end",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start": date_input(),
            "end": date_input(),
        }

    def __init__(self, *args, plan, may_move=True, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = plan.municipality
        actors = Actor.objects.filter(municipality=municipality, active=True).order_by("name")
        self.fields["goal"].queryset = plan.goals.filter(archived_at__isnull=True)
        self.fields["promotor"].queryset = actors
        self.fields["partners"].queryset = actors
        self.fields["working_group"].queryset = working_groups_for(municipality)
        if self.instance.pk:
            self.initial.setdefault(
                "partners", [link.actor_id for link in self.instance.partners.all()]
            )
        if not may_move:  # a promotor edits their action plan, not where it stands or who leads
            for name in ("goal", "promotor"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot come before the start."))
        return data


class ExpectedResultForm(VersionedForm):
    class Meta:
        model = ExpectedResult
        fields = ["text"]


class ActionForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["title", "priority", "due"]
        widgets = {"due": date_input()}


class ResourceForm(VersionedForm):
    class Meta:
        model = Resource
        fields = ["kind", "description", "amount", "unit", "availability", "funding_source"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("An amount cannot be negative."))
        return amount


class IndicatorForm(VersionedForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "type",
            "objectivity",
            "source",
            "unit",
            "baseline",
            "target",
            "frequency",
        ]


class PhenomenonForm(forms.ModelForm):
    class Meta:
        model = Phenomenon
        fields = ["name_nl", "name_fr", "name_en"]
