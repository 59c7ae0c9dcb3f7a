"""The security log of a municipality, for its admin: ``/<municipality>/security/``.

Read only: the page has no control that changes or removes a line (the model refuses both;
``manage.py security_events_prune`` alone removes lines past the retention period)."""

import datetime
import ipaddress

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .audit import day_start, security_events_of
from .forms import date_input
from .mixins import MunicipalityMixin
from .models import SecurityEvent

PAGE_SIZE = 50
Kind = SecurityEvent.Kind
# Shown as a warning: what may be someone trying what they should not.
ALARMING = frozenset({Kind.LOGIN_FAILED, Kind.LOCKOUT, Kind.SECOND_FACTOR_FAILED, Kind.DENIED})
ADDRESS_CHARACTERS = frozenset("0123456789abcdefABCDEF.:")


class SecurityEventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("All events")), *SecurityEvent.Kind.choices],
    )
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=45,
        help_text=_("A whole address, or its beginning (e.g. 192.0.2.)."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())

    def clean_address(self):
        address = self.cleaned_data["address"].strip()
        if address and not set(address) <= ADDRESS_CHARACTERS:
            raise ValidationError(_("An address has only digits, letters a–f, dots and colons."))
        return address

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date lies before the start date."))
        return cleaned

    def filter(self, events):
        """``events`` narrowed by the valid filters (a bad value in one leaves the others
        working)."""
        data = getattr(self, "cleaned_data", {})
        if kind := data.get("kind"):
            events = events.filter(kind=kind)
        if person := data.get("person", "").strip():
            events = events.filter(username__icontains=person)
        if address := data.get("address"):
            if _is_address(address):
                events = events.filter(address=address)
            else:
                events = events.filter(address__startswith=address)
        if start := data.get("date_from"):
            events = events.filter(at__gte=day_start(start))
        if end := data.get("date_to"):
            events = events.filter(at__lt=day_start(end + datetime.timedelta(days=1)))
        return events


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class SecurityEventListView(MunicipalityMixin, TemplateView):
    """Who logged in, failed to, was refused, voted, moved a plan, exported or downloaded,
    when and from where: newest first, filtered, a page at a time."""

    template_name = "safetynet/security_events.html"
    permission_required = "safetynet.view_securityevent"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SecurityEventFilterForm(self.request.GET)
        form.is_valid()
        events = form.filter(security_events_of(self.municipality))
        page = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(form=form, page_obj=page, events=page.object_list, alarming=ALARMING)
        return context
