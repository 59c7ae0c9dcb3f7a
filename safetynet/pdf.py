"""PDF documents with weasyprint: one rendering function for every document of the project.

* **Nothing is fetched from elsewhere.** The URL fetcher serves only the project's own static
  files (``static:`` URLs or the ``STATIC_URL`` path), the shipped font (``font:``), a
  municipality's logo from its storage (``logo:<id>``) and inline ``data:`` images;
  ``http(s):``, ``file:`` and everything else are refused (PITFALLS.md) and stop the rendering.
* **The same font on every machine.** Source Sans Pro comes with the ``font-source-sans-pro``
  package (SIL Open Font License), declared by :data:`FONT_FACES`; no system font is needed.
* **From the same templates as the pages**, with the print stylesheet ``css/print.css``.
* **Tagged** for accessibility (PDF/UA where weasyprint allows), titled, in the document's
  language.

weasyprint is imported inside :func:`render` only: the import costs about 0.4 s and 50 MB."""

import base64
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

import font_source_sans_pro

FONT_DIR = Path(font_source_sans_pro.font_directory)
# (weight, style, file) of the shipped font.
FONT_FILES = [
    (400, "normal", "SourceSansPro-Regular.ttf"),
    (400, "italic", "SourceSansPro-It.ttf"),
    (600, "normal", "SourceSansPro-Semibold.ttf"),
    (700, "normal", "SourceSansPro-Bold.ttf"),
    (700, "italic", "SourceSansPro-BoldIt.ttf"),
]
FONT_FACES = "\n".join(
    f'@font-face {{ font-family: "Source Sans Pro"; font-weight: {weight}; '
    f'font-style: {style}; src: url("font:{name}"); }}'
    for weight, style, name in FONT_FILES
)


class RemoteResourceRefused(ValueError):
    """A document asked for something other than the project's own files."""


@dataclass(frozen=True)
class Rendered:
    content: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not found and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / name
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise RemoteResourceRefused(f"No static file {name!r}.")
    return Path(found)


def resolve(url: str) -> tuple[bytes, str]:
    """The bytes and type behind a document's URL: the project's own static files and font,
    inline images; anything else is refused."""
    if url.startswith("data:"):
        header, _comma, data = url.partition(",")
        mime = header[5:].split(";")[0] or "application/octet-stream"
        raw = base64.b64decode(data) if header.endswith(";base64") else data.encode()
        return raw, mime
    if url.startswith("logo:"):  # logo:<municipality id>, read through its storage
        from .models import Municipality

        key = url[len("logo:") :]
        municipality = Municipality.objects.filter(pk=key).first() if key.isdigit() else None
        if municipality is None or not municipality.logo:
            raise RemoteResourceRefused(f"No logo at {url!r}.")
        with municipality.logo.open("rb") as handle:
            content = handle.read()
        return content, mimetypes.guess_type(municipality.logo.name)[0] or "image/png"
    if url.startswith("font:"):
        name = url[len("font:") :]
        path = (FONT_DIR / name).resolve()
        if path.parent != FONT_DIR.resolve() or not path.is_file():
            raise RemoteResourceRefused(f"No shipped font {name!r}.")
        return path.read_bytes(), "font/ttf"
    for prefix in ("static:", settings.STATIC_URL):
        if prefix and url.startswith(prefix):
            name = url[len(prefix) :].lstrip("/")
            if ".." in Path(name).parts:
                break
            path = _static_path(name)
            return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "text/plain"
    raise RemoteResourceRefused(f"Documents fetch nothing from elsewhere: {url!r} refused.")


def _fetcher():
    """weasyprint's URL fetcher around :func:`resolve`; a refusal stops the rendering."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            content, mime = resolve(url)
            return URLFetcherResponse(url, content, {"Content-Type": mime})

    return OwnFilesOnly(fail_on_errors=True)


def render(html: str) -> Rendered:
    """The PDF of ``html`` (a whole document, its stylesheet linked as ``static:…``)."""
    from weasyprint import HTML  # here, not at the top: see the module docstring
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = HTML(string=html, base_url="static:", url_fetcher=_fetcher()).render()
    except FatalURLFetchingError as error:  # a BaseException: make it an ordinary failure
        raise RemoteResourceRefused(str(error)) from error.__cause__
    content = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    return Rendered(content, len(document.pages))


WARM_UP = (
    f'<html lang="en"><head><title>SafetyNet</title><style>{FONT_FACES} '
    'body { font-family: "Source Sans Pro"; }</style></head>'
    "<body><h1>SafetyNet</h1><p>Veiligheid <b>sécurité</b> <i>safety</i></p></body></html>"
)


def warm() -> Rendered:
    """Render a one-page document, so that weasyprint and the libraries under it (Pango,
    HarfBuzz, fontconfig) are loaded before the first real document: a fresh process spends
    about three seconds more on its first document (bench/README.md). The document worker
    (``manage.py documents_worker``) calls it before it waits for work."""
    return render(WARM_UP)


def render_template(template: str, context: dict, *, language: str) -> Rendered:
    """Render a document template in ``language`` (its ``<html lang>``, its words)."""
    with translation.override(language):
        html = render_to_string(
            template, {**context, "font_faces": FONT_FACES, "language": language}
        )
    return render(html)
