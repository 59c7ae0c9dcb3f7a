"""The actor registry's pages (issue 3, items 2 and 4): who may open what, the list and its query
budget, one actor's page, adding, editing, deactivating, the history, and the dated roles."""

import datetime
import html
import re
from types import SimpleNamespace
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

import pytest

from actors import forms as actor_forms
from actors.constants import ActorCategory, ActorForm, OrgLevel, RoleType
from actors.forms import (
    KIND_NAME_TAKEN,
    ORGANISATION_HAS_PEOPLE,
    PROFILE_NEEDS_OPEN_ROLE,
    ROLE_ALREADY_ENDED,
    USER_NEEDS_PERSON,
    constraint_message,
)
from actors.models import Actor, ActorKind, RoleAssignment
from actors.services import (
    actor_kind_create,
    actor_set_active,
    actor_update,
    org_unit_create,
    role_assign,
)
from safetynet.concurrency import EditConflict, latest_version
from safetynet.constants import Role
from safetynet.services import memberships_set_roles
from tests.actors.factories import ActorFactory, RoleAssignmentFactory, shipped_kind

LOGIN_URL = "/accounts/login/"
TODAY = timezone.localdate
D = datetime.date


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"actors:{name}", kwargs={"municipality": municipality, **kwargs})


def text(response) -> str:
    return response.content.decode()


def in_dutch(message) -> str:
    """A message as the page shows it: in Dutch (LANGUAGE_CODE), HTML-escaped."""
    with translation.override("nl"):
        return escape(str(message))


def iso(day: datetime.date) -> str:
    return day.isoformat()


def actor_data(actor=None, **changes) -> dict:
    """The actor form as the browser posts it, from ``actor`` (or empty), with ``changes``."""
    data = {
        "form": ActorForm.ORGANISATION,
        "name": "",
        "kind": "",
        "organisation": "",
        "function_title": "",
        "email": "",
        "phone": "",
        "website": "",
        "address": "",
        "notes": "",
        "user": "",
        "reason": "",
    }
    if actor is not None:
        data.update(
            form=actor.form,
            name=actor.name,
            kind=actor.kind_id,
            organisation=actor.organisation_id or "",
            function_title=actor.function_title,
            email=actor.email,
            phone=actor.phone,
            website=actor.website,
            address=actor.address,
            notes=actor.notes,
            user=actor.user_id or "",
            version=latest_version(actor),
        )
    data.update(changes)
    return data


@pytest.fixture
def network(lindenberg, coordinator):
    """A small piece of Lindenberg's network: the police zone and one of its people, who sat in
    the kerngroep and is now its promotor for drugs."""
    police = ActorFactory(
        municipality=lindenberg,
        name="Politiezone Lindenberg",
        email="info@pz-lindenberg.example",
        phone="+32 9 123 45 67",
        notes="Meets the coordinator every month.",
        by=coordinator,
    )
    person = ActorFactory(
        municipality=lindenberg,
        person=True,
        name="Jan Peeters",
        organisation=police,
        function_title="Chief of police",
        by=coordinator,
    )
    past = RoleAssignmentFactory(
        actor=person,
        role=RoleType.CORE_GROUP_MEMBER,
        start=TODAY() - datetime.timedelta(days=800),
        end=TODAY() - datetime.timedelta(days=100),
        function_profile="Brings the police's view to the kerngroep.",
        by=coordinator,
    )
    current = RoleAssignmentFactory(
        actor=person,
        role=RoleType.PROMOTOR,
        start=TODAY() - datetime.timedelta(days=60),
        title="Promotor of the drugs plan",
        function_profile="Leads the working group on drugs.",
        by=coordinator,
    )
    return SimpleNamespace(police=police, person=person, past=past, current=current)


@pytest.fixture
def elsewhere(heidebeek):
    """Heidebeek's own actor and role: another municipality's ids."""
    actor = ActorFactory(municipality=heidebeek, person=True, name="Heidebeekse Promotor")
    role = RoleAssignmentFactory(actor=actor, role=RoleType.PROMOTOR)
    return SimpleNamespace(actor=actor, role=role)


# --- Which page takes which object -------------------------------------------------------------

# name: the object in its URL (None, an actor, a role assignment)
PAGES = {
    "actor-list": None,
    "actor-create": None,
    "who-held": None,
    "kind-create": None,
    "actor-detail": "actor",
    "actor-edit": "actor",
    "actor-active": "actor",
    "actor-history": "actor",
    "role-create": "actor",
    "role-end": "role",
    "role-profile": "role",
}
EDIT_PAGES = [
    "actor-create",
    "actor-edit",
    "actor-active",
    "role-create",
    "role-end",
    "role-profile",
    "kind-create",
]


def page_url(name, objects, municipality="lindenberg"):
    kind = PAGES[name]
    if kind is None:
        return url(name, municipality)
    return url(name, municipality, pk=objects.actor.pk if kind == "actor" else objects.role.pk)


def lindenberg_objects(network):
    return SimpleNamespace(actor=network.person, role=network.current)


def valid_post(name, network) -> dict:
    """Data that would be saved, were the user allowed to: a refusal then proves the check."""
    kind = shipped_kind("prevention_service")
    return {
        "actor-list": {},
        "who-held": {},
        "actor-detail": {},
        "actor-history": {},
        "actor-create": actor_data(name="Taken over", kind=kind.pk),
        "actor-edit": actor_data(network.person, name="Taken over"),
        "actor-active": {"action": "deactivate", "reason": "Taken over"},
        "role-create": {"role": RoleType.REGISSEUR, "start": iso(TODAY())},
        "role-end": {"end": iso(TODAY())},
        "role-profile": {"start": iso(TODAY()), "function_profile": "Taken over"},
        "kind-create": {"name_nl": "Overgenomen", "category": ActorCategory.CORE},
    }[name]


def snapshot():
    """Everything the registry's pages could change."""
    return (
        list(Actor.objects.order_by("pk").values()),
        list(RoleAssignment.objects.order_by("pk").values()),
        list(ActorKind.objects.order_by("pk").values()),
        Actor.history.count(),
        RoleAssignment.history.count(),
        ActorKind.history.count(),
    )


# --- Who may open which page -------------------------------------------------------------------

A, C, CO, CS, CG, P, V = (
    Role.ADMIN,
    Role.COORDINATOR,
    Role.COLLEGE,
    Role.COUNCIL_SECRETARY,
    Role.CORE_GROUP,
    Role.PROMOTOR,
    Role.VIEWER,
)
MATRIX_ROLES = (A, C, CO, CS, CG, P, V)
# Coordinator and admin keep the network up to date; every other member reads it.
#                   admin coord college secretary core  promotor viewer
ROLE_MATRIX = {
    "actor-list": (200, 200, 200, 200, 200, 200, 200),
    "actor-detail": (200, 200, 200, 200, 200, 200, 200),
    "actor-history": (200, 200, 200, 200, 200, 200, 200),
    "who-held": (200, 200, 200, 200, 200, 200, 200),
    "actor-create": (200, 200, 403, 403, 403, 403, 403),
    "actor-edit": (200, 200, 403, 403, 403, 403, 403),
    "actor-active": (200, 200, 403, 403, 403, 403, 403),
    "role-create": (200, 200, 403, 403, 403, 403, 403),
    "role-end": (200, 200, 403, 403, 403, 403, 403),
    "role-profile": (200, 200, 403, 403, 403, 403, 403),
    "kind-create": (200, 200, 403, 403, 403, 403, 403),
}


def test_the_matrices_name_every_role_and_page():
    assert sorted(MATRIX_ROLES) == sorted(Role.values)
    assert set(ROLE_MATRIX) == set(PAGES)
    assert set(EDIT_PAGES) <= set(PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROLE_MATRIX)
def test_role_matrix(client, role_users, network, name):
    path = page_url(name, lindenberg_objects(network))
    for role, expected in zip(MATRIX_ROLES, ROLE_MATRIX[name], strict=True):
        client.force_login(role_users[role])
        assert client.get(path).status_code == expected, (name, role)


@pytest.mark.django_db
@pytest.mark.parametrize("name", EDIT_PAGES)
@pytest.mark.parametrize("role", [CO, CS, CG, P, V])
def test_readers_may_not_post_and_nothing_changes(client, role_users, network, name, role):
    client.force_login(role_users[role])
    before = snapshot()
    response = client.post(page_url(name, lindenberg_objects(network)), valid_post(name, network))
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_the_login_page(client, network, name):
    path = page_url(name, lindenberg_objects(network))
    before = snapshot()
    for response in (client.get(path), client.post(path, valid_post(name, network))):
        assert response.status_code == 302, path
        assert response.url.startswith(LOGIN_URL + "?next="), response.url
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_the_coordinator_of_another_municipality_gets_404(client, network, other_coordinator, name):
    path = page_url(name, lindenberg_objects(network))
    client.force_login(other_coordinator)
    before = snapshot()
    assert client.get(path).status_code == 404
    assert client.post(path, valid_post(name, network)).status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, kind in PAGES.items() if kind])
def test_lindenberg_ids_under_heidebeek_are_404(client, network, other_coordinator, name):
    """Heidebeek's coordinator may edit Heidebeek's actors, but a Lindenberg id under
    /heidebeek/ is not one of them."""
    path = page_url(name, lindenberg_objects(network), municipality="heidebeek")
    client.force_login(other_coordinator)
    before = snapshot()
    assert client.get(path).status_code == 404
    assert client.post(path, valid_post(name, network)).status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, kind in PAGES.items() if kind])
def test_heidebeek_ids_under_lindenberg_are_404(client, network, elsewhere, coordinator, name):
    path = page_url(name, elsewhere)
    client.force_login(coordinator)
    before = snapshot()
    assert client.get(path).status_code == 404
    assert client.post(path, valid_post(name, network)).status_code == 404
    assert snapshot() == before


# --- The list ----------------------------------------------------------------------------------


def _add_actors(municipality, count, by, start=0):
    """``count`` people of one organisation, each with a current role (so the page has tags to
    prefetch and relations to follow)."""
    organisation = Actor.objects.filter(municipality=municipality, name="Stadsdiensten").first()
    if organisation is None:
        organisation = ActorFactory(
            municipality=municipality, name="Stadsdiensten", kind=shipped_kind("municipal_services")
        )
    kinds = [shipped_kind("municipal_services"), shipped_kind("local_police")]
    for number in range(start, start + count):
        actor = ActorFactory(
            municipality=municipality,
            person=True,
            name=f"Medewerker {number:04d}",
            organisation=organisation,
            kind=kinds[number % 2],
            email=f"medewerker{number}@example.org",
        )
        RoleAssignmentFactory(actor=actor, role=RoleType.WORKING_GROUP_MEMBER, by=by)


# The list's budget, whatever the number of actors:
#   1 session  2 user  3-4 the user's role permissions and memberships with their
#   municipalities (Access, once a request: the URL's municipality and the navigation's list)
#   5 the count for the paginator  6 the page of actors with their kind and organisation
#   7 the current roles of the page's actors (one prefetch)  8 the kinds for the kind filter
LIST_QUERIES = 8
# With the kind filter, its value is looked up once more.
LIST_QUERIES_FILTERED = LIST_QUERIES + 1


@pytest.mark.django_db
def test_the_list_queries_do_not_grow_with_the_actors(
    client, coordinator, lindenberg, django_assert_num_queries
):
    client.force_login(coordinator)
    _add_actors(lindenberg, 30, coordinator)
    client.get(url("actor-list"))  # the first visit stores the municipality in the session
    filtered = url("actor-list") + (
        f"?q=medewerker&kind={shipped_kind('local_police').pk}&category=core"
        f"&role={RoleType.WORKING_GROUP_MEMBER}&status=all&sort=-kind"
    )

    with django_assert_num_queries(LIST_QUERIES):
        small = client.get(url("actor-list"))
    with django_assert_num_queries(LIST_QUERIES_FILTERED):
        client.get(filtered)

    _add_actors(lindenberg, 270, coordinator, start=30)
    with django_assert_num_queries(LIST_QUERIES):
        large = client.get(url("actor-list"))
    with django_assert_num_queries(LIST_QUERIES_FILTERED):
        client.get(filtered)

    assert small.context["page_obj"].paginator.count == 31
    assert large.context["page_obj"].paginator.count == 301
    assert len(large.context["actors"]) == 25


@pytest.mark.django_db
def test_the_list_shows_current_roles_as_tags_and_links_to_each_actor(
    client, viewer, network, lindenberg
):
    client.force_login(viewer)
    response = client.get(url("actor-list"))
    page = text(response)
    assert response.status_code == 200
    detail = url("actor-detail", pk=network.person.pk)
    assert f'href="{detail}"' in page
    row = re.search(rf'<a href="{re.escape(detail)}">.*?</tr>', page, re.S).group(0)
    assert f'<li class="tag">{in_dutch(RoleType.PROMOTOR.label)}</li>' in row
    # Past roles are not current ones.
    assert in_dutch(RoleType.CORE_GROUP_MEMBER.label) not in row
    # Phone layout: every cell names its column, the table has a caption and scoped headers.
    assert "<caption>" in page
    assert 'scope="col"' in page
    assert 'role="cell" data-label=' in page
    # A reader sees no editing buttons.
    assert url("actor-create") not in page


@pytest.mark.django_db
def test_the_list_searches_and_filters(client, coordinator, network, lindenberg, heidebeek):
    prevention = ActorFactory(
        municipality=lindenberg, name="Preventiedienst", kind=shipped_kind("prevention_service")
    )
    youth = ActorFactory(
        municipality=lindenberg,
        name="Jeugdhuis De Klok",
        kind=shipped_kind("population"),
        email="klok@example.org",
    )
    gone = ActorFactory(municipality=lindenberg, name="Oude Buurtwerking")
    actor_set_active(actor=gone, active=False, by=coordinator)
    ActorFactory(municipality=heidebeek, name="Preventiedienst Heidebeek")
    own_kind = actor_kind_create(
        municipality=lindenberg,
        by=coordinator,
        code="festival",
        name_nl="Festivalorganisatie",
        category=ActorCategory.CONTRIBUTING,
    )
    festival = ActorFactory(municipality=lindenberg, name="Zomerfestival", kind=own_kind)
    client.force_login(coordinator)

    def names(**params):
        response = client.get(url("actor-list"), params)
        assert response.status_code == 200
        return [a.name for a in response.context["actors"]]

    everyone_active = ["Jan Peeters", "Jeugdhuis De Klok", "Politiezone Lindenberg"]
    everyone_active += ["Preventiedienst", "Zomerfestival"]
    assert names() == everyone_active  # active actors by name; never Heidebeek's
    assert names(q="preventie") == [prevention.name]
    assert names(q="klok@") == [youth.name]  # e-mail addresses too
    assert names(q="politiezone") == ["Jan Peeters", "Politiezone Lindenberg"]  # organisation
    assert names(category=ActorCategory.CONTRIBUTING) == [youth.name, festival.name]
    assert names(kind=own_kind.pk) == [festival.name]
    assert names(role=RoleType.PROMOTOR) == [network.person.name]
    assert names(role=RoleType.CORE_GROUP_MEMBER) == []  # held, but not any more
    assert names(status="inactive") == [gone.name]
    assert names(status="all") == sorted([*everyone_active, gone.name])
    assert names(sort="-name") == list(reversed(everyone_active))
    # By kind: the kind's order (the domain text's core kinds first), then by name.
    active = Actor.objects.filter(municipality=lindenberg, active=True).select_related("kind")
    by_kind = sorted(active, key=lambda a: (a.kind.order, a.kind.name_nl, a.name))
    assert names(sort="kind") == [a.name for a in by_kind]
    assert names(sort="kind") != names(sort="name")  # so the test tells them apart
    # A wrong value in one filter leaves the others working.
    assert names(kind="999999", q="preventie") == [prevention.name]


@pytest.mark.django_db
def test_another_municipalitys_kind_is_no_filter_here(client, coordinator, lindenberg, heidebeek):
    theirs = actor_kind_create(
        municipality=heidebeek, by=None, code="eigen", name_nl="Eigen soort", category="core"
    )
    client.force_login(coordinator)
    response = client.get(url("actor-list"), {"kind": theirs.pk})
    assert "kind" in response.context["form"].errors
    assert theirs.pk not in [k.pk for k in response.context["form"].fields["kind"].queryset]


@pytest.mark.django_db
def test_paging_keeps_the_search_and_the_filters(client, coordinator, lindenberg):
    _add_actors(lindenberg, 30, coordinator)
    client.force_login(coordinator)
    response = client.get(url("actor-list"), {"q": "medewerker", "status": "all", "sort": "-name"})
    page = text(response)
    next_href = html.unescape(re.search(r'href="\?([^"]*)" rel="next"', page).group(1))
    assert parse_qs(next_href) == {
        "q": ["medewerker"],
        "status": ["all"],
        "sort": ["-name"],
        "page": ["2"],
    }
    second = client.get(url("actor-list") + "?" + next_href)
    assert [a.name for a in second.context["actors"]] == [
        "Medewerker 0004",
        "Medewerker 0003",
        "Medewerker 0002",
        "Medewerker 0001",
        "Medewerker 0000",
    ]
    # The form shows the values it searched with.
    assert 'value="medewerker"' in text(second)


@pytest.mark.django_db
def test_the_sort_headers_reverse_and_say_how_the_list_is_sorted(client, viewer, network):
    client.force_login(viewer)
    page = text(client.get(url("actor-list"), {"q": "peeters"}))
    assert 'aria-sort="ascending"><a href="?q=peeters&amp;sort=-name&amp;page=1"' in page
    page = text(client.get(url("actor-list"), {"q": "peeters", "sort": "-name"}))
    assert 'aria-sort="descending"><a href="?q=peeters&amp;sort=name&amp;page=1"' in page


# --- One actor ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_detail_page_shows_the_actor_its_roles_and_its_units(
    client, viewer, coordinator, network, lindenberg
):
    org_unit_create(
        municipality=lindenberg,
        by=coordinator,
        name="Werkgroep drugs",
        level=OrgLevel.OPERATIONAL,
        holder=network.person,
    )
    client.force_login(viewer)
    response = client.get(url("actor-detail", pk=network.person.pk))
    page = text(response)

    assert response.status_code == 200
    person = network.person
    for value in (
        person.name,
        person.kind.name,
        str(person.kind.get_category_display()),
        person.function_title,
        network.police.name,
        "Werkgroep drugs",
        str(OrgLevel.OPERATIONAL.label),
        # The timeline: current and past roles, with their function profiles.
        str(RoleType.PROMOTOR.label),
        network.current.title,
        network.current.function_profile,
        str(RoleType.CORE_GROUP_MEMBER.label),
        network.past.function_profile,
    ):
        assert escape(value) in page, value
    assert f'<time datetime="{iso(network.past.end)}">' in page
    assert [a.status for a in response.context["roles"]] == ["current", "past"]
    assert url("actor-history", pk=person.pk) in page
    # A reader gets no buttons to change anything.
    for name in ("actor-edit", "actor-active", "role-create"):
        assert url(name, pk=person.pk) not in page
    assert url("role-end", pk=network.current.pk) not in page


@pytest.mark.django_db
def test_the_coordinator_gets_the_buttons(client, coordinator, network):
    client.force_login(coordinator)
    page = text(client.get(url("actor-detail", pk=network.person.pk)))
    for name in ("actor-edit", "actor-active", "role-create"):
        assert url(name, pk=network.person.pk) in page
    assert url("role-end", pk=network.current.pk) in page
    assert url("role-profile", pk=network.current.pk) in page
    # A role that ended is history, not something to end again.
    assert url("role-end", pk=network.past.pk) not in page


@pytest.mark.django_db
def test_an_organisation_lists_its_people_and_its_contact(client, viewer, network):
    client.force_login(viewer)
    page = text(client.get(url("actor-detail", pk=network.police.pk)))
    assert url("actor-detail", pk=network.person.pk) in page
    assert 'href="mailto:info@pz-lindenberg.example"' in page
    assert "Meets the coordinator every month." in page


@pytest.mark.django_db
def test_the_detail_queries_do_not_grow_with_the_roles(client, coordinator, network, lindenberg):
    client.force_login(coordinator)
    path = url("actor-detail", pk=network.police.pk)
    client.get(path)  # the first visit stores the municipality in the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    few = queries()
    for number in range(5):
        person = ActorFactory(municipality=lindenberg, person=True, organisation=network.police)
        RoleAssignmentFactory(actor=person, role=RoleType.OTHER)
        # Each new assignment of the same role ends the one before: a longer timeline.
        role_assign(
            actor=network.police,
            role=RoleType.OTHER,
            start=D(2020, 1, 1) + datetime.timedelta(days=30 * number),
            function_profile=f"Profile {number}",
            by=coordinator,
        )
    assert queries() == few


# --- Adding and editing ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_adds_an_actor_and_history_credits_them(
    client, coordinator, network, lindenberg, make_member
):
    member = make_member(Role.PROMOTOR, username="promotor-jeugd")
    client.force_login(coordinator)
    kind = shipped_kind("municipal_services")
    response = client.post(
        url("actor-create"),
        actor_data(
            form=ActorForm.PERSON,
            name="Sara Maes",
            kind=kind.pk,
            organisation=network.police.pk,
            function_title="Youth worker",
            email="sara@example.org",
            website="lindenberg.example",
            user=member.pk,
            reason="New youth service",
        ),
    )

    actor = Actor.objects.get(name="Sara Maes")
    assert response.status_code == 302
    assert response.url == url("actor-detail", pk=actor.pk)
    assert (actor.municipality, actor.kind, actor.organisation, actor.user) == (
        lindenberg,
        kind,
        network.police,
        member,
    )
    assert actor.website == "https://lindenberg.example"
    record = actor.history.get()
    assert (record.history_user_id, record.history_change_reason) == (
        coordinator.pk,
        "New youth service",
    )


@pytest.mark.django_db
def test_the_form_offers_only_this_municipalitys_kinds_organisations_and_users(
    client, coordinator, network, lindenberg, heidebeek, make_member, other_coordinator
):
    ours = actor_kind_create(
        municipality=lindenberg, by=None, code="ons", name_nl="Onze soort", category="core"
    )
    theirs = actor_kind_create(
        municipality=heidebeek, by=None, code="hun", name_nl="Hun soort", category="core"
    )
    their_org = ActorFactory(municipality=heidebeek, name="Heidebeekse Politie")
    linked = make_member(Role.VIEWER, username="linked")
    actor_update(actor=network.person, by=None, user=linked)
    client.force_login(coordinator)
    form = client.get(url("actor-create")).context["form"]

    kinds = set(form.fields["kind"].queryset)
    assert ours in kinds
    assert shipped_kind() in kinds
    assert theirs not in kinds
    assert list(form.fields["organisation"].queryset) == [network.police]  # not a person
    users = set(form.fields["user"].queryset)
    assert coordinator in users
    assert other_coordinator not in users  # not a member here
    assert linked not in users  # already linked to another actor
    assert their_org not in set(form.fields["organisation"].queryset)


def _invalid_choice(form_class, field):
    return form_class.base_fields[field].error_messages["invalid_choice"]


@pytest.mark.django_db
@pytest.mark.parametrize("forged", ["kind", "organisation", "user"])
def test_forged_choices_of_another_municipality_are_refused(
    client, coordinator, network, heidebeek, other_coordinator, forged
):
    """The server checks what the form offers: a value of another municipality posted by hand
    is refused and shown on the form."""
    theirs = {
        "kind": actor_kind_create(
            municipality=heidebeek, by=None, code="hun", name_nl="Hun soort", category="core"
        ).pk,
        "organisation": ActorFactory(municipality=heidebeek, name="Heidebeekse Politie").pk,
        "user": other_coordinator.pk,
    }[forged]
    client.force_login(coordinator)
    before = snapshot()
    data = actor_data(form=ActorForm.PERSON, name="Vervalst", kind=shipped_kind().pk)
    data[forged] = theirs

    response = client.post(url("actor-create"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    message = _invalid_choice(actor_forms.ActorForm, forged)
    if "%(value)s" in message:
        message = message % {"value": theirs}
    assert errors[forged] == [message]
    assert in_dutch(message) in text(response)
    assert 'role="alert"' in text(response)
    assert snapshot() == before


@pytest.mark.django_db
def test_only_a_person_gets_a_user_account_or_an_organisation(
    client, coordinator, network, lindenberg
):
    client.force_login(coordinator)
    before = snapshot()
    response = client.post(
        url("actor-create"),
        actor_data(
            form=ActorForm.ORGANISATION,
            name="Verkeerd",
            kind=shipped_kind().pk,
            organisation=network.police.pk,
            user=coordinator.pk,
        ),
    )
    errors = response.context["form"].errors
    assert errors["user"] == [str(USER_NEEDS_PERSON)]
    with pytest.raises(ValidationError) as model_says:
        Actor(
            municipality=lindenberg,
            form=ActorForm.ORGANISATION,
            kind=shipped_kind(),
            organisation=network.police,
        ).clean()
    assert errors["organisation"] == model_says.value.message_dict["organisation"]
    for message in (*errors["user"], *errors["organisation"]):
        assert in_dutch(message) in text(response)
    assert snapshot() == before


@pytest.mark.django_db
def test_an_organisation_with_people_does_not_become_a_person(client, coordinator, network):
    client.force_login(coordinator)
    before = snapshot()
    response = client.post(
        url("actor-edit", pk=network.police.pk),
        actor_data(network.police, form=ActorForm.PERSON),
    )
    assert response.context["form"].errors["form"] == [str(ORGANISATION_HAS_PEOPLE)]
    assert in_dutch(ORGANISATION_HAS_PEOPLE) in text(response)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_link_to_a_former_member_survives_an_unrelated_edit(
    client, coordinator, network, lindenberg, make_member
):
    """Only new links are limited to members: editing the notes of someone whose account left
    the municipality must not fail on the account."""
    former = make_member(Role.VIEWER, username="former")
    actor_update(actor=network.person, by=None, user=former)
    memberships_set_roles(municipality=lindenberg, user=former, roles=[], is_chair=False, by=None)
    client.force_login(coordinator)
    response = client.post(
        url("actor-edit", pk=network.person.pk),
        actor_data(Actor.objects.get(pk=network.person.pk), notes="Still in touch"),
    )
    assert response.status_code == 302
    network.person.refresh_from_db()
    assert (network.person.notes, network.person.user) == ("Still in touch", former)


@pytest.mark.django_db
def test_a_missing_name_is_shown_on_the_form(client, coordinator, lindenberg):
    client.force_login(coordinator)
    response = client.post(url("actor-create"), actor_data(kind=shipped_kind().pk))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert 'href="#id_name"' in text(response)


@pytest.mark.django_db
def test_the_coordinator_edits_an_actor_with_a_reason(client, coordinator, network):
    client.force_login(coordinator)
    form = client.get(url("actor-edit", pk=network.person.pk)).context["form"]
    assert form["version"].value() == latest_version(network.person)

    response = client.post(
        url("actor-edit", pk=network.person.pk),
        actor_data(network.person, function_title="Chief commissioner", reason="Promotion"),
    )

    assert response.status_code == 302
    assert response.url == url("actor-detail", pk=network.person.pk)
    network.person.refresh_from_db()
    assert network.person.function_title == "Chief commissioner"
    record = network.person.history.order_by("-history_id").first()
    assert (record.history_user_id, record.history_change_reason) == (coordinator.pk, "Promotion")


@pytest.mark.django_db
def test_an_edit_over_someone_elses_change_is_refused_and_keeps_the_input(
    client, coordinator, admin_user, network
):
    client.force_login(coordinator)
    loaded = actor_data(network.person)  # the version of when the form was opened
    actor_update(
        actor=Actor.objects.get(pk=network.person.pk), by=admin_user, phone="+32 9 999 99 99"
    )

    response = client.post(
        url("actor-edit", pk=network.person.pk), {**loaded, "notes": "Typed meanwhile"}
    )

    assert response.status_code == 200
    network.person.refresh_from_db()
    assert (network.person.phone, network.person.notes) == ("+32 9 999 99 99", "")
    page = text(response)
    assert in_dutch(EditConflict([]).message) in page
    assert "Typed meanwhile" in page
    assert escape("+32 9 999 99 99") in page  # what the other person changed
    # The form now carries the new version: saving again, knowingly, works.
    assert response.context["form"].data["version"] == latest_version(network.person)


@pytest.mark.django_db
def test_an_actor_is_deactivated_with_a_reason_and_reactivated(client, coordinator, network):
    client.force_login(coordinator)
    path = url("actor-active", pk=network.person.pk)
    page = text(client.get(path))
    assert in_dutch(RoleType.PROMOTOR.label) in page  # says which roles end

    response = client.post(path, {"action": "deactivate", "reason": "Retired"})

    assert response.status_code == 302
    network.person.refresh_from_db()
    network.current.refresh_from_db()
    assert network.person.active is False
    assert network.current.end == TODAY()
    record = network.person.history.order_by("-history_id").first()
    assert (record.history_user_id, record.history_change_reason) == (coordinator.pk, "Retired")
    assert network.current.history.order_by("-history_id").first().history_user_id == (
        coordinator.pk
    )
    # Posting the same again (a second tab, a double click) does not toggle back.
    records = network.person.history.count()
    client.post(path, {"action": "deactivate"})
    network.person.refresh_from_db()
    assert network.person.active is False
    assert network.person.history.count() == records

    client.post(path, {"action": "reactivate"})
    network.person.refresh_from_db()
    assert network.person.active is True
    assert network.person.history.order_by("-history_id").first().history_user_id == (
        coordinator.pk
    )


@pytest.mark.django_db
def test_there_is_no_delete(client, coordinator, network):
    client.force_login(coordinator)
    count = Actor.objects.count()
    for name in ("actor-detail", "actor-edit", "actor-active"):
        client.delete(url(name, pk=network.person.pk))
    assert Actor.objects.count() == count


# --- The history -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_history_shows_the_actor_and_its_roles_with_who_acted(
    client, coordinator, viewer, network
):
    client.force_login(coordinator)
    client.post(
        url("actor-edit", pk=network.person.pk),
        actor_data(network.person, phone="+32 9 000 00 00", reason="New number"),
    )
    client.force_login(viewer)

    response = client.get(url("actor-history", pk=network.person.pk))

    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.action for e in entries] == ["~", "+"]
    assert entries[0].who == str(coordinator)
    assert entries[0].reason == "New number"
    role_entries = response.context["role_entries"]
    assert {e.subject for e in role_entries} == {
        str(RoleType.PROMOTOR.label),
        str(RoleType.CORE_GROUP_MEMBER.label),
    }
    assert {e.who for e in role_entries} == {str(coordinator)}
    page = text(response)
    assert "<ins>+32 9 000 00 00</ins>" in page
    assert escape(network.current.function_profile) in page


# --- Roles -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_gives_a_role(client, coordinator, network):
    client.force_login(coordinator)
    response = client.post(
        url("role-create", pk=network.police.pk),
        {
            "role": RoleType.CORE_GROUP_MEMBER,
            "title": "Police in the kerngroep",
            "function_profile": "Represents the police zone.",
            "start": "01/02/2025",  # as a Belgian types it, where no date picker helps
            "reason": "Kerngroep founded",
        },
    )
    assert response.status_code == 302
    assignment = network.police.role_assignments.get()
    assert (assignment.start, assignment.end, assignment.title) == (
        D(2025, 2, 1),
        None,
        "Police in the kerngroep",
    )
    record = assignment.history.get()
    assert (record.history_user_id, record.history_change_reason) == (
        coordinator.pk,
        "Kerngroep founded",
    )


@pytest.mark.django_db
def test_giving_the_same_role_again_ends_the_old_one(client, coordinator, network):
    client.force_login(coordinator)
    start = TODAY()
    client.post(
        url("role-create", pk=network.person.pk),
        {"role": RoleType.PROMOTOR, "start": iso(start), "title": "Promotor nightlife"},
    )
    network.current.refresh_from_db()
    assert network.current.end == start - datetime.timedelta(days=1)
    new = network.person.role_assignments.get(end__isnull=True, role=RoleType.PROMOTOR)
    assert new.title == "Promotor nightlife"


@pytest.mark.django_db
def test_a_role_starting_before_the_current_one_is_refused_on_the_form(
    client, coordinator, network
):
    client.force_login(coordinator)
    before = snapshot()
    response = client.post(
        url("role-create", pk=network.person.pk),
        {"role": RoleType.PROMOTOR, "start": iso(network.current.start)},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["start"]
    assert [e.code for e in errors] == ["overlap"]
    assert in_dutch(errors[0].messages[0]) in text(response)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_role_ending_before_it_starts_is_refused_on_the_form(client, coordinator, network):
    client.force_login(coordinator)
    response = client.post(
        url("role-create", pk=network.police.pk),
        {"role": RoleType.OTHER, "start": "2025-03-01", "end": "2025-02-01"},
    )
    message = constraint_message(RoleAssignment, "roleassignment_end_after_start")
    assert response.context["form"].errors["end"] == [message]
    assert in_dutch(message) in text(response)
    assert not network.police.role_assignments.exists()


@pytest.mark.django_db
def test_an_inactive_actor_gets_no_role_and_the_form_says_why(client, coordinator, network):
    actor_set_active(actor=network.police, active=False, by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        url("role-create", pk=network.police.pk),
        {"role": RoleType.OTHER, "start": iso(TODAY())},
    )
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "inactive"
    assert in_dutch(error.messages[0]) in text(response)


@pytest.mark.django_db
def test_the_coordinator_ends_a_role(client, coordinator, network):
    client.force_login(coordinator)
    end = TODAY() - datetime.timedelta(days=1)
    response = client.post(
        url("role-end", pk=network.current.pk), {"end": iso(end), "reason": "Plan finished"}
    )
    assert response.status_code == 302
    assert response.url == url("actor-detail", pk=network.person.pk)
    network.current.refresh_from_db()
    assert network.current.end == end
    record = network.current.history.order_by("-history_id").first()
    assert (record.history_user_id, record.history_change_reason) == (
        coordinator.pk,
        "Plan finished",
    )


@pytest.mark.django_db
def test_a_role_cannot_end_before_it_started_or_end_twice(client, coordinator, network):
    client.force_login(coordinator)
    before = snapshot()
    early = network.current.start - datetime.timedelta(days=1)
    response = client.post(url("role-end", pk=network.current.pk), {"end": iso(early)})
    message = constraint_message(RoleAssignment, "roleassignment_end_after_start")
    assert response.context["form"].errors["end"] == [message]
    assert in_dutch(message) in text(response)

    response = client.post(url("role-end", pk=network.past.pk), {"end": iso(TODAY())})
    assert response.context["form"].non_field_errors() == [str(ROLE_ALREADY_ENDED)]
    assert in_dutch(ROLE_ALREADY_ENDED) in text(response)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_new_function_profile_ends_the_old_assignment_and_starts_a_new_one(
    client, coordinator, network
):
    client.force_login(coordinator)
    form = client.get(url("role-profile", pk=network.current.pk)).context["form"]
    assert form.initial["function_profile"] == network.current.function_profile
    start = TODAY()

    response = client.post(
        url("role-profile", pk=network.current.pk),
        {
            "title": "Promotor of the drugs and nightlife plans",
            "function_profile": "Leads two working groups.",
            "start": iso(start),
        },
    )

    assert response.status_code == 302
    network.current.refresh_from_db()
    assert network.current.end == start - datetime.timedelta(days=1)
    assert network.current.function_profile == "Leads the working group on drugs."
    new = network.person.role_assignments.get(role=RoleType.PROMOTOR, end__isnull=True)
    assert (new.start, new.function_profile) == (start, "Leads two working groups.")
    for assignment in (network.current, new):
        assert assignment.history.order_by("-history_id").first().history_user_id == (
            coordinator.pk
        )


@pytest.mark.django_db
def test_a_new_function_profile_needs_a_later_start_and_an_open_role(client, coordinator, network):
    client.force_login(coordinator)
    before = snapshot()
    response = client.post(
        url("role-profile", pk=network.current.pk),
        {"function_profile": "Too early", "start": iso(network.current.start)},
    )
    errors = response.context["form"].errors.as_data()["start"]
    assert [e.code for e in errors] == ["overlap"]
    assert in_dutch(errors[0].messages[0]) in text(response)

    response = client.post(
        url("role-profile", pk=network.past.pk),
        {"function_profile": "Revived", "start": iso(TODAY())},
    )
    assert response.context["form"].non_field_errors() == [str(PROFILE_NEEDS_OPEN_ROLE)]
    assert snapshot() == before


@pytest.mark.django_db
def test_who_held_a_role_on_a_date(client, viewer, coordinator, network, lindenberg):
    successor = ActorFactory(municipality=lindenberg, person=True, name="Els Wouters")
    role_assign(
        actor=successor,
        role=RoleType.CORE_GROUP_MEMBER,
        start=network.past.end + datetime.timedelta(days=1),
        by=coordinator,
    )
    client.force_login(viewer)

    def holders(day):
        response = client.get(
            url("who-held"), {"role": RoleType.CORE_GROUP_MEMBER, "date": iso(day)}
        )
        assert response.status_code == 200
        return [a.actor.name for a in response.context["holders"]]

    assert holders(network.past.start - datetime.timedelta(days=1)) == []
    assert holders(network.past.end) == ["Jan Peeters"]
    assert holders(network.past.end + datetime.timedelta(days=1)) == ["Els Wouters"]
    page = text(
        client.get(url("who-held"), {"role": RoleType.CORE_GROUP_MEMBER, "date": iso(TODAY())})
    )
    assert url("actor-detail", pk=successor.pk) in page
    assert 'data-label="' in page

    response = client.get(url("who-held"))
    assert "holders" not in response.context  # nothing asked yet
    response = client.get(url("who-held"), {"role": "nonsense", "date": "yesterday"})
    assert set(response.context["form"].errors) == {"role", "date"}
    assert 'role="alert"' in text(response)


# --- Kinds -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_municipality_adds_its_own_kind(client, coordinator, lindenberg, other_coordinator):
    client.force_login(coordinator)
    response = client.post(
        url("kind-create"),
        {
            "name_nl": "Festivalorganisatie",
            "name_fr": "Organisation de festival",
            "name_en": "Festival organiser",
            "category": ActorCategory.CONTRIBUTING,
        },
    )
    kind = ActorKind.objects.get(municipality=lindenberg, name_nl="Festivalorganisatie")
    assert response.status_code == 302
    assert response.url == url("actor-create") + f"?kind={kind.pk}"
    assert (kind.code, kind.category) == ("festival-organiser", ActorCategory.CONTRIBUTING)
    assert (kind.name_fr, kind.name_en) == ("Organisation de festival", "Festival organiser")
    assert kind.history.get().history_user_id == coordinator.pk
    # The new kind is chosen already on the form the page leads to ...
    form = client.get(response.url).context["form"]
    assert str(form["kind"].value()) == str(kind.pk)
    # ... and Heidebeek does not see it.
    client.force_login(other_coordinator)
    form = client.get(url("actor-create", municipality="heidebeek")).context["form"]
    assert kind not in form.fields["kind"].queryset


@pytest.mark.django_db
def test_a_kind_name_that_exists_is_refused(client, coordinator, lindenberg):
    client.force_login(coordinator)
    page = text(client.get(url("kind-create")))
    assert page.count('type="radio" name="category"') == len(ActorCategory.choices)  # no blank
    before = snapshot()
    response = client.post(
        url("kind-create"),
        {"name_nl": "lokale politie", "category": ActorCategory.CORE},
    )
    assert response.context["form"].errors["name_nl"] == [str(KIND_NAME_TAKEN)]
    assert in_dutch(KIND_NAME_TAKEN) in text(response)
    assert snapshot() == before


@pytest.mark.django_db
def test_two_kinds_with_similar_names_get_different_codes(client, coordinator, lindenberg):
    client.force_login(coordinator)
    for name in ("Buurtcomité", "Buurtcomite!"):
        client.post(url("kind-create"), {"name_nl": name, "category": ActorCategory.CORE})
    codes = set(ActorKind.objects.filter(municipality=lindenberg).values_list("code", flat=True))
    assert codes == {"buurtcomite", "buurtcomite-2"}
