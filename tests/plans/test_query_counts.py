"""The plan pages issue a number of queries that does not grow with the data (DESIGN.md, "Scale"):
each page is measured on a small case after a warm-up request, then must cost exactly as much on
a case ten times larger.

The large plans are bulk-built (no history, no services) for speed; every item still gets its
order, promotor, partners, results with indicators, actions and resources, as a real plan would."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

import pytest

from actors.constants import RoleType
from actors.services import role_assign
from coregroup.services import (
    core_group_ensure,
    decision_record,
    meeting_schedule,
    task_add,
    working_group_create,
)
from plans.constants import (
    Availability,
    FundingSource,
    IndicatorType,
    Objectivity,
    PlanState,
    ResourceKind,
    VoteChoice,
)
from plans.models import (
    Action,
    ActionPlan,
    ActionPlanPartner,
    ActionPlanUserObjectPermission,
    ExpectedResult,
    Goal,
    GoalPhenomenon,
    Indicator,
    Phenomenon,
    Plan,
    Resource,
)
from plans.services import plan_submit_to_college, vote_cast
from safetynet.constants import Role
from tests.budget_support import count_of
from tests.plans.pages_support import (
    D,
    add_action,
    add_action_plan,
    add_goal,
    add_indicator,
    add_resource,
    add_result,
    discuss,
    new_plan,
    person,
    plan_page,
    ready_plan,
    submit,
)

pytestmark = pytest.mark.django_db


def big_plan(municipality, by, action_plans: int, promotors: list, partners: list, title: str):
    """A plan with ``action_plans`` action plans spread over strategic and operational goals,
    each with a promotor, two partners, two expected results (one indicator each), two actions
    and two resources. Bulk-built; orders set as the services would."""
    plan = new_plan(municipality, by, title=title)
    phenomena = list(Phenomenon.objects.filter(municipality=None).order_by("order"))
    strategic = Goal.objects.bulk_create(
        [
            Goal(plan=plan, title=f"Strategisch {i}", order=i)
            for i in range(max(2, action_plans // 20))
        ]
    )
    operational = Goal.objects.bulk_create(
        [
            Goal(plan=plan, parent=goal, title=f"Operationeel {i}.{j}", order=j)
            for i, goal in enumerate(strategic)
            for j in range(2)
        ]
    )
    goals = strategic + operational
    GoalPhenomenon.objects.bulk_create(
        [
            GoalPhenomenon(goal=goal, phenomenon=phenomena[(i + k) % len(phenomena)])
            for i, goal in enumerate(goals)
            for k in range(2)
        ]
    )
    items = ActionPlan.objects.bulk_create(
        [
            ActionPlan(
                goal=goals[i % len(goals)],
                order=i // len(goals),
                title=f"Actieplan {i}",
                description="Beschrijving",
                promotor=promotors[i % len(promotors)],
                start=D(2026, 1, 1),
                end=D(2028, 12, 31),
            )
            for i in range(action_plans)
        ]
    )
    ActionPlanPartner.objects.bulk_create(
        [
            ActionPlanPartner(action_plan=ap, actor=partners[(i + k) % len(partners)])
            for i, ap in enumerate(items)
            for k in range(2)
        ]
    )
    results = ExpectedResult.objects.bulk_create(
        [
            ExpectedResult(action_plan=ap, text=f"Resultaat {ap.pk}.{k}", order=k)
            for ap in items
            for k in range(2)
        ]
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                expected_result=result,
                name=f"Indicator {result.pk}",
                type=IndicatorType.OUTPUT,
                objectivity=Objectivity.OBJECTIVE,
                baseline=Decimal(10),
                target=Decimal(5),
                unit="%",
            )
            for result in results
        ]
    )
    Action.objects.bulk_create(
        [
            Action(action_plan=ap, title=f"Actie {ap.pk}.{k}", order=k, due=D(2026, 9, 1))
            for ap in items
            for k in range(2)
        ]
    )
    Resource.objects.bulk_create(
        [
            Resource(
                action_plan=ap,
                order=k,
                kind=[ResourceKind.BUDGET, ResourceKind.STAFF][k],
                amount=Decimal("1000.50") if k == 0 else Decimal("0.5"),
                unit=["EUR", "FTE"][k],
                availability=[Availability.AVAILABLE, Availability.REQUIRED][k],
                funding_source=FundingSource.FEDERAL if k == 0 else "",
            )
            for ap in items
            for k in range(2)
        ]
    )
    plan.action_plans = items
    return plan


def grant(user, action_plans):
    """The personal grants the services give a promotor on their own action plans."""
    permission = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(ActionPlan), codename="change_actionplan"
    )
    ActionPlanUserObjectPermission.objects.bulk_create(
        [
            ActionPlanUserObjectPermission(user=user, permission=permission, content_object=ap)
            for ap in action_plans
        ]
    )


@pytest.fixture
def cast(lindenberg, coordinator, make_member):
    """Promotors (one logs in), partners, and a viewer."""
    promotor_user = make_member(Role.PROMOTOR, username="promotor")
    promotors = [person(lindenberg, "Sofie Claes", user=promotor_user)]
    promotors += [person(lindenberg, f"Promotor {i}") for i in range(4)]
    partners = [person(lindenberg, f"Partner {i}") for i in range(6)]
    return {
        "coordinator": coordinator,
        "promotor": promotor_user,
        "viewer": make_member(Role.VIEWER),
        "promotors": promotors,
        "partners": partners,
    }


@pytest.mark.parametrize("who", ["coordinator", "promotor", "viewer"])
def test_the_plan_page_costs_the_same_for_20_and_200_action_plans(
    client, lindenberg, cast, who, django_assert_num_queries
):
    coordinator = cast["coordinator"]
    small = big_plan(lindenberg, coordinator, 20, cast["promotors"], cast["partners"], "Klein")
    large = big_plan(lindenberg, coordinator, 200, cast["promotors"], cast["partners"], "Groot")
    mine = cast["promotors"][0]
    for plan in (small, large):
        grant(cast["promotor"], [ap for ap in plan.action_plans if ap.promotor_id == mine.pk])

    client.force_login(cast[who])
    queries = count_of(client, plan_page("plan-detail", small))
    url = plan_page("plan-detail", large)  # before counting: it reads the plan's municipality
    with django_assert_num_queries(queries):
        response = client.get(url)
    content = response.context["content"]
    assert content.action_plan_count == 200
    assert len(response.context["content"].goals) == 10
    html = response.content.decode()
    assert "Actieplan 199" in html
    assert f"Indicator {ExpectedResult.objects.latest('pk').pk}" in html
    editable = sum(
        ap.may_edit
        for g in content.goals
        for x in [g, *g.children]
        for ap in x.current_action_plans
    )
    assert editable == {"coordinator": 200, "promotor": 40, "viewer": 0}[who]


def test_the_vote_page_costs_the_same_for_3_and_9_electors(
    client, lindenberg, coordinator, make_member, django_assert_num_queries
):
    college = [make_member(Role.COLLEGE, is_chair=i == 0) for i in range(3)]
    small = ready_plan(lindenberg, coordinator, title="Klein")
    small_round = submit(small, coordinator)
    college += [make_member(Role.COLLEGE) for _ in range(6)]
    large = ready_plan(lindenberg, coordinator, title="Groot")
    large_round = submit(large, coordinator)
    for vote_round, electors in ((small_round, college[:3]), (large_round, college)):
        for i, member in enumerate(electors[:-1]):  # all but one: the round stays open
            choice = [VoteChoice.APPROVE, VoteChoice.REJECT, VoteChoice.ABSTAIN][i % 3]
            vote_cast(vote_round=vote_round, member=member, choice=choice, comment=f"Stem {i}")
    assert large_round.electors.count() == 9
    assert large_round.votes.count() == 8

    for reader in (college[0], coordinator):  # an elector who voted; someone who sees the votes
        client.force_login(reader)
        queries = count_of(client, plan_page("vote", small))
        url = plan_page("vote", large)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.context["voted"] == 8
        assert len(response.context["electors"]) == 9
        assert "Stem 7" in response.content.decode()
        # The plan page lists the rounds with how each member voted.
        queries = count_of(client, plan_page("plan-detail", small))
        url = plan_page("plan-detail", large)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert len(response.context["decisions"]["rounds"][0].rows) == 9


def test_the_vote_page_costs_the_same_for_a_plan_ten_times_larger(
    client, lindenberg, cast, make_member, django_assert_num_queries
):
    """The page renders the stored snapshot: its size costs no query."""
    coordinator = cast["coordinator"]
    chair = make_member(Role.COLLEGE, is_chair=True)
    plans = []
    for size in (20, 200):
        plan = big_plan(lindenberg, coordinator, size, cast["promotors"], cast["partners"], "P")
        discuss(plan, coordinator)
        deadline = timezone.now() + datetime.timedelta(days=7)
        plan_submit_to_college(plan=plan, by=coordinator, deadline=deadline)
        plans.append(plan)
    client.force_login(chair)
    queries = count_of(client, plan_page("vote", plans[0]))
    url = plan_page("vote", plans[1])  # before counting: it reads the plan's municipality
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert "Actieplan 199" in response.content.decode()


def test_the_plan_list_costs_the_same_for_3_and_30_plans(
    client, lindenberg, coordinator, django_assert_num_queries
):
    for i in range(3):
        new_plan(lindenberg, coordinator, title=f"Plan {i:02}")
    client.force_login(coordinator)
    url = reverse("plans:plan-list", kwargs={"municipality": "lindenberg"})
    queries = count_of(client, url)
    for i in range(3, 30):
        new_plan(lindenberg, coordinator, title=f"Plan {i:02}", period_start=2000 + i)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30
    assert len(response.context["plans"]) == 25


def grow(plan, by, times, promotor, partner):
    """``times`` rounds of content through the services (so with history): a goal with a
    phenomenon, an action plan with a partner, a result with an indicator, an action, a
    resource, then a change to the action plan."""
    phenomenon = Phenomenon.objects.filter(municipality=None).first()
    for i in range(times):
        goal = add_goal(plan, by, title=f"Doel {i}", phenomena=[phenomenon])
        action_plan = add_action_plan(
            goal, by, title=f"Actieplan {i}", promotor=promotor, partners=[partner]
        )
        add_indicator(add_result(action_plan, by), by)
        add_action(action_plan, by)
        add_resource(action_plan, by)


def history_of(plan, coordinator, college):
    """The same ending for every plan: discussed, submitted, two votes with comments."""
    discuss(plan, coordinator)
    vote_round = submit(plan, coordinator)
    for member in college[:2]:
        vote_cast(vote_round=vote_round, member=member, choice="approve", comment="Akkoord")


def test_the_history_page_costs_the_same_with_few_or_many_records(
    client, lindenberg, coordinator, make_member, django_assert_num_queries
):
    college = [make_member(Role.COLLEGE, is_chair=i == 0) for i in range(3)]
    promotor, partner = person(lindenberg, "Sofie"), person(lindenberg, "Partner")
    few = new_plan(lindenberg, coordinator, title="Weinig")
    grow(few, coordinator, 1, promotor, partner)
    history_of(few, coordinator, college)
    many = new_plan(lindenberg, coordinator, title="Veel")
    grow(many, coordinator, 30, promotor, partner)
    history_of(many, coordinator, college)

    for reader in (coordinator, make_member(Role.VIEWER)):  # with and without the votes
        client.force_login(reader)
        queries = count_of(client, plan_page("plan-history", few))
        url = plan_page("plan-history", many)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.context["page_obj"].paginator.count > 200
        assert len(response.context["entries"]) == 25
    few_page = client.get(plan_page("plan-history", few))
    assert few_page.context["page_obj"].paginator.count < 25


def test_the_follow_up_board_costs_the_same_with_more_promotors(
    client, lindenberg, coordinator, django_assert_num_queries
):
    """Promotors who lead working groups, owe follow-up tasks and run action plans of a plan in
    steering (one of each overdue)."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    meeting = meeting_schedule(
        core_group=core_group_ensure(municipality=lindenberg, by=coordinator),
        starts_at=timezone.now() - 3 * day,
        place="Stadhuis",
        agenda=[],
        by=coordinator,
        invite=False,
    )
    decision = decision_record(meeting=meeting, text="Opvolgen", consensus=True, by=coordinator)
    plan = new_plan(lindenberg, coordinator)
    goal = add_goal(plan, coordinator)

    def promotors(start, count):
        for i in range(start, start + count):
            actor = person(lindenberg, f"Promotor {i:02}")
            role_assign(actor=actor, role=RoleType.PROMOTOR, start=today - 9 * day, by=None)
            working_group_create(
                municipality=lindenberg, name=f"Groep {i}", mandate="", promotor=actor, by=None
            )
            for j, end in enumerate((today - day, today + 30 * day)):
                add_action_plan(
                    goal, coordinator, title=f"Actieplan {i}.{j}", promotor=actor,
                    start=today - 100 * day, end=end,
                )  # fmt: skip
                task_add(
                    decision=decision, description=f"Taak {j}", assignee=actor,
                    due=end, by=None,
                )  # fmt: skip

    promotors(0, 2)
    Plan.objects.filter(pk=plan.pk).update(state=PlanState.STEERING)
    client.force_login(coordinator)
    url = reverse("plans:follow-up", kwargs={"municipality": "lindenberg"})
    queries = count_of(client, url)
    promotors(2, 20)
    with django_assert_num_queries(queries):
        response = client.get(url)
    rows = response.context["rows"]
    assert len(rows) == 22
    assert sum(len(row.action_plans) for row in rows) == 44
    assert sum(len(row.overdue) for row in rows) == 44  # one task and one action plan each
    assert "Actieplan 21.1" in response.content.decode()
