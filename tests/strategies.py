"""Hypothesis strategies for bad input: what a careless, curious or hostile person types into a
form or an address. Text in every script and direction, invisible and control characters, very
long; HTML and script meant to run in someone else's browser; SQL meant to reach the database;
template syntax; numbers out of range, huge, negative, written as NaN or in other digits; dates
that do not exist; ids of nothing, of another municipality's objects, or of no number at all;
files that are not what their name says.

:func:`for_field` picks the strategy for a Django form field, mixing values the field accepts
with values it must refuse, so that a test reaches both the refusal and the page that shows what
was stored."""

import datetime
import io
import zipfile
from decimal import Decimal

from django import forms

from hypothesis import strategies as st

# Strings that must never reach a page unescaped: a page containing one of MARKERS as it is has
# let HTML through.
XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    '<a href="javascript:alert(1)">klik</a>',
    "<iframe srcdoc='<script>alert(1)</script>'>",
]
MARKERS = (
    "<script>alert(",
    "<img src=x onerror",
    "<svg onload",
    "<iframe srcdoc",
    '<a href="javas',
)

SQL = [
    "'; DROP TABLE plans_plan;--",
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10)--",
    "Robert'); DROP TABLE actors_actor;--",
    "%' AND 1=0 UNION SELECT username, password FROM safetynet_user--",
]
TEMPLATE = ["{{ 7|add:7 }}", "{% debug %}", "${7*7}", "#{7*7}", "%(name)s", "{0}", "%s%s%n"]
UNICODE = [
    "\u202eevil.exe\u202c",  # right-to-left override
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width
    "שלום עולם مرحبا بالعالم",
    "Zürich – Liège – Ieper ’s-Gravenbrakel",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 👩‍👩‍👧 🇧🇪",
    "Z̵̢̛a̸͓͝l̶̰͊g̸͈̐o̴̱͑",
    "ﷺ ꧅ ௵ ⸻",
    "\x00",
    "a\x00b",
    "\x1b[31mrood\x1b[0m",
    "\r\n\r\nSet-Cookie: sessionid=x",
    "\u2028\u2029\x85\x0b\x0c",
    " ",
    "\t\n ",
]
OTHER = ["../../../../etc/passwd", "C:\\Windows\\win.ini", "null", "None", "undefined", "true"]
PAYLOADS = XSS + SQL + TEMPLATE + UNICODE + OTHER

# Text without lone surrogates (no browser can send them: they cannot be encoded).
CHARACTERS = st.characters(exclude_categories=("Cs",))
any_text = st.text(CHARACTERS, max_size=40)


def long_text(max_length: int | None) -> st.SearchStrategy[str]:
    """Text around the field's limit and far beyond it."""
    limit = max_length or 5000
    lengths = st.sampled_from(sorted({max(limit - 1, 1), limit, limit + 1, 4 * limit, 100_000}))
    return st.builds(lambda n, c: (c * n)[:n], lengths, st.sampled_from(["x", "é", "😀", "<"]))


def nasty_text(max_length: int | None = None) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(PAYLOADS),
        st.builds(lambda a, p, b: a + p + b, any_text, st.sampled_from(PAYLOADS), any_text),
        any_text,
        long_text(max_length),
    )


NUMBER_WORDS = [
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e309",
    "-1e309",
    "1e-400",
    "9" * 40,
    "-" + "9" * 40,
    str(2**63),
    str(2**64),
    str(-(2**63) - 1),
    "0x10",
    "1_000",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "²",
    "Ⅻ",
    "+-1",
    "--1",
    "1,5",
    "1.5.5",
    "1e5",
    "-0",
    "0e0",
    " 12 ",
    "",
]


def nasty_integer(low: int = -5, high: int = 1000) -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(low, high).map(str),
        st.integers(-(10**30), 10**30).map(str),
        st.sampled_from(NUMBER_WORDS),
        nasty_text(20),
    )


def nasty_decimal() -> st.SearchStrategy[str]:
    return st.one_of(
        st.decimals(min_value=Decimal("-1000"), max_value=Decimal("100000"), places=2).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(NUMBER_WORDS),
        nasty_text(20),
    )


DATE_WORDS = [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "31/12/2026",
    "12/31/2026",
    "2026/12/31",
    "31-12-26",
    "2026-1-1",
    "２０２６-０１-０１",
    "today",
    "1e3",
    "2026-01-01T10:00",
    "",
]
DATETIME_WORDS = [
    "0001-01-01T00:00",  # becomes year 0 in UTC from Brussels
    "0001-01-01 00:00:00",
    "9999-12-31T23:59",  # the last moment a form can hold
    "2026-03-29T02:30",  # does not exist in Brussels (summer time starts)
    "2026-10-25T02:30",  # exists twice in Brussels (summer time ends)
    "2026-01-01T24:00",
    "2026-01-01T10:61",
    "2026-02-30T10:00",
    "2026-01-01",
    "2026-01-01T10:00+14:00",
    "2026-01-01T10:00Z",
    "now",
    "",
]


def nasty_date() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)).map(str),
        st.dates().map(str),
        st.sampled_from(DATE_WORDS),
        nasty_text(20),
    )


def nasty_datetime() -> st.SearchStrategy[str]:
    return st.one_of(
        st.datetimes(datetime.datetime(2020, 1, 1), datetime.datetime(2035, 1, 1)).map(
            lambda moment: moment.strftime("%Y-%m-%dT%H:%M")
        ),
        st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
        st.sampled_from(DATETIME_WORDS + DATE_WORDS),
        nasty_text(20),
    )


ID_WORDS = [
    "0",
    "-1",
    "999999999",
    str(2**31),
    str(2**63),
    str(2**64),
    "1.5",
    "1e3",
    "abc",
    "1 OR 1=1",
    "1;DROP TABLE x",
    " 1",
    "",
]


def nasty_id(valid=(), foreign=()) -> st.SearchStrategy[str]:
    """An id: one of ``valid`` (the choices offered), one of ``foreign`` (another
    municipality's, or one the form does not offer), or no id at all."""
    choices = [st.sampled_from(ID_WORDS), nasty_text(20)]
    if foreign:
        choices.insert(0, st.sampled_from([str(pk) for pk in foreign]))
    if valid:
        choices.insert(0, st.sampled_from([str(pk) for pk in valid]))
    return st.one_of(choices)


EMAILS = [
    "a@b",
    "@example.org",
    "a@@example.org",
    "a@example..org",
    "<script>@example.org",
    "a@example.org\nBcc: everyone@example.org",
    "very.long." + "x" * 300 + "@example.org",
    "ünïcödé@exämple.be",
]


def nasty_email() -> st.SearchStrategy[str]:
    return st.one_of(st.emails().map(str), st.sampled_from(EMAILS), nasty_text(60))


URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example",
    "http://",
    "https://" + "a" * 300 + ".be",
    "ftp://example.org/x",
    "http://[::1",
    "https://example.org/<script>alert(1)</script>",
    'https://example.org/"><img src=x onerror=alert(1)>',
    "example.org",
    "https://gemeente.be/besluit/12",
]


def nasty_url() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(URLS), nasty_text(200))


BOOLEAN_WORDS = ["on", "", "off", "false", "False", "0", "1", "true", "yes", "null"]


def nasty_boolean() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(BOOLEAN_WORDS), nasty_text(10))


def nasty_choice(valid) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(list(valid)), nasty_text(30)) if valid else nasty_text(30)


# --- Files -------------------------------------------------------------------------------------


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG_IMAGE = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF_FILE = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
FILES = [
    ("logo.png", HTML_PAGE),
    ("logo.svg", SVG_IMAGE),
    ("verslag.pdf", _png()),
    ("verslag.pdf", PDF_FILE),
    ("foto.png", _png()),
    ("leeg.pdf", b""),
    ("actors.csv", b"Name;Kind code\r\n<script>alert(1)</script>;local_police\r\n"),
    ("actors.csv", "Naam;Soort\r\nÉé;x\r\n".encode("cp1252")),
    ("archief.docx", _zip({"word/evil.html": b"<script/>"})),
    ("programma.exe", b"MZ\x90\x00" + b"\0" * 60),
    ("<script>alert(1)</script>.pdf", PDF_FILE),
    ("../../etc/passwd", PDF_FILE),
    ("\u202efdp.exe", PDF_FILE),
]


def nasty_file() -> st.SearchStrategy[tuple[str, bytes]]:
    names = st.one_of(st.sampled_from([name for name, _content in FILES]), any_text)
    return st.one_of(
        st.sampled_from(FILES),
        st.tuples(names, st.binary(max_size=512)),
        st.tuples(names, st.sampled_from([content for _name, content in FILES])),
    )


# --- Form fields -------------------------------------------------------------------------------


def _choice_values(field) -> list[str]:
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            values += [str(v) for v, _label in label]
        else:
            values.append(str(value))
    return [value for value in values if value != ""]


def _model_ids(field) -> tuple[list[int], list[int]]:
    """The ids a model choice field offers, and ids of the same model it does not offer
    (another municipality's, archived, inactive)."""
    queryset = field.queryset
    offered = list(queryset.values_list("pk", flat=True)[:50])
    others = list(
        queryset.model._default_manager.exclude(pk__in=offered).values_list("pk", flat=True)[:50]
    )
    return offered, others


def for_field(field: forms.Field) -> st.SearchStrategy:
    """Values for one form field, good and bad: a string, a list of strings for a field with
    several values, or ``(name, bytes)`` for a file."""
    if isinstance(field, forms.FileField):
        return nasty_file()
    if isinstance(field, forms.ModelMultipleChoiceField):
        offered, others = _model_ids(field)
        return st.lists(nasty_id(offered, others), max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        offered, others = _model_ids(field)
        return nasty_id(offered, others)
    if isinstance(field, forms.MultipleChoiceField):
        return st.lists(nasty_choice(_choice_values(field)), max_size=4)
    if isinstance(field, forms.ChoiceField):
        return nasty_choice(_choice_values(field))
    if isinstance(field, forms.BooleanField):
        return nasty_boolean()
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else -5
        high = field.max_value if field.max_value is not None else 1000
        return nasty_integer(low, high)
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return nasty_decimal()
    if isinstance(field, forms.DateTimeField):
        return nasty_datetime()
    if isinstance(field, forms.DateField):
        return nasty_date()
    if isinstance(field, forms.EmailField):
        return nasty_email()
    if isinstance(field, forms.URLField):
        return nasty_url()
    if isinstance(field, forms.CharField):
        return nasty_text(field.max_length)
    return nasty_text()


# --- Addresses ---------------------------------------------------------------------------------

# The query parameters the site's pages read (and any other name).
QUERY_NAMES = [
    "q",
    "page",
    "roles_page",
    "sort",
    "status",
    "kind",
    "role",
    "category",
    "active",
    "show",
    "goal",
    "promotor",
    "working_group",
    "parent",
    "suggestion",
    "format",
    "date",
    "referentie",
    "next",
    "lang",
    "state",
    "function",
    "level",
    "overdue",
    "unanswered",
]


def query_values():
    return st.one_of(
        st.sampled_from(["a\x00b", "\x00", "%00", "%", "\\", "'"]),  # PostgreSQL refuses NUL
        nasty_text(200),
        nasty_integer(),
        nasty_date(),
        st.lists(nasty_text(20), min_size=2, max_size=3),
    )


queries = st.dictionaries(
    st.one_of(st.sampled_from(QUERY_NAMES), nasty_text(20).filter(bool)),
    query_values(),
    max_size=4,
)


def odd_ids():
    return st.one_of(
        st.integers(0, 3),
        st.integers(0, 10**6),
        st.sampled_from([2**31, 2**63 - 1, 2**63, 2**64, 10**30]),
    )
