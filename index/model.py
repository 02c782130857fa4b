"""Types of the retrieval stage: what is asked (`Query`) and what comes back (`Hit`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.model import Chunk

MODES = ("keyword", "dense", "hybrid")
FACETS = ("doc", "kind", "region", "year")


@dataclass(frozen=True)
class Filters:
    """Applied before fusion; an empty tuple means no restriction."""

    doc: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    year: tuple[int, ...] = ()

    def is_empty(self) -> bool:
        return not (self.doc or self.kind or self.region or self.year)


@dataclass(frozen=True)
class Query:
    text: str
    k: int = 10
    offset: int = 0
    mode: str = "hybrid"
    filters: Filters = field(default_factory=Filters)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    scores: dict = field(default_factory=dict, compare=False, hash=False)  # keyword/dense
    snippet_html: str = ""


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    query: Query
    total: int
    hits: tuple[Hit, ...]
    facets: dict = field(default_factory=dict, compare=False, hash=False)  # name -> [FacetValue]
    suggestion: str | None = None  # spelling suggestion when nothing was found
