"""The organogram drawn as server-side SVG: no JavaScript, no chart library.

The layout is computed here in Python. Units sit in three horizontal bands, one per level of the
domain text (strategic: mayor, college, kerngroep; linking: the coordinator; operational: project
leaders, working groups, departments), and within the bands as a tidy tree: every subtree gets its
own horizontal slot, a parent is centred over its units, so no two boxes or hierarchy lines cross.

* A staff function is drawn beside the unit it is under and joined from the side: right beside
  it when it sits on the same row and has no units of its own, else to the right of that unit's
  units, with an elbow from the unit's side.
* A direct line (``direct_line_to``) is drawn dashed, with an arrow to the unit it goes to.
* A unit never sits above the unit it is under: when a unit's own level would put it higher (a
  strategic unit under an operational one), it is drawn in its parent's band.

Everything the user typed is escaped; characters XML cannot hold are dropped, so the drawing is
always well-formed XML, inline in a page or downloaded as a file. The drawing reads only the units
it is given (with ``holder`` selected): it issues no query of its own."""

import re
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _

from .constants import OrgLevel
from .models import OrgUnit

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

BOX_WIDTH = 200
BOX_HEIGHT = 64
H_GAP = 24
V_GAP = 40
BAND_PADDING = 12
BAND_GAP = 8
GUTTER = 160  # the band's name and description, left of the tree: no line crosses them
GUTTER_CHARS = 24
MARGIN = 16
LEGEND_HEIGHT = 64
MIN_WIDTH = 640
NAME_CHARS = 24  # bold 12 px in a box of 200 units, up to two lines
HOLDER_CHARS = 30
LINE_HEIGHT = 15

LEVELS = [OrgLevel.STRATEGIC, OrgLevel.LINKING, OrgLevel.OPERATIONAL]
BAND_FILL = {
    OrgLevel.STRATEGIC: "#e3edf3",
    OrgLevel.LINKING: "#fff4d6",
    OrgLevel.OPERATIONAL: "#e6f4ea",
}
INK = "#1b1f23"
MUTED = "#545d66"
BRAND = "#0b4f6c"
ACCENT = "#b3541e"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', sans-serif"

# XML 1.0 cannot hold these, even escaped: a name pasted with a control character must not break
# the drawing.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _level_index(unit: OrgUnit) -> int:
    try:
        return LEVELS.index(unit.level)
    except ValueError:
        return len(LEVELS) - 1


def band_description(level: str) -> str:
    return {
        OrgLevel.STRATEGIC: _("mayor, college, core group"),
        OrgLevel.LINKING: _("the coordinator, the link between both levels"),
        OrgLevel.OPERATIONAL: _("project leaders, working groups, departments"),
    }.get(level, "")


# --- The tree ----------------------------------------------------------------------------------


@dataclass
class OutlineEntry:
    """One unit of the tree as a nested list: ``opens`` when units follow under it, ``closes``
    the number of nested lists that end after it."""

    unit: OrgUnit
    depth: int
    opens: bool = False
    closes: range = field(default_factory=lambda: range(0))
    direct_line_to: OrgUnit | None = None


class OrgTree:
    """The units as a tree: roots and each unit's units, in their order. A cycle (which the
    model refuses, but the data might still hold) is cut where it is found."""

    def __init__(self, units):
        self.units = sorted(units, key=lambda u: (u.order, u.name.casefold(), u.pk or 0))
        self.by_pk = {unit.pk: unit for unit in self.units}
        self.children = defaultdict(list)
        self.roots = []
        for unit in self.units:
            if unit.parent_id in self.by_pk and unit.parent_id != unit.pk:
                self.children[unit.parent_id].append(unit)
            else:
                self.roots.append(unit)
        self.parent_of = {}
        self.order = []  # depth first, as the list shows the units
        seen = set()
        for root in self.roots:
            self._walk(root, None, seen)
        for unit in self.units:  # in a cycle: no root reaches it
            if unit.pk not in seen:
                self.roots.append(unit)
                self._walk(unit, None, seen)

    def _walk(self, root, parent, seen):
        stack = [(root, parent)]
        while stack:
            unit, parent = stack.pop()
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            self.parent_of[unit.pk] = parent
            self.order.append(unit)
            stack.extend((child, unit) for child in reversed(self.children[unit.pk]))

    def kids(self, unit) -> list[OrgUnit]:
        """The units drawn under ``unit`` (cut cycles left out)."""
        return [c for c in self.children[unit.pk] if self.parent_of.get(c.pk) is unit]

    def depth(self, unit) -> int:
        depth, parent = 0, self.parent_of.get(unit.pk)
        while parent is not None:
            depth += 1
            parent = self.parent_of.get(parent.pk)
        return depth

    def descendants(self, unit) -> set[int]:
        found, todo = set(), [unit]
        while todo:
            for child in self.kids(todo.pop()):
                found.add(child.pk)
                todo.append(child)
        return found

    def outline(self) -> list[OutlineEntry]:
        depths = {}
        for unit in self.order:
            parent = self.parent_of[unit.pk]
            depths[unit.pk] = 0 if parent is None else depths[parent.pk] + 1
        entries = [
            OutlineEntry(
                unit, depths[unit.pk], direct_line_to=self.by_pk.get(unit.direct_line_to_id)
            )
            for unit in self.order
        ]
        for index, entry in enumerate(entries):
            following = entries[index + 1].depth if index + 1 < len(entries) else 0
            entry.opens = following > entry.depth
            entry.closes = range(max(entry.depth - following, 0))
        return entries


# --- The layout --------------------------------------------------------------------------------


@dataclass
class Box:
    unit: OrgUnit
    row: int
    band: int
    x: float = 0.0  # centre
    y: float = 0.0  # top

    @property
    def left(self):
        return self.x - BOX_WIDTH / 2

    @property
    def right(self):
        return self.x + BOX_WIDTH / 2

    @property
    def bottom(self):
        return self.y + BOX_HEIGHT

    @property
    def middle(self):
        return self.y + BOX_HEIGHT / 2


@dataclass
class Layout:
    boxes: dict[int, Box]
    tree: OrgTree
    width: float
    height: float
    bands: list[tuple[int, float, float]]  # (band index, top, bottom)
    legend_top: float
    row_top: dict[int, float]


def layout(units) -> Layout:
    tree = OrgTree(units)
    boxes: dict[int, Box] = {}

    # Rows: each unit in its band (never above its parent's), one row deeper than its parent
    # within the band; a staff function on its parent's row when they share the band.
    local = {}
    for unit in tree.order:
        parent = tree.parent_of[unit.pk]
        band = _level_index(unit)
        if parent is None:
            local[unit.pk] = 0
        else:
            parent_box = boxes[parent.pk]
            band = max(band, parent_box.band)
            if band != parent_box.band:
                local[unit.pk] = 0
            else:
                local[unit.pk] = local[parent.pk] + (0 if unit.is_staff else 1)
        boxes[unit.pk] = Box(unit, row=0, band=band)
    rows_in_band = [0] * len(LEVELS)
    for pk, box in boxes.items():
        rows_in_band[box.band] = max(rows_in_band[box.band], local[pk] + 1)
    first_row = [sum(rows_in_band[:band]) for band in range(len(LEVELS))]
    for pk, box in boxes.items():
        box.row = first_row[box.band] + local[pk]

    # Vertical positions: a band is a header and its rows.
    row_top, bands, y = {}, [], MARGIN
    for band, count in enumerate(rows_in_band):
        if not count:
            continue
        top = y
        y += BAND_PADDING
        for row in range(first_row[band], first_row[band] + count):
            row_top[row] = y
            y += BOX_HEIGHT + V_GAP
        y += BAND_PADDING - V_GAP
        bands.append((band, top, y))
        y += BAND_GAP
    for box in boxes.values():
        box.y = row_top[box.row]

    # Horizontal positions: a tidy tree, every subtree in its own slot.
    def place(unit) -> tuple[float, dict[int, float]]:
        box = boxes[unit.pk]
        kids = tree.kids(unit)
        below = [c for c in kids if not c.is_staff]
        staff = [c for c in kids if c.is_staff]
        placed: dict[int, float] = {}
        cursor = 0.0
        for child in below:
            width, positions = place(child)
            placed.update({pk: x + cursor for pk, x in positions.items()})
            cursor += width + H_GAP
        span = cursor - H_GAP if below else 0.0
        centre = span / 2 if below else BOX_WIDTH / 2
        left, right = min(0.0, centre - BOX_WIDTH / 2), max(span, centre + BOX_WIDTH / 2)
        beside = [s for s in staff if boxes[s.pk].row == box.row and not tree.kids(s)]
        x = centre + BOX_WIDTH / 2 + H_GAP
        for unit_beside in beside:
            placed[unit_beside.pk] = x + BOX_WIDTH / 2
            x += BOX_WIDTH + H_GAP
            right = max(right, x - H_GAP)
        cursor = right + H_GAP
        for other in staff:
            if other in beside:
                continue
            width, positions = place(other)
            placed.update({pk: px + cursor for pk, px in positions.items()})
            cursor += width + H_GAP
            right = cursor - H_GAP
        placed[unit.pk] = centre
        return right - left, {pk: x - left for pk, x in placed.items()}

    cursor = MARGIN + GUTTER
    for root in tree.roots:
        width, positions = place(root)
        for pk, x in positions.items():
            boxes[pk].x = x + cursor
        cursor += width + H_GAP
    width = max(cursor - H_GAP + MARGIN, MIN_WIDTH)
    legend_top = y + BAND_GAP
    return Layout(boxes, tree, width, legend_top + LEGEND_HEIGHT, bands, legend_top, row_top)


# --- Drawing -----------------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _edge_point(box: Box, towards_x: float, towards_y: float) -> tuple[float, float]:
    """Where the line from the box's centre towards a point leaves the box."""
    cx, cy = box.x, box.middle
    dx, dy = towards_x - cx, towards_y - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scales = []
    if dx:
        scales.append((BOX_WIDTH / 2) / abs(dx))
    if dy:
        scales.append((BOX_HEIGHT / 2) / abs(dy))
    scale = min(min(scales), 1.0)
    return cx + dx * scale, cy + dy * scale


def unit_summary(unit: OrgUnit) -> str:
    """One sentence about a unit, for its tooltip and the drawing's description."""
    parts = [unit.name]
    if unit.holder_id:
        parts.append(_("held by %(holder)s") % {"holder": unit.holder.name})
    parts.append(str(unit.get_level_display()))
    if unit.is_staff:
        parts.append(_("staff function"))
    return ", ".join(parts)


def organogram_svg(
    units,
    *,
    title: str,
    id_prefix: str = "organogram",
    described_by: str = "",
    standalone: bool = False,
) -> str:
    """The organogram as an SVG document (``standalone``: with the XML declaration, for the
    download) or an element to put in a page. ``described_by`` names more ids of the page that
    describe the drawing (the list of units)."""
    plan = layout(units)
    boxes, tree = plan.boxes, plan.tree
    p = escape(id_prefix)
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    described = f"{p}-desc" + (f" {escape(described_by)}" if described_by else "")
    out.append(
        f'<svg xmlns="{SVG_NAMESPACE}" version="1.1" class="organogram" role="img" '
        f'viewBox="0 0 {_num(plan.width)} {_num(plan.height)}" '
        f'width="{_num(plan.width)}" height="{_num(plan.height)}" '
        f'aria-labelledby="{p}-title" aria-describedby="{described}" '
        f'font-family="{escape(FONT)}" font-size="12" fill="{INK}">'
    )
    out.append(f'<title id="{p}-title">{_text(title)}</title>')
    out.append(f'<desc id="{p}-desc">{_text(_description(tree, boxes))}</desc>')
    out.append(
        "<defs>"
        f'<marker id="{p}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{ACCENT}"/></marker>'
        "</defs>"
    )
    out.append('<rect class="paper" x="0" y="0" width="100%" height="100%" fill="#ffffff"/>')

    for band, top, bottom in plan.bands:
        level = LEVELS[band]
        parts = [
            f'<g class="band band-{level}">'
            f'<rect x="{_num(MARGIN / 2)}" y="{_num(top)}" width="{_num(plan.width - MARGIN)}" '
            f'height="{_num(bottom - top)}" rx="6" fill="{BAND_FILL[level]}"/>'
            f'<text x="{_num(MARGIN)}" y="{_num(top + 22)}" font-size="13" font-weight="700">'
            f"{_text(level.label)}</text>"
        ]
        description = textwrap.wrap(band_description(level), GUTTER_CHARS, max_lines=3)
        for index, line in enumerate(description):
            parts.append(
                f'<text x="{_num(MARGIN)}" y="{_num(top + 40 + index * LINE_HEIGHT)}" '
                f'font-size="11" fill="{MUTED}">{_text(line)}</text>'
            )
        parts.append("</g>")
        out.append("".join(parts))

    if not boxes:
        out.append(
            f'<text x="{_num(MARGIN)}" y="{_num(MARGIN + 24)}" font-size="14">'
            f"{_text(_('The organogram has no units yet.'))}</text>"
        )

    out.append(f'<g class="lines" fill="none" stroke="{BRAND}" stroke-width="1.5">')
    for unit in tree.order:
        box = boxes[unit.pk]
        kids = tree.kids(unit)
        below = [boxes[c.pk] for c in kids if not c.is_staff]
        if below:
            # Half-way to the next row, wherever that row's band begins.
            bar = (box.bottom + plan.row_top[box.row + 1]) / 2
            xs = [b.x for b in below]
            segments = [f"M{_num(box.x)},{_num(box.bottom)} V{_num(bar)}"]
            ends = [*xs, box.x]
            if min(ends) != max(ends):
                segments.append(f"M{_num(min(ends))},{_num(bar)} H{_num(max(ends))}")
            segments.extend(f"M{_num(b.x)},{_num(bar)} V{_num(b.y)}" for b in below)
            out.append(f'<path class="hierarchy" d="{" ".join(segments)}"/>')
        for child in kids:
            if not child.is_staff:
                continue
            staff = boxes[child.pk]
            if staff.row == box.row:
                d = f"M{_num(box.right)},{_num(box.middle)} H{_num(staff.left)}"
            else:
                d = f"M{_num(box.right)},{_num(box.middle)} H{_num(staff.x)} V{_num(staff.y)}"
            out.append(f'<path class="staff-line" d="{d}"/>')
    out.append("</g>")

    out.append(f'<g class="direct-lines" fill="none" stroke="{ACCENT}" stroke-width="2">')
    for unit in tree.order:
        target = boxes.get(unit.direct_line_to_id)
        if target is None or target.unit.pk == unit.pk:
            continue
        source = boxes[unit.pk]
        x1, y1 = _edge_point(source, target.x, target.middle)
        x2, y2 = _edge_point(target, source.x, source.middle)
        label = _("Direct line from %(from)s to %(to)s") % {
            "from": unit.name,
            "to": target.unit.name,
        }
        out.append(
            f'<path class="direct-line" d="M{_num(x1)},{_num(y1)} L{_num(x2)},{_num(y2)}" '
            f'stroke-dasharray="7 5" marker-end="url(#{p}-arrow)"><title>{_text(label)}</title>'
            "</path>"
        )
    out.append("</g>")

    out.append('<g class="units">')
    for unit in tree.order:
        out.append(_box(boxes[unit.pk], p))
    out.append("</g>")
    out.append(_legend(plan, p))
    out.append("</svg>")
    return "".join(out)


def _box(box: Box, p: str) -> str:
    unit = box.unit
    lines = textwrap.wrap(unit.name, NAME_CHARS, max_lines=2, placeholder="…") or [""]
    holder = ""
    if unit.holder_id:
        holder = " ".join(
            textwrap.wrap(unit.holder.name, HOLDER_CHARS, max_lines=1, placeholder="…")
        )
    parts = [
        f'<g class="unit{" staff" if unit.is_staff else ""}" id="{p}-unit-{unit.pk}">',
        f"<title>{_text(unit_summary(unit))}</title>",
        f'<rect x="{_num(box.left)}" y="{_num(box.y)}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" '
        f'rx="4" fill="#ffffff" stroke="{BRAND}" stroke-width="1.5"/>',
    ]
    if unit.is_staff:  # a double border: the legend names it
        parts.append(
            f'<rect x="{_num(box.left + 3)}" y="{_num(box.y + 3)}" width="{BOX_WIDTH - 6}" '
            f'height="{BOX_HEIGHT - 6}" rx="3" fill="none" stroke="{BRAND}" stroke-width="1"/>'
        )
    count = len(lines) + (1 if holder else 0)
    baseline = box.y + (BOX_HEIGHT - count * LINE_HEIGHT) / 2 + 11
    for index, line in enumerate(lines):
        parts.append(
            f'<text x="{_num(box.x)}" y="{_num(baseline + index * LINE_HEIGHT)}" '
            f'text-anchor="middle" font-weight="700">{_text(line)}</text>'
        )
    if holder:
        parts.append(
            f'<text x="{_num(box.x)}" y="{_num(baseline + len(lines) * LINE_HEIGHT)}" '
            f'text-anchor="middle" font-size="11" fill="{MUTED}">{_text(holder)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _legend(plan: Layout, p: str) -> str:
    y = plan.legend_top + 22
    x = MARGIN
    # Translated outside the f-strings, where makemessages finds them.
    legend, hierarchy, direct = _("Legend"), _("under (hierarchy)"), _("direct line")
    staff = _("staff function, joined from the side")
    return (
        f'<g class="legend" font-size="12">'
        f'<text x="{x}" y="{_num(y - 6)}" font-weight="700">{_text(legend)}</text>'
        f'<path d="M{x},{_num(y + 12)} h36" stroke="{BRAND}" stroke-width="1.5"/>'
        f'<text x="{x + 44}" y="{_num(y + 16)}">{_text(hierarchy)}</text>'
        f'<path d="M{x + 200},{_num(y + 12)} h36" stroke="{ACCENT}" stroke-width="2" '
        f'stroke-dasharray="7 5" marker-end="url(#{p}-arrow)"/>'
        f'<text x="{x + 248}" y="{_num(y + 16)}">{_text(direct)}</text>'
        f'<rect x="{x + 360}" y="{_num(y + 3)}" width="30" height="18" rx="3" fill="#ffffff" '
        f'stroke="{BRAND}" stroke-width="1.5"/>'
        f'<rect x="{x + 363}" y="{_num(y + 6)}" width="24" height="12" rx="2" fill="none" '
        f'stroke="{BRAND}"/>'
        f'<text x="{x + 398}" y="{_num(y + 16)}">'
        f"{_text(staff)}</text>"
        "</g>"
    )


def _description(tree: OrgTree, boxes: dict[int, Box]) -> str:
    if not tree.units:
        return _("The organogram has no units yet.")
    sentences = []
    for band, level in enumerate(LEVELS):
        in_band = [u for u in tree.order if boxes[u.pk].band == band]
        if not in_band:
            continue
        described = []
        for unit in in_band:
            parent = tree.parent_of[unit.pk]
            text = unit_summary(unit)
            if parent is not None:
                text += " " + _("(under %(unit)s)") % {"unit": parent.name}
            described.append(text)
        sentences.append(f"{level.label}: {'; '.join(described)}.")
    lines = [
        _("%(from)s has a direct line to %(to)s.")
        % {"from": unit.name, "to": boxes[unit.direct_line_to_id].unit.name}
        for unit in tree.order
        if unit.direct_line_to_id in boxes and unit.direct_line_to_id != unit.pk
    ]
    return " ".join(sentences + lines)
