"""Support of the access-control matrix (``tests/test_access_matrix.py``): every route of the
site read from the resolver, a municipality A (Lindenberg) with one object for every URL
parameter and its people logged in as in production, a municipality B (Heidebeek) with its own
coordinator, and one request per cell that changes nothing for the next cell.

The scene is built once per test module inside a transaction that is rolled back at the end;
every request runs in its own savepoint, rolled back too, so a POST that succeeds leaves the
data as it found it."""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from PIL import Image

from safetynet.constants import Role, TwoFactorPolicy
from tests.auth_support import log_in_with_second_factor
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

D = datetime.date

# --- Every route of the site -------------------------------------------------------------------

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """One leaf of the URL configuration: its name with namespaces (None when unnamed), its
    whole address pattern, and the pattern objects from the root down (to build an address)."""

    name: str | None
    route: str
    parts: tuple = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        """How the matrix names it: the name, or the address pattern of an unnamed route."""
        return self.name or self.route

    @property
    def parameters(self) -> list[str]:
        return [m.group("name") for m in ROUTE_PARAMETER.finditer(self.route)]

    @property
    def in_municipality(self) -> bool:
        """A page under ``/<municipality>/``."""
        return self.route.startswith("<slug:municipality>/")

    @property
    def is_admin(self) -> bool:
        """Under /admin/: the platform operator's (one rule for all of it)."""
        return self.route.startswith("admin/")


def site_routes(patterns=None, prefix="", namespace="", parts=()) -> list[Route]:
    """Every leaf route of ``get_resolver()``, descending into every include()."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        piece = str(pattern.pattern)
        # Joined as Django joins them (ResolverMatch.route): an inner regex loses its "^".
        route = prefix + (piece[1:] if prefix and piece.startswith("^") else piece)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += site_routes(pattern.url_patterns, route, inner, (*parts, pattern.pattern))
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            routes.append(Route(name, route, (*parts, pattern.pattern)))
    return routes


# Address pieces that match the admin's regular expressions (app list, django-simple-history's
# record pages, the final catch-all), tried in this order; the first that resolves to the very
# route wins.
REGEX_SAMPLES = ("safetynet/", "1/history/1/", "nowhere/")


def sample_path(route: Route) -> str:
    """An address of ``route`` with "1" for each parameter (for routes answered by a rule, such
    as the admin's, whatever the object)."""
    chosen = []
    for part in route.parts:
        if isinstance(part, RoutePattern):
            chosen.append([ROUTE_PARAMETER.sub("1", str(part))])
        else:
            assert isinstance(part, RegexPattern), part
            fits = [
                sample
                for sample in REGEX_SAMPLES
                if (found := part.regex.match(sample)) and found.end() == len(sample)
            ]
            assert fits, f"Teach access_support.REGEX_SAMPLES an address for {part}."
            chosen.append(fits)
    candidates = [""]
    for options in chosen:
        candidates = [done + option for done in candidates for option in options]
    for candidate in candidates:
        path = "/" + candidate
        if resolve(path).route == route.route:
            return path
    raise AssertionError(f"No sample address resolves to {route.route!r}.")


# --- Data of municipality A --------------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

# The people of the matrix. A's members, one per role (the college twice: a member and the
# chair, the burgemeester; the promotor twice: the promotor of the action plans the pages name,
# and another promotor), then the people answered by a rule.
MEMBERS = (
    "admin",
    "coordinator",
    "college",
    "chair",
    "council_secretary",
    "core_group",
    "promotor",
    "other_promotor",
    "viewer",
)
ANONYMOUS = "anonymous"
OTHER_COORDINATOR = "coordinator_b"  # the coordinator of municipality B
NO_SECOND_FACTOR = "no_second_factor"  # a coordinator of A, logged in without the second factor
USERS = (ANONYMOUS, *MEMBERS, OTHER_COORDINATOR, NO_SECOND_FACTOR)
ROLE_OF = {
    "admin": Role.ADMIN,
    "coordinator": Role.COORDINATOR,
    "college": Role.COLLEGE,
    "chair": Role.COLLEGE,
    "council_secretary": Role.COUNCIL_SECRETARY,
    "core_group": Role.CORE_GROUP,
    "promotor": Role.PROMOTOR,
    "other_promotor": Role.PROMOTOR,
    "viewer": Role.VIEWER,
}

# Which plan each plan page is asked about (the others: the draft).
PLAN_OF = {
    **dict.fromkeys(
        ["plans:vote", "plans:round-close", "plans:acting-chair", "plans:withdraw"], "review"
    ),
    **dict.fromkeys(
        [
            "plans:consultation",
            "plans:remark-list",
            "plans:remark-enter",
            "plans:remark-detail",
            "plans:antwoordnota",
            "plans:antwoordnota-pdf",
            "plans:round-extract",
            "plans:round-reference",  # its approval round decided: the reference is recorded
            "public-plan",
            "public-pdf",
            "public-received",
        ],
        "consultation",
    ),
    **dict.fromkeys(["plans:council-decision", "plans:adoption-pdf"], "council"),
    **dict.fromkeys(
        [
            "plans:close",
            "plans:adopted-diff",
            "plans:reporting",
            "plans:escalations",
            "plans:escalation-answer",
            "plans:evaluation",
            "plans:steering",
            "plans:report-add",
            "plans:report-edit",
            "plans:measurement-add",
            "plans:measurement-edit",
        ],
        "steering",
    ),
}

# The object a page's ``<pk>`` names, by the start of its address under /<municipality>/ (the
# longest start wins); ``plans/`` is the plan of PLAN_OF.
PK_BY_PREFIX = {
    "actors/": "actor",
    "actors/roles/": "role",
    "organogram/units/": "unit",
    "network/gaps/dismissed/": "dismissal",
    "coregroup/seats/": "seat",
    "coregroup/working-groups/": "working_group",
    "coregroup/meetings/": "meeting",
    "coregroup/meetings/decisions/": "decision",
    "coregroup/meetings/tasks/": "task",
    "coregroup/meetings/documents/": "document",
    "plans/": "plan",
}

# Parameters that name no object of A: under B's slug they are B's own pages.
NOT_OBJECTS = frozenset({"municipality", "kind", "table", "fmt"})
UNKNOWN_ID = 999_999


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Scene:
    a: object
    b: object
    users: dict
    objects: dict
    plans: dict
    sessions: dict = field(default_factory=dict)

    # --- Addresses --------------------------------------------------------------------------

    def kwargs(self, route: Route, variant: str = "", *, municipality=None, unknown=False):
        """The URL parameters of ``route`` naming A's objects (``unknown``: ids that do not
        exist), under ``municipality``'s slug (A's by default)."""
        kwargs = {}
        for parameter in route.parameters:
            if parameter == "municipality":
                kwargs[parameter] = (municipality or self.a).slug
                continue
            value = self.parameter(route, parameter, variant)
            if unknown and parameter not in NOT_OBJECTS:
                value = "no-such-secret" if isinstance(value, str) else UNKNOWN_ID
            kwargs[parameter] = value
        return kwargs

    def parameter(self, route: Route, parameter: str, variant: str):
        o = self.objects
        name = route.name
        if parameter == "pk" and not route.in_municipality:  # the public pages of a plan
            return self.plan_of(name).pk
        if parameter == "pk":
            path = route.route.removeprefix("<slug:municipality>/")
            prefixes = [prefix for prefix in PK_BY_PREFIX if path.startswith(prefix)]
            assert prefixes, f"Add the object that {route.route!r} names by <pk> to PK_BY_PREFIX."
            found = PK_BY_PREFIX[max(prefixes, key=len)]
            return self.plan_of(name).pk if found == "plan" else o[found].pk
        if parameter in ("kind", "item"):
            assert variant, f"{name} names an item: give its kind as the entry's [variant]."
            return variant if parameter == "kind" else self.plan_of(name).items[variant].pk
        if parameter == "token":
            return "set-password" if name == "password_reset_confirm" else o["feed"].token
        values = {
            "user_id": self.users["viewer"].pk,
            "uidb64": urlsafe_base64_encode(force_bytes(self.users["viewer"].pk)),
            "rule_pk": o["open_rule"].pk,
            "membership_pk": o["working_group_membership"].pk,
            "round": o["decided_round"].pk,
            "remark": o["remark"].pk,
            "escalation": o["escalation"].pk,
            "action_plan": o["steered_action_plan"].pk,
            "report": o["report"].pk,
            "indicator": o["steered_indicator"].pk,
            "measurement": o["measurement"].pk,
            "table": "action-plans",
            "fmt": "csv",
        }
        assert parameter in values, (
            f"{route.route!r} takes <{parameter}>: give it an object of A in "
            "tests/access_support.Scene.parameter."
        )
        return values[parameter]

    def plan_of(self, name):
        return self.plans[PLAN_OF.get(name, "draft")]

    def path(self, route: Route, variant: str = "", **options) -> str:
        path = reverse(route.name, kwargs=self.kwargs(route, variant, **options))
        if route.name == "plans:item-add" and variant in ("result", "action", "resource"):
            path += f"?parent={self.plans['draft'].items['action-plan'].pk}"
        elif route.name == "plans:item-add" and variant == "indicator":
            path += f"?parent={self.plans['draft'].items['result'].pk}"
        return path

    # --- Requests -----------------------------------------------------------------------------

    def client(self, user: str) -> Client:
        """A browser of ``user`` on their session (a new one for each cell: a cell that logs out
        does not log the next one out)."""
        client = Client(raise_request_exception=False)
        if user != ANONYMOUS:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[user]
        return client

    def request(self, user: str, method: str, path: str, data=None) -> "Cell":
        """One request, rolled back with everything it wrote; with what it changed."""
        client = self.client(user)
        with transaction.atomic():
            before = fingerprint()
            response = client.get(path) if method == "GET" else client.post(path, data or {})
            if response.streaming:  # read whole: closing the file, not the database connection
                b"".join(response.streaming_content)
            changed = changed_tables(before, fingerprint())
            transaction.set_rollback(True)
        return Cell(response, changed)


@dataclass
class Cell:
    response: object
    changed: list

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def location(self) -> str:
        return self.response.get("Location", "")

    @property
    def error(self) -> str:
        exc_info = getattr(self.response, "exc_info", None)
        return repr(exc_info[1]) if exc_info else ""


# --- What a refused request must not change ----------------------------------------------------

COUNTED_APPS = ("safetynet", "actors", "coregroup", "plans", "auth", "guardian")
# The security log is written for refusals on purpose.
NOT_COUNTED = frozenset({"safetynet.SecurityEvent"})


def _counted_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in COUNTED_APPS
        and model._meta.label not in NOT_COUNTED
        and not model._meta.label.startswith("safetynet.Security")
    }
    return sorted(tables)


_TABLES: list[str] = []


def fingerprint() -> tuple:
    """The number of rows of every domain table and its history (one query)."""
    if not _TABLES:
        _TABLES.extend(_counted_tables())
    quote = connection.ops.quote_name
    # Table names from the models, never from input.
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in _TABLES)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return tuple(cursor.fetchone())


def changed_tables(before: tuple, after: tuple) -> list[str]:
    return [
        f"{table} {old}→{new}"
        for table, old, new in zip(_TABLES, before, after, strict=True)
        if old != new
    ]


# --- Building the scene ------------------------------------------------------------------------


def build_scene() -> Scene:
    """Municipalities A and B, A's people and one object for every URL parameter; plans in the
    states the pages need. Every object through the services, as the application makes it."""
    from actors.constants import ActorForm, OrgFunction, OrgLevel, RoleType
    from actors.models import ActorKind, SuggestionRule
    from actors.services import actor_create, org_unit_create, role_assign, suggestion_dismiss
    from coregroup.services import (
        calendar_feed_renew,
        core_group_ensure,
        decision_record,
        document_attach,
        meeting_schedule,
        task_add,
        working_group_add_member,
        working_group_create,
    )
    from plans.constants import RemarkStatus, RoundStatus
    from plans.models import VoteRound
    from plans.services.consultation import remark_enter
    from plans.services.steering import (
        escalation_raise,
        evaluation_write,
        measurement_record,
        report_submit,
    )
    from safetynet.services import municipality_update
    from tests.plans.pages_support import (
        add_action,
        add_action_plan,
        add_indicator,
        add_resource,
        add_result,
        discuss,
        person,
        ready_plan,
        submit,
        walk_to,
    )

    a = MunicipalityFactory(
        name="Lindenberg",
        slug="lindenberg",
        nis_code="99001",
        two_factor=TwoFactorPolicy.PRIVILEGED,
    )
    b = MunicipalityFactory(
        name="Heidebeek", slug="heidebeek", nis_code="99002", two_factor=TwoFactorPolicy.PRIVILEGED
    )
    users = {}
    for key, role in ROLE_OF.items():
        users[key] = UserFactory(username=f"matrix-{key}", home_municipality=a)
        MembershipFactory(user=users[key], municipality=a, role=role, is_chair=key == "chair")
    users[NO_SECOND_FACTOR] = UserFactory(username="matrix-no-second-factor", home_municipality=a)
    MembershipFactory(user=users[NO_SECOND_FACTOR], municipality=a, role=Role.COORDINATOR)
    users[OTHER_COORDINATOR] = UserFactory(username="matrix-coordinator-b", home_municipality=b)
    MembershipFactory(user=users[OTHER_COORDINATOR], municipality=b, role=Role.COORDINATOR)
    coordinator = users["coordinator"]
    college = [users["college"], users["chair"]]

    # The profile, its logo and the network.
    rules = list(SuggestionRule.objects.order_by("pk")[:2])  # one dismissed, one open
    municipality_update(
        municipality=a,
        by=None,
        infrastructures=sorted({rule.infrastructure for rule in rules}),
        logo=SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
    )
    a.refresh_from_db()
    o = {}
    o["actor"] = actor_create(
        municipality=a,
        by=coordinator,
        form=ActorForm.ORGANISATION,
        name="Politiezone Lindenberg",
        kind=ActorKind.objects.get(municipality=None, code="local_police"),
    )
    o["role"] = role_assign(actor=o["actor"], role=RoleType.OTHER, start=D(2024, 1, 1), by=None)
    o["unit"] = org_unit_create(
        municipality=a,
        by=None,
        name="Burgemeester",
        level=OrgLevel.STRATEGIC,
        function=OrgFunction.MAYOR,
    )
    o["dismissal"] = suggestion_dismiss(
        municipality=a, rule=rules[0], reason="Geen station meer", by=coordinator
    )
    o["open_rule"] = rules[1]

    # The kerngroep, a working group, a meeting with a decision, a task and a document.
    core_group = core_group_ensure(municipality=a, by=coordinator)
    o["seat"] = core_group.seats.order_by("pk").first()
    o["working_group"] = working_group_create(
        municipality=a, name="Werkgroep woninginbraak", promotor=None, by=coordinator
    )
    o["working_group_membership"] = working_group_add_member(
        working_group=o["working_group"], actor=o["actor"], start=D(2024, 1, 1), by=coordinator
    )
    o["meeting"] = meeting_schedule(
        core_group=core_group,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        place="Gemeentehuis",
        agenda=["Veiligheidsplan"],
        by=coordinator,
        invite=False,
    )
    o["agenda_item"] = o["meeting"].agenda_items.get()
    o["decision"] = decision_record(
        meeting=o["meeting"],
        agenda_item=o["agenda_item"],
        text="Akkoord",
        consensus=True,
        by=coordinator,
    )
    o["task"] = task_add(
        decision=o["decision"],
        description="Voorstel uitwerken",
        assignee=o["actor"],
        due=D(2027, 1, 1),
        by=coordinator,
    )
    o["document"] = document_attach(
        meeting=o["meeting"],
        kind="other",
        title="Nota",
        file=SimpleUploadedFile("nota.pdf", PDF, content_type="application/pdf"),
        by=coordinator,
    )
    o["feed"] = calendar_feed_renew(user=users["core_group"], by=users["core_group"])

    # The plans: their action plans promoted by the promotor (a personal grant); in steering,
    # a second action plan promoted by the other promotor.
    own = person(a, "Sofie Claes", user=users["promotor"])
    other = person(a, "Jan Peeters", user=users["other_promotor"])
    plans = {"draft": ready_plan(a, coordinator, promotor=own, title="Ontwerp")}

    plans["review"] = ready_plan(a, coordinator, promotor=own, title="Voor het college")
    review_round = submit(plans["review"], coordinator)
    # Past its deadline: the chair may close it (a transition the matrix posts).
    VoteRound.objects.filter(pk=review_round.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=1)
    )

    plans["consultation"] = ready_plan(a, coordinator, promotor=own, title="In inspraak")
    walk_to(plans["consultation"], "consultation", coordinator, college)
    o["decided_round"] = plans["consultation"].vote_rounds.get(status=RoundStatus.APPROVED)
    o["remark"] = remark_enter(
        plan=plans["consultation"],
        by=coordinator,
        text="Meer licht in het park",
        source="letter",
        received_on=D(2026, 3, 1),
        name="An Janssens",
        email="an@example.org",
    )
    assert o["remark"].status == RemarkStatus.NEW

    plans["council"] = ready_plan(a, coordinator, promotor=own, title="Voor de raad")
    walk_to(plans["council"], "council_adoption", coordinator, college)

    steered = ready_plan(a, coordinator, promotor=own, title="In uitvoering")
    other_plan = add_action_plan(
        steered.items["goal"], coordinator, title="Cameratoezicht", promotor=other
    )
    other_result = add_result(other_plan, coordinator)
    other_indicator = add_indicator(other_result, coordinator)
    add_action(other_plan, coordinator)
    add_resource(other_plan, coordinator)
    discuss(steered, coordinator)  # the kerngroep discussed this version, with both
    plans["steering"] = walk_to(
        steered, "steering", coordinator, college, users["council_secretary"]
    )
    o["steered_action_plan"] = steered.items["action-plan"]
    o["steered_indicator"] = steered.items["indicator"]
    o["report"] = report_submit(
        action_plan=o["steered_action_plan"],
        by=users["promotor"],
        period_end=D(2026, 3, 31),
        status="on_track",
        percent=25,
        text="Gestart",
        day=D(2026, 4, 7),
    )
    o["measurement"] = measurement_record(
        indicator=o["steered_indicator"], by=users["promotor"], date=D(2026, 6, 30), value=100
    )
    report_submit(
        action_plan=other_plan,
        by=users["other_promotor"],
        period_end=D(2026, 3, 31),
        status="on_track",
        percent=10,
        text="Gestart",
        day=D(2026, 4, 7),
    )
    measurement_record(indicator=other_indicator, by=coordinator, date=D(2026, 6, 30), value=3)
    o["escalation"] = escalation_raise(
        plan=plans["steering"], by=coordinator, text="Geen politiecapaciteit"
    )
    for goal in plans["steering"].goals.all():  # evaluated: the coordinator may close it
        evaluation_write(goal=goal, by=coordinator, result="Doel bereikt")
    for plan in plans.values():
        plan.refresh_from_db()

    scene = Scene(a=a, b=b, users=users, objects=o, plans=plans)
    for key, user in users.items():
        client = Client()
        if key == NO_SECOND_FACTOR:
            client.force_login(user)
        else:
            log_in_with_second_factor(client, user)
        scene.sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return scene


# The pages that serve a rendered document: asked once while the scene is built (by someone who
# sees how the college voted and by someone who does not), so the cells find them stored.
DOCUMENT_PAGES = (
    "plans:plan-pdf",
    "plans:adoption-pdf",
    "plans:antwoordnota-pdf",
    "plans:round-extract",
    "coregroup:composition-pdf",
    "monitor:report",
    "public-pdf",
)


def render_documents(scene: Scene, routes: dict) -> None:
    for name in DOCUMENT_PAGES:
        path = scene.path(routes[name])
        for user in ("coordinator", "viewer"):
            response = scene.client(user).get(path)
            assert response.status_code == 200, (name, user, response.status_code)
            b"".join(response.streaming_content)
