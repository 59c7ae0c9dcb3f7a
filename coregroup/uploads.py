"""What a meeting document may be: its type judged from its content, never from its name or
from what the browser claims, and its size limited."""

import re
import unicodedata
import zipfile

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


def _office(file) -> tuple[str, str] | None:
    """A Word or OpenDocument text, judged from the archive's own table of contents: a ZIP that
    merely holds a folder named "word/" is not a document, and macros are refused."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype") == ODT[0].encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if any(name.endswith("vbaProject.bin") for name in names):
                    return None
                return DOCX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    return None


def sniff(file) -> tuple[str, str] | None:
    """(content type, extension) of an uploaded file from its content; None for anything else.
    Leaves the file at its start."""
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head.startswith(ZIP):
        found = _office(file)
        file.seek(0)
        return found
    return None


def download_name(title: str, content_type: str) -> str:
    """A safe file name for a download: the title without control characters or path
    separators, shortened, with the extension of the type the content was judged to be."""
    cleaned = "".join(c for c in title if unicodedata.category(c)[0] != "C")
    cleaned = re.sub(r"[\\/:*?\"<>|]+", " ", cleaned)
    cleaned = " ".join(cleaned.split()).strip(" .") or "document"
    return f"{cleaned[:120]}{EXTENSIONS.get(content_type, '')}"
