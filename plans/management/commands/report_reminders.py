"""E-mail the promotors the progress reports due soon (SAFETYNET_REPORT_REMINDER_DAYS) and
overdue (SAFETYNET_REPORT_GRACE_DAYS after the period), and the coordinators a summary of the
reports newly overdue. Run it daily (cron, a systemd timer); it is idempotent: every reminder is
sent once."""

import argparse
import datetime

from django.core.management.base import BaseCommand

from plans.services.reminders import reminders_send


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"Give the date as YYYY-MM-DD, not “{value}”.") from error


class Command(BaseCommand):
    help = "E-mail the reminders of progress reports due soon and overdue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=_day,
            default=None,
            help="The day to remind as of (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, **options):
        counts = reminders_send(options["date"])
        self.stdout.write(
            f"Reminders: {counts['due']} due soon, {counts['overdue']} overdue; "
            f"{counts['emails']} e-mails sent."
        )
