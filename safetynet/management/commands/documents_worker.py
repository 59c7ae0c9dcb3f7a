"""``manage.py documents_worker``: django-tasks' ``db_worker`` (the same options), with weasyprint
loaded before it waits for the first document (``safetynet.pdf.warm``)."""

import time

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from safetynet.pdf import warm


class Command(DbWorker):
    help = (
        "Run the background tasks (documents): db_worker, with the PDF renderer loaded before "
        "the first task."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        warm()
        if options["verbosity"] > 0:
            self.stdout.write(f"PDF renderer ready in {time.perf_counter() - started:.1f} s")
        return super().handle(*args, **options)
