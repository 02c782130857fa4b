"""Format dispatch: one dict from file suffix to reader, the door a new format uses.

Every reader is `reader(path, params) -> list[Page]`. PDFs are read in a limited
worker process (`ingest/limits.py`), then stripped of running headers, footers,
side labels and page numbers and put in reading order (`ingest/layout.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.docx import read_docx
from ingest.html import read_html
from ingest.layout import order_pages, strip_page_furniture
from ingest.limits import ExtractParams, IngestError, read_limited
from ingest.model import Page
from ingest.textfile import read_text

__all__ = ["READERS", "ExtractParams", "IngestError", "extract_pdf", "read_file",
           "read_file_report", "read_pdf_file"]

Reader = Callable[[Path, ExtractParams], list[Page]]


def extract_pdf(path: Path, params: ExtractParams) -> tuple[list[Page], list[str]]:
    """A PDF's pages in reading order without furniture, and the furniture lines removed."""
    raw = read_limited(path, params)
    if not any(page.blocks for page in raw):
        raise IngestError(f"{path}: PDF-filen har inget textlager (inskannad? den behöver OCR)")
    pages, removed = strip_page_furniture(raw)
    return order_pages(pages), removed


def read_pdf_file(path: Path, params: ExtractParams) -> list[Page]:
    return extract_pdf(path, params)[0]


READERS: dict[str, Reader] = {
    ".pdf": read_pdf_file,
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
}


def read_file(path: Path, params: ExtractParams | None = None) -> list[Page]:
    """The pages of any supported file; `IngestError` (naming the file) when it cannot be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(f"{path}: filformatet {path.suffix or '(inget)'} stöds inte")
    return _guarded(path, lambda: reader(path, params or ExtractParams()))


def read_file_report(
    path: Path, params: ExtractParams | None = None
) -> tuple[list[Page], list[str]]:
    """As `read_file`, with the running header/footer lines a PDF lost (for `--report`;
    other formats lose none here: text-file furniture is found by cleaning)."""
    if path.suffix.lower() != ".pdf":
        return read_file(path, params), []
    return _guarded(path, lambda: extract_pdf(path, params or ExtractParams()))


def _guarded(path: Path, read):
    try:
        return read()
    except IngestError:
        raise
    except OSError as exc:
        raise IngestError(f"{path}: filen kan inte läsas ({exc.strerror or exc})") from exc
    except Exception as exc:  # noqa: BLE001 - a broken file must not stop a batch
        raise IngestError(f"{path}: filen kunde inte tolkas ({type(exc).__name__})") from exc
