"""The machinery of the bad-input tests (``tests/*/test_bad_input.py``).

A :class:`FormCase` names one form POST of the site: its address, who may use it, the form whose
fields are fuzzed and the values it accepts. :func:`run_case` first checks that those values are
accepted (so the test reaches the page that shows what was stored), then posts
hypothesis-generated values, each in its own transaction that is rolled back, and asserts:

- never a 500 (the test client raises the view's exception);
- a refusal (4xx; the form again with its errors; a redirect with an error message) shows why
  and stores nothing: no row of any domain, history or permission table is added or removed;
- an acceptance stores the text as typed (trimmed as every Django form does), and the page it
  leads to shows it escaped;
- no response ever contains one of the script markers unescaped (:data:`tests.strategies.MARKERS`).

Transactions: the test runs inside pytest-django's ``db`` transaction; each example opens a
savepoint (``transaction.atomic``) that is always rolled back, so an example sees the world as
the case set it up and never what an earlier example stored. The world's objects are made, and
the user logged in, outside the examples (a session made inside one would vanish with it).

``BAD_INPUT_REPORT=1 pytest -s …`` prints how many examples of each case were accepted and
refused.
"""

import os
import unicodedata
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.messages import constants as levels
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.urls import resolve

from hypothesis import strategies as st

from tests.strategies import MARKERS, for_field, nasty_text

# Not domain data: sessions, the permission and content type catalogues Django keeps, the
# lockout and second-factor tables, the security log (a refusal may well be logged there).
NOT_COUNTED_APPS = {
    "sessions",
    "contenttypes",
    "admin",
    "axes",
    "otp_static",
    "otp_totp",
    "two_factor",
}
NOT_COUNTED_MODELS = {"SecurityEvent", "Permission"}


@contextmanager
def rolled_back():
    """One example: everything it writes is undone when it ends, whatever happens."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counted_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in NOT_COUNTED_APPS
        and model.__name__ not in NOT_COUNTED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def history_models() -> list:
    return [model for model in counted_models() if model.__name__.startswith("Historical")]


def db_state() -> dict:
    """Rows per table, and the newest history id per history table: one query."""
    quote = connection.ops.quote_name
    models = counted_models()
    # Table names from the models, never from input.
    parts = [f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models]  # noqa: S608
    history = history_models()
    parts += [
        f"(SELECT COALESCE(MAX({quote('history_id')}), 0) FROM {quote(m._meta.db_table)})"  # noqa: S608
        for m in history
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        values = cursor.fetchone()
    names = [m._meta.db_table for m in models] + [f"max:{m._meta.db_table}" for m in history]
    return dict(zip(names, values, strict=True))


def changed_tables(before: dict, after: dict) -> dict:
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


def new_history_texts(before: dict, after: dict) -> list[str]:
    """Every text value of the history rows written between two states."""
    texts = []
    for model in history_models():
        key = f"max:{model._meta.db_table}"
        if after[key] == before[key]:
            continue
        for row in model.objects.filter(history_id__gt=before[key]).values():
            texts += [value for value in row.values() if isinstance(value, str)]
    return texts


def has_markup(data: dict) -> bool:
    """Whether a submission carries something a page could fail to escape."""
    for value in data.values():
        values = value if isinstance(value, list) else [value]
        for item in values:
            text = item[0] if isinstance(item, tuple) else item
            if isinstance(text, str) and "<" in text:
                return True
    return False


def assert_escaped(response, where: str) -> None:
    content = getattr(response, "content", b"") or b""
    page = content.decode("utf-8", errors="replace")
    for marker in MARKERS:
        assert marker not in page, f"unescaped {marker!r} in {where}"


def encode(data: dict) -> dict:
    """The POST as the browser sends it: files as uploads."""
    encoded = {}
    for name, value in data.items():
        if isinstance(value, tuple):
            # The test client sends a file's base name only (a browser may send more: Django's
            # parser cleans it the same way).
            encoded[name] = SimpleUploadedFile(os.path.basename(value[0]) or "file", value[1])
        else:
            encoded[name] = value
    return encoded


def form_values(form: forms.Form) -> dict:
    """What the browser sends back for the form as shown (its initial values)."""
    data = {}
    for bound in form:
        if isinstance(bound.field, forms.FileField):
            continue
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None and isinstance(
            bound.field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField
        ):
            continue  # nothing ticked: the browser sends nothing
        if value is None:
            value = ""
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif hasattr(value, "isoformat") and isinstance(bound.field, forms.DateTimeField):
            value = value.strftime("%Y-%m-%dT%H:%M")
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        else:
            value = str(value)
        data[bound.html_name] = value
    return data


def page_context(response) -> dict:
    context = response.context
    if context is None:
        return {}
    if hasattr(context, "flatten"):
        return context.flatten()
    flat = {}
    for layer in reversed(list(context)):
        flat.update(layer.flatten())
    return flat


def forms_on_page(response) -> list[forms.BaseForm]:
    """Every form the page was rendered with: in the context, in its lists, on its objects."""
    found = []
    for value in page_context(response).values():
        candidates = value if isinstance(value, list | tuple) else [value]
        for candidate in candidates:
            if isinstance(candidate, dict):
                candidate = candidate.get("form")
            candidate = getattr(candidate, "form", candidate)
            if isinstance(candidate, forms.BaseForm) and candidate not in found:
                found.append(candidate)
    return found


def error_texts(response) -> list[str]:
    """The errors of every form on the page, the problems of a result it shows, and its error
    and warning messages."""
    texts = []
    for form in forms_on_page(response):
        if form.is_bound or form._errors:
            for errors in form.errors.values():
                texts += [str(error) for error in errors]
    result = page_context(response).get("result")
    for problem in getattr(result, "errors", None) or []:
        texts.append(str(getattr(problem, "message", problem)))
    texts += [str(m) for m in get_messages(response.wsgi_request) if m.level >= levels.WARNING]
    return texts


TEXT_FIELDS = (forms.CharField,)
NOT_TEXT_FIELDS = (
    forms.EmailField,
    forms.URLField,
    forms.SlugField,
    forms.ChoiceField,
    forms.TypedChoiceField,
)


@dataclass
class FormCase:
    """One form POST of the site.

    ``form`` gives the unbound form as the page shows it (its fields are fuzzed, its initial
    values are the accepted starting point); ``accepted`` the values that are accepted, on top
    of those; ``fixed`` values always sent (a button's ``action``); ``shows`` further pages that
    must show the stored values escaped. ``not_stored`` names text fields that are not stored
    as typed (a honeypot, a search, a choice among lines)."""

    id: str
    url: Callable
    user: Callable | None
    form: Callable | None = None
    accepted: Callable = lambda world: {}
    fixed: dict = field(default_factory=dict)
    fields: Callable | None = None  # name -> strategy, for a view without a form class
    shows: Callable = lambda world: []
    not_stored: tuple = ()
    success_redirects: bool = True  # False: accepted with a 200 page (nothing to store)
    follow_statuses: tuple = (200,)  # what the page after an acceptance may answer
    examples: int | None = None  # fewer than the profile's, for a slow page (a PDF)
    route: str = ""  # the URL's name (namespace:name) the case posts to
    logs_out: bool = False  # accepted, it ends the session (logging out)
    before: Callable | None = None  # ``before(client, world)`` in each example, after login


@dataclass
class Plan:
    """A case made concrete, before any example runs (the world's objects made once, outside
    the examples' transactions)."""

    url: str
    user: object
    shows: list
    base: dict
    submissions: st.SearchStrategy
    text_fields: set


def strategy_for(case: FormCase, world) -> Plan:
    """The accepted values, and a strategy of submissions: one to three fields replaced by
    values of their own strategies, the others as accepted (so that both the refusals and the
    pages showing what was stored are reached)."""
    url = case.url(world)
    user = case.user(world) if case.user else None
    shows = case.shows(world)
    form = case.form(world) if case.form else None
    base = form_values(form) if form is not None else {}
    base.update(case.accepted(world))
    base.update(case.fixed)
    strategies = {}
    if form is not None:
        for bound in form:
            strategies[bound.html_name] = for_field(bound.field)
    if case.fields is not None:
        strategies.update(case.fields(world))
    if not strategies:  # a button: whatever else is posted changes nothing
        strategies = {"unexpected": nasty_text(), "next": nasty_text()}
    names = sorted(strategies)

    def submission(values):
        return {**base, **values}

    drawn = st.sets(st.sampled_from(names), min_size=1, max_size=min(3, len(names))).flatmap(
        lambda chosen: st.fixed_dictionaries({name: strategies[name] for name in sorted(chosen)})
    )
    text_fields = set()
    if form is not None:
        for bound in form:
            is_text = isinstance(bound.field, TEXT_FIELDS) and not isinstance(
                bound.field, NOT_TEXT_FIELDS
            )
            if is_text and bound.name not in case.not_stored and not bound.field.disabled:
                text_fields.add(bound.html_name)
    return Plan(
        url=url,
        user=user,
        shows=shows,
        base=base,
        submissions=drawn.map(submission),
        text_fields=text_fields,
    )


def submit(client, case: FormCase, world, plan: Plan, data: dict, *, expect_accepted=False) -> str:
    """Post ``data`` and check the answer; ``"accepted"`` or ``"refused"``."""
    url = plan.url
    client.cookies.pop(CookieStorage.cookie_name, None)  # no message left from before
    if case.before is not None:
        case.before(client, world)
    before = db_state()
    response = client.post(url, encode(data))
    assert response.status_code < 500, (response.status_code, data)
    assert_escaped(response, f"the answer to {url}")
    status = response.status_code
    message_levels = [m.level for m in get_messages(response.wsgi_request)]
    redirected = status in (301, 302, 303)
    if redirected and plan.user is not None and not case.logs_out:
        login_page = resolve_url(settings.LOGIN_URL)
        assert not response.url.startswith(login_page), (url, "logged out", data)
    accepted = (redirected and levels.ERROR not in message_levels) or (
        status == 200 and not case.success_redirects and not error_texts(response)
    )
    if expect_accepted:
        assert accepted, (url, status, error_texts(response) if status == 200 else "", data)
    if not accepted:
        after = db_state()
        assert changed_tables(before, after) == {}, (url, status, data)
        if status == 200:
            shown = response.content.decode()
            errors = error_texts(response)
            assert errors, (url, "a refusal without a word of why", data)
            assert any(_shown(text, shown) for text in errors), (url, errors)
        elif not redirected:
            assert 400 <= status < 500, status
        return "refused"
    after = db_state()
    stored = new_history_texts(before, after) if redirected else []
    if stored and levels.SUCCESS in message_levels:  # something changed: what was typed
        for name in plan.text_fields:
            value = data.get(name)
            unchanged = str(plan.base.get(name, "")).strip() == str(value).strip()
            if isinstance(value, str) and not unchanged:
                for line in value.strip().splitlines():
                    line = line.strip()
                    # A username is stored in its NFKC form (Django's normalize_username).
                    forms_of_line = {line, unicodedata.normalize("NFKC", line).strip()}
                    assert not line or any(
                        form in text for form in forms_of_line for text in stored
                    ), f"{case.id}: {name}={line!r} accepted but not stored as typed"
    if not (expect_accepted or has_markup(data)):
        return "accepted"  # nothing a page could show unescaped
    if redirected and not case.logs_out:
        page = client.get(response.url, follow=True)
        assert page.status_code in case.follow_statuses, (response.url, page.status_code)
        assert_escaped(page, f"the page after {url}")
    for shown_url in plan.shows:
        page = client.get(shown_url, follow=True)
        assert page.status_code == 200, (shown_url, page.status_code)
        assert_escaped(page, shown_url)
    return "accepted"


def _shown(text: str, page: str) -> bool:
    from django.utils.html import escape

    return escape(text) in page or text in page


def login(client, user) -> None:
    if user is None:
        client.logout()
    else:
        client.force_login(user)


def stay_logged_in(client, user) -> None:
    """Log in again only when the last example's rollback took the session away (a password
    change makes a new one) or left someone else in it."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    key = client.cookies.get(settings.SESSION_COOKIE_NAME)
    session = Session.objects.filter(session_key=key.value).first() if key else None
    logged_in = session.get_decoded().get(SESSION_KEY) if session else None
    if user is None and logged_in is not None or user is not None and logged_in != str(user.pk):
        login(client, user)


def prepare(client, case: FormCase, world) -> Plan:
    """Check that the accepted values are accepted (in a transaction rolled back); the plan of
    the submissions to draw."""
    login(client, case.user(world) if case.user else None)  # the form as its user sees it
    if case.before is not None:
        case.before(client, world)
    plan = strategy_for(case, world)
    assert resolve(urlsplit(plan.url).path).view_name == case.route, (case.id, plan.url)
    with rolled_back():
        submit(client, case, world, plan, plan.base, expect_accepted=True)
    return plan


def run_case(client, case: FormCase, world) -> None:
    """The accepted values, then hypothesis' submissions, each in its own rolled-back
    transaction (the profile in tests/conftest.py says how many)."""
    from hypothesis import given
    from hypothesis import settings as hypothesis_settings

    plan = prepare(client, case, world)

    outcomes = Counter()
    limit = {}
    if case.examples is not None:
        limit["max_examples"] = min(case.examples, hypothesis_settings().max_examples)

    @hypothesis_settings(**limit)
    @given(data=plan.submissions)
    def examples(data):
        stay_logged_in(client, plan.user)  # outside the example: its session lasts
        with rolled_back():
            outcomes[submit(client, case, world, plan, data)] += 1

    examples()
    if os.environ.get("BAD_INPUT_REPORT"):
        print(f"\n{case.id}: {dict(outcomes)}")  # noqa: T201
