"""The editing controls of a plan's items (edit, move up/down, remove, add), as Python.

A plan of 200 action plans shows about 2,000 items to its coordinator, each with its controls:
as an included template they cost four ``{% url %}`` reversals, two CSRF tokens and a dozen
translations per item — two thirds of the page's time (bench/README.md). Here each address is
reversed once per kind and page and completed with the item's id, and the labels are looked up
once per page.

The move and remove buttons carry no form and no CSRF token of their own: they submit the page's
one form ``#plan-items`` (``form=``) to their own address (``formaction=``), so that the rendered
content, cached for every reader with the same rights (plan_detail.html), holds nothing of one
session. They have no ``type`` (a button submits by default) and no class (``.item-actions
button`` styles them as links): a plan of 200 action plans repeats them 4,000 times."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()

# Reversed in place of an item's id, then replaced by it: a number no id of these pages reaches
# before the address's last segment is cut at it.
_PLACEHOLDER = 2_147_000_001
# The page's form the buttons submit (plan_detail.html).
FORM = "plan-items"


class _Page:
    """What every item of one rendering shares: address patterns and labels."""

    def __init__(self, context):
        self.kwargs = {"municipality": context["municipality"].slug, "pk": context["plan"].pk}
        self.patterns: dict[tuple[str, str], tuple[str, str]] = {}
        self.edit = gettext("Edit")
        self.up = gettext("Move up")
        self.down = gettext("Move down")
        self.remove = gettext("Remove")

    def url(self, name: str, kind: str, item_id: int | None = None) -> str:
        key = (name, kind)
        if key not in self.patterns:
            kwargs = {**self.kwargs, "kind": kind}
            if item_id is not None:
                kwargs["item"] = _PLACEHOLDER
            address = reverse(name, kwargs=kwargs)
            head, _, tail = (
                address.rpartition(str(_PLACEHOLDER)) if item_id is not None else (address, "", "")
            )
            self.patterns[key] = (head, tail)
        head, tail = self.patterns[key]
        return f"{head}{item_id}{tail}" if item_id is not None else head


def _page(context) -> _Page:
    """Kept on the request: each ``{% include %}`` has a render context of its own."""
    request = context.get("request")
    holder = request.__dict__ if request is not None else context.render_context
    pages = holder.setdefault("_plan_item_pages", {})
    key = (context["municipality"].slug, context["plan"].pk)
    if key not in pages:
        pages[key] = _Page(context)
    return pages[key]


@register.simple_tag(takes_context=True)
def item_actions(context, kind: str, item, label) -> str:
    """Edit, move up/down and (while the plan is editable) remove, for one item."""
    page = _page(context)
    remove = ""
    if context.get("removable"):
        remove = format_html(
            '<button form="{form}" formaction="{url}">{remove}'
            '<span class="visually-hidden"> · {label}</span></button>',
            form=FORM,
            url=page.url("plans:item-remove", kind, item.pk),
            remove=page.remove,
            label=label,
        )
    return format_html(
        '<span class="item-actions">'
        '<a href="{edit_url}">{edit}<span class="visually-hidden"> · {label}</span></a>'
        '<button form="{form}" formaction="{move_url}" name="direction" value="up"'
        ' title="{up}">↑<span class="visually-hidden"> {up} · {label}</span></button>'
        '<button form="{form}" formaction="{move_url}" name="direction" value="down"'
        ' title="{down}">↓'
        '<span class="visually-hidden"> {down} · {label}</span></button>{remove}</span>',
        edit_url=page.url("plans:item-edit", kind, item.pk),
        move_url=page.url("plans:item-move", kind, item.pk),
        form=FORM,
        edit=page.edit,
        up=page.up,
        down=page.down,
        label=label,
        remove=remove,
    )


@register.simple_tag(takes_context=True)
def item_add_url(context, kind: str) -> str:
    """The address that adds an item of ``kind`` to the plan (the template appends ?parent=)."""
    return _page(context).url("plans:item-add", kind)
