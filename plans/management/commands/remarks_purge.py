"""Remove the senders' personal data from consultation remarks once the retention period after
the plan's adoption has passed (SAFETYNET_REMARK_RETENTION_DAYS). Run it daily (cron, a
systemd timer); it is idempotent."""

from django.core.management.base import BaseCommand

from plans.services.consultation import remarks_purge


class Command(BaseCommand):
    help = "Remove senders' personal data from remarks past the retention period."

    def handle(self, *args, **options):
        count = remarks_purge()
        self.stdout.write(f"Personal data removed from {count} remarks.")
