"""Types of the retrieval stage: what is asked (`Query`) and what comes back (`Hit`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

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
class Marked:
    """Plain text and the spans in it to highlight: the one highlighter. Snippets,
    query-term and answer-span marks are all made as `Marked`; `html()` escapes the
    text first and adds nothing but `<mark>` around the spans, so document text can
    never inject markup."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()  # sorted, non-overlapping (start, end)

    def render(self, open_: str, close: str, quote=str) -> str:
        out, pos = [], 0
        for start, end in self.spans:
            out += [quote(self.text[pos:start]), open_, quote(self.text[start:end]), close]
            pos = end
        out.append(quote(self.text[pos:]))
        return "".join(out)

    def html(self) -> str:
        return self.render("<mark>", "</mark>", lambda s: escape(s, quote=True))


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    scores: dict = field(default_factory=dict, compare=False, hash=False)  # keyword/dense
    snippet: Marked | None = None  # set by search() for the page of hits it returns

    @property
    def snippet_html(self) -> str:
        return self.snippet.html() if self.snippet is not None else ""


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
