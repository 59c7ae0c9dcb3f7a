"""The access-control matrix: every URL of the site, read from the resolver (a new page cannot
escape it), requested with GET and POST by anonymous, by each person of municipality A (one per
role; the college's chair; the promotor of the action plans the pages name and another
promotor), by the coordinator of municipality B, and by a coordinator of A who logged in without
the second factor their role requires, on objects of A.

``EXPECTED`` holds the outcome of every cell; three rules hold beside it, asserted for every
page under ``/<municipality>/``: anonymous is sent to the login, B's coordinator gets 404 (and,
under B's own address, A's ids are answered exactly as ids that do not exist), and the
coordinator without the second factor is sent to set it up (on every page of the site but the
few the middleware leaves open). A refused request changes nothing (rows of every domain table
and its history counted before and after); no cell answers 500. The transitions and votes are
also posted with valid data: the person allowed changes something, the others nothing.

Outcomes: a status code (a redirect code means a redirect elsewhere than the login or the
two-factor set-up), ``"login"`` (302 to the login page), ``"setup"`` (302 to the second factor's
set-up), ``"ok"`` (2xx or 3xx, not to the login)."""

import datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import pytest

from safetynet.middleware import SessionPolicyMiddleware
from tests.access_support import (
    ANONYMOUS,
    MEMBERS,
    NO_SECOND_FACTOR,
    NOT_OBJECTS,
    OTHER_COORDINATOR,
    USERS,
    build_scene,
    fingerprint,
    render_documents,
    sample_path,
    site_routes,
)

# --- Who -------------------------------------------------------------------------------------

ADMIN = ("admin",)
COORDINATOR = ("coordinator",)
COLLEGE = ("college", "chair")  # the chair is the burgemeester, a college member
CHAIR = ("chair",)
SECRETARY = ("council_secretary",)
KERNGROEP = ("coordinator", "core_group")  # the kerngroep's meetings, minutes and decisions
NETWORK_KEEPERS = ("admin", "coordinator")  # actors, roles, organogram
OWN_ACTION_PLAN = ("coordinator", "promotor")  # the promotor through the personal grant
LOGGED_IN = (*MEMBERS, OTHER_COORDINATOR)  # anyone with an account (pages outside A's address)
# Items of a plan: a goal (and adding an action plan to the plan) needs the role; the items of
# an action plan follow its personal grant.
ITEM_KINDS = ("goal", "action-plan", "result", "action", "resource", "indicator")
UNDER_THE_ACTION_PLAN = ("result", "action", "resource", "indicator")


def everyone(outcome) -> dict:
    """Every member of A, whatever the role."""
    return dict.fromkeys(MEMBERS, outcome)


def only(who, outcome, others=403) -> dict:
    """``who`` gets ``outcome``, every other member of A ``others``."""
    return {member: outcome if member in who else others for member in MEMBERS}


def page(get: dict, post: dict, valid: dict | None = None) -> dict:
    """A page under ``/<municipality>/``: the members' outcomes (anonymous, B's coordinator and
    the coordinator without a second factor follow the rules); ``valid``: posted with valid
    data (``VALID_DATA``)."""
    row = {"GET": get, "POST": post}
    if valid is not None:
        row["POST valid"] = valid
    return row


def members_only(get=200, post=405) -> dict:
    return page(everyone(get), everyone(post))


def role_only(who, get=200, post=200) -> dict:
    return page(only(who, get), only(who, post))


def coordinator_only(get=200, post=200) -> dict:
    return role_only(COORDINATOR, get, post)


def site(get, post, anonymous=("login", "login"), no_second_factor=None) -> dict:
    """A page outside ``/<municipality>/``: the same outcome for everyone logged in (A's members
    and B's coordinator); ``no_second_factor`` for the pages the second-factor rule leaves
    open."""
    row = {
        "GET": {ANONYMOUS: anonymous[0], **dict.fromkeys(LOGGED_IN, get)},
        "POST": {ANONYMOUS: anonymous[1], **dict.fromkeys(LOGGED_IN, post)},
    }
    if no_second_factor is not None:
        row["GET"][NO_SECOND_FACTOR], row["POST"][NO_SECOND_FACTOR] = no_second_factor
    return row


def public(get, post, no_second_factor=None) -> dict:
    """Open without an account: anonymous gets what everyone gets."""
    return site(get, post, anonymous=(get, post), no_second_factor=no_second_factor)


def item(name, kind) -> dict:
    """The item pages of a draft plan (adding, editing, removing, moving)."""
    who = OWN_ACTION_PLAN if kind in UNDER_THE_ACTION_PLAN else COORDINATOR
    if name in ("item-edit", "item-move", "item-remove") and kind == "action-plan":
        # Editing and moving one's own action plan is the grant's; removing it is the role's.
        who = COORDINATOR if name == "item-remove" else OWN_ACTION_PLAN
    if name in ("item-add", "item-edit"):
        return role_only(who, 200, 200)
    return page(everyone(405), only(who, 302))


# --- The table ---------------------------------------------------------------------------------

EXPECTED = {
    # The dashboard and the accounts.
    "dashboard": site(200, 405),
    # The login: the form (posted empty: the wizard's 400); logged in, to the dashboard.
    "login": site(302, 302, anonymous=(200, 400), no_second_factor=(302, 302)),
    "two_factor:login": site(302, 302, anonymous=(200, 400), no_second_factor=(302, 302)),
    "logout": public(405, "login", no_second_factor=(405, "login")),
    "logout-everywhere": site(405, "login"),
    "password_change": site(200, 200),
    "password_change_done": site(200, 405),
    "password_reset": public(200, 200),
    "password_reset_done": public(200, 405),
    "password_reset_confirm": public(200, 200),  # a link that is not valid (any more)
    "password_reset_complete": public(200, 405),
    "two_factor:profile": site(200, 405),
    # Set up: done already by everyone but the person who has no second factor yet.
    "two_factor:setup": site(302, 400, no_second_factor=(200, 400)),
    "two_factor:qr": site(404, 405, no_second_factor=(404, 405)),  # only during the set-up
    "two_factor:setup_complete": site(200, 405, no_second_factor=("login", "login")),
    "two_factor:backup_tokens": site(200, 302, no_second_factor=("login", "login")),
    # Switching the second factor off: those whose role requires it are sent back to their
    # account page (302); the others get the form.
    "two_factor:disable": {
        method: {
            ANONYMOUS: "login",
            **{m: 302 if m in ("admin", "coordinator", *COLLEGE, *SECRETARY) else 200
               for m in MEMBERS},
            OTHER_COORDINATOR: 302,
        }
        for method in ("GET", "POST")
    },  # fmt: skip
    "set_language": public(302, 302, no_second_factor=(302, 302)),
    # The public pages of a plan in consultation: remarks are posted there (an empty one is
    # refused with the form).
    "public-verify": public(200, 200),
    "public-logo": public(200, 405),
    "public-pdf": public(200, 200),
    "public-plan": public(200, 200),
    "public-received": public(200, 405),
    # The municipality: everyone of it reads the profile; the admin alone edits it and sees its
    # users, roles and security log (personal data).
    "municipality-profile": members_only(),
    "municipality-profile-edit": role_only(ADMIN),
    "municipality-history": members_only(),
    "municipality-logo": members_only(),
    "member-list": role_only(ADMIN, 200, 405),
    "member-invite": role_only(ADMIN, 200, 200) | {"POST valid": only(ADMIN, 302)},
    "member-history": role_only(ADMIN, 200, 405),
    "member-detail": role_only(ADMIN, 200, 302) | {"POST valid": only(ADMIN, 302)},
    "security-events": role_only(ADMIN, 200, 405),
    # Actors, roles, organogram, network: the admin and the coordinator keep them; everyone
    # reads them, except the export (everyone's contact details).
    "actors:actor-list": members_only(),
    "actors:actor-create": role_only(NETWORK_KEEPERS),
    "actors:who-held": members_only(),
    "actors:kind-create": role_only(NETWORK_KEEPERS),
    "actors:actor-detail": members_only(),
    "actors:actor-edit": role_only(NETWORK_KEEPERS),
    "actors:actor-active": role_only(NETWORK_KEEPERS) | {"POST valid": only(NETWORK_KEEPERS, 302)},
    "actors:actor-history": members_only(),
    "actors:role-create": role_only(NETWORK_KEEPERS),
    "actors:role-end": role_only(NETWORK_KEEPERS),
    "actors:role-profile": role_only(NETWORK_KEEPERS),
    "actors:organogram": members_only(),
    "actors:organogram-svg": members_only(),
    "actors:orgunit-create": role_only(NETWORK_KEEPERS),
    "actors:orgunit-edit": role_only(NETWORK_KEEPERS),
    "actors:orgunit-delete": role_only(NETWORK_KEEPERS, 200, 302),
    "actors:appointment": page(everyone(200), only(NETWORK_KEEPERS, 200)),
    "actors:network": members_only(),
    "actors:network-svg": members_only(),
    "actors:gaps": members_only(),
    "actors:gaps-dismiss": role_only(NETWORK_KEEPERS, 405, 200),  # without a reason: the form
    "actors:gaps-restore": role_only(NETWORK_KEEPERS, 405, 302),
    "actors:actors-export": role_only(NETWORK_KEEPERS, 200, 405),
    "actors:actors-import": role_only(NETWORK_KEEPERS),
    # The kerngroep: everyone sees its composition and working groups; its meetings, minutes,
    # decisions and documents are the kerngroep's and the coordinator's; the coordinator
    # manages.
    "coregroup:composition": members_only(),
    "coregroup:composition-print": members_only(),
    "coregroup:composition-pdf": members_only(200, 200),  # POST: try a failed document again
    "coregroup:composition-history": members_only(),
    "coregroup:setup": coordinator_only(405, 302),
    "coregroup:seat-add": coordinator_only(),
    "coregroup:seat-holder": coordinator_only(),
    "coregroup:seat-state": coordinator_only(405, 302),
    "coregroup:working-group-list": members_only(),
    "coregroup:working-group-create": coordinator_only(),
    "coregroup:working-group-detail": members_only(),
    "coregroup:working-group-update": coordinator_only(),
    "coregroup:working-group-active": coordinator_only(405, 302),
    "coregroup:working-group-history": members_only(),
    "coregroup:working-group-member-add": coordinator_only(),
    "coregroup:working-group-member-end": coordinator_only(),
    "coregroup:meeting-list": role_only(KERNGROEP, 200, 405),
    "coregroup:meeting-schedule": coordinator_only(),
    "coregroup:working-group-meeting-schedule": coordinator_only(),
    "coregroup:meeting-tasks": role_only(KERNGROEP, 200, 405),
    "coregroup:meeting-detail": role_only(KERNGROEP, 200, 405),
    "coregroup:meeting-attendance": coordinator_only(405, 302),
    "coregroup:meeting-minutes": coordinator_only(200, 302),
    "coregroup:meeting-delete": coordinator_only(405, 302),  # with a decision: a message
    "coregroup:meeting-history": role_only(KERNGROEP, 200, 405),
    "coregroup:decision-add": coordinator_only(),
    "coregroup:task-add": coordinator_only(),
    "coregroup:task-status": coordinator_only(405, 302),
    "coregroup:calendar": role_only(KERNGROEP, 200, 302),  # POST: a new secret address
    # The calendar feed is opened by the secret in its address, not by a session: whoever has
    # it reads the feed (a calendar application has no account); a wrong one is a 404.
    "coregroup:calendar-feed": public(200, 405),
    "coregroup:document-add": coordinator_only(),
    "coregroup:document-history": role_only(KERNGROEP, 200, 405),
    "coregroup:document-download": role_only(KERNGROEP, 200, 405),
    "coregroup:document-remove": coordinator_only(405, 302),
    # The plans: everyone of the municipality reads them, their documents and their history;
    # the coordinator makes and moves them; the promotor edits their own action plan.
    "plans:plan-list": members_only(),
    "plans:plan-create": coordinator_only(),
    "plans:follow-up": role_only(KERNGROEP, 200, 405),
    "plans:phenomena": page(everyone(200), only(COORDINATOR, 200)),
    "plans:plan-detail": members_only(),
    "plans:plan-edit": coordinator_only(),
    "plans:plan-history": members_only(),
    "plans:plan-pdf": members_only(200, 200),  # POST: try a failed document again
    "plans:adoption-pdf": members_only(200, 200),
    "plans:antwoordnota-pdf": members_only(200, 200),
    "plans:round-extract": members_only(200, 200),  # how each voted only for those who may
    "plans:adopted-diff": members_only(),
    **{f"plans:{name}[{kind}]": item(name, kind)
       for name in ("item-add", "item-edit", "item-remove", "item-move") for kind in ITEM_KINDS},
    # Moving a plan along: the coordinator submits, withdraws, closes; the college votes; the
    # chair closes the round; the council secretary records the council's decision.
    "plans:submit": coordinator_only() | {"POST valid": only(COORDINATOR, 302)},
    "plans:withdraw": coordinator_only() | {"POST valid": only(COORDINATOR, 302)},
    "plans:close": coordinator_only() | {"POST valid": only(COORDINATOR, 302)},
    "plans:consultation": coordinator_only() | {"POST valid": only(COORDINATOR, 302)},
    "plans:discussion-add": coordinator_only() | {"POST valid": only(COORDINATOR, 302)},
    # The vote page: everyone reads it (how each voted only for those who may); an empty vote
    # is the form again, a vote of someone outside the electorate is refused.
    "plans:vote": page(everyone(200), everyone(200), valid=only(COLLEGE, 302)),
    "plans:round-close": page(everyone(405), only(CHAIR, 302), valid=only(CHAIR, 302)),
    "plans:acting-chair": page(
        everyone(405), only((*COORDINATOR, *CHAIR), 302), valid=only((*COORDINATOR, *CHAIR), 302)
    ),
    "plans:round-reference": page(
        only(COORDINATOR, 405), only(COORDINATOR, 302), valid=only(COORDINATOR, 302)
    ),
    "plans:council-decision": role_only(SECRETARY) | {"POST valid": only(SECRETARY, 302)},
    # The consultation: remarks carry senders' personal data, the coordinator alone sees them;
    # the antwoordnota (texts and answers) is for everyone.
    "plans:remark-list": coordinator_only(200, 405),
    "plans:remark-enter": coordinator_only(),
    "plans:remark-detail": coordinator_only(),
    "plans:antwoordnota": members_only(),
    # Steering: everyone reads; the coordinator sets the rhythm, raises obstacles and
    # evaluates; the college reads the obstacles, the mayor alone answers them; the promotor
    # reports and measures on their own action plan.
    "plans:reporting": coordinator_only(),
    "plans:escalations": page(only((*COORDINATOR, *COLLEGE), 200), only(COORDINATOR, 200)),
    "plans:escalation-answer": role_only(CHAIR) | {"POST valid": only(CHAIR, 302)},
    "plans:evaluation": page(everyone(200), only(COORDINATOR, 200)),
    "plans:steering": members_only(),
    "plans:report-add": role_only(OWN_ACTION_PLAN) | {"POST valid": only(OWN_ACTION_PLAN, 302)},
    "plans:report-edit": role_only(OWN_ACTION_PLAN),
    "plans:measurement-add": role_only(OWN_ACTION_PLAN),
    "plans:measurement-edit": role_only(OWN_ACTION_PLAN),
    # The monitor: everyone of the municipality.
    "monitor:monitor": members_only(),
    "monitor:indicators": members_only(),
    "monitor:report": members_only(200, 200),
    "monitor:export": members_only(200, 405),
}  # fmt: skip

# What "POST valid" posts (a function of the scene: ids and dates).
VALID_DATA = {
    "member-invite": lambda s: {
        "email": "nieuw@example.org",
        "username": "nieuw",
        "language": "nl",
        "roles": ["viewer"],
    },
    # Taking a role: the privilege escalation a refused member must not manage.
    "member-detail": lambda s: {"action": "roles", "roles": ["coordinator", "viewer"]},
    "actors:actor-active": lambda s: {"action": "deactivate", "reason": "Opgeheven"},
    "plans:submit": lambda s: {
        "deadline": (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "",
    },
    "plans:withdraw": lambda s: {"reason": "Nog niet klaar"},
    "plans:close": lambda s: {"reason": "Geëvalueerd"},
    "plans:consultation": lambda s: {"action": "close", "reason": "Alle reacties zijn binnen"},
    "plans:discussion-add": lambda s: {"agenda_item": s.objects["agenda_item"].pk},
    "plans:vote": lambda s: {"choice": "approve", "comment": ""},
    "plans:round-close": lambda s: {},
    "plans:acting-chair": lambda s: {"user": s.users["college"].pk},
    "plans:round-reference": lambda s: {"reference": "CBS/2026/4"},
    "plans:council-decision": lambda s: {
        "date": "2026-10-01",
        "reference": "GR/2026/99",
        "votes_for": 20,
        "votes_against": 1,
        "votes_abstain": 0,
        "adopted": "1",
    },
    "plans:escalation-answer": lambda s: {"answer": "De politiezone zet twee agenten in."},
    "plans:report-add": lambda s: {
        "period_end": "2026-06-30",
        "status": "on_track",
        "percent": 40,
        "budget_spent": "0",
        "text": "Op schema",
    },
}

# The people a rule answers instead of the table (pages under /<municipality>/ but the one
# opened by a secret).
OPENED_BY_A_SECRET = frozenset({"coregroup:calendar-feed"})
# Pages that need no login (the others send anonymous to the login).
PUBLIC = frozenset(
    {
        "login",
        "two_factor:login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "set_language",
        "public-verify",
        "public-logo",
        "public-pdf",
        "public-plan",
        "public-received",
        *OPENED_BY_A_SECRET,
    }
)
# Where anonymous is not sent to the login page directly, and why.
ANONYMOUS_DETOURS: dict[str, str] = {}

# --- Reading the table -------------------------------------------------------------------------

ROUTES = {route.key: route for route in site_routes() if not route.is_admin}
ADMIN_ROUTES = [route for route in site_routes() if route.is_admin]


def base(key: str) -> str:
    return key.split("[", 1)[0]


def variant(key: str) -> str:
    return key[len(base(key)) + 1 : -1] if "[" in key else ""


KEYS = sorted(set(EXPECTED) | (set(ROUTES) - {base(key) for key in EXPECTED}))


def expected_outcome(key: str, method: str, user: str):
    route = ROUTES[base(key)]
    if user == NO_SECOND_FACTOR and route.name not in SessionPolicyMiddleware.OPEN_VIEWS:
        return "setup"
    if route.in_municipality and route.name not in OPENED_BY_A_SECRET:
        if user == ANONYMOUS:
            return "login"
        if user == OTHER_COORDINATOR:
            return 404
    return EXPECTED[key][method][user]


def login_paths() -> set:
    return {reverse("login"), reverse("admin:login")}


def problem(expected, cell) -> str | None:
    """What is wrong with ``cell`` for ``expected`` (None: nothing)."""
    if cell.status >= 500:
        return f"answered {cell.status} {cell.error}"
    target = urlsplit(cell.location).path
    to_login = cell.status == 302 and target in login_paths()
    to_setup = cell.status == 302 and target == reverse("two_factor:setup")
    if expected == "login":
        fine = to_login
    elif expected == "setup":
        fine = to_setup
    elif expected == "ok":
        fine = 200 <= cell.status < 400 and not (to_login or to_setup)
    else:
        fine = cell.status == expected and not (to_login or to_setup)
    if fine:
        return None
    where = f" → {cell.location}" if cell.location else ""
    return f"expected {expected}, got {cell.status}{where}"


def refused(cell) -> bool:
    target = urlsplit(cell.location).path
    return cell.status in (400, 403, 404, 405) or (
        cell.status == 302 and target in {*login_paths(), reverse("two_factor:setup")}
    )


# --- The scene: built once for the module ------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_root():
    """The scene's files (logo, meeting document, rendered documents) live in the module's own
    folder (see ``scene``), not in one per test."""


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    """Municipalities A and B with A's objects and people, made once; every test's requests are
    rolled back one by one, and the whole scene at the end of the module."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        built = build_scene()
        render_documents(built, ROUTES)
        yield built
        transaction.set_rollback(True)


# --- The tests ---------------------------------------------------------------------------------


def test_the_table_names_every_url_of_the_site_and_nothing_else():
    # No route serves static or uploaded files (whitenoise serves the static ones, uploads are
    # served by the views that check who asks): a new one would need its own rule here.
    served = [r.route for r in site_routes() if r.route.startswith(("static/", "media/"))]
    assert not served, f"Routes serving files, not in the matrix: {served}"
    missing = sorted(set(ROUTES) - {base(key) for key in EXPECTED})
    gone = sorted(key for key in EXPECTED if base(key) not in ROUTES)
    assert not missing, f"URLs of the site missing from EXPECTED: {missing}"
    assert not gone, f"Entries of EXPECTED that are no URL of the site any more: {gone}"


def test_the_table_has_a_cell_for_everyone():
    """Each row answers for every person the rules leave to it, and only uses known outcomes."""
    for key in EXPECTED:
        if base(key) not in ROUTES:
            continue  # reported by the test above
        assert ("POST valid" in EXPECTED[key]) == (base(key) in VALID_DATA), (
            f"{key}: a 'POST valid' row and its VALID_DATA go together"
        )
        for method in EXPECTED[key]:
            for user in USERS:
                try:
                    outcome = expected_outcome(key, method, user)
                except KeyError:
                    pytest.fail(f"{key} {method}: no outcome for {user}")
                assert outcome in ("login", "setup", "ok") or isinstance(outcome, int), (
                    key,
                    method,
                    user,
                )


def test_anonymous_is_sent_to_the_login_on_every_page_that_is_not_public():
    for key in EXPECTED:
        if base(key) in PUBLIC or base(key) not in ROUTES or base(key) in ANONYMOUS_DETOURS:
            continue
        for method in EXPECTED[key]:
            assert expected_outcome(key, method, ANONYMOUS) == "login", (key, method)


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_access(scene, key):
    """Every cell of the URL's row, and the rules; all mismatches at once."""
    assert base(key) in ROUTES, f"{key} is in EXPECTED, but no URL of the site has that name."
    assert key in EXPECTED, (
        f"The URL {key} ({ROUTES[key].route}) is not in EXPECTED: add its row — who may GET "
        "and POST it."
    )
    route = ROUTES[base(key)]
    path = scene.path(route, variant(key))
    baseline = fingerprint()
    mismatches = []
    for method in EXPECTED[key]:
        data = VALID_DATA[base(key)](scene) if method == "POST valid" else None
        for user in USERS:
            expected = expected_outcome(key, method, user)
            cell = scene.request(user, "GET" if method == "GET" else "POST", path, data)
            where = f"{method} {path} as {user}"
            if (found := problem(expected, cell)) is not None:
                mismatches.append(f"{where}: {found}")
            if refused(cell) and cell.changed:
                mismatches.append(f"{where}: refused ({cell.status}) but changed {cell.changed}")
            if method == "POST valid" and not refused(cell) and not cell.changed:
                mismatches.append(f"{where}: allowed ({cell.status}) but changed nothing")
    if route.in_municipality:
        mismatches += foreign_ids_under_own_address(scene, key, route)
    assert fingerprint() == baseline, "a request left something behind"
    assert not mismatches, "\n".join(mismatches)


def foreign_ids_under_own_address(scene, key, route) -> list[str]:
    """B's coordinator, under B's own address, with the ids of A's objects: refused exactly as
    ids that do not exist (nothing tells that A's object exists)."""
    if not set(route.parameters) - NOT_OBJECTS:
        return []  # a page of B's own (a list, a form): nothing of A in its address
    found = []
    foreign = scene.path(route, variant(key), municipality=scene.b)
    unknown = scene.path(route, variant(key), municipality=scene.b, unknown=True)
    for method in ("GET", "POST"):
        cell = scene.request(OTHER_COORDINATOR, method, foreign)
        control = scene.request(OTHER_COORDINATOR, method, unknown)
        where = f"{method} {foreign} as {OTHER_COORDINATOR}"
        if cell.status not in (403, 404, 405) or cell.status != control.status:
            found.append(
                f"{where}: answered {cell.status}, an unknown id {control.status} {cell.error}"
            )
        if cell.changed:
            found.append(f"{where}: changed {cell.changed}")
    return found


@pytest.mark.django_db
def test_the_admin_is_the_operators_alone(scene):
    """The Django admin (every route of it): anonymous and every person of a municipality are
    sent to the login, the coordinator without a second factor to set it up; the platform
    operator, logged in with the second factor, gets in."""
    from tests.auth_support import log_in_with_second_factor
    from tests.factories import UserFactory

    assert ADMIN_ROUTES, "the admin is mounted"
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    mismatches = []
    who = (ANONYMOUS, "admin", OTHER_COORDINATOR, NO_SECOND_FACTOR)  # A's admin, B's coordinator
    for route in ADMIN_ROUTES:
        path = sample_path(route)
        for method in ("GET", "POST"):
            for user in who:
                expected = "setup" if user == NO_SECOND_FACTOR else "login"
                if route.name == "admin:logout" and user != NO_SECOND_FACTOR:
                    expected = 302  # Django's admin_view: to the admin's index, itself behind login
                cell = scene.request(user, method, path)
                if (found := problem(expected, cell)) is not None:
                    mismatches.append(f"{route.key} {method} {path} as {user}: {found}")
                if cell.changed:
                    mismatches.append(f"{route.key} {method} {path} as {user}: {cell.changed}")
    log_in_with_second_factor(client := scene.client(ANONYMOUS), operator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_a_wrong_calendar_secret_is_404_for_everyone(scene):
    route = ROUTES["coregroup:calendar-feed"]
    path = scene.path(route, unknown=True)
    for user in USERS:
        expected = "setup" if user == NO_SECOND_FACTOR else 404
        assert problem(expected, scene.request(user, "GET", path)) is None, user
