"""``manage.py backup`` / ``restore`` without a PostgreSQL server: their refusals, how they pass
the connection to pg_dump (the password never on a command line), their help. The backup and
restore themselves are tested on PostgreSQL in ``test_backup_pg.py``."""

import re

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import pytest

from safetynet.backup import (
    SQLITE_REFUSAL,
    BackupError,
    client_arguments,
    client_environment,
    read_manifest,
    require_postgresql,
    require_program,
)
from safetynet.management.commands import backup as backup_command
from safetynet.management.commands import restore as restore_command

POSTGRES = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "safetynet",
    "USER": "safetynet",
    "PASSWORD": "s3cret-Pa55",
    "HOST": "db.example",
    "PORT": "5433",
    "OPTIONS": {"sslmode": "verify-full", "connect_timeout": 5, "pool": False},
}


def test_sqlite_is_refused_with_what_to_do_instead():
    with pytest.raises(CommandError, match=re.escape(SQLITE_REFUSAL)):
        require_postgresql({"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"})
    with pytest.raises(CommandError, match="PostgreSQL only"):
        require_postgresql({"ENGINE": "django.db.backends.mysql", "NAME": "x"})
    require_postgresql(POSTGRES)


def test_a_missing_client_program_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    for program in ("pg_dump", "pg_restore"):
        with pytest.raises(BackupError, match=f"{program} was not found on PATH"):
            require_program(program)


def test_the_backup_command_refuses_before_writing_anything(monkeypatch, tmp_path):
    """On SQLite (the default) it refuses the database; on PostgreSQL, without pg_dump, it
    refuses for the missing program. Either way nothing is written."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    expected = SQLITE_REFUSAL if connection.vendor == "sqlite" else "pg_dump was not found"
    with pytest.raises(CommandError, match=re.escape(expected)):
        call_command("backup", str(tmp_path / "backups"))
    assert not (tmp_path / "backups").exists()


def test_the_password_goes_in_the_environment_never_on_the_command_line():
    arguments = client_arguments(POSTGRES)
    assert arguments == [
        "--dbname=safetynet",
        "--no-password",
        "--host=db.example",
        "--port=5433",
        "--username=safetynet",
    ]
    assert not any("s3cret" in argument for argument in arguments)
    environment = client_environment(POSTGRES)
    assert environment["PGPASSWORD"] == "s3cret-Pa55"
    assert environment["PGSSLMODE"] == "verify-full"
    assert environment["PGCONNECT_TIMEOUT"] == "5"


def test_a_directory_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(BackupError, match="holds no manifest.json"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"format": 1, "application": "other"}')
    with pytest.raises(BackupError, match="not a SafetyNet backup manifest"):
        read_manifest(tmp_path)


def test_the_help_says_what_the_commands_do():
    backup_help = backup_command.Command().create_parser("manage.py", "backup").format_help()
    assert "pg_dump --format=custom" in backup_help
    assert "manifest.json" in backup_help
    assert "docs/backup.md" in backup_help
    restore_help = restore_command.Command().create_parser("manage.py", "restore").format_help()
    assert "--force" in restore_help
    assert "SHA-256" in restore_help
    assert "docs/backup.md" in restore_help
