"""The plan's documents: what the plan PDF and the adopted document show, as plain data built
in the request (in the document's language), rendered off the request by
``safetynet.documents``. The plan itself comes from a stored snapshot, like the vote page, so a
page and its PDF never disagree; how each college member voted is never part of a document."""

import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from coregroup.models import CoreGroup
from coregroup.selectors import composition
from plans import exports
from plans.constants import PHASE_OF_STATE, Phase, PlanState, RoundStatus
from plans.content import content_hash, phenomena_codes
from plans.models import CouncilDecision, Phenomenon, Plan, VoteRound
from plans.selectors import answer_note
from plans.versions import current_snapshot
from safetynet.documents import request_document

PLAN_TEMPLATE = "plans/pdf/plan.html"
ADOPTED_TEMPLATE = "plans/pdf/adopted.html"
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def document_languages(municipality) -> list[str]:
    """The municipality's official languages the application speaks (Dutch otherwise)."""
    found = [code for code in municipality.languages if code in LANGUAGES]
    return found or [settings.LANGUAGE_CODE[:2]]


def _budget(data: dict) -> dict:
    """Budget available and still required per strategic goal of a stored snapshot."""

    def add(goal, totals):
        for action_plan in goal.get("action_plans", []):
            for resource in action_plan.get("resources", []):
                if resource.get("kind") == "budget":
                    totals[resource["availability"]] += Decimal(str(resource["amount"]))
        for child in goal.get("goals", []):
            add(child, totals)

    rows, available, required = [], Decimal(0), Decimal(0)
    for goal in data["goals"]:
        totals = {"available": Decimal(0), "required": Decimal(0)}
        add(goal, totals)
        rows.append(
            {
                "title": goal["title"],
                "available": totals["available"],
                "required": totals["required"],
                "total": totals["available"] + totals["required"],
            }
        )
        available += totals["available"]
        required += totals["required"]
    return {
        "goals": rows,
        "available": available,
        "required": required,
        "total": available + required,
    }


def _planning(data: dict) -> list[dict]:
    rows = []

    def walk(goal):
        for action_plan in goal.get("action_plans", []):
            rows.append(
                {
                    "title": action_plan["title"],
                    "promotor": action_plan.get("promotor") or "",
                    "start": action_plan.get("start"),
                    "end": action_plan.get("end"),
                }
            )
        for child in goal.get("goals", []):
            walk(child)

    for goal in data["goals"]:
        walk(goal)
    return sorted(rows, key=lambda row: (row["start"] or "9999", row["title"]))


def _core_group(municipality) -> list[dict]:
    core_group = CoreGroup.objects.filter(municipality=municipality).first()
    if core_group is None:
        return []
    return [
        {
            "function": row.seat.title or row.seat.get_function_display(),
            "holder": row.holding.actor.name
            if row.holding
            else (_("not present in this municipality") if row.seat.not_present else ""),
        }
        for row in composition(core_group).rows
    ]


def _decisions(plan: Plan) -> tuple[list[dict], list[dict]]:
    rounds = [
        {
            "kind": vote_round.get_kind_display(),
            "outcome": vote_round.get_status_display(),
            "date": vote_round.decided_at.date() if vote_round.decided_at else None,
            "reference": vote_round.reference,
        }
        for vote_round in VoteRound.objects.filter(plan=plan)
        .exclude(status=RoundStatus.WITHDRAWN)
        .defer("snapshot")
        .order_by("opened_at", "pk")
    ]
    council = [
        {
            "date": decision.date,
            "reference": decision.reference,
            "votes_for": decision.votes_for,
            "votes_against": decision.votes_against,
            "votes_abstain": decision.votes_abstain,
            "adopted": decision.adopted,
        }
        for decision in CouncilDecision.objects.filter(plan=plan).order_by("date", "pk")
    ]
    return rounds, council


def _phenomena(data: dict, municipality) -> list[str]:
    codes = phenomena_codes(data)
    catalogue = Phenomenon.objects.filter(
        Q(municipality=None) | Q(municipality=municipality), code__in=codes
    )
    return [str(phenomenon) for phenomenon in catalogue]


def plan_data(plan: Plan, data: dict, *, state: str) -> dict:
    """What a plan document shows, in the active language: ``data`` is a stored snapshot."""
    municipality = plan.municipality
    rounds, council = _decisions(plan)
    return {
        "title": data["plan"]["title"],
        "municipality": _municipality(plan),
        "snapshot": data,
        "content_hash": content_hash(data),
        "phase": str(Phase(PHASE_OF_STATE[state]).label),
        "state": str(PlanState(state).label),
        "phenomena": _phenomena(data, municipality),
        "budget": _budget(data),
        "planning": _planning(data),
        "core_group": _core_group(municipality),
        "rounds": rounds,
        "council": council,
    }


def plan_document(plan: Plan, *, language: str, by=None):
    """The PDF of the plan as it is now, in ``language`` (requested, or already stored)."""
    data = current_snapshot(plan)
    with translation.override(language):
        context = plan_data(plan, data, state=plan.state)
        context["date"] = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    return request_document(
        municipality=plan.municipality,
        kind="plan",
        template=PLAN_TEMPLATE,
        language=language,
        data=context,
        undated=("date",),
        title=plan.title,
        by=by,
    )


def adopted_document(vote_round: VoteRound, *, by=None):
    """The document of an adoption round: rendered once from the round's stored snapshot, in
    each of the municipality's official languages (one file), and kept for good."""
    plan = vote_round.plan
    municipality = plan.municipality
    sections = []
    for language in document_languages(municipality):
        with translation.override(language):
            section = plan_data(plan, vote_round.snapshot, state=PlanState.COLLEGE_ADOPTION)
            section["date"] = formats.date_format(
                timezone.localdate(vote_round.opened_at), "DATE_FORMAT"
            )
            section["state"] = _("Submitted to the college for adoption")
            section["code"] = language
            sections.append(section)
    data = {
        "round": vote_round.pk,
        "title": plan.title,
        "municipality": sections[0]["municipality"],
        "content_hash": vote_round.content_hash,
        "sections": sections,
    }
    return request_document(
        municipality=municipality,
        kind="adopted",
        template=ADOPTED_TEMPLATE,
        language=sections[0]["code"],
        data=data,
        title=plan.title,
        by=by,
        frozen=True,
    )


# --- The antwoordnota and the decision extracts -------------------------------------------------

ANSWER_NOTE_TEMPLATE = "plans/pdf/antwoordnota.html"
EXTRACT_TEMPLATE = "plans/pdf/extract.html"


def _municipality(plan: Plan) -> dict:
    municipality = plan.municipality
    return {
        "id": municipality.pk,
        "name": municipality.name,
        "logo": municipality.logo.name if municipality.logo else "",
    }


def answer_note_document(plan: Plan, *, language: str, by=None):
    """The antwoordnota as a PDF: every remark (its published text, never who sent it unless an
    organisation asked to be named) with the answer, by goal."""
    with translation.override(language):
        groups = [
            {
                "goal": goal.title if goal else "",
                "remarks": [
                    {
                        "reference": remark.reference,
                        "organisation": remark.organisation if remark.name_public else "",
                        "text": remark.redacted_text,
                        "verdict": remark.response.get_verdict_display()
                        if hasattr(remark, "response")
                        else "",
                        "motivation": remark.response.motivation
                        if hasattr(remark, "response")
                        else "",
                    }
                    for remark in remarks
                ],
            }
            for goal, remarks in answer_note(plan)
        ]
        data = {
            "title": _("Antwoordnota") + f" · {plan.title}",
            "plan": {"title": plan.title, "id": plan.pk},
            "municipality": _municipality(plan),
            "groups": groups,
            "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        }
    return request_document(
        municipality=plan.municipality,
        kind="antwoordnota",
        template=ANSWER_NOTE_TEMPLATE,
        language=language,
        data=data,
        undated=("date",),
        title=data["title"],
        by=by,
    )


def extract_document(vote_round: VoteRound, *, language: str, with_votes: bool, by=None):
    """A vote round's decision extract: the version voted on (its SHA-256), the outcome, the
    date and the reference; how each member voted only in the copy for those who may see it
    (``with_votes``), a separate document."""
    plan = vote_round.plan
    with translation.override(language):
        votes = []
        if with_votes:
            cast = {vote.member_id: vote for vote in vote_round.votes.all()}
            for elector in vote_round.electors.select_related("user").order_by("pk"):
                vote = cast.get(elector.user_id)
                votes.append(
                    {
                        "member": elector.user.get_full_name() or elector.user.username,
                        "choice": vote.get_choice_display() if vote else _("did not vote"),
                    }
                )
        data = {
            "title": _("Decision extract") + f" · {plan.title}",
            "plan": {"title": plan.title, "id": plan.pk},
            "municipality": _municipality(plan),
            "round": {
                "id": vote_round.pk,
                "kind": vote_round.get_kind_display(),
                "status": vote_round.get_status_display(),
                "opened": vote_round.opened_at.date(),
                "decided": vote_round.decided_at.date() if vote_round.decided_at else None,
                "reference": vote_round.reference,
                "reference_url": vote_round.reference_url,
                "content_hash": vote_round.content_hash,
                "document_sha256": vote_round.document.sha256 if vote_round.document_id else "",
                "electors": vote_round.electors.count(),
                "cast": vote_round.votes.count(),
            },
            "with_votes": with_votes,
            "votes": votes,
        }
    return request_document(
        municipality=plan.municipality,
        kind="extract-votes" if with_votes else "extract",
        template=EXTRACT_TEMPLATE,
        language=language,
        data=data,
        title=data["title"],
        by=by,
    )


# --- The monitor report ------------------------------------------------------------------------

MONITOR_TEMPLATE = "plans/pdf/monitor.html"
CHART_CSS_START = "/* --- Charts (plans/charts.py) --- */"


def _chart_css() -> str:
    """The charts' rules of the site's stylesheet: weasyprint styles an inline SVG only from a
    ``<style>`` inside it, so each chart of a document carries them (the same colours as on
    the page)."""
    text = Path(finders.find("css/safetynet.css")).read_text()
    section = text[text.index(CHART_CSS_START) :]
    end = section.find("/* ---", len(CHART_CSS_START))
    css = section[: end if end > 0 else None]
    for name, value in re.findall(r"--([\w-]+):\s*([^;]+);", text[: text.index("}")]):
        css = css.replace(f"var(--{name})", value.strip())
    # weasyprint paints a text's halo (stroke) over its letters, not under: paper needs none.
    return css + " svg.chart text, svg.chart text[class], svg.chart g text { stroke: none; }"


def _styled(svg: str, css: str) -> str:
    head, _sep, rest = str(svg).partition(">")
    return f"{head}><style>{css}</style>{rest}"


def monitor_report_document(monitor, *, charts: dict, language: str, by=None):
    """The monitor as a PDF: the figures, the charts and the tables of its page."""
    plan = monitor.plan
    css = _chart_css()
    tables = [exports.BUILDERS[code](monitor) for code in exports.BUILDERS]
    data = {
        "title": _("Monitor") + f" · {plan.title}",
        "plan": {"title": plan.title, "period": f"{plan.period_start}–{plan.period_end}"},
        "municipality": _municipality(plan),
        "day": formats.date_format(monitor.day, "DATE_FORMAT"),
        "closed": monitor.closed_on is not None,
        "filtered": monitor.filters.active,
        "counts": [(label, count) for _value, label, count in monitor.status_counts],
        "totals": {
            "required": monitor.required,
            "available": monitor.available,
            "spent": monitor.spent,
        },
        "charts": {name: _styled(svg, css) for name, svg in charts.items()},
        "tables": [
            {
                "title": table.title,
                "headers": table.headers,
                "rows": [["" if v is None else str(v) for v in row] for row in table.rows],
            }
            for table in tables
        ],
    }
    return request_document(
        municipality=plan.municipality,
        kind="monitor",
        template=MONITOR_TEMPLATE,
        language=language,
        data=data,
        title=data["title"],
        by=by,
    )
