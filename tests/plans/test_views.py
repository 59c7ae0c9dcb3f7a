"""The plan pages: who may open what (a role matrix per page, 404 for another municipality under
both slugs, login for anonymous), what each page does, promotors on their own action plans, edit
conflicts, read-only content during a vote, who sees how each college member voted, and the
dashboard's panel of votes waiting."""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from plans.constants import PlanState, RoundStatus, VoteChoice
from plans.models import (
    ActionPlan,
    CouncilDecision,
    Discussion,
    Plan,
    PlanTransition,
    Vote,
    VoteRound,
)
from plans.services import item_update, vote_cast
from plans.services.content import READ_ONLY
from plans.services.steering import escalation_raise, measurement_record, report_submit
from plans.views.items import KINDS
from safetynet.constants import Role
from tests.plans.pages_support import (
    add_action_plan,
    add_goal,
    add_indicator,
    add_result,
    discuss,
    new_plan,
    person,
    plan_page,
    ready_plan,
    submit,
    walk_to,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now


def nl(message):
    """A message as the (Dutch) page shows it."""
    with translation.override("nl"):
        return gettext(message)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_values(form) -> dict:
    """What the browser would send back for an unchanged form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        data[name] = value
    return data


# --- The scene: a plan before the college, one user per role ------------------------------------


@pytest.fixture
def scene(lindenberg, role_users, make_member, other_coordinator):
    """A ready plan of Lindenberg submitted to the college (an open round), one user per role,
    the college chair and a third college member who never votes."""
    coordinator = role_users[Role.COORDINATOR]
    chair = make_member(Role.COLLEGE, is_chair=True, username="chair", last_name="Aerts")
    silent = make_member(Role.COLLEGE, username="college-3", last_name="Zeger")
    plan = ready_plan(lindenberg, coordinator)
    vote_round = submit(plan, coordinator)
    users = {**role_users, "chair": chair}
    return SimpleNamespace(
        plan=plan,
        items=plan.items,
        vote_round=vote_round,
        users=users,
        coordinator=coordinator,
        chair=chair,
        silent=silent,
        stranger=other_coordinator,
    )


ALL = frozenset([*Role.values, "chair"])
COORDINATOR = frozenset([Role.COORDINATOR])
OWN_ACTION_PLAN = frozenset([Role.COORDINATOR, Role.PROMOTOR])  # the promotor's personal grant


@dataclass(frozen=True)
class Page:
    name: str
    method: str  # "get" or "post"
    allowed: frozenset  # roles (and "chair") who get ``ok``; the others 403
    ok: int = 200
    kind: str = ""  # for the item pages
    on_plan: bool = True  # a page about one plan (False: the municipality's list, new, board)
    namespace: str = "plans"
    # Phase 4 pages are about a plan in steering (``steered``), and about an action plan: the
    # promotor role user's own ("own") or someone else's ("other").
    steering: bool = False
    of: str = "own"

    @property
    def id(self) -> str:
        variant = "-other" if self.of != "own" else ""
        return f"{self.method}-{self.name}{'-' + self.kind if self.kind else ''}{variant}"

    def plan(self, scene):
        if self.name == "adoption-pdf":  # a plan submitted for adoption has that document
            return submitted_for_adoption(scene)
        return steered(scene).plan if self.steering else scene.plan

    def kwargs(self, scene):
        plan = self.plan(scene)  # the monitor's pages too need the plan in steering
        if self.name == "export":
            return {"table": "action-plans", "fmt": "csv"}
        if not self.on_plan:
            return {}
        kwargs = {"pk": plan.pk}
        if self.kind:
            kwargs["kind"] = self.kind
        if self.name != "item-add" and self.kind:
            kwargs["item"] = scene.items[self.kind].pk
        if self.name == "remark-detail":
            kwargs["remark"] = a_remark(scene.plan).pk
        if self.name == "round-extract":
            kwargs["round"] = scene.vote_round.pk
        if self.steering:
            objects = getattr(steered(scene), self.of)
            for name in STEERING_KWARGS.get(self.name, ()):
                kwargs[name] = getattr(objects, name).pk
        return kwargs

    def url(self, scene, municipality="lindenberg") -> str:
        url = reverse(
            f"{self.namespace}:{self.name}",
            kwargs={"municipality": municipality, **self.kwargs(scene)},
        )
        if self.name == "item-add" and KINDS[self.kind].parent_model is not None:
            parent = "action-plan" if self.kind != "indicator" else "result"
            url += f"?parent={scene.items[parent].pk}"
        return url

    def data(self, scene) -> dict:
        return {
            "vote": {"choice": VoteChoice.APPROVE, "comment": ""},
            "item-move": {"direction": "down"},
            "acting-chair": {"user": scene.chair.pk},
            "round-reference": {"reference": "CBS/2026/4"},
            "phenomena": {"name_nl": "Winkeldiefstal"},
        }.get(self.name, {})


PAGES = [
    Page("plan-list", "get", ALL, on_plan=False),
    Page("plan-create", "get", COORDINATOR, on_plan=False),
    Page("follow-up", "get", frozenset([Role.COORDINATOR, Role.CORE_GROUP]), on_plan=False),
    Page("plan-detail", "get", ALL),
    Page("plan-edit", "get", COORDINATOR),
    Page("plan-history", "get", ALL),
    # The documents (PDF): everyone of the municipality reads them; a failed one is retried
    # by POST, by whoever may read it.
    Page("plan-pdf", "get", ALL),
    Page("plan-pdf", "post", ALL),
    Page("adoption-pdf", "get", ALL),
    Page("antwoordnota-pdf", "get", ALL),
    Page("round-extract", "get", ALL),
    Page("adopted-diff", "get", ALL),
    Page("phenomena", "get", ALL, on_plan=False),
    Page("phenomena", "post", COORDINATOR, 302, on_plan=False),
    *[Page("item-add", "get", COORDINATOR, kind=kind) for kind in KINDS],
    *[Page("item-edit", "get", COORDINATOR, kind=kind) for kind in KINDS],
    *[Page("item-remove", "post", COORDINATOR, 302, kind=kind) for kind in KINDS],
    *[Page("item-move", "post", COORDINATOR, 302, kind=kind) for kind in KINDS],
    Page("submit", "get", COORDINATOR),
    Page("withdraw", "get", COORDINATOR),
    Page("close", "get", COORDINATOR),
    Page("consultation", "get", COORDINATOR),
    Page("discussion-add", "get", COORDINATOR),
    Page("vote", "get", ALL),
    Page("vote", "post", frozenset([Role.COLLEGE, "chair"]), 302),
    Page("round-close", "post", frozenset(["chair"]), 302),  # before the deadline: a message
    Page("acting-chair", "post", frozenset([Role.COORDINATOR, "chair"]), 302),
    Page("round-reference", "post", COORDINATOR, 302),
    Page("council-decision", "get", frozenset([Role.COUNCIL_SECRETARY])),
    # The consultation: remarks carry senders' personal data, the coordinator alone sees them;
    # the antwoordnota (redacted texts and answers) is for everyone.
    Page("remark-list", "get", COORDINATOR),
    Page("remark-enter", "get", COORDINATOR),
    Page("remark-detail", "get", COORDINATOR),
    Page("antwoordnota", "get", ALL),
    # Phase 4, steering: everyone reads the follow-up and the evaluation; the coordinator sets
    # the rhythm and raises obstacles, which the college reads and the mayor (the college's
    # chair) alone answers; a promotor reports and measures on their own action plans only.
    Page("reporting", "get", COORDINATOR, steering=True),
    Page("escalations", "get", frozenset([Role.COORDINATOR, Role.COLLEGE, "chair"]), steering=True),
    Page("escalation-answer", "get", frozenset(["chair"]), steering=True),
    Page("evaluation", "get", ALL, steering=True),
    Page("steering", "get", ALL, steering=True),
    Page("steering", "get", ALL, steering=True, of="other"),
    *[
        Page(name, "get", OWN_ACTION_PLAN, steering=True)
        for name in ("report-add", "report-edit", "measurement-add", "measurement-edit")
    ],
    *[
        Page(name, "get", COORDINATOR, steering=True, of="other")
        for name in ("report-add", "report-edit", "measurement-add", "measurement-edit")
    ],
    # The monitor, at /<municipality>/monitor/: everyone of the municipality reads it.
    Page("monitor", "get", ALL, on_plan=False, namespace="monitor", steering=True),
    Page("indicators", "get", ALL, on_plan=False, namespace="monitor", steering=True),
    Page("export", "get", ALL, on_plan=False, namespace="monitor", steering=True),
    Page("report", "get", ALL, on_plan=False, namespace="monitor", steering=True),
]

# The objects a phase 4 page names in its address, besides the plan.
STEERING_KWARGS = {
    "steering": ("action_plan",),
    "report-add": ("action_plan",),
    "report-edit": ("action_plan", "report"),
    "measurement-add": ("action_plan", "indicator"),
    "measurement-edit": ("action_plan", "measurement"),
    "escalation-answer": ("escalation",),
}


def steered(scene):
    """A second Lindenberg plan, in steering (made once per scene, when a phase 4 page asks):
    the promotor role user's own action plan and someone else's, each with a report, an
    indicator with a measurement; and an obstacle before the mayor. Put in steering directly:
    the scene's vote round must stay the only one with votes."""
    if hasattr(scene, "steered"):
        return scene.steered
    municipality, coordinator = scene.plan.municipality, scene.coordinator
    own = person(municipality, "Sofie Claes", user=scene.users[Role.PROMOTOR])
    plan = ready_plan(municipality, coordinator, promotor=own, title="Plan in uitvoering")
    other = add_action_plan(
        plan.items["goal"],
        coordinator,
        title="Cameratoezicht",
        promotor=person(municipality, "Jan"),
    )
    other_indicator = add_indicator(add_result(other, coordinator), coordinator)
    Plan.objects.filter(pk=plan.pk).update(
        state=PlanState.STEERING, reports_from=datetime.date(2026, 3, 1)
    )
    plan.refresh_from_db()

    def follow_up(action_plan, indicator):
        return SimpleNamespace(
            action_plan=action_plan,
            report=report_submit(
                action_plan=action_plan,
                by=coordinator,
                period_end=datetime.date(2026, 3, 31),
                status="on_track",
                percent=25,
                text="Gestart",
                day=datetime.date(2026, 4, 7),
            ),
            indicator=indicator,
            measurement=measurement_record(
                indicator=indicator,
                by=coordinator,
                date=datetime.date(2026, 6, 30),
                value=100,
            ),
        )

    scene.steered = SimpleNamespace(
        plan=plan,
        own=follow_up(plan.items["action-plan"], plan.items["indicator"]),
        other=follow_up(other, other_indicator),
        escalation=escalation_raise(plan=plan, by=coordinator, text="Geen politiecapaciteit"),
    )
    scene.steered.own.escalation = scene.steered.other.escalation = scene.steered.escalation
    return scene.steered


def submitted_for_adoption(scene):
    """A third Lindenberg plan, submitted for adoption (made once per scene, when the
    adoption.pdf page asks): its adoption round is open and has its document. Put in revision
    directly, and nobody votes on it: the scene's vote round must stay the only one with
    votes."""
    if not hasattr(scene, "in_adoption"):
        plan = ready_plan(scene.plan.municipality, scene.coordinator, title="Plan ter vaststelling")
        Plan.objects.filter(pk=plan.pk).update(state=PlanState.REVISION)
        vote_round = submit(plan, scene.coordinator)
        assert vote_round.document.is_ready
        scene.in_adoption = vote_round.plan
    return scene.in_adoption


def a_remark(plan):
    """A remark on ``plan`` (made once), for the remark page of the matrix."""
    from plans.models import Remark

    remark, _created = Remark.objects.get_or_create(
        plan=plan,
        reference="R-MATRIX",
        defaults={"text": "Meer licht in het park", "received_on": datetime.date(2026, 3, 1)},
    )
    return remark


def test_every_page_of_the_urlconf_is_in_the_matrix():
    from plans.monitor_urls import urlpatterns as monitor_patterns
    from plans.urls import urlpatterns

    assert {p.name for p in PAGES if p.namespace == "plans"} == {
        pattern.name for pattern in urlpatterns
    }
    assert {p.name for p in PAGES if p.namespace == "monitor"} == {
        pattern.name for pattern in monitor_patterns
    }
    assert {p.kind for p in PAGES if p.kind} == set(KINDS)


def request(client, page, scene, user=None, municipality="lindenberg"):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    call = getattr(client, page.method)
    url = page.url(scene, municipality)
    return call(url, page.data(scene)) if page.method == "post" else call(url)


def matrix_params():
    for page in PAGES:
        yield pytest.param(page, id=page.id)


@pytest.mark.parametrize("page", list(matrix_params()))
def test_role_matrix(client, scene, page):
    got = {
        role: request(client, page, scene, user).status_code for role, user in scene.users.items()
    }
    expected = {role: page.ok if role in page.allowed else 403 for role in scene.users}
    assert got == expected


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_another_municipality_gets_404_under_both_slugs(
    client, scene, page, make_member, heidebeek
):
    """A Heidebeek member holding the very permission the page asks (so that only the
    municipality decides) gets 404 under Lindenberg's slug and under their own; Heidebeek's
    coordinator too, or under their own slug exactly what an unknown id gets (the council page
    is not theirs: 403 whatever the id), so nothing tells that Lindenberg's plan exists."""
    role = sorted(page.allowed)[0]
    holder = make_member(
        Role.COLLEGE if role == "chair" else role, municipality=heidebeek, is_chair=role == "chair"
    )
    for user in (holder, scene.stranger):
        assert request(client, page, scene, user, "lindenberg").status_code == 404
    if page.on_plan:
        assert request(client, page, scene, holder, "heidebeek").status_code == 404
        own_slug = request(client, page, scene, scene.stranger, "heidebeek").status_code
        plan_pk = page.plan(scene).pk
        unknown = page.url(scene, "heidebeek").replace(f"/{plan_pk}/", "/999999/", 1)
        assert own_slug == getattr(client, page.method)(unknown).status_code
        assert own_slug == (403 if page.name == "council-decision" else 404)
    scene.plan.refresh_from_db()
    assert scene.plan.state == PlanState.COLLEGE_REVIEW
    assert not Vote.objects.exists()
    scene.vote_round.refresh_from_db()
    assert (scene.vote_round.acting_chair, scene.vote_round.reference) == (None, "")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_anonymous_is_sent_to_the_login(client, scene, page):
    response = request(client, page, scene)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("kind", KINDS)
def test_an_item_of_another_plan_is_404(client, scene, heidebeek, kind):
    """Heidebeek's coordinator, on their own plan, with the id of a Lindenberg item."""
    own = new_plan(heidebeek, scene.stranger)
    client.force_login(scene.stranger)
    item = scene.items[kind].pk
    edit = plan_page("item-edit", own, kind=kind, item=item)
    assert client.get(edit).status_code == 404
    assert client.post(plan_page("item-remove", own, kind=kind, item=item)).status_code == 404
    assert Plan.objects.filter(pk=scene.plan.pk).exists()
    assert type(scene.items[kind]).objects.filter(pk=item).exists()


def test_an_unknown_kind_is_404(client, scene):
    client.force_login(scene.coordinator)
    base = plan_page("plan-detail", scene.plan)
    assert client.get(base + "budget/new/").status_code == 404
    assert client.get(base + f"budget/{scene.items['action'].pk}/").status_code == 404


# --- The list, a new plan, the plan page and its edit -------------------------------------------


def test_plan_list_search_filter_and_pages(client, lindenberg, heidebeek, coordinator, make_member):
    for i in range(28):
        new_plan(lindenberg, coordinator, title=f"Plan {i:02}", period_start=2000 + i % 5)
    new_plan(lindenberg, coordinator, title="Fietsplan", summary="Fietsdiefstal aanpakken")
    steering = new_plan(lindenberg, coordinator, title="Oud plan")
    Plan.objects.filter(pk=steering.pk).update(state=PlanState.STEERING)
    new_plan(heidebeek, make_member(Role.COORDINATOR, municipality=heidebeek), title="Heideplan")
    url = reverse("plans:plan-list", kwargs={"municipality": "lindenberg"})
    client.force_login(make_member(Role.VIEWER))

    first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["plans"]) == 25
    assert first.context["page_obj"].paginator.count == 30  # not Heidebeek's
    assert not first.context["may_create"]
    second = client.get(url, {"page": 2})
    titles = {p.title for p in first.context["plans"]} | {p.title for p in second.context["plans"]}
    assert len(titles) == 30
    assert "Heideplan" not in titles
    assert "Heideplan" not in first.content.decode() + second.content.decode()

    assert [p.title for p in client.get(url, {"q": "fietsdief"}).context["plans"]] == ["Fietsplan"]
    assert [p.title for p in client.get(url, {"q": "FIETSPLAN"}).context["plans"]] == ["Fietsplan"]
    assert [p.title for p in client.get(url, {"state": "steering"}).context["plans"]] == [
        "Oud plan"
    ]
    # An unknown state filters nothing; a search matching nothing says so.
    assert client.get(url, {"state": "bogus"}).context["page_obj"].paginator.count == 30
    empty = client.get(url, {"q": "Heideplan"})
    assert empty.context["page_obj"].paginator.count == 0
    assert escape(nl("No plan matches your search.")) in empty.content.decode()
    assert client.get(url, {"page": "999"}).context["page_obj"].number == 2  # the last page


def test_the_coordinator_creates_a_plan(client, lindenberg, coordinator):
    client.force_login(coordinator)
    url = reverse("plans:plan-create", kwargs={"municipality": "lindenberg"})
    data = {"title": "Nieuw plan", "period_start": 2026, "period_end": 2031, "summary": "Kort"}
    response = client.post(url, data)
    plan = Plan.objects.get(title="Nieuw plan")
    assert response.status_code == 302
    assert response.url == plan_page("plan-detail", plan)
    assert (plan.municipality, plan.state) == (lindenberg, PlanState.DRAFT)
    assert plan.history.get().history_user == coordinator

    backwards = client.post(url, {**data, "title": "Omgekeerd", "period_end": 2020})
    assert backwards.status_code == 200
    assert backwards.context["form"].errors["period_end"]
    assert not Plan.objects.filter(title="Omgekeerd").exists()


def test_the_plan_page_shows_the_plan_and_edit_links_for_the_coordinator(
    client, lindenberg, coordinator, viewer
):
    plan = ready_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    response = client.get(plan_page("plan-detail", plan))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fietsdiefstal" in html
    assert "Graveeractie" in html
    assert "Aangiftes fietsdiefstal" in html
    assert response.context["content"].action_plan_count == 1
    assert response.context["may_edit_plan"]
    assert response.context["may_add_goal"]
    edit = plan_page("item-edit", plan, kind="action", item=plan.items["action"].pk)
    assert edit in html
    assert [t.name for t in response.context["transitions"]] == ["submit_to_college"]

    client.force_login(viewer)
    response = client.get(plan_page("plan-detail", plan))
    assert edit not in response.content.decode()
    assert not response.context["may_edit_plan"]
    assert response.context["transitions"] == []


def test_the_coordinator_edits_the_plan(client, lindenberg, coordinator):
    plan = new_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    url = plan_page("plan-edit", plan)
    data = form_values(client.get(url).context["form"])
    response = client.post(url, {**data, "title": "Plan herzien"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Plan herzien"
    assert plan.history.latest().history_user == coordinator


def test_the_history_page_lists_the_plan_and_its_items(client, lindenberg, coordinator):
    plan = ready_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    response = client.get(plan_page("plan-history", plan))
    assert response.status_code == 200
    subjects = " | ".join(entry.subject for entry in response.context["entries"])
    assert "Fietsdiefstal" in subjects
    assert "Graveeractie" in subjects
    assert response.context["back_url"] == plan_page("plan-detail", plan)


def test_the_changes_since_adoption(client, lindenberg, coordinator, make_member, viewer):
    college = [make_member(Role.COLLEGE, is_chair=True)]
    secretary = make_member(Role.COUNCIL_SECRETARY)
    plan = ready_plan(lindenberg, coordinator)
    client.force_login(viewer)
    url = plan_page("adopted-diff", plan)
    assert client.get(url).context["adopted"] is None
    walk_to(plan, "steering", coordinator, college, secretary)
    response = client.get(url)
    assert response.context["same"] is True
    assert response.context["changes"] == []
    assert url in client.get(plan_page("plan-detail", plan)).content.decode()

    action = plan.items["action"]
    item_update(item=action, by=coordinator, title="Graveeractie in alle scholen")
    response = client.get(url)
    assert response.context["same"] is False
    assert [(c["action"], c["label"]) for c in response.context["changes"]] == [
        ("changed", "Graveeractie in alle scholen")
    ]
    assert "Graveeractie in alle scholen" in response.content.decode()


def test_the_coordinator_adds_a_phenomenon_of_the_municipality(client, lindenberg, coordinator):
    url = reverse("plans:phenomena", kwargs={"municipality": "lindenberg"})
    client.force_login(coordinator)
    assert client.get(url).context["may_add"] is True
    response = client.post(url, {"name_nl": "Winkeldiefstal"})
    assert response.status_code == 302
    names = [p.name_nl for p in client.get(url).context["phenomena"]]
    assert "Winkeldiefstal" in names
    assert len(names) == 11  # the framework note's ten and this one
    again = client.post(url, {"name_nl": "Winkeldiefstal"})
    assert again.status_code == 200
    assert again.context["form"].errors["name_nl"]


# --- Items: add, edit, remove, move, for every kind ----------------------------------------------


def item_data(kind, plan) -> dict:
    action_plan = plan.items["action-plan"]
    return {
        "goal": {"title": "Nieuw doel", "parent": "", "description": ""},
        "action-plan": {
            "goal": plan.items["goal"].pk,
            "title": "Nieuw actieplan",
            "priority": 2,
            "promotor": action_plan.promotor_id,
            "start": "2026-02-01",
            "end": "2026-12-31",
        },
        "result": {"text": "Nieuw resultaat"},
        "action": {"title": "Nieuwe actie", "priority": 1, "due": "2026-05-01"},
        "resource": {
            "kind": "budget",
            "amount": "2500",
            "unit": "EUR",
            "availability": "required",
            "funding_source": "federal",
        },
        "indicator": {"name": "Nieuwe indicator", "type": "output", "objectivity": "objective"},
    }[kind]


LABEL = {"goal": "title", "action-plan": "title", "result": "text", "action": "title",
         "resource": "description", "indicator": "name"}  # fmt: skip


def add_url(plan, kind):
    url = plan_page("item-add", plan, kind=kind)
    if KINDS[kind].parent_model is not None:
        parent = plan.items["result" if kind == "indicator" else "action-plan"]
        url += f"?parent={parent.pk}"
    return url


@pytest.mark.parametrize("kind", KINDS)
def test_the_coordinator_adds_an_item_of_each_kind(client, lindenberg, coordinator, kind):
    plan = ready_plan(lindenberg, coordinator)
    model = KINDS[kind].model
    before = model.objects.count()
    client.force_login(coordinator)
    assert client.get(add_url(plan, kind)).status_code == 200
    response = client.post(add_url(plan, kind), item_data(kind, plan))
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert model.objects.count() == before + 1
    added = model.objects.latest("pk")
    assert added.order == 1  # after the one already there
    assert added.history.get().history_user == coordinator
    assert response.url.startswith(plan_page("plan-detail", plan))


@pytest.mark.parametrize("kind", KINDS)
def test_the_coordinator_edits_an_item_of_each_kind(client, lindenberg, coordinator, kind):
    plan = ready_plan(lindenberg, coordinator)
    item = plan.items[kind]
    url = plan_page("item-edit", plan, kind=kind, item=item.pk)
    client.force_login(coordinator)
    data = form_values(client.get(url).context["form"])
    response = client.post(url, {**data, LABEL[kind]: "Herschreven"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    item.refresh_from_db()
    assert getattr(item, LABEL[kind]) == "Herschreven"
    assert item.history.latest().history_user == coordinator


@pytest.mark.parametrize("kind", KINDS)
def test_removing_deletes_in_draft_and_archives_in_revision(
    client, lindenberg, coordinator, make_member, kind
):
    college = [make_member(Role.COLLEGE, is_chair=True)]
    client.force_login(coordinator)
    draft = ready_plan(lindenberg, coordinator, title="Concept")
    item = draft.items[kind]
    response = client.post(plan_page("item-remove", draft, kind=kind, item=item.pk))
    assert response.status_code == 302
    assert not type(item).objects.filter(pk=item.pk).exists()

    revised = walk_to(ready_plan(lindenberg, coordinator), "revision", coordinator, college)
    item = revised.items[kind]
    client.post(plan_page("item-remove", revised, kind=kind, item=item.pk))
    item.refresh_from_db()
    assert item.archived_at is not None  # kept, for history and the diff
    # An archived item is gone from the pages.
    assert client.get(plan_page("item-edit", revised, kind=kind, item=item.pk)).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_moving_swaps_an_item_with_its_neighbour(client, lindenberg, coordinator, kind):
    plan = ready_plan(lindenberg, coordinator)
    first = plan.items[kind]
    client.force_login(coordinator)
    client.post(add_url(plan, kind), item_data(kind, plan))
    second = type(first).objects.latest("pk")
    response = client.post(
        plan_page("item-move", plan, kind=kind, item=second.pk), {"direction": "up"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.order, first.order) == (0, 1)


def test_the_action_plan_form_offers_only_this_plans_goals_and_municipalitys_actors(
    client, lindenberg, heidebeek, coordinator
):
    plan = ready_plan(lindenberg, coordinator)
    other = ready_plan(heidebeek, None, promotor=person(heidebeek, "Hilde Heide"))
    client.force_login(coordinator)
    form = client.get(add_url(plan, "action-plan")).context["form"]
    assert set(form.fields["goal"].queryset) == {plan.items["goal"]}
    assert other.items["action-plan"].promotor not in form.fields["promotor"].queryset
    response = client.post(
        add_url(plan, "action-plan"),
        {**item_data("action-plan", plan), "goal": other.items["goal"].pk},
    )
    assert response.status_code == 200
    assert "goal" in response.context["form"].errors
    assert not ActionPlan.objects.filter(title="Nieuw actieplan").exists()


# --- Promotors on their own action plans ----------------------------------------------------------


@pytest.fixture
def promotor_scene(lindenberg, coordinator, make_member):
    """A plan with two action plans: Sofie's (she logs in as a promotor) and someone else's."""
    user = make_member(Role.PROMOTOR, username="sofie")
    sofie = person(lindenberg, "Sofie Claes", user=user)
    plan = ready_plan(lindenberg, coordinator, promotor=sofie)
    other = add_action_plan(
        plan.items["goal"],
        coordinator,
        title="Inbraakpreventie",
        promotor=person(lindenberg, "Jan"),
    )
    return SimpleNamespace(
        plan=plan, user=user, actor=sofie, own=plan.items["action-plan"], other=other
    )


def test_a_promotor_edits_their_own_action_plan(client, promotor_scene):
    scene = promotor_scene
    plan, own = scene.plan, scene.own
    url = plan_page("item-edit", plan, kind="action-plan", item=own.pk)
    client.force_login(scene.user)
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["goal"].disabled
    assert form.fields["promotor"].disabled
    assert not form.fields["title"].disabled

    other_goal = add_goal(plan, None, title="Ander doel")
    jan = scene.other.promotor
    data = {
        **form_values(form),
        "title": "Fietsen veilig",
        "goal": other_goal.pk,
        "promotor": jan.pk,
    }
    assert client.post(url, data).status_code == 302
    own.refresh_from_db()
    assert own.title == "Fietsen veilig"
    # The disabled fields keep their value whatever is posted.
    assert (own.goal_id, own.promotor_id) == (plan.items["goal"].pk, scene.actor.pk)


@pytest.mark.parametrize("kind", ["result", "action", "resource", "indicator"])
def test_a_promotor_adds_and_edits_what_hangs_under_their_action_plan(client, promotor_scene, kind):
    scene = promotor_scene
    plan = scene.plan
    client.force_login(scene.user)
    model = KINDS[kind].model
    before = model.objects.count()
    assert client.post(add_url(plan, kind), item_data(kind, plan)).status_code == 302
    assert model.objects.count() == before + 1
    assert model.objects.latest("pk").history.get().history_user == scene.user

    item = plan.items[kind]
    url = plan_page("item-edit", plan, kind=kind, item=item.pk)
    data = form_values(client.get(url).context["form"])
    assert client.post(url, {**data, LABEL[kind]: "Door de promotor"}).status_code == 302
    item.refresh_from_db()
    assert getattr(item, LABEL[kind]) == "Door de promotor"


def test_a_promotor_is_refused_on_another_action_plan_and_on_goals(client, promotor_scene):
    scene = promotor_scene
    plan, other = scene.plan, scene.other
    client.force_login(scene.user)
    refused = [
        plan_page("item-edit", plan, kind="action-plan", item=other.pk),
        plan_page("item-add", plan, kind="result") + f"?parent={other.pk}",
        plan_page("item-add", plan, kind="action") + f"?parent={other.pk}",
        plan_page("item-add", plan, kind="resource") + f"?parent={other.pk}",
        plan_page("item-edit", plan, kind="goal", item=plan.items["goal"].pk),
        plan_page("item-add", plan, kind="goal"),
        plan_page("item-add", plan, kind="action-plan"),
        plan_page("plan-edit", plan),
        plan_page("submit", plan),
    ]
    assert {url: client.get(url).status_code for url in refused} == dict.fromkeys(refused, 403)
    response = client.post(
        plan_page("item-edit", plan, kind="action-plan", item=other.pk), {"title": "Gekaapt"}
    )
    assert response.status_code == 403
    own_remove = plan_page("item-remove", plan, kind="action-plan", item=scene.own.pk)
    assert client.post(own_remove).status_code == 403  # removing is the coordinator's
    other.refresh_from_db()
    assert other.title == "Inbraakpreventie"
    assert ActionPlan.objects.filter(pk=scene.own.pk).exists()


def test_the_plan_page_offers_a_promotor_only_their_action_plan(client, promotor_scene):
    scene = promotor_scene
    client.force_login(scene.user)
    response = client.get(plan_page("plan-detail", scene.plan))
    goal = response.context["content"].goals[0]
    may = {ap.pk: ap.may_edit for ap in goal.current_action_plans}
    assert may == {scene.own.pk: True, scene.other.pk: False}
    assert goal.may_edit is False
    assert not response.context["may_add_goal"]
    html = response.content.decode()
    assert plan_page("item-edit", scene.plan, kind="action-plan", item=scene.own.pk) in html
    assert plan_page("item-edit", scene.plan, kind="action-plan", item=scene.other.pk) not in html


# --- Edit conflicts and read-only content --------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_stale_item_form_shows_the_conflict_and_keeps_the_input(
    client, lindenberg, coordinator, make_member, kind
):
    plan = ready_plan(lindenberg, coordinator)
    item = plan.items[kind]
    url = plan_page("item-edit", plan, kind=kind, item=item.pk)
    client.force_login(coordinator)
    stale = form_values(client.get(url).context["form"])

    colleague = make_member(Role.COORDINATOR, username="collega")
    fresh = type(item).objects.get(pk=item.pk)
    item_update(item=fresh, by=colleague, **{LABEL[kind]: "Van de collega"})

    response = client.post(url, {**stale, LABEL[kind]: "Mijn versie"})
    assert response.status_code == 200
    assert response.context["conflict"]  # what the colleague changed
    form = response.context["form"]
    assert form.data[LABEL[kind]] == "Mijn versie"  # typed input kept
    assert int(form.data["version"]) > int(stale["version"])  # the next save knows the change
    html = response.content.decode()
    assert "Mijn versie" in html
    assert "Van de collega" in html
    item.refresh_from_db()
    assert getattr(item, LABEL[kind]) == "Van de collega"

    # Saving again, now knowing the other change, goes through.
    again = client.post(url, {**stale, LABEL[kind]: "Mijn versie", "version": form.data["version"]})
    assert again.status_code == 302
    item.refresh_from_db()
    assert getattr(item, LABEL[kind]) == "Mijn versie"


def test_a_stale_plan_form_shows_the_conflict(client, lindenberg, coordinator, make_member):
    from plans.services import plan_update

    plan = new_plan(lindenberg, coordinator)
    url = plan_page("plan-edit", plan)
    client.force_login(coordinator)
    stale = form_values(client.get(url).context["form"])
    plan_update(plan=Plan.objects.get(pk=plan.pk), by=make_member(Role.COORDINATOR), title="Ander")
    response = client.post(url, {**stale, "title": "Mijn titel"})
    assert response.status_code == 200
    assert response.context["conflict"]
    assert response.context["form"].data["title"] == "Mijn titel"
    plan.refresh_from_db()
    assert plan.title == "Ander"


@pytest.mark.parametrize("kind", KINDS)
def test_content_is_read_only_before_the_college(client, scene, kind):
    plan = scene.plan
    model = KINDS[kind].model
    client.force_login(scene.coordinator)
    read_only = nl(READ_ONLY) % {"state": nl("Approval by the college")}
    before = model.objects.count()
    added = client.post(add_url(plan, kind), item_data(kind, plan))
    assert added.status_code == 200
    assert escape(read_only) in added.content.decode()
    assert model.objects.count() == before

    item = scene.items[kind]
    url = plan_page("item-edit", plan, kind=kind, item=item.pk)
    data = form_values(client.get(url).context["form"])
    edited = client.post(url, {**data, LABEL[kind]: "Tijdens de stemming"})
    assert edited.status_code == 200
    assert escape(read_only) in edited.content.decode()
    item.refresh_from_db()
    assert getattr(item, LABEL[kind]) != "Tijdens de stemming"

    removed = client.post(plan_page("item-remove", plan, kind=kind, item=item.pk), follow=True)
    assert model.objects.filter(pk=item.pk, archived_at=None).exists()
    assert read_only in messages_of(removed)


def test_the_plan_page_says_the_content_is_read_only_during_the_vote(client, scene):
    client.force_login(scene.coordinator)
    response = client.get(plan_page("plan-detail", scene.plan))
    assert response.context["editable"] is False
    assert not response.context["may_edit_plan"]
    assert not response.context["may_add_goal"]
    edit = plan_page("item-edit", scene.plan, kind="action", item=scene.items["action"].pk)
    assert edit not in response.content.decode()


# --- Decisions: submit, withdraw, consultation, votes, council, close ----------------------------


def test_submitting_lists_what_is_missing_and_refuses(client, lindenberg, coordinator, make_member):
    make_member(Role.COLLEGE, is_chair=True)
    plan = new_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    response = client.get(plan_page("submit", plan))
    assert response.context["problems"]
    assert escape(nl("The plan has no action plans yet: add at least one.")) in (
        response.content.decode()
    )
    deadline = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(plan_page("submit", plan), {"deadline": deadline})
    assert refused.status_code == 200
    assert not VoteRound.objects.exists()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_the_coordinator_submits_and_withdraws(client, lindenberg, coordinator, make_member):
    chair = make_member(Role.COLLEGE, is_chair=True)
    plan = ready_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    deadline = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(plan_page("submit", plan), {"deadline": deadline, "reason": "Graag"})
    assert response.status_code == 302
    plan.refresh_from_db()
    vote_round = VoteRound.objects.get(plan=plan)
    assert plan.state == PlanState.COLLEGE_REVIEW
    assert vote_round.status == RoundStatus.OPEN
    assert vote_round.chair == chair
    assert list(vote_round.electors.values_list("user", flat=True)) == [chair.pk]

    no_reason = client.post(plan_page("withdraw", plan), {"reason": ""})
    assert no_reason.status_code == 200
    assert no_reason.context["form"].errors["reason"]
    response = client.post(plan_page("withdraw", plan), {"reason": "Budget herbekijken"})
    assert response.status_code == 302
    plan.refresh_from_db()
    vote_round.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    assert vote_round.status == RoundStatus.WITHDRAWN
    assert PlanTransition.objects.filter(plan=plan).latest("pk").reason == "Budget herbekijken"


def test_the_coordinator_records_the_kerngroep_discussion(client, lindenberg, coordinator):
    plan = new_plan(lindenberg, coordinator)
    agenda_item = discuss(new_plan(lindenberg, coordinator, title="Ander"), coordinator).agenda_item
    client.force_login(coordinator)
    form = client.get(plan_page("discussion-add", plan)).context["form"]
    assert agenda_item in form.fields["agenda_item"].queryset
    response = client.post(plan_page("discussion-add", plan), {"agenda_item": agenda_item.pk})
    assert response.status_code == 302
    assert Discussion.objects.filter(plan=plan, agenda_item=agenda_item).count() == 1


def test_the_consultation_dates_and_closing(client, lindenberg, coordinator, make_member):
    college = [make_member(Role.COLLEGE, is_chair=True)]
    plan = walk_to(ready_plan(lindenberg, coordinator), "consultation", coordinator, college)
    client.force_login(coordinator)
    url = plan_page("consultation", plan)
    assert client.get(url).context["may_close"] is True

    backwards = client.post(
        url, {"action": "dates", "opens": "2026-03-10T09:00", "closes": "2026-03-01T09:00"}
    )
    assert backwards.status_code == 200
    assert backwards.context["dates_form"].errors
    response = client.post(
        url, {"action": "dates", "opens": "2026-03-01T09:00", "closes": "2099-03-31T17:00"}
    )
    assert response.status_code == 302
    assert response.url == url
    plan.refresh_from_db()
    assert timezone.localtime(plan.consultation_closes).date() == datetime.date(2099, 3, 31)

    early = client.post(url, {"action": "close", "reason": ""})
    assert early.status_code == 200
    assert early.context["close_form"].errors["reason"]
    plan.refresh_from_db()
    assert plan.state == PlanState.CONSULTATION
    response = client.post(url, {"action": "close", "reason": "Geen reacties meer"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.REVISION


def test_a_college_member_votes_and_changes_the_vote(client, scene):
    member = scene.users[Role.COLLEGE]
    client.force_login(member)
    url = plan_page("vote", scene.plan)
    page = client.get(url)
    assert page.context["may_vote"] is True
    assert page.context["mine"] is None
    response = client.post(url, {"choice": VoteChoice.REJECT, "comment": "Te duur"})
    assert response.status_code == 302
    assert response.url == url
    response = client.post(url, {"choice": VoteChoice.APPROVE, "comment": "Toch akkoord"})
    vote = Vote.objects.get(vote_round=scene.vote_round, member=member)
    assert (vote.choice, vote.comment) == (VoteChoice.APPROVE, "Toch akkoord")
    assert vote.history.count() == 2
    page = client.get(url)
    assert page.context["mine"] == vote
    assert page.context["form"].initial["choice"] == VoteChoice.APPROVE

    invalid = client.post(url, {"choice": "maybe"})
    assert invalid.status_code == 200
    assert invalid.context["form"].errors["choice"]


def test_the_round_decides_when_all_have_voted(client, scene):
    for member in (scene.users[Role.COLLEGE], scene.chair, scene.silent):
        client.force_login(member)
        client.post(plan_page("vote", scene.plan), {"choice": VoteChoice.APPROVE})
    scene.vote_round.refresh_from_db()
    scene.plan.refresh_from_db()
    assert scene.vote_round.status == RoundStatus.APPROVED
    assert scene.plan.state == PlanState.CONSULTATION
    late = client.post(plan_page("vote", scene.plan), {"choice": VoteChoice.REJECT})
    assert late.status_code == 200  # the round has closed: refused on the form
    assert late.context["may_vote"] is False
    assert Vote.objects.get(member=scene.silent).choice == VoteChoice.APPROVE


def expire(vote_round):
    VoteRound.objects.filter(pk=vote_round.pk).update(deadline=NOW() - datetime.timedelta(hours=1))


def test_the_chair_closes_the_round_after_its_deadline(client, scene):
    url = plan_page("round-close", scene.plan)
    client.force_login(scene.chair)
    early = client.post(url)
    assert early.status_code == 302
    scene.vote_round.refresh_from_db()
    assert scene.vote_round.status == RoundStatus.OPEN
    assert messages_of(early)

    vote_cast(vote_round=scene.vote_round, member=scene.chair, choice=VoteChoice.APPROVE)
    vote_cast(vote_round=scene.vote_round, member=scene.users[Role.COLLEGE], choice="approve")
    expire(scene.vote_round)
    response = client.post(url)
    assert response.status_code == 302
    scene.vote_round.refresh_from_db()
    scene.plan.refresh_from_db()
    assert scene.vote_round.status == RoundStatus.APPROVED  # 2 of 3: quorum
    assert scene.plan.state == PlanState.CONSULTATION

    again = client.post(url)  # the latest round, decided: refused with a message
    assert again.status_code == 302
    assert PlanTransition.objects.filter(plan=scene.plan, name="college_approves").count() == 1


def test_the_acting_chair_presides_instead_of_the_chair(client, scene):
    acting = scene.users[Role.COLLEGE]
    client.force_login(scene.coordinator)
    response = client.post(plan_page("acting-chair", scene.plan), {"user": acting.pk})
    assert response.status_code == 302
    scene.vote_round.refresh_from_db()
    assert scene.vote_round.acting_chair == acting

    outsider = scene.users[Role.VIEWER]
    client.post(plan_page("acting-chair", scene.plan), {"user": outsider.pk})
    scene.vote_round.refresh_from_db()
    assert scene.vote_round.acting_chair == acting  # not an elector: refused

    expire(scene.vote_round)
    client.force_login(scene.chair)
    assert client.post(plan_page("round-close", scene.plan)).status_code == 403
    client.force_login(acting)
    assert client.post(plan_page("round-close", scene.plan)).status_code == 302
    scene.vote_round.refresh_from_db()
    assert scene.vote_round.status == RoundStatus.NO_DECISION  # nobody voted
    scene.plan.refresh_from_db()
    assert scene.plan.state == PlanState.DRAFT


def test_the_coordinator_records_the_reference_once_the_round_decided(client, scene):
    for member in (scene.users[Role.COLLEGE], scene.chair, scene.silent):
        vote_cast(vote_round=scene.vote_round, member=member, choice=VoteChoice.APPROVE)
    url = plan_page("round-reference", scene.plan)
    data = {"reference": "CBS/2026/4", "reference_url": "https://besluiten.example/4"}
    statuses = {}
    for role, user in scene.users.items():
        client.force_login(user)
        statuses[role] = client.post(url, data).status_code
    assert statuses == {role: 302 if role == Role.COORDINATOR else 403 for role in scene.users}
    scene.vote_round.refresh_from_db()
    assert scene.vote_round.reference == "CBS/2026/4"
    assert scene.vote_round.reference_url == "https://besluiten.example/4"
    client.force_login(scene.coordinator)
    assert "CBS/2026/4" in client.get(plan_page("vote", scene.plan)).content.decode()
    client.post(url, {"reference": "", "reference_url": "geen link"})
    scene.vote_round.refresh_from_db()
    assert scene.vote_round.reference == "CBS/2026/4"  # invalid: kept


def test_a_reference_posted_while_the_round_is_open_is_refused_with_a_message(client, scene):
    client.force_login(scene.coordinator)
    response = client.post(plan_page("round-reference", scene.plan), {"reference": "CBS/1"})
    assert response.status_code == 302
    assert messages_of(response)
    scene.vote_round.refresh_from_db()
    assert scene.vote_round.reference == ""


def test_the_vote_page_without_a_round(client, lindenberg, coordinator):
    plan = new_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    response = client.get(plan_page("vote", plan))
    assert response.status_code == 200
    assert response.context["vote_round"] is None
    for name in ("vote", "round-close", "acting-chair"):
        assert client.post(plan_page(name, plan), {"reference": "X"}).status_code == 403
    # No round decided: the reference is refused with a message, back on the vote page.
    response = client.post(plan_page("round-reference", plan), {"reference": "X"}, follow=True)
    assert response.redirect_chain[-1][0] == plan_page("vote", plan)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_council_secretary_records_the_councils_decision(
    client, lindenberg, coordinator, make_member
):
    college = [make_member(Role.COLLEGE, is_chair=True)]
    secretary = make_member(Role.COUNCIL_SECRETARY)
    plan = walk_to(ready_plan(lindenberg, coordinator), "council_adoption", coordinator, college)
    client.force_login(secretary)
    url = plan_page("council-decision", plan)
    data = {"date": "2026-04-20", "reference": "GR/2026/31", "votes_for": 3, "votes_against": 9,
            "votes_abstain": 0, "adopted": "1"}  # fmt: skip
    contradiction = client.post(url, data)
    assert contradiction.status_code == 200
    assert not CouncilDecision.objects.exists()
    response = client.post(url, {**data, "votes_for": 19, "votes_against": 6})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.STEERING
    decision = CouncilDecision.objects.get(plan=plan)
    assert plan.adopted_round == decision.vote_round


def test_the_coordinator_closes_the_plan_with_an_evaluation(
    client, lindenberg, coordinator, make_member
):
    college = [make_member(Role.COLLEGE, is_chair=True)]
    secretary = make_member(Role.COUNCIL_SECRETARY)
    plan = walk_to(ready_plan(lindenberg, coordinator), "steering", coordinator, college, secretary)
    client.force_login(coordinator)
    assert client.post(plan_page("close", plan), {"reason": ""}).status_code == 200
    # Closing waits for the evaluation of every strategic goal (phase 4).
    unevaluated = client.post(plan_page("close", plan), {"reason": "Doelen grotendeels gehaald"})
    assert unevaluated.status_code == 200
    plan.refresh_from_db()
    assert plan.state == PlanState.STEERING
    goal = plan.items["goal"]
    evaluated = client.post(plan_page("evaluation", plan), {f"goal-{goal.pk}-result": "Gehaald"})
    assert evaluated.status_code == 302
    response = client.post(plan_page("close", plan), {"reason": "Doelen grotendeels gehaald"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.CLOSED


# --- Who sees how each member voted ---------------------------------------------------------------


SEE_VOTES = {Role.COLLEGE, Role.COORDINATOR, Role.COUNCIL_SECRETARY, "chair"}
COMMENT = "Budget voor camerabewaking is te krap"


@pytest.fixture
def voted(scene):
    vote_cast(vote_round=scene.vote_round, member=scene.chair, choice="approve", comment=COMMENT)
    vote_cast(vote_round=scene.vote_round, member=scene.users[Role.COLLEGE], choice="abstain")
    return scene


def test_how_each_member_voted_only_for_college_coordinator_and_secretary(client, voted):
    url = plan_page("vote", voted.plan)
    seen = {}
    for role, user in voted.users.items():
        client.force_login(user)
        response = client.get(url)
        assert response.context["voted"] == 2  # the count is for everyone
        shown = COMMENT in response.content.decode()
        assert response.context["may_see_votes"] is shown
        seen[role] = shown
    assert seen == {role: role in SEE_VOTES for role in voted.users}


def test_the_plan_history_shows_votes_only_to_those_who_may_see_them(client, voted):
    url = plan_page("plan-history", voted.plan)
    with translation.override("nl"):
        vote_subject = gettext("Vote") + " · "
    seen = {}
    for role, user in voted.users.items():
        client.force_login(user)
        response = client.get(url)
        subjects = [e.subject for e in response.context["entries"]]
        votes = [s for s in subjects if s.startswith(vote_subject)]
        html = response.content.decode()
        seen[role] = (len(votes), COMMENT in html)
    assert seen == {role: (2, True) if role in SEE_VOTES else (0, False) for role in voted.users}


def test_the_plan_page_shows_how_each_member_voted_only_to_those_who_may_see_it(client, voted):
    url = plan_page("plan-detail", voted.plan)
    line = escape(f"{voted.chair}: {nl('Approve')}")
    seen = {}
    for role, user in voted.users.items():
        client.force_login(user)
        response = client.get(url)
        html = response.content.decode()
        assert escape(nl("Approval of the action programme")) in html  # the round, for everyone
        seen[role] = (response.context["may_see_votes"], line in html)
    assert seen == {role: (role in SEE_VOTES,) * 2 for role in voted.users}


# --- The dashboard: votes waiting -----------------------------------------------------------------


def test_the_dashboard_shows_votes_waiting_to_electors_only(client, scene, make_member, heidebeek):
    with translation.override("nl"):
        waiting, done = escape(gettext("waiting for your vote")), escape(gettext("you voted"))
    member = scene.users[Role.COLLEGE]
    client.force_login(member)
    html = client.get("/").content.decode()
    assert 'id="panel-votes"' in html
    assert waiting in html
    assert done not in html
    assert plan_page("vote", scene.plan) in html

    vote_cast(vote_round=scene.vote_round, member=member, choice=VoteChoice.APPROVE)
    html = client.get("/").content.decode()
    assert done in html
    assert waiting not in html

    outsiders = [
        scene.coordinator,
        scene.users[Role.VIEWER],
        scene.users[Role.COUNCIL_SECRETARY],
        make_member(Role.COLLEGE, municipality=heidebeek),  # a college, but not Lindenberg's
        make_member(Role.COLLEGE, username="late"),  # joined after the round opened
    ]
    for user in outsiders:
        client.force_login(user)
        assert 'id="panel-votes"' not in client.get("/").content.decode(), user.username

    Plan.objects.filter(pk=scene.plan.pk).update(state=PlanState.DRAFT)
    VoteRound.objects.filter(pk=scene.vote_round.pk).update(status=RoundStatus.WITHDRAWN)
    client.force_login(scene.chair)
    assert 'id="panel-votes"' not in client.get("/").content.decode()
