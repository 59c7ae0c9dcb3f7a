"""Bad input on the actors' forms (the registry, roles, kinds, the import, the organogram, the
coordinator's appointment, the network's gaps): never a 500, a refusal says why and stores
nothing, what is accepted is stored as typed and shown escaped (tests/bad_input.py)."""

from django.urls import reverse

import pytest
from hypothesis import strategies as st

from actors.constants import ActorCategory, AppointmentOption, OrgLevel, RoleType
from actors.models import ActorKind
from actors.views.network import DismissForm
from tests.bad_input import FormCase, run_case
from tests.bad_input_world import World
from tests.strategies import PAYLOADS, nasty_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(lindenberg, heidebeek, make_member, client):
    return World(lindenberg, heidebeek, make_member, client)


def page(name, **kwargs):
    return reverse(f"actors:{name}", kwargs={"municipality": "lindenberg", **kwargs})


def drawings():
    """The pages and drawings that show actors' and units' names."""
    return [
        page("actor-list"),
        page("network"),
        page("network-svg"),
        page("gaps"),
        page("organogram"),
        page("organogram-svg"),
    ]


def csv_file(*rows) -> bytes:
    header = "External key;Name;Organisation or person;Kind code\r\n"
    return (header + "".join(";".join(row) + "\r\n" for row in rows)).encode("utf-8-sig")


def import_files():
    """CSV files with nasty names in them, and files of every wrong kind."""
    names = st.sampled_from(PAYLOADS + ["Buurtwacht"])
    rows = st.lists(
        st.tuples(
            st.sampled_from(["", "X1", "safetynet:1", "safetynet:999999", "=cmd|' /C calc'!A0"]),
            names,
            st.sampled_from(["organisation", "person", "", "<b>"]),
            st.sampled_from(["organisations", "local_police", "", "nope"]),
        ),
        min_size=1,
        max_size=3,
    )
    return st.one_of(rows.map(lambda r: ("actors.csv", csv_file(*r))), nasty_file())


CASES = [
    FormCase(
        "actor-create",
        route="actors:actor-create",
        url=lambda w: page("actor-create"),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("actor-create")),
        accepted=lambda w: {
            "form": "organisation",
            "name": "Buurtinformatienetwerk",
            "kind": str(ActorKind.objects.get(municipality=None, code="local_police").pk),
        },
        shows=lambda w: drawings(),
    ),
    FormCase(
        "actor-edit",
        route="actors:actor-edit",
        url=lambda w: page("actor-edit", pk=w.actor.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("actor-edit", pk=w.actor.pk)),
        shows=lambda w: [page("actor-history", pk=w.actor.pk), *drawings()],
    ),
    FormCase(
        "actor-active",
        route="actors:actor-active",
        url=lambda w: page("actor-active", pk=w.person.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("actor-active", pk=w.person.pk)),
        shows=lambda w: [page("actor-history", pk=w.person.pk)],
    ),
    FormCase(
        "role-create",
        route="actors:role-create",
        url=lambda w: page("role-create", pk=w.person.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("role-create", pk=w.person.pk)),
        accepted=lambda w: {"role": RoleType.WORKING_GROUP_MEMBER, "start": "2025-01-01"},
        shows=lambda w: [page("actor-detail", pk=w.person.pk), page("who-held")],
    ),
    FormCase(
        "role-end",
        route="actors:role-end",
        url=lambda w: page("role-end", pk=w.role.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("role-end", pk=w.role.pk)),
        shows=lambda w: [page("actor-history", pk=w.person.pk)],
    ),
    FormCase(
        "role-profile",
        route="actors:role-profile",
        url=lambda w: page("role-profile", pk=w.role.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("role-profile", pk=w.role.pk)),
        accepted=lambda w: {"start": "2025-06-01"},
        shows=lambda w: [page("actor-detail", pk=w.person.pk)],
    ),
    FormCase(
        "kind-create",
        route="actors:kind-create",
        url=lambda w: page("kind-create"),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("kind-create")),
        accepted=lambda w: {"name_nl": "Buurtwacht", "category": ActorCategory.CONTRIBUTING},
        shows=lambda w: [page("actor-create"), page("gaps")],
    ),
    FormCase(
        "import",
        route="actors:actors-import",
        url=lambda w: page("actors-import"),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("actors-import")),
        accepted=lambda w: {
            "file": ("actors.csv", csv_file(("X1", "Buurtwacht", "organisation", "organisations")))
        },
        fields=lambda w: {"file": import_files()},
        shows=lambda w: [page("actor-list")],
    ),
    FormCase(
        "orgunit-create",
        route="actors:orgunit-create",
        url=lambda w: page("orgunit-create"),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("orgunit-create")),
        accepted=lambda w: {"name": "Dienst preventie", "level": OrgLevel.OPERATIONAL},
        shows=lambda w: drawings(),
    ),
    FormCase(
        "orgunit-edit",
        route="actors:orgunit-edit",
        url=lambda w: page("orgunit-edit", pk=w.unit.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("orgunit-edit", pk=w.unit.pk)),
        shows=lambda w: drawings(),
    ),
    FormCase(
        "orgunit-delete",
        route="actors:orgunit-delete",
        url=lambda w: page("orgunit-delete", pk=w.unit.pk),
        user=lambda w: w.coordinator,
    ),
    FormCase(
        "appointment",
        route="actors:appointment",
        url=lambda w: page("appointment"),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("appointment")),
        accepted=lambda w: {
            "option": AppointmentOption.NEW_FUNCTION,
            "actor": str(w.person.pk),
            "start": "2026-01-01",
        },
        shows=lambda w: [page("organogram")],
    ),
    FormCase(
        "gaps-dismiss",
        route="actors:gaps-dismiss",
        url=lambda w: page("gaps-dismiss", rule_pk=w.rules[0].pk),
        user=lambda w: w.coordinator,
        form=lambda w: DismissForm(),
        accepted=lambda w: {"reason": "Het station is gesloten"},
    ),
    FormCase(
        "gaps-restore",
        route="actors:gaps-restore",
        url=lambda w: (w.rules, page("gaps-restore", pk=w.dismissal.pk))[1],
        user=lambda w: w.coordinator,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input(client, world, case):
    run_case(client, case, world)
