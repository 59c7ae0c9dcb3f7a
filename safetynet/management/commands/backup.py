"""``manage.py backup <directory>``: one timestamped backup of the database (``pg_dump``) and
of MEDIA_ROOT, with a manifest of SHA-256s and row counts (``safetynet.backup``,
``docs/backup.md``). PostgreSQL only."""

from django.core.management.base import BaseCommand

from safetynet.backup import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump --format=custom) and MEDIA_ROOT (tar.gz) into a new "
        "directory safetynet-<UTC time>/ under DIRECTORY, with manifest.json (migrations, row "
        "counts, SHA-256 of both archives). PostgreSQL only; see docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to create the backup (made if missing)")
        parser.add_argument(
            "--database", default="default", help="the database alias (default: default)"
        )

    def handle(self, *args, directory, database, **options):
        report = self.stdout.write if options["verbosity"] > 0 else lambda message: None
        backup(directory, using=database, report=report)
