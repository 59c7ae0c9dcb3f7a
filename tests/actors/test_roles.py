"""Dated roles and function profiles (issue 3, item 4): roles change with circumstances, so they
are dated and never overwritten, and "who held role X on date D" is answered from them."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from actors.constants import RoleType
from actors.forms import constraint_message
from actors.models import RoleAssignment
from actors.selectors import current_roles, who_held
from actors.services import actor_set_active, role_assign, role_change_profile, role_end
from tests.actors.factories import ActorFactory, RoleAssignmentFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def person(lindenberg):
    return ActorFactory(municipality=lindenberg, person=True, name="An Janssens")


def _assignments(actor, role):
    return list(actor.role_assignments.filter(role=role).order_by("start"))


def test_a_new_assignment_of_the_same_role_ends_the_open_one_the_day_before(person, coordinator):
    first = role_assign(
        actor=person,
        role=RoleType.PROMOTOR,
        start=D(2024, 1, 1),
        function_profile="Drugs plan",
        by=coordinator,
    )
    second = role_assign(
        actor=person,
        role=RoleType.PROMOTOR,
        start=D(2025, 3, 1),
        function_profile="Drugs and nightlife plans",
        by=coordinator,
    )

    first.refresh_from_db()
    assert (first.start, first.end) == (D(2024, 1, 1), D(2025, 2, 28))
    assert (second.start, second.end) == (D(2025, 3, 1), None)
    # Nothing overwritten: the first profile is still there, beside the second.
    assert [a.function_profile for a in _assignments(person, RoleType.PROMOTOR)] == [
        "Drugs plan",
        "Drugs and nightlife plans",
    ]
    # The automatic end is credited to the person who acted, too.
    ended = first.history.order_by("-history_id").first()
    assert ended.end == D(2025, 2, 28)
    assert ended.history_user_id == coordinator.pk
    assert second.history.get().history_user_id == coordinator.pk


def test_another_role_is_left_alone(person, coordinator):
    core = role_assign(
        actor=person, role=RoleType.CORE_GROUP_MEMBER, start=D(2024, 1, 1), by=coordinator
    )
    role_assign(actor=person, role=RoleType.PROMOTOR, start=D(2025, 1, 1), by=coordinator)
    core.refresh_from_db()
    assert core.end is None


@pytest.mark.parametrize("start", [D(2024, 6, 1), D(2024, 5, 31), D(2020, 1, 1)])
def test_a_start_on_or_before_the_current_one_is_refused(person, coordinator, start):
    current = role_assign(
        actor=person, role=RoleType.COORDINATOR, start=D(2024, 6, 1), by=coordinator
    )
    records = RoleAssignment.history.count()

    with pytest.raises(ValidationError) as refused:
        role_assign(actor=person, role=RoleType.COORDINATOR, start=start, by=coordinator)

    assert refused.value.code == "overlap"
    current.refresh_from_db()
    assert current.end is None
    assert person.role_assignments.count() == 1
    assert RoleAssignment.history.count() == records


def test_an_inactive_actor_gets_no_role(person, coordinator):
    actor_set_active(actor=person, active=False, by=coordinator)
    with pytest.raises(ValidationError) as refused:
        role_assign(actor=person, role=RoleType.OTHER, start=D(2025, 1, 1), by=coordinator)
    assert refused.value.code == "inactive"
    assert not person.role_assignments.exists()


def test_who_held_answers_per_date(lindenberg, coordinator):
    """Two people hold the regisseur's role one after the other; a third holds another role."""
    first = ActorFactory(municipality=lindenberg, person=True, name="Eerste Regisseur")
    second = ActorFactory(municipality=lindenberg, person=True, name="Tweede Regisseur")
    other = ActorFactory(municipality=lindenberg, person=True, name="Kerngroeplid")
    old = role_assign(actor=first, role=RoleType.REGISSEUR, start=D(2022, 1, 1), by=coordinator)
    role_end(assignment=old, end=D(2023, 12, 31), by=coordinator)
    role_assign(actor=second, role=RoleType.REGISSEUR, start=D(2024, 1, 1), by=coordinator)
    role_assign(actor=other, role=RoleType.CORE_GROUP_MEMBER, start=D(2021, 1, 1), by=coordinator)

    def holders(day):
        held = who_held(municipality=lindenberg, role=RoleType.REGISSEUR, day=day)
        return [a.actor.name for a in held]

    assert holders(D(2021, 12, 31)) == []
    assert holders(D(2022, 1, 1)) == ["Eerste Regisseur"]  # the first day counts
    assert holders(D(2023, 12, 31)) == ["Eerste Regisseur"]  # and the last day too
    assert holders(D(2024, 1, 1)) == ["Tweede Regisseur"]
    assert holders(D(2030, 1, 1)) == ["Tweede Regisseur"]  # no end: still held


def test_who_held_follows_a_function_profile_change(person, coordinator, lindenberg):
    first = role_assign(
        actor=person,
        role=RoleType.WORKING_GROUP_MEMBER,
        start=D(2024, 1, 1),
        function_profile="Traffic",
        by=coordinator,
    )
    role_change_profile(
        assignment=first,
        title="Chair",
        function_profile="Traffic and mobility",
        start=D(2024, 9, 1),
        by=coordinator,
    )

    def profile_on(day):
        held = who_held(municipality=lindenberg, role=RoleType.WORKING_GROUP_MEMBER, day=day)
        return [(a.actor_id, a.function_profile) for a in held]

    assert profile_on(D(2024, 8, 31)) == [(person.pk, "Traffic")]
    assert profile_on(D(2024, 9, 1)) == [(person.pk, "Traffic and mobility")]


def test_who_held_keeps_to_the_municipality(lindenberg, heidebeek, coordinator):
    ours = ActorFactory(municipality=lindenberg, person=True)
    theirs = ActorFactory(municipality=heidebeek, person=True)
    for actor in (ours, theirs):
        role_assign(actor=actor, role=RoleType.COORDINATOR, start=D(2024, 1, 1), by=coordinator)
    held = who_held(municipality=lindenberg, role=RoleType.COORDINATOR, day=D(2025, 1, 1))
    assert [a.actor_id for a in held] == [ours.pk]


def test_a_new_function_profile_ends_the_old_assignment_and_starts_a_new_one(person, coordinator):
    old = role_assign(
        actor=person,
        role=RoleType.PROMOTOR,
        start=D(2024, 1, 1),
        title="Promotor drugs",
        function_profile="Drugs plan",
        by=coordinator,
    )
    new = role_change_profile(
        assignment=old,
        function_profile="Drugs plan and prevention at schools",
        title="Promotor drugs and schools",
        start=D(2025, 1, 1),
        by=coordinator,
    )
    old.refresh_from_db()
    assert old.end == D(2024, 12, 31)
    assert old.function_profile == "Drugs plan"
    assert (new.role, new.start, new.end, new.title) == (
        RoleType.PROMOTOR,
        D(2025, 1, 1),
        None,
        "Promotor drugs and schools",
    )
    record = new.history.get()
    assert record.history_user_id == coordinator.pk
    assert record.history_change_reason == "Function profile changed"


def test_a_new_function_profile_cannot_start_before_the_old_one(person, coordinator):
    old = role_assign(actor=person, role=RoleType.PROMOTOR, start=D(2024, 1, 1), by=coordinator)
    with pytest.raises(ValidationError) as refused:
        role_change_profile(
            assignment=old, function_profile="x", title="", start=D(2023, 1, 1), by=coordinator
        )
    assert refused.value.code == "overlap"
    assert person.role_assignments.count() == 1


def test_a_role_cannot_end_before_it_starts(person, coordinator):
    assignment = role_assign(actor=person, role=RoleType.OTHER, start=D(2024, 1, 1), by=coordinator)
    with pytest.raises(ValidationError) as refused:
        role_end(assignment=assignment, end=D(2023, 12, 31), by=coordinator)
    assert constraint_message(RoleAssignment, "roleassignment_end_after_start") in (
        refused.value.messages
    )


def test_ending_a_role_is_credited_with_its_reason(person, coordinator):
    assignment = role_assign(actor=person, role=RoleType.OTHER, start=D(2024, 1, 1), by=coordinator)
    role_end(assignment=assignment, end=D(2024, 6, 30), by=coordinator, reason="Moved away")
    record = assignment.history.order_by("-history_id").first()
    assert (record.end, record.history_user_id, record.history_change_reason) == (
        D(2024, 6, 30),
        coordinator.pk,
        "Moved away",
    )


def test_deactivating_an_actor_ends_its_current_roles_today(person, coordinator):
    today = timezone.localdate()
    current = RoleAssignmentFactory(
        actor=person, role=RoleType.PROMOTOR, start=today - datetime.timedelta(days=90)
    )
    past = RoleAssignmentFactory(
        actor=person,
        role=RoleType.OTHER,
        start=today - datetime.timedelta(days=400),
        end=today - datetime.timedelta(days=200),
    )

    actor_set_active(actor=person, active=False, by=coordinator, reason="Left the network")

    current.refresh_from_db()
    past.refresh_from_db()
    assert current.end == today
    assert past.end == today - datetime.timedelta(days=200)
    person.refresh_from_db()
    assert person.active is False
    actor_record = person.history.order_by("-history_id").first()
    assert (actor_record.history_user_id, actor_record.history_change_reason) == (
        coordinator.pk,
        "Left the network",
    )
    assert current.history.order_by("-history_id").first().history_user_id == coordinator.pk


def test_current_roles_are_those_held_today(person, lindenberg):
    today = timezone.localdate()
    held = RoleAssignmentFactory(actor=person, role=RoleType.PROMOTOR, start=today)
    RoleAssignmentFactory(
        actor=person,
        role=RoleType.OTHER,
        start=today - datetime.timedelta(days=10),
        end=today - datetime.timedelta(days=1),
    )
    RoleAssignmentFactory(
        actor=person, role=RoleType.REGISSEUR, start=today + datetime.timedelta(days=1)
    )
    actor = type(person).objects.prefetch_related(current_roles()).get(pk=person.pk)
    assert [a.pk for a in actor.current_roles] == [held.pk]


def test_the_factory_makes_roles_through_the_service(lindenberg):
    assignment = RoleAssignmentFactory(actor__municipality=lindenberg)
    assert assignment.actor.municipality == lindenberg
    assert assignment.history.count() == 1
    assert assignment.actor.history.count() == 1
