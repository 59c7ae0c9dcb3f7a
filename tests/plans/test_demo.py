"""The demo plants one Lindenberg plan in every state of the workflow, moved there by the
services (so its history and decisions are real), and a draft for Heidebeek."""

from django.core.management import call_command

import pytest

from plans.constants import PlanState, RoundStatus
from plans.content import content_hash
from plans.models import Plan, PlanTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)


def test_lindenberg_has_a_plan_in_every_state(demo):
    states = list(
        Plan.objects.filter(municipality__slug="lindenberg").values_list("state", flat=True)
    )
    assert sorted(states) == sorted(PlanState.values)
    assert Plan.objects.filter(municipality__slug="heidebeek").count() == 1


def test_the_demo_plans_were_moved_by_people(demo):
    review = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.COLLEGE_REVIEW)
    vote_round = review.vote_rounds.get(status=RoundStatus.OPEN)
    assert vote_round.votes.count() == 2
    assert vote_round.content_hash == content_hash(vote_round.snapshot)
    steering = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.STEERING)
    assert steering.adopted_round is not None
    assert steering.council_decisions.get().adopted
    names = list(steering.transitions.values_list("name", flat=True))
    assert names == [
        "submit_to_college",
        "college_approves",
        "close_consultation",
        "submit_for_adoption",
        "college_adopts",
        "council_adopts",
    ]
    assert PlanTransition.objects.filter(by__isnull=True).count() == 0


def test_the_demo_is_planted_once(demo):
    count = Plan.objects.count()
    call_command("seed_demo", stdout=None)
    assert Plan.objects.count() == count


def test_the_network_draws_the_action_plans_of_the_plan_in_steering(demo):
    from actors.models import Actor
    from actors.network_svg import structure_prefetches, structures_of
    from actors.selectors import current_roles

    steering = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.STEERING)
    draft = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.DRAFT)
    wanted = set(
        steering.goals.values_list("action_plans__pk", flat=True).exclude(action_plans__pk=None)
    )
    drafted = set(draft.goals.values_list("action_plans__pk", flat=True))
    actors = Actor.objects.filter(municipality__slug="lindenberg").prefetch_related(
        current_roles(), *structure_prefetches()
    )
    drawn = {
        int(structure.key.split("-")[1])
        for actor in actors
        for structure in structures_of(actor)
        if structure.key.startswith("actionplan-")
    }
    assert drawn == wanted
    assert not drawn & drafted


def test_the_consultation_has_remarks_and_the_revision_has_them_answered(demo):
    from plans.constants import RemarkStatus
    from plans.services.consultation import unanswered

    consultation = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.CONSULTATION)
    assert consultation.remarks.count() == 25
    assert consultation.remarks.filter(status=RemarkStatus.SPAM).count() == 3
    revision = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.REVISION)
    assert revision.remarks.count() == 6
    assert unanswered(revision) == []
