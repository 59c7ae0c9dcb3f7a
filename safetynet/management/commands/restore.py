"""``manage.py restore <backup directory>``: check a backup against its manifest, then restore
its database dump and its files into the configured database and MEDIA_ROOT
(``safetynet.backup``, ``docs/backup.md``). PostgreSQL only."""

from django.core.management.base import BaseCommand
from django.db import connections

from safetynet.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'manage.py backup': verify both archives' SHA-256 against "
        "manifest.json, then pg_restore --clean --if-exists --no-owner into the database and "
        "unpack the files into MEDIA_ROOT, and check the row counts and the stored documents' "
        "SHA-256. Refuses a database that has tables, or a MEDIA_ROOT that has files, unless "
        "--force. Stop the application first; see docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_directory", help="a safetynet-<UTC time> directory")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the tables and files that are there (they are dropped/overwritten)",
        )
        parser.add_argument(
            "--database", default="default", help="the database alias (default: default)"
        )

    def handle(self, *args, backup_directory, force, database, **options):
        connections[database].close()  # pg_restore must not wait for our own connection
        report = self.stdout.write if options["verbosity"] > 0 else lambda message: None
        restore(
            backup_directory,
            database=connections[database].settings_dict,
            force=force,
            report=report,
        )
        report(self.style.SUCCESS("Restore complete."))
