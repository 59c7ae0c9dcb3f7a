import datetime

from django import template

from safetynet.registry import page_links

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **params):
    """The query string with some parameters replaced: paging keeps the search and filters."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


@register.filter
def has_required_field(form) -> bool:
    return any(field.field.required for field in form.visible_fields())


@register.simple_tag(takes_context=True)
def links_at(context, slot: str):
    """The links other apps put at ``slot`` of this page, as ``(label, url)``, for this user
    in this municipality (see ``safetynet.registry.PageLink``)."""
    return page_links(slot, context["request"].user, context["municipality"])


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None: for dictionaries built by a view."""
    return mapping.get(key) if mapping else None


@register.filter
def isodate(value):
    """A date stored as ISO text (a stored snapshot) as a date object, for the ``date`` filter;
    anything else unchanged."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value
