"""``manage.py seed_scale``: scale data made through the apps' seeders, with history for every
bulk row, working permissions for every role, resumable after an interruption, refused on a
remote database. Run with ``--size small`` so it stays fast."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

import pytest

from actors.models import Actor, RoleAssignment
from coregroup.models import Attendance, CoreGroup, Meeting
from plans.constants import PlanState, RemarkStatus, RoundStatus
from plans.models import (
    Action,
    ActionPlan,
    Indicator,
    Measurement,
    Plan,
    ProgressReport,
    Remark,
    Response,
    Vote,
    VoteRound,
)
from plans.scale import CHANGED_STATUS, SIZES, TICKED
from safetynet.constants import Role, TwoFactorPolicy
from safetynet.models import Membership, Municipality, User
from safetynet.permissions import has_perm
from safetynet.registry import register_scale_seeder, unregister
from safetynet.scale import ACCOUNTS, FIRST_ACTORS, REASON, USERNAME

SMALL = SIZES["small"]


def seed(count, **options):
    output = io.StringIO()
    call_command(
        "seed_scale", municipalities=count, size="small", password="pw", stdout=output, **options
    )
    return output.getvalue()


def table_counts() -> dict:
    models = [Municipality, User, Membership, Actor, RoleAssignment, Meeting, Attendance, Plan,
              ActionPlan, Action, ProgressReport, Measurement, Remark, Response, Vote]  # fmt: skip
    return {
        **{model.__name__: model.objects.count() for model in models},
        **{f"{model.__name__} history": model.history.count() for model in models},
    }


def _interrupt(run):
    if run.index == 2:
        raise KeyboardInterrupt


@pytest.fixture
def interrupt_second():
    register_scale_seeder("test-interrupt", _interrupt, order=150)  # after the actors
    yield
    unregister("test-interrupt")


@pytest.mark.django_db
def test_interrupted_run_is_rolled_back_and_resumed_and_nothing_is_made_twice(interrupt_second):
    with pytest.raises(CommandError, match="scale-002 was rolled back") as raised:
        seed(2)
    assert raised.value.returncode == 130
    assert set(Municipality.objects.values_list("slug", flat=True)) == {"scale-001"}
    assert not User.objects.filter(username__startswith="scale-002").exists()

    unregister("test-interrupt")
    output = seed(2)
    assert "scale-002" in output
    assert "scale-001" not in output.split("\n")[0]
    assert "1 municipalities made, 1 already there" in output
    first, second = Municipality.objects.filter(slug__startswith="scale-").order_by("slug")
    assert (first.name, first.nis_code) == ("Schaaldorp 001", "98001")
    assert (second.name, second.nis_code) == ("Schaaldorp 002", "98002")
    assert first.two_factor == TwoFactorPolicy.PRIVILEGED  # the model's default

    # The volume of --size small.
    assert Actor.objects.filter(municipality=first).count() == FIRST_ACTORS["small"]
    assert User.objects.filter(home_municipality=second).count() == sum(ACCOUNTS["small"].values())
    plans = {p.state: p for p in Plan.objects.filter(municipality=first)}
    assert set(plans) == {PlanState.STEERING, PlanState.CONSULTATION, PlanState.COLLEGE_REVIEW}
    steering = plans[PlanState.STEERING]
    action_plans = ActionPlan.objects.filter(goal__plan=steering)
    assert action_plans.count() == SMALL["goals"] * SMALL["action_plans"]
    assert Action.objects.filter(action_plan__goal__plan=steering).count() == (
        action_plans.count() * SMALL["actions"]
    )
    assert (
        ProgressReport.objects.filter(action_plan__goal__plan=steering).count()
        == (SMALL["reports"])
    )
    assert Measurement.objects.filter(
        indicator__expected_result__action_plan__goal__plan=steering
    ).exists()
    assert steering.adopted_round is not None
    assert steering.adopted_round.document.is_ready
    consultation = plans[PlanState.CONSULTATION]
    assert Remark.objects.filter(plan=consultation).count() == SMALL["remarks"]
    assert Remark.objects.filter(plan=consultation, status=RemarkStatus.SPAM).exists()
    assert Response.objects.filter(remark__plan=consultation).exists()
    college_round = VoteRound.objects.get(plan=plans[PlanState.COLLEGE_REVIEW])
    assert college_round.status == RoundStatus.OPEN
    assert college_round.votes.count() == 2
    assert CoreGroup.objects.get(municipality=first).meetings.count() == 72

    # Every bulk row has its history record, credited with the scale reason.
    for model in (Actor, RoleAssignment, Meeting, ActionPlan, Indicator, ProgressReport):
        assert model.history.filter(history_type="+").count() == model.objects.count()
    actor = Actor.objects.filter(municipality=first, external_key="scale-org-1").get()
    record = actor.history.get()
    assert record.history_change_reason == REASON
    assert record.history_user.username == "scale-001-coordinator"
    report = ProgressReport.objects.filter(action_plan__goal__plan=steering).first()
    assert report.history.get().history_user == report.author
    # The action plans' status and the ticked actions are changes in the plan's history.
    changed = ActionPlan.history.filter(goal__plan=steering, history_type="~")
    ticked = Action.history.filter(action_plan__goal__plan=steering, history_type="~")
    assert changed.filter(history_change_reason=CHANGED_STATUS).exists()
    assert ticked.filter(history_change_reason=TICKED).exists()
    assert changed.count() + ticked.count() == SMALL["history_changes"]

    # Run again: nothing is added.
    before = table_counts()
    output = seed(2)
    assert "0 municipalities made, 2 already there" in output
    assert table_counts() == before


def pages(municipality, plans):
    slug = municipality.slug
    steering, consultation, college = (
        plans[PlanState.STEERING],
        plans[PlanState.CONSULTATION],
        plans[PlanState.COLLEGE_REVIEW],
    )
    m = {"municipality": slug}
    return {
        "dashboard": reverse("dashboard"),
        "actors": reverse("actors:actor-list", kwargs=m),
        "network": reverse("actors:network", kwargs=m),
        "kerngroep": reverse("coregroup:composition", kwargs=m),
        "plans": reverse("plans:plan-list", kwargs=m),
        "steering plan": reverse("plans:plan-detail", kwargs={**m, "pk": steering.pk}),
        "consultation plan": reverse("plans:plan-detail", kwargs={**m, "pk": consultation.pk}),
        "vote": reverse("plans:vote", kwargs={**m, "pk": college.pk}),
        "monitor": reverse("monitor:monitor", kwargs=m),
        "history": reverse("plans:plan-history", kwargs={**m, "pk": steering.pk}),
        "follow-up": reverse("plans:follow-up", kwargs=m),
        "public": reverse("public-plan", kwargs={**m, "pk": consultation.pk}),
    }


# Which pages each role opens (the pages of its work; every role reads the plans).
ROLE_PAGES = {
    Role.ADMIN: ["dashboard", "actors", "plans", "steering plan", "monitor"],
    Role.COORDINATOR: ["dashboard", "actors", "network", "kerngroep", "steering plan",
                       "consultation plan", "vote", "monitor", "history", "follow-up"],
    Role.COLLEGE: ["dashboard", "actors", "plans", "steering plan", "vote", "monitor"],
    Role.COUNCIL_SECRETARY: ["dashboard", "plans", "steering plan", "vote", "monitor"],
    Role.CORE_GROUP: ["dashboard", "kerngroep", "steering plan", "monitor", "follow-up"],
    Role.PROMOTOR: ["dashboard", "actors", "steering plan", "monitor", "history"],
    Role.VIEWER: ["dashboard", "actors", "plans", "steering plan", "monitor"],
}  # fmt: skip


@pytest.mark.django_db
def test_every_role_opens_its_main_pages_and_promotors_hold_their_grants(client):
    seed(1)
    municipality = Municipality.objects.get(slug="scale-001")
    # The benchmark gives privileged users a second factor; here the policy is switched off.
    Municipality.objects.filter(pk=municipality.pk).update(two_factor=TwoFactorPolicy.OFF)
    plans = {p.state: p for p in Plan.objects.filter(municipality=municipality)}
    urls = pages(municipality, plans)
    assert client.get(urls["public"]).status_code == 200  # the consultation, anonymous
    for role, names in ROLE_PAGES.items():
        user = User.objects.get(username=f"scale-001-{role_username(role)}")
        assert Membership.objects.filter(user=user, municipality=municipality, role=role).exists()
        assert user.check_password("pw")
        client.force_login(user)
        for name in names:
            response = client.get(urls[name])
            assert response.status_code == 200, (role, name, response.status_code)
    mayor = User.objects.get(username="scale-001-college1")
    assert Membership.objects.get(user=mayor, role=Role.COLLEGE).is_chair
    assert has_perm(mayor, "plans.vote_plan", plans[PlanState.COLLEGE_REVIEW])
    # A promotor edits the action plans that are theirs, through the personal grant, and no
    # other (the coordinator edits every one through the role).
    promotor = User.objects.get(username="scale-001-promotor1")
    own = ActionPlan.objects.filter(promotor__user=promotor)
    other = ActionPlan.objects.exclude(promotor__user=promotor).filter(
        goal__plan__municipality=municipality
    )
    assert own.exists()
    assert other.exists()
    assert all(has_perm(promotor, "plans.change_actionplan", ap) for ap in own)
    assert not any(has_perm(promotor, "plans.change_actionplan", ap) for ap in other)


def role_username(role) -> str:
    return USERNAME[role] + ("1" if ACCOUNTS["small"][role] > 1 else "")


@pytest.mark.django_db
def test_a_database_on_another_machine_is_refused(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.example.org")
    with pytest.raises(CommandError, match="only on a database on this machine"):
        seed(1)
    monkeypatch.undo()
    assert not Municipality.objects.filter(slug="scale-001").exists()
