import os

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from safetynet.constants import Role
from tests.auth_support import log_in_with_second_factor
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

STRICT = os.environ.get("SAFETYNET_STRICT") == "1"

# Hypothesis (the bad-input tests): a few dozen examples per form by default, many more with
# HYPOTHESIS_PROFILE=thorough. No example database in the tree; a failure prints the example
# and a @reproduce_failure blob. Requests take their time: no deadline.
_hypothesis_defaults = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
hypothesis_settings.register_profile("default", max_examples=25, **_hypothesis_defaults)
hypothesis_settings.register_profile("thorough", max_examples=300, **_hypothesis_defaults)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI's strict flag a skipped test is a failure: a missing database or browser must
    never pass for green."""
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped under SAFETYNET_STRICT=1, which allows no skip: {report.longrepr}"
        )


@pytest.fixture(autouse=True)
def _clear_content_type_cache():
    # PITFALLS.md: stale ContentType ids make permission tests flaky across test orders.
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rendered fragments are keyed by ids and history ids, which a rolled-back test hands out
    # again (SQLite): no test may meet another's fragments.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres(db):
    """For tests that need PostgreSQL (row locks, real concurrency)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)")


@pytest.fixture
def lindenberg(db):
    return MunicipalityFactory(name="Lindenberg", slug="lindenberg", nis_code="99001")


@pytest.fixture
def heidebeek(db):
    return MunicipalityFactory(name="Heidebeek", slug="heidebeek", nis_code="99002")


@pytest.fixture
def make_member(db, lindenberg):
    """``make_member(role, municipality=lindenberg, **user_fields)``: a user holding that role."""

    def make(role, municipality=None, user=None, is_chair=False, **user_fields):
        municipality = municipality or lindenberg
        # A new account counts as made by this municipality's admin, as the app makes them.
        user = user or UserFactory(home_municipality=municipality, **user_fields)
        MembershipFactory(user=user, municipality=municipality, role=role, is_chair=is_chair)
        return user

    return make


@pytest.fixture
def admin_user(make_member):
    return make_member(Role.ADMIN, username="admin")


@pytest.fixture
def coordinator(make_member):
    return make_member(Role.COORDINATOR, username="coordinator")


@pytest.fixture
def viewer(make_member):
    return make_member(Role.VIEWER, username="viewer")


@pytest.fixture
def other_coordinator(make_member, heidebeek):
    """The coordinator of another municipality: must get 404 for everything of Lindenberg."""
    return make_member(Role.COORDINATOR, municipality=heidebeek, username="coordinator-heidebeek")


@pytest.fixture
def role_users(make_member):
    """One user per role in Lindenberg: ``{role: user}``."""
    return {role: make_member(role, username=f"as-{role}") for role in Role.values}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, logged in with the second factor platform admins need."""
    log_in_with_second_factor(client, admin_user)
    return client
