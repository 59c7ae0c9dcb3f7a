"""Backup and restore for real (``safetynet.backup``, ``manage.py backup`` / ``restore``): the demo
is backed up, restored into a fresh database on the same server, and every plan, vote, history
row and file comes back; a changed archive or an occupied target is refused.

PostgreSQL only and transactional: ``pg_dump`` runs in its own process and sees only what is
committed. Each fresh database has a name of its own and is dropped after the test, also when it
fails. The rows of both databases are read with psycopg on both sides, by the same queries."""

import hashlib
import io
import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import pytest
from psycopg import sql

from actors.data import ensure_shipped as ensure_actor_kinds
from plans.constants import PlanState
from plans.data import ensure_shipped as ensure_phenomena
from plans.models import Plan, Remark, Vote, VoteRound
from safetynet.backup import (
    DATABASE_ARCHIVE,
    MANIFEST,
    MEDIA_ARCHIVE,
    BackupError,
    backup,
    connect,
    counted_models,
    restore,
    table_count,
    verify,
)
from safetynet.models import Membership, Municipality, RenderedDocument

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

KEY_MODELS = [Plan, VoteRound, Vote, Membership, Remark, RenderedDocument]


@pytest.fixture(autouse=True)
def _shipped_catalogues(postgres):
    """A transactional test flushes the tables after it: the shipped rows come back here."""
    ensure_actor_kinds()
    ensure_phenomena()


@pytest.fixture(scope="module")
def spare_database(django_db_setup):
    """Settings of a database of this module's own, on the test database's server: made once
    (dropping a database makes PostgreSQL write a checkpoint, some seconds each time) and
    dropped after the module's last test, also when a test fails."""
    if connection.vendor != "postgresql":  # a module fixture comes before ``postgres``
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)")
    source = connection.settings_dict
    name = f"{source['NAME'].removeprefix('test_')[:40]}_restore_{uuid.uuid4().hex[:8]}"
    with connect(source) as server:
        server.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
        )
    try:
        yield {**source, "NAME": name}
    finally:
        with connect(source) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            left = server.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
            assert left.fetchone()[0] == 0


@pytest.fixture
def fresh_database(postgres, spare_database):
    """The spare database, emptied: no table, no sequence, nothing of an earlier test."""
    with connect(spare_database) as db:
        db.execute("DROP SCHEMA IF EXISTS public CASCADE")
        db.execute("CREATE SCHEMA public")
    assert table_count(spare_database) == 0
    return spare_database


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(database: dict, model) -> list[tuple]:
    """(primary key, MD5 of the whole row) of every row of a model's table, by primary key."""
    query = sql.SQL("SELECT {pk}, md5(t::text) FROM {table} AS t ORDER BY {pk}").format(
        pk=sql.Identifier(model._meta.pk.column), table=sql.Identifier(model._meta.db_table)
    )
    with connect(database) as db:
        return db.execute(query).fetchall()


def history_state(database: dict) -> dict[str, tuple]:
    """(count, highest history_id) of every historical model."""
    historical = [
        m for m in counted_models() if any(f.name == "history_id" for f in m._meta.fields)
    ]
    state = {}
    with connect(database) as db:
        for model in historical:
            query = sql.SQL("SELECT count(*), max(history_id) FROM {}").format(
                sql.Identifier(model._meta.db_table)
            )
            state[model._meta.label] = db.execute(query).fetchone()
    return state


def every_table(database: dict) -> dict[str, tuple]:
    """(row count, fingerprint of all rows in any order) of every table, and the position of
    every sequence, so that nothing at all is lost or changed, and new rows get fresh ids."""
    with connect(database) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        state = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(md5(t::text), ',' "
                "ORDER BY md5(t::text)), '')) FROM {} AS t"
            ).format(sql.Identifier(table))
            state[table] = db.execute(query).fetchone()
        for name, last_value in db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            state[f"sequence {name}"] = last_value
    return state


def only_backup(directory: Path) -> Path:
    (made,) = directory.iterdir()
    return made


@pytest.fixture
def demo(settings):
    """The demo (a plan in every state, votes, remarks, history) with its adopted documents."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("adoption_documents", stdout=io.StringIO())


def test_a_restored_backup_has_every_row_and_the_adopted_pdf(
    demo, fresh_database, settings, tmp_path
):
    source = connection.settings_dict
    media_root = Path(settings.MEDIA_ROOT)  # tmp_path/"media" (tests/conftest.py)
    assert media_root.is_relative_to(tmp_path)
    steering = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.STEERING)
    adopted = steering.adopted_round.document
    assert adopted.status == RenderedDocument.Status.READY
    assert adopted.frozen
    original = media_root / adopted.file.name
    assert sha256(original) == adopted.sha256

    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    made = only_backup(tmp_path / "backups")
    assert made.name.startswith("safetynet-")
    assert made.name.endswith("Z")
    assert {path.name for path in made.iterdir()} == {DATABASE_ARCHIVE, MEDIA_ARCHIVE, MANIFEST}
    assert f"Backup written: {made}" in out.getvalue()

    restored_media = tmp_path / "restored-media"
    report = []
    manifest = restore(
        made, database=fresh_database, media_root=restored_media, report=report.append
    )
    assert manifest["counts"]["plans.Plan"] == Plan.objects.count()
    assert manifest["migrations"]["plans"]
    assert any("Checked: the row counts" in line for line in report)

    # The plans, vote rounds, votes, memberships, remarks and documents: the same rows.
    for model in KEY_MODELS:
        before = rows(source, model)
        assert before, f"the demo has no {model._meta.label}: the comparison would prove nothing"
        assert rows(fresh_database, model) == before, model._meta.label
    # Every history table: as many records, up to the same last one.
    history = history_state(source)
    assert history["plans.HistoricalPlan"][0] > 0
    assert history["plans.HistoricalVote"][0] > 0
    assert history["safetynet.HistoricalMembership"][0] > 0
    assert history_state(fresh_database) == history
    # And everything else: every table's rows and every sequence's position.
    assert every_table(fresh_database) == every_table(source)

    # The adopted plan's PDF: the same bytes as stored and as hashed when it was rendered.
    with connect(fresh_database) as db:
        name, stored_hash = db.execute(
            sql.SQL("SELECT file, sha256 FROM {} WHERE id = %s").format(
                sql.Identifier(RenderedDocument._meta.db_table)
            ),
            [adopted.pk],
        ).fetchone()
    assert name == adopted.file.name
    assert stored_hash == adopted.sha256
    assert sha256(restored_media / name) == adopted.sha256 == sha256(original)
    # Every stored file came back, byte for byte.
    files = sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file())
    assert files
    assert (
        sorted(p.relative_to(restored_media) for p in restored_media.rglob("*") if p.is_file())
        == files
    )
    for relative in files:
        assert sha256(restored_media / relative) == sha256(media_root / relative)


@pytest.fixture
def small_backup(lindenberg, tmp_path, settings) -> Path:
    """A backup of one municipality with a stored file, a stored document and a remark."""
    media_root = Path(settings.MEDIA_ROOT)
    (media_root / "logos").mkdir(parents=True)
    (media_root / "logos" / "lindenberg.png").write_bytes(b"\x89PNG not really")
    content = b"%PDF-1.7 the adopted plan"
    document = RenderedDocument(
        municipality=lindenberg,
        kind="adopted",
        key="a" * 64,
        template="plans/pdf/adopted.html",
        language="nl",
        title="Veiligheidsplan",
        status=RenderedDocument.Status.READY,
        frozen=True,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("adopted.pdf", ContentFile(content), save=False)
    document.save()
    return backup(tmp_path / "backups")


@pytest.mark.parametrize("archive", [DATABASE_ARCHIVE, MEDIA_ARCHIVE])
def test_a_changed_archive_is_refused_before_anything_is_restored(
    small_backup, fresh_database, tmp_path, archive
):
    with open(small_backup / archive, "ab") as changed:
        changed.write(b"\0")
    target_media = tmp_path / "restored-media"
    with pytest.raises(BackupError, match=f"{archive} does not match the manifest"):
        restore(small_backup, database=fresh_database, media_root=target_media)
    assert table_count(fresh_database) == 0
    assert not target_media.exists()


def test_an_occupied_target_is_refused_without_force(small_backup, fresh_database, tmp_path):
    target_media = tmp_path / "restored-media"
    restore(small_backup, database=fresh_database, media_root=target_media)
    tables = table_count(fresh_database)
    assert tables > 0
    # Again: the database has tables now.
    with pytest.raises(BackupError, match=r"already has \d+ tables.*--force"):
        restore(small_backup, database=fresh_database, media_root=tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()
    # The command, into the configured (test) database, which is in use: refused as well.
    before = every_table(connection.settings_dict)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(small_backup), stdout=io.StringIO())
    assert every_table(connection.settings_dict) == before
    # With --force the tables are replaced, and the result is checked like any restore.
    report = []
    restore(
        small_backup,
        database=fresh_database,
        media_root=target_media,
        force=True,
        report=report.append,
    )
    assert table_count(fresh_database) == tables
    assert (target_media / "logos" / "lindenberg.png").read_bytes() == b"\x89PNG not really"
    assert any("Checked: the row counts" in line for line in report)


def test_files_in_the_target_media_root_are_refused_without_force(
    small_backup, fresh_database, tmp_path
):
    target_media = tmp_path / "restored-media"
    target_media.mkdir()
    (target_media / "someone-elses.pdf").write_bytes(b"%PDF")
    with pytest.raises(BackupError, match="already holds files.*--force"):
        restore(small_backup, database=fresh_database, media_root=target_media)
    assert table_count(fresh_database) == 0


def test_the_checks_after_a_restore_find_a_changed_file_or_a_lost_row(
    small_backup, fresh_database, tmp_path
):
    target_media = tmp_path / "restored-media"
    manifest = restore(small_backup, database=fresh_database, media_root=target_media)
    assert verify(manifest, database=fresh_database, media_root=target_media) == []
    document = RenderedDocument.objects.get()
    (target_media / document.file.name).write_bytes(b"%PDF-1.7 another document")
    history = Municipality.history.model._meta.db_table
    with connect(fresh_database) as db:
        db.execute(
            sql.SQL("DELETE FROM {0} WHERE history_id = (SELECT max(history_id) FROM {0})").format(
                sql.Identifier(history)
            )
        )
    backed_up = manifest["counts"]["safetynet.HistoricalMunicipality"]
    assert backed_up > 0
    assert verify(manifest, database=fresh_database, media_root=target_media) == [
        f"safetynet.HistoricalMunicipality: {backed_up - 1} rows, the backup has {backed_up}",
        f"document file differs from its SHA-256: {document.file.name}",
    ]
