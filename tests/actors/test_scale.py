"""The issue's scale rule: the actor list with 1,000 actors and the network picture render with a
number of queries that does not grow with the number of actors."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from actors.constants import ActorForm, RoleType
from actors.models import Actor, ActorKind, RoleAssignment


def _add_actors(municipality, count, start=0):
    kinds = list(ActorKind.objects.filter(municipality=None))
    actors = Actor.objects.bulk_create(
        Actor(
            municipality=municipality,
            form=ActorForm.PERSON if i % 2 else ActorForm.ORGANISATION,
            name=f"Actor {start + i:04d}",
            kind=kinds[i % len(kinds)],
        )
        for i in range(count)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(actor=actor, role=RoleType.WORKING_GROUP_MEMBER, start="2024-01-01")
        for actor in actors[::3]
    )


def _queries(client, path):
    client.get(path)  # the first page of a visit fills the session; count the next one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["actors:actor-list", "actors:network", "actors:network-svg"])
def test_a_thousand_actors_cost_no_more_queries_than_ten(client, coordinator, lindenberg, name):
    client.force_login(coordinator)
    path = reverse(name, kwargs={"municipality": "lindenberg"})
    _add_actors(lindenberg, 10)
    few = _queries(client, path)
    _add_actors(lindenberg, 990, start=10)
    assert Actor.objects.filter(municipality=lindenberg).count() == 1000
    assert _queries(client, path) == few
