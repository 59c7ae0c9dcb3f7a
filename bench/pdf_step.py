"""The PDF part of a benchmark run, inside Django (production settings, bench database).

    python bench/pdf_step.py request --plan ID   # queue the plan's PDF afresh; prints its id
    python bench/pdf_step.py check --plan ID --document ID  # seconds, pages, rendered once

``request`` removes a stored (never a frozen) rendering of the same content first, so the
worker renders it in this run; ``check`` asks for the same document again and verifies that the
same content is not rendered twice (same row, same finish time, no new row, nothing queued)."""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["request", "check"])
    parser.add_argument("--plan", type=int)
    parser.add_argument("--document", type=int)
    options = parser.parse_args()

    import django

    django.setup()
    from plans.documents import plan_document
    from plans.models import Plan
    from safetynet.models import RenderedDocument

    if options.step == "request":
        plan = Plan.objects.get(pk=options.plan)
        document = plan_document(plan, language="nl")
        if document.status == RenderedDocument.Status.READY and not document.frozen:
            document.delete()
            document = plan_document(plan, language="nl")
        print(json.dumps({"document": document.pk, "status": document.status}))
        return
    document = RenderedDocument.objects.get(pk=options.document)
    plan = Plan.objects.get(pk=options.plan)
    rows = RenderedDocument.objects.count()
    again = plan_document(plan, language="nl")
    print(
        json.dumps(
            {
                "status": document.status,
                "pages": document.pages,
                "seconds": float(document.seconds or 0),
                "bytes": document.size,
                "rendered_once": again.pk == document.pk
                and again.finished_at == document.finished_at
                and RenderedDocument.objects.count() == rows,
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings.production")
    main()
