"""Remove rendered documents nobody needs to keep: those not frozen (an adopted plan's stays for
good) and older than ``--days``, with their files. A document asked for again is rendered again."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from safetynet.models import RenderedDocument


class Command(BaseCommand):
    help = "Remove cached documents (not adopted plans) older than --days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        before = timezone.now() - datetime.timedelta(days=days)
        old = RenderedDocument.objects.filter(frozen=False, created_at__lt=before)
        removed = 0
        for document in old.iterator():
            if document.file:
                document.file.delete(save=False)
            document.delete()
            removed += 1
        self.stdout.write(f"Documents removed: {removed}.")
