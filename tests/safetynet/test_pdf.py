"""``safetynet.pdf``: the URL fetcher serves the project's own static files, the shipped font, a
municipality's logo and inline images, and refuses everything else (and the refusal stops the
rendering, without any network access); ``render`` makes a real PDF with the shipped font.

The PDFs are rendered by weasyprint for real and read back with pypdf."""

import base64
import hashlib
import io
import socket
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image
from pypdf import PdfReader

from safetynet import pdf
from safetynet.pdf import FONT_DIR, FONT_FACES, RemoteResourceRefused, Rendered, resolve
from safetynet.services import municipality_update
from tests.factories import MunicipalityFactory

ACCENTED = "Veiligheidsplan van Lède: één coördinatie, à la Citroën, François & Zoë"


def fatal():
    """What a refused URL makes ``render`` raise: weasyprint's FatalURLFetchingError (a
    BaseException) turned into the fetcher's own ordinary exception, so a task records it."""
    return RemoteResourceRefused


def page(body: str, head: str = "") -> str:
    """A whole document as the templates make one: the print stylesheet and the shipped font."""
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Proef</title>'
        f'<link rel="stylesheet" href="static:css/print.css"><style>{FONT_FACES}</style>{head}'
        f"</head><body>{body}</body></html>"
    )


def png_bytes(colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def words(text: str) -> str:
    """Extracted text with its line breaks (where the PDF wrapped the lines) as spaces."""
    return " ".join(text.split())


def embedded_fonts(content: bytes) -> dict[str, str]:
    """``{PostScript name: version}`` of the font programs embedded in the PDF, read from each
    embedded font's own name table (whatever the document's CSS called the family)."""
    from fontTools.ttLib import TTFont

    found = {}
    for pdf_page in PdfReader(io.BytesIO(content)).pages:
        for font in pdf_page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            program = next(
                descriptor[key]
                for key in ("/FontFile2", "/FontFile3", "/FontFile")
                if key in descriptor
            )
            names = TTFont(io.BytesIO(program.get_object().get_data()))["name"]
            found[names.getDebugName(6)] = names.getDebugName(5)
    return found


def shipped_version(file_name: str) -> str:
    from fontTools.ttLib import TTFont

    return TTFont(FONT_DIR / file_name)["name"].getDebugName(5)


def font_names(content: bytes) -> set[str]:
    """The base names of the fonts the pages use, without the subset prefix (``ABCDEF+``)."""
    names = set()
    for pdf_page in PdfReader(io.BytesIO(content)).pages:
        fonts = pdf_page["/Resources"].get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection or look up a name is recorded (and refused): the
    tests assert that the list stays empty."""
    attempts = []

    def connect(self, address, *args, **kwargs):
        attempts.append(("connect", address))
        raise OSError("network access in a document test")

    def create_connection(address, *args, **kwargs):
        attempts.append(("create_connection", address))
        raise OSError("network access in a document test")

    def getaddrinfo(host, *args, **kwargs):
        attempts.append(("getaddrinfo", host))
        raise OSError("name lookup in a document test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


# --- resolve(): what is served --------------------------------------------------------------------


def test_a_static_url_serves_the_projects_own_file():
    expected = Path(finders.find("css/print.css")).read_bytes()
    for url in ("static:css/print.css", "static:/css/print.css"):
        content, mime = resolve(url)
        assert (content, mime) == (expected, "text/css"), url


def test_a_static_url_path_serves_the_same_file():
    assert settings.STATIC_URL == "/static/"
    content, mime = resolve("/static/css/print.css")
    assert content == Path(finders.find("css/print.css")).read_bytes()
    assert mime == "text/css"


def test_a_font_url_serves_the_shipped_font():
    content, mime = resolve("font:SourceSansPro-Regular.ttf")
    assert content == (FONT_DIR / "SourceSansPro-Regular.ttf").read_bytes()
    assert content[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert mime == "font/ttf"


def test_every_declared_font_face_is_shipped():
    for _weight, _style, name in pdf.FONT_FILES:
        assert f'url("font:{name}")' in FONT_FACES
        content, _mime = resolve(f"font:{name}")
        assert content == (FONT_DIR / name).read_bytes()


def test_a_data_url_gives_its_bytes_base64_or_plain():
    image = png_bytes()
    encoded = base64.b64encode(image).decode()
    assert resolve(f"data:image/png;base64,{encoded}") == (image, "image/png")
    assert resolve("data:text/plain,hallo") == (b"hallo", "text/plain")
    assert resolve("data:;base64," + base64.b64encode(b"x").decode()) == (
        b"x",
        "application/octet-stream",
    )


@pytest.mark.django_db
def test_a_logo_url_serves_the_municipalitys_logo_through_its_storage():
    image = png_bytes("blue")
    municipality = MunicipalityFactory(name="Lindenberg", slug="lindenberg")
    municipality_update(
        municipality=municipality,
        by=None,
        logo=SimpleUploadedFile("logo.png", image, content_type="image/png"),
    )
    municipality.refresh_from_db()
    assert municipality.logo

    assert resolve(f"logo:{municipality.pk}") == (image, "image/png")


# --- resolve(): what is refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/x.png",
        "http://example.com/style.css",
        "HTTPS://example.com/x.png",
        "//example.com/x.png",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "/etc/passwd",
        "../../etc/passwd",
        "static:../../etc/passwd",
        "static:css/../../../../etc/passwd",
        "/static/../../etc/passwd",
        "static:%2e%2e/%2e%2e/etc/passwd",
        "static:css/nothing-here.css",
        "/static/css/nothing-here.css",
        "font:../x",
        "font:../../../../etc/passwd",
        "font:/etc/passwd",
        "font:ComicSans.ttf",
        "logo:999999",
        "css/print.css",  # relative: documents name their files with static:
    ],
)
@pytest.mark.django_db
def test_everything_else_is_refused(url, no_network):
    with pytest.raises(RemoteResourceRefused):
        resolve(url)
    assert no_network == []


@pytest.mark.django_db
def test_the_logo_of_a_municipality_without_a_logo_is_refused():
    municipality = MunicipalityFactory(name="Heidebeek", slug="heidebeek")
    assert not municipality.logo
    with pytest.raises(RemoteResourceRefused):
        resolve(f"logo:{municipality.pk}")


@pytest.mark.parametrize("url", ["logo:", "logo:abc", "logo:1 or 1=1"])
@pytest.mark.django_db
def test_a_malformed_logo_url_is_refused_like_any_other(url):
    """Not a municipality's id: refused with the fetcher's own error, as an unknown id is."""
    with pytest.raises(RemoteResourceRefused):
        resolve(url)


# --- render() ----------------------------------------------------------------------------------


def test_render_makes_a_pdf_that_pypdf_reads_with_its_pages_and_accented_text(no_network):
    rendered = pdf.render(
        page(f"<h1>{ACCENTED}</h1><p style='break-before: page'>Tweede bladzijde</p>")
    )

    assert isinstance(rendered, Rendered)
    assert rendered.content.startswith(b"%PDF-")
    assert rendered.content.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages) == rendered.pages == 2
    first = words(reader.pages[0].extract_text())
    assert ACCENTED in first
    assert "Tweede bladzijde" in reader.pages[1].extract_text()
    assert "Tweede bladzijde" not in first
    assert rendered.sha256 == hashlib.sha256(rendered.content).hexdigest()
    assert no_network == []


def test_render_embeds_the_shipped_source_sans_pro(no_network):
    rendered = pdf.render(page(f"<p>{ACCENTED}</p><p><strong>Vet</strong> <em>schuin</em></p>"))

    names = font_names(rendered.content)
    assert names, "no font in the page resources"
    assert all(name.startswith("Source-Sans-Pro") for name in names), names
    # Embedded, not merely named: the font programs in the file are the package's fonts.
    embedded = embedded_fonts(rendered.content)
    assert set(embedded) == {
        "SourceSansPro-Regular",
        "SourceSansPro-Bold",
        "SourceSansPro-It",
    }, embedded
    for name, version in embedded.items():
        assert version == shipped_version(f"{name}.ttf")


def test_the_font_comes_from_the_shipped_file_not_from_the_system():
    """A family name no system has, served by ``font:`` alone: the embedded program is the
    package's Source Sans Pro Semibold (whatever fonts the machine has)."""
    html = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><style>'
        '@font-face { font-family: "Proefletter SafetyNet"; '
        'src: url("font:SourceSansPro-Semibold.ttf"); }'
        'body { font-family: "Proefletter SafetyNet"; }</style></head>'
        "<body><p>Alleen uit het pakket</p></body></html>"
    )
    embedded = embedded_fonts(pdf.render(html).content)
    assert embedded == {"SourceSansPro-Semibold": shipped_version("SourceSansPro-Semibold.ttf")}


def test_render_shows_an_inline_image_and_a_static_stylesheet(no_network):
    encoded = base64.b64encode(png_bytes()).decode()
    rendered = pdf.render(page(f'<p>Beeld</p><img src="data:image/png;base64,{encoded}">'))
    reader = PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages[0].images) == 1
    assert no_network == []


@pytest.mark.parametrize(
    ("body", "head"),
    [
        ('<img src="https://example.com/x.png">', ""),
        ('<img src="file:///etc/passwd">', ""),
        ('<img src="static:../../etc/passwd">', ""),
        ("<p>Tekst</p>", '<link rel="stylesheet" href="http://example.com/style.css">'),
        ("<p>Tekst</p>", "<style>@import url('https://example.com/a.css');</style>"),
        ("<p style=\"background: url('https://example.com/bg.png')\">Tekst</p>", ""),
        (
            "<p>Tekst</p>",
            "<style>@font-face { font-family: X; src: url('https://example.com/x.woff'); }"
            " p { font-family: X; }</style>",
        ),
        ('<img src="static:css/missing.png">', ""),
    ],
    ids=[
        "img-https",
        "img-file",
        "img-static-traversal",
        "stylesheet-http",
        "css-import",
        "css-background",
        "font-face",
        "unknown-static",
    ],
)
def test_a_refused_url_stops_the_rendering(body, head, no_network):
    with pytest.raises(fatal()) as raised:
        pdf.render(page(body, head))
    assert isinstance(raised.value.__cause__, RemoteResourceRefused)
    assert no_network == []


def test_nothing_is_fetched_from_a_local_port(no_network):
    """A URL on 127.0.0.1:9 (the discard port) stops the rendering before any connection."""
    with pytest.raises(fatal()):
        pdf.render(page('<img src="http://127.0.0.1:9/x.png">'))
    with pytest.raises(fatal()):
        pdf.render(page("<p>x</p>", '<link rel="stylesheet" href="http://127.0.0.1:9/a.css">'))
    assert no_network == []


def test_a_listening_local_server_receives_no_connection():
    """With the network left as it is, a real server on a local port sees nobody knock."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    accepted = []
    stop = threading.Event()

    def listen():
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)
            connection.close()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    try:
        # Control: the server does count a connection.
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        for _ in range(50):
            if accepted:
                break
            stop.wait(0.05)
        assert len(accepted) == 1
        with pytest.raises(fatal()):
            pdf.render(page(f'<img src="http://127.0.0.1:{port}/x.png">'))
        with pytest.raises(fatal()):
            pdf.render(
                page("<p>x</p>", f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">')
            )
        stop.wait(0.3)
        assert len(accepted) == 1, "the renderer connected to the local server"
    finally:
        stop.set()
        server.close()
        thread.join(timeout=2)


def test_render_template_renders_in_the_documents_language(settings, tmp_path):
    template_dir = tmp_path / "templates"
    (template_dir / "proef").mkdir(parents=True)
    (template_dir / "proef" / "doc.html").write_text(
        '{% load i18n %}<!doctype html><html lang="{{ language }}"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="static:css/print.css"><style>{{ font_faces|safe }}</style>'
        '</head><body><h1>{{ heading }}</h1><p>{% translate "Summary" %}</p></body></html>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    french = pdf.render_template("proef/doc.html", {"heading": ACCENTED}, language="fr")
    dutch = pdf.render_template("proef/doc.html", {"heading": ACCENTED}, language="nl")

    french_text = words(PdfReader(io.BytesIO(french.content)).pages[0].extract_text())
    dutch_text = words(PdfReader(io.BytesIO(dutch.content)).pages[0].extract_text())
    assert ACCENTED in french_text
    assert ACCENTED in dutch_text
    assert "Résumé" in french_text
    assert "Samenvatting" in dutch_text
    assert french.sha256 != dutch.sha256
    assert all(name.startswith("Source-Sans-Pro") for name in font_names(french.content))


def test_the_warm_up_renders_a_page_with_the_shipped_font_and_fetches_nothing(no_network, caplog):
    """What the document worker renders before its first task (``documents_worker``), without
    a complaint of weasyprint's in the worker's log (a document without ``lang`` gets one)."""
    with caplog.at_level("WARNING", logger="weasyprint"):
        rendered = pdf.warm()

    assert [record.getMessage() for record in caplog.records if record.name == "weasyprint"] == []

    assert rendered.pages == 1
    assert "SafetyNet" in PdfReader(io.BytesIO(rendered.content)).pages[0].extract_text()
    assert font_names(rendered.content)
    assert all(name.startswith("Source-Sans-Pro") for name in font_names(rendered.content))
    assert no_network == []
