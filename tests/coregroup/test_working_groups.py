"""Working groups: services, permissions per role, other municipalities, query counts and the
network picture."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import (
    reverse,
)
from django.utils.translation import gettext as _

import pytest

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create, actor_set_active
from coregroup import working_groups
from coregroup.models import WorkingGroup, WorkingGroupMembership
from coregroup.services import (
    ALREADY_ENDED,
    ALREADY_MEMBER,
    END_BEFORE_START,
    INACTIVE_MEMBER,
    INACTIVE_PROMOTOR,
    INACTIVE_WORKING_GROUP,
    NOT_OF_MUNICIPALITY,
    working_group_add_member,
    working_group_create,
    working_group_end_member,
    working_group_set_active,
    working_group_update,
)
from safetynet.constants import Role

D = datetime.date


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": municipality, **kwargs})


def person(municipality, name):
    return actor_create(
        municipality=municipality,
        by=None,
        form=ActorForm.PERSON,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
    )


@pytest.fixture
def promotor(lindenberg):
    return person(lindenberg, "Sofie Claes")


@pytest.fixture
def working_group(lindenberg, coordinator, promotor):
    return working_group_create(
        municipality=lindenberg,
        name="Verkeersveiligheid schoolomgeving",
        mandate="Een actieplan voor veilige schoolroutes.",
        promotor=promotor,
        by=coordinator,
    )


# --- Services ----------------------------------------------------------------------------------


def test_create_and_update_credit_the_acting_user(working_group, coordinator, lindenberg):
    assert working_group.history.get().history_user == coordinator
    assert working_group.history.get().history_change_reason == "Working group created"
    other = person(lindenberg, "Jan Peeters")
    working_group_update(
        working_group=working_group, name=" Schoolroutes ", promotor=other, by=coordinator
    )
    working_group.refresh_from_db()
    assert (working_group.name, working_group.promotor) == ("Schoolroutes", other)
    assert working_group.history.latest().history_user == coordinator
    with pytest.raises(ValueError, match="municipality"):
        working_group_update(working_group=working_group, municipality=None, by=coordinator)


def test_the_promotor_is_an_active_actor_of_the_municipality(
    lindenberg, heidebeek, coordinator, promotor
):
    stranger = person(heidebeek, "Elders")
    with pytest.raises(ValidationError) as refused:
        working_group_create(municipality=lindenberg, name="X", promotor=stranger, by=coordinator)
    assert refused.value.message_dict == {"promotor": [_(NOT_OF_MUNICIPALITY)]}
    actor_set_active(actor=promotor, active=False, by=coordinator)
    with pytest.raises(ValidationError) as refused:
        working_group_create(municipality=lindenberg, name="X", promotor=promotor, by=coordinator)
    assert refused.value.message_dict == {"promotor": [_(INACTIVE_PROMOTOR)]}
    assert not WorkingGroup.objects.exists()


def test_members_join_once_and_leave_dated(working_group, lindenberg, heidebeek, coordinator):
    member = person(lindenberg, "An Wouters")
    membership = working_group_add_member(
        working_group=working_group, actor=member, start=D(2024, 1, 1), by=coordinator
    )
    assert membership.history.get().history_user == coordinator
    with pytest.raises(ValidationError) as refused:
        working_group_add_member(
            working_group=working_group, actor=member, start=D(2024, 6, 1), by=coordinator
        )
    assert refused.value.message_dict == {"actor": [_(ALREADY_MEMBER)]}

    with pytest.raises(ValidationError) as refused:
        working_group_end_member(membership=membership, end=D(2023, 12, 31), by=coordinator)
    assert refused.value.message_dict == {"end": [_(END_BEFORE_START)]}
    working_group_end_member(membership=membership, end=D(2024, 12, 31), by=coordinator)
    membership.refresh_from_db()
    assert membership.end == D(2024, 12, 31)
    assert membership.history.latest().history_user == coordinator
    assert membership.history.latest().history_change_reason == "Member left"
    with pytest.raises(ValidationError) as refused:
        working_group_end_member(membership=membership, end=D(2025, 1, 1), by=coordinator)
    assert refused.value.messages == [_(ALREADY_ENDED)]

    # After leaving, the actor may join again: a new dated membership.
    working_group_add_member(
        working_group=working_group, actor=member, start=D(2025, 3, 1), by=coordinator
    )
    assert working_group.memberships.count() == 2


def test_a_membership_cannot_be_backdated_into_an_ended_one(working_group, lindenberg, coordinator):
    member = person(lindenberg, "An Wouters")
    first = working_group_add_member(
        working_group=working_group, actor=member, start=D(2024, 1, 1), by=coordinator
    )
    working_group_end_member(membership=first, end=D(2024, 12, 31), by=coordinator)
    with pytest.raises(ValidationError) as refused:
        working_group_add_member(
            working_group=working_group, actor=member, start=D(2024, 6, 1), by=coordinator
        )
    assert "31/12/2024" in refused.value.message_dict["start"][0]
    assert working_group.memberships.count() == 1


def test_only_active_actors_of_the_municipality_join_an_active_group(
    working_group, lindenberg, heidebeek, coordinator
):
    def refused_for(actor):
        with pytest.raises(ValidationError) as refused:
            working_group_add_member(
                working_group=working_group, actor=actor, start=D(2024, 1, 1), by=coordinator
            )
        return refused.value

    assert refused_for(person(heidebeek, "Elders")).message_dict == {
        "actor": [_(NOT_OF_MUNICIPALITY)]
    }
    inactive = person(lindenberg, "Weg")
    actor_set_active(actor=inactive, active=False, by=coordinator)
    assert refused_for(inactive).message_dict == {"actor": [_(INACTIVE_MEMBER)]}
    working_group_set_active(working_group=working_group, active=False, by=coordinator)
    assert working_group.history.latest().history_change_reason == "Working group closed"
    assert refused_for(person(lindenberg, "Nieuw")).messages == [_(INACTIVE_WORKING_GROUP)]
    assert not WorkingGroupMembership.objects.exists()


# --- Permissions -------------------------------------------------------------------------------

# (read, manage) per role
ROLE_STATUS = {
    Role.ADMIN: (200, 403),
    Role.COORDINATOR: (200, 302),
    Role.COLLEGE: (200, 403),
    Role.COUNCIL_SECRETARY: (200, 403),
    Role.CORE_GROUP: (200, 403),
    Role.PROMOTOR: (200, 403),
    Role.VIEWER: (200, 403),
}


@pytest.mark.django_db
def test_everyone_reads_and_the_coordinator_manages(client, role_users, working_group, lindenberg):
    assert set(ROLE_STATUS) == set(Role.values)
    pk = working_group.pk
    for role, (read, manage) in ROLE_STATUS.items():
        client.force_login(role_users[role])
        for name, kwargs in [
            ("working-group-list", {}),
            ("working-group-detail", {"pk": pk}),
            ("working-group-history", {"pk": pk}),
        ]:
            assert client.get(url(name, **kwargs)).status_code == read, (role, name)
        member = person(lindenberg, f"Lid {role}")
        writes = [
            (url("working-group-create"), {"name": f"Groep {role}"}),
            (url("working-group-update", pk=pk), {"name": working_group.name}),
            (url("working-group-member-add", pk=pk), {"actor": member.pk, "start": "2024-02-01"}),
        ]
        for path_, data in writes:
            assert client.post(path_, data).status_code == manage, (role, path_)
        membership = working_group.memberships.filter(actor=member).first()
        if membership is not None:
            response = client.post(
                url("working-group-member-end", pk=pk, membership_pk=membership.pk),
                {"end": "2024-03-01"},
            )
            assert response.status_code == manage, role
    # Only the coordinator's writes went through.
    assert WorkingGroup.objects.count() == 2
    assert working_group.memberships.filter(end__isnull=False).count() == 1


@pytest.mark.django_db
def test_another_municipality_gets_404(client, other_coordinator, working_group, heidebeek):
    pk = working_group.pk
    membership = working_group_add_member(
        working_group=working_group,
        actor=person(working_group.municipality, "An"),
        start=D(2024, 1, 1),
        by=None,
    )
    client.force_login(other_coordinator)
    for municipality in ["lindenberg", "heidebeek"]:  # Lindenberg's ids under Heidebeek too
        pages = [
            url("working-group-detail", municipality, pk=pk),
            url("working-group-update", municipality, pk=pk),
            url("working-group-history", municipality, pk=pk),
            url("working-group-member-add", municipality, pk=pk),
            url("working-group-member-end", municipality, pk=pk, membership_pk=membership.pk),
        ]
        for page in pages:
            assert client.get(page).status_code == 404, page
        posts = [
            (url("working-group-update", municipality, pk=pk), {"name": "Overgenomen"}),
            (url("working-group-active", municipality, pk=pk), {"active": "0"}),
            (
                url("working-group-member-add", municipality, pk=pk),
                {"actor": membership.actor.pk, "start": "2024-02-01"},
            ),
            (
                url("working-group-member-end", municipality, pk=pk, membership_pk=membership.pk),
                {"end": "2024-02-01"},
            ),
        ]
        for page, data in posts:
            assert client.post(page, data).status_code == 404, page
    assert client.get(url("working-group-list")).status_code == 404
    assert client.get(url("working-group-list", "heidebeek")).status_code == 200
    working_group.refresh_from_db()
    membership.refresh_from_db()
    assert (working_group.name, working_group.active, membership.end) == (
        "Verkeersveiligheid schoolomgeving",
        True,
        None,
    )


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_builds_a_working_group_through_the_pages(
    client, coordinator, lindenberg, promotor
):
    client.force_login(coordinator)
    response = client.post(
        url("working-group-create"),
        {"name": "Woninginbraken", "mandate": "Minder inbraken.", "promotor": promotor.pk},
    )
    working_group = WorkingGroup.objects.get()
    assert response.url == url("working-group-detail", pk=working_group.pk)
    member = person(lindenberg, "Karel Maes")
    response = client.post(
        url("working-group-member-add", pk=working_group.pk),
        {"actor": member.pk, "start": "2024-02-01"},
    )
    assert response.status_code == 302
    again = client.post(
        url("working-group-member-add", pk=working_group.pk),
        {"actor": member.pk, "start": "2024-03-01"},
    )
    assert again.status_code == 200
    assert again.context["form"].errors == {"actor": [_(ALREADY_MEMBER)]}

    page = client.get(url("working-group-detail", pk=working_group.pk)).content.decode()
    assert "Minder inbraken." in page
    assert (
        reverse("actors:actor-detail", kwargs={"municipality": "lindenberg", "pk": promotor.pk})
        in page
    )
    assert "Karel Maes" in page
    membership = working_group.memberships.get()
    end_url = url("working-group-member-end", pk=working_group.pk, membership_pk=membership.pk)
    assert end_url in page
    assert client.post(end_url, {"end": "2024-12-31"}).status_code == 302
    assert client.get(end_url).status_code == 404  # ended: nothing left to end

    history = client.get(url("working-group-history", pk=working_group.pk)).content.decode()
    assert "Karel Maes" in history
    assert str(coordinator) in history

    listing = client.get(url("working-group-list"), {"q": "inbraak"})
    assert [g.name for g in listing.context["working_groups"]] == []
    listing = client.get(url("working-group-list"), {"q": "inbraken"})
    assert [g.name for g in listing.context["working_groups"]] == ["Woninginbraken"]
    listing = client.get(url("working-group-list"), {"q": "Sofie"})  # by the promotor's name
    assert [g.name for g in listing.context["working_groups"]] == ["Woninginbraken"]


@pytest.mark.django_db
def test_a_reader_sees_no_management_links(client, viewer, working_group):
    client.force_login(viewer)
    page = client.get(url("working-group-detail", pk=working_group.pk)).content.decode()
    assert url("working-group-update", pk=working_group.pk) not in page
    assert url("working-group-member-add", pk=working_group.pk) not in page
    assert url("working-group-history", pk=working_group.pk) in page


@pytest.mark.django_db
def test_the_list_is_paginated(client, viewer, lindenberg, coordinator):
    for i in range(working_groups.PAGE_SIZE + 3):
        working_group_create(municipality=lindenberg, name=f"Groep {i:02d}", promotor=None, by=None)
    client.force_login(viewer)
    first = client.get(url("working-group-list"))
    assert len(first.context["working_groups"]) == working_groups.PAGE_SIZE
    second = client.get(url("working-group-list"), {"page": 2})
    assert len(second.context["working_groups"]) == 3


# --- Query counts ------------------------------------------------------------------------------


def _count(client, path_):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path_).status_code == 200
    return len(captured)


def _add_members(working_group, municipality, number, start=0):
    for i in range(start, start + number):
        working_group_add_member(
            working_group=working_group,
            actor=person(municipality, f"Lid {i:02d}"),
            start=D(2024, 1, 1),
            by=None,
        )


@pytest.mark.django_db
def test_pages_cost_the_same_with_3_or_30_members(client, coordinator, working_group, lindenberg):
    client.force_login(coordinator)
    detail = url("working-group-detail", pk=working_group.pk)
    listing = url("working-group-list")
    _add_members(working_group, lindenberg, 3)
    client.get(detail)  # session and caches warmed
    few = (_count(client, detail), _count(client, listing))
    _add_members(working_group, lindenberg, 27, start=3)
    for membership in working_group.memberships.all()[:5]:
        working_group_end_member(membership=membership, end=D(2024, 6, 1), by=None)
    for i in range(10):
        working_group_create(municipality=lindenberg, name=f"Groep {i}", promotor=None, by=None)
    assert working_group.memberships.count() == 30
    assert (_count(client, detail), _count(client, listing)) == few


@pytest.mark.django_db
def test_the_network_picture_costs_the_same_with_more_working_groups(
    client, coordinator, working_group, lindenberg
):
    client.force_login(coordinator)
    network = reverse("actors:network", kwargs={"municipality": "lindenberg"})
    _add_members(working_group, lindenberg, 3)
    client.get(network)
    few = _count(client, network)
    _add_members(working_group, lindenberg, 27, start=3)
    for i in range(5):
        other = working_group_create(
            municipality=lindenberg, name=f"Groep {i}", promotor=None, by=None
        )
        _add_members(other, lindenberg, 2, start=100 + 2 * i)
    assert _count(client, network) == few


# --- The network picture -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_network_picture_draws_the_working_group_and_its_members(
    client, coordinator, working_group, lindenberg
):
    for name in ["Marleen Peeters", "Luc Janssens"]:
        working_group_add_member(
            working_group=working_group,
            actor=person(lindenberg, name),
            start=D(2024, 1, 1),
            by=coordinator,
        )
    former = working_group_add_member(
        working_group=working_group,
        actor=person(lindenberg, "Oud Lid"),
        start=D(2023, 1, 1),
        by=coordinator,
    )
    working_group_end_member(membership=former, end=D(2023, 12, 31), by=coordinator)
    client.force_login(coordinator)
    svg = client.get(reverse("actors:network-svg", kwargs={"municipality": "lindenberg"}))
    assert working_group.name in svg.content.decode()
    page = client.get(reverse("actors:network", kwargs={"municipality": "lindenberg"}))
    structures = {
        s.structure.label: sorted(n.name for n in s.actors)
        for s in page.context["network"].structures
    }
    assert structures[working_group.name] == ["Luc Janssens", "Marleen Peeters"]

    # A closed working group is no longer drawn.
    working_group_set_active(working_group=working_group, active=False, by=coordinator)
    page = client.get(reverse("actors:network", kwargs={"municipality": "lindenberg"}))
    labels = {s.structure.label for s in page.context["network"].structures}
    assert working_group.name not in labels
