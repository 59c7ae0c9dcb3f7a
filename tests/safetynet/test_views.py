"""The core's pages: who may open what, the profile and its history, users and roles, the logo,
the dashboard and navigation, error pages and the language switch."""

import datetime
import io
import random
import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.translation import gettext

import pytest
from PIL import Image

from safetynet.concurrency import EditConflict
from safetynet.constants import Infrastructure, Region, Role
from safetynet.history import FieldChange
from safetynet.models import LOGO_MAX_BYTES, Membership, Municipality, User, nis_code_validator
from safetynet.services import (
    MUNICIPALITY_PROFILE_FIELDS,
    membership_create,
    municipality_update,
)
from safetynet.urls import municipality_patterns
from tests.factories import MunicipalityFactory, UserFactory

LOGIN_URL = "/accounts/login/"


# --- Helpers -----------------------------------------------------------------------------------


def png_bytes(size=(8, 8), colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="logo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def url(name, municipality="lindenberg", **kwargs):
    return reverse(name, kwargs={"municipality": municipality, **kwargs})


def text(response) -> str:
    return response.content.decode()


def in_dutch(message: str) -> str:
    """The page speaks Dutch (LANGUAGE_CODE) to a client that asks for nothing else."""
    with translation.override("nl"):
        return escape(gettext(message))


def profile_form_data(municipality: Municipality, **changes) -> dict:
    """The profile form as the browser would post it, with ``changes`` applied."""
    data = {
        "name": municipality.name,
        "slug": municipality.slug,
        "nis_code": municipality.nis_code,
        "region": municipality.region,
        "languages": list(municipality.languages),
        "population": municipality.population if municipality.population is not None else "",
        "area_km2": municipality.area_km2 if municipality.area_km2 is not None else "",
        "crime_rate": municipality.crime_rate if municipality.crime_rate is not None else "",
        "infrastructures": list(municipality.infrastructures),
        "existing_projects": municipality.existing_projects,
        "police_zone": municipality.police_zone,
        "two_factor": municipality.two_factor,
        "reason": "",
    }
    data.update(changes)
    return data


def profile_values(municipality: Municipality) -> dict:
    municipality.refresh_from_db()
    return {name: getattr(municipality, name) for name in MUNICIPALITY_PROFILE_FIELDS}


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded logos go to a throw-away folder, never into the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def lindenberg_with_logo(lindenberg, media_root):
    municipality_update(
        municipality=lindenberg,
        by=None,
        logo=SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
    )
    lindenberg.refresh_from_db()
    assert lindenberg.logo
    return lindenberg


# --- Every URL under /<municipality>/ ----------------------------------------------------------

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix=""):
    """``(route, pattern)`` for every leaf pattern, descending into every include()."""
    for pattern in patterns:
        assert isinstance(pattern.pattern, RoutePattern), (
            f"{pattern!r} is not a path() route: teach test_views._walk about regex patterns so "
            "it cannot escape the cross-municipality test."
        )
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + route)
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + route, pattern


def municipality_routes() -> list[str]:
    return [route for route, _pattern in _walk(municipality_patterns)]


# Pages opened by a secret in their address instead of a login (tested in their own files).
OPENED_BY_A_SECRET = {"coregroup/meetings/calendar/<str:token>.ics"}


@pytest.fixture
def url_kwargs(lindenberg, make_member):
    """A real Lindenberg object for every URL parameter a page under /<municipality>/ takes.

    A parameter that different pages use for different objects (``pk``) maps route prefixes to
    objects; the longest matching prefix wins."""
    from django.utils import timezone

    from actors.constants import ActorForm, OrgFunction, OrgLevel, RoleType
    from actors.models import ActorKind, SuggestionRule
    from actors.services import actor_create, org_unit_create, role_assign, suggestion_dismiss
    from coregroup.models import MeetingDocument
    from coregroup.services import (
        core_group_ensure,
        decision_record,
        meeting_schedule,
        task_add,
        working_group_add_member,
        working_group_create,
    )
    from plans.models import ActionPlan, ExpectedResult, Goal, Indicator, Plan, Remark
    from plans.services import item_add, plan_create
    from plans.services.steering import escalation_raise, measurement_record, report_submit
    from tests.plans.pages_support import ready_plan, submit

    member = make_member(Role.VIEWER, username="lindenberg-member")
    actor = actor_create(
        municipality=lindenberg,
        by=None,
        form=ActorForm.ORGANISATION,
        name="Politiezone",
        kind=ActorKind.objects.get(municipality=None, code="local_police"),
    )
    role = role_assign(actor=actor, role=RoleType.OTHER, start=datetime.date(2024, 1, 1), by=None)
    unit = org_unit_create(
        municipality=lindenberg,
        by=None,
        name="Burgemeester",
        level=OrgLevel.STRATEGIC,
        function=OrgFunction.MAYOR,
    )
    rule = SuggestionRule.objects.filter(infrastructure=Infrastructure.TRAIN_STATION).first()
    municipality_update(
        municipality=lindenberg, by=None, infrastructures=[Infrastructure.TRAIN_STATION]
    )
    dismissal = suggestion_dismiss(municipality=lindenberg, rule=rule, reason="Niet nodig", by=None)
    seat = core_group_ensure(municipality=lindenberg, by=None).seats.first()
    group = working_group_create(
        municipality=lindenberg, name="Werkgroep woninginbraak", promotor=None, by=None
    )
    membership = working_group_add_member(
        working_group=group, actor=actor, start=datetime.date(2024, 1, 1), by=None
    )
    meeting = meeting_schedule(
        core_group=seat.core_group, starts_at=timezone.now(), place="", agenda=["A"], by=None
    )
    decision = decision_record(meeting=meeting, text="B", consensus=True, by=None)
    task = task_add(
        decision=decision, description="T", assignee=actor, due=datetime.date(2025, 1, 1), by=None
    )
    document = MeetingDocument.objects.create(
        meeting=meeting, kind="other", title="Nota", content_type="application/pdf", size=1
    )
    plan = plan_create(
        municipality=lindenberg, by=None, title="Plan", period_start=2026, period_end=2031
    )
    goal = item_add(item=Goal(plan=plan, title="Doel"), by=None)
    remark = Remark.objects.create(
        plan=plan, reference="R-TEST01", text="Opmerking", received_on=datetime.date(2026, 1, 1)
    )
    # Phase 4: an action plan followed up in steering (the plan put there directly).
    action_plan = item_add(
        item=ActionPlan(goal=goal, title="Actieplan", start=datetime.date(2026, 1, 1)), by=None
    )
    result = item_add(item=ExpectedResult(action_plan=action_plan, text="Resultaat"), by=None)
    indicator = item_add(
        item=Indicator(
            expected_result=result, name="Indicator", type="output", objectivity="objective"
        ),
        by=None,
    )
    Plan.objects.filter(pk=plan.pk).update(state="steering", reports_from=datetime.date(2026, 1, 1))
    coordinator = make_member(Role.COORDINATOR, username="lindenberg-coordinator")
    report = report_submit(
        action_plan=action_plan,
        by=coordinator,
        period_end=datetime.date(2026, 3, 31),
        status="on_track",
        percent=10,
        text="Gestart",
        day=datetime.date(2026, 4, 1),
    )
    measurement = measurement_record(
        indicator=indicator, by=coordinator, date=datetime.date(2026, 3, 31), value=1
    )
    escalation = escalation_raise(plan=plan, by=coordinator, text="Een hindernis")
    # A vote round (for its decision extract): a second plan, submitted to the college.
    make_member(Role.COLLEGE, username="lindenberg-college")
    voted = ready_plan(lindenberg, coordinator, title="Plan voor het college")
    vote_round = submit(voted, coordinator)
    return {
        "user_id": member.pk,
        "rule_pk": rule.pk,
        "pk": {
            "actors/": actor.pk,
            "actors/roles/": role.pk,
            "organogram/units/": unit.pk,
            "network/gaps/dismissed/": dismissal.pk,
            "coregroup/seats/": seat.pk,
            "coregroup/working-groups/": group.pk,
            "coregroup/meetings/": meeting.pk,
            "coregroup/meetings/decisions/": decision.pk,
            "coregroup/meetings/tasks/": task.pk,
            "coregroup/meetings/documents/": document.pk,
            "plans/": plan.pk,
            "plans/<int:pk>/rounds/": voted.pk,  # the plan of ``round``
        },
        "kind": "goal",
        "item": goal.pk,
        "remark": remark.pk,
        "membership_pk": membership.pk,
        "token": "not-a-secret",
        "action_plan": action_plan.pk,
        "report": report.pk,
        "indicator": indicator.pk,
        "measurement": measurement.pk,
        "escalation": escalation.pk,
        "round": vote_round.pk,
        "table": "action-plans",
        "fmt": "csv",
    }


def build_path(route: str, kwargs: dict, municipality="lindenberg") -> str:
    def substitute(match):
        name = match.group("name")
        assert name in kwargs, (
            f"The route {route!r} takes {name!r}: add a Lindenberg object for it to the "
            "url_kwargs fixture of tests/safetynet/test_views.py."
        )
        value = kwargs[name]
        if isinstance(value, dict):
            prefixes = [prefix for prefix in value if route.startswith(prefix)]
            assert prefixes, f"The route {route!r} takes {name!r}: add its object to url_kwargs."
            value = value[max(prefixes, key=len)]
        return str(value)

    path = "/" + municipality + "/" + ROUTE_PARAMETER.sub(substitute, route)
    resolve(path)  # the path built really is one of the site's pages
    return path


def test_the_walk_finds_every_core_page():
    routes = municipality_routes()
    for route in [
        "profile/",
        "profile/edit/",
        "profile/history/",
        "profile/logo/",
        "members/",
        "members/add/",
        "members/history/",
        "members/<int:user_id>/",
    ]:
        assert route in routes


@pytest.mark.django_db
@pytest.mark.parametrize("route", municipality_routes())
def test_anonymous_is_sent_to_the_login_page(client, url_kwargs, route):
    path = build_path(route, url_kwargs)
    response = client.get(path)
    if route in OPENED_BY_A_SECRET:  # read by programs, not people: a wrong secret is a 404
        assert response.status_code == 404, path
        return
    assert response.status_code == 302, path
    assert response.url.startswith(LOGIN_URL + "?next="), response.url


@pytest.mark.django_db
@pytest.mark.parametrize("route", municipality_routes())
def test_the_coordinator_of_another_municipality_gets_404(
    client, url_kwargs, other_coordinator, lindenberg_with_logo, route
):
    path = build_path(route, url_kwargs)
    client.force_login(other_coordinator)
    before = Membership.objects.count(), Municipality.objects.get(slug="lindenberg").name
    assert client.get(path).status_code == 404, path
    assert client.post(path, {"name": "Taken over", "action": "roles"}).status_code == 404, path
    assert (Membership.objects.count(), Municipality.objects.get(slug="lindenberg").name) == before


@pytest.mark.django_db
@pytest.mark.parametrize("route", municipality_routes())
def test_a_municipality_that_does_not_exist_is_404(client, url_kwargs, admin_user, route):
    client.force_login(admin_user)
    path = build_path(route, url_kwargs, municipality="nowhere")
    assert client.get(path).status_code == 404, path


# --- Who may open which core page --------------------------------------------------------------

A, C, CO, CS, CG, P, V = (
    Role.ADMIN,
    Role.COORDINATOR,
    Role.COLLEGE,
    Role.COUNCIL_SECRETARY,
    Role.CORE_GROUP,
    Role.PROMOTOR,
    Role.VIEWER,
)

# DESIGN.md, "Permissions": the admin edits the profile, users and memberships (and alone sees
# them: e-mail addresses are personal data); everyone of the municipality reads the profile (its
# history and logo too).
#                            admin coord college secretary core  promotor viewer
ROLE_MATRIX = {
    "municipality-profile": (200, 200, 200, 200, 200, 200, 200),
    "municipality-profile-edit": (200, 403, 403, 403, 403, 403, 403),
    "municipality-history": (200, 200, 200, 200, 200, 200, 200),
    "municipality-logo": (200, 200, 200, 200, 200, 200, 200),
    "member-list": (200, 403, 403, 403, 403, 403, 403),
    "member-invite": (200, 403, 403, 403, 403, 403, 403),
    "member-detail": (200, 403, 403, 403, 403, 403, 403),
    "member-history": (200, 403, 403, 403, 403, 403, 403),
}
MATRIX_ROLES = (A, C, CO, CS, CG, P, V)


def test_the_matrix_names_every_role():
    assert sorted(MATRIX_ROLES) == sorted(Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROLE_MATRIX)
def test_role_matrix(client, role_users, lindenberg_with_logo, name):
    kwargs = {"user_id": role_users[Role.VIEWER].pk} if name == "member-detail" else {}
    path = url(name, **kwargs)
    for role, expected in zip(MATRIX_ROLES, ROLE_MATRIX[name], strict=True):
        client.force_login(role_users[role])
        assert client.get(path).status_code == expected, (name, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_the_admin_may_post_profile_and_member_changes(client, role_users, lindenberg, role):
    client.force_login(role_users[role])
    target = role_users[Role.VIEWER]
    before = profile_values(lindenberg)
    memberships = set(Membership.objects.values_list("user_id", "role"))
    users = User.objects.count()

    edit = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, population=99)
    )
    roles = client.post(
        url("member-detail", user_id=target.pk), {"action": "roles", "roles": [Role.ADMIN]}
    )
    identity = client.post(
        url("member-detail", user_id=target.pk),
        {"action": "identity", "username": "renamed", "email": "renamed@example.org"},
    )
    invite = client.post(
        url("member-invite"),
        {"email": "new@example.org", "username": "new", "roles": [Role.ADMIN]},
    )

    assert (edit.status_code, roles.status_code, identity.status_code, invite.status_code) == (
        403,
        403,
        403,
        403,
    )
    assert profile_values(lindenberg) == before
    assert set(Membership.objects.values_list("user_id", "role")) == memberships
    assert User.objects.count() == users
    target.refresh_from_db()
    assert target.username == f"as-{Role.VIEWER}"


# --- The profile and its history ---------------------------------------------------------------


@pytest.mark.django_db
def test_admin_edits_the_profile_and_the_history_shows_who_what_from_what_to_what(
    client, admin_user, lindenberg
):
    assert lindenberg.region == Region.FLANDERS
    old_population = lindenberg.population
    client.force_login(admin_user)

    response = client.post(
        url("municipality-profile-edit"),
        profile_form_data(
            lindenberg, population=31_000, region=Region.WALLONIA, reason="Census 2025"
        ),
    )

    assert response.status_code == 302
    assert response.url == url("municipality-profile")
    lindenberg.refresh_from_db()
    assert (lindenberg.population, lindenberg.region) == (31_000, Region.WALLONIA)
    latest = lindenberg.history.latest("history_id")
    assert latest.history_user_id == admin_user.pk

    response = client.get(url("municipality-history"))
    assert response.status_code == 200
    page = text(response)
    entry = response.context["entries"][0]
    assert entry.who == str(admin_user)
    assert entry.reason == "Census 2025"
    with translation.override("nl"):
        population = str(Municipality._meta.get_field("population").verbose_name).capitalize()
        region = str(Municipality._meta.get_field("region").verbose_name).capitalize()
        expected = [
            # Numbers as a Belgian reads them: 31.000 in Dutch.
            FieldChange(
                population,
                formats.number_format(old_population, force_grouping=True),
                formats.number_format(31_000, force_grouping=True),
            ),
            FieldChange(region, str(Region.FLANDERS.label), str(Region.WALLONIA.label)),
        ]
    assert sorted(entry.changes, key=lambda c: c.label) == sorted(expected, key=lambda c: c.label)
    # ...and the page says so in words: who, the field's label, before and after.
    assert escape(str(admin_user)) in page
    assert "Census 2025" in page
    for change in expected:
        assert f'<th role="rowheader" scope="row">{escape(change.label)}</th>' in page
        assert f"<del>{escape(change.old)}</del>" in page
        assert f"<ins>{escape(change.new)}</ins>" in page
    assert ">wallonia<" not in page  # the label, never the stored code


@pytest.mark.django_db
def test_the_history_in_english_uses_the_source_words(client, admin_user, lindenberg):
    client.force_login(admin_user)
    client.post(
        url("municipality-profile-edit"),
        profile_form_data(lindenberg, population=31_000, region=Region.WALLONIA),
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(url("municipality-history")))
    assert '<th role="rowheader" scope="row">Population</th>' in page
    assert "<del>Flemish Region</del>" in page
    assert "<ins>Walloon Region</ins>" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nis_code", "12a45"),
        ("nis_code", "1234"),
        ("population", "-5"),
        ("population", "0"),
        ("area_km2", "0"),
        ("crime_rate", "-1"),
        ("slug", "admin"),
        ("slug", "Healthz"),
        ("slug", "heidebeek"),
    ],
)
def test_an_invalid_profile_is_refused_and_nothing_changes(
    client, admin_user, lindenberg, heidebeek, field, value
):
    client.force_login(admin_user)
    before = profile_values(lindenberg)
    records = lindenberg.history.count()

    response = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, **{field: value})
    )

    assert response.status_code == 200
    assert "safetynet/profile_form.html" in [t.name for t in response.templates]
    errors = response.context["form"].errors.get(field)
    assert errors, response.context["form"].errors
    for message in errors:
        assert escape(message) in text(response)
    assert 'role="alert"' in text(response)
    assert profile_values(lindenberg) == before
    assert lindenberg.history.count() == records
    assert client.get(url("municipality-profile")).status_code == 200  # the old slug still works


@pytest.mark.django_db
def test_a_new_slug_moves_the_pages(client, admin_user, lindenberg):
    client.force_login(admin_user)
    response = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, slug="Lindenberg-Nieuw")
    )
    assert response.status_code == 302
    assert response.url == url("municipality-profile", municipality="lindenberg-nieuw")
    assert client.get(response.url).status_code == 200
    # The former address still leads members there (bookmarks, e-mailed links) ...
    old = client.get(url("municipality-history") + "?page=1")
    assert old.status_code == 302
    assert old.url == url("municipality-history", municipality="lindenberg-nieuw") + "?page=1"


@pytest.mark.django_db
def test_a_former_slug_tells_a_non_member_nothing(
    client, admin_user, lindenberg, other_coordinator
):
    client.force_login(admin_user)
    client.post(url("municipality-profile-edit"), profile_form_data(lindenberg, slug="elders"))
    client.force_login(other_coordinator)
    assert client.get(url("municipality-profile")).status_code == 404
    assert client.get(url("municipality-profile", municipality="elders")).status_code == 404


@pytest.mark.django_db
def test_the_nis_code_error_is_the_validators_message(client, admin_user, lindenberg):
    client.force_login(admin_user)
    response = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, nis_code="12a45")
    )
    with translation.override("nl"):
        expected = str(nis_code_validator.message)
    assert response.context["form"].errors["nis_code"] == [expected]
    assert escape(expected) in text(response)


@pytest.mark.django_db
def test_a_reserved_slug_error_names_the_word(client, admin_user, lindenberg):
    client.force_login(admin_user)
    response = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, slug="admin")
    )
    [message] = response.context["form"].errors["slug"]
    assert "admin" in message
    assert Municipality.objects.filter(slug="admin").count() == 0


@pytest.mark.django_db
def test_the_profile_shows_the_edit_button_to_the_admin_only(client, admin_user, viewer):
    edit = f'href="{url("municipality-profile-edit")}"'
    client.force_login(admin_user)
    assert edit in text(client.get(url("municipality-profile")))
    client.force_login(viewer)
    assert edit not in text(client.get(url("municipality-profile")))


# --- Users and roles ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_invite_a_new_person(
    client, admin_user, lindenberg, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("member-invite"),
            {
                "email": "Nieuw.Lid@example.org",
                "username": "nieuwlid",
                "first_name": "Nina",
                "last_name": "Nieuwenhuys",
                "roles": [Role.CORE_GROUP, Role.VIEWER],
            },
        )

    user = User.objects.get(username="nieuwlid")
    assert response.status_code == 302
    assert response.url == url("member-detail", user_id=user.pk)
    assert not user.has_usable_password()
    assert set(user.memberships.values_list("municipality__slug", "role")) == {
        ("lindenberg", Role.CORE_GROUP),
        ("lindenberg", Role.VIEWER),
    }
    membership = user.memberships.get(role=Role.VIEWER)
    assert membership.history.latest("history_id").history_user_id == admin_user.pk
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["Nieuw.Lid@example.org"]
    assert "nieuwlid" in mail.body
    assert "/accounts/password/reset/" in mail.body
    # The new person can open the municipality at once.
    client.force_login(user)
    assert client.get(url("municipality-profile")).status_code == 200


@pytest.mark.django_db
def test_the_invitation_link_lets_the_new_person_choose_a_password(
    client, admin_user, lindenberg, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("member-invite"),
            {"email": "kiezer@example.org", "username": "kiezer", "roles": [Role.VIEWER]},
        )
    [mail] = mailoutbox
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", mail.body)
    assert link, mail.body

    newcomer = Client()
    response = newcomer.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    response = newcomer.post(
        set_password_url,
        {"new_password1": "een-lang-wachtwoord", "new_password2": "een-lang-wachtwoord"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="kiezer")
    assert user.check_password("een-lang-wachtwoord")


@pytest.mark.django_db
def test_no_invitation_mail_leaves_before_the_commit(client, admin_user, lindenberg, mailoutbox):
    client.force_login(admin_user)
    client.post(
        url("member-invite"),
        {"email": "later@example.org", "username": "later", "roles": [Role.VIEWER]},
    )
    assert User.objects.filter(username="later").exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_inviting_an_existing_email_links_the_account(
    client, admin_user, make_member, heidebeek, mailoutbox, django_capture_on_commit_callbacks
):
    existing = make_member(
        Role.VIEWER, municipality=heidebeek, username="hilde", email="hilde@heidebeek.example"
    )
    users = User.objects.count()
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("member-invite"),
            {
                "email": "HILDE@heidebeek.example",
                "username": "someone-else",
                "first_name": "Other",
                "last_name": "Name",
                "roles": [Role.PROMOTOR],
            },
        )

    assert response.status_code == 302
    assert response.url == url("member-detail", user_id=existing.pk)
    assert User.objects.count() == users
    existing.refresh_from_db()
    assert (existing.username, existing.first_name) != ("someone-else", "Other")
    assert existing.username == "hilde"
    assert set(existing.memberships.values_list("municipality__slug", "role")) == {
        ("heidebeek", Role.VIEWER),
        ("lindenberg", Role.PROMOTOR),
    }
    # No invitation to choose a password (the account has one): a notice to its owner instead.
    (mail,) = mailoutbox
    assert mail.to == ["hilde@heidebeek.example"]
    assert "/accounts/password/reset/" not in mail.body


@pytest.mark.django_db
def test_inviting_someone_who_already_has_the_role_changes_nothing(client, admin_user, make_member):
    member = make_member(Role.VIEWER, username="al-lid", email="al-lid@example.org")
    client.force_login(admin_user)
    response = client.post(
        url("member-invite"),
        {
            "email": "al-lid@example.org",
            "username": "al-lid",
            "roles": [Role.PROMOTOR, Role.VIEWER],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'role="alert"' in text(response)
    # One transaction: the promotor role given before the refusal is not kept either.
    assert set(member.memberships.values_list("role", flat=True)) == {Role.VIEWER}


@pytest.mark.django_db
def test_inviting_with_a_taken_username_is_refused(client, admin_user, make_member, lindenberg):
    make_member(Role.VIEWER, username="taken")
    client.force_login(admin_user)
    users = User.objects.count()
    response = client.post(
        url("member-invite"),
        {"email": "fresh@example.org", "username": "TAKEN", "roles": [Role.VIEWER]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert User.objects.count() == users


@pytest.mark.django_db
def test_change_roles(client, admin_user, make_member, lindenberg):
    member = make_member(Role.VIEWER, username="wisselaar")
    client.force_login(admin_user)

    response = client.post(
        url("member-detail", user_id=member.pk),
        {"action": "roles", "roles": [Role.COLLEGE, Role.CORE_GROUP], "is_chair": "on"},
    )

    assert response.status_code == 302
    assert response.url == url("member-detail", user_id=member.pk)
    assert set(member.memberships.values_list("role", "is_chair")) == {
        (Role.COLLEGE, True),
        (Role.CORE_GROUP, False),
    }
    deleted = Membership.history.filter(user_id=member.pk, history_type="-").get()
    assert deleted.role == Role.VIEWER
    assert deleted.history_user_id == admin_user.pk
    page = text(client.get(url("member-history")))
    assert escape(str(admin_user)) in page


@pytest.mark.django_db
def test_chair_without_college_is_refused(client, admin_user, make_member, lindenberg):
    member = make_member(Role.VIEWER)
    client.force_login(admin_user)
    response = client.post(
        url("member-detail", user_id=member.pk),
        {"action": "roles", "roles": [Role.VIEWER], "is_chair": "on"},
    )
    assert response.status_code == 200
    assert response.context["roles_form"].errors["is_chair"]
    assert set(member.memberships.values_list("role", "is_chair")) == {(Role.VIEWER, False)}


@pytest.mark.django_db
def test_removing_every_role_takes_the_person_out(client, admin_user, make_member, lindenberg):
    member = make_member(Role.VIEWER, username="vertrekker", last_name="Vertrekker")
    member_client = Client()
    member_client.force_login(member)
    assert member_client.get(url("municipality-profile")).status_code == 200
    client.force_login(admin_user)
    detail = url("member-detail", user_id=member.pk)
    assert detail in text(client.get(url("member-list")))

    response = client.post(detail, {"action": "roles"})

    assert response.status_code == 302
    assert response.url == url("member-list")
    assert not Membership.objects.filter(user=member).exists()
    assert detail not in text(client.get(url("member-list")))
    assert client.get(detail).status_code == 404
    # Their next request, in the session they already had:
    assert member_client.get(url("municipality-profile")).status_code == 404
    # ...and the history keeps who took the role away.
    record = Membership.history.get(user_id=member.pk, history_type="-")
    assert record.history_user_id == admin_user.pk


@pytest.mark.django_db
def test_a_heidebeek_person_cannot_be_reached_through_lindenberg(
    client, admin_user, make_member, heidebeek
):
    outsider = make_member(Role.VIEWER, municipality=heidebeek, username="buitenstaander")
    client.force_login(admin_user)
    detail = url("member-detail", user_id=outsider.pk)
    assert client.get(detail).status_code == 404
    for data in [
        {"action": "roles", "roles": [Role.VIEWER]},
        {"action": "identity", "username": "overgenomen", "email": "x@example.org"},
    ]:
        assert client.post(detail, data).status_code == 404
    outsider.refresh_from_db()
    assert outsider.username == "buitenstaander"
    assert set(outsider.memberships.values_list("municipality__slug", "role")) == {
        ("heidebeek", Role.VIEWER)
    }


@pytest.mark.django_db
def test_an_identity_with_another_accounts_email_is_refused(client, admin_user, make_member):
    member = make_member(Role.VIEWER, username="dubbel", email="dubbel@example.org")
    client.force_login(admin_user)
    response = client.post(
        url("member-detail", user_id=member.pk),
        {"action": "identity", "username": "dubbel", "email": admin_user.email.upper()},
    )
    assert response.status_code == 200
    assert response.context["identity_form"].errors
    member.refresh_from_db()
    assert member.email == "dubbel@example.org"


@pytest.fixture
def shared_member(make_member, heidebeek):
    """A person with a role in Lindenberg and one in Heidebeek."""
    person = make_member(Role.VIEWER, username="gedeeld", email="gedeeld@example.org")
    make_member(Role.COORDINATOR, municipality=heidebeek, user=person)
    return person


@pytest.mark.django_db
def test_the_identity_of_a_person_of_two_municipalities_is_not_ours(
    client, admin_user, shared_member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    detail = url("member-detail", user_id=shared_member.pk)

    page = text(client.get(detail))
    assert 'value="identity"' not in page
    assert 'value="password_reset"' not in page
    assert 'value="roles"' in page  # the roles here are still the admin's to manage

    with django_capture_on_commit_callbacks(execute=True):
        identity = client.post(
            detail,
            {
                "action": "identity",
                "language": "nl",
                "username": "hijacked",
                "first_name": "X",
                "last_name": "Y",
                "email": "attacker@example.org",
            },
        )
        reset = client.post(detail, {"action": "password_reset"})

    assert identity.status_code == 403
    assert reset.status_code == 403
    shared_member.refresh_from_db()
    assert (shared_member.username, shared_member.email) == ("gedeeld", "gedeeld@example.org")
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_identity_of_a_lindenberg_only_person_is_edited(client, admin_user, make_member):
    member = make_member(Role.VIEWER, username="enkel", email="enkel@example.org")
    client.force_login(admin_user)
    detail = url("member-detail", user_id=member.pk)
    assert 'value="identity"' in text(client.get(detail))

    response = client.post(
        detail,
        {
            "action": "identity",
            "language": "nl",
            "username": "enkel2",
            "first_name": "Eva",
            "last_name": "Enkel",
            "email": "eva@example.org",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.username, member.email, member.last_name) == (
        "enkel2",
        "eva@example.org",
        "Enkel",
    )
    assert member.history.latest("history_id").history_user_id == admin_user.pk


@pytest.mark.django_db
def test_search_and_role_filter_narrow_the_list(client, admin_user, make_member):
    anna = make_member(Role.PROMOTOR, first_name="Anna", last_name="Zoetemelk", username="anna")
    bert = make_member(Role.VIEWER, first_name="Bert", last_name="Zoetemelk", username="bert")
    carl = make_member(Role.PROMOTOR, first_name="Carl", last_name="Anders", username="carl")
    client.force_login(admin_user)

    def listed(**query):
        response = client.get(url("member-list"), query)
        assert response.status_code == 200
        return {user.username for user in response.context["members"]}

    assert {"anna", "bert", "carl", "admin"} <= listed()
    assert listed(q="zoetemelk") == {"anna", "bert"}
    assert listed(q=bert.email) == {"bert"}
    assert listed(role=Role.PROMOTOR) == {"anna", "carl"}
    assert listed(q="zoetemelk", role=Role.PROMOTOR) == {anna.username}
    assert listed(q="nobody-has-this") == set()
    assert carl.username not in listed(role=Role.VIEWER)


@pytest.mark.django_db
def test_the_role_filter_looks_at_roles_here_only(client, admin_user, make_member, heidebeek):
    """A viewer here who is promotor in Heidebeek is not a promotor here: the filter must neither
    list them nor so reveal what they do elsewhere."""
    person = make_member(Role.VIEWER, username="elders-promotor")
    make_member(Role.PROMOTOR, municipality=heidebeek, user=person)
    client.force_login(admin_user)

    response = client.get(url("member-list"), {"role": Role.PROMOTOR})

    assert "elders-promotor" not in {u.username for u in response.context["members"]}
    response = client.get(url("member-list"), {"role": Role.VIEWER})
    assert "elders-promotor" in {u.username for u in response.context["members"]}


@pytest.mark.django_db
def test_the_list_shows_only_lindenberg_people(client, admin_user, make_member, heidebeek):
    make_member(Role.VIEWER, municipality=heidebeek, username="only-heidebeek")
    client.force_login(admin_user)
    response = client.get(url("member-list"))
    assert "only-heidebeek" not in {u.username for u in response.context["members"]}


@pytest.mark.django_db
def test_pagination_keeps_the_filter(client, admin_user, make_member):
    for n in range(30):
        make_member(Role.PROMOTOR, last_name=f"Pager{n:02d}", username=f"pager{n:02d}")
    for n in range(5):
        make_member(Role.VIEWER, last_name=f"Pager-viewer{n}", username=f"pagerviewer{n}")
    client.force_login(admin_user)

    first = client.get(url("member-list"), {"q": "pager", "role": Role.PROMOTOR})
    assert first.context["page_obj"].paginator.count == 30
    assert len(first.context["members"]) == 25
    next_link = re.search(r'href="\?([^"]*)" rel="next"', text(first))
    assert next_link, "no link to the next page"
    query = next_link.group(1).replace("&amp;", "&")
    assert "q=pager" in query
    assert f"role={Role.PROMOTOR}" in query
    assert "page=2" in query

    second = client.get(url("member-list") + "?" + query)
    names = {u.username for u in second.context["members"]}
    assert len(names) == 5
    assert all(name.startswith("pager") and "viewer" not in name for name in names)
    prev_link = re.search(r'href="\?([^"]*)" rel="prev"', text(second))
    assert prev_link
    assert "q=pager" in prev_link.group(1)


# --- The logo ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_a_png_logo_and_members_see_it(
    client, admin_user, viewer, other_coordinator, lindenberg, media_root
):
    client.force_login(admin_user)
    data = profile_form_data(lindenberg, logo=png_upload())
    response = client.post(url("municipality-profile-edit"), data)
    assert response.status_code == 302
    lindenberg.refresh_from_db()
    assert lindenberg.logo.name.endswith(".png")
    assert str(media_root) in lindenberg.logo.path

    client.force_login(viewer)
    profile = text(client.get(url("municipality-profile")))
    assert f'src="{url("municipality-logo")}"' in profile
    response = client.get(url("municipality-logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()

    client.force_login(other_coordinator)
    assert client.get(url("municipality-logo")).status_code == 404


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.django_db
@pytest.mark.parametrize("content", [SVG, png_bytes()], ids=["svg", "png-named-svg"])
def test_an_svg_logo_is_refused(client, admin_user, lindenberg, media_root, content):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("logo.svg", content, content_type="image/svg+xml")
    response = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, logo=upload)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["logo"]
    assert errors
    assert escape(errors[0]) in text(response)
    lindenberg.refresh_from_db()
    assert not lindenberg.logo
    assert not list(media_root.rglob("*.svg"))


@pytest.mark.django_db
def test_a_logo_over_one_megabyte_is_refused(client, admin_user, lindenberg, media_root):
    noise = Image.frombytes(
        "RGB", (700, 700), bytes(random.getrandbits(8) for _ in range(1_470_000))
    )
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > LOGO_MAX_BYTES
    client.force_login(admin_user)
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    response = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, logo=upload)
    )
    # Refused as the upload arrives (413), before the file is read whole.
    assert response.status_code == 413
    assert response.context["form"].errors["logo"]
    lindenberg.refresh_from_db()
    assert not lindenberg.logo


@pytest.mark.django_db
def test_a_logo_that_is_neither_png_nor_jpeg_is_refused(client, admin_user, lindenberg, media_root):
    """The help text, the file picker and the error message all say "PNG or JPEG", and the logo
    is served as PNG or else as JPEG: a GIF would go out labelled image/jpeg."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="GIF")
    client.force_login(admin_user)
    upload = SimpleUploadedFile("logo.gif", buffer.getvalue(), content_type="image/gif")
    response = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, logo=upload)
    )
    lindenberg.refresh_from_db()
    served = client.get(url("municipality-logo")) if lindenberg.logo else None
    assert response.status_code == 200, (
        f"a GIF logo was accepted and is served as {served and served['Content-Type']}"
    )
    assert response.context["form"].errors["logo"]
    assert not lindenberg.logo


@pytest.mark.django_db
def test_the_admin_clears_the_logo(client, admin_user, viewer, lindenberg_with_logo):
    client.force_login(admin_user)
    response = client.post(
        url("municipality-profile-edit"),
        profile_form_data(lindenberg_with_logo, **{"logo-clear": "on"}),
    )
    assert response.status_code == 302
    lindenberg_with_logo.refresh_from_db()
    assert not lindenberg_with_logo.logo
    client.force_login(viewer)
    assert client.get(url("municipality-logo")).status_code == 404


@pytest.mark.django_db
def test_no_logo_is_404(client, viewer, lindenberg):
    client.force_login(viewer)
    assert client.get(url("municipality-logo")).status_code == 404


# --- Query counts ------------------------------------------------------------------------------


def measure(client, path, assert_max_num_queries, budget) -> int:
    """The queries of one request to ``path``, checked against ``budget``.

    A first request is made and not counted: afterwards the session holds the current
    municipality and the content-type cache is filled, as for every later page a person opens."""
    assert client.get(path).status_code == 200
    with assert_max_num_queries(budget) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


# The member list, 10 queries: the session and the user (2); the user's role permissions and
# memberships with their municipalities, loaded once for the request (2: the URL's municipality
# and the navigation's list come with them); the paginator's count (1); one page of users (1)
# and their memberships here, prefetched (1); the session saved with the current municipality,
# in a savepoint (3). Never anything per row.
MEMBER_LIST_BUDGET = 10


@pytest.mark.django_db
def test_member_list_queries_do_not_grow_with_members(
    client, admin_user, make_member, django_assert_max_num_queries, django_assert_num_queries
):
    for _ in range(4):
        make_member(Role.VIEWER)
    assert Membership.objects.filter(municipality__slug="lindenberg").count() == 5
    client.force_login(admin_user)
    few = measure(client, url("member-list"), django_assert_max_num_queries, MEMBER_LIST_BUDGET)

    for n in range(75):
        make_member(Role.PROMOTOR if n % 2 else Role.VIEWER)
    assert Membership.objects.filter(municipality__slug="lindenberg").count() == 80
    with django_assert_num_queries(few):
        response = client.get(url("member-list"))
    assert len(response.context["members"]) == 25


# The profile history, 10 queries: the session and the user (2); role permissions and
# memberships with their municipalities (2); the paginator's count (1) and one page of records
# with the people who acted (1); the records' predecessors, found and fetched in one query (1);
# the session saved, in a savepoint (3). Never per record.
PROFILE_HISTORY_BUDGET = 10


@pytest.mark.django_db
def test_profile_history_queries_do_not_grow_with_records(
    client, admin_user, lindenberg, django_assert_max_num_queries, django_assert_num_queries
):
    for n in range(2):
        municipality_update(municipality=lindenberg, by=admin_user, population=1000 + n)
    assert lindenberg.history.count() == 3
    client.force_login(admin_user)
    few = measure(
        client, url("municipality-history"), django_assert_max_num_queries, PROFILE_HISTORY_BUDGET
    )

    for n in range(57):
        municipality_update(municipality=lindenberg, by=admin_user, population=2000 + n)
    assert lindenberg.history.count() == 60
    with django_assert_num_queries(few):
        response = client.get(url("municipality-history"))
    assert len(response.context["entries"]) == 25
    assert all(entry.changes for entry in response.context["entries"])


# The history of users and roles, 11 queries: the session and the user (2); role permissions and
# memberships with their municipalities (2); the paginator's count and one page of records with
# the people who acted (2); the records' predecessors, found and fetched in one query (1); the
# names of the users the records mention (1; their municipality is the page's own); the
# session saved, in a savepoint (3). Never per record.
MEMBER_HISTORY_BUDGET = 11


@pytest.mark.django_db
def test_member_history_queries_do_not_grow_with_records(
    client,
    admin_user,
    lindenberg,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    def give_role():
        membership_create(
            municipality=lindenberg, user=UserFactory(), role=Role.VIEWER, by=admin_user
        )

    give_role()
    assert Membership.history.filter(municipality_id=lindenberg.pk).count() == 2
    client.force_login(admin_user)
    few = measure(
        client, url("member-history"), django_assert_max_num_queries, MEMBER_HISTORY_BUDGET
    )

    for _ in range(58):
        give_role()
    with django_assert_num_queries(few):
        response = client.get(url("member-history"))
    entries = response.context["entries"]
    assert len(entries) == 25
    assert len({entry.subject for entry in entries}) == 25  # each names its own person
    assert {entry.who for entry in entries} == {str(admin_user)}


# The dashboard, 9 queries: the session and the user (2); role permissions and memberships with
# their municipalities (2: the "my roles" panel and the navigation come with them); the
# follow-up panel's own tasks and overdue counts (2; their municipalities came with the
# memberships); the votes panel's open rounds (1); phase 4: the plans in steering whose action
# plans I promote (1) and those of the municipalities I coordinate or sit in the college of (1)
# — with such plans, three more for their action plans, reports and budgets, one for their goals
# and one for the obstacles waiting for the mayor. Never per municipality.
DASHBOARD_BUDGET = 9


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_municipalities(
    client, make_member, lindenberg, django_assert_max_num_queries, django_assert_num_queries
):
    person = make_member(Role.COORDINATOR, username="overal")
    client.force_login(person)
    few = measure(client, "/", django_assert_max_num_queries, DASHBOARD_BUDGET)

    for _ in range(9):
        make_member(Role.VIEWER, municipality=MunicipalityFactory(), user=person)
    assert person.memberships.count() == 10
    with django_assert_num_queries(few):
        response = client.get("/")
    assert text(response).count('<li class="card">') == 10


# --- Dashboard and navigation ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_lists_my_municipalities_and_roles(client, make_member, heidebeek):
    person = make_member(Role.COORDINATOR, username="tweevoudig")
    make_member(Role.VIEWER, municipality=heidebeek, user=person)
    make_member(Role.PROMOTOR, municipality=heidebeek, user=person)
    elsewhere = MunicipalityFactory(name="Nergensdorp", slug="nergensdorp")
    make_member(Role.ADMIN, municipality=elsewhere)

    client.force_login(person)
    response = client.get("/")
    page = text(response)

    assert response.status_code == 200
    assert f'href="{url("municipality-profile")}"' in page
    assert f'href="{url("municipality-profile", municipality="heidebeek")}"' in page
    assert "Nergensdorp" not in page
    with translation.override("nl"):
        labels = {role: escape(str(role.label)) for role in Role}
    cards = {
        slug: set(re.findall(r'<li class="tag">(.*?)</li>', tags))
        for slug, tags in re.findall(
            r'<h3><a href="/([^/]+)/profile/">[^<]*</a></h3>\s*<ul class="tags"[^>]*>(.*?)</ul>',
            page,
            re.S,
        )
    }
    assert cards == {
        "lindenberg": {labels[Role.COORDINATOR]},
        "heidebeek": {labels[Role.VIEWER], labels[Role.PROMOTOR]},
    }


@pytest.mark.django_db
def test_the_dashboard_of_someone_without_a_role(client, db):
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["panels"][0]["context"] == {"municipalities": []}


@pytest.mark.django_db
def test_the_dashboard_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


@pytest.mark.django_db
def test_users_and_roles_in_the_navigation_only_for_the_admin(client, role_users):
    members_link = f'href="{url("member-list")}"'
    label = in_dutch("Users and roles")
    for role, user in role_users.items():
        client.force_login(user)
        for path in ["/", url("municipality-profile")]:
            nav = re.search(r'<nav class="main-nav".*?</nav>', text(client.get(path)), re.S)
            assert nav, (role, path)
            shown = members_link in nav.group(0)
            assert shown == (role == Role.ADMIN), (role, path)
            assert (label in nav.group(0)) == shown, (role, path)


@pytest.mark.django_db
def test_the_navigation_follows_the_municipality_being_looked_at(client, make_member, heidebeek):
    """Admin in Heidebeek, viewer in Lindenberg: the members link appears for Heidebeek only."""
    person = make_member(Role.VIEWER, username="twee-petten")
    make_member(Role.ADMIN, municipality=heidebeek, user=person)
    client.force_login(person)

    def nav(path):
        response = client.get(path)
        assert response.status_code == 200, path
        return re.search(r'<nav class="main-nav".*?</nav>', text(response), re.S).group(0)

    lindenberg_nav = nav(url("municipality-profile"))
    assert url("member-list") not in lindenberg_nav
    assert url("member-list", municipality="heidebeek") not in lindenberg_nav
    assert url("member-list", municipality="heidebeek") in nav(
        url("municipality-profile", municipality="heidebeek")
    )
    # The dashboard remembers the municipality last looked at.
    assert url("member-list", municipality="heidebeek") in nav("/")
    nav(url("municipality-profile"))
    assert url("member-list") not in nav("/")


# --- Error pages and language ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/lindenberg/no-such-page/", "/heidebeek/profile/"])
def test_a_404_is_the_friendly_page_in_the_layout(client, coordinator, heidebeek, path):
    client.force_login(coordinator)
    response = client.get(path)
    page = text(response)
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert 'class="skip-link" href="#main"' in page
    assert '<main id="main"' in page
    assert 'href="/"' in page  # back to the dashboard
    assert in_dutch("Page not found") in page
    if path.startswith("/heidebeek/"):
        assert "Heidebeek" not in page  # not even the name of what is not yours


@pytest.mark.django_db
def test_a_403_is_the_friendly_page_in_the_layout(client, viewer):
    client.force_login(viewer)
    response = client.get(url("member-list"))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert 'class="skip-link" href="#main"' in text(response)


@pytest.mark.django_db
def test_a_csrf_failure_renders_the_friendly_page(admin_user, lindenberg):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    before = profile_values(lindenberg)
    response = client.post(
        url("municipality-profile-edit"), profile_form_data(lindenberg, population=1)
    )
    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    assert 'class="skip-link" href="#main"' in text(response)
    assert profile_values(lindenberg) == before


def test_a_500_is_the_friendly_page_without_the_database(rf):
    """No django_db mark: the page must render when the database is what went wrong."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/lindenberg/profile/"))
    assert response.status_code == 500
    page = text(response)
    assert 'class="skip-link" href="#main"' in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_switch_to_french(client, coordinator):
    client.force_login(coordinator)
    assert '<html lang="nl">' in text(client.get("/"))
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = text(client.get("/"))
    assert '<html lang="fr">' in page
    with translation.override("fr"):
        assert escape(gettext("What needs me")) in page


# --- Two admins at once: nothing is silently overwritten ----------------------------------------


@pytest.mark.django_db
def test_saving_over_a_newer_change_is_refused_and_keeps_the_input(client, admin_user, lindenberg):
    client.force_login(admin_user)
    loaded = client.get(url("municipality-profile-edit")).context["form"]["version"].value()
    # Meanwhile a second admin saves another change.
    colleague = UserFactory(username="admin2")
    municipality_update(municipality=lindenberg, by=colleague, police_zone="PZ Nieuw")

    response = client.post(
        url("municipality-profile-edit"),
        profile_form_data(lindenberg, population=77_777, police_zone="PZ Oud", version=loaded),
    )

    assert response.status_code == 200
    assert response.context["form"]["population"].value() == "77777"  # nothing typed is lost
    with translation.override("nl"):
        assert escape(str(EditConflict([]).messages[0])) in text(response)
    assert "PZ Nieuw" in text(response)  # what the colleague changed is shown
    lindenberg.refresh_from_db()
    assert (lindenberg.population, lindenberg.police_zone) != (77_777, "PZ Oud")

    # Saving again, now knowing the other change, goes through.
    again = client.post(
        url("municipality-profile-edit"),
        profile_form_data(
            lindenberg,
            population=77_777,
            version=response.context["form"]["version"].value(),
        ),
    )
    assert again.status_code == 302
    lindenberg.refresh_from_db()
    assert (lindenberg.population, lindenberg.police_zone) == (77_777, "PZ Nieuw")


@pytest.mark.django_db
def test_saving_the_form_unchanged_writes_no_history(client, admin_user, lindenberg):
    # Ticked in another order than the checklist's: still no change.
    municipality_update(
        municipality=lindenberg,
        by=admin_user,
        infrastructures=[Infrastructure.SCHOOLS, Infrastructure.TRAIN_STATION],
    )
    records = lindenberg.history.count()
    client.force_login(admin_user)
    data = profile_form_data(lindenberg)
    data["infrastructures"] = [Infrastructure.TRAIN_STATION, Infrastructure.SCHOOLS]

    response = client.post(url("municipality-profile-edit"), data)

    assert response.status_code == 302
    assert lindenberg.history.count() == records


# --- Language ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_chosen_language_is_remembered_by_the_account(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    coordinator.refresh_from_db()
    assert coordinator.language == "fr"
    assert coordinator.history.latest().history_user == coordinator

    # Another device, without the cookie: the account's language, not the browser's.
    elsewhere = Client()
    elsewhere.force_login(coordinator)
    page = text(elsewhere.get("/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert '<html lang="fr">' in page


@pytest.mark.django_db
def test_an_invitation_is_written_in_the_invited_person_s_language(
    client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("member-invite"),
            {
                "email": "francoise@example.org",
                "username": "francoise",
                "language": "fr",
                "roles": [Role.VIEWER],
            },
        )
    (mail,) = mailoutbox
    with translation.override("fr"):
        assert gettext("Choose your password here:") in mail.body
    assert User.objects.get(username="francoise").language == "fr"


# --- Accounts that are not the municipality's to change ---------------------------------------


@pytest.mark.django_db
def test_linking_an_existing_account_does_not_hand_it_to_the_admin(
    client, admin_user, lindenberg, mailoutbox, django_capture_on_commit_callbacks
):
    """The take-over: invite a platform account with no roles, then change its e-mail address."""
    staff = UserFactory(username="helpdesk", email="helpdesk@platform.example", is_staff=True)
    loose = UserFactory(username="los", email="los@example.org")  # an account with no role
    client.force_login(admin_user)
    for account in (staff, loose):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                url("member-invite"),
                {"email": account.email, "username": "x", "roles": [Role.VIEWER]},
            )
        detail = url("member-detail", user_id=account.pk)
        assert 'value="identity"' not in text(client.get(detail))
        response = client.post(
            detail,
            {
                "action": "identity",
                "language": "nl",
                "username": account.username,
                "email": "attacker@example.org",
            },
        )
        assert response.status_code == 403
        assert client.post(detail, {"action": "password_reset"}).status_code == 403
        account.refresh_from_db()
        assert account.email != "attacker@example.org"
