"""``manage.py documents_prune``: old cached documents go with their files; an adopted plan's
(frozen) and recent ones stay."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

import pytest

from safetynet.models import RenderedDocument

pytestmark = pytest.mark.django_db


def document(lindenberg, key, *, frozen=False, days_old=0):
    made = RenderedDocument(
        municipality=lindenberg,
        kind="plan",
        key=key,
        template="x.html",
        language="nl",
        title="Plan",
        status=RenderedDocument.Status.READY,
        sha256="0" * 64,
        frozen=frozen,
    )
    made.file.save(f"{key}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    made.save()
    RenderedDocument.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return made


def test_old_cached_documents_go_with_their_files_adopted_and_recent_ones_stay(
    lindenberg, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    old = document(lindenberg, "a" * 64, days_old=40)
    adopted = document(lindenberg, "b" * 64, frozen=True, days_old=400)
    recent = document(lindenberg, "c" * 64, days_old=3)
    old_path = old.file.path
    out = io.StringIO()

    call_command("documents_prune", "--days", "30", stdout=out)

    assert "1" in out.getvalue()
    assert set(RenderedDocument.objects.values_list("pk", flat=True)) == {adopted.pk, recent.pk}
    assert not (tmp_path / old_path).exists()
    assert (tmp_path / adopted.file.name).exists()
