"""What the API and the pages share: the engine of the app, the index's facet
values for validation, documents as JSON, and the layout of a document page.
"""

from __future__ import annotations

import bisect
import hashlib
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from markupsafe import Markup, escape

from index.model import Query
from ingest.model import Chunk, Document
from search_app import serialize
from search_app.engine import Engine
from search_app.web.validate import NotFound


def engine() -> Engine:
    return current_app.extensions["kb"]


class KnownValues:
    """Facet name → every value the index generation holds (as text), computed
    once per generation. One per app, in `app.extensions["kb_known"]`; the lock
    makes it safe under waitress's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._values: dict[str, frozenset[str]] = {}

    def of(self, eng: Engine) -> dict[str, frozenset[str]]:
        backend = eng.backend()
        with self._lock:
            if self._generation != backend.path:
                chunks = backend.chunks
                self._values = {
                    "doc": frozenset(c.doc_id for c in chunks),
                    "kind": frozenset(c.kind for c in chunks),
                    "region": frozenset(r for c in chunks for r in c.regions),
                    "year": frozenset(str(c.year) for c in chunks if c.year is not None),
                }
                self._generation = backend.path
            return self._values


def known_values(eng: Engine) -> dict[str, frozenset[str]]:
    """Facet name → every value the current index holds (as text)."""
    return current_app.extensions["kb_known"].of(eng)


def search_json(eng: Engine, query: Query) -> dict:
    return serialize.search_result_json(eng.search(query))


def status_json(eng: Engine) -> dict:
    return serialize.status_json(eng.status())


def document_summaries(eng: Engine) -> list[dict]:
    return [serialize.document_summary_json(d) for d in eng.documents()]


def find_document(eng: Engine, doc_id: str) -> Document:
    doc = eng.document(doc_id) if len(doc_id) <= 200 else None
    if doc is None:
        raise NotFound(
            "Dokumentet finns inte", f"Inget dokument med id {doc_id[:80]!r} finns i indexet."
        )
    return doc


def document_json(eng: Engine, doc: Document) -> dict:
    return serialize.document_json(doc, eng.chunks_of(doc.meta.doc_id))


# --- original files ----------------------------------------------------------------------

INLINE_TYPES = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8",
                ".md": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class Original:
    path: Path
    mimetype: str
    inline: bool


def original_file(doc: Document, corpus: Path) -> Original | None:
    """The indexed source file, only if it still holds the bytes that were indexed."""
    path = _locate(Path(doc.meta.source), corpus)
    if path is None:
        return None
    if doc.meta.sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != doc.meta.sha256:
        return None
    suffix = path.suffix.lower()
    if suffix in INLINE_TYPES:
        return Original(path, INLINE_TYPES[suffix], True)
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Original(path, guessed, False)


def _locate(source: Path, corpus: Path) -> Path | None:
    for candidate in (source, corpus / source.name):
        if candidate.is_file():
            return candidate
    return None


# --- document page layout -----------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One paragraph of the document page, with the chunk anchors starting in it."""

    html: Markup
    page: int
    page_break: bool
    heading: bool
    level: int
    anchors: tuple[str, ...]
    cited: bool


_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(chunk_id: str) -> str:
    """The fragment id of a chunk on its document page: ordinal and hash of
    `doc_id:ordinal:hash` (the page already names the document)."""
    local = "-".join(chunk_id.split(":")[1:]) or chunk_id
    return "stycke-" + _ANCHOR_UNSAFE.sub("-", local)


def layout(doc: Document, chunks: list[Chunk], cited: Chunk | None) -> list[Block]:
    """Paragraphs in order with page breaks, heading levels, chunk anchors and
    the cited chunk's range marked (text escaped before the marks)."""
    offsets = doc.paragraph_offsets()
    starts: dict[int, list[str]] = {}
    for chunk in sorted(chunks, key=lambda c: c.char_start):
        at = max(0, bisect.bisect_right(offsets, chunk.char_start) - 1)
        starts.setdefault(at, []).append(anchor(chunk.id))
    blocks: list[Block] = []
    previous_page = None
    for i, (offset, para) in enumerate(zip(offsets, doc.paragraphs, strict=True)):
        span = _cited_span(offset, len(para.text), cited)
        blocks.append(
            Block(
                html=_marked(para.text, span),
                page=para.page,
                page_break=para.page != previous_page,
                heading=para.is_heading,
                level=min(6, max(2, len(para.section) + 1)),
                anchors=tuple(starts.get(i, ())),
                cited=span is not None,
            )
        )
        previous_page = para.page
    return blocks


def _cited_span(offset: int, length: int, cited: Chunk | None) -> tuple[int, int] | None:
    if cited is None:
        return None
    start, end = max(cited.char_start - offset, 0), min(cited.char_end - offset, length)
    return (start, end) if start < end else None


def _marked(text: str, span: tuple[int, int] | None) -> Markup:
    if span is None:
        return escape(text)
    a, b = span
    return Markup("{}<mark>{}</mark>{}").format(text[:a], text[a:b], text[b:])
