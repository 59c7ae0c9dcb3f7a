from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from safetynet.forms import date_input


class SeatHolderForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Holder"), queryset=Actor.objects.none())
    start = forms.DateField(label=_("From"), widget=date_input(), initial=timezone.localdate)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = Actor.objects.filter(
            municipality=municipality, active=True
        ).order_by("name")


class SeatStateForm(forms.Form):
    VACATE, NOT_PRESENT, PRESENT = "vacate", "not_present", "present"

    action = forms.ChoiceField(
        choices=[
            (VACATE, _("The holder leaves the seat")),
            (NOT_PRESENT, _("This function is not present in this municipality")),
            (PRESENT, _("This function is present again")),
        ],
        widget=forms.HiddenInput,
    )
    end = forms.DateField(
        label=_("Last day"), widget=date_input(), initial=timezone.localdate, required=False
    )


class SeatAddForm(forms.Form):
    title = forms.CharField(label=_("Member function"), max_length=150)
