"""The iCalendar feed: parses, shows the municipality's meetings, and stops when revoked."""

import datetime

from django.urls import reverse
from django.utils import timezone

import icalendar
import pytest

from coregroup.models import CalendarFeed
from coregroup.services import (
    calendar_feed_renew,
    calendar_feed_revoke,
    core_group_ensure,
    meeting_schedule,
)
from safetynet.constants import Role


def feed_path(feed, municipality="lindenberg"):
    return reverse(
        "coregroup:calendar-feed", kwargs={"municipality": municipality, "token": feed.token}
    )


@pytest.fixture
def meeting(lindenberg, coordinator):
    core_group = core_group_ensure(municipality=lindenberg, by=coordinator)
    return meeting_schedule(
        core_group=core_group,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        place="Stadhuis <raadzaal>",
        agenda=["Verslag", "Actieprogramma"],
        by=coordinator,
        invite=False,
    )


@pytest.mark.django_db
def test_the_feed_lists_the_meetings_without_a_login(client, coordinator, meeting):
    feed = calendar_feed_renew(user=coordinator, by=coordinator)
    response = client.get(feed_path(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["location"]) == "Stadhuis <raadzaal>"
    assert "2. Actieprogramma" in str(event["description"])
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)


@pytest.mark.django_db
def test_a_renewed_or_revoked_address_stops_working(client, coordinator, meeting):
    old = calendar_feed_renew(user=coordinator, by=coordinator)
    new = calendar_feed_renew(user=coordinator, by=coordinator)
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200
    calendar_feed_revoke(user=coordinator, by=coordinator)
    assert client.get(feed_path(new)).status_code == 404
    assert CalendarFeed.objects.filter(user=coordinator, revoked=False).count() == 0
    assert CalendarFeed.history.filter(history_user=coordinator).count() >= 3


@pytest.mark.django_db
def test_only_those_who_may_see_meetings_get_a_feed(
    client, make_member, other_coordinator, meeting, heidebeek
):
    viewer = make_member(Role.VIEWER)
    feed = calendar_feed_renew(user=viewer, by=viewer)
    assert client.get(feed_path(feed)).status_code == 404  # viewers see the composition only
    foreign = calendar_feed_renew(user=other_coordinator, by=other_coordinator)
    assert client.get(feed_path(foreign)).status_code == 404  # another municipality's meetings
    assert client.get(feed_path(foreign, "heidebeek")).status_code == 200


@pytest.mark.django_db
def test_the_settings_page_makes_and_stops_the_address(client, coordinator, meeting):
    client.force_login(coordinator)
    path = reverse("coregroup:calendar", kwargs={"municipality": "lindenberg"})
    assert client.get(path).context["feed_url"] == ""
    client.post(path, {"action": "renew"})
    url = client.get(path).context["feed_url"]
    assert url.endswith(".ics")
    client.post(path, {"action": "revoke"})
    assert client.get(path).context["feed_url"] == ""


@pytest.mark.django_db
def test_the_settings_page_is_404_for_another_municipality(client, other_coordinator):
    client.force_login(other_coordinator)
    path = reverse("coregroup:calendar", kwargs={"municipality": "lindenberg"})
    assert client.get(path).status_code == 404
