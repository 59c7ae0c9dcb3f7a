from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **params):
    """The query string with some parameters replaced: paging keeps the search and filters."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()
