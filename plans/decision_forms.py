"""Forms of the decisions on a plan: submitting, withdrawing, the consultation's dates and
closing, voting, the council's decision, the kerngroep's discussion."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coregroup.models import AgendaItem
from plans.constants import VoteChoice
from plans.models import ActionPlan
from safetynet.forms import DateTimeField, date_input
from safetynet.models import User

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SubmitForm(forms.Form):
    deadline = DateTimeField(
        label=_("Vote until"),
        widget=DATETIME,
        help_text=_("The college members vote online until then; the chair closes the round."),
    )
    reason = forms.CharField(
        label=_("Note for the college"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("deadline", timezone.localtime() + datetime.timedelta(days=14))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to close before the closing date."),
    )


class ConsultationDatesForm(forms.Form):
    opens = DateTimeField(label=_("Opens"), widget=DATETIME)
    closes = DateTimeField(label=_("Closes"), widget=DATETIME)

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("The consultation must close after it opens."))
        return data


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActingChairForm(forms.Form):
    """An elector of the round to preside in the chair's place; empty: nobody."""

    user = forms.ModelChoiceField(label=_("Acting chair"), queryset=None, required=False)

    def __init__(self, *args, vote_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            pk__in=vote_round.electors.values("user_id")
        )


class ReferenceForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=100)
    reference_url = forms.URLField(
        label=_("Link to the published decision"), required=False, assume_scheme="https"
    )


class CouncilDecisionForm(forms.Form):
    date = forms.DateField(label=_("Date of the council meeting"), widget=date_input())
    reference = forms.CharField(label=_("Reference"), max_length=100)
    reference_url = forms.URLField(
        label=_("Link to the published decision"), required=False, assume_scheme="https"
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=999)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, max_value=999)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=999)
    adopted = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("1", _("Adopted")), ("0", _("Not adopted"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class DiscussionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=None)
    goal = forms.ModelChoiceField(
        label=_("About the goal"),
        queryset=None,
        required=False,
        help_text=_("Optional: when the discussion was about one goal."),
    )
    action_plan = forms.ModelChoiceField(
        label=_("About the action plan"),
        queryset=None,
        required=False,
        help_text=_("Optional: when the discussion was about one action plan."),
    )

    def __init__(self, *args, municipality, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.filter(archived_at__isnull=True)
        self.fields["action_plan"].queryset = ActionPlan.objects.filter(
            goal__plan=plan, archived_at__isnull=True
        )
        self.fields["agenda_item"].queryset = (
            AgendaItem.objects.filter(
                meeting__municipality=municipality, meeting__core_group__isnull=False
            )
            .select_related("meeting")
            .order_by("-meeting__starts_at", "order")
        )
        self.fields["agenda_item"].label_from_instance = lambda item: (
            f"{timezone.localtime(item.meeting.starts_at):%d/%m/%Y} · {item.order}. {item.title}"
        )
