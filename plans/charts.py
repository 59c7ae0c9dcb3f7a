"""Server-side SVG charts for the plan monitor: progress per goal, an indicator over time, the
budget of action plans and the action plans on a time line. No JavaScript, no chart library.

Pure functions of the data they are given (no query of their own), each returning one inline
``<svg>`` as a SafeString. The page's Content-Security-Policy allows no inline styles, so colours
come from the stylesheet's ``chart-`` classes; geometry, text sizes and every number are decided
here, in a viewBox 640 units wide that CSS scales to its container. Everything the caller passes
is escaped, and characters XML cannot hold are dropped, so the chart is always well-formed XML.
Status is never told by colour alone: each bar has its value or status as text beside it, and the
``<title>``/``<desc>`` pair is the chart's text alternative, built from the same data.

Words are the caller's: labels, texts and the little words ("target", "today", "no dates") come in
translated; the defaults are English and locale-free."""

import datetime
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
WIDTH = 640  # of every viewBox
MARGIN = 16
TEXT_SIZE = 14  # labels and values
SMALL_SIZE = 12  # ticks, legend, amounts and statuses: the smallest text drawn
# No font metrics on the server: a generous average width per character (in font sizes) keeps
# estimated texts from running into their neighbours.
CHAR_WIDTH = 0.6
ELLIPSIS = "…"

PROGRESS_ROW = 48
BUDGET_ROW = 72
BUDGET_BAR = 10
BUDGET_PITCH = 14  # bar plus gap: the 12-unit amounts beside the bars do not touch
GANTT_ROW = 28
GANTT_LABEL_WIDTH = 176
GANTT_STATUS_WIDTH = 108
LINE_HEIGHT = 320
MONTHLY_BELOW_DAYS = 548  # about 18 months: shorter spans get month ticks, longer ones years

BUDGET_SERIES = ("required", "available", "spent")

_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_STATUS = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}
# XML 1.0 cannot hold these, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ProgressBar:
    """One bar of ``progress_chart``: how far (0–1; None when nothing is known yet) and the text
    drawn after the bar ("40 %", "no report yet"). An empty text becomes "40 %" (or "–")."""

    label: str
    fraction: float | None
    text: str = ""


@dataclass(frozen=True)
class LinePoint:
    """One measurement of ``line_chart``."""

    day: datetime.date
    value: Decimal | float


@dataclass(frozen=True)
class BudgetRow:
    """One group of ``budget_chart``: the amounts required, available and spent, in euro."""

    label: str
    required: Decimal
    available: Decimal
    spent: Decimal


@dataclass(frozen=True)
class GanttRow:
    """One action plan of ``gantt_chart``. ``status`` is a slug (``on_track``, ``none``, …) that
    becomes the CSS class ``chart-status-<status>``; ``status_text`` is what the reader sees."""

    label: str
    start: datetime.date | None
    end: datetime.date | None
    status: str
    status_text: str
    href: str = ""


# --- Public charts -----------------------------------------------------------------------------


def progress_chart(
    rows: Iterable[ProgressBar], *, chart_id: str, title: str, empty_text: str = "no data"
) -> SafeString:
    """Horizontal bars on a 0–100 % axis (gridlines at 0, 25, 50, 75 and 100 %), one per row, the
    label above its bar and the row's text after it. A fraction is clamped to [0, 1] for drawing;
    None draws no bar, only the text."""
    _check_chart_id(chart_id)
    rows = list(rows)
    texts = [_progress_text(row) for row in rows]
    value_widths = [_text_width("100 %", TEXT_SIZE)] + [
        _text_width(text, TEXT_SIZE)
        for row, text in zip(rows, texts, strict=True)
        if row.fraction is not None
    ]
    room = min(max(value_widths), 200) + 8
    x0, x1 = MARGIN, WIDTH - MARGIN - room
    top = 8
    bottom = top + max(len(rows), 1) * PROGRESS_ROW

    grid = []
    for percent in (0, 25, 50, 75, 100):
        x = _scale(percent, 0, 100, x0, x1)
        grid.append(_line(x, top, x, bottom, "chart-grid"))
        grid.append(
            _text(
                f"{percent} %",
                x=x,
                y=bottom + 18,
                css="chart-tick",
                size=SMALL_SIZE,
                anchor="middle",
            )
        )

    body = []
    for index, (row, text) in enumerate(zip(rows, texts, strict=True)):
        y = top + index * PROGRESS_ROW
        body.append(_label(row.label, x=x0, y=y + 15, width=WIDTH - MARGIN - x0))
        if row.fraction is None:
            body.append(_text(_fit(text, x1 - x0 + room), x=x0, y=y + 35, css="chart-nodata"))
            continue
        width = _clamp(_finite(row.fraction), 0.0, 1.0) * (x1 - x0)
        body.append(_rect(x0, y + 22, width, 16, "chart-bar", tooltip=f"{row.label}: {text}"))
        body.append(_text(_fit(text, room - 6), x=x0 + width + 6, y=y + 35, css="chart-value"))
    if not rows:
        body.append(_text(empty_text, x=x0, y=top + 28, css="chart-nodata"))

    desc = "; ".join(f"{row.label}: {text}" for row, text in zip(rows, texts, strict=True))
    return _svg("progress", chart_id, title, desc or empty_text, bottom + 28, grid + body)


def line_chart(
    points: Iterable[LinePoint],
    *,
    chart_id: str,
    title: str,
    start: datetime.date,
    end: datetime.date,
    baseline: Decimal | float | None = None,
    target: Decimal | float | None = None,
    unit: str = "",
    value_text: Callable[[Decimal | float], str] | None = None,
    target_label: str = "target",
    baseline_label: str = "baseline",
    empty_text: str = "no data",
    date_text: Callable[[datetime.date], str] | None = None,
) -> SafeString:
    """An indicator over time from ``start`` to ``end``: a line through the points with a circle
    (and tooltip "date: value unit") at each, a dashed target line and a dotted baseline, each
    labelled. The y axis includes every point, the baseline and the target, with some room;
    points outside the window are left out. Without points the chart says ``empty_text``."""
    _check_chart_id(chart_id)
    if end < start:
        raise ValueError("The chart's end lies before its start.")
    value_text = value_text or _plain_number
    date_text = date_text or datetime.date.isoformat
    shown = sorted((point for point in points if start <= point.day <= end), key=_day_of)
    values = [_finite(point.value) for point in shown]
    references = [_finite(value) for value in (baseline, target) if value is not None]

    ticks = _value_ticks(values + references)
    step = ticks[1] - ticks[0]
    tick_texts = [_tick_number(tick, step) for tick in ticks]
    x0 = max(40.0, max(_text_width(text, SMALL_SIZE) for text in tick_texts) + 14)
    x1 = WIDTH - MARGIN
    top, bottom = 28, LINE_HEIGHT - 32
    span = max((end - start).days, 1)

    def x_of(day: datetime.date) -> float:
        return _scale((day - start).days, 0, span, x0, x1)

    def y_of(value: float) -> float:
        return _scale(value, ticks[0], ticks[-1], bottom, top)

    def with_unit(value) -> str:
        return f"{value_text(value)} {unit}" if unit else value_text(value)

    parts = []
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = y_of(tick)
        parts.append(_line(x0, y, x1, y, "chart-grid"))
        parts.append(
            _text(text, x=x0 - 6, y=y + 4, css="chart-tick", size=SMALL_SIZE, anchor="end")
        )
    for day, text in _time_ticks(start, end, x1 - x0):
        x = x_of(day)
        half = _text_width(text, SMALL_SIZE) / 2
        parts.append(_line(x, top, x, bottom, "chart-grid"))
        parts.append(
            _text(
                text,
                x=_clamp(x, half + 4, WIDTH - half - 4),
                y=bottom + 18,
                css="chart-tick",
                size=SMALL_SIZE,
                anchor="middle",
            )
        )
    parts.append(_line(x0, bottom, x1, bottom, "chart-axis"))
    parts.append(_line(x0, top, x0, bottom, "chart-axis"))
    if unit:
        parts.append(
            _text(_fit(unit, WIDTH - 2 * MARGIN), x=8, y=16, css="chart-tick", size=SMALL_SIZE)
        )

    lines = [
        (value, label, css)
        for value, label, css in (
            (target, target_label, "chart-target"),
            (baseline, baseline_label, "chart-baseline"),
        )
        if value is not None
    ]
    # The upper line's label goes above it, the lower one's below it: they never overlap.
    lines.sort(key=lambda line: -_finite(line[0]))
    for position, (value, label, css) in enumerate(lines):
        y = y_of(_finite(value))
        below = position == 1 and y + 18 <= bottom
        parts.append(_line(x0, y, x1, y, css))
        parts.append(
            _text(
                _fit(f"{label}: {with_unit(value)}", x1 - x0 - 8),
                x=x1 - 4,
                y=y + 16 if below else y - 5,
                css=f"chart-reference {css}-label",
                anchor="end",
            )
        )

    coordinates = [
        (x_of(point.day), y_of(value)) for point, value in zip(shown, values, strict=True)
    ]
    if len(coordinates) > 1:
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y in coordinates)
        parts.append(_el("polyline", {"class": "chart-trend", "points": path}))
    for point, (x, y) in zip(shown, coordinates, strict=True):
        tooltip = _el("title", {}, f"{date_text(point.day)}: {with_unit(point.value)}")
        parts.append(_el("circle", {"class": "chart-point", "cx": x, "cy": y, "r": 4}, tooltip))
    if not shown:
        parts.append(
            _text(
                empty_text,
                x=(x0 + x1) / 2,
                y=(top + bottom) / 2,
                css="chart-nodata",
                anchor="middle",
            )
        )

    desc = [f"{date_text(point.day)}: {with_unit(point.value)}" for point in shown] or [empty_text]
    desc += [f"{label}: {with_unit(value)}" for value, label, _css in lines]
    return _svg("line", chart_id, title, "; ".join(desc), LINE_HEIGHT, parts)


def budget_chart(
    rows: Iterable[BudgetRow],
    *,
    chart_id: str,
    title: str,
    series_labels: tuple[str, str, str] = ("required", "available", "spent"),
    amount_text: Callable[[Decimal], str] | None = None,
    empty_text: str = "no data",
) -> SafeString:
    """Per row three thin bars, required, available and spent, on a shared euro axis from 0, each
    with its amount at its end; a legend of swatches and words above. ``amount_text`` formats an
    amount (default "€ 12,500", whatever the locale). Negative amounts draw as 0."""
    _check_chart_id(chart_id)
    if len(series_labels) != len(BUDGET_SERIES):
        raise ValueError("A budget chart has three series labels: required, available, spent.")
    amount_text = amount_text or _euro
    rows = list(rows)
    amounts = [(row.required, row.available, row.spent) for row in rows]
    texts = [[amount_text(amount) for amount in group] for group in amounts]

    legend, legend_bottom = _legend(series_labels)
    maximum = max((max(_finite(amount), 0.0) for group in amounts for amount in group), default=0)
    ticks = _ticks(0.0, maximum, 4, min_step=1.0) if maximum > 0 else [0.0]
    tick_texts = [amount_text(Decimal(str(tick))) for tick in ticks]
    room = max(
        [_text_width(text, SMALL_SIZE) + 6 for group in texts for text in group]
        + [_text_width(tick_texts[-1], SMALL_SIZE) / 2 - MARGIN + 4]
    )
    room = min(room, 200)
    x0, x1 = MARGIN, WIDTH - MARGIN - room
    axis_end = ticks[-1] if maximum > 0 else 1.0
    top = legend_bottom + 8
    bottom = top + max(len(rows), 1) * BUDGET_ROW

    grid = []
    placed_until = -math.inf
    for tick, text in zip(ticks, tick_texts, strict=True):
        x = _scale(tick, 0, axis_end, x0, x1)
        grid.append(_line(x, top, x, bottom, "chart-grid"))
        half = _text_width(text, SMALL_SIZE) / 2
        if x - half > placed_until + 6:
            grid.append(
                _text(text, x=x, y=bottom + 18, css="chart-tick", size=SMALL_SIZE, anchor="middle")
            )
            placed_until = x + half

    body = []
    for index, (row, group, group_texts) in enumerate(zip(rows, amounts, texts, strict=True)):
        y = top + index * BUDGET_ROW
        body.append(_label(row.label, x=x0, y=y + 15, width=WIDTH - MARGIN - x0))
        for position, (series, label, amount, text) in enumerate(
            zip(BUDGET_SERIES, series_labels, group, group_texts, strict=True)
        ):
            bar_y = y + 22 + position * BUDGET_PITCH
            width = _scale(max(_finite(amount), 0.0), 0, axis_end, 0, x1 - x0)
            css = f"chart-bar chart-series-{series}"
            body.append(_rect(x0, bar_y, width, BUDGET_BAR, css, tooltip=f"{label}: {text}"))
            body.append(
                _text(
                    _fit(text, room - 6, SMALL_SIZE),
                    x=x0 + width + 6,
                    y=bar_y + BUDGET_BAR / 2 + 4,
                    css="chart-value",
                    size=SMALL_SIZE,
                )
            )
    if not rows:
        body.append(_text(empty_text, x=x0, y=top + 28, css="chart-nodata"))

    desc = "; ".join(
        f"{row.label}: "
        + ", ".join(
            f"{label} {text}" for label, text in zip(series_labels, group_texts, strict=True)
        )
        for row, group_texts in zip(rows, texts, strict=True)
    )
    return _svg("budget", chart_id, title, desc or empty_text, bottom + 28, legend + grid + body)


def gantt_chart(
    rows: Iterable[GanttRow],
    *,
    chart_id: str,
    title: str,
    today: datetime.date,
    start: datetime.date,
    end: datetime.date,
    today_label: str = "today",
    no_dates_text: str = "no dates",
    empty_text: str = "no data",
    date_text: Callable[[datetime.date], str] | None = None,
) -> SafeString:
    """One row per action plan: its label (a link when ``href`` is given), a bar from its start to
    its end day (inclusive) clipped to the window ``start``–``end``, coloured by its status, and
    its status text in a column on the right; years and quarters along the top, a vertical line
    for today. A row with only a start runs to the window's end, one with only an end from the
    window's start; a row without dates says ``no_dates_text``; a row wholly outside the window
    shows an arrow (◂ or ▸) at the side where it lies. The height grows with the rows."""
    _check_chart_id(chart_id)
    if end < start:
        raise ValueError("The chart's end lies before its start.")
    rows = list(rows)
    for row in rows:
        _check_status(row.status)
    hrefs = [_checked_href(row.href) for row in rows]
    date_text = date_text or datetime.date.isoformat
    label_x = 8
    x0 = label_x + GANTT_LABEL_WIDTH + 8
    status_x = WIDTH - 8 - GANTT_STATUS_WIDTH
    x1 = status_x - 8
    days = (end - start).days + 1
    one_day = datetime.timedelta(days=1)
    axis_y = 40
    top = axis_y + 4
    bottom = top + max(len(rows), 1) * GANTT_ROW

    def x_of(day: datetime.date) -> float:
        """The left edge of a day."""
        return _scale((day - start).days, 0, days, x0, x1)

    parts = _calendar(start, end, x_of, axis_y, bottom)
    parts.append(_line(x0, axis_y, x1, axis_y, "chart-axis"))

    desc = []
    for index, (row, href) in enumerate(zip(rows, hrefs, strict=True)):
        y = top + index * GANTT_ROW
        parts.append(_label(row.label, x=label_x, y=y + 19, width=GANTT_LABEL_WIDTH, href=href))
        parts.append(
            _label(
                row.status_text,
                x=status_x,
                y=y + 18,
                width=GANTT_STATUS_WIDTH,
                size=SMALL_SIZE,
                css="chart-status",
            )
        )
        if row.start is None and row.end is None:
            parts.append(
                _text(no_dates_text, x=x0 + 4, y=y + 18, css="chart-nodata", size=SMALL_SIZE)
            )
            desc.append(f"{row.label}: {no_dates_text}, {row.status_text}")
            continue
        # An open end runs to the window's edge (or stays where the known date lies).
        first = row.start if row.start is not None else min(start, row.end)
        last = row.end if row.end is not None else max(end, row.start)
        first, last = sorted((first, last))
        dates = (
            f"{date_text(row.start) if row.start else ELLIPSIS}"
            f" – {date_text(row.end) if row.end else ELLIPSIS}"
        )
        desc.append(f"{row.label}: {dates}, {row.status_text}")
        tooltip = f"{row.label}: {dates}, {row.status_text}"
        if last < start or first > end:
            before = last < start
            parts.append(
                _el(
                    "text",
                    {
                        "class": "chart-outside",
                        "x": x0 + 2 if before else x1 - 2,
                        "y": y + 19,
                        "font-size": TEXT_SIZE,
                        "text-anchor": None if before else "end",
                    },
                    _el("title", {}, tooltip),
                    "◂" if before else "▸",
                )
            )
            continue
        bar_x = x_of(max(first, start))
        bar_width = max(x_of(min(last, end) + one_day) - bar_x, 2.0)
        css = f"chart-bar chart-status-{row.status}"
        parts.append(_rect(bar_x, y + 7, bar_width, 14, css, tooltip=tooltip))
    if not rows:
        parts.append(_text(empty_text, x=x0 + 4, y=top + 18, css="chart-nodata"))

    if start <= today <= end:
        x = x_of(today)
        parts.append(_line(x, axis_y, x, bottom + 4, "chart-today"))
        half = _text_width(today_label, SMALL_SIZE) / 2
        parts.append(
            _text(
                today_label,
                x=_clamp(x, 8 + half, WIDTH - 8 - half),
                y=bottom + 18,
                css="chart-today-label",
                size=SMALL_SIZE,
                anchor="middle",
            )
        )
        desc.append(f"{today_label}: {date_text(today)}")
    return _svg("gantt", chart_id, title, "; ".join(desc) or empty_text, bottom + 28, parts)


# --- Validation and numbers --------------------------------------------------------------------


def _check_chart_id(chart_id: str) -> None:
    if not isinstance(chart_id, str) or not _CHART_ID.fullmatch(chart_id):
        raise ValueError(
            f"A chart id is a letter followed by letters, digits, - or _: {chart_id!r}."
        )


def _check_status(status: str) -> None:
    if not isinstance(status, str) or not _STATUS.fullmatch(status):
        raise ValueError(f"A status is a lowercase slug such as on_track: {status!r}.")


def _checked_href(href: str) -> str:
    """The link as given, unless it names a scheme that runs code (javascript:, data:)."""
    href = _clean(href).strip()
    # Browsers drop tabs and line breaks inside a URL: "java\tscript:" is still javascript.
    scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", href))
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        raise ValueError(f"A chart link is a relative or http(s) URL, not {scheme.group(1)}:.")
    return href


def _finite(value) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"A chart cannot draw {value!r}.")
    return number


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _day_of(point: LinePoint) -> datetime.date:
    return point.day


def _plain_number(value: Decimal | float) -> str:
    """12.5, 1500, 0.3: as short as the value allows, the same in every locale."""
    if isinstance(value, float):
        value = Decimal(repr(round(value, 6)))
    return format((Decimal(value) + 0).normalize(), "f")


def _euro(value: Decimal) -> str:
    return f"€ {value:,.0f}"


def _progress_text(row: ProgressBar) -> str:
    if row.text:
        return row.text
    if row.fraction is None:
        return "–"
    return f"{_finite(row.fraction) * 100:.0f} %"


# --- Geometry ----------------------------------------------------------------------------------


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    """``value`` in [low, high] mapped linearly onto [start, end]."""
    if high == low:
        return start
    return start + (value - low) / (high - low) * (end - start)


def _ticks(low: float, high: float, count: int = 5, min_step: float = 0.0) -> list[float]:
    """Round numbers (steps of 1, 2 or 5 × 10ⁿ) from one at or below ``low`` to one at or above
    ``high``, about ``count`` steps apart."""
    if high <= low:
        high = low + 1
    raw = max((high - low) / count, min_step)
    power = 10 ** math.floor(math.log10(raw))
    step = next(factor * power for factor in (1, 2, 5, 10) if factor * power >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9) * step
    ticks = [first]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(first + len(ticks) * step, 10))
    return ticks


def _value_ticks(values: list[float]) -> list[float]:
    """The y ticks of a line chart: every value inside, with room above and below; a chart of
    values that are all zero or more does not dip below zero for the room."""
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    room = (high - low) * 0.08 if high > low else (abs(high) * 0.1 or 1.0)
    bottom = low - room
    if low >= 0 > bottom:
        bottom = 0.0
    return _ticks(bottom, high + room, 5)


def _tick_number(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{value + 0.0:.{decimals}f}"


def _time_ticks(
    start: datetime.date, end: datetime.date, width: float
) -> list[tuple[datetime.date, str]]:
    """The labelled dates of a time axis: months ("2026-03") for a span under about 18 months,
    years ("2026") for longer ones, thinned out until the labels fit."""
    days = max((end - start).days, 1)
    if days < MONTHLY_BELOW_DAYS:
        candidates = _month_starts(start, end)
        spacing = width * 30.44 / days
        need = _text_width("2026-03", SMALL_SIZE) + 8
        every = next((k for k in (1, 2, 3, 6) if spacing * k >= need), 12)
        return [(day, f"{day:%Y-%m}") for day in candidates if (day.month - 1) % every == 0]
    candidates = [datetime.date(year, 1, 1) for year in range(start.year + 1, end.year + 1)]
    if start.month == 1 and start.day == 1:
        candidates.insert(0, start)
    spacing = width * 365.25 / days
    need = _text_width("2026", SMALL_SIZE) + 8
    every = next((k for k in (1, 2, 5, 10, 20, 50) if spacing * k >= need), 100)
    return [(day, str(day.year)) for day in candidates if day.year % every == 0]


def _month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    day = start.replace(day=1)
    if day < start:
        day = _next_month(day)
    months = []
    while day <= end:
        months.append(day)
        day = _next_month(day)
    return months


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _calendar(start, end, x_of, axis_y: float, bottom: float) -> list[SafeString]:
    """A gantt chart's years (labelled, with a gridline at each 1 January) and quarters (a lighter
    gridline, "Q1"… when there is room) above and across its rows."""
    after_end = end + datetime.timedelta(days=1)
    parts = []
    for year in range(start.year, end.year + 1):
        for quarter in range(4):
            first = datetime.date(year, 3 * quarter + 1, 1)
            following = _next_month(_next_month(_next_month(first)))
            left, right = x_of(max(first, start)), x_of(min(following, after_end))
            if right <= left:
                continue
            if start < first <= end:
                css = "chart-grid" if quarter == 0 else "chart-grid chart-grid-minor"
                parts.append(_line(left, axis_y, left, bottom, css))
            text = f"Q{quarter + 1}"
            if right - left >= _text_width(text, SMALL_SIZE) + 4:
                parts.append(
                    _text(
                        text,
                        x=(left + right) / 2,
                        y=34,
                        css="chart-tick",
                        size=SMALL_SIZE,
                        anchor="middle",
                    )
                )
        left = x_of(max(datetime.date(year, 1, 1), start))
        right = x_of(min(datetime.date(year + 1, 1, 1), after_end))
        if right - left >= _text_width(str(year), SMALL_SIZE) + 6:
            parts.append(_text(str(year), x=left + 3, y=16, css="chart-tick", size=SMALL_SIZE))
    return parts


def _legend(labels: Sequence[str]) -> tuple[list[SafeString], float]:
    """Swatches and words for the budget series, flowing onto a second line when they must."""
    items, x, y = [], MARGIN, 8
    for series, label in zip(BUDGET_SERIES, labels, strict=True):
        text = _fit(label, WIDTH - 2 * MARGIN - 18, SMALL_SIZE)
        width = 18 + _text_width(text, SMALL_SIZE) + 16
        if x > MARGIN and x + width > WIDTH - MARGIN:
            x, y = MARGIN, y + 20
        items.append(_rect(x, y, 12, 12, f"chart-swatch chart-series-{series}"))
        items.append(_text(text, x=x + 18, y=y + 11, css="chart-legend-text", size=SMALL_SIZE))
        x += width
    return [_el("g", {"class": "chart-legend"}, *items)], y + 20


# --- Text and markup ---------------------------------------------------------------------------


def _text_width(text: str, size: float = TEXT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


def _fit(text: str, width: float, size: float = TEXT_SIZE) -> str:
    """``text`` on one line of ``width`` units, cut with an ellipsis (at a space, when one is near)
    when it is longer."""
    text = " ".join(_clean(text).split())
    limit = max(int(width // (size * CHAR_WIDTH)), 1)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rstrip()
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space].rstrip()
    return cut + ELLIPSIS


def _label(
    text: str,
    *,
    x: float,
    y: float,
    width: float,
    size: float = TEXT_SIZE,
    css: str = "chart-label",
    href: str = "",
) -> SafeString:
    """A label cut to ``width``; when cut, the whole label is its group's tooltip."""
    full = " ".join(_clean(text).split())
    shown = _fit(full, width, size)
    children = [_el("title", {}, full)] if shown != full else []
    children.append(_el("text", {"x": x, "y": y, "font-size": size}, shown))
    group = _el("g", {"class": css}, *children)
    return _el("a", {"href": href}, group) if href else group


def _text(
    text: str,
    *,
    x: float,
    y: float,
    css: str,
    size: float = TEXT_SIZE,
    anchor: str | None = None,
) -> SafeString:
    return _el(
        "text", {"class": css, "x": x, "y": y, "font-size": size, "text-anchor": anchor}, text
    )


def _line(x1: float, y1: float, x2: float, y2: float, css: str) -> SafeString:
    return _el("line", {"class": css, "x1": x1, "y1": y1, "x2": x2, "y2": y2})


def _rect(x: float, y: float, width: float, height: float, css: str, tooltip: str = ""):
    tip = [_el("title", {}, tooltip)] if tooltip else []
    return _el("rect", {"class": css, "x": x, "y": y, "width": width, "height": height}, *tip)


def _svg(kind: str, chart_id: str, title: str, desc: str, height: float, body) -> SafeString:
    return _el(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "class": f"chart chart-{kind}",
            "viewBox": f"0 0 {WIDTH} {_num(height)}",
            "preserveAspectRatio": "xMinYMin meet",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
        },
        _el("title", {"id": f"{chart_id}-title"}, title),
        _el("desc", {"id": f"{chart_id}-desc"}, desc),
        *body,
    )


def _el(tag: str, attributes: dict, *children) -> SafeString:
    """One element; attribute values and text children are escaped, SafeString children (other
    elements) are kept. Attributes that are None are left out. Tags and attribute names are
    this module's constants.

    Built with ``escape`` and one ``SafeString`` rather than ``format_html``: a Gantt chart of
    200 action plans has thousands of elements, and format_html's per-argument work was a third
    of the monitor's time (bench/README.md)."""
    attribute_html = "".join(
        f' {name}="{escape(_attribute(value))}"'
        for name, value in attributes.items()
        if value is not None
    )
    if not children:
        return SafeString(f"<{tag}{attribute_html}/>")  # nosec B703
    inner = "".join(
        child if isinstance(child, SafeString) else escape(_clean(child)) for child in children
    )
    return SafeString(f"<{tag}{attribute_html}>{inner}</{tag}>")  # nosec B703


def _attribute(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _num(value)
    return _clean(value)


def _num(value: float) -> str:
    """A coordinate as short, locale-free text."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _clean(value) -> str:
    return _NOT_XML.sub("", str(value))
