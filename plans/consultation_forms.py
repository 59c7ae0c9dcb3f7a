"""Forms of the consultation: the public remark form (with its honeypot), and the coordinator's
forms to enter, moderate and answer remarks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.constants import RemarkSource, RemarkStatus, Verdict
from plans.models import ActionPlan, Goal
from safetynet.forms import date_input
from safetynet.widgets import FastSelect


def _about(form, plan):
    form.fields["goal"].queryset = Goal.objects.filter(plan=plan, archived_at__isnull=True)
    form.fields["action_plan"].queryset = ActionPlan.objects.filter(
        goal__plan=plan, archived_at__isnull=True
    )


class RemarkForm(forms.Form):
    text = forms.CharField(
        label=_("Your remark"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    goal = forms.ModelChoiceField(
        label=_("About the goal"), queryset=None, required=False, widget=FastSelect
    )
    action_plan = forms.ModelChoiceField(
        label=_("About the action plan"), queryset=None, required=False, widget=FastSelect
    )
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Only to send you a confirmation and your remark's reference; never shown."),
    )
    organisation = forms.CharField(
        label=_("On behalf of the organisation"), max_length=200, required=False
    )
    name_public = forms.BooleanField(
        label=_("Our organisation may be named with the remark"), required=False
    )
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        _about(self, plan)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class RemarkEnterForm(forms.Form):
    text = forms.CharField(label=_("Remark"), max_length=5000, widget=forms.Textarea)
    source = forms.ChoiceField(
        label=_("Received through"),
        choices=[c for c in RemarkSource.choices if c[0] != RemarkSource.ONLINE],
    )
    received_on = forms.DateField(label=_("Received on"), widget=date_input())
    goal = forms.ModelChoiceField(label=_("About the goal"), queryset=None, required=False)
    action_plan = forms.ModelChoiceField(
        label=_("About the action plan"), queryset=None, required=False
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    name_public = forms.BooleanField(label=_("The organisation asks to be named"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        _about(self, plan)


class ModerationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RemarkStatus.choices)
    redacted_text = forms.CharField(
        label=_("Published text"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Leave out the names of third persons: this text is shown publicly."),
    )
    name_public = forms.BooleanField(label=_("Name the organisation"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == RemarkStatus.PUBLISHED and not data.get("redacted_text"):
            self.add_error("redacted_text", _("Write the text to publish."))
        return data


class ResponseForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label=_("Motivation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    changed_goal = forms.ModelChoiceField(
        label=_("Goal changed in response"), queryset=None, required=False
    )
    changed_action_plan = forms.ModelChoiceField(
        label=_("Action plan changed in response"), queryset=None, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_goal"].queryset = Goal.objects.filter(
            plan=plan, archived_at__isnull=True
        )
        self.fields["changed_action_plan"].queryset = ActionPlan.objects.filter(
            goal__plan=plan, archived_at__isnull=True
        )


class RemarkFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *RemarkStatus.choices]
    )
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=None, required=False)
    unanswered = forms.BooleanField(label=_("Without a response"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(plan=plan, archived_at__isnull=True)
