"""The security log page ``/<municipality>/security/`` (the municipal admin's only), and
``manage.py security_events_prune``, the only way lines are removed."""

import datetime
import io
import re

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from safetynet.constants import Role
from safetynet.models import SecurityEvent
from safetynet.security_views import PAGE_SIZE

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind
LOGIN_URL = reverse("login")


def page_url(municipality="lindenberg", **query):
    path = reverse("security-events", kwargs={"municipality": municipality})
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def line(kind=Kind.DOWNLOAD, *, at=None, **fields) -> SecurityEvent:
    """One line written at ``at`` (a queryset insert: as the log writes, minus the request)."""
    return SecurityEvent.objects.create(kind=kind, at=at or timezone.now(), **fields)


def shown(response) -> list[int]:
    return [event.pk for event in response.context["events"]]


@pytest.fixture
def admin_client(client, admin_user):
    """The municipal admin of Lindenberg, logged in (no login line: force_login)."""
    client.force_login(admin_user)
    SecurityEvent.objects.all().delete()
    return client


# --- Who may read it ----------------------------------------------------------------------------

#                admin coord college secretary core  promotor viewer
EXPECTED = dict(
    zip(
        (
            Role.ADMIN,
            Role.COORDINATOR,
            Role.COLLEGE,
            Role.COUNCIL_SECRETARY,
            Role.CORE_GROUP,
            Role.PROMOTOR,
            Role.VIEWER,
        ),
        (200, 403, 403, 403, 403, 403, 403),
        strict=True,
    )
)


def test_only_the_municipal_admin_reads_the_log(client, role_users):
    assert sorted(EXPECTED) == sorted(Role.values)
    for role, status in EXPECTED.items():
        client.force_login(role_users[role])
        assert client.get(page_url()).status_code == status, role


def test_a_refused_reader_is_logged_too(client, lindenberg, role_users):
    client.force_login(role_users[Role.COORDINATOR])
    client.get(page_url())
    refusal = SecurityEvent.objects.get(kind=Kind.DENIED)
    assert refusal.detail == "403 GET SecurityEventListView: safetynet.view_securityevent"
    assert refusal.municipality == lindenberg


def test_the_admin_of_another_municipality_gets_404(client, make_member, heidebeek):
    client.force_login(make_member(Role.ADMIN, municipality=heidebeek, username="admin-h"))
    assert client.get(page_url()).status_code == 404
    assert client.get(page_url("heidebeek")).status_code == 200


def test_anonymous_is_sent_to_the_login_page(client, lindenberg):
    response = client.get(page_url())
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL + "?next=")


def test_the_navigation_links_the_log_for_the_admin_only(client, admin_user, coordinator):
    profile = reverse("municipality-profile", args=["lindenberg"])
    client.force_login(admin_user)
    assert f'href="{page_url()}"' in client.get(profile).content.decode()
    client.force_login(coordinator)
    assert page_url() not in client.get(profile).content.decode()


# --- What it shows ------------------------------------------------------------------------------


def test_it_shows_the_municipality_and_its_peoples_logins_not_others(
    admin_client, lindenberg, heidebeek, coordinator, other_coordinator
):
    here = line(Kind.TRANSITION, municipality=lindenberg, user=coordinator, username="x")
    elsewhere = line(Kind.TRANSITION, municipality=heidebeek, user=other_coordinator)
    member_login = line(Kind.LOGIN, user=coordinator, username="coordinator")
    stranger_login = line(Kind.LOGIN, user=other_coordinator, username="coordinator-heidebeek")
    # A failed login names no account: it is shown when the name typed is a member's.
    failed_member = line(Kind.LOGIN_FAILED, username="COORDINATOR")
    failed_other = line(Kind.LOGIN_FAILED, username="nobody")

    response = admin_client.get(page_url())

    assert response.status_code == 200
    assert set(shown(response)) == {here.pk, member_login.pk, failed_member.pk}
    assert not {elsewhere.pk, stranger_login.pk, failed_other.pk} & set(shown(response))


def test_newest_first_in_belgian_time_with_the_utc_time_in_the_markup(admin_client, lindenberg):
    old = line(
        municipality=lindenberg,
        at=datetime.datetime(2026, 1, 5, 8, 30, tzinfo=datetime.UTC),
        address="192.0.2.7",
        object_repr="Veiligheidsplan",
        detail="plan (nl)",
    )
    new = line(municipality=lindenberg, at=datetime.datetime(2026, 1, 6, 9, 0, tzinfo=datetime.UTC))

    response = admin_client.get(page_url())

    assert shown(response) == [new.pk, old.pk]
    html = response.content.decode()
    assert '<time datetime="2026-01-05T08:30:00+00:00"' in html
    assert "05/01/2026 09:30:00" in html  # Brussels, UTC+1 in January
    assert "192.0.2.7" in html
    assert "Veiligheidsplan" in html


def test_filters(admin_client, lindenberg, coordinator, viewer):
    day = datetime.datetime(2026, 2, 10, 12, 0, tzinfo=datetime.UTC)
    denied = line(
        Kind.DENIED,
        municipality=lindenberg,
        user=viewer,
        username="viewer",
        address="192.0.2.7",
        at=day,
    )
    export = line(
        Kind.EXPORT,
        municipality=lindenberg,
        user=coordinator,
        username="coordinator",
        address="192.0.2.70",
        at=day + datetime.timedelta(days=2),
    )
    v6 = line(
        Kind.DOWNLOAD,
        municipality=lindenberg,
        username="coordinator",
        address="2001:db8::1",
        at=day + datetime.timedelta(days=5),
    )

    def found(**query):
        response = admin_client.get(page_url(**query))
        assert response.status_code == 200
        return set(shown(response))

    assert found() == {denied.pk, export.pk, v6.pk}
    assert found(kind=Kind.DENIED) == {denied.pk}
    assert found(person="COORD") == {export.pk, v6.pk}
    assert found(address="192.0.2.7") == {denied.pk}  # a whole address: that one only
    assert found(address="192.0.2.") == {denied.pk, export.pk}  # its beginning
    assert found(address="2001:db8::1") == {v6.pk}
    assert found(date_from="2026-02-12") == {export.pk, v6.pk}
    assert found(date_to="2026-02-12") == {denied.pk, export.pk}
    assert found(date_from="2026-02-11", date_to="2026-02-14") == {export.pk}
    # A bad value is reported and leaves the other filters working.
    response = admin_client.get(page_url(kind=Kind.DENIED, address="<x>"))
    assert response.context["form"].errors["address"]
    assert set(shown(response)) == {denied.pk}


def test_a_day_runs_from_midnight_to_midnight_in_brussels(admin_client, lindenberg):
    # 23:30 UTC on 9 February is 00:30 on 10 February in Brussels.
    late = line(
        municipality=lindenberg, at=datetime.datetime(2026, 2, 9, 23, 30, tzinfo=datetime.UTC)
    )
    response = admin_client.get(page_url(date_from="2026-02-10", date_to="2026-02-10"))
    assert shown(response) == [late.pk]
    assert shown(admin_client.get(page_url(date_to="2026-02-09"))) == []


def test_pages(admin_client, lindenberg):
    start = timezone.now() - datetime.timedelta(days=1)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            kind=Kind.DOWNLOAD,
            municipality=lindenberg,
            username=f"person-{number}",
            at=start + datetime.timedelta(minutes=number),
        )
        for number in range(PAGE_SIZE + 5)
    )

    first = admin_client.get(page_url())
    second = admin_client.get(page_url(page=2))

    assert len(first.context["events"]) == PAGE_SIZE
    assert first.context["events"][0].username == f"person-{PAGE_SIZE + 4}"
    assert [e.username for e in second.context["events"]] == [
        f"person-{n}" for n in range(4, -1, -1)
    ]
    assert 'rel="next"' in first.content.decode()
    # The filters stay in the page links.
    filtered = admin_client.get(page_url(kind=Kind.DOWNLOAD)).content.decode()
    next_link = re.search(r'<a href="\?([^"]*)" rel="next"', filtered).group(1)
    assert "kind=download" in next_link
    assert "page=2" in next_link


def test_a_nasty_username_is_shown_escaped(admin_client, lindenberg):
    line(Kind.LOGIN_FAILED, municipality=lindenberg, username="<script>alert(1)</script>")
    html = admin_client.get(page_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_page_has_no_control_that_changes_the_log(admin_client, lindenberg):
    line(municipality=lindenberg)
    html = admin_client.get(page_url()).content.decode()
    main = html.split('<main id="main"', 1)[1]
    assert 'method="post"' not in main.lower()
    assert "delete" not in main.lower()


# Measured: 7 queries, whatever the number of lines: the session, the user, the second factor's
# device, the user's role permissions, their memberships with the municipalities (the URL's and
# the navigation's), the count of the lines and the page of lines — no join and no query per line
# (a line carries its own username and object name). 12 leaves room for a middleware's query
# without letting a query per line (50 a page) through.
PAGE_BUDGET = 12


def test_the_page_costs_the_same_with_200_lines(
    admin_client, lindenberg, coordinator, django_assert_max_num_queries
):
    start = timezone.now() - datetime.timedelta(days=1)
    line(Kind.LOGIN, municipality=lindenberg, user=coordinator)
    admin_client.get(page_url())  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(page_url()).status_code == 200
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            kind=kind,
            municipality=lindenberg if number % 3 else None,
            user=coordinator,
            username=coordinator.username,
            address=f"192.0.2.{number % 250}",
            object_type="plans.plan",
            object_id=str(number),
            object_repr=f"Plan {number}",
            path=f"/lindenberg/plans/{number}/",
            at=start + datetime.timedelta(seconds=number),
        )
        for number, kind in zip(range(200), [*Kind.values] * 20, strict=False)
    )

    with django_assert_max_num_queries(len(few)):
        response = admin_client.get(page_url())

    assert len(few) <= PAGE_BUDGET
    assert response.context["page_obj"].paginator.count == 201
    assert len(response.context["events"]) == PAGE_SIZE
    with django_assert_max_num_queries(len(few)):
        admin_client.get(page_url(person="coord", date_from="2026-01-01"))


# --- Pruning ------------------------------------------------------------------------------------


def test_prune_removes_lines_past_the_retention_and_says_how_many(settings, lindenberg):
    settings.SAFETYNET_SECURITY_LOG_DAYS = 30
    now = timezone.now()
    old = [line(municipality=lindenberg, at=now - datetime.timedelta(days=d)) for d in (31, 400)]
    kept = [line(municipality=lindenberg, at=now - datetime.timedelta(days=d)) for d in (0, 29)]
    out = io.StringIO()

    call_command("security_events_prune", stdout=out)

    assert "removed: 2." in out.getvalue()
    assert set(SecurityEvent.objects.values_list("pk", flat=True)) == {e.pk for e in kept}
    assert not SecurityEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    again = io.StringIO()
    call_command("security_events_prune", stdout=again)
    assert "removed: 0." in again.getvalue()


def test_prune_takes_days(lindenberg):
    now = timezone.now()
    line(municipality=lindenberg, at=now - datetime.timedelta(days=10))
    line(municipality=lindenberg, at=now - datetime.timedelta(days=2))
    out = io.StringIO()
    call_command("security_events_prune", "--days", "5", stdout=out)
    assert "older than 5 days removed: 1." in out.getvalue()
    assert SecurityEvent.objects.count() == 1


def test_prune_refuses_zero_days():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("security_events_prune", "--days", "0", stdout=io.StringIO())
