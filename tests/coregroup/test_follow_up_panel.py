"""The dashboard's follow-up panel (coregroup/panels.py): my open tasks due within two weeks or
overdue, and, for those who manage follow-up, the overdue tasks per municipality."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

import pytest

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create
from coregroup.constants import TaskStatus
from coregroup.services import (
    core_group_ensure,
    decision_record,
    meeting_schedule,
    task_add,
    task_set_status,
)
from safetynet.constants import Role
from tests.factories import MunicipalityFactory

PANEL = "coregroup/includes/panel_follow_up.html"
DASHBOARD = "/"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def person(municipality, name, user=None):
    actor = actor_create(
        municipality=municipality,
        by=None,
        form=ActorForm.PERSON,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
    )
    if user is not None:
        actor.user = user
        actor.save()
    return actor


def a_decision(municipality, by=None, text="Buurtpreventie uitbreiden"):
    meeting = meeting_schedule(
        core_group=core_group_ensure(municipality=municipality, by=by),
        starts_at=timezone.now() - datetime.timedelta(days=30),
        place="Gemeentehuis",
        agenda=["Buurtpreventie"],
        by=by,
        invite=False,
    )
    return decision_record(meeting=meeting, text=text, consensus=True, by=by)


def task(decision, description, assignee, due, status=TaskStatus.OPEN):
    made = task_add(decision=decision, description=description, assignee=assignee, due=due, by=None)
    if status != TaskStatus.OPEN:
        task_set_status(task=made, status=status, by=None)
    return made


def panel_of(response):
    """The follow-up panel's context on the dashboard, or None when it is left out."""
    assert response.status_code == 200
    found = [p["context"] for p in response.context["panels"] if p["template"] == PANEL]
    return found[0] if found else None


@pytest.fixture
def ingrid(make_member):
    """A kerngroep member whose account is linked to her actor."""
    return make_member(Role.CORE_GROUP, username="ingrid", first_name="Ingrid", last_name="Wouters")


@pytest.fixture
def ingrid_actor(lindenberg, ingrid):
    return person(lindenberg, "Ingrid Wouters", user=ingrid)


@pytest.fixture
def decision(lindenberg, coordinator):
    return a_decision(lindenberg, by=coordinator)


@pytest.mark.django_db
def test_my_open_tasks_due_within_two_weeks_are_shown_and_late_ones_marked(
    client, ingrid, ingrid_actor, decision, lindenberg
):
    soon = task(decision, "Camerabeelden opvragen", ingrid_actor, days(3))
    late = task(decision, "Buurtoverleg plannen", ingrid_actor, days(-2))
    edge = task(decision, "Folder verspreiden", ingrid_actor, days(14))
    busy = task(decision, "Wijkagent contacteren", ingrid_actor, days(1), TaskStatus.IN_PROGRESS)
    task(decision, "Affiches ophangen", ingrid_actor, days(1), TaskStatus.DONE)
    task(decision, "Infoavond houden", ingrid_actor, days(-5), TaskStatus.CANCELLED)
    task(decision, "Evaluatie schrijven", ingrid_actor, days(30))
    task(decision, "Andermans taak", person(lindenberg, "Karel Maes"), days(1))

    client.force_login(ingrid)
    response = client.get(DASHBOARD)
    panel = panel_of(response)
    assert panel["tasks"] == [late, busy, soon, edge]  # by due date
    assert [t.is_overdue for t in panel["tasks"]] == [True, False, False, False]
    assert panel["late"] == []  # a kerngroep member does not manage follow-up

    html = response.content.decode()
    assert 'id="panel-follow-up"' in html
    for description in ["Camerabeelden opvragen", "Buurtoverleg plannen", "Folder verspreiden"]:
        assert description in html
    for description in ["Affiches ophangen", "Infoavond houden", "Evaluatie schrijven"]:
        assert description not in html
    assert "Andermans taak" not in html
    with translation.override("nl"):
        assert html.count(f'<span class="tag warning">{gettext("overdue")}</span>') == 1
    meeting = reverse(
        "coregroup:meeting-detail",
        kwargs={"municipality": "lindenberg", "pk": decision.meeting_id},
    )
    assert f"{meeting}#decisions" in html  # she may open the meeting


@pytest.mark.django_db
def test_a_viewer_sees_their_task_without_a_link_to_a_meeting_they_may_not_see(
    client, viewer, decision, lindenberg
):
    mine = task(
        decision, "Straatverlichting melden", person(lindenberg, "Luc", user=viewer), days(2)
    )
    client.force_login(viewer)
    response = client.get(DASHBOARD)
    panel = panel_of(response)
    assert panel["tasks"] == [mine]
    assert panel["tasks"][0].may_open is False
    html = response.content.decode()
    assert "Straatverlichting melden" in html
    meeting = reverse(
        "coregroup:meeting-detail",
        kwargs={"municipality": "lindenberg", "pk": decision.meeting_id},
    )
    assert meeting not in html


@pytest.mark.django_db
def test_without_tasks_of_one_s_own_or_to_manage_there_is_no_panel(
    client, viewer, ingrid, ingrid_actor, decision, lindenberg
):
    # Overdue tasks of someone else: neither the viewer nor a kerngroep member manages them.
    task(decision, "Andermans taak", person(lindenberg, "Karel Maes"), days(-3))
    task(decision, "Later werk", ingrid_actor, days(30))
    for user in [viewer, ingrid]:
        client.force_login(user)
        response = client.get(DASHBOARD)
        assert panel_of(response) is None, user
        assert 'id="panel-follow-up"' not in response.content.decode()


@pytest.mark.django_db
def test_the_coordinator_sees_how_many_tasks_are_overdue_per_municipality(
    client, coordinator, make_member, decision, lindenberg, heidebeek
):
    make_member(Role.COORDINATOR, municipality=heidebeek, user=coordinator)
    karel = person(lindenberg, "Karel Maes")
    task(decision, "Camerabeelden opvragen", karel, days(-1))
    task(decision, "Buurtoverleg plannen", karel, days(-10), TaskStatus.IN_PROGRESS)
    task(decision, "Affiches ophangen", karel, days(-10), TaskStatus.DONE)
    task(decision, "Infoavond houden", karel, days(-10), TaskStatus.CANCELLED)
    task(decision, "Evaluatie schrijven", karel, days(5))  # not yet late
    task(a_decision(heidebeek), "Fietspaden nakijken", person(heidebeek, "Hilde Jacobs"), days(-4))
    zandhoven = MunicipalityFactory(name="Zandhoven", slug="zandhoven")  # not the coordinator's
    task(a_decision(zandhoven), "Elders te laat", person(zandhoven, "Jan Peeters"), days(-4))

    client.force_login(coordinator)
    response = client.get(DASHBOARD)
    panel = panel_of(response)
    assert panel["tasks"] == []  # none of them is the coordinator's own
    assert [(place.slug, count) for place, count in panel["late"]] == [
        ("heidebeek", 1),
        ("lindenberg", 2),
    ]
    html = response.content.decode()
    with translation.override("nl"):
        for place, count in [("Lindenberg", 2), ("Heidebeek", 1)]:
            text = ngettext(
                "%(name)s: %(counter)s follow-up task is overdue",
                "%(name)s: %(counter)s follow-up tasks are overdue",
                count,
            ) % {"name": place, "counter": count}
            link = reverse("coregroup:meeting-tasks", kwargs={"municipality": place.lower()})
            assert f'<a href="{link}?overdue=on">{text}</a>' in html, place
    assert "Zandhoven" not in html

    # The link's list shows just those two.
    listed = client.get(
        reverse("coregroup:meeting-tasks", kwargs={"municipality": "lindenberg"}),
        {"overdue": "on"},
    )
    assert sorted(t.description for t in listed.context["tasks"]) == [
        "Buurtoverleg plannen",
        "Camerabeelden opvragen",
    ]


@pytest.mark.django_db
def test_the_panel_costs_the_same_with_2_or_12_tasks(client, coordinator, lindenberg):
    mine = person(lindenberg, "Els Vermeulen", user=coordinator)
    karel = person(lindenberg, "Karel Maes")
    decision = a_decision(lindenberg)

    def add(start, number):
        for i in range(start, start + number):
            task(decision, f"Eigen taak {i}", mine, days(i % 10 - 3))
            task(decision, f"Taak van Karel {i}", karel, days(-1 - i))

    add(0, 2)
    client.force_login(coordinator)
    client.get(DASHBOARD)  # session and caches warmed

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(DASHBOARD)
        return len(captured), panel_of(response)

    few, panel = count()
    assert len(panel["tasks"]) == 2
    # Karel's two and my own two (due three and two days ago).
    assert [(place.slug, n) for place, n in panel["late"]] == [("lindenberg", 4)]
    add(2, 10)
    many, panel = count()
    assert len(panel["tasks"]) == 10  # the first ten by due date
    assert [(place.slug, n) for place, n in panel["late"]] == [("lindenberg", 12 + 5)]
    assert many == few
