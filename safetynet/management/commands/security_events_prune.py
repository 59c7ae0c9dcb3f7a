"""Remove the security log's lines older than the retention period: the only place lines are
removed (the application itself never changes or deletes one). Run it daily or weekly; running
it twice removes nothing more."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safetynet.models import SecurityEvent


class Command(BaseCommand):
    help = (
        "Remove security log lines older than --days (default: SAFETYNET_SECURITY_LOG_DAYS, 365)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days, **options):
        days = settings.SAFETYNET_SECURITY_LOG_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        before = timezone.now() - datetime.timedelta(days=days)
        # A queryset delete: SecurityEvent.delete() refuses single lines on purpose.
        removed, _by_model = SecurityEvent.objects.filter(at__lt=before).delete()
        self.stdout.write(f"Security events older than {days} days removed: {removed}.")
