"""What the answer step passes between its stages and returns: units of text
with what they are about, their support for a question, and the cited answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.model import Hit
from ingest.model import Chunk


@dataclass(frozen=True)
class Evidence:
    chunk_id: str
    doc_id: str
    title: str
    section: str
    page_start: int
    page_end: int
    quote: str

    def to_json(self) -> dict:
        return {
            "chunk_id": self.chunk_id, "doc_id": self.doc_id, "title": self.title,
            "section": self.section, "page_start": self.page_start,
            "page_end": self.page_end, "quote": self.quote,
        }


@dataclass(frozen=True)
class EntityAnswer:
    name: str
    kind: str
    evidence: tuple[Evidence, ...]
    note: str = ""  # Swedish note when sources disagree (summary table vs. chapter)

    @property
    def conflict(self) -> bool:
        return bool(self.note)

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind,
                "evidence": [e.to_json() for e in self.evidence],
                "note": self.note, "conflict": self.conflict}


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    answer_type: str
    answer: str
    entities: tuple[EntityAnswer, ...] = ()
    sources: tuple[Hit, ...] = ()
    span: str = ""  # the marked answer span (a number, date or name), "" if none

    def to_json(self) -> dict:
        from search_app.serialize import hit_json

        return {
            "question": self.question,
            "found": self.found,
            "answer_type": self.answer_type,
            "answer": self.answer,
            "entities": [e.to_json() for e in self.entities],
            "sources": [hit_json(h) for h in self.sources],
        }


@dataclass(frozen=True)
class Sentence:
    """One sentence of a retrieved chunk, with what it is about."""

    text: str
    toks: tuple[str, ...]
    context: tuple[str, ...]  # tokens of the chunk's section path
    hit: Hit
    rank: int
    regions: tuple[str, ...]
    municipalities: tuple[str, ...]
    organisations: tuple[str, ...]
    chunk_toks: tuple[str, ...] = ()  # tokens of the whole chunk (names may stand nearby)
    title_toks: tuple[str, ...] = ()  # tokens of the document's title
    similarity: float = 0.0  # cosine of the unit's vector with the question's (0: none)

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    def evidence(self) -> Evidence:
        c = self.chunk
        return Evidence(c.id, c.doc_id, c.title, c.section_label, c.page_start, c.page_end,
                        self.text)


@dataclass(frozen=True)
class Support:
    sentence: Sentence
    coverage: float  # IDF-weighted share of constraints covered
    names_ok: bool  # every proper name of the question is there
    matched: tuple[str, ...]


@dataclass(frozen=True)
class TableCell:
    """One Ja/Nej cell of a summary table row: `entity` answers `column` with `verdict`."""

    entity: str
    column: str
    verdict: str  # "Ja" or "Nej"
    row: Sentence  # the whole row, for the citation
