"""The promotors' follow-up board (a plans page the kerngroep page links to): who is on it,
what it shows, who may see it, and a query count that does not grow with promotors or tasks."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from actors.constants import ActorForm, RoleType
from actors.models import ActorKind
from actors.services import actor_create, role_assign, role_end
from coregroup.constants import TaskStatus
from coregroup.services import (
    core_group_ensure,
    decision_record,
    meeting_schedule,
    task_add,
    task_set_status,
    working_group_create,
    working_group_set_active,
)
from safetynet.constants import Role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def board_url(municipality="lindenberg", **query):
    url = reverse("plans:follow-up", kwargs={"municipality": municipality})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def person(municipality, name):
    return actor_create(
        municipality=municipality,
        by=None,
        form=ActorForm.PERSON,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
    )


def promotor(municipality, name, by=None):
    actor = person(municipality, name)
    role_assign(actor=actor, role=RoleType.PROMOTOR, start=TODAY - 30 * DAY, by=by)
    return actor


@pytest.fixture
def decision(lindenberg, coordinator):
    meeting = meeting_schedule(
        core_group=core_group_ensure(municipality=lindenberg, by=coordinator),
        starts_at=timezone.now() - 10 * DAY,
        place="Stadhuis",
        agenda=[],
        by=coordinator,
        invite=False,
    )
    return decision_record(meeting=meeting, text="Buurtpreventie", consensus=True, by=coordinator)


def rows(response):
    return {row.actor.name: row for row in response.context["rows"]}


def test_the_board_lists_promotors_with_what_they_lead_and_owe(
    client, lindenberg, coordinator, decision
):
    sofie = promotor(lindenberg, "Sofie Claes")
    lead = person(lindenberg, "Jan Maes")  # no role, but leads a working group
    working_group_create(
        municipality=lindenberg, name="Schoolomgeving", mandate="", promotor=lead, by=coordinator
    )
    former = promotor(lindenberg, "Oud-promotor")
    role_end(assignment=former.role_assignments.get(), end=TODAY - DAY, by=coordinator)
    person(lindenberg, "Geen promotor")
    late = task_add(
        decision=decision, description="Folder", assignee=sofie, due=TODAY - DAY, by=coordinator
    )
    task_add(
        decision=decision, description="Brief", assignee=sofie, due=TODAY + DAY, by=coordinator
    )
    done = task_add(
        decision=decision, description="Klaar", assignee=sofie, due=TODAY - DAY, by=coordinator
    )
    task_set_status(task=done, status=TaskStatus.DONE, by=coordinator)

    client.force_login(coordinator)
    response = client.get(board_url())
    assert response.status_code == 200
    found = rows(response)
    assert set(found) == {"Sofie Claes", "Jan Maes"}
    assert [task.description for task in found["Sofie Claes"].tasks] == ["Folder", "Brief"]
    assert found["Sofie Claes"].overdue == [late]
    assert [group.name for group in found["Jan Maes"].working_groups] == ["Schoolomgeving"]
    assert rows(client.get(board_url(q="maes"))).keys() == {"Jan Maes"}


def test_a_closed_working_group_does_not_make_a_promotor(client, lindenberg, coordinator):
    lead = person(lindenberg, "Jan Maes")
    group = working_group_create(
        municipality=lindenberg, name="Oud", mandate="", promotor=lead, by=coordinator
    )
    working_group_set_active(working_group=group, active=False, by=coordinator)
    client.force_login(coordinator)
    assert rows(client.get(board_url())) == {}


def test_the_kerngroep_page_links_to_the_board_for_those_who_may_see_it(
    client, lindenberg, coordinator, make_member
):
    core_group_ensure(municipality=lindenberg, by=coordinator)
    composition = reverse("coregroup:composition", kwargs={"municipality": "lindenberg"})
    client.force_login(coordinator)
    assert board_url() in client.get(composition).content.decode()
    client.force_login(make_member(Role.VIEWER))
    assert board_url() not in client.get(composition).content.decode()


def test_who_may_see_the_board(client, make_member, other_coordinator, coordinator):
    client.force_login(make_member(Role.CORE_GROUP))
    assert client.get(board_url()).status_code == 200
    client.force_login(make_member(Role.VIEWER))
    assert client.get(board_url()).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(board_url()).status_code == 404
    client.logout()
    assert client.get(board_url()).status_code == 302


def test_the_board_costs_the_same_with_more_promotors_and_tasks(
    client, lindenberg, coordinator, decision, django_assert_num_queries
):
    def grow(n, start):
        for i in range(start, start + n):
            actor = promotor(lindenberg, f"Promotor {i:02}")
            working_group_create(
                municipality=lindenberg, name=f"Groep {i}", mandate="", promotor=actor, by=None
            )
            for j in range(3):
                task_add(
                    decision=decision, description=f"Taak {j}", assignee=actor, due=TODAY, by=None
                )

    grow(2, 0)
    client.force_login(coordinator)
    client.get(board_url())  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(board_url())
    grow(20, 2)
    with django_assert_num_queries(len(few)):
        response = client.get(board_url())
    assert len(response.context["rows"]) == 22
    assert sum(len(row.tasks) for row in response.context["rows"]) == 66


def test_the_board_shows_the_action_plans_of_the_plan_in_steering(client, lindenberg, coordinator):
    from plans.constants import ActionPlanStatus, PlanState
    from plans.models import ActionPlan, Goal, Plan
    from plans.services import item_add, plan_create

    tom = person(lindenberg, "Tom Wouters")  # no role: promoting an action plan is enough
    plan = plan_create(
        municipality=lindenberg, by=coordinator, title="Plan", period_start=2024, period_end=2029
    )
    goal = item_add(item=Goal(plan=plan, title="Minder drugsoverlast"), by=coordinator)
    late = item_add(
        item=ActionPlan(goal=goal, title="Straathoekwerk", promotor=tom, end=TODAY - DAY),
        by=coordinator,
    )
    item_add(
        item=ActionPlan(
            goal=goal,
            title="Afgerond",
            promotor=tom,
            end=TODAY - DAY,
            status=ActionPlanStatus.DONE,
        ),
        by=coordinator,
    )
    client.force_login(coordinator)
    assert "Tom Wouters" not in rows(client.get(board_url()))  # a draft is not followed up

    Plan.objects.filter(pk=plan.pk).update(state=PlanState.STEERING)
    row = rows(client.get(board_url()))["Tom Wouters"]
    assert [ap.title for ap in row.action_plans] == ["Straathoekwerk", "Afgerond"]
    assert row.overdue == [late]
