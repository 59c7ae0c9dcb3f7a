"""Forms of the working group pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from safetynet.forms import date_input

from .models import WorkingGroup


def _active_actors(municipality):
    return Actor.objects.filter(municipality=municipality, active=True).order_by("name")


class WorkingGroupSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "mandate", "promotor"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "mandate": _("What the working group is asked to do, and by when."),
            "promotor": _("The promotor who leads the working group."),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promotor"].queryset = _active_actors(municipality)


class WorkingGroupMemberForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Member"), queryset=Actor.objects.none())
    start = forms.DateField(label=_("From"), widget=date_input(), initial=timezone.localdate)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = _active_actors(municipality)


class WorkingGroupMemberEndForm(forms.Form):
    end = forms.DateField(label=_("Last day"), widget=date_input(), initial=timezone.localdate)
