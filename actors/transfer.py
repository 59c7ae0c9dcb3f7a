"""Import and export of the actor list, as CSV or Excel (XLSX).

The export writes the actor list with the list's filters; the import reads the same columns back.
An import is all or nothing: every row is validated through the services (so through the model's
``full_clean``), the errors are reported by row and column, and when any row fails nothing is
stored. Actors are matched by their external key, so importing a file again updates the actors it
made instead of adding them twice; that is why every imported row needs an external key. An actor
made in SafetyNet has no external key of its own: the export names it ``safetynet:<id>``, and an
import recognises that key as the same actor."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safetynet.concurrency import lock_row
from safetynet.models import Municipality

from .constants import ActorCategory, ActorForm
from .models import Actor, ActorKind
from .selectors import kinds_for
from .services import actor_create, actor_set_active, actor_update

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # each row is validated and saved through the services: keep a request bounded
MAX_XLSX_UNPACKED = 50 * 1024 * 1024  # a small zip may unpack to a huge sheet
SAFETYNET_KEY = re.compile(r"^safetynet:(\d+)$", re.IGNORECASE)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    code: str
    label: str  # lazy: the header in the reader's language
    aliases: tuple[str, ...] = ()  # more header names that are accepted (Dutch, French)
    required: bool = False

    @property
    def header(self) -> str:
        return str(self.label)


COLUMNS = (
    Column(
        "external_key",
        gettext_lazy("External key"),
        ("externe sleutel", "clé externe", "sleutel"),
        required=True,
    ),
    Column("name", gettext_lazy("Name"), ("naam", "nom"), required=True),
    Column(
        "form",
        gettext_lazy("Organisation or person"),
        ("organisatie of persoon", "organisation ou personne", "vorm", "forme"),
        required=True,
    ),
    Column(
        "kind",
        gettext_lazy("Kind code"),
        ("soort", "code soort", "type", "code type", "kind"),
        required=True,
    ),
    Column("category", gettext_lazy("Category"), ("categorie", "catégorie")),
    Column("organisation", gettext_lazy("Organisation"), ("organisatie", "organization")),
    Column("function_title", gettext_lazy("Function"), ("functie", "fonction")),
    Column(
        "email",
        gettext_lazy("E-mail"),
        ("e-mailadres", "email", "courriel", "adresse e-mail", "e-mail address"),
    ),
    Column("phone", gettext_lazy("Telephone"), ("telefoon", "téléphone", "phone")),
    Column("website", gettext_lazy("Website"), ("site web", "site internet")),
    Column("address", gettext_lazy("Address"), ("adres", "adresse")),
    Column("active", gettext_lazy("Active"), ("actief", "actif")),
    Column("notes", gettext_lazy("Notes"), ("notities", "opmerkingen", "remarques")),
)
COLUMNS_BY_CODE = {column.code: column for column in COLUMNS}
_COLUMN_ORDER = {column.code: position for position, column in enumerate(COLUMNS)}
TEXT_FIELDS = ("name", "function_title", "email", "phone", "website", "address", "notes")

# Values accepted besides the codes and their translated labels (whatever the catalogues hold).
FORM_ALIASES = {
    "organisatie": ActorForm.ORGANISATION,
    "organization": ActorForm.ORGANISATION,
    "persoon": ActorForm.PERSON,
    "personne": ActorForm.PERSON,
}
CATEGORY_ALIASES = {
    "kern": ActorCategory.CORE,
    "central": ActorCategory.CORE,
    "bijdragend": ActorCategory.CONTRIBUTING,
    "contributif": ActorCategory.CONTRIBUTING,
}
# Texts for the "Active" column besides the translated yes/no.
YES = {"yes", "ja", "oui", "true", "waar", "vrai", "1", "x", "y", "j", "o"}
NO = {"no", "nee", "non", "false", "onwaar", "faux", "0", "n"}

# A cell a spreadsheet would run as a formula (CSV injection): these first characters make Excel
# or LibreOffice evaluate it, so the export puts an apostrophe in front, and the import takes it
# off again (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _dangerous(value: str) -> bool:
    if value.startswith(FORMULA_START):
        return True
    # An apostrophe already in front is doubled, so that the import restores the value exactly.
    return value.startswith("'") and _dangerous(value[1:])


def defuse(value: str) -> str:
    return "'" + value if _dangerous(value) else value


def undefuse(value: str) -> str:
    return value[1:] if value.startswith("'") and _dangerous(value[1:]) else value


# --- Export ------------------------------------------------------------------------------------


def actor_key(actor: Actor) -> str:
    """The key under which an actor is exported and found again by an import."""
    return actor.external_key or f"safetynet:{actor.pk}"


def export_rows(actors: Iterable[Actor], municipality: Municipality) -> Iterator[list[str]]:
    """The header and one row per actor (with ``kind`` and ``organisation`` selected)."""
    # An organisation is named by its name, unless another organisation has the same name.
    shared_names = set(
        Actor.objects.filter(municipality=municipality, form=ActorForm.ORGANISATION)
        .values("name")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("name", flat=True)
    )
    yes, no = _("yes"), _("no")
    yield [column.header for column in COLUMNS]
    for actor in actors:
        organisation = actor.organisation
        if organisation is None:
            organisation_ref = ""
        elif organisation.name in shared_names:
            organisation_ref = actor_key(organisation)
        else:
            organisation_ref = organisation.name
        values = {
            "external_key": actor_key(actor),
            "name": actor.name,
            "form": actor.form,
            "kind": actor.kind.code,
            "category": actor.kind.category,
            "organisation": organisation_ref,
            "function_title": actor.function_title,
            "email": actor.email,
            "phone": actor.phone,
            "website": actor.website,
            "address": actor.address,
            "active": yes if actor.active else no,
            "notes": actor.notes,
        }
        yield [defuse(values[column.code]) for column in COLUMNS]


def export_csv(rows: Iterable[list[str]]) -> bytes:
    # UTF-8 with a byte order mark, or Excel reads the accents as Windows-1252; and ";" between
    # the values, the list separator of Excel in Belgian (and most European) locales, where the
    # comma is the decimal separator: a comma-separated file would open as one column.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(rows: Iterable[list[str]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    rows = iter(rows)
    header = []
    for value in next(rows):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # Characters a workbook cannot hold (control characters) are left out.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Actors"


# --- Reading a file ----------------------------------------------------------------------------


class FileRefused(Exception):
    """The file as a whole cannot be read: too large, of the wrong type, or unreadable."""


def read_table(data: bytes) -> list[list]:
    """The rows of a CSV or XLSX file, judged by its content, not by its name."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    not_a_workbook = FileRefused(
        _("The file is neither a CSV file nor an Excel workbook (XLSX) that can be read.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise not_a_workbook from None
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise not_a_workbook
    if sum(entry.file_size for entry in entries) > MAX_XLSX_UNPACKED:
        raise FileRefused(_("The workbook is too large once unpacked."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise not_a_workbook from None
    try:
        rows = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception:
        raise not_a_workbook from None
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[list]:
    if b"\x00" in data:
        raise FileRefused(
            _("The file is neither a CSV file nor an Excel workbook (XLSX) that can be read.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" (not "CSV UTF-8") is saved in Windows-1252 in Belgium.
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count) if first_line else ";"
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except csv.Error as error:
        raise FileRefused(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return undefuse(str(value).strip())


# --- Import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: a row as numbered in the spreadsheet (the header is row 1) and a column, the
    whole row (no column), or the file as a whole (no row)."""

    row: int | None
    code: str  # the column's code, "" for the whole row or file
    message: str
    header: str = ""  # for a column of the file that is not one of ours

    @property
    def column(self) -> str:
        if self.code in COLUMNS_BY_CODE:
            return COLUMNS_BY_CODE[self.code].header
        return self.header

    @property
    def sort_key(self):
        return (self.row or 0, _COLUMN_ORDER.get(self.code, -1))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def file_errors(self) -> list[RowError]:
        return [error for error in self.errors if error.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [error for error in self.errors if error.row is not None]


class _Rollback(Exception):
    pass


def _normalise(text) -> str:
    return " ".join(str(text or "").replace("\ufeff", "").split()).rstrip(" *").casefold()


def _in_languages(label) -> set[str]:
    names = set()
    for language in ("nl", "fr", "en"):
        with translation.override(language):
            names.add(_normalise(label))
    return names


def header_names(column: Column) -> set[str]:
    """The header names accepted for ``column``: its code, its label in Dutch, French and
    English, and a few usual alternatives."""
    return {
        _normalise(column.code),
        _normalise(column.code.replace("_", " ")),
        *_in_languages(column.label),
        *(_normalise(alias) for alias in column.aliases),
    }


def _choice_map(choices) -> dict[str, str]:
    """A choice given as its code or its label in one of the three languages -> its code."""
    found = {}
    for code, label in choices:
        found[_normalise(code)] = code
        for name in _in_languages(label):
            found.setdefault(name, code)
    return found


def _active_map() -> dict[str, bool]:
    found = dict.fromkeys(YES, True) | dict.fromkeys(NO, False)
    found |= dict.fromkeys(_in_languages(gettext_lazy("yes")), True)
    found |= dict.fromkeys(_in_languages(gettext_lazy("no")), False)
    return found


def _lookup_key(key: str) -> str:
    """Keys are compared exactly (as the database does), except SafetyNet's own form."""
    match = SAFETYNET_KEY.match(key)
    return f"safetynet:{int(match[1])}" if match else key


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    fields: dict = field(default_factory=dict)
    active: bool | None = None
    actor: Actor | None = None
    failed_columns: set[str] = field(default_factory=set)

    @property
    def failed(self) -> bool:
        return bool(self.failed_columns)


def actors_import(
    *,
    municipality: Municipality,
    by,
    rows: list[list] | None = None,
    file=None,
    file_name: str = "",
) -> ImportResult:
    """Import actors from ``file`` (an uploaded CSV or XLSX file) or from ``rows`` (the header
    row first). All or nothing: when any row fails, nothing is stored and the result lists every
    problem by row and column. History credits ``by``, with the reason "Imported from <file>"."""
    if file is not None:
        file_name = file_name or getattr(file, "name", "")
        try:
            rows = read_table(file.read(MAX_BYTES + 1))
        except FileRefused as refused:
            return ImportResult(errors=[RowError(None, "", str(refused))])
    if rows is None:
        raise ValueError("Give rows or a file.")
    file_name = PurePath(str(file_name or "")).name[:100] or "spreadsheet"
    reason = f"Imported from {file_name}"

    result = ImportResult()
    try:
        with transaction.atomic():
            # One import at a time per municipality: keys are looked up before they are written.
            lock_row(municipality)
            _import(municipality, by, reason, [[_cell(v) for v in row] for row in rows], result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = result.unchanged = 0
    result.errors.sort(key=lambda error: error.sort_key)
    return result


class _Importer:
    def __init__(self, municipality, by, reason, result: ImportResult, columns: dict[int, str]):
        self.municipality = municipality
        self.by = by
        self.reason = reason
        self.result = result
        self.columns = set(columns.values())
        self.forms = FORM_ALIASES | _choice_map(ActorForm.choices)
        self.categories = CATEGORY_ALIASES | _choice_map(ActorCategory.choices)
        self.yes_no = _active_map()
        self.kinds = list(kinds_for(municipality))
        self.seen_keys: dict[str, int] = {}

    def error(self, row: _Row, code: str, message) -> None:
        row.failed_columns.add(code)
        self.result.errors.append(RowError(row.number, code, str(message)))

    def read(self, row: _Row, existing: dict[str, Actor]) -> None:
        """Turn a row's texts into field values, or errors."""
        values, fields = row.values, row.fields
        key = values.get("external_key", "")
        if not key:
            self.error(row, "external_key", _("Every row needs an external key."))
        elif _lookup_key(key) in self.seen_keys:
            self.error(
                row,
                "external_key",
                _("This key is also in row %(row)d.") % {"row": self.seen_keys[_lookup_key(key)]},
            )
        else:
            self.seen_keys[_lookup_key(key)] = row.number
            row.actor = existing.get(_lookup_key(key))
            if row.actor is None and SAFETYNET_KEY.match(key):
                self.error(row, "external_key", _("No actor of this municipality has this key."))
            elif row.actor is None:
                fields["external_key"] = key

        for name in TEXT_FIELDS:
            if name in self.columns:
                fields[name] = values[name]
        form = self.forms.get(_normalise(values.get("form", "")))
        if form is None:
            self.error(
                row,
                "form",
                _("Write “organisation” or “person”.") if values.get("form") else _("Required."),
            )
        else:
            fields["form"] = form
            if row.actor is not None and form != row.actor.form and row.actor.people.exists():
                self.error(row, "form", _("People belong to this organisation."))
        kind = self._kind(values.get("kind", ""), row.actor)
        if kind is None:
            self.error(
                row,
                "kind",
                _("There is no kind of actor with this code.")
                if values.get("kind")
                else _("Required."),
            )
        else:
            fields["kind"] = kind
            category = values.get("category", "")
            if category and self.categories.get(_normalise(category)) != kind.category:
                self.error(
                    row,
                    "category",
                    _("The kind “%(kind)s” belongs to the category “%(category)s”.")
                    % {"kind": kind.code, "category": kind.category},
                )
        if "active" in self.columns and values["active"]:
            row.active = self.yes_no.get(_normalise(values["active"]))
            if row.active is None:
                self.error(row, "active", _("Write yes or no."))
        if row.actor is None and row.active is None:
            row.active = True
        if form == ActorForm.ORGANISATION and "organisation" in self.columns:
            if values["organisation"]:
                self.error(row, "organisation", _("Only a person belongs to an organisation."))
            else:
                fields["organisation"] = None

    def _kind(self, value: str, actor: Actor | None) -> ActorKind | None:
        wanted = _normalise(value)
        if not wanted:
            return None
        candidates = [kind for kind in self.kinds if _normalise(kind.code) == wanted] or [
            kind
            for kind in self.kinds
            if wanted in {_normalise(name) for name in (kind.name_nl, kind.name_fr, kind.name_en)}
        ]
        if actor is not None and actor.kind in candidates:
            return actor.kind
        # A municipality's own kind before a shipped kind of the same code.
        candidates.sort(key=lambda kind: kind.municipality_id is None)
        return candidates[0] if candidates else None

    def resolve_organisation(self, row: _Row, names, keys) -> None:
        if "organisation" not in self.columns:
            return
        value = row.values["organisation"]
        if not value:
            row.fields["organisation"] = None
            return
        found = keys.get(_lookup_key(value))
        if found is None:
            by_name = names.get(value.casefold(), [])
            if len(by_name) > 1:
                self.error(
                    row,
                    "organisation",
                    _("Several organisations have this name: write its external key instead."),
                )
                return
            found = by_name[0] if by_name else None
        if found is None:
            self.error(row, "organisation", _("There is no organisation with this name or key."))
            return
        row.fields["organisation"] = found

    def save(self, row: _Row) -> None:
        if row.failed:
            self.validate(row)
            return
        result = self.result
        try:
            if row.actor is None:
                row.actor = actor_create(
                    municipality=self.municipality,
                    by=self.by,
                    reason=self.reason,
                    active=row.active,
                    **row.fields,
                )
                result.created += 1
                return
            actor = row.actor
            changes = {
                name: value
                for name, value in row.fields.items()
                if not _same(name, getattr(actor, name), value)
            }
            if changes:
                actor_update(actor=actor, by=self.by, reason=self.reason, **changes)
            if row.active is not None and row.active != actor.active:
                actor_set_active(actor=actor, active=row.active, by=self.by, reason=self.reason)
                changes["active"] = row.active
            if changes:
                result.updated += 1
            else:
                result.unchanged += 1
        except ValidationError as invalid:
            self.add_errors(row, invalid)
        except IntegrityError:
            # Stored meanwhile by someone else (the checks above ran before).
            self.error(row, "external_key", _("Another actor already has this external key."))

    def validate(self, row: _Row) -> None:
        """A row that already failed is not saved, but its other columns are still checked by
        the model, so that one upload shows every problem."""
        actor = Actor(municipality=self.municipality)
        if row.actor is not None:
            actor = Actor.objects.select_related("kind", "organisation").get(pk=row.actor.pk)
        for name, value in row.fields.items():
            setattr(actor, name, value)
        model_fields = {f.name for f in Actor._meta.get_fields()}
        exclude = {code for code in row.failed_columns if code in model_fields}
        exclude |= {name for name in ("form", "kind") if name not in row.fields}
        try:
            actor.full_clean(exclude=exclude, validate_constraints=False)
        except ValidationError as invalid:
            self.add_errors(row, invalid, skip=row.failed_columns)

    def add_errors(self, row: _Row, invalid: ValidationError, skip=()) -> None:
        for name, messages in _error_dict(invalid).items():
            code = name if name in COLUMNS_BY_CODE else ""
            if code and code in skip:
                continue
            for message in messages:
                self.error(row, code, message)


def _import(municipality, by, reason, rows: list[list[str]], result: ImportResult) -> None:
    if not rows:
        result.errors.append(RowError(None, "", _("The file is empty.")))
        return
    columns = _columns(rows[0], result)
    if result.errors:
        return
    data_rows = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue  # an empty line, often at the end of a sheet
        values = {code: row[index] if index < len(row) else "" for index, code in columns.items()}
        data_rows.append(_Row(number, values))
    if not data_rows:
        result.errors.append(RowError(None, "", _("The file has no rows to import.")))
        return
    if len(data_rows) > MAX_ROWS:
        result.errors.append(
            RowError(None, "", _("The file has more than %(count)d rows.") % {"count": MAX_ROWS})
        )
        return

    importer = _Importer(municipality, by, reason, result, columns)
    existing = _existing_actors(municipality, data_rows)
    for row in data_rows:
        importer.read(row, existing)
    # Organisations first, so that the people of a new organisation can name it.
    organisations = [row for row in data_rows if row.fields.get("form") == ActorForm.ORGANISATION]
    for row in organisations:
        importer.save(row)
    names, keys = _organisation_index(municipality)
    for row in data_rows:
        if row.fields.get("form") != ActorForm.ORGANISATION:
            importer.resolve_organisation(row, names, keys)
            importer.save(row)


def _columns(header: list[str], result: ImportResult) -> dict[int, str]:
    """Which column of the file holds which field: ``{index: code}``."""
    names = {column.code: header_names(column) for column in COLUMNS}
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        wanted = _normalise(title)
        if not wanted:
            continue
        code = next((code for code, accepted in names.items() if wanted in accepted), None)
        if code is None:
            result.errors.append(
                RowError(1, "", _("This column is unknown: see the list of columns."), title)
            )
        elif code in columns.values():
            result.errors.append(RowError(1, "", _("This column appears twice."), title))
        else:
            columns[index] = code
    for column in COLUMNS:
        if column.required and column.code not in columns.values():
            result.errors.append(RowError(1, column.code, _("This column is missing.")))
    return columns


def _existing_actors(municipality, data_rows) -> dict[str, Actor]:
    """The municipality's actors the file's keys name, by key."""
    keys = {_lookup_key(row.values.get("external_key", "")) for row in data_rows} - {""}
    ids = [int(match[1]) for key in keys if (match := SAFETYNET_KEY.match(key))]
    actors = Actor.objects.filter(municipality=municipality).filter(
        Q(external_key__in=keys) | Q(pk__in=ids, external_key="")
    )
    return {actor_key(actor): actor for actor in actors.select_related("kind", "organisation")}


def _organisation_index(municipality):
    organisations = list(
        Actor.objects.filter(municipality=municipality, form=ActorForm.ORGANISATION)
    )
    names: dict[str, list[Actor]] = {}
    for organisation in organisations:
        names.setdefault(organisation.name.casefold(), []).append(organisation)
    keys = {actor_key(organisation): organisation for organisation in organisations}
    return names, keys


def _same(name: str, old, new) -> bool:
    if name in TEXT_FIELDS and isinstance(old, str):
        # A workbook keeps line breaks as \n: a note typed in a browser (\r\n) is unchanged.
        return old.replace("\r\n", "\n") == new.replace("\r\n", "\n")
    return old == new


def _error_dict(invalid: ValidationError) -> dict[str, list[str]]:
    if hasattr(invalid, "error_dict"):
        return {
            name: ValidationError(errors).messages for name, errors in invalid.error_dict.items()
        }
    return {NON_FIELD_ERRORS: invalid.messages}
