"""The data types passed between ingestion stages and on to the index.

Every stage is a function from these types to these types; I/O happens at the
edges (readers, the chunk store, the CLI). All types are frozen dataclasses so
that a stage can never change what an earlier stage produced.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points (y up)


PARAGRAPH_SEP = "\n\n"  # between paragraphs in a document's joined text


@dataclass(frozen=True)
class Block:
    """One text block as a reader found it (a PDF text box, a paragraph)."""

    text: str
    bbox: BBox | None = None  # None for formats without geometry (txt, html, docx)
    font_size: float | None = None
    bold: bool = False
    heading_level: int | None = None  # set by readers that know (html h1..h6, docx styles)


@dataclass(frozen=True)
class Page:
    """One page of a source; text formats without page breaks give one page
    per form feed, or a single page numbered 1."""

    number: int
    blocks: tuple[Block, ...]
    width: float | None = None
    height: float | None = None


@dataclass(frozen=True)
class DocMeta:
    """What is known about a source file, from the manifest or inferred."""

    doc_id: str
    source: str  # the file's path as given to ingest
    title: str
    publisher: str = ""
    date: str = ""  # ISO date or year as text, "" when unknown
    year: int | None = None
    kind: str = "okänd"  # handbook, position, minutes, action plan, appendix, okänd
    sha256: str = ""


@dataclass(frozen=True)
class Paragraph:
    """A cleaned paragraph with where it stands: the unit of the document view."""

    text: str
    page: int
    section: tuple[str, ...] = ()
    is_heading: bool = False
    is_table_row: bool = False

    @classmethod
    def from_dict(cls, data: dict) -> Paragraph:
        return cls(**{**data, "section": tuple(data.get("section") or ())})


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    paragraphs: tuple[Paragraph, ...]
    page_count: int

    def to_dict(self) -> dict:
        """As the chunk store and index generations write it (JSON-ready)."""
        return {
            "meta": dataclasses.asdict(self.meta),
            "paragraphs": [dataclasses.asdict(p) for p in self.paragraphs],
            "page_count": self.page_count,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        """From `to_dict()`'s keys (other keys of a store record are ignored)."""
        paragraphs = tuple(Paragraph.from_dict(p) for p in data["paragraphs"])
        return cls(DocMeta(**data["meta"]), paragraphs, int(data["page_count"]))

    def paragraph_offsets(self) -> list[int]:
        """Start offset of each paragraph in the joined text (`PARAGRAPH_SEP`):
        the offsets `Chunk.char_start`/`char_end` refer to."""
        offsets, pos = [], 0
        for para in self.paragraphs:
            offsets.append(pos)
            pos += len(para.text) + len(PARAGRAPH_SEP)
        return offsets


@dataclass(frozen=True)
class Chunk:
    """The currency to the index. `id` hashes doc_id, ordinal and text, so an
    unchanged text keeps its ids (and its vectors) across re-ingestion."""

    id: str
    doc_id: str
    ordinal: int
    text: str
    section: tuple[str, ...]
    page_start: int
    page_end: int
    title: str = ""
    source: str = ""
    kind: str = "okänd"
    year: int | None = None
    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    char_start: int = 0  # offsets into the document's joined paragraph text
    char_end: int = 0
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def section_label(self) -> str:
        return " › ".join(self.section)

    def to_dict(self) -> dict:
        """As the chunk store and index generations write it (JSON-ready)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        data = dict(data)
        for name in ("section", "regions", "municipalities", "organisations"):
            data[name] = tuple(data.get(name) or ())
        return cls(**data)


def chunk_id(doc_id: str, ordinal: int, text: str) -> str:
    digest = hashlib.sha1(f"{doc_id}\x00{ordinal}\x00{text}".encode()).hexdigest()
    return f"{doc_id}:{ordinal:04d}:{digest[:10]}"


@dataclass(frozen=True)
class Repair:
    """One change made by a cleaning step, for the ingest report."""

    step: str
    before: str
    after: str


@dataclass
class CleanReport:
    """What cleaning did to one document (printed by `kb ingest --report`)."""

    repairs: list[Repair] = field(default_factory=list)
    removed_lines: list[str] = field(default_factory=list)

    def add(self, step: str, before: str, after: str) -> None:
        self.repairs.append(Repair(step, before, after))


# Written by the PDF reader right after an `f` whose glyph was wider than the
# font's plain `f`: a ligature (fi, fl, ff, ffi, ffl) whose text was dropped.
LIGATURE_MARK = "\ue000"
