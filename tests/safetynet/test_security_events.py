"""The security log (SECURITY.md, "What is logged"): every login, failed login, lockout, refused
access, vote, phase transition, export and document download is one line with who, when (UTC),
from which address (behind a proxy: the address the proxy saw), in which municipality and on
which object; an ordinary page view writes nothing. Lines are never changed or deleted by the
application; the municipal admin reads them on ``/<municipality>/security/``; only
``manage.py security_events_prune`` removes old ones."""

import datetime

from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from coregroup.models import CalendarFeed
from coregroup.services import calendar_feed_renew, core_group_ensure, meeting_schedule
from plans.constants import PlanState, RoundStatus, VoteChoice
from plans.documents import plan_document
from plans.models import ActionPlan
from safetynet.constants import Role
from safetynet.models import RenderedDocument, SecurityEvent
from safetynet.security import log_event
from tests.auth_support import log_in_with_second_factor, login_form
from tests.factories import UserFactory
from tests.plans import builders
from tests.plans.builders import put_in_state
from tests.plans.pages_support import plan_page, ready_plan, submit, walk_to

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PROXY = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.66, 203.0.113.9"}


def url(name, municipality="lindenberg", **kwargs):
    return reverse(name, kwargs={"municipality": municipality, **kwargs})


def events(kind=None):
    found = SecurityEvent.objects.order_by("at", "id")
    return found.filter(kind=kind) if kind else found


def only(kind) -> SecurityEvent:
    """The single line of ``kind`` (fails when there are none or several)."""
    return events(kind).get()


def assert_recent_utc(event):
    assert event.at.utcoffset() == datetime.timedelta(0)
    assert timezone.now() - event.at < datetime.timedelta(minutes=5)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def college(lindenberg):
    return builders.college(lindenberg, 3)


@pytest.fixture
def plan(lindenberg, coordinator):
    return ready_plan(lindenberg, coordinator)


# --- Logging in ---------------------------------------------------------------------------------


def test_a_login_through_the_form_is_logged(client, coordinator):
    response = client.post(reverse("login"), login_form("coordinator", "demo"))

    assert response.status_code == 302
    event = only(Kind.LOGIN)
    assert (event.user, event.username, event.address) == (coordinator, "coordinator", "127.0.0.1")
    assert_recent_utc(event)


def test_a_failed_login_is_logged_with_the_username_typed(client, coordinator):
    client.post(reverse("login"), login_form("Coordinator", "wrong"))

    event = only(Kind.LOGIN_FAILED)
    assert (event.user, event.username, event.address) == (None, "Coordinator", "127.0.0.1")
    assert_recent_utc(event)
    assert not events(Kind.LOGIN).exists()


def test_a_lockout_is_logged(client, settings, coordinator):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), login_form("coordinator", "wrong"))

    event = only(Kind.LOCKOUT)
    assert (event.username, event.address) == ("coordinator", "127.0.0.1")
    assert_recent_utc(event)


def test_behind_a_proxy_the_login_has_the_address_the_proxy_saw(client, settings, coordinator):
    settings.SAFETYNET_PROXY_COUNT = 1

    client.post(reverse("login"), login_form("coordinator", "demo"), **PROXY)

    assert only(Kind.LOGIN).address == "203.0.113.9"  # not the client-written 198.51.100.66


# --- Refused access -----------------------------------------------------------------------------


def test_a_viewer_posting_a_transition_is_refused_and_logged(client, lindenberg, viewer, plan):
    client.force_login(viewer)

    response = client.post(plan_page("submit", plan), {"deadline": "2099-01-01T12:00"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    event = only(Kind.DENIED)
    assert (event.user, event.username, event.address) == (viewer, "viewer", "127.0.0.1")
    assert event.municipality == lindenberg
    assert event.path == plan_page("submit", plan)
    assert event.detail == "403 POST SubmitView: plans.submit_plan"
    assert (event.object_type, event.object_id) == ("safetynet.municipality", str(lindenberg.pk))
    assert_recent_utc(event)


def test_a_user_of_another_municipality_getting_a_plan_is_refused_and_logged(
    client, lindenberg, other_coordinator, plan
):
    client.force_login(other_coordinator)

    # Under Lindenberg's address: they hold no role there.
    assert client.get(plan_page("plan-detail", plan)).status_code == 404
    # Under their own municipality's address: the id is another municipality's plan.
    assert client.get(plan_page("plan-detail", plan, "heidebeek")).status_code == 404

    first, second = events(Kind.DENIED)
    assert {first.user, second.user} == {other_coordinator}
    assert {first.municipality, second.municipality} == {lindenberg}
    assert (first.object_type, first.object_id) == ("safetynet.municipality", str(lindenberg.pk))
    assert first.detail == "404 GET PlanDetailView: no role in this municipality"
    assert (second.object_type, second.object_id) == ("plans.plan", str(plan.pk))
    assert second.object_repr == str(plan)
    assert second.detail == "404 GET PlanDetailView: plans.view_plan"
    assert second.path == plan_page("plan-detail", plan, "heidebeek")


def test_a_refusal_by_a_service_names_the_object_the_page_had_loaded(
    client, lindenberg, coordinator, college, plan
):
    vote_round = submit(plan, coordinator)
    client.force_login(college[1])  # a college member, not the chair who presides

    response = client.post(plan_page("round-close", plan))

    assert response.status_code == 403
    event = only(Kind.DENIED)
    assert event.detail == "403 POST RoundCloseView"
    assert (event.object_type, event.object_id) == ("plans.voteround", str(vote_round.pk))
    assert (event.user, event.municipality) == (college[1], lindenberg)


def test_a_refusal_behind_a_proxy_has_the_proxied_address(client, settings, viewer, plan):
    settings.SAFETYNET_PROXY_COUNT = 1
    client.force_login(viewer)

    client.post(plan_page("submit", plan), {}, **PROXY)

    assert only(Kind.DENIED).address == "203.0.113.9"


def test_a_missing_object_is_a_plain_404_not_a_refusal(client, coordinator, plan):
    client.force_login(coordinator)
    SecurityEvent.objects.all().delete()  # the login (a queryset delete, as the pruning does)

    assert client.get(url("plans:plan-detail", pk=plan.pk + 1000)).status_code == 404
    assert client.get("/nowhere/plans/").status_code == 404

    assert not events().exists()


def test_an_ordinary_page_view_writes_nothing(client, coordinator, plan):
    client.force_login(coordinator)
    SecurityEvent.objects.all().delete()  # the login (a queryset delete, as the pruning does)

    for path in ("/", plan_page("plan-detail", plan), url("actors:actor-list")):
        assert client.get(path).status_code == 200

    assert not events().exists()


def test_the_public_page_of_a_plan_not_yet_public_is_a_refusal(client, lindenberg, plan):
    path = reverse("public-plan", kwargs={"municipality": "lindenberg", "pk": plan.pk})

    assert client.get(path).status_code == 404

    event = only(Kind.DENIED)
    assert (event.user, event.username, event.address) == (None, "", "127.0.0.1")
    assert (event.municipality, event.object_id) == (lindenberg, str(plan.pk))


# --- Votes and transitions ----------------------------------------------------------------------


def test_a_transition_is_logged_with_its_name(client, lindenberg, coordinator, college, plan):
    client.force_login(coordinator)
    deadline = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(plan_page("submit", plan), {"deadline": deadline})

    assert response.status_code == 302
    event = only(Kind.TRANSITION)
    assert (event.user, event.address, event.municipality) == (coordinator, "127.0.0.1", lindenberg)
    assert (event.object_type, event.object_id, event.detail) == (
        "plans.plan",
        str(plan.pk),
        "submit_to_college",
    )
    assert_recent_utc(event)

    client.post(plan_page("withdraw", plan), {"reason": "Budget herbekijken"})
    assert events(Kind.TRANSITION).last().detail == "withdraw_from_college"


def test_a_vote_is_logged_without_the_choice_and_the_last_vote_logs_the_decision(
    client, lindenberg, coordinator, college, plan
):
    vote_round = submit(plan, coordinator)
    for member in college:
        client.force_login(member)
        response = client.post(
            plan_page("vote", plan), {"choice": VoteChoice.REJECT, "comment": "Te duur"}
        )
        assert response.status_code == 302

    votes = list(events(Kind.VOTE))
    assert [v.user for v in votes] == college
    for vote in votes:
        assert (vote.object_type, vote.object_id) == ("plans.voteround", str(vote_round.pk))
        assert (vote.municipality, vote.address) == (lindenberg, "127.0.0.1")
        written = f"{vote.detail} {vote.object_repr} {vote.path}".lower()
        assert "reject" not in written
        assert "duur" not in written
    vote_round.refresh_from_db()
    assert vote_round.status == RoundStatus.REJECTED
    decision = only(Kind.TRANSITION)
    assert (decision.user, decision.object_id, decision.detail) == (
        college[-1],
        str(plan.pk),
        "college_rejects",
    )


def test_closing_the_consultation_is_logged(client, lindenberg, coordinator, college, plan):
    walk_to(plan, "consultation", coordinator, college)
    client.force_login(coordinator)

    client.post(plan_page("consultation", plan), {"action": "close", "reason": "Klaar"})

    assert only(Kind.TRANSITION).detail == "close_consultation"


def test_every_button_transition_is_told_apart_by_its_states():
    """The views name the transition a button made by its source and target."""
    from plans.workflow import TRANSITIONS

    buttons = [(t.source, t.target) for t in TRANSITIONS if t.perm]
    assert len(buttons) == len(set(buttons))


# --- Exports and downloads ----------------------------------------------------------------------


def test_an_actor_export_is_logged(client, lindenberg, coordinator):
    client.force_login(coordinator)

    response = client.get(url("actors:actors-export") + "?format=xlsx")

    assert response.status_code == 200
    event = only(Kind.EXPORT)
    assert (event.user, event.address, event.municipality) == (coordinator, "127.0.0.1", lindenberg)
    assert (event.object_type, event.detail) == ("safetynet.municipality", "actors (xlsx)")
    assert_recent_utc(event)


def test_a_calendar_feed_reading_is_an_export_without_the_secret(client, lindenberg, coordinator):
    core_group_ensure(municipality=lindenberg, by=coordinator)
    calendar_feed_renew(user=coordinator, by=coordinator)
    feed = CalendarFeed.objects.get(user=coordinator, revoked=False)
    path = reverse(
        "coregroup:calendar-feed", kwargs={"municipality": "lindenberg", "token": feed.token}
    )

    response = client.get(path)

    assert response.status_code == 200
    event = only(Kind.EXPORT)
    assert (event.user, event.municipality, event.address) == (coordinator, lindenberg, "127.0.0.1")
    assert feed.token not in event.path
    assert event.detail == "calendar (ics)"


def test_a_ready_pdf_download_is_logged(client, lindenberg, coordinator, plan):
    document = plan_document(plan, language="nl", by=coordinator)
    assert document.status == RenderedDocument.Status.READY
    client.force_login(coordinator)

    response = client.get(plan_page("plan-pdf", plan) + "?lang=nl")

    assert body(response).startswith(b"%PDF-")
    event = only(Kind.DOWNLOAD)
    assert (event.user, event.address, event.municipality) == (coordinator, "127.0.0.1", lindenberg)
    assert (event.object_type, event.object_id) == ("safetynet.rendereddocument", str(document.pk))
    assert event.detail == "plan (nl)"
    assert_recent_utc(event)


def test_a_waiting_page_is_not_a_download(client, lindenberg, coordinator, plan):
    RenderedDocument.objects.all().delete()
    document = plan_document(plan, language="nl", by=coordinator)
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=RenderedDocument.Status.PENDING, sha256=""
    )
    client.force_login(coordinator)

    assert client.get(plan_page("plan-pdf", plan) + "?lang=nl").status_code == 202
    assert not events(Kind.DOWNLOAD).exists()


def test_a_meeting_document_download_is_logged(client, lindenberg, coordinator):
    from coregroup.services import document_attach

    meeting = meeting_schedule(
        core_group=core_group_ensure(municipality=lindenberg, by=coordinator),
        starts_at=timezone.now(),
        place="Gemeentehuis",
        agenda=["Punt"],
        by=coordinator,
        invite=False,
    )
    upload = SimpleUploadedFile("verslag.pdf", PDF)
    document = document_attach(
        meeting=meeting, by=coordinator, kind="minutes", title="Verslag", file=upload
    )
    client.force_login(coordinator)

    response = client.get(url("coregroup:document-download", pk=document.pk))

    assert response.status_code == 200
    event = only(Kind.DOWNLOAD)
    assert (event.user, event.municipality) == (coordinator, lindenberg)
    assert (event.object_type, event.object_id) == ("coregroup.meetingdocument", str(document.pk))


def test_the_public_pdf_is_logged_for_an_anonymous_reader(
    client, settings, lindenberg, coordinator, college, plan
):
    walk_to(plan, "consultation", coordinator, college)
    settings.SAFETYNET_PROXY_COUNT = 1
    path = reverse("public-pdf", kwargs={"municipality": "lindenberg", "pk": plan.pk})

    response = client.get(path, **PROXY)

    assert body(response).startswith(b"%PDF-")
    event = only(Kind.DOWNLOAD)
    assert (event.user, event.username) == (None, "")
    assert (event.address, event.municipality) == ("203.0.113.9", lindenberg)
    assert event.object_type == "safetynet.rendereddocument"


# --- Append only --------------------------------------------------------------------------------


def test_a_line_cannot_be_changed_or_deleted(lindenberg):
    event = log_event(Kind.EXPORT, municipality=lindenberg, detail="x")

    event.detail = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert SecurityEvent.objects.get().detail == "x"


@pytest.fixture
def operator_client(client):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    log_in_with_second_factor(client, operator)
    return client


def test_the_admin_shows_the_log_read_only(operator_client, lindenberg):
    admin_client = operator_client
    event = log_event(Kind.EXPORT, municipality=lindenberg, username="ann", detail="x")
    model_admin = admin_site._registry[SecurityEvent]
    request = admin_client.get("/admin/").wsgi_request

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    listing = admin_client.get(reverse("admin:safetynet_securityevent_changelist"))
    assert listing.status_code == 200
    assert "ann" in listing.content.decode()
    detail = admin_client.get(reverse("admin:safetynet_securityevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    delete = reverse("admin:safetynet_securityevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:safetynet_securityevent_add")).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_a_monitor_export_is_logged_on_its_plan(client, lindenberg, viewer, plan):
    put_in_state(plan, PlanState.STEERING)
    client.force_login(viewer)
    path = reverse(
        "monitor:export",
        kwargs={"municipality": "lindenberg", "table": "action-plans", "fmt": "csv"},
    )

    response = client.get(f"{path}?plan={plan.pk}")

    assert response.status_code == 200
    event = only(Kind.EXPORT)
    assert (event.user, event.municipality, event.address) == (viewer, lindenberg, "127.0.0.1")
    assert (event.object_type, event.object_id) == ("plans.plan", str(plan.pk))
    assert event.detail == "monitor action-plans (csv)"


def test_the_monitor_of_another_municipalitys_plan_is_a_refusal(
    client, lindenberg, other_coordinator, plan
):
    put_in_state(plan, PlanState.STEERING)
    client.force_login(other_coordinator)

    response = client.get(reverse("monitor:monitor", args=["heidebeek"]) + f"?plan={plan.pk}")

    assert response.status_code == 404
    event = only(Kind.DENIED)
    assert (event.user, event.municipality, event.object_id) == (
        other_coordinator,
        lindenberg,
        str(plan.pk),
    )


def test_a_feed_whose_owner_lost_the_right_is_a_refusal_without_the_secret(
    client, lindenberg, make_member
):
    owner = make_member(Role.COORDINATOR, username="former")
    calendar_feed_renew(user=owner, by=owner)
    feed = CalendarFeed.objects.get(user=owner, revoked=False)
    owner.is_active = False
    owner.save()
    path = reverse(
        "coregroup:calendar-feed", kwargs={"municipality": "lindenberg", "token": feed.token}
    )

    assert client.get(path).status_code == 404

    event = only(Kind.DENIED)
    assert (event.user, event.municipality) == (owner, lindenberg)
    assert feed.token not in event.path
    assert not events(Kind.EXPORT).exists()


def test_an_event_names_the_objects_municipality_when_it_has_one(lindenberg, coordinator):
    plan = ready_plan(lindenberg, coordinator)
    events = [
        log_event(Kind.DENIED, obj=plan.items["indicator"]),  # four steps up to the plan
        log_event(Kind.DENIED, obj=UserFactory()),  # no municipality
        log_event(Kind.DENIED, obj=ActionPlan(title="Zonder doelstelling")),  # no parent yet
    ]
    assert [event.municipality for event in events] == [lindenberg, None, None]
