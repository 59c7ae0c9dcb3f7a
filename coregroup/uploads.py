"""What a meeting document may be: its type judged from its content, never from its name or
from what the browser claims, and its size limited."""

import re
import unicodedata
import zipfile

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
# What a municipality files with a meeting, recognised by the first bytes of the file.
SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
]
ZIP = b"PK\x03\x04"
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
ODT = ("application/vnd.oasis.opendocument.text", ".odt")
EXTENSIONS = {content_type: extension for _sig, content_type, extension in SIGNATURES} | {
    DOCX[0]: DOCX[1],
    ODT[0]: ODT[1],
}


# An Office text unpacks to a few times its size; a file that claims far more, or thousands of
# parts, is a decompression bomb for whoever opens it.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PARTS = 2000
MAX_RATIO = 100
# Where an OpenDocument text keeps macros.
ODT_MACRO_FOLDERS = ("Basic/", "Scripts/")


class Refused(ValueError):
    """A file that looks like a document of an accepted type but is refused; ``message`` says
    why (translated lazily)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


TOO_LARGE_UNPACKED = _("This document is far larger once unpacked than it is: it is refused.")


def _office(file) -> tuple[str, str] | None:
    """A Word or OpenDocument text, judged from the archive's own table of contents: a ZIP that
    merely holds a folder named "word/" is not a document, and macros are refused. Nothing is
    unpacked but the few bytes of an OpenDocument's "mimetype"; an archive that would unpack to
    far more than its size raises :class:`Refused`."""
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            packed = max(sum(entry.compress_size for entry in entries), 1)
            if (
                len(entries) > MAX_PARTS
                or unpacked > MAX_UNPACKED_BYTES
                or unpacked > MAX_RATIO * packed
            ):
                raise Refused(TOO_LARGE_UNPACKED)
            names = {entry.filename for entry in entries}
            mimetype = next((entry for entry in entries if entry.filename == "mimetype"), None)
            is_odt = (
                mimetype is not None
                and mimetype.file_size <= len(ODT[0])
                and archive.read(mimetype) == ODT[0].encode()
            )
            if is_odt:
                if any(name.startswith(ODT_MACRO_FOLDERS) for name in names):
                    return None
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if any(name.endswith("vbaProject.bin") for name in names):
                    return None
                return DOCX
    except Refused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError):
        return None
    except (ValueError, NotImplementedError, EOFError):  # damaged or exotic archives
        return None
    return None


def sniff(file) -> tuple[str, str] | None:
    """(content type, extension) of an uploaded file from its content; None for anything else.
    Raises :class:`Refused` for a decompression bomb. Leaves the file at its start."""
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head.startswith(ZIP):
        try:
            return _office(file)
        finally:
            file.seek(0)
    return None


def download_name(title: str, content_type: str) -> str:
    """A safe file name for a download: the title without control characters or path
    separators, shortened, with the extension of the type the content was judged to be."""
    cleaned = "".join(c for c in title if unicodedata.category(c)[0] != "C")
    cleaned = re.sub(r"[\\/:*?\"<>|]+", " ", cleaned)
    cleaned = " ".join(cleaned.split()).strip(" .") or "document"
    return f"{cleaned[:120]}{EXTENSIONS.get(content_type, '')}"
