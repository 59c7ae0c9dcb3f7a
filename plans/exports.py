"""The monitor's tables as CSV and XLSX: action plans, goals, indicators and overdue reports.

Texts are defused against spreadsheet formulas (``actors.transfer.defuse``); numbers stay
numbers in the workbook; the CSV writes them with a decimal point."""

import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.transfer import CSV_TYPE, XLSX_TYPE, defuse, export_csv

TABLES = {
    "action-plans": gettext_lazy("Action plans"),
    "goals": gettext_lazy("Goals"),
    "indicators": gettext_lazy("Indicators"),
    "overdue": gettext_lazy("Overdue reports"),
}
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


def _date(value):
    return value.isoformat() if value else ""


def _fraction(value):
    return None if value is None else round(value * 100, 1)


def action_plans(monitor) -> Table:
    headers = [
        _("Goal"),
        _("Action plan"),
        _("Promotor"),
        _("Working group"),
        _("Start"),
        _("End"),
        _("Status"),
        _("Percent complete"),
        _("Last period reported"),
        _("Overdue reports"),
        _("Budget required (EUR)"),
        _("Budget available (EUR)"),
        _("Budget spent (EUR)"),
    ]
    rows = []
    for row in monitor.rows:
        action_plan = row.action_plan
        rows.append(
            [
                action_plan.goal.title,
                action_plan.title,
                action_plan.promotor.name if action_plan.promotor else "",
                action_plan.working_group.name if action_plan.working_group else "",
                _date(action_plan.start),
                _date(action_plan.end),
                str(row.status_label),
                row.percent,
                _date(row.last_period),
                len(row.overdue),
                row.required,
                row.available,
                row.spent,
            ]
        )
    return Table(str(TABLES["action-plans"]), headers, rows)


def goals(monitor) -> Table:
    headers = [
        _("Goal"),
        _("Strategic goal"),
        _("Action plans"),
        _("Progress (%)"),
        _("Budget required (EUR)"),
        _("Budget available (EUR)"),
        _("Budget spent (EUR)"),
    ]
    rows = []
    for goal_row in monitor.flat_goals:
        goal = goal_row.goal
        parent = "" if goal.parent_id is None else _parent_title(monitor, goal.parent_id)
        rows.append(
            [
                goal.title,
                parent,
                len(goal_row.rows),
                _fraction(goal_row.progress),
                goal_row.required,
                goal_row.available,
                goal_row.spent,
            ]
        )
    return Table(str(TABLES["goals"]), headers, rows)


def _parent_title(monitor, pk) -> str:
    return next((g.title for g in monitor.all_goals if g.pk == pk), "")


def indicators(monitor) -> Table:
    headers = [
        _("Action plan"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
        _("Latest measurement"),
        _("Measured on"),
        _("Progress toward the target (%)"),
    ]
    rows = []
    for row in monitor.indicators:
        indicator, latest = row.indicator, row.latest
        rows.append(
            [
                row.action_plan.title,
                indicator.name,
                indicator.unit,
                indicator.baseline,
                indicator.target,
                latest[1] if latest else None,
                _date(latest[0]) if latest else "",
                _fraction(row.progress.fraction) if row.progress else None,
            ]
        )
    return Table(str(TABLES["indicators"]), headers, rows)


def overdue(monitor) -> Table:
    headers = [_("Action plan"), _("Promotor"), _("Period from"), _("Period to"), _("Due")]
    rows = [
        [
            row.action_plan.title,
            row.action_plan.promotor.name if row.action_plan.promotor else "",
            _date(period.start),
            _date(period.end),
            _date(period.due),
        ]
        for row, period in monitor.overdue
    ]
    return Table(str(TABLES["overdue"]), headers, rows)


BUILDERS = {
    "action-plans": action_plans,
    "goals": goals,
    "indicators": indicators,
    "overdue": overdue,
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str | Promise):
        value = str(value)
        return defuse(value)
    return str(value)


def to_csv(table: Table) -> bytes:
    return export_csv([table.headers, *([_text(v) for v in row] for row in table.rows)])


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31])
    sheet.freeze_panes = "A2"
    header = []
    for value in table.headers:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        values = []
        for value in row:
            if isinstance(value, Promise):  # a lazy translation
                value = str(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", defuse(value))
            elif isinstance(value, Decimal):
                value = float(value)
            values.append(value)
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
