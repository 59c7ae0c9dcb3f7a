from django import template

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
