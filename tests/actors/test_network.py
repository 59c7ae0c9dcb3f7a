"""The network picture: the SVG (valid XML, the actors, their links and structures), its text
alternative, the queries it costs, and who may see it."""

import datetime
import xml.etree.ElementTree as ET

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from actors.constants import ActorForm, OrgLevel, RoleType
from actors.models import Actor, ActorKind
from actors.network_svg import (
    StructureKind,
    build_network,
    network_svg,
    structure_prefetches,
    structures_of,
)
from actors.selectors import actor_list, current_roles, kinds_for
from actors.services import (
    actor_create,
    actor_set_active,
    org_unit_create,
    role_assign,
    role_end,
)
from safetynet.constants import Role

SVG = "{http://www.w3.org/2000/svg}"
LOGIN_URL = "/accounts/login/"
D = datetime.date


def kind(code):
    return ActorKind.objects.get(code=code, municipality=None)


def add_actor(municipality, by, name, kind_code, **fields):
    fields.setdefault("form", ActorForm.ORGANISATION)
    return actor_create(municipality=municipality, by=by, name=name, kind=kind(kind_code), **fields)


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"actors:{name}", kwargs={"municipality": municipality, **kwargs})


def detail_url(actor):
    return reverse(
        "actors:actor-detail", kwargs={"municipality": actor.municipality.slug, "pk": actor.pk}
    )


def login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def parse(content: bytes | str) -> ET.Element:
    # Our own output; raises on anything that is not well-formed XML.
    root = ET.fromstring(content)  # noqa: S314
    assert root.tag == f"{SVG}svg"
    return root


def links(root) -> dict[str, str]:
    """``{href: the link's title}`` for every link in the picture."""
    return {a.get("href"): a.find(f"{SVG}title").text for a in root.iter(f"{SVG}a")}


@pytest.fixture
def network(lindenberg, coordinator):
    """A small network: a mayor in the organogram, a core group member, a promotor, an actor in no
    structure, one that is inactive, and a Heidebeek actor that must not appear."""
    mayor = add_actor(
        lindenberg, coordinator, "Burgemeester Peeters", "municipal_government", form="person"
    )
    police = add_actor(lindenberg, coordinator, "Politiezone Lindenberg", "local_police")
    youth = add_actor(lindenberg, coordinator, "Jeugdhuis De Kelder", "population")
    alone = add_actor(lindenberg, coordinator, "Handelaarsvereniging Centrum", "organisations")
    gone = add_actor(lindenberg, coordinator, "Opgeheven dienst", "municipal_services")
    actor_set_active(actor=gone, active=False, by=coordinator)
    org_unit_create(
        municipality=lindenberg,
        by=coordinator,
        name="Burgemeester",
        level=OrgLevel.STRATEGIC,
        holder=mayor,
    )
    role_assign(actor=police, role=RoleType.CORE_GROUP_MEMBER, start=D(2024, 1, 1), by=coordinator)
    role_assign(actor=mayor, role=RoleType.CORE_GROUP_MEMBER, start=D(2024, 1, 1), by=coordinator)
    role_assign(actor=youth, role=RoleType.PROMOTOR, start=D(2024, 1, 1), by=coordinator)
    return {"mayor": mayor, "police": police, "youth": youth, "alone": alone, "gone": gone}


# --- The picture -------------------------------------------------------------------------------


def test_the_svg_is_valid_xml_with_every_active_actor_as_a_link(
    client, viewer, network, heidebeek, coordinator
):
    add_actor(heidebeek, coordinator, "Politie Heidebeek", "local_police")
    login(client, viewer)
    response = client.get(url("network-svg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = parse(response.content)

    found = links(root)
    for name in ("mayor", "police", "youth", "alone"):
        actor = network[name]
        assert detail_url(actor) in found, name
        assert found[detail_url(actor)].startswith(actor.name)
    assert detail_url(network["gone"]) not in found  # inactive
    assert len(found) == 4  # nothing of Heidebeek
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Politie Heidebeek" not in texts


def test_the_svg_describes_itself_and_scales(client, viewer, network):
    login(client, viewer)
    root = parse(client.get(url("network-svg")).content)
    # A group, not an image: it holds links (an image's content is presentational).
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "network-title"
    assert root.get("aria-describedby") == "network-desc"
    assert root.find(f"{SVG}title").text == "The safety network of Lindenberg"
    description = root.find(f"{SVG}desc").text
    assert "4 active actors" in description
    assert "3 structures" in description
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert float(root.get("width")) == width
    assert float(root.get("height")) == height


def test_the_svg_draws_the_structures_and_a_line_for_each_seat(client, viewer, network):
    login(client, viewer)
    root = parse(client.get(url("network-svg")).content)
    structures = {
        g.find(f"{SVG}title").text: g
        for g in root.iter(f"{SVG}g")
        if "network-structure" in (g.get("class") or "")
    }
    labels = {title.rsplit(" (", 1)[0] for title in structures}
    assert labels == {"Burgemeester", "Core group members", "Project leaders (promotors)"}
    (lines,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "network-lines"]
    # mayor: unit and core group; police: core group; youth: promotor
    assert len(lines.findall(f"{SVG}path")) == 4


def test_names_are_escaped_and_control_characters_dropped(client, coordinator, lindenberg):
    nasty = 'Jeugd & "Co" <script>alert(1)</script>\x0b'
    actor = add_actor(lindenberg, coordinator, nasty, "population")
    role_assign(actor=actor, role=RoleType.OTHER, start=D(2024, 1, 1), by=coordinator)
    login(client, coordinator)
    response = client.get(url("network-svg"))
    assert b"<script>" not in response.content
    root = parse(response.content)
    assert links(root)[detail_url(actor)].startswith('Jeugd & "Co" <script>alert(1)</script>')

    page = client.get(url("network")).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_long_names_are_cut_in_the_box_and_whole_in_the_title(client, coordinator, lindenberg):
    long_name = "Vereniging voor " + "zeer " * 20 + "lange namen"
    actor = add_actor(lindenberg, coordinator, long_name, "organisations")
    login(client, coordinator)
    root = parse(client.get(url("network-svg")).content)
    (link,) = [a for a in root.iter(f"{SVG}a") if a.get("href") == detail_url(actor)]
    assert link.find(f"{SVG}title").text.startswith(long_name)
    shown = link.find(f"{SVG}text").text
    assert shown.endswith("…")
    assert len(shown) < len(long_name)


def test_kinds_without_actors_show_as_gaps(client, coordinator, network):
    login(client, coordinator)
    root = parse(client.get(url("network-svg")).content)
    kinds = [g for g in root.iter(f"{SVG}g") if g.get("class") == "network-kind"]
    assert len(kinds) == ActorKind.objects.filter(municipality=None).count()
    empty = [g for g in kinds if g.find(f"{SVG}rect").get("stroke-dasharray")]
    assert {g.find(f"{SVG}title").text for g in empty} >= {kind("prevention_service").name}


def test_the_page_holds_the_picture_and_its_text_alternative(client, viewer, network):
    login(client, viewer)
    response = client.get(url("network"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<figure class="network-figure">' in page
    assert 'class="network-scroll" tabindex="0" role="region"' in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "<?xml" not in page  # inline, no declaration
    assert url("network-svg") in page

    structures = {group.structure.label: group for group in response.context["network"].structures}
    assert [node.actor for node in structures["Core group members"].actors] == [
        network["mayor"],
        network["police"],
    ]
    assert [node.actor for node in structures["Burgemeester"].actors] == [network["mayor"]]
    unattached = [node.actor for node in response.context["network"].unattached]
    assert unattached == [network["alone"]]
    # The text alternative: each structure with links to its actors.
    alternative = page[page.index('id="network-list-heading"') :]
    for label in ("Burgemeester", "Core group members", "Project leaders (promotors)"):
        assert label in alternative
    for name in ("mayor", "police", "youth", "alone"):
        assert f'href="{detail_url(network[name])}"' in alternative
    assert "In no structure yet" in alternative


def test_an_empty_network_says_so(client, coordinator, lindenberg):
    login(client, coordinator)
    page = client.get(url("network")).content.decode()
    assert "The network has no active actors yet." in page
    root = parse(client.get(url("network-svg")).content)  # still a valid picture
    assert links(root) == {}


# --- Structures --------------------------------------------------------------------------------


def test_structures_of_an_actor_are_its_units_and_current_roles(coordinator, lindenberg, viewer):
    actor = add_actor(lindenberg, coordinator, "Coördinator", "coordinator", form="person")
    org_unit_create(
        municipality=lindenberg,
        by=coordinator,
        name="Coördinator integrale veiligheid",
        level=OrgLevel.LINKING,
        holder=actor,
    )
    role_assign(actor=actor, role=RoleType.COORDINATOR, start=D(2023, 1, 1), by=coordinator)
    ended = role_assign(actor=actor, role=RoleType.PROMOTOR, start=D(2022, 1, 1), by=coordinator)
    role_end(assignment=ended, end=D(2022, 12, 31), by=coordinator)
    future = D.today() + datetime.timedelta(days=30)
    role_assign(actor=actor, role=RoleType.WORKING_GROUP_MEMBER, start=future, by=coordinator)

    loaded = (
        Actor.objects.filter(pk=actor.pk)
        .prefetch_related(current_roles(), *structure_prefetches())
        .get()
    )
    structures = structures_of(loaded)
    assert [(s.kind, s.label) for s in structures] == [
        (StructureKind.ORG_UNIT, "Coördinator integrale veiligheid"),
        (StructureKind.ROLE, "Coordinators of integral security"),
    ]


def test_the_drawing_alone(coordinator, lindenberg, viewer, network):
    actors = actor_list(user=viewer, municipality=lindenberg, active=True, sort="kind")
    built = build_network(
        actors.prefetch_related(*structure_prefetches()),
        kinds_for(lindenberg),
        lambda actor: f"/a/{actor.pk}/",
    )
    assert built.actor_count == 4
    core, contributing = built.categories
    assert core.category == "core"
    assert contributing.category == "contributing"
    assert core.actor_count == 2
    assert contributing.actor_count == 2
    root = parse(network_svg(built, title="T", standalone=True))
    assert set(links(root)) == {f"/a/{network[name].pk}/" for name in network if name != "gone"}


# --- Queries -----------------------------------------------------------------------------------


def _make_network(municipality, by, count, offset=0):
    kinds = list(ActorKind.objects.filter(municipality=None))
    for number in range(offset, offset + count):
        actor = add_actor(municipality, by, f"Actor {number:04d}", kinds[number % len(kinds)].code)
        if number % 3 == 0:
            role_assign(
                actor=actor,
                role=[RoleType.CORE_GROUP_MEMBER, RoleType.PROMOTOR][number % 2],
                start=D(2024, 1, 1),
                by=by,
            )
        if number % 10 == 0:
            org_unit_create(
                municipality=municipality,
                by=by,
                name=f"Unit {number}",
                level=OrgLevel.OPERATIONAL,
                holder=actor,
            )


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["network", "network-svg"])
def test_queries_do_not_grow_with_the_actors(client, coordinator, lindenberg, name):
    _make_network(lindenberg, coordinator, 10)
    login(client, coordinator)
    client.get(url(name))  # the session settles on the municipality
    few = _queries(client, url(name))

    _make_network(lindenberg, coordinator, 190, offset=10)
    assert Actor.objects.filter(municipality=lindenberg, active=True).count() == 200
    many = _queries(client, url(name))
    assert many == few
    response = client.get(url(name))
    if name == "network":
        assert response.context["network"].actor_count == 200
    else:
        assert len(links(parse(response.content))) == 200


# --- Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["network", "network-svg"])
def test_every_member_sees_the_picture(client, role_users, network, name):
    for role in Role.values:
        login(client, role_users[role])
        assert client.get(url(name)).status_code == 200, role


@pytest.mark.parametrize("name", ["network", "network-svg"])
def test_anonymous_is_sent_to_the_login_page(client, lindenberg, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL + "?next=")


@pytest.mark.parametrize("name", ["network", "network-svg"])
def test_the_coordinator_of_heidebeek_gets_404(client, other_coordinator, network, name):
    login(client, other_coordinator)
    assert client.get(url(name)).status_code == 404
    assert client.post(url(name)).status_code == 404
