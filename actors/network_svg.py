"""The network picture: the municipality's active actors grouped by category and kind, with lines to
the structures they sit in, drawn as server-side SVG (no JavaScript, no chart library).

Two steps, so that the page's text alternative and the picture tell the same thing:
:func:`build_network` turns the actors into a :class:`Network` (groups, structures, links), and
:func:`network_svg` draws it.

Which structures an actor sits in is answered by :func:`structures_of`, with the prefetches it
needs in :func:`structure_prefetches`. Today these are the organogram units an actor holds and the
roles it holds now. The kerngroep, working groups and action plans join as their apps land,
reached through the reverse relations those apps declare on ``Actor``: ``actors`` imports neither
``coregroup`` nor ``plans`` (CONVENTIONS.md, "Which app may use which")."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .constants import ActorCategory, RoleType
from .models import Actor, ActorKind, OrgUnit

# --- Structures --------------------------------------------------------------------------------


class StructureKind(models.TextChoices):
    """What kind of structure an actor sits in; the order is the order of the picture."""

    STRUCTURE = "structure", gettext_lazy("Body")  # the kerngroep, working groups, …
    ACTION_PLAN = "action_plan", gettext_lazy("Action plan")  # of the plan in steering
    ORG_UNIT = "org_unit", gettext_lazy("Organogram unit")
    ROLE = "role", gettext_lazy("Role")


# Roles are drawn as groups of the people holding them, so they are named in the plural.
ROLE_GROUPS = {
    RoleType.REGISSEUR: gettext_lazy("Directors (regisseurs)"),
    RoleType.COORDINATOR: gettext_lazy("Coordinators of integral security"),
    RoleType.CORE_GROUP_MEMBER: gettext_lazy("Core group members"),
    RoleType.PROMOTOR: gettext_lazy("Project leaders (promotors)"),
    RoleType.WORKING_GROUP_MEMBER: gettext_lazy("Working group members"),
    RoleType.OTHER: gettext_lazy("Other roles"),
}
_ROLE_ORDER = {role: position for position, role in enumerate(RoleType.values)}
_KIND_ORDER = {kind: position for position, kind in enumerate(StructureKind.values)}


@dataclass(frozen=True)
class Structure:
    key: str
    label: str
    kind: str
    order: int = 0

    @property
    def kind_label(self) -> str:
        return str(StructureKind(self.kind).label)

    @property
    def sort_key(self):
        return (_KIND_ORDER.get(self.kind, len(_KIND_ORDER)), self.order, self.label.casefold())


def structure_prefetches() -> list:
    """What :func:`structures_of` reads, fetched once for all actors (one query each). The
    current roles come with :func:`actors.selectors.actor_list`."""
    prefetches = [
        Prefetch(
            "org_units",
            queryset=OrgUnit.objects.order_by("order", "name", "pk"),
            to_attr="held_units",
        ),
    ]
    # Higher floors (coregroup, plans) point at actors; their rows are reached through the
    # reverse relation by name, never by importing them (imports go down only).
    seat_holdings = _reverse_model("seat_holdings")
    if seat_holdings is not None:
        prefetches.append(
            Prefetch(
                "seat_holdings",
                queryset=seat_holdings.objects.filter(end__isnull=True).select_related(
                    "seat__core_group"
                ),
                to_attr="current_seats",
            )
        )
    working_group_memberships = _reverse_model("working_group_memberships")
    if working_group_memberships is not None:
        prefetches.append(
            Prefetch(
                "working_group_memberships",
                queryset=working_group_memberships.objects.filter(
                    end__isnull=True, working_group__active=True
                ).select_related("working_group"),
                to_attr="current_working_group_memberships",
            )
        )
    # Action plans of the plans being carried out (in steering), with their promotor and
    # partners: the network as it works now, not every draft's.
    action_plans = _reverse_model("promoted_action_plans")
    partnerships = _reverse_model("partnerships")
    if action_plans is not None and partnerships is not None:
        running = {
            "archived_at__isnull": True,
            "goal__archived_at__isnull": True,
            "goal__plan__state": "steering",
        }
        prefetches += [
            Prefetch(
                "promoted_action_plans",
                queryset=action_plans.objects.filter(**running),
                to_attr="current_action_plans",
            ),
            Prefetch(
                "partnerships",
                queryset=partnerships.objects.filter(
                    **{f"action_plan__{key}": value for key, value in running.items()}
                ).select_related("action_plan"),
                to_attr="current_partnerships",
            ),
        ]
    return prefetches


def _reverse_model(accessor: str):
    for relation in Actor._meta.related_objects:
        if relation.get_accessor_name() == accessor:
            return relation.related_model
    return None


def structures_of(actor: Actor) -> list[Structure]:
    """The structures ``actor`` sits in. Add a structure here (and its prefetch above) when a new
    reverse relation to ``Actor`` appears."""
    found = [
        Structure(f"unit-{unit.pk}", unit.name, StructureKind.ORG_UNIT, unit.order)
        for unit in actor.held_units
    ]
    core_groups = {holding.seat.core_group for holding in getattr(actor, "current_seats", [])}
    for core_group in core_groups:  # the kerngroep, drawn as one body with its members
        found.append(
            Structure(f"coregroup-{core_group.pk}", core_group.name, StructureKind.STRUCTURE, 0)
        )
    working_groups = {
        membership.working_group
        for membership in getattr(actor, "current_working_group_memberships", [])
    }
    for working_group in working_groups:  # after the kerngroep, by name
        found.append(
            Structure(
                f"workinggroup-{working_group.pk}",
                working_group.name,
                StructureKind.STRUCTURE,
                1,
            )
        )
    action_plans = {*getattr(actor, "current_action_plans", [])} | {
        link.action_plan for link in getattr(actor, "current_partnerships", [])
    }
    for action_plan in sorted(action_plans, key=lambda a: (a.title, a.pk)):
        found.append(
            Structure(
                f"actionplan-{action_plan.pk}", action_plan.title, StructureKind.ACTION_PLAN, 0
            )
        )
    for role in sorted({assignment.role for assignment in actor.current_roles}, key=_role_order):
        label = ROLE_GROUPS.get(role) or RoleType(role).label
        found.append(Structure(f"role-{role}", str(label), StructureKind.ROLE, _role_order(role)))
    return found


def _role_order(role: str) -> int:
    return _ROLE_ORDER.get(role, len(_ROLE_ORDER))


# --- The network, as data ----------------------------------------------------------------------


@dataclass
class NetworkActor:
    actor: Actor
    url: str
    structures: list[Structure]

    @property
    def name(self) -> str:
        return self.actor.name


@dataclass
class KindGroup:
    kind: ActorKind
    actors: list[NetworkActor] = field(default_factory=list)


@dataclass
class CategoryGroup:
    category: str
    kinds: list[KindGroup]

    @property
    def label(self) -> str:
        return str(ActorCategory(self.category).label)

    @property
    def actor_count(self) -> int:
        return sum(len(group.actors) for group in self.kinds)


@dataclass
class StructureGroup:
    structure: Structure
    actors: list[NetworkActor]


@dataclass
class Network:
    categories: list[CategoryGroup]
    structures: list[StructureGroup]
    unattached: list[NetworkActor]

    @property
    def actor_count(self) -> int:
        return sum(category.actor_count for category in self.categories)


def build_network(
    actors: Iterable[Actor], kinds: Iterable[ActorKind], actor_url: Callable[[Actor], str]
) -> Network:
    """Group ``actors`` (with :func:`structure_prefetches` and the current roles prefetched) by
    category and kind; ``kinds`` are all kinds, so that kinds without actors show as gaps."""
    groups = {kind.pk: KindGroup(kind) for kind in kinds}
    by_structure: dict[str, StructureGroup] = {}
    unattached = []
    for actor in actors:
        node = NetworkActor(actor, actor_url(actor), structures_of(actor))
        groups.setdefault(actor.kind_id, KindGroup(actor.kind)).actors.append(node)
        for structure in node.structures:
            by_structure.setdefault(structure.key, StructureGroup(structure, [])).actors.append(
                node
            )
        if not node.structures:
            unattached.append(node)
    categories = []
    for category in ActorCategory.values:
        kind_groups = sorted(
            (group for group in groups.values() if group.kind.category == category),
            key=lambda group: (group.kind.order, group.kind.name.casefold()),
        )
        categories.append(CategoryGroup(category, kind_groups))
    structures = sorted(by_structure.values(), key=lambda group: group.structure.sort_key)
    return Network(categories, structures, unattached)


# --- Drawing -----------------------------------------------------------------------------------

MARGIN = 16
REGION_WIDTH = 300
REGION_PADDING = 12
KIND_PADDING = 10
GAP = 110  # between a region and the structures, where the lines run
STRUCTURE_WIDTH = 220
STRUCTURE_HEIGHT = 40
TITLE_HEIGHT = 34
ACTOR_HEIGHT = 26
ACTOR_GAP = 6
LINE_HEIGHT = 16
WIDTH = MARGIN * 2 + REGION_WIDTH * 2 + GAP * 2 + STRUCTURE_WIDTH
ACTOR_WIDTH = REGION_WIDTH - 2 * REGION_PADDING - 2 * KIND_PADDING

COLOURS = {
    "ink": "#1b1f23",
    "muted": "#545d66",
    "paper": "#ffffff",
    "line": "#8a96a3",
    ActorCategory.CORE: ("#e6f0f5", "#0b4f6c"),
    # The region's name is drawn in its border colour: 5.0:1 on its fill (WCAG 1.4.3).
    ActorCategory.CONTRIBUTING: ("#fbefe7", "#a64d1b"),
    StructureKind.STRUCTURE: "#1e6b34",
    StructureKind.ACTION_PLAN: "#5b2a86",
    StructureKind.ORG_UNIT: "#0b4f6c",
    StructureKind.ROLE: "#7a4d00",
}

# Characters XML 1.0 does not allow: a name pasted from elsewhere must not break the picture.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _fit(value: str, width: float, size: float) -> str:
    """``value`` cut with an ellipsis to about ``width`` pixels at font ``size`` (an estimate:
    the picture has no font metrics; the full text is in the element's title)."""
    limit = max(4, int(width / (size * 0.56)))
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _wrap(value: str, width: float, size: float, lines: int = 2) -> list[str]:
    limit = max(4, int(width / (size * 0.56)))
    words, result, current = value.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            result.append(current)
            current = word
    result.append(current)
    if len(result) > lines:
        result = [*result[: lines - 1], " ".join(result[lines - 1 :])]
    return [_fit(line, width, size) for line in result]


@dataclass
class _Placed:
    """Where an actor's box is, and which side its lines leave from."""

    node: NetworkActor
    x: float
    y: float
    side: int  # +1: lines leave on the right (core), -1: on the left (contributing)

    @property
    def anchor(self) -> tuple[float, float]:
        x = self.x + ACTOR_WIDTH if self.side > 0 else self.x
        return x, self.y + ACTOR_HEIGHT / 2


def _kind_height(group: KindGroup, title_lines: int) -> float:
    rows = max(1, len(group.actors))
    return (
        KIND_PADDING * 2
        + title_lines * LINE_HEIGHT
        + 4
        + rows * ACTOR_HEIGHT
        + (rows - 1) * ACTOR_GAP
    )


def _region(category: CategoryGroup, x: float, top: float, side: int, out: list, placed: list):
    """Draw one category's region; returns its height."""
    fill, stroke = COLOURS[category.category]
    body: list[str] = []
    y = top + TITLE_HEIGHT
    for group in category.kinds:
        title = _wrap(group.kind.name, ACTOR_WIDTH, 12)
        height = _kind_height(group, len(title))
        empty = not group.actors
        dashes = ' stroke-dasharray="4 3"' if empty else ""
        body.append(
            f'<g class="network-kind"><title>{_text(group.kind.name)}</title>'
            f'<rect x="{x + REGION_PADDING}" y="{y}" width="{REGION_WIDTH - 2 * REGION_PADDING}" '
            f'height="{height}" rx="6" fill="{COLOURS["paper"]}" stroke="{stroke}" '
            f'stroke-width="1"{dashes}/>'
        )
        text_y = y + KIND_PADDING + 12
        for line in title:
            body.append(
                f'<text x="{x + REGION_PADDING + KIND_PADDING}" y="{text_y}" font-size="12" '
                f'font-weight="700" fill="{COLOURS["ink"]}">{_text(line)}</text>'
            )
            text_y += LINE_HEIGHT
        row_y = y + KIND_PADDING + len(title) * LINE_HEIGHT + 4
        actor_x = x + REGION_PADDING + KIND_PADDING
        if empty:
            body.append(
                f'<text x="{actor_x}" y="{row_y + 17}" font-size="12" font-style="italic" '
                f'fill="{COLOURS["muted"]}">{_text(_("No active actor yet"))}</text>'
            )
        for node in group.actors:
            placed.append(_Placed(node, actor_x, row_y, side))
            row_y += ACTOR_HEIGHT + ACTOR_GAP
        body.append("</g>")
        y += height + 10
    height = max(y - top, TITLE_HEIGHT + 20)
    out.append(
        f'<g class="network-region network-{category.category}">'
        f'<rect x="{x}" y="{top}" width="{REGION_WIDTH}" height="{height}" rx="10" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        f'<text x="{x + REGION_PADDING}" y="{top + 22}" font-size="14" font-weight="700" '
        f'fill="{stroke}">{_text(_fit(category.label, REGION_WIDTH - 2 * REGION_PADDING, 14))}'
        f"</text>"
    )
    out.extend(body)
    out.append("</g>")
    return height


def _actor(placed: _Placed) -> str:
    node, x, y = placed.node, placed.x, placed.y
    label = _fit(node.name, ACTOR_WIDTH - 16, 13)
    tooltip = f"{node.name} · {node.actor.kind.name}"
    # Not in the tab order: the list under the picture carries the same links for keyboards.
    # The picture is a group (not role="img", whose content is presentational: links in it could
    # still be reached by assistive technology without being announced as links).
    return (
        f'<a href="{_text(node.url)}" class="network-actor" tabindex="-1">'
        f"<title>{_text(tooltip)}</title>"
        f'<rect x="{x}" y="{y}" width="{ACTOR_WIDTH}" height="{ACTOR_HEIGHT}" rx="4" '
        f'fill="{COLOURS["paper"]}" stroke="{COLOURS["muted"]}" stroke-width="1"/>'
        f'<text x="{x + 8}" y="{y + 17}" font-size="13" fill="#0b4f6c" '
        f'text-decoration="underline">{_text(label)}</text></a>'
    )


def _structure(group: StructureGroup, x: float, y: float) -> str:
    structure = group.structure
    colour = COLOURS.get(structure.kind, COLOURS["muted"])
    count = ngettext("%(count)d actor", "%(count)d actors", len(group.actors)) % {
        "count": len(group.actors)
    }
    return (
        f'<g class="network-structure network-{structure.kind}">'
        f"<title>{_text(structure.label)} ({_text(structure.kind_label)}, {_text(count)})</title>"
        f'<rect x="{x}" y="{y}" width="{STRUCTURE_WIDTH}" height="{STRUCTURE_HEIGHT}" rx="6" '
        f'fill="{COLOURS["paper"]}" stroke="{colour}" stroke-width="2"/>'
        f'<text x="{x + 8}" y="{y + 14}" font-size="10" fill="{COLOURS["muted"]}">'
        f"{_text(_fit(structure.kind_label + ' · ' + count, STRUCTURE_WIDTH - 16, 10))}</text>"
        f'<text x="{x + 8}" y="{y + 31}" font-size="13" font-weight="700" fill="{colour}">'
        f"{_text(_fit(structure.label, STRUCTURE_WIDTH - 16, 13))}</text></g>"
    )


def network_svg(network: Network, *, title: str, standalone: bool = False) -> str:
    """The picture as an SVG document (``standalone``: with the XML declaration, to be served as
    a file) or as an element to put inline in a page."""
    core, contributing = network.categories
    top = MARGIN + TITLE_HEIGHT
    left_x = MARGIN
    structures_x = MARGIN + REGION_WIDTH + GAP
    right_x = structures_x + STRUCTURE_WIDTH + GAP

    regions: list[str] = []
    placed: list[_Placed] = []
    core_height = _region(core, left_x, top, +1, regions, placed)
    contributing_height = _region(contributing, right_x, top, -1, regions, placed)

    count = len(network.structures)
    needed = count * (STRUCTURE_HEIGHT + 12)
    content_height = max(core_height, contributing_height, needed, 60)
    # Spread the structures over the height of the regions, so lines fan out evenly.
    step = content_height / count if count else 0
    structure_boxes: dict[str, tuple[float, float]] = {}
    structures: list[str] = []
    for index, group in enumerate(network.structures):
        y = top + TITLE_HEIGHT + index * step + max(0, (step - STRUCTURE_HEIGHT) / 2)
        structure_boxes[group.structure.key] = (structures_x, y)
        structures.append(_structure(group, structures_x, y))

    lines: list[str] = []
    for box in placed:
        ax, ay = box.anchor
        for structure in box.node.structures:
            sx, sy = structure_boxes[structure.key]
            bx = sx if box.side > 0 else sx + STRUCTURE_WIDTH
            by = sy + STRUCTURE_HEIGHT / 2
            bend = (bx - ax) / 2
            colour = COLOURS.get(structure.kind, COLOURS["line"])
            lines.append(
                f'<path d="M{ax:.1f},{ay:.1f} C{ax + bend:.1f},{ay:.1f} {bx - bend:.1f},{by:.1f} '
                f'{bx:.1f},{by:.1f}" fill="none" stroke="{colour}" stroke-opacity="0.45" '
                f'stroke-width="1.5"/>'
            )

    height = top + TITLE_HEIGHT + content_height + MARGIN
    description = _description(network)
    # Translated outside the f-strings, where makemessages finds them.
    structures_heading, no_structure = _("Structures"), _("No actor sits in a structure yet")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-svg" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" width="{WIDTH}" height="{height:.0f}" role="group" '
        f'aria-labelledby="network-title" aria-describedby="network-desc" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="network-title">{_text(title)}</title>',
        f'<desc id="network-desc">{_text(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="{COLOURS["paper"]}"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 16}" font-size="16" font-weight="700" '
        f'fill="{COLOURS["ink"]}">{_text(_fit(title, WIDTH - 2 * MARGIN, 16))}</text>',
        f'<text x="{structures_x}" y="{top + 22}" font-size="14" font-weight="700" '
        f'fill="{COLOURS["ink"]}">{_text(structures_heading)}</text>',
    ]
    if not network.structures:
        parts.append(
            f'<text x="{structures_x}" y="{top + TITLE_HEIGHT + 16}" font-size="12" '
            f'font-style="italic" fill="{COLOURS["muted"]}">'
            f"{_text(no_structure)}</text>"
        )
    # Lines over the regions, under the boxes they join.
    parts += [*regions, '<g class="network-lines">', *lines, "</g>", *structures]
    parts += ['<g class="network-actors">', *(_actor(box) for box in placed), "</g>", "</svg>"]
    svg = "\n".join(parts)
    if standalone:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
    return svg


def _description(network: Network) -> str:
    core, contributing = network.categories
    actors = ngettext("%(count)d active actor", "%(count)d active actors", network.actor_count) % {
        "count": network.actor_count
    }
    structures = ngettext(
        "%(count)d structure", "%(count)d structures", len(network.structures)
    ) % {"count": len(network.structures)}
    return _(
        "%(actors)s: %(core)d where security is a central task (left), %(contributing)d that "
        "contribute (right), grouped by kind. Lines link each actor to the %(structures)s it "
        "sits in (middle): organogram units and roles."
    ) % {
        "actors": actors,
        "core": core.actor_count,
        "contributing": contributing.actor_count,
        "structures": structures,
    }
