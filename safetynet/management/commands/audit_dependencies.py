"""``manage.py audit_dependencies [lock files]``: pip-audit over the lock files (``make test``).

Fails on a known vulnerability that has a fixed release; with ``--strict`` (or
``SAFETYNET_AUDIT_STRICT=1``) also when a package could not be checked, e.g. because the advisory
service was not reachable."""

import json
import os
import shutil
import subprocess  # nosec B404
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safetynet.supply_chain import judge

DEFAULT_LOCK_FILES = ["requirements/base.txt", "requirements/test.txt"]


class Command(BaseCommand):
    help = "Check the locked dependencies for known vulnerabilities (pip-audit)."

    def add_arguments(self, parser):
        parser.add_argument("lock_files", nargs="*", default=DEFAULT_LOCK_FILES)
        parser.add_argument(
            "--strict",
            action="store_true",
            default=os.environ.get("SAFETYNET_AUDIT_STRICT") == "1",
            help="Also fail when a package could not be audited.",
        )

    def handle(self, *args, lock_files, strict, **options):
        pip_audit = shutil.which("pip-audit", path=str(Path(sys.executable).parent))
        if pip_audit is None:
            raise CommandError("pip-audit is not installed (it comes with the test dependencies).")
        failed = False
        for lock_file in lock_files:
            path = Path(settings.BASE_DIR) / lock_file
            if not path.is_file():
                raise CommandError(f"No lock file {lock_file}.")
            completed = subprocess.run(  # noqa: S603  # nosec B603
                [
                    pip_audit,
                    "--requirement",
                    str(path),
                    "--require-hashes",
                    "--disable-pip",
                    "--format",
                    "json",
                    "--progress-spinner",
                    "off",
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
            try:
                report = json.loads(completed.stdout or "{}")
            except json.JSONDecodeError:
                raise CommandError(
                    f"pip-audit gave no report for {lock_file}: {completed.stderr.strip()[-500:]}"
                ) from None
            verdict = judge(report)
            for line in verdict.lines():
                self.stdout.write(f"{lock_file}: {line}")
            failed |= verdict.failed(strict=strict)
        if failed:
            raise CommandError("Known vulnerabilities with a fix: upgrade the lock files.")
