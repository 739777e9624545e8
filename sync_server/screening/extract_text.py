"""Text out of a CV file: PDF (pypdf), DOCX (python-docx) or plain text, decided by content, not name.

Hostile or broken files end in a CVRejected error with a clear sentence, never in a crash: the parsers
see only files that passed size, zip-expansion and page-count limits.
"""

import io
import logging
import zipfile
from dataclasses import dataclass
from typing import Literal

from sync_server.contract.base import without_control_characters
from sync_server.screening.errors import CVRejected, CVTooLarge, UnsupportedCVFormat

MAX_PDF_PAGES = 40
_SEPARATORS = str.maketrans({"\x0b": " ", "\x0c": "\n", "\x1c": " ", "\x1d": " ", "\x1e": " ", "\x1f": " "})
MAX_DOCX_EXPANDED_BYTES = 50 * 1_048_576
MAX_DOCX_RATIO = 200  # expanded/compressed; real documents stay far below, zip bombs far above
MIN_TEXT_CHARS = 40
MAX_TEXT_CHARS = 200_000

CVFormat = Literal["pdf", "docx", "txt"]


@dataclass(frozen=True)
class CVText:
    format: CVFormat
    text: str
    pages: int | None = None


def extract_cv_text(data: bytes, *, filename: str = "", max_bytes: int) -> CVText:
    """Return the CV's text. Raises CVRejected (or a subclass) with the reason when it cannot."""
    if len(data) > max_bytes:
        raise CVTooLarge(
            f"The CV file is {len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB."
        )
    if not data.strip():
        raise CVRejected("The CV file is empty.")
    if data.startswith(b"%PDF-"):
        result = _pdf_text(data)
    elif data.startswith(b"PK\x03\x04"):
        result = _docx_text(data)
    elif data.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        raise UnsupportedCVFormat(
            "Old Word (.doc) and RTF files are not supported; save the CV as PDF or DOCX."
        )
    else:
        result = CVText("txt", _plain_text(data, filename))
    text = _tidy(result.text)
    if len(text) < MIN_TEXT_CHARS:
        if result.format == "pdf":
            raise CVRejected(
                "The PDF holds no readable text (it looks scanned or image-only); upload a PDF with text or a DOCX."
            )
        raise CVRejected("The CV holds almost no text.")
    return CVText(result.format, text[:MAX_TEXT_CHARS], result.pages)


def _tidy(text: str) -> str:
    # Parsers pass control characters through (pypdf emits NUL for some fonts); PostgreSQL cannot store NUL.
    # The ones that separate (a page break becomes a line break; a vertical tab or an ASCII separator a
    # space) are turned first, so no two words are glued together.
    text = without_control_characters(text.translate(_SEPARATORS))
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip()


def _pdf_text(data: bytes) -> CVText:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files make pypdf chatty
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Many "protected" CVs only carry an owner password and open with an empty user password.
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # pypdf raises several types (missing crypto backend, bad keys)
                opened = False
            if not opened:
                raise CVRejected("The PDF is password-protected; upload an unprotected copy.")
        page_count = len(reader.pages)
        if page_count == 0:
            raise CVRejected("The PDF has no pages.")
        if page_count > MAX_PDF_PAGES:
            raise CVRejected(f"The PDF has {page_count} pages; a CV may have at most {MAX_PDF_PAGES}.")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except CVRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise CVRejected("The PDF is damaged or not a PDF; it could not be read.") from None
    return CVText("pdf", text, page_count)


def _docx_text(data: bytes) -> CVText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise CVRejected("The DOCX file is damaged; it could not be opened.") from None
    names = {m.filename for m in members}
    if "word/document.xml" not in names:
        raise UnsupportedCVFormat(
            "The file is a ZIP archive but not a Word document; upload PDF, DOCX or TXT."
        )
    expanded = sum(m.file_size for m in members)
    compressed = max(1, sum(m.compress_size for m in members))
    if expanded > MAX_DOCX_EXPANDED_BYTES or expanded / compressed > MAX_DOCX_RATIO:
        raise CVRejected("The DOCX file expands to an implausible size; it was refused as unsafe.")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append(" | ".join(cell.text for cell in row.cells))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise CVRejected("The DOCX file is damaged; it could not be read.") from None
    except Exception as exc:  # lxml raises XMLSyntaxError for damaged XML inside the archive
        if type(exc).__module__.startswith("lxml"):
            raise CVRejected("The DOCX file is damaged; its text could not be read.") from None
        raise
    return CVText("docx", "\n".join(parts))


def _plain_text(data: bytes, filename: str) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedCVFormat(
            f"{filename or 'The file'} is not a PDF, DOCX or text file; upload one of those."
        )
    for encoding in (
        ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",)
    ):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > len(text) / 100:
        raise UnsupportedCVFormat(f"{filename or 'The file'} is not readable text; upload PDF, DOCX or TXT.")
    return text
