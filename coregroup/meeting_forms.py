"""Forms of the kerngroep's meetings, decisions and follow-up tasks."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from safetynet.forms import DateTimeField, date_input
from safetynet.widgets import FastSelect

from .constants import AttendanceStatus, TaskStatus


def _actors(municipality):
    return Actor.objects.filter(municipality=municipality, active=True).order_by("name")


class MeetingScheduleForm(forms.Form):
    starts_at = DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One agenda item per line."),
    )

    def clean_agenda(self):
        titles = [line.strip() for line in self.cleaned_data["agenda"].splitlines()]
        titles = [title for title in titles if title]
        if any(len(title) > 200 for title in titles):
            raise forms.ValidationError(_("An agenda item has at most 200 characters."))
        return titles


class AttendanceForm(forms.Form):
    """One row: a seat holder's attendance. ``actors`` is one list shared by every row, so the
    page does not query the actors once per seat."""

    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    represented_by = forms.TypedChoiceField(
        label=_("Represented by"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,  # every active actor, in every row
    )

    def __init__(self, *args, actors, row, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        self.actors = {actor.pk: actor for actor in actors}
        self.fields["represented_by"].choices = [
            ("", "—"),
            *((actor.pk, actor.name) for actor in actors),
        ]

    def clean_represented_by(self):
        pk = self.cleaned_data["represented_by"]
        return self.actors.get(pk) if pk is not None else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == AttendanceStatus.REPRESENTED and not cleaned.get(
            "represented_by"
        ):
            self.add_error("represented_by", _("Say who represented them."))
        return cleaned


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    # The version the form was loaded at: saving over someone else's newer minutes is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=10000, widget=forms.Textarea)
    consensus = forms.BooleanField(
        label=_("Reached by consensus"),
        required=False,
        initial=True,
        help_text=_("Untick when the decision was not unanimous."),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=None, required=False, empty_label=_("(none)")
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class TaskForm(forms.Form):
    description = forms.CharField(label=_("Task"), max_length=300)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=Actor.objects.none())
    due = forms.DateField(label=_("Due date"), widget=date_input(), initial=timezone.localdate)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _actors(municipality)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *TaskStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
