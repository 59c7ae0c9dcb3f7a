"""Who changed what: setting the actor on a write, and rendering history records for people.

Services call :func:`record_actor` before saving, so history credits the person who acted (also
outside a request: commands, tasks). Pages call :func:`history_entries` on one page of historical
records; it fetches each record's predecessor in one query, resolves foreign keys in one query per
related model, and diffs neighbours with ``diff_against`` (PITFALLS.md: never ``prev_record`` in a
loop). Values are shown in words: choice labels, names of related objects, dates as Belgians
write them, yes/no."""

import datetime
import decimal
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fields import ChoiceListField

EMPTY = "—"

# One whole sentence per action, so that every language can put the words in its own order.
ACTIONS = {
    "+": ("created", gettext_lazy("%(subject)s: created")),
    "~": ("changed", gettext_lazy("%(subject)s: changed")),
    "-": ("deleted", gettext_lazy("%(subject)s: deleted")),
}


def record_actor(instance: models.Model, user, reason: str = "") -> models.Model:
    """Credit the next save or delete of ``instance`` to ``user``, with a change reason."""
    instance._history_user = user if (user is not None and user.is_authenticated) else None
    instance._change_reason = reason or ""
    return instance


def validated_save(instance: models.Model, by, reason: str) -> models.Model:
    """The write every service ends with: validate, credit ``by`` with ``reason``, save."""
    instance.full_clean()
    record_actor(instance, by, reason)
    instance.save()
    return instance


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str  # "+", "~", "-"
    reason: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_key(self) -> str:
        return ACTIONS[self.action][0]

    @property
    def headline(self) -> str:
        return str(ACTIONS[self.action][1]) % {"subject": self.subject}


def _tracked_fields(record) -> list[models.Field]:
    return [f for f in record.tracked_fields if f.editable and not f.primary_key]


def history_entries(records, *, subject=None, hide=(), known=()) -> list[HistoryEntry]:
    """Turn historical records (one page of them) into entries people can read.

    ``subject(record, display)`` names the object a record is about; ``display(field_name)``
    gives a field's value in words. Defaults to the model's verbose name. ``hide`` names fields
    this reader may not see: they are left out of the changes. ``known``: objects the page has
    loaded already, named without a query when the records mention them."""
    records = list(records)
    if not records:
        return []
    history_model = type(records[0])
    pk_name = history_model.instance_type._meta.pk.attname
    previous = _previous_records(history_model, records, pk_name)
    fields = {f.name: f for f in _tracked_fields(records[0]) if f.name not in hide}
    names = _related_names(fields, [*records, *previous.values()], known)
    people = _people(history_model, records)
    return _entries(records, previous, fields, names, people, subject)


def _entries(records, previous, fields, names, people, subject) -> list[HistoryEntry]:
    history_model = type(records[0])
    entries = []
    for record in records:
        before = previous.get(record.history_id)
        changes = _changes(record, before, fields, names)

        def display(name, _record=record):
            return _display(fields[name], _record, names)

        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=people.get(record.history_user_id) or _("system"),
                action=record.history_type,
                # Services store reasons as English source text: shown in the reader's language.
                reason=_(record.history_change_reason) if record.history_change_reason else "",
                subject=(
                    subject(record, display)
                    if subject
                    else capfirst(str(history_model.instance_type._meta.verbose_name))
                ),
                changes=changes,
            )
        )
    return entries


def _with_predecessors(history_model, records_queryset, ids) -> tuple[list, dict]:
    """The records ``ids`` of ``records_queryset`` (newest first) and each one's predecessor
    (same object, the history row just before), with their users, in one query."""
    pk_name = history_model.instance_type._meta.pk.attname
    older = history_model.objects.filter(
        **{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    predecessor_ids = (
        history_model.objects.filter(history_id__in=ids)
        .annotate(previous_id=Subquery(older.values("history_id")[:1]))
        .values("previous_id")
    )
    wanted = records_queryset.filter(history_id__in=ids).values("history_id")
    rows = list(
        history_model.objects.filter(Q(history_id__in=wanted) | Q(history_id__in=predecessor_ids))
        .select_related("history_user")
        .order_by("history_id")
    )
    ids = set(ids)
    records = [row for row in reversed(rows) if row.history_id in ids]  # newest first
    found = defaultdict(list)  # object pk -> its fetched rows, oldest first
    for row in rows:
        found[getattr(row, pk_name)].append(row)
    return records, _predecessors(records, found, pk_name)


def _predecessors(records, found, pk_name) -> dict[int, models.Model]:
    previous = {}
    for record in records:
        # The predecessor is the newest row of the object older than the record; every fetched
        # row of the object older than the record is at most that one.
        older_rows = [
            r for r in found[getattr(record, pk_name)] if r.history_id < record.history_id
        ]
        if older_rows:
            previous[record.history_id] = older_rows[-1]
    return previous


def _previous_records(history_model, records, pk_name) -> dict[int, models.Model]:
    """Each record's predecessor (same object, the history row just before), in one query: the
    rows whose id is some record's predecessor id, found by a subquery."""
    ids = [r.history_id for r in records]
    older = history_model.objects.filter(
        **{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    predecessor_ids = (
        history_model.objects.filter(history_id__in=ids)
        .annotate(previous_id=Subquery(older.values("history_id")[:1]))
        .values("previous_id")
    )
    found = defaultdict(list)  # object pk -> its fetched rows, oldest first
    for row in history_model.objects.filter(history_id__in=predecessor_ids).order_by("history_id"):
        found[getattr(row, pk_name)].append(row)
    return _predecessors(records, found, pk_name)


def _people(history_model, records) -> dict[int, str]:
    """Who acted: from the records when they were fetched with their user
    (``select_related("history_user")``), else for all records in one query."""
    user_field = history_model._meta.get_field("history_user")
    if all(user_field.is_cached(r) for r in records):
        return {r.history_user_id: str(r.history_user) for r in records if r.history_user_id}
    ids = {r.history_user_id for r in records if r.history_user_id}
    if not ids:
        return {}
    user_model = user_field.related_model
    return {pk: str(user) for pk, user in user_model._default_manager.in_bulk(ids).items()}


def _related_names(fields, records, known=()) -> dict[str, dict]:
    """For every foreign key field, ``{pk: str(object)}`` of the objects the records name."""
    return _names_of(_wanted_names(fields, records), known=known)[0]


def _wanted_names(fields, records) -> dict[str, tuple]:
    """``{field name: (related model, pks the records name)}`` of the foreign key fields."""
    wanted = {}
    for name, f in fields.items():
        if f.is_relation and f.many_to_one:
            pks = {getattr(r, f.attname) for r in records} - {None}
            if pks:
                wanted[name] = (f.related_model, pks)
    return wanted


def _names_of(*wanted_per_source, known=()) -> list[dict[str, dict]]:
    """The names of the related objects several sources' records name: one query per related
    model, whatever the number of sources naming it; none for the ``known`` objects (the page's
    own municipality, plan, ...)."""
    loaded = defaultdict(dict)
    for obj in known:
        loaded[type(obj)][obj.pk] = str(obj)
    pks_of = defaultdict(set)
    for wanted in wanted_per_source:
        for model, pks in wanted.values():
            pks_of[model] |= pks - loaded[model].keys()
    for model, pks in pks_of.items():
        if pks:
            found = model._default_manager.in_bulk(pks)
            loaded[model].update({pk: str(obj) for pk, obj in found.items()})
    return [
        {
            name: {pk: loaded[model][pk] for pk in pks if pk in loaded[model]}
            for name, (model, pks) in wanted.items()
        }
        for wanted in wanted_per_source
    ]


def _changes(record, before, fields, names) -> list[FieldChange]:
    if record.history_type == "-":
        return []
    if before is None:
        return [
            FieldChange(capfirst(str(f.verbose_name)), EMPTY, _display(f, record, names))
            for f in fields.values()
            if not _is_empty(getattr(record, f.attname))
        ]
    changed = set(record.diff_against(before).changed_fields)
    return [  # in the order of the model's fields, as the form shows them
        FieldChange(
            capfirst(str(f.verbose_name)), _display(f, before, names), _display(f, record, names)
        )
        for name, f in fields.items()
        if name in changed
    ]


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _display(f: models.Field, record, names) -> str:
    value = getattr(record, f.attname)
    if _is_empty(value):
        return EMPTY
    if isinstance(f, ChoiceListField):
        return ", ".join(f.labels_for(value))
    if f.is_relation and f.many_to_one:
        return names.get(f.name, {}).get(value) or _("%(id)s (deleted)") % {"id": value}
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, decimal.Decimal | float | int):
        return formats.number_format(value, force_grouping=True)
    if isinstance(value, datetime.datetime | datetime.date):
        return formats.localize(value, use_l10n=True)
    if isinstance(f, models.FileField):
        return posixpath.basename(str(value))
    return str(value)  # whole: a change deep inside a long text must show


@dataclass
class HistorySource:
    """One model's history records that a page shows beside other models' (a meeting with its
    agenda, attendance, decisions and tasks; a plan with its goals and action plans)."""

    records: models.QuerySet
    subject: object = None  # ``subject(record, display)``, as for :func:`history_entries`
    hide: tuple[str, ...] = ()


def merged_timeline(sources: list[HistorySource]) -> models.QuerySet:
    """One timeline over several history tables, newest first: rows of
    ``(history_date, history_id, source index)`` from a single UNION query, so the database
    sorts and a paginator slices it without loading every record."""
    parts = [
        source.records.order_by()
        .annotate(history_source_index=models.Value(index, output_field=models.IntegerField()))
        .values_list("history_date", "history_id", "history_source_index")
        for index, source in enumerate(sources)
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")


def merged_entries(sources: list[HistorySource], rows, known=()) -> list[HistoryEntry]:
    """The entries of one page of :func:`merged_timeline` rows, in its order: one query per
    source on the page (its records with their predecessors and users), and one per model their
    foreign keys name, whatever the number of rows."""
    wanted = defaultdict(list)
    for _when, history_id, index in rows:
        wanted[index].append(history_id)
    loaded = []
    for index, ids in wanted.items():
        source = sources[index]
        history_model = source.records.model
        records, previous = _with_predecessors(history_model, source.records, ids)
        if not records:
            continue
        fields = {f.name: f for f in _tracked_fields(records[0]) if f.name not in source.hide}
        names = _wanted_names(fields, [*records, *previous.values()])
        loaded.append((index, records, previous, fields, names))
    all_names = _names_of(*(names for *_rest, names in loaded), known=known)
    by_key = {}
    for (index, records, previous, fields, _wanted), names in zip(loaded, all_names, strict=True):
        people = _people(type(records[0]), records)
        entries = _entries(records, previous, fields, names, people, sources[index].subject)
        for record, entry in zip(records, entries, strict=True):
            by_key[(index, record.history_id)] = entry
    return [by_key[(index, history_id)] for _when, history_id, index in rows]
