"""The plan monitor's server-side SVG charts (plans.charts): well-formed, accessible, escaped,
and drawn to scale. No database: the charts are pure functions of their data."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils.safestring import SafeString

import pytest

from plans.charts import (
    BudgetRow,
    GanttRow,
    LinePoint,
    ProgressBar,
    budget_chart,
    gantt_chart,
    line_chart,
    progress_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
NASTY = '<script>alert(1)</script> & "x"'
D = datetime.date


# --- Reading the drawing -----------------------------------------------------------------------


def parse(chart) -> ET.Element:
    assert isinstance(chart, SafeString)
    # The chart's own output, and ElementTree is what the brief names: no untrusted XML here.
    root = ET.fromstring(str(chart))  # noqa: S314
    assert root.tag == f"{SVG}svg"
    return root


def with_class(root: ET.Element, css: str, tag: str | None = None) -> list[ET.Element]:
    return [
        element
        for element in root.iter()
        if css in element.get("class", "").split() and (tag is None or element.tag == SVG + tag)
    ]


def texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def text_element(root: ET.Element, content: str) -> ET.Element:
    [element] = [e for e in root.iter(f"{SVG}text") if "".join(e.itertext()) == content]
    return element


def number(element: ET.Element, attribute: str) -> float:
    return float(element.get(attribute))


def desc(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


def view_box(root: ET.Element) -> list[float]:
    return [float(part) for part in root.get("viewBox").split()]


def assert_accessible(root: ET.Element, chart_id: str, kind: str, title: str) -> None:
    assert root.get("role") == "img"
    assert root.get("class") == f"chart chart-{kind}"
    assert root.get("preserveAspectRatio") == "xMinYMin meet"
    assert root.get("width") is None
    assert root.get("height") is None
    assert view_box(root)[:3] == [0, 0, 640]
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    title_element, desc_element = list(root)[:2]
    assert title_element.tag == f"{SVG}title"
    assert title_element.get("id") == f"{chart_id}-title"
    assert title_element.text == title
    assert desc_element.tag == f"{SVG}desc"
    assert desc_element.get("id") == f"{chart_id}-desc"
    assert desc_element.text
    for element in root.iter():
        assert element.get("style") is None
        assert not element.tag.endswith("script")
        assert not element.tag.endswith("style")
        if element.get("font-size"):
            assert number(element, "font-size") >= 12


def horizontal_axis(root: ET.Element) -> tuple[float, float]:
    [axis] = [line for line in with_class(root, "chart-axis") if line.get("y1") == line.get("y2")]
    return number(axis, "x1"), number(axis, "x2")


def vertical_axis(root: ET.Element) -> tuple[float, float]:
    """The line chart's y axis: its top and bottom."""
    [axis] = [line for line in with_class(root, "chart-axis") if line.get("x1") == line.get("x2")]
    return number(axis, "y1"), number(axis, "y2")


# --- Progress ----------------------------------------------------------------------------------


def progress_grid(root: ET.Element) -> list[float]:
    return [number(line, "x1") for line in with_class(root, "chart-grid", "line")]


def test_progress_chart_is_accessible_and_describes_its_data():
    rows = [ProgressBar("Goal A", 0.4, "40 %"), ProgressBar("Goal B", None, "no report yet")]
    root = parse(progress_chart(rows, chart_id="goals", title="Progress per goal"))
    assert_accessible(root, "goals", "progress", "Progress per goal")
    assert desc(root) == "Goal A: 40 %; Goal B: no report yet"
    assert {"Goal A", "Goal B", "40 %", "no report yet"} <= set(texts(root))


def test_progress_bars_are_drawn_to_scale_on_a_quarter_grid():
    rows = [ProgressBar("A", 0.4, "40 %"), ProgressBar("B", 0.5, ""), ProgressBar("C", 1, "")]
    root = parse(progress_chart(rows, chart_id="p", title="t"))
    grid = progress_grid(root)
    assert len(grid) == 5
    zero, full = grid[0], grid[-1]
    assert grid == pytest.approx([zero + (full - zero) * q for q in (0, 0.25, 0.5, 0.75, 1)])
    assert [e.text for e in with_class(root, "chart-tick", "text")] == [
        "0 %",
        "25 %",
        "50 %",
        "75 %",
        "100 %",
    ]
    bars = with_class(root, "chart-bar", "rect")
    assert len(bars) == 3
    for bar, fraction in zip(bars, (0.4, 0.5, 1.0), strict=True):
        assert number(bar, "x") == pytest.approx(zero)
        assert number(bar, "width") == pytest.approx(fraction * (full - zero), abs=0.01)
    # The half bar ends on the 50 % gridline; the value follows the bar's end.
    assert number(bars[1], "x") + number(bars[1], "width") == pytest.approx(grid[2])
    value = text_element(root, "40 %")
    assert number(value, "x") == pytest.approx(number(bars[0], "x") + number(bars[0], "width") + 6)
    # An empty text says the percentage, locale-free.
    assert "50 %" in [e.text for e in with_class(root, "chart-value")]


def test_progress_fractions_are_clamped_for_drawing():
    rows = [ProgressBar("Over", 1.7, "170 %"), ProgressBar("Under", -0.2, "-20 %")]
    root = parse(progress_chart(rows, chart_id="p", title="t"))
    grid = progress_grid(root)
    over, under = with_class(root, "chart-bar", "rect")
    assert number(over, "x") + number(over, "width") == pytest.approx(grid[-1])
    assert number(over, "width") == pytest.approx(grid[-1] - grid[0])
    assert number(under, "width") == 0
    assert {"170 %", "-20 %"} <= set(texts(root))


def test_progress_without_data_draws_no_bar_but_its_text():
    rows = [ProgressBar("Known", 0.3, "30 %"), ProgressBar("Unknown", None, "no report yet")]
    root = parse(progress_chart(rows, chart_id="p", title="t"))
    assert len(with_class(root, "chart-bar", "rect")) == 1
    [nodata] = with_class(root, "chart-nodata", "text")
    assert nodata.text == "no report yet"
    assert number(nodata, "x") == pytest.approx(progress_grid(root)[0])


def test_progress_of_no_rows_says_so():
    root = parse(progress_chart([], chart_id="p", title="t", empty_text="nog geen doelen"))
    assert desc(root) == "nog geen doelen"
    assert "nog geen doelen" in texts(root)
    assert not with_class(root, "chart-bar")


def test_progress_escapes_every_caller_text():
    chart = progress_chart(
        [ProgressBar(NASTY, 0.5, NASTY)], chart_id="p", title=NASTY, empty_text=NASTY
    )
    assert "<script" not in chart
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in chart
    root = parse(chart)
    assert not [element for element in root.iter() if element.tag.endswith("script")]
    assert NASTY in texts(root)
    assert root.find(f"{SVG}title").text == NASTY
    assert desc(root) == f"{NASTY}: {NASTY}"


def test_progress_drops_characters_xml_cannot_hold():
    root = parse(progress_chart([ProgressBar("a\x00b\x0bc", 0.5, "")], chart_id="p", title="\x01t"))
    assert "abc" in texts(root)
    assert root.find(f"{SVG}title").text == "t"


def test_a_long_label_is_cut_with_an_ellipsis_and_shown_whole_as_a_tooltip():
    label = "Fewer burglaries " * 10
    root = parse(progress_chart([ProgressBar(label, 0.5, "")], chart_id="p", title="t"))
    [group] = with_class(root, "chart-label", "g")
    tooltip, text = list(group)
    assert tooltip.tag == f"{SVG}title"
    assert tooltip.text == label.strip()
    assert text.text.endswith("…")
    assert len(text.text) < len(label.strip())
    assert label.strip().startswith(text.text[:-1])


def test_progress_rejects_a_fraction_it_cannot_draw():
    with pytest.raises(ValueError, match="cannot draw"):
        progress_chart([ProgressBar("x", float("nan"), "")], chart_id="p", title="t")


# --- Line --------------------------------------------------------------------------------------

START, END = D(2026, 1, 1), D(2026, 12, 31)


def line(points, **kwargs):
    options = {"chart_id": "indicator-1", "title": "Burglaries", "start": START, "end": END}
    return parse(line_chart(points, **options | kwargs))


def test_line_chart_is_accessible_and_describes_its_data():
    points = [LinePoint(D(2026, 6, 30), Decimal("15")), LinePoint(D(2026, 3, 31), Decimal("12.50"))]
    root = line(points, unit="%", target=20, baseline=Decimal("10"))
    assert_accessible(root, "indicator-1", "line", "Burglaries")
    assert desc(root) == "2026-03-31: 12.5 %; 2026-06-30: 15 %; target: 20 %; baseline: 10 %"


def test_line_points_are_placed_in_time_and_value():
    points = [
        LinePoint(D(2026, 7, 1), 30.0),
        LinePoint(D(2026, 1, 1), Decimal("10")),
        LinePoint(D(2026, 12, 31), Decimal("20")),
    ]
    root = line(points)
    x0, x1 = horizontal_axis(root)
    top, bottom = vertical_axis(root)
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == 3
    span = (END - START).days
    by_day = sorted(points, key=lambda point: point.day)
    for circle, point in zip(circles, by_day, strict=True):
        expected = x0 + (point.day - START).days / span * (x1 - x0)
        assert number(circle, "cx") == pytest.approx(expected, abs=0.01)
        assert top < number(circle, "cy") < bottom
    ys = {
        float(point.value): number(circle, "cy")
        for circle, point in zip(circles, by_day, strict=True)
    }
    assert ys[30] < ys[20] < ys[10]
    assert ys[10] - ys[20] == pytest.approx(ys[20] - ys[30], abs=0.02)  # linear
    [polyline] = root.findall(f"{SVG}polyline")
    vertices = [tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()]
    assert vertices == [(number(c, "cx"), number(c, "cy")) for c in circles]


def test_each_point_has_a_tooltip_with_date_value_and_unit():
    root = line(
        [LinePoint(D(2026, 3, 31), Decimal("12.5"))],
        unit="%",
        value_text=lambda value: f"{value:.1f}".replace(".", ","),
        date_text=lambda day: day.strftime("%d/%m/%Y"),
    )
    [circle] = root.findall(f"{SVG}circle")
    assert circle.find(f"{SVG}title").text == "31/03/2026: 12,5 %"
    assert not root.findall(f"{SVG}polyline")  # one point draws no line


def target_and_baseline(root):
    [target] = with_class(root, "chart-target", "line")
    [baseline] = with_class(root, "chart-baseline", "line")
    [target_label] = with_class(root, "chart-target-label", "text")
    [baseline_label] = with_class(root, "chart-baseline-label", "text")
    return target, baseline, target_label, baseline_label


def test_a_target_above_the_baseline_is_drawn_above_it_with_the_labels_apart():
    points = [LinePoint(D(2026, 3, 1), 12), LinePoint(D(2026, 9, 1), 15)]
    root = line(points, target=20, baseline=10, unit="%", target_label="doel")
    target, baseline, target_label, baseline_label = target_and_baseline(root)
    top, bottom = vertical_axis(root)
    target_y, baseline_y = number(target, "y1"), number(baseline, "y1")
    assert top < target_y < baseline_y < bottom
    assert number(target_label, "y") < target_y  # the upper label above its line
    assert number(baseline_label, "y") > baseline_y  # the lower one below
    assert target_label.text == "doel: 20 %"
    assert baseline_label.text == "baseline: 10 %"
    # The points sit between the lines, to scale.
    for circle in root.findall(f"{SVG}circle"):
        assert target_y < number(circle, "cy") < baseline_y


def test_a_target_below_the_baseline_is_drawn_below_it_with_the_labels_apart():
    points = [LinePoint(D(2026, 3, 1), 110), LinePoint(D(2026, 9, 1), 95)]
    root = line(points, target=Decimal("80"), baseline=Decimal("120"), baseline_label="nulmeting")
    target, baseline, target_label, baseline_label = target_and_baseline(root)
    top, bottom = vertical_axis(root)
    target_y, baseline_y = number(target, "y1"), number(baseline, "y1")
    assert top < baseline_y < target_y < bottom
    assert number(baseline_label, "y") < baseline_y
    assert number(target_label, "y") > target_y
    assert baseline_label.text == "nulmeting: 120"
    # Both lines span the plot.
    x0, x1 = horizontal_axis(root)
    assert (number(target, "x1"), number(target, "x2")) == (x0, x1)


def test_line_with_all_equal_values_sits_inside_a_padded_axis():
    points = [LinePoint(D(2026, month, 1), Decimal("7")) for month in (2, 5, 8)]
    root = line(points)
    top, bottom = vertical_axis(root)
    heights = {number(circle, "cy") for circle in root.findall(f"{SVG}circle")}
    assert len(heights) == 1
    assert top < heights.pop() < bottom
    ticks = [e.text for e in with_class(root, "chart-tick", "text") if "-" not in e.text]
    assert len(ticks) == len(set(ticks)) >= 2


def test_line_with_all_zero_values_starts_its_axis_at_zero():
    root = line([LinePoint(D(2026, 2, 1), 0), LinePoint(D(2026, 4, 1), 0)])
    top, bottom = vertical_axis(root)
    assert {number(circle, "cy") for circle in root.findall(f"{SVG}circle")} == {bottom}
    assert "0.0" in texts(root) or "0" in texts(root)


def test_line_without_points_is_an_empty_chart_that_says_so():
    root = line([], empty_text="nog geen metingen")
    assert desc(root) == "nog geen metingen"
    assert "nog geen metingen" in texts(root)
    assert not root.findall(f"{SVG}circle")
    assert not root.findall(f"{SVG}polyline")
    # With a target it still shows the target.
    root = line([], target=5)
    assert desc(root) == "no data; target: 5"
    assert len(with_class(root, "chart-target", "line")) == 1


def test_points_outside_the_window_are_left_out():
    points = [
        LinePoint(D(2025, 12, 31), 1000),
        LinePoint(D(2026, 6, 1), 10),
        LinePoint(D(2027, 1, 1), -1000),
    ]
    root = line(points)
    [circle] = root.findall(f"{SVG}circle")
    x0, x1 = horizontal_axis(root)
    assert x0 < number(circle, "cx") < x1
    assert desc(root) == "2026-06-01: 10"
    # The axis is scaled to what is shown, not to the dropped values.
    assert "1000" not in " ".join(texts(root))


def test_a_short_span_has_month_ticks_and_a_long_one_year_ticks():
    root = line([], start=D(2026, 1, 1), end=D(2027, 3, 31))
    labels = [e.text for e in with_class(root, "chart-tick", "text")]
    months = [label for label in labels if re.fullmatch(r"\d{4}-\d{2}", label)]
    assert "2026-01" in months
    assert len(months) >= 4

    start, end = D(2026, 1, 1), D(2031, 12, 31)
    root = line([], start=start, end=end)
    labels = [e for e in with_class(root, "chart-tick", "text") if re.fullmatch(r"\d{4}", e.text)]
    assert [label.text for label in labels] == [str(year) for year in range(2026, 2032)]
    x0, x1 = horizontal_axis(root)
    year_2028 = next(label for label in labels if label.text == "2028")
    expected = x0 + (D(2028, 1, 1) - start).days / (end - start).days * (x1 - x0)
    assert number(year_2028, "x") == pytest.approx(expected, abs=0.01)


def test_line_chart_rejects_an_end_before_its_start():
    with pytest.raises(ValueError, match="before its start"):
        line_chart([], chart_id="x", title="t", start=END, end=START)


def test_line_chart_escapes_the_unit_and_the_labels():
    chart = line_chart(
        [LinePoint(D(2026, 5, 1), 3)],
        chart_id="x",
        title="t",
        start=START,
        end=END,
        unit=NASTY,
        target=4,
        target_label=NASTY,
    )
    assert "<script" not in chart
    root = parse(chart)
    assert NASTY in texts(root)
    assert root.find(f".//{SVG}circle/{SVG}title").text == f"2026-05-01: 3 {NASTY}"


# --- Budget ------------------------------------------------------------------------------------

SERIES = ("nodig", "beschikbaar", "besteed")


def budget(rows, **kwargs):
    return parse(budget_chart(rows, **{"chart_id": "budget", "title": "Budget"} | kwargs))


def test_budget_chart_is_accessible_and_describes_its_data():
    rows = [BudgetRow("Cameras", Decimal("120000"), Decimal("80000"), Decimal("45500"))]
    root = budget(rows, series_labels=SERIES)
    assert_accessible(root, "budget", "budget", "Budget")
    assert desc(root) == "Cameras: nodig € 120,000, beschikbaar € 80,000, besteed € 45,500"


def test_budget_bars_share_one_axis_from_zero():
    rows = [
        BudgetRow("Cameras", Decimal("120000"), Decimal("80000"), Decimal("45500")),
        BudgetRow("BIN", Decimal("5000"), Decimal("5000"), Decimal("0")),
    ]
    root = budget(rows)
    bars = with_class(root, "chart-bar", "rect")
    assert len(bars) == 6
    series = [
        next(c for c in bar.get("class").split() if c.startswith("chart-series-")) for bar in bars
    ]
    assert series == ["chart-series-required", "chart-series-available", "chart-series-spent"] * 2
    amounts = [120000, 80000, 45500, 5000, 5000, 0]
    grid = sorted(number(line, "x1") for line in with_class(root, "chart-grid", "line"))
    zero = grid[0]
    per_euro = number(bars[0], "width") / 120000
    for bar, amount in zip(bars, amounts, strict=True):
        assert number(bar, "x") == zero
        assert number(bar, "width") == pytest.approx(amount * per_euro, abs=0.01)
        assert number(bar, "x") + number(bar, "width") <= grid[-1]
    # The gridlines stand at round amounts on the same scale, and are labelled with them.
    tick = text_element(root, "€ 50,000")
    assert number(tick, "x") == pytest.approx(zero + 50000 * per_euro, abs=0.01)
    # Each amount is written at the end of its bar.
    for bar, amount in zip(bars[:3], ("€ 120,000", "€ 80,000", "€ 45,500"), strict=True):
        [value] = [e for e in with_class(root, "chart-value", "text") if e.text == amount]
        assert number(value, "x") == pytest.approx(number(bar, "x") + number(bar, "width") + 6)
        assert number(bar, "y") < number(value, "y") < number(bar, "y") + number(bar, "height") + 4
    # Three thin bars per row, one under the other.
    ys = [number(bar, "y") for bar in bars[:3]]
    assert ys == sorted(ys)
    assert all(number(bar, "height") <= 12 for bar in bars)


def test_budget_legend_shows_a_shape_and_a_word_per_series():
    root = budget([BudgetRow("x", Decimal(1), Decimal(2), Decimal(3))], series_labels=SERIES)
    [legend] = with_class(root, "chart-legend", "g")
    swatches = legend.findall(f"{SVG}rect")
    assert [s.get("class") for s in swatches] == [
        "chart-swatch chart-series-required",
        "chart-swatch chart-series-available",
        "chart-swatch chart-series-spent",
    ]
    assert [t.text for t in legend.findall(f"{SVG}text")] == list(SERIES)


def test_budget_amount_text_is_the_callers_and_negative_amounts_draw_as_zero():
    rows = [BudgetRow("x", Decimal("1500.5"), Decimal("-10"), Decimal("0"))]
    root = budget(rows, amount_text=lambda value: f"{value:.2f} EUR")
    assert {"1500.50 EUR", "-10.00 EUR", "0.00 EUR"} <= set(texts(root))
    available = with_class(root, "chart-series-available", "rect")[1]  # [0] is the swatch
    assert number(available, "width") == 0


def test_budget_of_nothing_says_so_and_checks_its_series():
    root = budget([], empty_text="geen budget")
    assert desc(root) == "geen budget"
    assert not with_class(root, "chart-bar")
    all_zero = budget([BudgetRow("x", Decimal(0), Decimal(0), Decimal(0))])
    assert [number(bar, "width") for bar in with_class(all_zero, "chart-bar")] == [0, 0, 0]
    with pytest.raises(ValueError, match="three series"):
        budget_chart([], chart_id="b", title="t", series_labels=("a", "b"))


def test_budget_escapes_labels():
    chart = budget_chart(
        [BudgetRow(NASTY, Decimal(1), Decimal(1), Decimal(1))],
        chart_id="b",
        title="t",
        series_labels=(NASTY, "b", "c"),
    )
    assert "<script" not in chart
    root = parse(chart)
    assert NASTY in texts(root)


# --- Gantt -------------------------------------------------------------------------------------

PLAN_START, PLAN_END = D(2026, 1, 1), D(2031, 12, 31)


def gantt(rows, **kwargs):
    options = {
        "chart_id": "actions",
        "title": "Action plans",
        "today": D(2027, 3, 15),
        "start": PLAN_START,
        "end": PLAN_END,
    }
    return parse(gantt_chart(rows, **options | kwargs))


def day_x(root, day, start=PLAN_START, end=PLAN_END) -> float:
    x0, x1 = horizontal_axis(root)
    return x0 + (day - start).days / ((end - start).days + 1) * (x1 - x0)


CAMERAS_START, CAMERAS_END = D(2026, 7, 1), D(2026, 12, 31)


def row(label="Cameras", start=CAMERAS_START, end=CAMERAS_END, status="on_track", **kw):
    return GanttRow(label, start, end, status, kw.pop("status_text", "On track"), **kw)


def test_gantt_chart_is_accessible_and_describes_its_data():
    rows = [row(), row("BIN", None, None, "none", status_text="No report yet")]
    root = gantt(rows)
    assert_accessible(root, "actions", "gantt", "Action plans")
    assert desc(root) == (
        "Cameras: 2026-07-01 – 2026-12-31, On track; BIN: no dates, No report yet; "
        "today: 2027-03-15"
    )
    assert {"Cameras", "BIN", "On track", "No report yet", "no dates", "today"} <= set(texts(root))


def test_gantt_today_line_stands_at_todays_place_in_the_window():
    root = gantt([row()], today_label="vandaag")
    [today] = with_class(root, "chart-today", "line")
    x0, x1 = horizontal_axis(root)
    fraction = (D(2027, 3, 15) - PLAN_START).days / ((PLAN_END - PLAN_START).days + 1)
    assert number(today, "x1") == pytest.approx(x0 + fraction * (x1 - x0), abs=0.01)
    assert number(today, "x1") == number(today, "x2")
    assert x0 < number(today, "x1") < x1
    [label] = with_class(root, "chart-today-label", "text")
    assert label.text == "vandaag"
    assert not with_class(gantt([row()], today=D(2035, 1, 1)), "chart-today")


def test_gantt_bars_run_from_start_to_end_day_with_their_status():
    root = gantt([row()])
    [bar] = with_class(root, "chart-bar", "rect")
    assert bar.get("class") == "chart-bar chart-status-on_track"
    assert number(bar, "x") == pytest.approx(day_x(root, D(2026, 7, 1)), abs=0.01)
    end = number(bar, "x") + number(bar, "width")
    assert end == pytest.approx(day_x(root, D(2027, 1, 1)), abs=0.02)  # the end day included
    assert bar.find(f"{SVG}title").text == "Cameras: 2026-07-01 – 2026-12-31, On track"


def test_gantt_bars_are_clipped_to_the_window():
    rows = [
        row("Early", D(2025, 6, 1), D(2026, 9, 30), "at_risk"),
        row("Late", D(2027, 1, 1), D(2032, 9, 30), "delayed"),
        row("Open", D(2028, 4, 1), None, "stopped"),
    ]
    root = gantt(rows)
    x0, x1 = horizontal_axis(root)
    early, late, open_ended = with_class(root, "chart-bar", "rect")
    assert number(early, "x") == x0
    assert number(early, "x") + number(early, "width") == pytest.approx(
        day_x(root, D(2026, 10, 1)), abs=0.02
    )
    assert number(late, "x") + number(late, "width") == pytest.approx(x1, abs=0.02)
    assert number(open_ended, "x") == pytest.approx(day_x(root, D(2028, 4, 1)), abs=0.01)
    assert number(open_ended, "x") + number(open_ended, "width") == pytest.approx(x1, abs=0.02)
    assert [bar.get("class").split()[-1] for bar in (early, late, open_ended)] == [
        "chart-status-at_risk",
        "chart-status-delayed",
        "chart-status-stopped",
    ]


def test_gantt_rows_without_dates_or_outside_the_window_draw_no_bar():
    rows = [
        row("Undated", None, None, "not_started"),
        row("Long ago", D(2020, 1, 1), D(2021, 1, 1), "done"),
    ]
    root = gantt(rows, no_dates_text="geen data")
    assert not with_class(root, "chart-bar")
    [nodata] = with_class(root, "chart-nodata", "text")
    assert nodata.text == "geen data"
    [outside] = with_class(root, "chart-outside", "text")
    assert "".join(outside.itertext()).endswith("◂")
    assert "On track" in texts(root)


def test_gantt_grows_with_its_rows_and_marks_years_at_the_top():
    ten = gantt([row(f"Plan {n}") for n in range(10)])
    twenty = gantt([row(f"Plan {n}") for n in range(20)])
    assert view_box(twenty)[3] - view_box(ten)[3] == 10 * 28
    years = [e for e in with_class(ten, "chart-tick", "text") if re.fullmatch(r"\d{4}", e.text)]
    assert [e.text for e in years] == [str(year) for year in range(2026, 2032)]
    first_axis_y = number(with_class(ten, "chart-axis", "line")[0], "y1")
    assert all(number(e, "y") < first_axis_y for e in years)
    year_lines = [
        line
        for line in with_class(ten, "chart-grid", "line")
        if "chart-grid-minor" not in line.get("class")
    ]
    assert [number(line, "x1") for line in year_lines] == pytest.approx(
        [day_x(ten, D(year, 1, 1)) for year in range(2027, 2032)], abs=0.01
    )


def test_gantt_labels_link_to_their_action_plan_escaped():
    href = "/nl/plans/1/action-plans/2/?tab=report&x=\"'<>"
    chart = gantt_chart(
        [row(href=href)],
        chart_id="g",
        title="t",
        today=D(2026, 1, 1),
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
    )
    assert 'href="/nl/plans/1/action-plans/2/?tab=report&amp;x=&quot;&#x27;&lt;&gt;"' in chart
    root = parse(chart)
    [link] = root.iter(f"{SVG}a")
    assert link.get("href") == href
    assert "".join(link.itertext()) == "Cameras"


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:x"]
)
def test_gantt_refuses_a_link_that_runs_code(href):
    with pytest.raises(ValueError, match="http"):
        gantt([row(href=href)])


@pytest.mark.parametrize("status", ["On_track", "on track", 'x"y', "", "-x", "on_track>"])
def test_gantt_refuses_a_status_that_is_not_a_slug(status):
    with pytest.raises(ValueError, match="slug"):
        gantt([row(status=status)])


def test_gantt_escapes_labels_and_status_text():
    chart = gantt_chart(
        [row(NASTY, status_text=NASTY)],
        chart_id="g",
        title="t",
        today=D(2026, 5, 1),
        start=PLAN_START,
        end=PLAN_END,
        today_label=NASTY,
    )
    assert "<script" not in chart
    root = parse(chart)
    assert not [element for element in root.iter() if element.tag.endswith("script")]
    assert NASTY in texts(root)
    # The long label is cut, and whole in its tooltip.
    assert NASTY in [element.text for element in root.iter(f"{SVG}title")]


def test_gantt_chart_rejects_an_end_before_its_start():
    with pytest.raises(ValueError, match="before its start"):
        gantt([], start=PLAN_END, end=PLAN_START)


# --- Every chart -------------------------------------------------------------------------------


def draw(kind: str, chart_id: str):
    if kind == "progress":
        return progress_chart([], chart_id=chart_id, title="t")
    if kind == "line":
        return line_chart([], chart_id=chart_id, title="t", start=START, end=END)
    if kind == "budget":
        return budget_chart([], chart_id=chart_id, title="t")
    return gantt_chart([], chart_id=chart_id, title="t", today=START, start=START, end=END)


KINDS = ["progress", "line", "budget", "gantt"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "chart_id", ["", "1goal", "goal one", 'x"><script>', "a/b", "é", "x" * 65, "goal:1"]
)
def test_every_chart_refuses_an_unsafe_id(kind, chart_id):
    with pytest.raises(ValueError, match="chart id"):
        draw(kind, chart_id)


@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_accepts_a_slug_id_and_is_accessible_when_empty(kind):
    root = parse(draw(kind, "Plan-7_goals"))
    assert_accessible(root, "Plan-7_goals", kind, "t")
