"""The kerngroep's composition sheet: one table, shown on the print page and in its PDF from the
same include (``coregroup/includes/composition_table.html``), so the two never disagree."""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safetynet.documents import request_document

from .constants import SeatState
from .models import CoreGroup
from .selectors import composition

TEMPLATE = "coregroup/pdf/composition.html"


def composition_rows(found) -> list[dict]:
    """The rows of a composition (``selectors.composition``) as plain text, in the active
    language."""
    rows = []
    for row in found.rows:
        if row.holding:
            actor = row.holding.actor
            holder = f"{actor}, {actor.function_title}" if actor.function_title else str(actor)
            since = formats.date_format(row.holding.start, "SHORT_DATE_FORMAT")
        elif row.state == SeatState.NOT_PRESENT:
            holder, since = _("Not present in this municipality"), ""
        else:
            holder, since = pgettext("seat state", "Vacant"), ""
        rows.append({"function": str(row.seat), "holder": holder, "since": since})
    return rows


def composition_document(municipality, *, language: str, by=None):
    """The composition sheet as a PDF, on today's composition."""
    core_group = CoreGroup.objects.filter(municipality=municipality).first()
    today = timezone.localdate()
    with translation.override(language):
        data = {
            "title": (core_group.name if core_group else _("Core group"))
            + f" · {municipality.name}",
            "municipality": {"id": municipality.pk, "name": municipality.name},
            "day": formats.date_format(today, "DATE_FORMAT"),
            "rows": composition_rows(composition(core_group, today)) if core_group else [],
        }
    return request_document(
        municipality=municipality,
        kind="composition",
        template=TEMPLATE,
        language=language,
        data=data,
        title=data["title"],
        by=by,
    )
