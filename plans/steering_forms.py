"""Forms of phase 4: progress reports, measurements, obstacles, evaluations, the reporting
rhythm and the monitor's filters."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from plans.constants import ReportFrequency
from plans.models import Action, Measurement, ProgressReport
from safetynet.forms import ModelMultipleChoiceField, date_input


def period_label(period) -> str:
    return _("%(start)s to %(end)s (due %(due)s)") % {
        "start": formats.date_format(period.start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(period.end, "SHORT_DATE_FORMAT"),
        "due": formats.date_format(period.due, "SHORT_DATE_FORMAT"),
    }


class ReportForm(forms.ModelForm):
    """A report for one period: the periods offered are those owed and not yet reported."""

    period_end = forms.TypedChoiceField(label=_("Period"), coerce=forms.DateField().to_python)
    actions_done = ModelMultipleChoiceField(
        label=_("Actions ticked off"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the actions finished since the last report."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProgressReport
        fields = ["status", "percent", "budget_spent", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "budget_spent": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }

    field_order = ["period_end", "status", "percent", "budget_spent", "text", "actions_done"]

    def __init__(self, *args, action_plan, periods=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["period_end"]
        else:
            self.fields["period_end"].choices = [
                (period.end.isoformat(), period_label(period)) for period in periods
            ]
        open_actions = Action.objects.filter(
            action_plan=action_plan, archived_at__isnull=True, done=False
        ).order_by("order", "pk")
        if open_actions.exists():
            self.fields["actions_done"].queryset = open_actions
        else:  # every action is ticked off already
            del self.fields["actions_done"]

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class MeasurementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measurement
        fields = ["date", "value", "source", "comment"]
        widgets = {"date": date_input()}

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class EscalationForm(forms.Form):
    subject = forms.ChoiceField(label=_("About"), required=False)
    text = forms.CharField(
        label=_("Obstacle"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What stands in the way, and what you ask of the mayor."),
    )

    def __init__(self, *args, goals=(), action_plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = {f"goal-{g.pk}": g for g in goals}
        self.action_plans = {f"action-plan-{a.pk}": a for a in action_plans}
        self.fields["subject"].choices = [
            ("", _("The plan as a whole")),
            (_("Goals"), [(key, str(goal)) for key, goal in self.goals.items()]),
            (_("Action plans"), [(key, str(ap)) for key, ap in self.action_plans.items()]),
        ]

    def service_fields(self) -> dict:
        subject = self.cleaned_data["subject"]
        return {
            "text": self.cleaned_data["text"],
            "goal": self.goals.get(subject),
            "action_plan": self.action_plans.get(subject),
        }


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class EvaluationForm(forms.Form):
    result = forms.CharField(
        label=_("Result"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    lessons = forms.CharField(
        label=_("Lessons"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportingForm(forms.Form):
    report_frequency = forms.TypedChoiceField(
        label=_("Reporting rhythm"), choices=ReportFrequency.choices, coerce=int
    )
    reports_from = forms.DateField(
        label=_("Reports from"),
        widget=date_input(),
        help_text=_("Reports are owed for every period ending on or after this day."),
    )


class MonitorFilterForm(forms.Form):
    """The monitor's filters; choices come from the plan (the monitor's own lists)."""

    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int, required=False, empty_value=None)
    promotor = forms.TypedChoiceField(
        label=_("Promotor"), coerce=int, required=False, empty_value=None
    )
    working_group = forms.TypedChoiceField(
        label=_("Working group"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, goals=(), promotors=(), working_groups=(), statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["goal"].choices = everything + [
            (g.pk, f"— {g.title}" if g.parent_id else g.title) for g in goals
        ]
        self.fields["promotor"].choices = everything + [(a.pk, a.name) for a in promotors]
        self.fields["working_group"].choices = everything + [(w.pk, w.name) for w in working_groups]
        self.fields["status"].choices = everything + list(statuses)
