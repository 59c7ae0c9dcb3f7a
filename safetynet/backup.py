"""Back up and restore an installation: the PostgreSQL database and the stored files.

A backup is one directory, ``safetynet-<UTC timestamp>/``, holding

- ``database.dump``: ``pg_dump --format=custom`` of the database;
- ``media.tar.gz``: everything under ``MEDIA_ROOT`` (logos, meeting documents, rendered PDFs);
- ``manifest.json``: when, the Django migrations applied per app, the row count of every table
  of SafetyNet's own apps, and the size and SHA-256 of the two archives.

The row counts are taken in the very snapshot ``pg_dump`` dumps (``pg_dump --snapshot``), so a
restore can check that it got back exactly what was dumped, even from a live installation.

:func:`restore` checks the archives against the manifest before it touches anything, refuses a
database that already has tables (or a ``MEDIA_ROOT`` that already has files) unless forced,
restores in one transaction, unpacks the files, and then checks the restored row counts and
every stored document's SHA-256 (an adopted plan's PDF among them).

The ``backup`` and ``restore`` management commands call these functions; ``docs/backup.md``
describes the procedure. Only PostgreSQL: a SQLite file is copied while the app is stopped.
External programs run with a list of arguments, never through a shell; the database password
goes to them in ``PGPASSWORD``, never on their command line."""

import datetime
import hashlib
import json
import os
import shutil
import subprocess  # nosec B404
import tarfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .models import RenderedDocument

MANIFEST = "manifest.json"
DATABASE_ARCHIVE = "database.dump"
MEDIA_ARCHIVE = "media.tar.gz"
FORMAT = 1
SQLITE_REFUSAL = (
    "backup works on PostgreSQL; for SQLite copy the file while the app is stopped "
    "(the database file and MEDIA_ROOT)."
)
# Connection options Django passes to libpq, and the environment variable each has for the
# PostgreSQL client programs.
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(CommandError):
    """A backup or restore refused or failed; the commands show its message as it is."""


def _quiet(message: str) -> None:
    pass


# --- Helpers -------------------------------------------------------------------------------


def require_postgresql(database: dict) -> None:
    if database["ENGINE"] != "django.db.backends.postgresql":
        if "sqlite" in database["ENGINE"]:
            raise BackupError(SQLITE_REFUSAL)
        raise BackupError(f"backup works on PostgreSQL only, not on {database['ENGINE']}.")


def require_program(name: str) -> str:
    """The path of a PostgreSQL client program, or a refusal that says how to get it."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client programs of the "
            "server's major version (Debian: apt-get install postgresql-client-15)."
        )
    return path


def client_arguments(database: dict) -> list[str]:
    """Where to connect, as arguments for pg_dump and pg_restore (no password among them)."""
    arguments = [f"--dbname={database['NAME']}", "--no-password"]
    if database.get("HOST"):
        arguments.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        arguments.append(f"--port={database['PORT']}")
    if database.get("USER"):
        arguments.append(f"--username={database['USER']}")
    return arguments


def client_environment(database: dict) -> dict[str, str]:
    """The environment of a client program: ours, plus the password and the libpq options."""
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    for option, variable in LIBPQ_ENVIRONMENT.items():
        value = (database.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            environment[variable] = str(value)
    return environment


def _run(arguments: list[str], database: dict) -> None:
    # A list of arguments, no shell.
    completed = subprocess.run(  # noqa: S603  # nosec B603
        arguments,
        env=client_environment(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        program = Path(arguments[0]).name
        raise BackupError(
            f"{program} failed (exit status {completed.returncode}): "
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )


def connect(database: dict):
    """A psycopg connection (autocommit) to the database these Django settings describe."""
    import psycopg

    parameters = {
        "dbname": database["NAME"],
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
    }
    for option in LIBPQ_ENVIRONMENT:
        value = (database.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            parameters[option] = value
    parameters = {name: value for name, value in parameters.items() if value is not None}
    return psycopg.connect(**parameters, autocommit=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def counted_models() -> list:
    """The models of SafetyNet's own apps (history models included), in a stable order."""
    root = Path(settings.BASE_DIR).resolve()
    models = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and "site-packages" not in path.parts:
            models.extend(
                model
                for model in config.get_models()
                if model._meta.managed and not model._meta.proxy
            )
    return sorted(models, key=lambda model: model._meta.label)


def applied_migrations(connection) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    applied: dict[str, list[str]] = {}
    for app, name in recorder.migration_qs.order_by("id").values_list("app", "name"):
        applied.setdefault(app, []).append(name)
    return applied


# --- Backup --------------------------------------------------------------------------------


def backup(
    directory, *, using: str = "default", media_root=None, report: Callable = _quiet
) -> Path:
    """Write one backup of database ``using`` and of ``media_root`` (``MEDIA_ROOT``) into a new
    directory under ``directory``; return that directory. Half-written backups never look
    finished: the work happens in ``<name>.partial``, renamed at the end (removed on failure)."""
    connection = connections[using]
    database = connection.settings_dict
    require_postgresql(database)
    pg_dump = require_program("pg_dump")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    created = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    name = f"safetynet-{created:%Y%m%dT%H%M%SZ}"
    target = Path(directory) / name
    partial = Path(directory) / f"{name}.partial"
    Path(directory).mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} exists already: wait a second and run the backup again.")
    # The backup holds personal data and password hashes: for the owner's eyes only.
    partial.mkdir(mode=0o700)
    try:
        manifest = {
            "format": FORMAT,
            "application": "safetynet",
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "database": {"name": database["NAME"], "vendor": connection.vendor},
        }
        manifest.update(_dump(connection, pg_dump, partial / DATABASE_ARCHIVE, report))
        files = _pack(media_root, partial / MEDIA_ARCHIVE)
        report(f"Files archived from {media_root}: {files}.")
        manifest["media"] = {"files": files}
        manifest["archives"] = {
            archive: {
                "sha256": file_sha256(partial / archive),
                "size": (partial / archive).stat().st_size,
            }
            for archive in (DATABASE_ARCHIVE, MEDIA_ARCHIVE)
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    report(f"Backup written: {target}")
    return target


def _dump(connection, pg_dump: str, path: Path, report: Callable) -> dict:
    """Dump the database and count its rows, both in one exported snapshot."""
    if connection.in_atomic_block:
        raise BackupError("backup must run outside a transaction (it opens its own snapshot).")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        # pg_dump reads exactly what this transaction sees, which stays open until it is done.
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--file={path}",
                f"--snapshot={snapshot}",
                *client_arguments(connection.settings_dict),
            ],
            connection.settings_dict,
        )
        counts = {
            model._meta.label: model._base_manager.using(connection.alias).count()
            for model in counted_models()
        }
        migrations = applied_migrations(connection)
    version = subprocess.run(  # noqa: S603  # nosec B603
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    report(f"Database dumped: {connection.settings_dict['NAME']} ({sum(counts.values())} rows).")
    return {
        "server_version": server_version,
        "pg_dump": version,
        "migrations": migrations,
        "counts": counts,
    }


def _pack(media_root: Path, path: Path) -> int:
    """``tar -czf path -C media_root .``; returns the number of files."""
    files = 0
    with tarfile.open(path, "w:gz") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname=".")
            files = sum(1 for member in archive.getmembers() if member.isfile())
    return files


# --- Restore -------------------------------------------------------------------------------


def read_manifest(backup_directory) -> dict:
    """The manifest of a backup, once both archives match its SHA-256s."""
    backup_directory = Path(backup_directory)
    try:
        manifest = json.loads((backup_directory / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{backup_directory} holds no {MANIFEST}: not a backup.") from error
    except ValueError as error:
        raise BackupError(f"{backup_directory / MANIFEST} is not valid JSON: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("application") != "safetynet":
        raise BackupError(f"{backup_directory / MANIFEST} is not a SafetyNet backup manifest.")
    for archive in (DATABASE_ARCHIVE, MEDIA_ARCHIVE):
        path = backup_directory / archive
        if not path.is_file():
            raise BackupError(f"{path} is missing: the backup is incomplete.")
        expected = manifest["archives"][archive]["sha256"]
        found = file_sha256(path)
        if found != expected:
            raise BackupError(
                f"{path} does not match the manifest (SHA-256 {found}, manifest {expected}): "
                "the archive is damaged or was changed. Nothing was restored."
            )
    return manifest


def table_count(database: dict) -> int:
    with connect(database) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()[0]


def restore(
    backup_directory,
    *,
    database: dict | None = None,
    media_root=None,
    force: bool = False,
    report: Callable = _quiet,
) -> dict:
    """Restore a backup into ``database`` (Django connection settings; the default database
    when not given) and ``media_root`` (``MEDIA_ROOT``). Returns the manifest."""
    database = database or connections["default"].settings_dict
    require_postgresql(database)
    pg_restore = require_program("pg_restore")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    backup_directory = Path(backup_directory)
    manifest = read_manifest(backup_directory)
    report(f"Archives match the manifest of {manifest['created_at']}.")
    _report_migrations(manifest, report)
    if not force:
        tables = table_count(database)
        if tables:
            raise BackupError(
                f"the database {database['NAME']} already has {tables} tables: restore into "
                "a new, empty database, or give --force to replace what is there."
            )
        if media_root.is_dir() and any(media_root.iterdir()):
            raise BackupError(
                f"{media_root} already holds files: restore into an empty MEDIA_ROOT, or give "
                "--force to write over them."
            )
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *client_arguments(database),
            str(backup_directory / DATABASE_ARCHIVE),
        ],
        database,
    )
    report(f"Database restored into {database['NAME']}.")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup_directory / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    report(f"Files restored into {media_root}: {manifest['media']['files']}.")
    problems = verify(manifest, database=database, media_root=media_root, report=report)
    if problems:
        raise BackupError(
            "restored, but the result differs from the backup:\n" + "\n".join(problems)
        )
    return manifest


def _report_migrations(manifest: dict, report: Callable) -> None:
    """Say when the code and the backup do not have the same migrations."""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    installed = {config.label for config in apps.get_app_configs()}
    unknown = sorted(key for key in in_backup - on_disk if key[0] in installed)
    missing = sorted(key for key in on_disk - in_backup if key[0] in installed)
    if unknown:
        report(
            "Warning: the backup has migrations this code does not know (made by a newer "
            "version? install that version): " + ", ".join(f"{a}.{n}" for a, n in unknown)
        )
    if missing:
        report(
            "Note: this code has migrations the backup lacks; run manage.py migrate after the "
            "restore: " + ", ".join(f"{a}.{n}" for a, n in missing)
        )


def verify(manifest: dict, *, database: dict, media_root, report: Callable = _quiet) -> list:
    """Compare a restored database and MEDIA_ROOT with the manifest: the row count of every
    table, and the SHA-256 of every stored document's file. Returns the differences."""
    from psycopg import sql

    problems = []
    media_root = Path(media_root)
    with connect(database) as connection:
        for label, expected in manifest["counts"].items():
            try:
                table = apps.get_model(label)._meta.db_table
            except LookupError:
                report(f"Warning: {label} is not a model of this code; its rows are not checked.")
                continue
            found = connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            if found != expected:
                problems.append(f"{label}: {found} rows, the backup has {expected}")
        documents = connection.execute(
            sql.SQL("SELECT file, sha256, frozen FROM {} WHERE file <> '' AND sha256 <> ''").format(
                sql.Identifier(RenderedDocument._meta.db_table)
            )
        ).fetchall()
    frozen = 0
    for name, sha256, is_frozen in documents:
        path = media_root / name
        if not path.is_file():
            problems.append(f"document file missing: {name}")
        elif file_sha256(path) != sha256:
            problems.append(f"document file differs from its SHA-256: {name}")
        frozen += bool(is_frozen)
    report(
        f"Checked: the row counts of {len(manifest['counts'])} tables; {len(documents)} stored "
        f"documents by their SHA-256, {frozen} of them kept for good (adopted plans)."
    )
    return problems
