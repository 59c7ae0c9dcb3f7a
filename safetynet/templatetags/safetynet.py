from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **params):
    """The current query string with some parameters replaced (keeps search and filters on paging)."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()
