"""The plans services: editing the content (read-only states, removing and archiving, order,
optimistic locking, one municipality, the promotor's personal grant), submitting to the college,
the college's online vote rounds, and the adoption path through consultation, college and
council to steering."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

import pytest

from actors.services import actor_update
from coregroup.services import meeting_schedule, working_group_create
from plans.constants import (
    ActionPlanStatus,
    IndicatorType,
    Objectivity,
    PlanState,
    RoundKind,
    RoundStatus,
    VoteChoice,
)
from plans.content import FIELD_LABELS, changes, content_hash, current_hash, snapshot, stored
from plans.models import (
    Action,
    ActionPlan,
    ActionPlanUserObjectPermission,
    CouncilDecision,
    ExpectedResult,
    Goal,
    GoalEvaluation,
    Indicator,
    Phenomenon,
    Plan,
    Resource,
    RoundElector,
    Vote,
    VoteRound,
)
from plans.services import (
    consultation_close,
    consultation_set_dates,
    council_decision_record,
    discussion_record,
    item_add,
    item_move,
    item_remove,
    item_update,
    plan_close,
    plan_submit_for_adoption,
    plan_submit_to_college,
    plan_update,
    plan_withdraw,
    round_close,
    round_designate_acting_chair,
    round_set_reference,
    submission_problems,
    vote_cast,
)
from plans.services.content import READ_ONLY
from plans.services.decisions import (
    DEFAULT_VOTING_DAYS,
    NO_ACTION_PLANS,
    NO_COLLEGE,
    NOT_DISCUSSED,
)
from plans.workflow import TransitionNotAllowed
from safetynet.concurrency import EditConflict, latest_version
from safetynet.constants import Role
from safetynet.models import Membership, User
from safetynet.permissions import has_perm
from safetynet.services import membership_delete
from tests.plans import builders
from tests.plans.builders import (
    complete_plan,
    core_group_agenda_item,
    discuss,
    everyone_votes,
    new_plan,
    organisation,
    person,
    phenomenon,
    put_in_state,
)

S = PlanState
A, R, X = VoteChoice.APPROVE, VoteChoice.REJECT, VoteChoice.ABSTAIN
D = datetime.date
READ_ONLY_STATES = [
    S.COLLEGE_REVIEW,
    S.CONSULTATION,
    S.COLLEGE_ADOPTION,
    S.COUNCIL_ADOPTION,
    S.CLOSED,
]


def state(plan):
    return Plan.objects.values_list("state", flat=True).get(pk=plan.pk)


def past(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def deadline_passed(vote_round):
    VoteRound.objects.filter(pk=vote_round.pk).update(deadline=past(minutes=1))


def may_edit(user, action_plan):
    """Asked with a fresh user object: answers are cached per user object."""
    return has_perm(User.objects.get(pk=user.pk), "plans.change_actionplan", action_plan)


def reasons(obj):
    return list(obj.history.order_by("history_id").values_list("history_change_reason", flat=True))


@pytest.fixture
def built(lindenberg, coordinator):
    return complete_plan(lindenberg, coordinator)


@pytest.fixture
def members(lindenberg):
    """Lindenberg's college of five, the burgemeester (chair) first."""
    return builders.college(lindenberg, 5)


@pytest.fixture
def chair(members):
    return members[0]


@pytest.fixture
def submitted(built, members, coordinator):
    """The plan, discussed by the kerngroep, submitted to the college: the open round."""
    discuss(built.plan, coordinator)
    return plan_submit_to_college(plan=built.plan, by=coordinator)


@pytest.fixture
def secretary(make_member):
    return make_member(Role.COUNCIL_SECRETARY, first_name="Hilde", last_name="Goossens")


@pytest.fixture
def in_consultation(built, submitted, members):
    everyone_votes(submitted, members)
    built.plan.refresh_from_db()
    return built.plan


@pytest.fixture
def in_revision(in_consultation, coordinator):
    consultation_close(plan=in_consultation, by=coordinator, reason="Alle reacties zijn binnen")
    return in_consultation


@pytest.fixture
def adoption_round(in_revision, coordinator):
    return plan_submit_for_adoption(plan=in_revision, by=coordinator)


@pytest.fixture
def at_council(adoption_round, members):
    everyone_votes(adoption_round, members)
    adoption_round.plan.refresh_from_db()
    return adoption_round


def record_council(plan, by, *, adopted=True, votes_for=19, votes_against=6):
    return council_decision_record(
        plan=plan,
        by=by,
        date=D(2026, 6, 22),
        reference="GR/2026/118",
        reference_url="https://lindenberg.example.org/besluiten/GR-2026-118",
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=2,
        adopted=adopted,
    )


# --- Content: read-only states -------------------------------------------------------------------


EDITS = {
    "plan_update": lambda b, by: plan_update(plan=b.plan, by=by, title="Nieuwe titel"),
    "item_add": lambda b, by: item_add(
        item=Action(action_plan=b.action_plan, title="Folder in de bus"), by=by
    ),
    "item_update": lambda b, by: item_update(item=b.action, by=by, title="Nieuwe titel"),
    "item_move": lambda b, by: item_move(item=b.goal, direction=1, by=by),
    "item_remove": lambda b, by: item_remove(item=b.action, by=by),
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("plan_state", READ_ONLY_STATES)
def test_the_content_is_read_only_outside_draft_revision_and_steering(
    built, coordinator, plan_state, edit
):
    put_in_state(built.plan, plan_state)
    before = current_hash(built.plan)
    with pytest.raises(ValidationError) as refused:
        EDITS[edit](built, coordinator)
    assert refused.value.code == "read_only"
    assert refused.value.messages == [gettext(READ_ONLY) % {"state": PlanState(plan_state).label}]
    assert current_hash(built.plan) == before
    assert Action.objects.filter(pk=built.action.pk).exists()


@pytest.mark.parametrize("plan_state", [S.DRAFT, S.REVISION, S.STEERING])
def test_the_content_changes_in_draft_revision_and_steering(built, coordinator, plan_state):
    put_in_state(built.plan, plan_state)
    item_update(item=built.action, by=coordinator, title="Infoavond in de bibliotheek")
    plan_update(plan=built.plan, by=coordinator, summary="Herwerkte samenvatting")
    built.action.refresh_from_db()
    assert built.action.title == "Infoavond in de bibliotheek"
    assert reasons(built.action)[-1] == "Changed"


# --- Content: removing and archiving -------------------------------------------------------------


def test_removing_in_draft_deletes_the_item_and_what_hangs_under_it_with_history(
    built, coordinator
):
    under = [
        built.operational_goal,
        built.action_plan,
        built.result,
        built.indicator,
        built.action,
        built.resource,
    ]
    rows = [(type(item), item.pk) for item in under]
    item_remove(item=built.operational_goal, by=coordinator)
    for model, pk in rows:
        assert not model.objects.filter(pk=pk).exists()
        deleted = model.history.get(id=pk, history_type="-")
        assert deleted.history_change_reason == "Removed"
        assert deleted.history_user == coordinator
    assert Goal.objects.filter(pk=built.goal.pk).exists()  # the strategic goal above stays


def test_removing_in_revision_archives_the_item_and_what_hangs_under_it(built, coordinator):
    put_in_state(built.plan, S.REVISION)
    item_remove(item=built.action_plan, by=coordinator)
    for item in [built.action_plan, built.result, built.indicator, built.action, built.resource]:
        item.refresh_from_db()  # the row stays
        assert item.archived_at is not None
        assert not item.history.filter(history_type="-").exists()
        assert reasons(item)[-1] == "Archived"
        assert item.history.order_by("-history_id").first().history_user == coordinator
    assert builders.ACTION_PLAN_TITLE not in str(snapshot(built.plan))


def test_an_item_archived_earlier_keeps_its_date_when_its_parent_is_archived(built, coordinator):
    put_in_state(built.plan, S.REVISION)
    item_remove(item=built.action, by=coordinator)
    built.action.refresh_from_db()
    first = built.action.archived_at
    item_remove(item=built.action_plan, by=coordinator)
    built.action.refresh_from_db()
    assert built.action.archived_at == first
    assert reasons(built.action).count("Archived") == 1


def test_removing_is_refused_in_steering(built, coordinator):
    put_in_state(built.plan, S.STEERING)
    with pytest.raises(ValidationError) as refused:
        item_remove(item=built.action, by=coordinator)
    assert refused.value.code == "not_removable"
    built.action.refresh_from_db()
    assert built.action.archived_at is None


# --- Content: order ------------------------------------------------------------------------------


def test_moving_an_item_swaps_it_with_its_neighbour(built, coordinator):
    second = item_add(
        item=Action(action_plan=built.action_plan, title="Folder in de bus"), by=coordinator
    )
    third = item_add(
        item=Action(action_plan=built.action_plan, title="Buurtwandeling"), by=coordinator
    )
    assert [built.action.order, second.order, third.order] == [0, 1, 2]

    item_move(item=third, direction=-1, by=coordinator)
    titles = list(built.action_plan.actions.order_by("order").values_list("title", flat=True))
    assert titles == ["Infoavond in het gemeentehuis", "Buurtwandeling", "Folder in de bus"]
    assert reasons(Action.objects.get(pk=third.pk))[-1] == "Moved"

    item_move(item=built.action, direction=-1, by=coordinator)  # the first stays first
    titles = list(built.action_plan.actions.order_by("order").values_list("title", flat=True))
    assert titles[0] == "Infoavond in het gemeentehuis"


def test_moving_skips_archived_siblings(built, coordinator):
    second = item_add(
        item=Action(action_plan=built.action_plan, title="Folder in de bus"), by=coordinator
    )
    third = item_add(
        item=Action(action_plan=built.action_plan, title="Buurtwandeling"), by=coordinator
    )
    put_in_state(built.plan, S.REVISION)
    item_remove(item=second, by=coordinator)
    item_move(item=third, direction=-1, by=coordinator)
    current = built.action_plan.actions.filter(archived_at=None).order_by("order")
    assert list(current.values_list("title", flat=True)) == [
        "Buurtwandeling",
        "Infoavond in het gemeentehuis",
    ]


def test_moving_an_archived_item_is_refused(built, coordinator):
    put_in_state(built.plan, S.REVISION)
    item_remove(item=built.action, by=coordinator)
    built.action.refresh_from_db()
    with pytest.raises(ValidationError):
        item_move(item=built.action, direction=1, by=coordinator)


# --- Content: optimistic locking -----------------------------------------------------------------


def test_an_update_over_a_newer_change_is_refused_and_changes_nothing(built, coordinator):
    loaded_at = latest_version(built.action)
    colleague = Action.objects.get(pk=built.action.pk)
    item_update(item=colleague, by=coordinator, title="Infoavond in de bibliotheek")

    mine = Action.objects.get(pk=built.action.pk)
    with pytest.raises(EditConflict) as refused:
        item_update(item=mine, by=coordinator, version=loaded_at, title="Infoavond op het plein")
    assert refused.value.code == "edit_conflict"
    assert refused.value.changes  # what the colleague changed, to show beside the form
    assert Action.objects.get(pk=built.action.pk).title == "Infoavond in de bibliotheek"

    item_update(
        item=mine, by=coordinator, version=latest_version(mine), title="Infoavond op het plein"
    )
    assert Action.objects.get(pk=built.action.pk).title == "Infoavond op het plein"


def test_a_plan_update_over_a_newer_change_is_refused(built, coordinator):
    loaded_at = latest_version(built.plan)
    plan_update(plan=Plan.objects.get(pk=built.plan.pk), by=coordinator, summary="Van collega")
    with pytest.raises(EditConflict):
        plan_update(plan=built.plan, by=coordinator, version=loaded_at, summary="Van mij")
    assert Plan.objects.get(pk=built.plan.pk).summary == "Van collega"


# --- Content: one municipality -------------------------------------------------------------------


def test_a_promotor_of_another_municipality_is_refused(built, heidebeek, coordinator):
    stranger = person(heidebeek, "Gert Hermans")
    with pytest.raises(ValidationError) as refused:
        item_update(item=built.action_plan, by=coordinator, promotor=stranger)
    assert "promotor" in refused.value.message_dict
    assert ActionPlan.objects.get(pk=built.action_plan.pk).promotor == built.promotor

    with pytest.raises(ValidationError) as refused:
        builders.action_plan(built.goal, coordinator, "Drugpreventie", promotor=stranger)
    assert "promotor" in refused.value.message_dict
    assert not ActionPlan.objects.filter(title="Drugpreventie").exists()


def test_a_working_group_of_another_municipality_is_refused(built, heidebeek, coordinator):
    group = working_group_create(
        municipality=heidebeek,
        name="Werkgroep drugs",
        promotor=person(heidebeek, "Gert Hermans"),
        by=None,
    )
    with pytest.raises(ValidationError) as refused:
        item_update(item=built.action_plan, by=coordinator, working_group=group)
    assert "working_group" in refused.value.message_dict
    assert ActionPlan.objects.get(pk=built.action_plan.pk).working_group is None


def test_a_working_group_of_the_municipality_is_accepted(built, lindenberg, coordinator):
    group = working_group_create(
        municipality=lindenberg, name="Werkgroep BIN", promotor=built.promotor, by=coordinator
    )
    item_update(item=built.action_plan, by=coordinator, working_group=group)
    assert ActionPlan.objects.get(pk=built.action_plan.pk).working_group == group


def test_phenomena_of_another_municipality_are_refused(built, lindenberg, heidebeek, coordinator):
    theirs = Phenomenon.objects.create(
        municipality=heidebeek, code="zwerfvuil", name_nl="Zwerfvuil"
    )
    ours = Phenomenon.objects.create(
        municipality=lindenberg, code="sluikstort", name_nl="Sluikstort"
    )
    with pytest.raises(ValidationError) as refused:
        item_update(item=built.goal, by=coordinator, phenomena=[phenomenon("drugs"), theirs])
    assert "phenomena" in refused.value.message_dict
    assert list(built.goal.goal_phenomena.values_list("phenomenon__code", flat=True)) == [
        "property_crime"
    ]
    item_update(item=built.goal, by=coordinator, phenomena=[phenomenon("drugs"), ours])
    codes = set(built.goal.goal_phenomena.values_list("phenomenon__code", flat=True))
    assert codes == {"drugs", "sluikstort"}


def test_partners_of_another_municipality_are_refused(built, heidebeek, coordinator):
    with pytest.raises(ValidationError) as refused:
        item_update(
            item=built.action_plan,
            by=coordinator,
            partners=[organisation(heidebeek, "Lokale politie Heidebeek")],
        )
    assert "partners" in refused.value.message_dict
    assert not built.action_plan.partners.exists()


def test_an_operational_goal_hangs_under_a_strategic_goal_of_the_same_plan(
    built, lindenberg, coordinator
):
    other_plan = new_plan(lindenberg, coordinator, "Ander plan")
    other_goal = builders.goal(other_plan, coordinator, "Ander doel")
    with pytest.raises(ValidationError) as refused:
        item_add(item=Goal(plan=built.plan, parent=other_goal, title="Verdwaald"), by=coordinator)
    assert "parent" in refused.value.message_dict
    with pytest.raises(ValidationError):
        item_add(
            item=Goal(plan=built.plan, parent=built.operational_goal, title="Te diep"),
            by=coordinator,
        )
    assert not Goal.objects.filter(title__in=["Verdwaald", "Te diep"]).exists()


def test_a_strategic_goal_with_operational_goals_does_not_become_operational(built, coordinator):
    traffic = builders.goal(built.plan, coordinator, "Veilig verkeer")
    with pytest.raises(ValidationError) as refused:
        item_update(item=built.goal, by=coordinator, parent=traffic)
    assert "parent" in refused.value.message_dict


# --- Content: the promotor's personal grant ------------------------------------------------------


def test_the_promotors_account_may_edit_their_own_action_plan_while_they_are_promotor(
    built, lindenberg, coordinator, make_member
):
    sofie_account = make_member(Role.PROMOTOR, first_name="Sofie", last_name="Claes")
    jan_account = make_member(Role.PROMOTOR, first_name="Jan", last_name="Maes")
    sofie = person(lindenberg, "Sofie Claes", user=sofie_account)
    jan = person(lindenberg, "Jan Maes", user=jan_account)

    own = builders.action_plan(
        built.operational_goal, coordinator, "Fietsgraveeracties", promotor=sofie
    )
    assert may_edit(sofie_account, own)
    assert not may_edit(sofie_account, built.action_plan)  # not hers
    assert not may_edit(jan_account, own)

    item_update(item=own, by=coordinator, promotor=jan)
    assert not may_edit(sofie_account, own)
    assert may_edit(jan_account, own)

    item_update(item=own, by=coordinator, title="Fietsgraveeracties in de scholen")
    assert may_edit(jan_account, own)  # a change of something else keeps the grant

    item_update(item=own, by=coordinator, promotor=None)
    assert not may_edit(jan_account, own)
    assert not ActionPlanUserObjectPermission.objects.filter(content_object=own).exists()


def test_a_promotor_without_an_account_gets_no_grant(built):
    assert built.promotor.user is None
    assert not ActionPlanUserObjectPermission.objects.filter(
        content_object=built.action_plan
    ).exists()


def test_the_grant_follows_when_the_promotor_is_linked_to_an_account_later(
    built, coordinator, make_member
):
    ingrid_account = make_member(Role.PROMOTOR, first_name="Ingrid", last_name="Wouters")
    actor_update(actor=built.promotor, by=coordinator, user=ingrid_account)
    assert may_edit(ingrid_account, built.action_plan)


def test_an_account_unlinked_from_the_promotor_loses_the_grant(
    built, lindenberg, coordinator, make_member
):
    sofie_account = make_member(Role.PROMOTOR, first_name="Sofie", last_name="Claes")
    sofie = person(lindenberg, "Sofie Claes", user=sofie_account)
    item_update(item=built.action_plan, by=coordinator, promotor=sofie)
    assert may_edit(sofie_account, built.action_plan)
    actor_update(actor=sofie, by=coordinator, user=None)  # the account is no longer hers
    assert not may_edit(sofie_account, built.action_plan)


# --- Submission: what must hold ------------------------------------------------------------------


def test_an_empty_plan_has_no_action_plans_and_was_not_discussed(lindenberg, coordinator):
    plan = new_plan(lindenberg, coordinator)
    assert submission_problems(plan) == [gettext(NO_ACTION_PLANS), gettext(NOT_DISCUSSED)]


def test_each_missing_piece_of_an_action_plan_is_named_with_its_title(built, coordinator):
    discuss(built.plan, coordinator)
    assert submission_problems(built.plan) == []

    bare = builders.action_plan(built.goal, coordinator, "Cameratoezicht stationsbuurt")
    discuss(built.plan, coordinator)  # the new version discussed as well
    [problem] = submission_problems(built.plan)
    assert "Cameratoezicht stationsbuurt" in problem
    for piece in ("a promotor", "an expected result", "a resource", "start and end dates"):
        assert gettext(piece) in problem

    item_update(item=bare, by=coordinator, promotor=built.promotor, start=D(2026, 9, 1))
    builders.expected_result(bare, coordinator, "Minder fietsdiefstal aan het station")
    discuss(built.plan, coordinator)
    [problem] = submission_problems(built.plan)
    assert "Cameratoezicht stationsbuurt" in problem
    assert gettext("a promotor") not in problem
    assert gettext("an expected result") not in problem
    assert gettext("a resource") in problem
    assert gettext("start and end dates") in problem


def test_only_current_items_count_for_submission(built, coordinator):
    put_in_state(built.plan, S.REVISION)
    item_remove(item=built.resource, by=coordinator)
    [problem] = submission_problems(built.plan)
    assert builders.ACTION_PLAN_TITLE in problem
    assert gettext("a resource") in problem


def test_a_plan_the_kerngroep_did_not_discuss_cannot_be_submitted(built, members, coordinator):
    assert submission_problems(built.plan) == [gettext(NOT_DISCUSSED)]
    with pytest.raises(ValidationError) as refused:
        plan_submit_to_college(plan=built.plan, by=coordinator)
    assert refused.value.messages == [gettext(NOT_DISCUSSED)]
    assert state(built.plan) == S.DRAFT
    assert not VoteRound.objects.exists()


def test_the_refusal_of_an_unready_plan_carries_the_code_not_ready(built, members, coordinator):
    with pytest.raises(ValidationError) as refused:
        plan_submit_to_college(plan=built.plan, by=coordinator)
    assert [error.code for error in refused.value.error_list] == ["not_ready"]


def test_a_discussion_without_a_decision_does_not_count(built, coordinator):
    discuss(built.plan, coordinator, decided=False)
    assert submission_problems(built.plan) == [gettext(NOT_DISCUSSED)]


def test_a_discussion_of_an_older_version_does_not_count(built, coordinator):
    discussion = discuss(built.plan, coordinator)
    assert discussion.content_hash == current_hash(built.plan)
    item_update(item=built.action, by=coordinator, title="Infoavond in de bibliotheek")
    assert submission_problems(built.plan) == [gettext(NOT_DISCUSSED)]


def test_progress_after_the_discussion_does_not_undo_it(built, coordinator):
    discuss(built.plan, coordinator)
    item_update(item=built.action_plan, by=coordinator, status=ActionPlanStatus.RUNNING)
    item_update(item=built.action, by=coordinator, done=True)
    assert submission_problems(built.plan) == []


def test_the_discussion_is_of_the_plans_own_kerngroep(built, heidebeek, coordinator):
    elsewhere = core_group_agenda_item(heidebeek, None)
    with pytest.raises(ValidationError) as refused:
        discussion_record(plan=built.plan, agenda_item=elsewhere, by=coordinator)
    assert "agenda_item" in refused.value.message_dict
    assert not built.plan.discussions.exists()


def test_a_working_group_meeting_is_not_a_kerngroep_discussion(built, lindenberg, coordinator):
    group = working_group_create(
        municipality=lindenberg, name="Werkgroep BIN", promotor=built.promotor, by=coordinator
    )
    meeting = meeting_schedule(
        working_group=group,
        starts_at=past(days=3),
        place="Bibliotheek",
        agenda=["Actieplan BIN"],
        by=coordinator,
        invite=False,
    )
    with pytest.raises(ValidationError) as refused:
        discussion_record(plan=built.plan, agenda_item=meeting.agenda_items.get(), by=coordinator)
    assert "agenda_item" in refused.value.message_dict


def test_the_discussion_is_credited_and_keeps_the_version(built, coordinator):
    discussion = discuss(built.plan, coordinator)
    assert discussion.content_hash == current_hash(built.plan)
    record = discussion.history.get()
    assert record.history_user == coordinator
    assert record.history_change_reason == "Discussed in the core group"


# --- Submission: the round opens -----------------------------------------------------------------


def test_submitting_opens_a_round_on_the_snapshot_with_the_college_at_that_moment(
    built, lindenberg, heidebeek, coordinator, make_member
):
    members = builders.college(lindenberg, 3)
    make_member(Role.COLLEGE, first_name="Oud", last_name="Schepen", is_active=False)
    make_member(Role.COLLEGE, municipality=heidebeek, first_name="Lies", last_name="Hermans")
    make_member(Role.CORE_GROUP, user=members[1])  # a second role: still one elector
    discuss(built.plan, coordinator)
    expected = stored(snapshot(built.plan))

    vote_round = plan_submit_to_college(plan=built.plan, by=coordinator)
    vote_round.refresh_from_db()
    assert vote_round.status == RoundStatus.OPEN
    assert vote_round.kind == RoundKind.APPROVAL
    assert vote_round.snapshot == expected
    assert vote_round.content_hash == current_hash(built.plan)
    assert content_hash(vote_round.snapshot) == vote_round.content_hash
    assert vote_round.chair == members[0]
    assert vote_round.acting_chair is None
    electors = set(vote_round.electors.values_list("user", flat=True))
    assert electors == {m.pk for m in members}
    days = (vote_round.deadline - vote_round.opened_at).days
    assert days == DEFAULT_VOTING_DAYS
    assert state(built.plan) == S.COLLEGE_REVIEW
    transition = built.plan.transitions.get()
    assert (transition.name, transition.by, transition.vote_round) == (
        "submit_to_college",
        coordinator,
        vote_round,
    )

    # The electorate was fixed at the opening: a member who joins later does not vote.
    newcomer = make_member(Role.COLLEGE, first_name="Nieuw", last_name="Lid")
    assert not RoundElector.objects.filter(vote_round=vote_round, user=newcomer).exists()
    with pytest.raises(PermissionDenied):
        vote_cast(vote_round=vote_round, member=newcomer, choice=A)


def test_the_round_keeps_the_snapshot_it_opened_with(built, submitted, coordinator):
    opened_with = submitted.snapshot
    withdraw_reason = "Begroting herbekijken"
    plan_withdraw(plan=built.plan, by=coordinator, reason=withdraw_reason)
    item_update(item=built.action, by=coordinator, title="Infoavond in de bibliotheek")
    submitted.refresh_from_db()
    assert submitted.snapshot == opened_with
    assert content_hash(submitted.snapshot) == submitted.content_hash
    assert submitted.content_hash != current_hash(built.plan)


def test_a_submission_with_a_deadline_in_the_past_is_refused(built, members, coordinator):
    discuss(built.plan, coordinator)
    with pytest.raises(ValidationError) as refused:
        plan_submit_to_college(plan=built.plan, by=coordinator, deadline=past(hours=1))
    assert "deadline" in refused.value.message_dict
    assert state(built.plan) == S.DRAFT


def test_a_municipality_without_college_cannot_submit(built, coordinator):
    discuss(built.plan, coordinator)
    with pytest.raises(ValidationError) as refused:
        plan_submit_to_college(plan=built.plan, by=coordinator)
    assert refused.value.code == "no_college"
    assert refused.value.messages == [gettext(NO_COLLEGE)]
    assert state(built.plan) == S.DRAFT


@pytest.mark.parametrize("role", [Role.COLLEGE, Role.COUNCIL_SECRETARY, Role.VIEWER, Role.ADMIN])
def test_only_the_coordinator_submits(built, members, coordinator, role_users, role):
    discuss(built.plan, coordinator)
    with pytest.raises(PermissionDenied):
        plan_submit_to_college(plan=built.plan, by=role_users[role])
    assert not VoteRound.objects.exists()


def test_the_electors_with_an_address_are_mailed_after_the_commit(
    built, lindenberg, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    members = builders.college(lindenberg, 3)
    silent = builders.member(lindenberg, Role.COLLEGE, "Bart", "Jacobs", email="")
    french = builders.member(lindenberg, Role.COLLEGE, "Sofie", "Willems", language="fr")
    discuss(built.plan, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        vote_round = plan_submit_to_college(plan=built.plan, by=coordinator)
    assert vote_round.electors.filter(user=silent).exists()  # votes, but gets no mail
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        user.email for user in [*members, french]
    )
    for mail in mailoutbox:
        assert len(mail.to) == 1
        assert builders.PLAN_TITLE in mail.subject
        assert f"/lindenberg/plans/{built.plan.pk}/vote/" in mail.body


def test_no_mail_leaves_before_the_commit(
    built, members, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    discuss(built.plan, coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan_submit_to_college(plan=built.plan, by=coordinator)
    assert len(callbacks) == len(members)
    assert mailoutbox == []


# --- Votes ---------------------------------------------------------------------------------------


def test_only_an_elector_votes(submitted, coordinator, make_member, heidebeek):
    strangers = [
        coordinator,
        make_member(Role.COLLEGE, municipality=heidebeek, first_name="Lies", last_name="Hermans"),
    ]
    for stranger in strangers:
        with pytest.raises(PermissionDenied):
            vote_cast(vote_round=submitted, member=stranger, choice=A)
    assert not Vote.objects.exists()


def test_an_elector_who_lost_the_college_role_no_longer_votes(submitted, members):
    membership_delete(
        membership=Membership.objects.get(user=members[4], role=Role.COLLEGE), by=None
    )
    with pytest.raises(PermissionDenied):
        vote_cast(vote_round=submitted, member=User.objects.get(pk=members[4].pk), choice=A)


def test_a_vote_is_approve_reject_or_abstain(submitted, chair):
    with pytest.raises(ValidationError) as refused:
        vote_cast(vote_round=submitted, member=chair, choice="misschien")
    assert "choice" in refused.value.message_dict
    assert not Vote.objects.exists()


def test_a_changed_vote_is_one_row_with_both_versions_in_history(submitted, members):
    koen = members[1]
    vote_cast(vote_round=submitted, member=koen, choice=R, comment="Te duur")
    vote_cast(vote_round=submitted, member=koen, choice=A, comment="  Toch akkoord  ")
    vote = Vote.objects.get(vote_round=submitted, member=koen)
    assert (vote.choice, vote.comment) == (A, "Toch akkoord")
    assert Vote.objects.filter(vote_round=submitted).count() == 1
    history = list(vote.history.order_by("history_id").values_list("choice", "history_user"))
    assert history == [(R, koen.pk), (A, koen.pk)]
    assert reasons(vote) == ["Vote cast", "Vote changed"]
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.OPEN  # one vote of five decides nothing


def test_when_all_approve_the_round_decides_and_the_consultation_begins(
    built, submitted, members, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        everyone_votes(submitted, members, A)
    assert submitted.status == RoundStatus.APPROVED
    assert submitted.decided_at is not None
    assert state(built.plan) == S.CONSULTATION
    decision = built.plan.transitions.order_by("-pk").first()
    assert (decision.name, decision.vote_round, decision.by) == (
        "college_approves",
        submitted,
        members[-1],  # the last vote decided
    )
    # The coordinator hears the outcome.
    assert [mail.to for mail in mailoutbox if "/vote/" not in mail.body] == [[coordinator.email]]


def test_when_the_majority_rejects_the_plan_goes_back_to_draft(built, submitted, members):
    for user, choice in zip(members, [A, R, R, R, X], strict=True):
        vote_cast(vote_round=submitted, member=user, choice=choice)
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.REJECTED
    assert state(built.plan) == S.DRAFT
    assert built.plan.transitions.order_by("-pk").first().name == "college_rejects"


def test_a_tie_is_decided_by_the_chairs_vote(built, submitted, members):
    for user, choice in zip(members, [A, A, R, R, X], strict=True):  # the chair approves
        vote_cast(vote_round=submitted, member=user, choice=choice)
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.APPROVED
    assert state(built.plan) == S.CONSULTATION


def test_a_decided_round_takes_no_more_votes(submitted, members):
    everyone_votes(submitted, members, A)
    with pytest.raises(ValidationError) as refused:
        vote_cast(vote_round=submitted, member=members[0], choice=R)
    assert refused.value.code == "closed"
    assert not Vote.objects.filter(choice=R).exists()


def test_the_content_is_read_only_while_the_round_is_open(built, submitted, coordinator):
    with pytest.raises(ValidationError) as refused:
        item_update(item=built.action, by=coordinator, title="Stiekem gewijzigd")
    assert refused.value.code == "read_only"
    with pytest.raises(ValidationError):
        item_add(item=ExpectedResult(action_plan=built.action_plan, text="Extra"), by=coordinator)
    assert current_hash(built.plan) == submitted.content_hash


# --- Closing a round -----------------------------------------------------------------------------


def test_the_chair_cannot_close_the_round_before_its_deadline(built, submitted, chair):
    vote_cast(vote_round=submitted, member=chair, choice=A)
    with pytest.raises(ValidationError) as refused:
        round_close(vote_round=submitted, by=chair)
    assert refused.value.code == "before_deadline"
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.OPEN
    assert state(built.plan) == S.COLLEGE_REVIEW


def test_after_the_deadline_the_chair_closes_and_the_rule_decides(built, submitted, members):
    for user in members[:3]:  # three of five: a quorum
        vote_cast(vote_round=submitted, member=user, choice=A)
    deadline_passed(submitted)
    round_close(vote_round=submitted, by=members[0])
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.APPROVED
    assert state(built.plan) == S.CONSULTATION


def test_after_the_deadline_without_quorum_there_is_no_decision(built, submitted, members):
    for user in members[:2]:  # two of five
        vote_cast(vote_round=submitted, member=user, choice=A)
    deadline_passed(submitted)
    round_close(vote_round=submitted, by=members[0])
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.NO_DECISION
    assert state(built.plan) == S.DRAFT
    last = built.plan.transitions.order_by("-pk").first()
    assert (last.name, last.by) == ("college_no_decision", members[0])


def test_only_the_presiding_chair_closes_the_round(submitted, members, coordinator):
    deadline_passed(submitted)
    for user in [members[1], coordinator]:
        with pytest.raises(PermissionDenied):
            round_close(vote_round=submitted, by=user)
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.OPEN


def test_an_acting_chair_presides_instead_of_the_chair(built, submitted, members, coordinator):
    chair, acting = members[0], members[2]
    round_designate_acting_chair(vote_round=submitted, user=acting, by=coordinator)
    submitted.refresh_from_db()
    assert submitted.presiding == acting
    assert reasons(submitted)[-1] == "Acting chair designated"

    # Two against two: the chair approves, but the acting chair's rejection breaks the tie.
    for user, choice in [(chair, A), (acting, R), (members[1], A), (members[3], R)]:
        vote_cast(vote_round=submitted, member=user, choice=choice)
    deadline_passed(submitted)
    with pytest.raises(PermissionDenied):
        round_close(vote_round=submitted, by=chair)
    round_close(vote_round=submitted, by=acting)
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.REJECTED
    assert state(built.plan) == S.DRAFT


def test_the_chair_may_designate_an_acting_chair_but_another_member_may_not(submitted, members):
    with pytest.raises(PermissionDenied):
        round_designate_acting_chair(vote_round=submitted, user=members[1], by=members[1])
    round_designate_acting_chair(vote_round=submitted, user=members[1], by=members[0])
    submitted.refresh_from_db()
    assert submitted.acting_chair == members[1]


def test_the_acting_chair_is_an_elector(submitted, coordinator, secretary):
    with pytest.raises(ValidationError) as refused:
        round_designate_acting_chair(vote_round=submitted, user=secretary, by=coordinator)
    assert "user" in refused.value.message_dict
    submitted.refresh_from_db()
    assert submitted.acting_chair is None


def test_the_reference_of_the_college_decision_is_kept(submitted, members, coordinator):
    everyone_votes(submitted, members)
    round_set_reference(
        vote_round=submitted,
        reference="  CBS/2026/0412 ",
        reference_url="https://lindenberg.example.org/besluiten/CBS-2026-0412",
        by=coordinator,
    )
    submitted.refresh_from_db()
    assert submitted.reference == "CBS/2026/0412"
    assert submitted.history.order_by("-history_id").first().history_user == coordinator


# --- Withdrawing ---------------------------------------------------------------------------------


def test_withdrawing_invalidates_the_round_and_returns_the_plan(
    built, submitted, members, coordinator
):
    vote_cast(vote_round=submitted, member=members[0], choice=A)
    plan_withdraw(plan=built.plan, by=coordinator, reason="Begroting herbekijken")
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.WITHDRAWN
    assert submitted.decided_at is not None
    assert state(built.plan) == S.DRAFT
    last = built.plan.transitions.order_by("-pk").first()
    assert (last.name, last.reason, last.vote_round) == (
        "withdraw_from_college",
        "Begroting herbekijken",
        submitted,
    )
    with pytest.raises(ValidationError) as refused:
        vote_cast(vote_round=submitted, member=members[1], choice=A)
    assert refused.value.code == "closed"
    # The content can change again.
    item_update(item=built.action, by=coordinator, title="Infoavond in de bibliotheek")


def test_withdrawing_needs_a_reason_and_the_coordinator(built, submitted, members, coordinator):
    with pytest.raises(ValidationError) as refused:
        plan_withdraw(plan=built.plan, by=coordinator, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        plan_withdraw(plan=built.plan, by=members[0], reason="De burgemeester wil het niet")
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.OPEN
    assert state(built.plan) == S.COLLEGE_REVIEW


def test_a_plan_in_draft_cannot_be_withdrawn(built, coordinator):
    with pytest.raises(TransitionNotAllowed):
        plan_withdraw(plan=built.plan, by=coordinator, reason="Per vergissing")
    assert state(built.plan) == S.DRAFT


def test_after_withdrawing_a_new_round_can_open(built, submitted, coordinator):
    plan_withdraw(plan=built.plan, by=coordinator, reason="Begroting herbekijken")
    item_update(item=built.resource, by=coordinator, amount=Decimal("2500"))
    discuss(built.plan, coordinator)
    second = plan_submit_to_college(plan=built.plan, by=coordinator)
    assert second != submitted
    assert list(built.plan.vote_rounds.values_list("status", flat=True)) == [
        RoundStatus.OPEN,
        RoundStatus.WITHDRAWN,
    ]


# --- The consultation ----------------------------------------------------------------------------


def test_closing_the_consultation_early_needs_a_reason(in_consultation, coordinator):
    consultation_set_dates(
        plan=in_consultation,
        opens=past(days=10),
        closes=timezone.now() + datetime.timedelta(days=20),
        by=coordinator,
    )
    with pytest.raises(ValidationError) as refused:
        consultation_close(plan=in_consultation, by=coordinator, reason=" ")
    assert "reason" in refused.value.message_dict
    assert state(in_consultation) == S.CONSULTATION

    consultation_close(plan=in_consultation, by=coordinator, reason="Alle reacties zijn binnen")
    assert state(in_consultation) == S.REVISION
    last = in_consultation.transitions.order_by("-pk").first()
    assert (last.name, last.reason, last.by) == (
        "close_consultation",
        "Alle reacties zijn binnen",
        coordinator,
    )


def test_without_dates_any_closing_is_early(in_consultation, coordinator):
    with pytest.raises(ValidationError):
        consultation_close(plan=in_consultation, by=coordinator)
    assert state(in_consultation) == S.CONSULTATION


def test_after_its_closing_date_the_consultation_closes_without_a_reason(
    in_consultation, coordinator
):
    consultation_set_dates(
        plan=in_consultation, opens=past(days=30), closes=past(hours=1), by=coordinator
    )
    consultation_close(plan=in_consultation, by=coordinator)
    assert state(in_consultation) == S.REVISION


def test_only_the_coordinator_closes_the_consultation(in_consultation, members):
    with pytest.raises(PermissionDenied):
        consultation_close(plan=in_consultation, by=members[0], reason="Genoeg gehoord")
    assert state(in_consultation) == S.CONSULTATION


def test_the_consultation_dates_are_in_order_and_fixed_once_it_is_over(built, coordinator):
    with pytest.raises(ValidationError) as refused:
        consultation_set_dates(
            plan=built.plan, opens=past(days=1), closes=past(days=2), by=coordinator
        )
    assert "closes" in refused.value.message_dict
    put_in_state(built.plan, S.REVISION)
    with pytest.raises(ValidationError):
        consultation_set_dates(
            plan=built.plan, opens=past(days=2), closes=past(days=1), by=coordinator
        )
    assert Plan.objects.get(pk=built.plan.pk).consultation_closes is None


# --- Adoption: college and council ---------------------------------------------------------------


def test_submitting_for_adoption_opens_an_adoption_round(adoption_round, built, members):
    assert adoption_round.kind == RoundKind.ADOPTION
    assert adoption_round.status == RoundStatus.OPEN
    assert state(built.plan) == S.COLLEGE_ADOPTION
    assert set(adoption_round.electors.values_list("user", flat=True)) == {m.pk for m in members}


def test_the_revised_plan_needs_no_new_kerngroep_discussion(in_revision, built, coordinator):
    item_update(item=built.action, by=coordinator, title="Infoavond in de bibliotheek")
    assert submission_problems(in_revision) == []
    plan_submit_for_adoption(plan=in_revision, by=coordinator)
    assert state(in_revision) == S.COLLEGE_ADOPTION


def test_an_incomplete_revised_plan_is_not_submitted_for_adoption(in_revision, built, coordinator):
    item_remove(item=built.resource, by=coordinator)
    with pytest.raises(ValidationError) as refused:
        plan_submit_for_adoption(plan=in_revision, by=coordinator)
    [problem] = refused.value.messages
    assert builders.ACTION_PLAN_TITLE in problem
    assert state(in_revision) == S.REVISION


def test_the_college_adopting_sends_the_plan_to_the_council(at_council, built):
    assert at_council.status == RoundStatus.APPROVED
    assert state(built.plan) == S.COUNCIL_ADOPTION
    assert built.plan.transitions.order_by("-pk").first().name == "college_adopts"


def test_the_college_rejecting_the_adoption_returns_the_plan_to_revision(
    adoption_round, built, members
):
    everyone_votes(adoption_round, members, R)
    assert adoption_round.status == RoundStatus.REJECTED
    assert state(built.plan) == S.REVISION


def test_withdrawing_from_adoption_returns_the_plan_to_revision(adoption_round, built, coordinator):
    plan_withdraw(plan=built.plan, by=coordinator, reason="Advies van de politiezone afwachten")
    adoption_round.refresh_from_db()
    assert adoption_round.status == RoundStatus.WITHDRAWN
    assert state(built.plan) == S.REVISION
    assert built.plan.transitions.order_by("-pk").first().name == "withdraw_from_adoption"


def test_the_council_adopting_starts_steering_with_the_adopted_version_frozen(
    at_council, built, secretary, coordinator
):
    decision = record_council(built.plan, secretary)
    built.plan.refresh_from_db()
    assert built.plan.state == S.STEERING
    assert built.plan.adopted_round == at_council
    assert decision.vote_round == at_council
    assert CouncilDecision.objects.get() == decision
    last = built.plan.transitions.order_by("-pk").first()
    assert (last.name, last.by, last.vote_round) == ("council_adopts", secretary, at_council)
    assert reasons(built.plan)[-1] == "Adopted version frozen"

    # Later changes show as a diff against the adopted version, which stays as it was.
    item_update(item=built.action, by=coordinator, title="Infoavond in de bibliotheek")
    at_council.refresh_from_db()
    found = changes(at_council.snapshot, stored(snapshot(built.plan)))
    assert [(c["kind"], c["action"], c["fields"]) for c in found] == [
        ("action", "changed", [str(FIELD_LABELS["title"])])
    ]


def test_the_council_not_adopting_returns_the_plan_to_revision(at_council, built, secretary):
    record_council(built.plan, secretary, adopted=False, votes_for=8, votes_against=17)
    built.plan.refresh_from_db()
    assert built.plan.state == S.REVISION
    assert built.plan.adopted_round is None
    assert CouncilDecision.objects.get().adopted is False
    assert built.plan.transitions.order_by("-pk").first().name == "council_rejects"


@pytest.mark.parametrize(("votes_for", "votes_against"), [(12, 12), (10, 15), (0, 0)])
def test_adopted_needs_more_votes_for_than_against(
    at_council, built, secretary, votes_for, votes_against
):
    with pytest.raises(ValidationError):
        record_council(
            built.plan, secretary, adopted=True, votes_for=votes_for, votes_against=votes_against
        )
    assert not CouncilDecision.objects.exists()
    assert state(built.plan) == S.COUNCIL_ADOPTION


def test_not_adopted_with_more_votes_for_than_against_is_refused(at_council, built, secretary):
    with pytest.raises(ValidationError):
        record_council(built.plan, secretary, adopted=False, votes_for=19, votes_against=6)
    assert not CouncilDecision.objects.exists()


def test_a_coordinator_cannot_record_the_council_decision(at_council, built, coordinator):
    with pytest.raises(PermissionDenied):
        record_council(built.plan, coordinator)
    assert not CouncilDecision.objects.exists()
    assert state(built.plan) == S.COUNCIL_ADOPTION


def test_no_council_decision_before_the_college_adopted(in_revision, secretary):
    with pytest.raises(TransitionNotAllowed):
        record_council(in_revision, secretary)
    assert not CouncilDecision.objects.exists()


def test_after_the_council_said_no_a_new_adoption_round_is_what_it_adopts(
    at_council, built, members, secretary, coordinator
):
    record_council(built.plan, secretary, adopted=False, votes_for=8, votes_against=17)
    item_update(item=built.resource, by=coordinator, amount=Decimal("1200"))
    second = plan_submit_for_adoption(plan=built.plan, by=coordinator)
    everyone_votes(second, members)
    record_council(built.plan, secretary)
    built.plan.refresh_from_db()
    assert built.plan.adopted_round == second
    assert built.plan.adopted_round.snapshot != at_council.snapshot


# --- Closing the plan ----------------------------------------------------------------------------


def test_closing_the_plan_needs_a_reason(built, coordinator):
    put_in_state(built.plan, S.STEERING)
    with pytest.raises(ValidationError) as refused:
        plan_close(plan=built.plan, by=coordinator, reason="")
    assert "reason" in refused.value.message_dict
    assert state(built.plan) == S.STEERING

    for goal in built.plan.goals.filter(parent=None):
        GoalEvaluation.objects.create(goal=goal, result="Bereikt.")
    plan_close(plan=built.plan, by=coordinator, reason="Evaluatie: 9 van 12 acties uitgevoerd")
    assert state(built.plan) == S.CLOSED
    assert built.plan.transitions.get().reason == "Evaluatie: 9 van 12 acties uitgevoerd"


def test_only_the_coordinator_closes_the_plan(built, members):
    put_in_state(built.plan, S.STEERING)
    with pytest.raises(PermissionDenied):
        plan_close(plan=built.plan, by=members[0], reason="Einde legislatuur")
    assert state(built.plan) == S.STEERING


def test_steering_keeps_the_content_editable_but_nothing_is_removed(built, coordinator):
    put_in_state(built.plan, S.STEERING)
    item_add(
        item=Indicator(
            expected_result=built.result,
            name="Opkomst infoavond",
            type=IndicatorType.OUTPUT,
            objectivity=Objectivity.SUBJECTIVE,
        ),
        by=coordinator,
    )
    with pytest.raises(ValidationError):
        item_remove(item=built.result, by=coordinator)
    assert Resource.objects.filter(pk=built.resource.pk, archived_at=None).exists()
    assert built.result.indicators.count() == 2
