"""Compile the catalogues in locale/ to .mo files, in pure Python.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``, which a minimal machine lacks;
``make run`` must work on a fresh machine with Python alone. (Extracting strings with
``make messages`` still needs gettext: a developer's tool.)"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import polib


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (no GNU gettext needed)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except OSError as error:
                    raise CommandError(f"{po_path}: {error}") from error
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"{compiled} catalogue(s) compiled.")
