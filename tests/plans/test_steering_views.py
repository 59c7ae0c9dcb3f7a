"""Phase 4 pages at work (who may open them is the role matrix of ``test_views.py``): a promotor
reports through the form on their own action plan and is refused on another's, a correction
made over someone else's shows the conflict, the coordinator puts an obstacle before the mayor
and the mayor alone answers it, the evaluation before closing, the monitor's filters, and the
dashboard panels of the promotor and the mayor."""

import datetime
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

import pytest

from plans.constants import PlanState, ReportStatus
from plans.models import Escalation, GoalEvaluation, Plan, ProgressReport
from plans.services.steering import escalation_raise, report_update
from safetynet.concurrency import latest_version
from safetynet.constants import Role
from tests.plans import builders
from tests.plans.builders import (
    action_plan,
    budget,
    complete_plan,
    expected_result,
    member,
    person,
    report,
    steer,
)
from tests.plans.pages_support import plan_page

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def scene(lindenberg, coordinator, make_member):
    """Lindenberg's plan in steering (adopted 1 March 2026): Ingrid's action plan and Jan's."""
    members = builders.college(lindenberg, 3)
    ingrid = member(lindenberg, Role.PROMOTOR, "Ingrid", "Wouters")
    jan = member(lindenberg, Role.PROMOTOR, "Jan", "Maes")
    built = complete_plan(
        lindenberg, coordinator, promotor=person(lindenberg, "Ingrid Wouters", user=ingrid)
    )
    other = action_plan(
        built.operational_goal,
        coordinator,
        "Inbraakpreventie-advies",
        promotor=person(lindenberg, "Jan Maes", user=jan),
        start=D(2026, 1, 1),
        end=D(2027, 12, 31),
    )
    expected_result(other, coordinator)
    budget(other, coordinator)
    steer(built.plan, coordinator, members, make_member(Role.COUNCIL_SECRETARY))
    return SimpleNamespace(
        plan=built.plan,
        own=built.action_plan,
        other=other,
        action=built.action,
        goal=built.goal,
        ingrid=ingrid,
        jan=jan,
        coordinator=coordinator,
        mayor=members[0],
        schepen=members[1],
    )


def steering_page(name, scene, action_plan, **kwargs):
    return plan_page(name, scene.plan, action_plan=action_plan.pk, **kwargs)


# --- Reports through the pages -----------------------------------------------------------------


def test_a_promotor_reports_on_their_own_action_plan(client, scene):
    client.force_login(scene.ingrid)
    url = steering_page("report-add", scene, scene.own)
    form = client.get(url).context["form"]
    periods = [value for value, _label in form.fields["period_end"].choices]
    assert periods  # every period owed and not reported, latest first
    assert periods == sorted(periods, reverse=True)
    response = client.post(
        url,
        {
            "period_end": periods[-1],
            "status": ReportStatus.AT_RISK,
            "percent": 20,
            "budget_spent": "150.00",
            "text": "De politie heeft minder tijd dan gepland.",
            "actions_done": [scene.action.pk],
        },
    )
    assert response.status_code == 302
    assert response.url == steering_page("steering", scene, scene.own)
    saved = ProgressReport.objects.get()
    assert (saved.action_plan, saved.author, saved.period_end.isoformat()) == (
        scene.own,
        scene.ingrid,
        periods[-1],
    )
    assert saved.actions_done == [scene.action.pk]
    assert saved.history.get().history_user == scene.ingrid
    page = client.get(steering_page("steering", scene, scene.own))
    assert "De politie heeft minder tijd dan gepland." in page.content.decode()
    assert page.context["may_report"] is True
    # The period reported is no longer offered.
    again = client.get(url).context["form"].fields["period_end"].choices
    assert periods[-1] not in [value for value, _label in again]


def test_a_promotor_is_refused_on_another_promotors_action_plan(client, scene):
    theirs = report(scene.other, scene.coordinator, D(2026, 3, 31))
    client.force_login(scene.ingrid)
    data = {"period_end": "2026-06-30", "status": "on_track", "percent": 5, "text": "Gekaapt"}
    assert client.post(steering_page("report-add", scene, scene.other), data).status_code == 403
    edit = steering_page("report-edit", scene, scene.other, report=theirs.pk)
    assert client.post(edit, {**data, "percent": 99}).status_code == 403
    assert list(ProgressReport.objects.values_list("percent", flat=True)) == [40]
    # Reading the follow-up is for everyone, without the links to report.
    page = client.get(steering_page("steering", scene, scene.other))
    assert page.status_code == 200
    assert page.context["may_report"] is False
    assert steering_page("report-add", scene, scene.other) not in page.content.decode()


def test_a_report_of_another_action_plan_is_404_under_this_one(client, scene):
    theirs = report(scene.other, scene.coordinator, D(2026, 3, 31))
    client.force_login(scene.ingrid)
    url = steering_page("report-edit", scene, scene.own, report=theirs.pk)
    assert client.get(url).status_code == 404


def test_a_stale_correction_shows_the_conflict_and_keeps_the_input(client, scene):
    written = report(scene.own, scene.ingrid, D(2026, 3, 31), percent=30)
    client.force_login(scene.ingrid)
    url = steering_page("report-edit", scene, scene.own, report=written.pk)
    stale_version = client.get(url).context["form"]["version"].value()
    assert stale_version == latest_version(written)
    report_update(report=ProgressReport.objects.get(), by=scene.coordinator, percent=35)
    data = {
        "status": ReportStatus.ON_TRACK,
        "percent": 45,
        "budget_spent": "0",
        "text": "Mijn versie",
        "version": stale_version,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["conflict"]
    assert response.context["form"].data["text"] == "Mijn versie"
    assert ProgressReport.objects.get().percent == 35


# --- Obstacles for the mayor ---------------------------------------------------------------------


def test_the_coordinator_puts_an_obstacle_before_the_mayor_who_answers_it(
    client, scene, mailoutbox, django_capture_on_commit_callbacks
):
    url = plan_page("escalations", scene.plan)
    client.force_login(scene.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"subject": f"action-plan-{scene.own.pk}", "text": "Geen politiecapaciteit"}
        )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert (escalation.action_plan, escalation.raised_by) == (scene.own, scene.coordinator)
    assert [mail.to for mail in mailoutbox] == [[scene.mayor.email]]

    answer = plan_page("escalation-answer", scene.plan, escalation=escalation.pk)
    client.force_login(scene.schepen)
    assert client.post(answer, {"answer": "Ik regel het"}).status_code == 403
    assert Escalation.objects.get().is_open

    client.force_login(scene.mayor)
    dashboard = client.get("/").content.decode()
    assert answer in dashboard  # the obstacle waits on the mayor's dashboard
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer, {"answer": "Ik breng het op de zonale raad."})
    assert response.status_code == 302
    answered = Escalation.objects.get()
    assert (answered.answered_by, answered.answer) == (
        scene.mayor,
        "Ik breng het op de zonale raad.",
    )
    assert mailoutbox[-1].to == [scene.coordinator.email]
    assert answer not in client.get("/").content.decode()

    twice = client.post(answer, {"answer": "Nog eens"})
    assert twice.status_code == 200
    assert twice.context["form"].errors
    assert Escalation.objects.get().answer == "Ik breng het op de zonale raad."


def test_a_viewer_may_not_raise_an_obstacle(client, scene, viewer):
    client.force_login(viewer)
    response = client.post(plan_page("escalations", scene.plan), {"subject": "", "text": "Help"})
    assert response.status_code == 403
    assert not Escalation.objects.exists()


def test_an_obstacle_of_another_plan_is_404(client, scene, lindenberg):
    elsewhere = complete_plan(lindenberg, scene.coordinator, title="Ander plan")
    Plan.objects.filter(pk=elsewhere.plan.pk).update(state=PlanState.STEERING)
    theirs = escalation_raise(plan=elsewhere.plan, by=scene.coordinator, text="Elders")
    client.force_login(scene.mayor)
    url = plan_page("escalation-answer", scene.plan, escalation=theirs.pk)
    assert client.get(url).status_code == 404


# --- The evaluation and closing ------------------------------------------------------------------


def test_the_evaluation_page_and_closing(client, scene):
    client.force_login(scene.coordinator)
    url = plan_page("evaluation", scene.plan)
    response = client.get(url)
    assert response.context["may_write"] is True
    assert response.context["problems"]  # the strategic goal has no evaluation yet
    refused = client.post(plan_page("close", scene.plan), {"reason": "Klaar"})
    assert refused.status_code == 200
    assert Plan.objects.get(pk=scene.plan.pk).state == PlanState.STEERING

    prefix = f"goal-{scene.goal.pk}"
    response = client.post(url, {f"{prefix}-result": "Inbraken -30 %", f"{prefix}-lessons": ""})
    assert response.status_code == 302
    evaluation = GoalEvaluation.objects.get(goal=scene.goal)
    assert evaluation.result == "Inbraken -30 %"
    assert evaluation.history.get().history_user == scene.coordinator
    assert client.get(url).context["problems"] == []

    response = client.post(plan_page("close", scene.plan), {"reason": "Einde van de legislatuur"})
    assert response.status_code == 302
    assert Plan.objects.get(pk=scene.plan.pk).state == PlanState.CLOSED
    # Closed: the evaluation is read, no longer written; no report is taken.
    assert client.get(url).context["may_write"] is False
    assert client.post(url, {f"{prefix}-result": "Anders"}).status_code == 403
    assert client.get(steering_page("steering", scene, scene.own)).context["may_report"] is False


# --- The monitor page --------------------------------------------------------------------------


def test_the_monitor_page_filters_and_refuses_another_municipalitys_plan(
    client, scene, viewer, heidebeek
):
    report(scene.own, scene.coordinator, D(2026, 3, 31), ReportStatus.DELAYED, 10)
    url = reverse("monitor:monitor", kwargs={"municipality": "lindenberg"})
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["plan"] == scene.plan
    assert {row.action_plan for row in response.context["monitor"].rows} == {
        scene.own,
        scene.other,
    }
    delayed = client.get(url, {"status": ReportStatus.DELAYED})
    assert [row.action_plan for row in delayed.context["monitor"].rows] == [scene.own]
    bogus = client.get(url, {"status": "bogus"})  # an unknown status filters nothing
    assert len(bogus.context["monitor"].rows) == 2

    theirs = complete_plan(heidebeek, None, title="Heideplan").plan
    Plan.objects.filter(pk=theirs.pk).update(state=PlanState.STEERING)
    assert client.get(url, {"plan": theirs.pk}).status_code == 404
    assert client.get(url, {"plan": "niets"}).context["plan"] == scene.plan


def test_the_monitor_without_a_plan_in_steering(client, lindenberg, viewer):
    client.force_login(viewer)
    response = client.get(reverse("monitor:monitor", kwargs={"municipality": "lindenberg"}))
    assert response.status_code == 200
    assert response.context["monitor"] is None
    export = reverse(
        "monitor:export",
        kwargs={"municipality": "lindenberg", "table": "action-plans", "fmt": "csv"},
    )
    assert client.get(export).status_code == 404


# --- Dashboard panels ----------------------------------------------------------------------------


def test_the_promotor_sees_the_reports_they_owe_on_the_dashboard(client, scene, viewer):
    assert timezone.localdate() > D(2026, 4, 14)  # the first quarter's report is overdue
    client.force_login(scene.ingrid)
    html = client.get("/").content.decode()
    assert 'id="panel-reports-due"' in html
    assert steering_page("steering", scene, scene.own) in html
    assert steering_page("steering", scene, scene.other) not in html  # Jan's

    client.force_login(viewer)
    assert 'id="panel-reports-due"' not in client.get("/").content.decode()


def test_an_action_plan_reported_done_owes_nothing_more(client, scene):
    client.force_login(scene.jan)
    assert steering_page("steering", scene, scene.other) in client.get("/").content.decode()
    report(scene.other, scene.coordinator, D(2026, 3, 31), ReportStatus.DONE, 100)
    assert steering_page("steering", scene, scene.other) not in client.get("/").content.decode()
