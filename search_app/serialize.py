"""JSON of search results: exactly what `GET /api/search` and `kb search --json` print."""

from __future__ import annotations

from index.model import Hit, SearchResult


def hit_json(hit: Hit) -> dict:
    c = hit.chunk
    return {
        "chunk_id": c.id,
        "doc_id": c.doc_id,
        "title": c.title,
        "section": c.section_label,
        "page_start": c.page_start,
        "page_end": c.page_end,
        "text": c.text,
        "snippet_html": hit.snippet_html,
        "score": round(float(hit.score), 6),
        "scores": {
            "keyword": _maybe(hit.scores.get("keyword")),
            "dense": _maybe(hit.scores.get("dense")),
        },
    }


def _maybe(value) -> float | None:
    return None if value is None else round(float(value), 6)


def search_result_json(result: SearchResult) -> dict:
    return {
        "query": result.query.text,
        "total": result.total,
        "results": [hit_json(h) for h in result.hits],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in result.facets.items()
        },
        "suggestion": result.suggestion,
    }
