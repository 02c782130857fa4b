"""`IndexBackend`: what fusion needs from a store, and the Whoosh + numpy one.

A backend answers the two searches separately (keyword and vector) so fusion
stays ours (`index/hybrid.py` calls only the protocol). The protocol has one
implementation and is shaped by it: `parse` returns a Whoosh query and filters
are numpy row masks over the generation's chunks. A backend
is one immutable generation: writing happens by building a new generation
(`index/generations.py`), so chunk ids are unique within a backend by
construction (the chunk store's ids are content hashes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import numpy as np

from index.analysis import analyze
from index.generations import (
    CHUNKS,
    DOCUMENTS,
    GLOSSARY,
    analyzer_params,
    check_manifest,
    read_jsonl,
    read_manifest,
)
from index.glossary import Glossary
from index.keyword import KeywordIndex, ParsedQuery
from index.model import Filters, Hit
from index.vectors import VectorIndex
from ingest.model import Chunk, Document

GENERIC_NAME_TERMS = frozenset({"region", "län", "landsting", "kommun"})


class IndexBackend(Protocol):
    chunks: list[Chunk]

    def generation(self) -> str: ...

    def parse(self, text: str) -> ParsedQuery: ...

    def keyword(self, parsed: ParsedQuery, limit: int, allowed: np.ndarray | None) -> list[Hit]:
        ...

    def vector(self, embedding: np.ndarray, limit: int, allowed: np.ndarray | None) -> list[Hit]:
        ...

    def allowed(self, filters: Filters) -> np.ndarray | None: ...

    def named_regions(self, terms: frozenset[str]) -> frozenset[str]: ...


class WhooshNumpyBackend:
    """One generation directory opened read-only."""

    def __init__(self, gen_dir: Path):
        self.path = gen_dir
        self.manifest = read_manifest(gen_dir)
        check_manifest(self.manifest, gen_dir)
        self.params = analyzer_params(self.manifest)
        self.chunks = [Chunk.from_dict(row) for row in read_jsonl(gen_dir / CHUNKS)]
        self.rows = {c.id: i for i, c in enumerate(self.chunks)}
        glossary = Glossary.from_json(json.loads((gen_dir / GLOSSARY).read_text("utf-8")))
        self.keywords = KeywordIndex(gen_dir, self.params, glossary)
        self.vectors = VectorIndex(gen_dir)
        if len(self.keywords) != len(self.chunks) or len(self.vectors) != len(self.chunks):
            raise ValueError(f"Generationen {gen_dir} är ofullständig (antal skiljer sig).")
        self._documents: list[Document] | None = None
        self._region_terms = self._name_terms(r for c in self.chunks for r in c.regions)

    def close(self) -> None:
        self.keywords.close()

    def generation(self) -> str:
        return self.manifest["generation"]

    @property
    def documents(self) -> list[Document]:
        if self._documents is None:
            rows = read_jsonl(self.path / DOCUMENTS)
            self._documents = [Document.from_dict(row) for row in rows]
        return self._documents

    def parse(self, text: str) -> ParsedQuery:
        return self.keywords.parse(text)

    def keyword(self, parsed: ParsedQuery, limit: int, allowed: np.ndarray | None) -> list[Hit]:
        rows = None if allowed is None else np.flatnonzero(allowed).tolist()
        hits = self.keywords.search(parsed, limit, rows)
        return [Hit(self.chunks[h.row], h.score, {"keyword": h.score}) for h in hits]

    def vector(self, embedding: np.ndarray, limit: int, allowed: np.ndarray | None) -> list[Hit]:
        if embedding.shape[-1] != self.vectors.dim:
            raise ValueError(
                f"Frågevektorn har dimension {embedding.shape[-1]} men indexet "
                f"{self.vectors.dim} ({self.manifest['embedder']})."
            )
        found = self.vectors.search(embedding, limit, allowed)
        return [Hit(self.chunks[row], score, {"dense": score}) for row, score in found]

    def allowed(self, filters: Filters) -> np.ndarray | None:
        """Rows passing the filters (None: no filter)."""
        if filters.is_empty():
            return None
        return np.fromiter((_passes(c, filters) for c in self.chunks), bool, len(self.chunks))

    def _name_terms(self, names: Iterable[str]) -> dict[str, frozenset[str]]:
        """Region name -> its distinctive analysed terms (`Region Kronoberg` -> kronoberg)."""
        analyzer = self.keywords.analyzer
        out = {}
        for name in set(names):
            terms = frozenset(analyze(analyzer, name)) - GENERIC_NAME_TERMS
            if terms:
                out[name] = terms
        return out

    def named_regions(self, terms: frozenset[str]) -> frozenset[str]:
        """The regions whose distinctive terms all occur among the query's terms,
        or whose one distinctive term begins a longer query term: a compound
        (*Värmlandsöverenskommelsen*, *stockholmsregionens*) names its region too."""
        return frozenset(
            name for name, own in self._region_terms.items()
            if own <= terms or (len(own) == 1 and _begins_compound(next(iter(own)), terms))
        )

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [c for c in self.chunks if c.doc_id == doc_id]


def _begins_compound(head: str, terms: frozenset[str], min_head: int = 5) -> bool:
    """Whether some query term is `head` followed by at least 4 more letters
    (a compound's tail, not an inflection: *värmlands* is not a compound)."""
    return len(head) >= min_head and any(
        len(t) >= len(head) + 4 and t.startswith(head) for t in terms
    )


def _passes(chunk: Chunk, f: Filters) -> bool:
    return (
        (not f.doc or chunk.doc_id in f.doc)
        and (not f.kind or chunk.kind in f.kind)
        and (not f.region or _overlaps(chunk.regions, f.region))
        and (not f.year or chunk.year in f.year)
    )


def _overlaps(values: Iterable[str], wanted: tuple[str, ...]) -> bool:
    return any(v in wanted for v in values)
