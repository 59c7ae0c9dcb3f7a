"""Versions of what a page shows, read from history, for caching what is rendered from it.

Every change SafetyNet keeps is a model save or delete that writes a history record, and history
ids only grow: the newest history id of each table a page reads, restricted to what the page
shows, changes whenever anything shown changes. A fragment cached under such a version (and
whatever else varies it: the language, the reader's rights) is never stale, on one server or
many. ``plans.versions`` (a plan's content, its monitor) and ``coregroup.versions`` (the
kerngroep's composition) build their queries with :func:`newest` and run them with
:func:`run_once_compiled`."""

from collections.abc import Callable

from django.db import connections, router
from django.db.models import IntegerField, Max, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

# Stand-ins for the ids in a query compiled once per process and database: building a query of
# a dozen subqueries with the ORM costs more Python (~24 ms for a plan's) than running it.
STAND_INS = (-7_000_001, -7_000_002)
_compiled: dict[tuple, tuple[str, tuple]] = {}


def newest(history, by: str | None = None) -> Coalesce:
    """The newest history id of ``history`` (a filtered history queryset), 0 when none.

    ``by``: the column the filter is an equality on, grouped by so that PostgreSQL aggregates
    over that column's index instead of walking the whole table backwards from the newest id."""
    if by is None:
        history = history.order_by().annotate(_one=Value(1)).values("_one")
    else:
        history = history.order_by().values(by)
    found = history.annotate(m=Max("history_id")).values("m")[:1]
    return Coalesce(Subquery(found), 0, output_field=IntegerField())


def run_once_compiled(key, model, build: Callable[..., QuerySet], *ids: int) -> str:
    """The version that ``build(*ids)`` (a one-row ``values_list`` query on ``model``) reads,
    as text.

    The query is built and compiled once per process, database and ``key``, with the
    :data:`STAND_INS` for ``ids``, then run with the real ids."""
    stand_ins = STAND_INS[: len(ids)]
    alias = router.db_for_read(model)
    if (alias, key) not in _compiled:
        query = build(*stand_ins).query
        _compiled[alias, key] = query.get_compiler(using=alias).as_sql()
    sql, params = _compiled[alias, key]
    real = dict(zip(stand_ins, ids, strict=True))
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [real.get(param, param) for param in params])
        row = cursor.fetchone()
    return "-".join(str(number) for number in row or ())
