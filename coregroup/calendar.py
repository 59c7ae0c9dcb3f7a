"""The iCalendar feed of a person's meetings (the kerngroep's, and those of the working groups
they lead or belong to): a secret, revocable address that a
calendar application reads without logging in."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

import icalendar

from safetynet.audit import log_export
from safetynet.mixins import MunicipalityMixin
from safetynet.models import Municipality
from safetynet.permissions import has_perm
from safetynet.security import Kind, log_event

from .models import CalendarFeed
from .selectors import meetings_of_person
from .services import calendar_feed_renew, calendar_feed_revoke

MEETING_LENGTH = datetime.timedelta(hours=2)
HORIZON = datetime.timedelta(days=400)  # past meetings shown in the feed


def feed_url(request, municipality, feed) -> str:
    return request.build_absolute_uri(
        reverse(
            "coregroup:calendar-feed",
            kwargs={"municipality": municipality.slug, "token": feed.token},
        )
    )


class CalendarSettingsView(MunicipalityMixin, TemplateView):
    """Where a person finds, renews or revokes the address of their meetings' feed."""

    template_name = "coregroup/calendar.html"
    permission_required = "coregroup.view_meeting"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed = CalendarFeed.objects.filter(user=self.request.user, revoked=False).first()
        context["feed_url"] = feed_url(self.request, self.municipality, feed) if feed else ""
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(user=request.user, by=request.user)
            messages.success(request, _("The calendar address no longer works."))
        else:
            calendar_feed_renew(user=request.user, by=request.user)
            messages.success(
                request, _("A new calendar address has been made; the previous one stops working.")
            )
        return redirect("coregroup:calendar", municipality=self.municipality.slug)


class CalendarFeedView(View):
    """The feed itself: no session, the secret in the address; 404 for anything else.

    Each reading is an export in the security log, in the name of the feed's owner; a feed
    whose owner lost the right is a refusal; a wrong secret is a plain 404. The log is read by
    the municipal admin, so its lines carry the address without the secret."""

    http_method_names = ["get", "head"]

    def dispatch(self, request, municipality, token):
        # The secret is checked first, whatever the method: a wrong one tells nothing.
        feed = get_object_or_404(
            CalendarFeed.objects.select_related("user"), token=token, revoked=False
        )
        self.place = get_object_or_404(Municipality, slug=municipality)
        self.feed = feed
        if not feed.user.is_active or not has_perm(feed.user, "coregroup.view_meeting", self.place):
            log_event(
                Kind.DENIED,
                request=request,
                user=feed.user,
                obj=self.place,
                path=self.path_without_secret(),
                detail=f"404 {request.method} {type(self).__name__}: coregroup.view_meeting",
            )
            raise Http404
        return super().dispatch(request)

    def path_without_secret(self) -> str:
        # "-" stands in for the secret in the log; not a credential.
        hidden = {"municipality": self.place.slug, "token": "-"}  # nosec B105
        return reverse("coregroup:calendar-feed", kwargs=hidden)

    def get(self, request):
        meetings = (
            meetings_of_person(self.feed.user, self.place)
            .filter(starts_at__gte=timezone.now() - HORIZON)
            .select_related("core_group", "working_group")
            .prefetch_related("agenda_items")
            .order_by("starts_at")
        )
        response = HttpResponse(
            build_calendar(self.place, meetings, request.get_host()),
            content_type="text/calendar; charset=utf-8",
        )
        response["Cache-Control"] = "private, max-age=900"
        log_export(
            request,
            self.place,
            user=self.feed.user,
            path=self.path_without_secret(),
            detail="calendar (ics)",
        )
        return response


def build_calendar(municipality, meetings, host: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SafetyNet//kerngroep//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"SafetyNet · {municipality.name}")
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + MEETING_LENGTH)
        event.add("summary", str(meeting.body))
        if meeting.place:
            event.add("location", meeting.place)
        agenda = [f"{item.order}. {item.title}" for item in meeting.agenda_items.all()]
        if agenda:
            event.add("description", "\n".join(agenda))
        calendar.add_component(event)
    return calendar.to_ical()


urlpatterns = [
    path("calendar/", CalendarSettingsView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", CalendarFeedView.as_view(), name="calendar-feed"),
]
