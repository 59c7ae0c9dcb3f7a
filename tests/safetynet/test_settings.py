"""The settings package, started as a real process would start it: from a clean environment."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent.parent
PYTHON = str(PROJECT / ".venv" / "bin" / "python")
if not Path(PYTHON).exists():  # another checkout layout: the interpreter running the tests
    PYTHON = sys.executable


def random_secret(length=50) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def run(args, tmp_path, **env) -> subprocess.CompletedProcess:
    """Run ``python args…`` in the project with nothing of this test run's environment but PATH
    and the variables given (SAFETYNET_VAR_DIR defaults to a throw-away folder)."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "SAFETYNET_VAR_DIR": str(tmp_path / "var"),
    }
    clean.update({key: value for key, value in env.items() if value is not None})
    (tmp_path / "var").mkdir(exist_ok=True)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, *args],
        cwd=PROJECT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production(**env) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "safetynet.settings.production",
        "SECRET_KEY": random_secret(),
        "ALLOWED_HOSTS": "safetynet.example.org",
        **env,
    }


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "CONN_MAX_AGE": db["CONN_MAX_AGE"],
    "ENGINE": db["ENGINE"],
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
}))
"""


def test_production_passes_check_deploy_without_a_warning(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **production()
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_check_deploy_does_see_a_weak_secret(tmp_path):
    """The check above can fail: a short secret is a warning that fails the run."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **production(SECRET_KEY="short"),
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(tmp_path, missing):
    env = production()
    del env[missing]
    result = run(["manage.py", "check"], tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"environment variable {missing} is required" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
@pytest.mark.parametrize("blank", ["", "   "], ids=["empty", "spaces"])
def test_production_refuses_a_blank_value(tmp_path, missing, blank):
    """A variable set to nothing (or to spaces, as a templated deployment file easily leaves it)
    is as missing as an unset one."""
    result = run(["manage.py", "check"], tmp_path, **production(**{missing: blank}))
    assert result.returncode != 0, f"{missing}={blank!r} was accepted: {result.stdout}"
    assert f"environment variable {missing} is required" in result.stderr


@pytest.mark.parametrize("module", ["production", "dev", "test"])
def test_a_debug_value_that_is_not_a_boolean_fails_clearly(tmp_path, module):
    env = production(DEBUG="garbage", DJANGO_SETTINGS_MODULE=f"safetynet.settings.{module}")
    result = run(["manage.py", "check"], tmp_path, **env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert "DEBUG must be one of" in last_line
    assert "'garbage'" in last_line


def test_production_refuses_debug_on(tmp_path):
    result = run(["manage.py", "check"], tmp_path, **production(DEBUG="true"))
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_dev_uses_sqlite_under_the_var_dir_with_wal_and_immediate(tmp_path):
    script = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
db = settings.DATABASES["default"]
print(json.dumps({
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "journal_mode": journal_mode,
    "transaction_mode": db["OPTIONS"]["transaction_mode"],
}))
"""
    var_dir = tmp_path / "var"
    result = run(
        ["-c", script],
        tmp_path,
        DJANGO_SETTINGS_MODULE="safetynet.settings.dev",
        SAFETYNET_VAR_DIR=str(var_dir),
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(found["NAME"]).parent == var_dir
    assert Path(found["NAME"]).exists()
    assert found["journal_mode"] == "wal"
    assert found["transaction_mode"] == "IMMEDIATE"


def test_dev_starts_in_a_fresh_clone_without_a_var_folder(tmp_path):
    """var/ is in .gitignore, so a fresh clone has none: `make run` migrates straight away and
    must not stop at "unable to open database file"."""
    var_dir = tmp_path / "fresh-clone" / "var"
    result = run(
        ["manage.py", "migrate", "--no-input", "-v", "0"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="safetynet.settings.dev",
        SAFETYNET_VAR_DIR=str(var_dir),
    )
    assert result.returncode == 0, result.stderr.strip().splitlines()[-1:]
    assert (var_dir / "safetynet.sqlite3").exists()


@pytest.mark.parametrize(
    "database_url", [None, "postgres://nobody@127.0.0.1:1/none"], ids=["sqlite", "postgres"]
)
def test_production_keeps_sessions_in_the_database_and_connections_open(tmp_path, database_url):
    result = run(["-c", PRINT_SETTINGS], tmp_path, **production(DATABASE_URL=database_url))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert found["CONN_MAX_AGE"] > 0
    assert found["DEBUG"] is False
    assert found["ALLOWED_HOSTS"] == ["safetynet.example.org"]
    expected_engine = "sqlite3" if database_url is None else "postgresql"
    assert found["ENGINE"].endswith(expected_engine)


def test_dev_starts_with_nothing_set(tmp_path):
    """The quick local start: no variable at all gives DEBUG on and a SQLite database."""
    result = run(["-c", PRINT_SETTINGS], tmp_path, DJANGO_SETTINGS_MODULE="safetynet.settings.dev")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["DEBUG"] is True
    assert found["ENGINE"] == "django.db.backends.sqlite3"


WSGI_LOADED = """
import gc, json, sys
import safetynet.wsgi
from django.urls import get_resolver
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "views_imported": "plans.views.plans" in sys.modules and "coregroup.meetings" in sys.modules,
    "resolver_loaded": "url_patterns" in get_resolver().__dict__,
}))
"""


def test_the_wsgi_application_loads_every_view_and_freezes_what_it_loaded(tmp_path):
    """gunicorn's entry point (``safetynet.wsgi``): the production settings, every view imported
    through the URLconf, then the loaded objects frozen out of the garbage collector's full
    collections (bench/README.md)."""
    result = run(["-c", WSGI_LOADED], tmp_path, **production())
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["views_imported"]
    assert loaded["resolver_loaded"]
    assert loaded["frozen"] > 50_000, loaded
