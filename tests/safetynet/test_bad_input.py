"""Bad input on the core's forms (the profile, users and roles, the account pages, the language
switch) and on every page's address: never a 500, a refusal says why and stores nothing, what is
accepted is stored as typed and shown escaped (tests/bad_input.py)."""

from urllib.parse import urljoin, urlsplit

from django.urls import reverse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetynet.constants import Role
from safetynet.forms import MemberIdentityForm, MemberRolesForm
from tests.auth_support import login_form
from tests.bad_input import FormCase, assert_escaped, rolled_back, run_case
from tests.bad_input_world import World
from tests.safetynet.test_views import (  # noqa: F401 (url_kwargs: the fixture)
    OPENED_BY_A_SECRET,
    build_path,
    municipality_routes,
    url_kwargs,
)
from tests.strategies import nasty_choice, nasty_text, nasty_url, odd_ids, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(lindenberg, heidebeek, make_member, client):
    return World(lindenberg, heidebeek, make_member, client)


def page(name, **kwargs):
    return reverse(name, kwargs={"municipality": "lindenberg", **kwargs})


def member_page(world):
    return page("member-detail", user_id=world.member.pk)


CASES = [
    FormCase(
        "profile",
        route="municipality-profile-edit",
        url=lambda w: page("municipality-profile-edit"),
        user=lambda w: w.admin,
        form=lambda w: w.shown_form(page("municipality-profile-edit")),
        shows=lambda w: [page("municipality-profile"), page("municipality-history")],
    ),
    FormCase(
        "member-invite",
        route="member-invite",
        url=lambda w: page("member-invite"),
        user=lambda w: w.admin,
        form=lambda w: w.shown_form(page("member-invite")),
        accepted=lambda w: {
            "email": "nieuw@example.org",
            "username": "nieuw",
            "roles": [Role.VIEWER],
        },
        shows=lambda w: [page("member-list"), page("member-history")],
    ),
    FormCase(
        "member-roles",
        route="member-detail",
        url=member_page,
        user=lambda w: w.admin,
        form=lambda w: MemberRolesForm(initial={"roles": [Role.VIEWER]}),
        fixed={"action": "roles"},
    ),
    FormCase(
        "member-identity",
        route="member-detail",
        url=member_page,
        user=lambda w: w.admin,
        form=lambda w: MemberIdentityForm(instance=w.member),
        fixed={"action": "identity"},
        shows=lambda w: [page("member-list")],
    ),
    FormCase(
        "member-action",
        route="member-detail",
        url=member_page,
        user=lambda w: w.admin,
        accepted=lambda w: {"action": "password_reset"},
        fields=lambda w: {"action": nasty_choice(["roles", "identity", "password_reset"])},
    ),
    FormCase(
        "language",
        route="set_language",
        url=lambda w: reverse("set_language"),
        user=lambda w: w.coordinator,
        accepted=lambda w: {"language": "fr", "next": page("municipality-profile")},
        fields=lambda w: {
            "language": nasty_choice(["nl", "fr", "en", "de", "nl-BE"]),
            "next": st.one_of(nasty_url(), st.sampled_from(["/", "/lindenberg/actors/"])),
        },
        follow_statuses=(200, 404),
    ),
    FormCase(
        "password-change",
        route="password_change",
        url=lambda w: reverse("password_change"),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(reverse("password_change")),
        accepted=lambda w: {
            "old_password": "demo",
            "new_password1": "een lang nieuw wachtwoord",
            "new_password2": "een lang nieuw wachtwoord",
        },
        not_stored=("old_password", "new_password1", "new_password2"),
    ),
    FormCase(
        "password-reset",
        route="password_reset",
        url=lambda w: reverse("password_reset"),
        user=None,
        form=lambda w: w.shown_form(reverse("password_reset")),
        accepted=lambda w: {"email": "iemand@example.org"},
    ),
]


def reset_link(world) -> str:
    """The link of the password reset e-mail of the person the admin manages."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world.member
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def open_reset_link(client, world):
    """Django keeps the link's token in the session and moves to a page without it."""
    response = client.get(reset_link(world))
    assert response.status_code == 302, response.status_code
    return response.url


ACCOUNT_CASES = [
    FormCase(
        "login",
        route="login",
        url=lambda w: reverse("login"),
        user=None,
        form=lambda w: w.shown_form(reverse("login")),
        accepted=lambda w: login_form(w.member.username, "demo"),
        not_stored=("username", "password"),
    ),
    FormCase(
        "logout",
        route="logout",
        url=lambda w: reverse("logout"),
        user=lambda w: w.member,
        logs_out=True,
    ),
    FormCase(
        "logout-everywhere",
        route="logout-everywhere",
        url=lambda w: reverse("logout-everywhere"),
        user=lambda w: w.member,
        logs_out=True,
    ),
    FormCase(
        "password-reset-confirm",
        route="password_reset_confirm",
        url=lambda w: open_reset_link(w.client, w),
        user=None,
        before=lambda client, w: open_reset_link(client, w),
        form=lambda w: w.shown_form(open_reset_link(w.client, w)),
        accepted=lambda w: {
            "new_password1": "een lang nieuw wachtwoord",
            "new_password2": "een lang nieuw wachtwoord",
        },
        not_stored=("new_password1", "new_password2"),
    ),
]
CASES += ACCOUNT_CASES


def test_every_core_form_has_a_case():
    """The core's POST forms; the other apps' are in their own test_bad_input.py, the check that
    the whole URLconf is covered in tests/test_bad_input_coverage.py."""
    assert {case.id for case in CASES} == {
        "profile",
        "member-invite",
        "member-roles",
        "member-identity",
        "member-action",
        "language",
        "password-change",
        "password-reset",
        "login",
        "logout",
        "logout-everywhere",
        "password-reset-confirm",
    }


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input(client, world, case):
    run_case(client, case, world)


# --- The language switch goes nowhere else ------------------------------------------------------


def test_the_language_switch_never_leaves_the_site(client, world):
    client.force_login(world.coordinator)

    @given(target=st.one_of(nasty_url(), nasty_text(100)))
    def examples(target):
        with rolled_back():
            response = client.post(reverse("set_language"), {"language": "en", "next": target})
            assert response.status_code in (200, 302)
            if response.status_code == 302:
                location = response["Location"]
                reached = urlsplit(urljoin("http://testserver/i18n/setlang/", location))
                assert (reached.scheme, reached.netloc) == ("http", "testserver"), location
            assert_escaped(response, "the language switch")

    examples()


# --- Every page's address: odd query strings, wrong and huge ids -------------------------------

# Documents are rendered (slow) and take only ``lang``, which is checked against a list.
SLOW = (".pdf", "/pdf/")


@pytest.fixture
def everyone(make_member):
    """One person holding every role of Lindenberg (and the chair): every page opens."""
    user = make_member(Role.ADMIN, username="everyone")
    for role in Role.values:
        if role != Role.ADMIN:
            make_member(role, user=user, is_chair=role == Role.COLLEGE)
    return user


def test_odd_addresses_of_every_page(client, request, everyone):
    """Every page under /<municipality>/ with odd query strings, and its ids replaced by ids
    of nothing, huge ids and small ones (another object's): never a 500, nothing unescaped."""
    kwargs = request.getfixturevalue("url_kwargs")
    routes = [
        route
        for route in municipality_routes()
        if route not in OPENED_BY_A_SECRET and not route.endswith(SLOW)
    ]
    paths = {route: build_path(route, kwargs) for route in routes}
    client.force_login(everyone)

    @settings(max_examples=8 * settings().max_examples)  # about a hundred pages
    @given(
        route=st.sampled_from(routes),
        query=queries,
        replaced=st.booleans(),
        new_id=odd_ids(),
    )
    def examples(route, query, replaced, new_id):
        path = paths[route]
        if replaced and any(part.isdigit() for part in path.split("/")):
            parts = path.split("/")
            index = max(i for i, part in enumerate(parts) if part.isdigit())
            parts[index] = str(new_id)
            path = "/".join(parts)
        with rolled_back():
            response = client.get(path, query)
            assert response.status_code < 500, (path, query)
            assert response.status_code in (200, 302, 400, 403, 404, 405), path
            assert_escaped(response, path)

    examples()


# --- Regressions found by the cases above -------------------------------------------------------


def test_an_error_of_a_hidden_field_is_shown(client, world):
    """A form whose hidden field (the version it was loaded at) came back wrong was refused
    under "The form could not be saved:" with an empty list."""
    from django.utils import translation
    from django.utils.html import escape
    from django.utils.translation import gettext

    from tests.bad_input import changed_tables, db_state, form_values

    client.force_login(world.admin)
    url = page("municipality-profile-edit")
    data = form_values(world.shown_form(url))
    data.update(version="<script>alert(1)</script>", name="Nieuwe naam")
    before = db_state()
    response = client.post(url, data)
    assert response.status_code == 200
    with translation.override("nl"):
        hint = gettext("The page sent a value it did not show; reload the page and try again.")
    html = response.content.decode()
    assert escape(hint) in html
    assert escape(response.context["form"].errors["version"][0]) in html
    assert_escaped(response, url)
    assert changed_tables(before, db_state()) == {}


def test_a_nul_in_any_query_parameter_is_no_500(client, request, everyone):
    """PostgreSQL refuses a NUL character in a query: searches that passed the address's text
    to the database failed (the plans, the follow-up board, the public "received" page)."""
    from tests.strategies import QUERY_NAMES

    kwargs = request.getfixturevalue("url_kwargs")
    client.force_login(everyone)
    nul = dict.fromkeys(QUERY_NAMES, "a\x00b")
    for route in municipality_routes():
        if route in OPENED_BY_A_SECRET or route.endswith(SLOW):
            continue
        path = build_path(route, kwargs)
        assert client.get(path, nul).status_code < 500, path
    client.logout()
    plan = kwargs["pk"]["plans/"]  # in steering: its public page exists
    received = reverse("public-received", kwargs={"municipality": "lindenberg", "pk": plan})
    response = client.get(received, {"referentie": "R-\x00"})
    assert response.status_code == 200
