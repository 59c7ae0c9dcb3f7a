"""Scale data for performance work: ``manage.py seed_scale --municipalities N``.

Creates the municipalities ``scale-001`` … ``scale-NNN`` ("Schaaldorp 001", …, fictional NIS
codes 98001 … which the demo's 99001/99002 never meet), each with the volume of a large real
one: ~300 actors with dated roles (``scale-001``, the benchmark's target, gets 1,000), a
kerngroep with its seats held and 72 meetings over six years, working groups, and three plans
of 8 goals × 25 action plans × 5 actions with results, indicators, resources and partners: one
in steering (2,000 progress reports, measurements, obstacles), one in public consultation (200
remarks, some answered), one before the college (an open vote round, some votes cast). Each app
adds its part through ``safetynet.registry.register_scale_seeder``; rows go in with
``bulk_create_with_history`` (every row has its history record, reason "Scale data"), the state
transitions go through the real services (snapshots, vote rounds, the adopted document).

Accounts of every municipality (password ``--password``, default "bench", hashed once):

* ``<slug>-admin`` (municipal admin), ``<slug>-coordinator``
* ``<slug>-college1`` … ``<slug>-college5``: the college; ``college1`` is the chair (the mayor)
  and also sits in the kerngroep
* ``<slug>-secretary`` (council secretary)
* ``<slug>-kerngroep1`` … ``kerngroep3`` (core group; ``<slug>-kerngroep`` with ``--size small``)
* ``<slug>-promotor1`` … ``promotor10`` (``promotor1`` … ``promotor3`` with ``--size small``):
  promotors of action plans, with their personal grants on them
* ``<slug>-viewer``

The municipalities keep the model's default second-factor policy: the benchmark gives its users
an authenticator device itself.

Resumable: every municipality is made in one transaction, so one that exists is complete and is
skipped; one interrupted (Ctrl-C) is rolled back and made again by the next run.

Refused unless the database is on this machine (``LOCAL_HOSTS``, a socket or SQLite): it plants
accounts with a known password. Unlike ``seed_demo`` it does not ask for DEBUG, because the
benchmark runs it with the production settings against a local PostgreSQL."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from safetynet.management.commands.seed_demo import LOCAL_HOSTS
from safetynet.models import Municipality
from safetynet.registry import scale_seeders
from safetynet.scale import ACTORS, FIRST_ACTORS, SIZES, hash_password, seed_core, slug_of

MAX_MUNICIPALITIES = 999


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def refuse_remote_database() -> None:
    host = connection.settings_dict.get("HOST") or ""
    if connection.vendor != "sqlite" and host not in LOCAL_HOSTS and not host.startswith("/"):
        raise CommandError(
            f"seed_scale runs only on a database on this machine, not on {host!r}: it plants "
            "accounts with a known password, and a remote database may be a real installation's."
        )


class Command(BaseCommand):
    help = (
        "Create the scale municipalities scale-001 … scale-NNN with realistic volume "
        "(local databases only; resumable)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipalities",
            type=int,
            required=True,
            help=f"How many municipalities (1–{MAX_MUNICIPALITIES}).",
        )
        parser.add_argument(
            "--password",
            default="bench",
            help="The password of every account made (default: bench).",
        )
        parser.add_argument(
            "--actors",
            type=int,
            default=None,
            help="Actors per municipality (default 300, the first one 1,000).",
        )
        parser.add_argument(
            "--size",
            choices=SIZES,
            default="full",
            help="'small' shrinks every volume (for tests): 20 actors, 2 goals × 3 action plans.",
        )

    def handle(self, *args, municipalities, password, actors, size, **options):
        refuse_remote_database()
        if not 1 <= municipalities <= MAX_MUNICIPALITIES:
            raise CommandError(f"--municipalities must lie between 1 and {MAX_MUNICIPALITIES}.")
        if actors is not None and actors < 10:
            raise CommandError("--actors must be at least 10.")
        verbosity = options["verbosity"]
        password_hash = hash_password(password)
        existing = set(
            Municipality.objects.filter(
                slug__in=[slug_of(i) for i in range(1, municipalities + 1)]
            ).values_list("slug", flat=True)
        )
        started = time.perf_counter()
        made, skipped, rows = 0, 0, 0
        for index in range(1, municipalities + 1):
            slug = slug_of(index)
            if slug in existing:
                skipped += 1
                if verbosity >= 2:
                    self.stdout.write(f"{slug}  already there, skipped")
                continue
            count = actors or (FIRST_ACTORS if index == 1 else ACTORS)[size]
            began = time.perf_counter()
            try:
                made_rows = self._municipality(index, size, count, password_hash)
            except KeyboardInterrupt:
                raise CommandError(
                    f"Interrupted: {slug} was rolled back; {made} made this run. "
                    "Run the command again to go on.",
                    returncode=130,
                ) from None
            made += 1
            rows += made_rows
            if verbosity >= 1:
                self.stdout.write(
                    f"{slug}  {_number(made_rows)} rows  {time.perf_counter() - began:.1f} s"
                )
        seconds = time.perf_counter() - started
        if verbosity >= 1:
            per = f", {seconds / made:.1f} s per municipality" if made else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"{made} municipalities made, {skipped} already there; {_number(rows)} rows "
                    f"(each with its history record) in {seconds:.1f} s{per}. "
                    f"Accounts: <slug>-<role>, password '{password}'."
                )
            )

    def _municipality(self, index: int, size: str, actors: int, password_hash: str) -> int:
        # The transitions go through the services, which e-mail people after the commit
        # (vote opened, consultation open): nobody is e-mailed by scale data.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            run = seed_core(index=index, size=size, actors=actors, password_hash=password_hash)
            for seeder in scale_seeders():
                seeder(run)
        return run.rows
