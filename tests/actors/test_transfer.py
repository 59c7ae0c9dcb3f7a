"""Export and import of the actor list: CSV and XLSX, the list's filters, round trips that change
nothing, errors by row and column with nothing imported, formula injection, files refused by
size and content, history, and who may do it."""

import csv
import datetime
import io
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from openpyxl import Workbook, load_workbook

from actors import transfer
from actors.constants import ActorForm, RoleType
from actors.models import Actor, ActorKind, RoleAssignment
from actors.services import actor_create, actor_set_active, role_assign
from actors.transfer import COLUMNS, actors_import, defuse, undefuse
from safetynet.constants import Role

LOGIN_URL = "/accounts/login/"
HEADER = [
    "External key",
    "Name",
    "Organisation or person",
    "Kind code",
    "Category",
    "Organisation",
    "Function",
    "E-mail",
    "Telephone",
    "Website",
    "Address",
    "Active",
    "Notes",
]


def kind(code):
    return ActorKind.objects.get(code=code, municipality=None)


def add_actor(municipality, by, name, kind_code, **fields):
    fields.setdefault("form", ActorForm.ORGANISATION)
    return actor_create(municipality=municipality, by=by, name=name, kind=kind(kind_code), **fields)


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"actors:{name}", kwargs={"municipality": municipality, **kwargs})


def login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_rows(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter=";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(content: bytes, name="actors.csv"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def history_count() -> int:
    return Actor.history.count() + RoleAssignment.history.count()


def snapshot(municipality) -> list[tuple]:
    fields = [
        "pk",
        "external_key",
        "name",
        "form",
        "kind_id",
        "organisation_id",
        "function_title",
        "email",
        "phone",
        "website",
        "address",
        "active",
        "notes",
        "user_id",
    ]
    return list(Actor.objects.filter(municipality=municipality).order_by("pk").values_list(*fields))


def row(key, name, form="organisation", kind_code="organisations", **values):
    """One import row in HEADER's order."""
    data = {
        "External key": key,
        "Name": name,
        "Organisation or person": form,
        "Kind code": kind_code,
        **{k.replace("_", " ").capitalize(): v for k, v in values.items()},
    }
    return [data.get(column, "") for column in HEADER]


@pytest.fixture
def network(lindenberg, coordinator):
    """Actors with every detail the columns hold, some with an external key, some made in
    SafetyNet without one, a person in an organisation, and values a spreadsheet would run."""
    city = add_actor(
        lindenberg,
        coordinator,
        "Stad Lindenberg",
        "municipal_government",
        external_key="HR-001",
        email="info@lindenberg.be",
        phone="+32 9 123 45 67",
        website="https://www.lindenberg.be",
        address="Markt 1, 9999 Lindenberg",
        notes="Het stadhuis.\r\nOpen op werkdagen.",
    )
    police = add_actor(lindenberg, coordinator, "Politiezone Lindenberg", "local_police")
    chief = add_actor(
        lindenberg,
        coordinator,
        "Korpschef Wouters",
        "local_police",
        form=ActorForm.PERSON,
        organisation=police,
        function_title="Korpschef",
    )
    formula = add_actor(
        lindenberg,
        coordinator,
        '=HYPERLINK("http://evil.example","click")',
        "population",
        function_title="@SUM(A1:A9)",
        notes="-2+3",
    )
    retired = add_actor(lindenberg, coordinator, "Oude dienst", "municipal_services")
    actor_set_active(actor=retired, active=False, by=coordinator)
    role_assign(
        actor=chief,
        role=RoleType.CORE_GROUP_MEMBER,
        start=datetime.date(2024, 1, 1),
        by=coordinator,
    )
    return {"city": city, "police": police, "chief": chief, "formula": formula, "retired": retired}


# --- Export ------------------------------------------------------------------------------------


def test_csv_export_for_belgian_excel(client, coordinator, network):
    login(client, coordinator)
    response = client.get(url("actors-export"), {"format": "csv", "status": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="actors-lindenberg-')
    rows = csv_rows(response.content)
    assert rows[0] == HEADER
    assert b";" in response.content.split(b"\r\n")[0]
    by_name = {r[1]: dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    city = by_name["Stad Lindenberg"]
    assert city["External key"] == "HR-001"
    assert city["Kind code"] == "municipal_government"
    assert city["Category"] == "core"
    assert city["Organisation or person"] == "organisation"
    assert city["Telephone"] == "'+32 9 123 45 67"  # defused, see below
    assert city["Active"] == "yes"
    assert city["Notes"] == "Het stadhuis.\r\nOpen op werkdagen."
    police = by_name["Politiezone Lindenberg"]
    assert police["External key"] == f"safetynet:{network['police'].pk}"
    chief = by_name["Korpschef Wouters"]
    assert chief["Organisation"] == "Politiezone Lindenberg"
    assert chief["Organisation or person"] == "person"
    assert by_name["Oude dienst"]["Active"] == "no"


def test_xlsx_export_in_write_only_mode(client, coordinator, network):
    login(client, coordinator)
    response = client.get(url("actors-export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == transfer.XLSX_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = next(sheet.iter_rows())
    assert [cell.value for cell in header] == HEADER
    assert all(cell.font.bold for cell in header)
    names = [r[1] for r in xlsx_rows(response.content)[1:]]
    assert "Oude dienst" not in names  # the list shows the active actors unless told otherwise
    assert "Stad Lindenberg" in names


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Stad Lindenberg", "Politiezone Lindenberg", "Korpschef Wouters", "formula"}),
        ({"status": "inactive"}, {"Oude dienst"}),
        ({"active": "no"}, {"Oude dienst"}),
        ({"q": "korps"}, {"Korpschef Wouters"}),
        ({"category": "contributing", "status": "all"}, {"formula", "Oude dienst"}),
        ({"role": RoleType.CORE_GROUP_MEMBER}, {"Korpschef Wouters"}),
        ({"kind": "KIND:local_police"}, {"Politiezone Lindenberg", "Korpschef Wouters"}),
        (
            {"category": "nonsense"},
            {"Stad Lindenberg", "Politiezone Lindenberg", "Korpschef Wouters", "formula"},
        ),
    ],
)
def test_the_export_has_the_lists_filters(client, coordinator, network, params, expected):
    if params.get("kind", "").startswith("KIND:"):
        params = {**params, "kind": kind(params["kind"][5:]).pk}
    login(client, coordinator)
    rows = csv_rows(client.get(url("actors-export"), {"format": "csv", **params}).content)
    names = {"formula" if r[1].startswith("'=") else r[1] for r in rows[1:]}
    assert names == expected


def test_an_unknown_format_is_404(client, coordinator, network):
    login(client, coordinator)
    assert client.get(url("actors-export"), {"format": "pdf"}).status_code == 404


def test_the_export_leaves_other_municipalities_out(
    client, coordinator, other_coordinator, network, heidebeek
):
    add_actor(heidebeek, other_coordinator, "Politie Heidebeek", "local_police")
    login(client, coordinator)
    content = client.get(url("actors-export"), {"format": "csv", "status": "all"}).content
    assert b"Heidebeek" not in content


def test_export_queries_do_not_grow_with_the_actors(client, coordinator, lindenberg):
    police = add_actor(lindenberg, coordinator, "Politiezone", "local_police")
    for number in range(5):
        add_actor(
            lindenberg,
            coordinator,
            f"Agent {number}",
            "local_police",
            form="person",
            organisation=police,
        )
    login(client, coordinator)
    client.get(url("actors-export"), {"format": "csv"})
    counts = []
    for extra in (0, 60):
        for number in range(extra):
            add_actor(
                lindenberg,
                coordinator,
                f"Agent b{number}",
                "local_police",
                form="person",
                organisation=police,
            )
        for file_format in ("csv", "xlsx"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url("actors-export"), {"format": file_format}).status_code == 200
            counts.append(len(captured))
    assert counts[:2] == counts[2:]


# --- Formula injection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+32 475", "'+32 475"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=already", "''=already"),
        ("'t Hof", "'t Hof"),
        ("Gewoon", "Gewoon"),
        ("", ""),
    ],
)
def test_defuse_and_undefuse(value, exported):
    assert defuse(value) == exported
    assert undefuse(defuse(value)) == value


def test_formulas_are_defused_in_both_formats(client, coordinator, network):
    login(client, coordinator)
    rows = csv_rows(client.get(url("actors-export"), {"format": "csv"}).content)
    (formula,) = [r for r in rows if "HYPERLINK" in r[1]]
    assert formula[1] == '\'=HYPERLINK("http://evil.example","click")'
    assert formula[6] == "'@SUM(A1:A9)"
    assert formula[12] == "'-2+3"
    for cells in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    content = client.get(url("actors-export"), {"format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    for cells in sheet.iter_rows():
        for cell in cells:
            assert cell.data_type != "f", cell.coordinate  # nothing is a formula
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


# --- Round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(client, coordinator, network, lindenberg, file_format):
    login(client, coordinator)
    exported = client.get(url("actors-export"), {"format": file_format, "status": "all"}).content
    before, records = snapshot(lindenberg), history_count()

    response = client.post(
        url("actors-import"), {"file": upload(exported, f"actors.{file_format}")}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == url("actor-list")
    assert snapshot(lindenberg) == before
    assert history_count() == records
    message = str(list(response.wsgi_request._messages)[0])
    assert "added: 0" in message
    assert "changed: 0" in message
    assert "unchanged: 5" in message


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_reimport_updates_by_external_key(client, coordinator, lindenberg, file_format):
    rows = [
        HEADER,
        row("K1", "Jeugdhuis De Kelder", kind_code="population"),
        row("K2", "Jan Peeters", form="person", kind_code="population", organisation="K1"),
    ]
    first = actors_import(municipality=lindenberg, by=coordinator, rows=rows, file_name="a.csv")
    assert (first.created, first.updated, first.errors) == (2, 0, [])
    person = Actor.objects.get(external_key="K2")
    assert person.organisation == Actor.objects.get(external_key="K1")

    rows[1][1] = "Jeugdhuis De Kelder vzw"
    content = csv_bytes(rows) if file_format == "csv" else xlsx_bytes(rows)
    login(client, coordinator)
    response = client.post(url("actors-import"), {"file": upload(content, f"v2.{file_format}")})
    assert response.status_code == 302
    assert Actor.objects.filter(municipality=lindenberg).count() == 2
    organisation = Actor.objects.get(external_key="K1")
    assert organisation.name == "Jeugdhuis De Kelder vzw"
    record = organisation.history.order_by("-history_id").first()
    assert record.history_user == coordinator
    assert record.history_change_reason == f"Imported from v2.{file_format}"
    assert organisation.history.count() == 2  # made, then renamed: the person is unchanged
    assert person.history.count() == 1


def test_an_import_made_in_safetynet_keys_the_same_actor(coordinator, network, lindenberg):
    police = network["police"]
    rows = [
        HEADER,
        row(f"SafetyNet:{police.pk}", "Politiezone Lindenberg-Heidebeek", kind_code="local_police"),
    ]
    result = actors_import(municipality=lindenberg, by=coordinator, rows=rows)
    assert result.updated == 1
    police.refresh_from_db()
    assert police.name == "Politiezone Lindenberg-Heidebeek"
    assert police.external_key == ""  # its SafetyNet key is not written as an external key


def test_an_import_deactivates_and_ends_roles(coordinator, network, lindenberg):
    chief = network["chief"]
    rows = [
        HEADER[:5] + ["Active"],
        [f"safetynet:{chief.pk}", chief.name, "person", "local_police", "", "nee"],
    ]
    result = actors_import(municipality=lindenberg, by=coordinator, rows=rows, file_name="x.xlsx")
    assert result.ok, result.errors
    chief.refresh_from_db()
    assert not chief.active
    assert chief.role_assignments.get().end is not None
    assert (
        chief.history.order_by("-history_id").first().history_change_reason
        == "Imported from x.xlsx"
    )


def test_a_person_may_name_an_organisation_made_further_down_the_file(coordinator, lindenberg):
    rows = [
        HEADER,
        row(
            "P1",
            "An Janssens",
            form="person",
            kind_code="population",
            organisation="Buurtwerk Zuid",
        ),
        row("O1", "Buurtwerk Zuid", kind_code="population"),
    ]
    result = actors_import(municipality=lindenberg, by=coordinator, rows=rows)
    assert result.ok, result.errors
    assert Actor.objects.get(external_key="P1").organisation.external_key == "O1"


def test_headers_in_dutch_french_or_codes_any_case(coordinator, lindenberg):
    dutch = [
        ["EXTERNE SLEUTEL", "naam", "Organisatie of persoon", "soort", "Actief"],
        ["N1", "Naam", "organisatie", "population", "ja"],
    ]
    french = [
        ["Clé externe", "Nom", "Organisation ou personne", "code type"],
        ["F1", "Nom", "personne", "population"],
    ]
    codes = [
        ["external_key", "name", "form", "kind", "email"],
        ["C1", "Code", "Person", "POPULATION", "a@b.be"],
    ]
    for rows in (dutch, french, codes):
        result = actors_import(municipality=lindenberg, by=coordinator, rows=rows)
        assert result.ok, result.errors
    assert Actor.objects.get(external_key="F1").form == ActorForm.PERSON
    assert Actor.objects.get(external_key="C1").email == "a@b.be"


def test_a_comma_separated_windows_file_is_read(client, coordinator, lindenberg):
    content = csv_bytes(
        [HEADER[:4], ["W1", "Café Het Hoekje", "organisation", "organisations"]], ","
    )
    login(client, coordinator)
    response = client.post(
        url("actors-import"), {"file": upload(content.decode().encode("cp1252"))}
    )
    assert response.status_code == 302
    assert Actor.objects.get(external_key="W1").name == "Café Het Hoekje"


# --- Errors ------------------------------------------------------------------------------------


def test_errors_by_row_and_column_and_nothing_imported(coordinator, network, lindenberg):
    before, records = snapshot(lindenberg), history_count()
    rows = [
        HEADER,
        row("OK1", "Een goede rij", kind_code="population"),  # row 2: fine on its own
        row("", "Geen sleutel", kind_code="population"),  # row 3
        row("E1", "Slecht adres", kind_code="population", **{"e-mail": "niet-een-adres"}),  # 4
        row("E2", "Onbekende soort", kind_code="no_such_kind"),  # row 5
        row("E3", "", form="robot", kind_code="population"),  # row 6
        row("OK1", "Dubbel", kind_code="population"),  # row 7
        row("E4", "Fout", kind_code="population", category="core", website="geen url"),  # 8
        row("E5", "Iemand", form="person", kind_code="population", organisation="Nergens"),  # 9
        row("HR-001", "Stad Lindenberg", kind_code="municipal_government", active="misschien"),
    ]
    result = actors_import(municipality=lindenberg, by=coordinator, rows=rows)
    assert not result.ok
    assert (result.created, result.updated) == (0, 0)
    assert snapshot(lindenberg) == before  # not even row 2
    assert history_count() == records
    found = {(error.row, error.column) for error in result.errors}
    assert found == {
        (3, "External key"),
        (4, "E-mail"),
        (5, "Kind code"),
        (6, "Organisation or person"),
        (7, "External key"),
        (8, "Category"),
        (9, "Organisation"),
        (10, "Active"),
        # The model's own checks run on a row's other columns too: one upload shows everything.
        (6, "Name"),
        (8, "Website"),
    }
    messages = {(error.row, error.column): error.message for error in result.errors}
    assert messages[(7, "External key")] == "This key is also in row 2."
    assert messages[(4, "E-mail")] == "Enter a valid email address."


def test_model_validation_errors_land_in_their_column(coordinator, lindenberg):
    # Row 2 passes the import's own checks; the model's full_clean refuses its website and name.
    rows = [HEADER, row("M1", "x" * 201, kind_code="population", website="notaurl")]
    result = actors_import(municipality=lindenberg, by=coordinator, rows=rows)
    columns = {error.column for error in result.errors}
    assert columns == {"Name", "Website"}
    assert not Actor.objects.exists()


def test_the_errors_page_shows_a_table_and_nothing_is_imported(client, coordinator, lindenberg):
    content = csv_bytes(
        [HEADER, row("A1", "Goed", kind_code="population"), row("A2", "Slecht", kind_code="nope")]
    )
    login(client, coordinator)
    response = client.post(url("actors-import"), {"file": upload(content, "lijst.csv")})
    assert response.status_code == 200
    assert not Actor.objects.exists()
    page = response.content.decode()
    assert "Nothing has been imported: lijst.csv has 1 problem." in page
    assert "<caption>Problems by row and column</caption>" in page
    assert '<th scope="row">Row 3</th>' in page
    assert "There is no kind of actor with this code." in page


def test_unknown_duplicate_and_missing_columns(coordinator, lindenberg):
    rows = [["External key", "Name", "Name", "Colour"], ["K", "N", "N", "red"]]
    result = actors_import(municipality=lindenberg, by=coordinator, rows=rows)
    found = {(error.row, error.column, error.message) for error in result.errors}
    assert (1, "Colour", "This column is unknown: see the list of columns.") in found
    assert (1, "Name", "This column appears twice.") in found
    assert (1, "Organisation or person", "This column is missing.") in found
    assert (1, "Kind code", "This column is missing.") in found


def test_a_safetynet_key_of_another_municipality_is_refused(
    coordinator, other_coordinator, heidebeek, lindenberg
):
    theirs = add_actor(heidebeek, other_coordinator, "Politie Heidebeek", "local_police")
    rows = [HEADER, row(f"safetynet:{theirs.pk}", "Overgenomen", kind_code="local_police")]
    result = actors_import(municipality=lindenberg, by=coordinator, rows=rows)
    assert [(e.row, e.column) for e in result.errors] == [(2, "External key")]
    theirs.refresh_from_db()
    assert theirs.name == "Politie Heidebeek"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"x" * (2 * 1024 * 1024 + 1), "big.csv", "The file is larger than 2 MB."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "actors.csv", "neither a CSV file nor an Excel"),
        (b"PK\x03\x04 not really a zip", "actors.xlsx", "neither a CSV file nor an Excel"),
        (b"", "empty.csv", "The submitted file is empty."),
        (b"External key;Name;Organisation or person;Kind code\r\n", "h.csv", "no rows to import"),
    ],
)
def test_files_refused_by_size_and_content(client, coordinator, lindenberg, content, name, message):
    login(client, coordinator)
    response = client.post(url("actors-import"), {"file": upload(content, name)})
    # Too large: refused as the upload arrives (413), before the file is read.
    assert response.status_code == (413 if name == "big.csv" else 200)
    assert message in response.content.decode()
    assert not Actor.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(coordinator, lindenberg):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    result = actors_import(
        municipality=lindenberg, by=coordinator, file=upload(buffer.getvalue(), "a.xlsx")
    )
    assert [e.row for e in result.errors] == [None]
    assert "neither a CSV file nor an Excel" in result.errors[0].message


def test_a_workbook_named_csv_is_read_as_a_workbook(coordinator, lindenberg):
    content = xlsx_bytes([HEADER[:4], ["X1", "Uit Excel", "organisation", "organisations"]])
    result = actors_import(municipality=lindenberg, by=coordinator, file=upload(content, "a.csv"))
    assert result.ok, result.errors
    assert Actor.objects.get(external_key="X1").name == "Uit Excel"


def test_the_import_page_explains_the_columns(client, coordinator, lindenberg):
    login(client, coordinator)
    response = client.get(url("actors-import"))
    assert response.status_code == 200
    page = response.content.decode()
    for column in COLUMNS:
        assert f"<code>{column.code}</code>" in page
    assert "Every row needs an external key" in page
    assert 'enctype="multipart/form-data"' in page
    assert f"{url('actors-export')}?format=xlsx" in page


# --- Who may do it -----------------------------------------------------------------------------

A, C, CO, CS, CG, P, V = (
    Role.ADMIN,
    Role.COORDINATOR,
    Role.COLLEGE,
    Role.COUNCIL_SECRETARY,
    Role.CORE_GROUP,
    Role.PROMOTOR,
    Role.VIEWER,
)
MATRIX_ROLES = (A, C, CO, CS, CG, P, V)
# Coordinator and admin only: a list of everyone's contact details, and changes to the network.
#                          admin coord college secretary core promotor viewer
TRANSFER_MATRIX = {
    "actors-export": (200, 200, 403, 403, 403, 403, 403),
    "actors-import": (200, 200, 403, 403, 403, 403, 403),
}


def test_the_matrix_names_every_role():
    assert sorted(MATRIX_ROLES) == sorted(Role.values)


@pytest.mark.parametrize("name", TRANSFER_MATRIX)
def test_role_matrix(client, role_users, lindenberg, name):
    for role, expected in zip(MATRIX_ROLES, TRANSFER_MATRIX[name], strict=True):
        login(client, role_users[role])
        assert client.get(url(name)).status_code == expected, (name, role)


@pytest.mark.parametrize("role", [CO, CS, CG, P, V])
def test_only_coordinator_and_admin_may_import(client, role_users, lindenberg, role):
    content = csv_bytes([HEADER[:4], ["K", "Naam", "organisation", "population"]])
    login(client, role_users[role])
    assert client.post(url("actors-import"), {"file": upload(content)}).status_code == 403
    assert not Actor.objects.exists()


@pytest.mark.parametrize("name", TRANSFER_MATRIX)
def test_anonymous_is_sent_to_the_login_page(client, lindenberg, name):
    for method in (client.get, client.post):
        response = method(url(name))
        assert response.status_code == 302
        assert response.url.startswith(LOGIN_URL + "?next=")


def test_the_coordinator_of_heidebeek_gets_404(client, other_coordinator, network, lindenberg):
    before = snapshot(lindenberg)
    login(client, other_coordinator)
    assert client.get(url("actors-export"), {"format": "csv"}).status_code == 404
    assert client.get(url("actors-import")).status_code == 404
    content = csv_bytes([HEADER[:4], ["K", "Overname", "organisation", "population"]])
    assert client.post(url("actors-import"), {"file": upload(content)}).status_code == 404
    assert snapshot(lindenberg) == before
