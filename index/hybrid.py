"""Hybrid retrieval: keyword and dense rankings, filtered before fusion, fused,
overlapping chunks collapsed, then facets, pagination and snippets.

`fuse` is pure: rankings in, new `Hit`s out (`dataclasses.replace`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.backend import IndexBackend
from index.embed import Embedder
from index.language import detect_language
from index.model import MODES, FacetValue, Filters, Hit, Query, SearchResult
from index.snippets import snippet
from ingest.model import Chunk

METHODS = ("rrf", "score")


@dataclass(frozen=True)
class FusionParams:
    """The defaults are the ones chosen by `kb eval` (docs/index.md); every field is
    a setting too (search_app/settings.py, `KB_RRF_K` etc.)."""

    method: str = "rrf"  # rrf | score (min-max normalised, weighted sum)
    k: int = 10
    keyword_weight: float = 1.0
    dense_weight: float = 1.6
    keyword_pool: int = 300  # keyword candidates fused
    dense_pool: int = 60  # dense candidates fused (every chunk has a cosine)
    collapse_overlap: float = 0.5  # share of the shorter chunk that makes two one passage
    entity_boost: float = 0.5  # extra share of score for chunks about a region the query names
    english_keyword_factor: float = 0.3  # keyword weight times this for an English query


def fuse(
    rankings: Sequence[Sequence[Hit]], weights: Sequence[float], k: int = FusionParams.k,
    method: str = FusionParams.method,
) -> list[Hit]:
    """One ranking from several; a chunk's per-ranking scores are merged into `scores`."""
    if method not in METHODS:
        raise ValueError(f"okänd fusionsmetod {method!r} (välj bland {METHODS})")
    total: dict[str, float] = {}
    first: dict[str, Hit] = {}
    scores: dict[str, dict] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        contributions = _contributions(ranking, k, method)
        for hit, value in zip(ranking, contributions, strict=True):
            cid = hit.chunk.id
            total[cid] = total.get(cid, 0.0) + weight * value
            first.setdefault(cid, hit)
            scores.setdefault(cid, {}).update(hit.scores)
    order = sorted(total, key=lambda cid: (-total[cid], cid))
    return [dataclasses.replace(first[c], score=total[c], scores=scores[c]) for c in order]


def _contributions(ranking: Sequence[Hit], k: int, method: str) -> list[float]:
    if method == "rrf":
        return [1.0 / (k + rank) for rank in range(1, len(ranking) + 1)]
    if not ranking:
        return []
    values = np.array([h.score for h in ranking], dtype=float)
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-12:
        return [1.0] * len(ranking)
    return ((values - low) / (high - low)).tolist()


def _overlap(a: Chunk, b: Chunk) -> float:
    if a.doc_id != b.doc_id:
        return 0.0
    if a.text.strip() == b.text.strip():
        return 1.0
    if a.char_end <= a.char_start or b.char_end <= b.char_start:
        return 0.0
    inter = min(a.char_end, b.char_end) - max(a.char_start, b.char_start)
    shorter = min(a.char_end - a.char_start, b.char_end - b.char_start)
    return max(0.0, inter) / shorter


def collapse(hits: Sequence[Hit], threshold: float) -> list[Hit]:
    """Drop a hit that mostly repeats a better-ranked one of the same document."""
    kept: list[Hit] = []
    for hit in hits:
        if all(_overlap(hit.chunk, k.chunk) < threshold for k in kept):
            kept.append(hit)
    return kept


def favour_named(hits: Sequence[Hit], regions: frozenset[str], boost: float) -> list[Hit]:
    """When the query names regions, chunks about one of them gain `boost` of
    their score (a question about Region Kronoberg wants Kronoberg's chapter)."""
    if not regions or boost <= 0:
        return list(hits)
    boosted = [
        dataclasses.replace(h, score=h.score * (1 + boost)) if regions & set(h.chunk.regions)
        else h
        for h in hits
    ]
    return sorted(boosted, key=lambda h: -h.score)


def keyword_weight(text: str, params: FusionParams) -> float:
    """The keyword ranking's weight for this query. The keyword index is
    Swedish-analysed, so an English query matches it only through names and
    loanwords, and that ranking would mostly push the dense one's hits down
    (dev: an English question's evidence at dense rank 2 fell to 4 in hybrid)."""
    if detect_language(text) == "en":
        return params.keyword_weight * params.english_keyword_factor
    return params.keyword_weight


def retrieve(
    backend: IndexBackend, embedder: Embedder | None, text: str, limit: int,
    mode: str = "hybrid", filters: Filters | None = None, params: FusionParams | None = None,
) -> tuple[list[Hit], frozenset[str], dict[str, str], int]:
    """Fused, collapsed hits; also the analysed query terms, spelling
    corrections and the number of keyword matches."""
    if mode not in MODES:
        raise ValueError(f"okänt sökläge {mode!r} (välj bland {MODES})")
    params = params or FusionParams()
    allowed = backend.allowed(filters or Filters())
    rankings, weights = [], []
    parsed = backend.parse(text)
    keyword_hits: list[Hit] = []
    if mode in ("keyword", "hybrid"):
        keyword_hits = backend.keyword(parsed, max(limit, params.keyword_pool), allowed)
        rankings.append(keyword_hits)
        weights.append(keyword_weight(text, params))
    if mode in ("dense", "hybrid") and embedder is not None and text.strip():
        embedding = embedder.embed_query(text)
        rankings.append(backend.vector(embedding, max(limit, params.dense_pool), allowed))
        weights.append(params.dense_weight)
    fused = fuse(rankings, weights, params.k, params.method)
    fused = favour_named(fused, backend.named_regions(parsed.terms), params.entity_boost)
    hits = collapse(fused, params.collapse_overlap)
    return hits, parsed.terms, parsed.corrections, len(keyword_hits)


def search(
    backend: IndexBackend, embedder: Embedder | None, query: Query, analyzer,
    params: FusionParams | None = None,
) -> SearchResult:
    """Filtered, fused, paginated hits with snippets, facets and a suggestion."""
    limit = query.offset + query.k
    hits, terms, corrections, keyword_count = retrieve(
        backend, embedder, query.text, limit, query.mode, query.filters, params
    )
    page = tuple(
        dataclasses.replace(h, snippet=snippet(h.chunk.text, terms, analyzer))
        for h in hits[query.offset:limit]
    )
    suggestion = None
    if keyword_count == 0 and corrections:
        suggestion = re.sub(
            r"\w+", lambda m: corrections.get(m.group().lower(), m.group()), query.text
        )
    return SearchResult(query, len(hits), page, facets(hits), suggestion)


def facets(hits: Sequence[Hit]) -> dict[str, list[FacetValue]]:
    """Counts of chunks per document, kind, region and year over all candidates."""
    titles: dict[str, str] = {}
    counters = {name: Counter() for name in ("doc", "kind", "region", "year")}
    for hit in hits:
        c = hit.chunk
        titles[c.doc_id] = c.title or c.doc_id
        counters["doc"][c.doc_id] += 1
        counters["kind"][c.kind] += 1
        for region in set(c.regions):
            counters["region"][region] += 1
        if c.year is not None:
            counters["year"][str(c.year)] += 1
    labels = {"doc": titles}
    return {
        name: [
            FacetValue(value, labels.get(name, {}).get(value, value), count)
            for value, count in sorted(counter.items(), key=lambda vc: (-vc[1], vc[0]))
        ]
        for name, counter in counters.items()
    }
