"""The organogram: its drawing (server-side SVG), its units as an editable tree, the
coordinator's placement check, and who may see and change what."""

import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

import pytest

from actors.constants import ActorForm, OrgFunction, OrgLevel
from actors.models import ActorKind, OrgUnit
from actors.selectors import placement_checks
from actors.services import actor_create, org_unit_create, org_unit_update
from actors.svg import SVG_NAMESPACE, layout, organogram_svg
from safetynet.constants import Role

SVG = f"{{{SVG_NAMESPACE}}}"
LOGIN_URL = "/accounts/login/"
S, L, OP = OrgLevel.STRATEGIC, OrgLevel.LINKING, OrgLevel.OPERATIONAL


# --- Helpers (shared with test_appointment.py) -------------------------------------------------


def kind(code: str) -> ActorKind:
    return ActorKind.objects.get(code=code, municipality=None)


def make_actor(municipality, name, *, kind_code="coordinator", form=ActorForm.PERSON, **fields):
    return actor_create(
        municipality=municipality, by=None, form=form, name=name, kind=kind(kind_code), **fields
    )


def make_unit(municipality, name, level=OP, function=OrgFunction.OTHER, parent=None, **fields):
    return org_unit_create(
        municipality=municipality,
        by=None,
        name=name,
        level=level,
        function=function,
        parent=parent,
        **fields,
    )


def build_organogram(municipality, *, coordinator_under="secretary", direct_line=True):
    """Mayor → college → secretary, the coordinator (under the secretary or the mayor, or
    absent), a kerngroep, departments, project leaders and a working group."""
    mayor = make_unit(
        municipality,
        "Burgemeester",
        S,
        OrgFunction.MAYOR,
        holder=make_actor(municipality, "An Peeters", kind_code="municipal_government"),
        order=1,
    )
    college = make_unit(municipality, "College", S, OrgFunction.COLLEGE, mayor, order=2)
    make_unit(municipality, "Kerngroep", S, OrgFunction.KERNGROEP, mayor, order=3)
    units = {"mayor": mayor, "college": college}
    if coordinator_under != "mayor":
        units["secretary"] = make_unit(
            municipality, "Algemeen directeur", S, OrgFunction.SECRETARY, college
        )
        make_unit(
            municipality, "Departement Welzijn", OP, OrgFunction.DEPARTMENT, units["secretary"]
        )
    if coordinator_under:
        units["coordinator"] = make_unit(
            municipality,
            "Coördinator integrale veiligheid",
            L,
            OrgFunction.COORDINATOR,
            units[coordinator_under],
            is_staff=coordinator_under == "secretary",
            direct_line_to=mayor if direct_line else None,
            holder=make_actor(municipality, "Sofie Claes"),
        )
        make_unit(
            municipality, "Projectleiders", OP, OrgFunction.PROJECT_LEADERS, units["coordinator"]
        )
        make_unit(
            municipality, "Werkgroep jeugd", OP, OrgFunction.WORKING_GROUP, units["coordinator"]
        )
    return units


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """The pages in English, the source language, whatever the catalogues hold."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"actors:{name}", kwargs={"municipality": municipality, **kwargs})


def parse_svg(text: str) -> ET.Element:
    root = ET.fromstring(text.encode())  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    return root


def all_text(root: ET.Element) -> str:
    return " ".join(root.itertext())


def units_of(municipality) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(municipality=municipality)
        .select_related("holder")
        .order_by("order", "name")
    )


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


# --- The drawing -------------------------------------------------------------------------------


def test_the_svg_is_valid_xml_with_every_unit_title_and_description(lindenberg, coordinator):
    build_organogram(lindenberg)
    tricky = make_unit(
        lindenberg,
        "<b>Dienst & \"Co\" 'x'</b>\x0b",
        OP,
        holder=make_actor(lindenberg, "<script>alert(1)</script> & zoon"),
    )
    units = units_of(lindenberg)

    root = parse_svg(organogram_svg(units, title="Organogram <Lindenberg>", standalone=True))

    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Organogram <Lindenberg>"
    assert root.get("aria-labelledby") == title.get("id")
    assert desc.get("id") in root.get("aria-describedby").split()
    assert desc.text
    text = all_text(root)
    for unit in units:
        assert unit.name.replace("\x0b", "") in text, unit.name
    assert "<script>alert(1)</script> & zoon" in text  # as text, never as markup
    assert root.find(f".//{SVG}script") is None
    assert root.find(f".//{SVG}b") is None
    # Each unit is a group with its full description as a tooltip.
    group = root.find(f".//{SVG}g[@id='organogram-unit-{tricky.pk}']")
    assert group.find(f"{SVG}title").text.startswith("<b>Dienst & \"Co\" 'x'</b>")


def test_the_download_is_an_svg_file(client, lindenberg, viewer):
    build_organogram(lindenberg)
    client.force_login(viewer)

    response = client.get(url("organogram-svg"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "organogram-lindenberg.svg" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = parse_svg(body)
    assert "Coördinator integrale veiligheid" in all_text(root)
    assert root.find(f"{SVG}title").text == "Organogram of Lindenberg"


def test_an_empty_organogram_draws_a_valid_svg_that_says_so(lindenberg):
    root = parse_svg(organogram_svg([], title="Leeg"))
    assert "The organogram has no units yet." in all_text(root)


def test_the_layout_puts_levels_in_bands_staff_beside_and_direct_lines_dashed(lindenberg):
    units = build_organogram(lindenberg)
    beside = make_unit(lindenberg, "Secretariaat", S, parent=units["college"], is_staff=True)
    all_units = units_of(lindenberg)
    plan = layout(all_units)
    boxes = plan.boxes

    # Bands from the top: strategic, linking, operational; nobody sits above its parent.
    by_level = {
        level: [b.y for b in boxes.values() if b.unit.level == level] for level in (S, L, OP)
    }
    assert max(by_level[S]) < min(by_level[L])
    assert max(by_level[L]) < min(by_level[OP])
    for box in boxes.values():
        if box.unit.parent_id:
            assert boxes[box.unit.parent_id].y <= box.y
    # A staff function without units of its own: on its parent's row, to its right.
    college = boxes[units["college"].pk]
    assert boxes[beside.pk].y == college.y
    assert boxes[beside.pk].left > college.right
    # No two boxes overlap.
    placed = list(boxes.values())
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            assert a.y != b.y or a.right <= b.left or b.right <= a.left, (a.unit, b.unit)

    root = parse_svg(organogram_svg(all_units, title="t"))
    (direct,) = root.findall(f".//{SVG}path[@class='direct-line']")
    assert direct.get("stroke-dasharray")
    assert "Burgemeester" in direct.find(f"{SVG}title").text
    assert len(root.findall(f".//{SVG}path[@class='staff-line']")) == 2
    bands = [g.get("class") for g in root.findall(f".//{SVG}g") if "band" in g.get("class", "")]
    assert bands == ["band band-strategic", "band band-linking", "band band-operational"]


def test_a_unit_is_never_drawn_above_the_unit_it_is_under(lindenberg):
    department = make_unit(lindenberg, "Departement", OP, OrgFunction.DEPARTMENT)
    odd = make_unit(lindenberg, "Strategisch onder operationeel", S, parent=department)
    boxes = layout(units_of(lindenberg)).boxes
    assert boxes[odd.pk].y > boxes[department.pk].y
    assert boxes[odd.pk].band == boxes[department.pk].band


def test_a_cycle_in_stored_data_still_draws(lindenberg):
    units = build_organogram(lindenberg)
    working_group = OrgUnit.objects.get(name="Werkgroep jeugd")
    # Data the model refuses (clean() forbids cycles), as an old import might have left it.
    OrgUnit.objects.filter(pk=units["mayor"].pk).update(parent=working_group)
    all_units = units_of(lindenberg)
    root = parse_svg(organogram_svg(all_units, title="t"))
    assert all(unit.name in all_text(root) for unit in all_units)


def test_the_page_shows_the_drawing_with_the_tree_list_as_its_text_alternative(
    client, lindenberg, viewer
):
    build_organogram(lindenberg)
    make_unit(lindenberg, "<b>&", OP)
    client.force_login(viewer)

    response = client.get(url("organogram"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="img"' in page
    assert 'aria-describedby="organogram-desc organogram-units"' in page
    assert '<ul class="org-tree" id="organogram-units">' in page
    assert "<strong>&lt;b&gt;&amp;</strong>" in page
    assert "<b>&" not in page
    # The tree list nests: the working group is inside the coordinator's list item.
    tree = page[page.index('id="organogram-units"') :]
    assert tree.index("Coördinator integrale veiligheid") < tree.index("Werkgroep jeugd")
    # Read-only for a viewer.
    assert url("orgunit-create") not in page
    assert "/edit/" not in page


def test_the_coordinator_sees_the_tree_as_editable(client, lindenberg, coordinator):
    units = build_organogram(lindenberg)
    client.force_login(coordinator)
    page = client.get(url("organogram")).content.decode()
    assert url("orgunit-create") in page
    assert url("orgunit-edit", pk=units["mayor"].pk) in page
    assert url("orgunit-delete", pk=units["mayor"].pk) in page


# --- The placement check -----------------------------------------------------------------------


def test_placement_under_the_secretary_with_a_direct_line_meets_everything(
    client, lindenberg, viewer
):
    build_organogram(lindenberg, coordinator_under="secretary", direct_line=True)
    checks = placement_checks(units_of(lindenberg))
    assert [c.met for c in checks] == [True, True, True]

    client.force_login(viewer)
    for name in ("organogram", "appointment"):
        response = client.get(url(name))
        page = response.content.decode()
        assert [c.met for c in response.context["checks"]] == [True, True, True]
        assert page.count('<span class="placement-status">met</span>') == 3
        assert "not met" not in page


def test_placement_under_the_mayor_without_a_secretary(client, lindenberg, viewer):
    build_organogram(lindenberg, coordinator_under="mayor", direct_line=False)
    high, direct, linking = placement_checks(units_of(lindenberg))
    assert not high.met
    assert direct.met  # directly under the mayor is a direct line
    assert linking.met

    client.force_login(viewer)
    page = client.get(url("organogram")).content.decode()
    assert page.count('<span class="placement-status">not met</span>') == 1
    assert escape(high.explanation) in page
    assert '<span class="placement-icon" aria-hidden="true">✘</span>' in page


def test_without_a_coordinator_unit_the_page_says_how_to_add_one(
    client, lindenberg, viewer, coordinator
):
    build_organogram(lindenberg, coordinator_under=None)
    assert placement_checks(units_of(lindenberg)) == []

    client.force_login(coordinator)
    page = client.get(url("organogram")).content.decode()
    assert "no unit for the coordinator yet" in page
    add = url("orgunit-create") + "?function=coordinator&amp;level=linking"
    assert add in page
    form = client.get(url("orgunit-create") + "?function=coordinator&level=linking").context["form"]
    assert (form["function"].value(), form["level"].value()) == ("coordinator", "linking")

    client.force_login(viewer)
    page = client.get(url("appointment")).content.decode()
    assert "no unit for the coordinator yet" in page
    assert add not in page


def test_the_placement_follows_the_organogram_when_it_changes(client, lindenberg, coordinator):
    units = build_organogram(lindenberg)
    client.force_login(coordinator)
    unit = units["coordinator"]
    response = client.post(
        url("orgunit-edit", pk=unit.pk),
        unit_form_data(unit, parent=units["mayor"].pk, direct_line_to=""),
    )
    assert response.status_code == 302
    response = client.get(url("organogram"))
    assert [c.met for c in response.context["checks"]] == [False, True, True]


# --- Units: create, edit, delete ---------------------------------------------------------------


def unit_form_data(unit=None, **changes) -> dict:
    data = {
        "name": unit.name if unit else "",
        "parent": unit.parent_id or "" if unit else "",
        "level": unit.level if unit else OP,
        "function": unit.function if unit else OrgFunction.OTHER,
        "holder": unit.holder_id or "" if unit else "",
        "direct_line_to": unit.direct_line_to_id or "" if unit else "",
        "order": unit.order if unit else 100,
    }
    if unit and unit.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def test_the_coordinator_adds_a_unit_with_history(client, lindenberg, coordinator):
    units = build_organogram(lindenberg)
    holder = make_actor(lindenberg, "Jeroen Maes")
    client.force_login(coordinator)

    response = client.post(
        url("orgunit-create"),
        unit_form_data(
            name="Werkgroep woninginbraak",
            parent=units["coordinator"].pk,
            function=OrgFunction.WORKING_GROUP,
            holder=holder.pk,
        ),
    )

    unit = OrgUnit.objects.get(name="Werkgroep woninginbraak")
    assert response.status_code == 302
    assert response.url == url("organogram") + f"#unit-{unit.pk}"
    assert (unit.municipality, unit.parent, unit.holder) == (
        lindenberg,
        units["coordinator"],
        holder,
    )
    record = unit.history.get()
    assert record.history_user == coordinator
    assert record.history_change_reason == "Unit added to the organogram"


def test_the_unit_form_offers_only_this_municipality_s_units_and_actors(
    client, lindenberg, heidebeek, coordinator
):
    units = build_organogram(lindenberg)
    foreign_unit = make_unit(heidebeek, "Burgemeester Heidebeek", S, OrgFunction.MAYOR)
    foreign_actor = make_actor(heidebeek, "Hilde Vermeulen")
    client.force_login(coordinator)

    form = client.get(url("orgunit-edit", pk=units["coordinator"].pk)).context["form"]
    parents = set(form.fields["parent"].queryset)
    assert foreign_unit not in parents
    assert units["mayor"] in parents
    assert foreign_actor not in set(form.fields["holder"].queryset)

    response = client.post(
        url("orgunit-create"),
        unit_form_data(name="Indringer", parent=foreign_unit.pk, holder=foreign_actor.pk),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"parent", "holder"}
    assert not OrgUnit.objects.filter(name="Indringer").exists()


def test_a_cycle_is_refused(client, lindenberg, coordinator):
    units = build_organogram(lindenberg)
    mayor = units["mayor"]
    working_group = OrgUnit.objects.get(name="Werkgroep jeugd")
    client.force_login(coordinator)

    # The form does not even offer the unit itself or its own units as its parent...
    form = client.get(url("orgunit-edit", pk=mayor.pk)).context["form"]
    assert set(form.fields["parent"].queryset) == set()  # everything else is under the mayor
    form = client.get(url("orgunit-edit", pk=units["coordinator"].pk)).context["form"]
    offered = set(form.fields["parent"].queryset)
    assert units["coordinator"] not in offered
    assert working_group not in offered
    assert units["secretary"] in offered

    # ...a forged post is refused with the message shown...
    response = client.post(
        url("orgunit-edit", pk=mayor.pk), unit_form_data(mayor, parent=working_group.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert 'class="form-errors" role="alert"' in response.content.decode()
    mayor.refresh_from_db()
    assert mayor.parent is None

    # ...and the model refuses it in the service too.
    with pytest.raises(ValidationError) as refused:
        org_unit_update(unit=mayor, by=coordinator, parent=working_group)
    assert "parent" in refused.value.message_dict
    assert OrgUnit.objects.get(pk=mayor.pk).parent_id is None


def test_a_unit_cannot_be_under_itself(client, lindenberg, coordinator):
    unit = make_unit(lindenberg, "Alleen", S)
    client.force_login(coordinator)
    response = client.post(url("orgunit-edit", pk=unit.pk), unit_form_data(unit, parent=unit.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert OrgUnit.objects.get(pk=unit.pk).parent_id is None


def test_the_coordinator_edits_a_unit(client, lindenberg, coordinator):
    units = build_organogram(lindenberg)
    unit = units["college"]
    client.force_login(coordinator)
    response = client.post(
        url("orgunit-edit", pk=unit.pk), unit_form_data(unit, name="College van B&S")
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "College van B&S"
    assert unit.history.latest("history_id").history_user == coordinator


def test_deleting_a_unit_with_units_under_it_is_refused(client, lindenberg, coordinator):
    units = build_organogram(lindenberg)
    client.force_login(coordinator)

    page = client.get(url("orgunit-delete", pk=units["coordinator"].pk)).content.decode()
    assert "move or remove them first" in page
    response = client.post(url("orgunit-delete", pk=units["coordinator"].pk), follow=True)

    assert response.redirect_chain[-1][0] == url("organogram") + f"#unit-{units['coordinator'].pk}"
    assert OrgUnit.objects.filter(pk=units["coordinator"].pk).exists()
    (message,) = list(response.context["messages"])
    assert message.level_tag == "error"
    assert "Coördinator integrale veiligheid" in str(message)


def test_deleting_a_leaf_unit_keeps_it_in_history_and_clears_direct_lines(
    client, lindenberg, coordinator
):
    units = build_organogram(lindenberg)
    leaf = OrgUnit.objects.get(name="Werkgroep jeugd")
    line_to_leaf = make_unit(lindenberg, "Wijkteam", OP, direct_line_to=leaf)
    client.force_login(coordinator)

    response = client.post(url("orgunit-delete", pk=leaf.pk))

    assert response.status_code == 302
    assert not OrgUnit.objects.filter(pk=leaf.pk).exists()
    record = OrgUnit.history.filter(id=leaf.pk).latest("history_id")
    assert (record.history_type, record.history_user) == ("-", coordinator)
    line_to_leaf.refresh_from_db()
    assert line_to_leaf.direct_line_to is None
    assert OrgUnit.objects.filter(pk=units["coordinator"].pk).exists()


# --- Who may see and change what ---------------------------------------------------------------


def all_paths(unit_pk):
    return {
        "organogram": url("organogram"),
        "organogram-svg": url("organogram-svg"),
        "orgunit-create": url("orgunit-create"),
        "orgunit-edit": url("orgunit-edit", pk=unit_pk),
        "orgunit-delete": url("orgunit-delete", pk=unit_pk),
        "appointment": url("appointment"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "organogram",
        "organogram-svg",
        "orgunit-create",
        "orgunit-edit",
        "orgunit-delete",
        "appointment",
    ],
)
def test_anonymous_is_sent_to_the_login_page(client, lindenberg, name):
    unit = make_unit(lindenberg, "Burgemeester", S, OrgFunction.MAYOR)
    path = all_paths(unit.pk)[name]
    for response in (client.get(path), client.post(path, {"name": "x"})):
        assert response.status_code == 302
        assert response.url.startswith(LOGIN_URL + "?next=")
    assert OrgUnit.objects.get(pk=unit.pk).name == "Burgemeester"


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
# Coordinator and admin edit the organogram; every other member of Lindenberg reads it.
#                   admin coord college secretary core  promotor viewer
ROLE_MATRIX = {
    "organogram": (200, 200, 200, 200, 200, 200, 200),
    "organogram-svg": (200, 200, 200, 200, 200, 200, 200),
    "appointment": (200, 200, 200, 200, 200, 200, 200),
    "orgunit-create": (200, 200, 403, 403, 403, 403, 403),
    "orgunit-edit": (200, 200, 403, 403, 403, 403, 403),
    "orgunit-delete": (200, 200, 403, 403, 403, 403, 403),
}


def test_the_matrix_names_every_role_and_page():
    assert sorted(MATRIX_ROLES) == sorted(Role.values)
    assert set(ROLE_MATRIX) == set(all_paths(1))


@pytest.mark.parametrize("name", ROLE_MATRIX)
def test_role_matrix(client, role_users, lindenberg, name):
    unit = make_unit(lindenberg, "Burgemeester", S, OrgFunction.MAYOR)
    path = all_paths(unit.pk)[name]
    for role, expected in zip(MATRIX_ROLES, ROLE_MATRIX[name], strict=True):
        client.force_login(role_users[role])
        assert client.get(path).status_code == expected, (name, role)


@pytest.mark.parametrize("role", [r for r in Role.values if r not in (A, C)])
def test_readers_cannot_change_the_organogram(client, role_users, lindenberg, role):
    units = build_organogram(lindenberg)
    leaf = OrgUnit.objects.get(name="Werkgroep jeugd")
    before = sorted(OrgUnit.objects.values_list("pk", "name", "parent_id"))
    client.force_login(role_users[role])

    page = client.get(url("organogram")).content.decode()
    assert url("orgunit-create") not in page
    responses = [
        client.post(url("orgunit-create"), unit_form_data(name="Nieuw")),
        client.post(url("orgunit-edit", pk=leaf.pk), unit_form_data(leaf, name="Anders")),
        client.post(url("orgunit-delete", pk=leaf.pk)),
        client.post(url("orgunit-delete", pk=units["mayor"].pk)),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert sorted(OrgUnit.objects.values_list("pk", "name", "parent_id")) == before


def test_the_coordinator_of_heidebeek_gets_404_for_everything_of_lindenberg(
    client, lindenberg, heidebeek, other_coordinator
):
    units = build_organogram(lindenberg)
    leaf = OrgUnit.objects.get(name="Werkgroep jeugd")
    before = sorted(OrgUnit.objects.values_list("pk", "name", "parent_id", "municipality_id"))
    client.force_login(other_coordinator)

    for path in all_paths(leaf.pk).values():
        assert client.get(path).status_code == 404, path
        assert client.post(path, unit_form_data(leaf, name="Overgenomen")).status_code == 404, path
    # Lindenberg's ids under Heidebeek's own address: still nothing.
    for pk in (leaf.pk, units["mayor"].pk):
        for name in ("orgunit-edit", "orgunit-delete"):
            path = url(name, municipality="heidebeek", pk=pk)
            assert client.get(path).status_code == 404, path
            assert client.post(path, unit_form_data(leaf, name="Overgenomen")).status_code == 404
    # Heidebeek's own pages work, and show nothing of Lindenberg.
    response = client.get(url("organogram", municipality="heidebeek"))
    assert response.status_code == 200
    assert "Burgemeester" not in response.content.decode()
    assert client.get(url("organogram-svg", municipality="heidebeek")).status_code == 200
    assert (
        sorted(OrgUnit.objects.values_list("pk", "name", "parent_id", "municipality_id")) == before
    )


# --- Queries -----------------------------------------------------------------------------------


def grow(municipality, total):
    """Add units until the organogram has ``total``: a tree three wide and a few levels deep,
    with a coordinator, holders, staff functions and direct lines."""
    units = list(OrgUnit.objects.filter(municipality=municipality).order_by("pk"))
    while len(units) < total:
        index = len(units)
        if index == 0:
            units.append(make_unit(municipality, "Burgemeester", S, OrgFunction.MAYOR))
            continue
        units.append(
            make_unit(
                municipality,
                f"Eenheid {index}",
                L if index == 1 else OP,
                OrgFunction.COORDINATOR if index == 1 else OrgFunction.WORKING_GROUP,
                units[(index - 1) // 3],
                holder=make_actor(municipality, f"Houder {index}") if index % 3 == 0 else None,
                is_staff=index % 7 == 0,
                direct_line_to=units[0] if index % 5 == 1 else None,
            )
        )
    return units


def test_queries_do_not_grow_with_the_number_of_units(client, lindenberg, coordinator):
    unit = grow(lindenberg, 5)[-1]
    client.force_login(coordinator)
    paths = all_paths(unit.pk)
    client.get(url("organogram"))  # warm up: session, content types
    small = {name: count_queries(client, path) for name, path in paths.items()}

    grow(lindenberg, 60)
    assert OrgUnit.objects.filter(municipality=lindenberg).count() == 60
    large = {name: count_queries(client, path) for name, path in paths.items()}

    assert large == small
    response = client.get(url("organogram"))
    assert (
        len(response.context["outline"]) == OrgUnit.objects.filter(municipality=lindenberg).count()
    )
