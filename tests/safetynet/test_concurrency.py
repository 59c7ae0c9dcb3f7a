"""Two people saving at once: they wait for each other, they never get an error or a lost write."""

import os
import subprocess
import sys
import threading

from django.conf import settings
from django.db import close_old_connections

import pytest

from safetynet.constants import Role
from safetynet.models import Membership, RoleGroup
from safetynet.permissions import sync_role_groups
from safetynet.services import membership_create, membership_delete
from tests.factories import MunicipalityFactory, UserFactory

# Each thread reads, waits a moment, then writes in one transaction: the read-then-write pattern
# that gives "database is locked" on SQLite unless writers take the lock when they begin.
SQLITE_SCRIPT = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
    c.execute("DELETE FROM counter")
    c.execute("INSERT INTO counter VALUES (0)")

errors = []

def bump():
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("SELECT n FROM counter")
                n = c.fetchone()[0]
                time.sleep(0.2)
                c.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=bump) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as c:
    c.execute("SELECT n FROM counter")
    print("count", c.fetchone()[0])
print("errors", errors)
"""


def test_sqlite_default_makes_concurrent_writers_wait(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="safetynet.settings.dev", SAFETYNET_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "errors []" in result.stdout, result.stdout + result.stderr
    assert "count 4" in result.stdout  # no write lost


def _in_threads(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def run(index):
        try:
            barrier.wait()
            target(index)
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_role_groups_synced_at_once_are_made_once(postgres):
    municipality = MunicipalityFactory()
    RoleGroup.objects.filter(municipality=municipality).delete()

    errors = _in_threads(6, lambda _i: sync_role_groups(municipality))

    assert errors == []
    roles = list(RoleGroup.objects.filter(municipality=municipality).values_list("role", flat=True))
    assert sorted(roles) == sorted(Role.values)


@pytest.mark.django_db(transaction=True)
def test_the_same_role_given_twice_at_once_is_stored_once(postgres):
    municipality = MunicipalityFactory()
    user = UserFactory()

    errors = _in_threads(
        4,
        lambda _i: membership_create(
            municipality=municipality, user=user, role=Role.COORDINATOR, by=None
        ),
    )

    assert Membership.objects.filter(user=user, municipality=municipality).count() == 1
    assert len(errors) == 3  # the others are refused by the unique constraint, not stored twice
    assert user.groups.filter(role_group__municipality=municipality).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_admins_removing_each_other_at_once_leave_one(postgres):
    municipality = MunicipalityFactory()
    first, second = UserFactory(), UserFactory()
    memberships = [
        membership_create(municipality=municipality, user=user, role=Role.ADMIN, by=None)
        for user in (first, second)
    ]

    errors = _in_threads(
        2, lambda i: membership_delete(membership=memberships[i], by=[second, first][i])
    )

    assert Membership.objects.filter(municipality=municipality, role=Role.ADMIN).count() == 1
    assert len(errors) == 1
    assert [error.code for error in errors] == ["last_admin"]
