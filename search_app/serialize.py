"""Every JSON shape the API and the CLI print, in one place: search results
(`GET /api/search` and `kb search --json`), documents and index status (the
documents API and pages), stored chunks (`kb chunks --json`). Pure functions of
the data types; the web and the CLI fetch the data through the engine.
"""

from __future__ import annotations

from pathlib import Path

from index.model import Hit, SearchResult
from ingest.model import Chunk, DocMeta, Document

# The kinds of ingest/manifest.py, as a Swedish reader calls them.
KIND_LABELS = {
    "handbook": "Handbok/rapport",
    "position": "Positionspapper",
    "minutes": "Minnesanteckningar",
    "action plan": "Handlingsplan",
    "appendix": "Bilaga",
    "okänd": "Okänd typ",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.capitalize() if kind else "Okänd typ")


# --- search ---------------------------------------------------------------------


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


# --- documents, index status, chunks -------------------------------------------


def meta_json(meta: DocMeta) -> dict:
    return {
        "doc_id": meta.doc_id,
        "title": meta.title,
        "publisher": meta.publisher,
        "date": meta.date,
        "year": meta.year,
        "kind": meta.kind,
    }


def document_row(doc: Document, chunk_count: int) -> dict:
    """A document in `Engine.documents()`."""
    return {**meta_json(doc.meta), "source": doc.meta.source, "pages": doc.page_count,
            "chunks": chunk_count}


def document_summary_json(row: dict) -> dict:
    """A row of `Engine.documents()` as the documents list shows it."""
    keys = ("doc_id", "title", "publisher", "date", "year", "kind", "pages", "chunks")
    return {
        **{k: row.get(k) for k in keys},
        "kind_label": kind_label(row.get("kind") or ""),
        "filename": Path(row.get("source") or "").name,
    }


def document_json(doc: Document, chunks: list[Chunk]) -> dict:
    meta = doc.meta
    return {
        **meta_json(meta),
        "kind_label": kind_label(meta.kind),
        "filename": Path(meta.source).name,
        "pages": doc.page_count,
        "chunks": len(chunks),
        "paragraphs": [
            {"text": p.text, "page": p.page, "section": " › ".join(p.section),
             "is_heading": p.is_heading}
            for p in doc.paragraphs
        ],
        "chunk_ids": [c.id for c in chunks],
    }


def status_json(status: dict) -> dict:
    """`Engine.status()` as the API and the documents page show it."""
    counts = status.get("counts") or {}
    return {
        "generation": status.get("generation"),
        "built_at": status.get("built_at"),
        "documents": counts.get("documents", 0),
        "chunks": counts.get("chunks", 0),
        "embedder": status.get("embedder"),
    }


def chunk_json(chunk: Chunk) -> dict:
    """A stored chunk as `kb chunks --json` prints it."""
    data = chunk.to_dict()
    data.pop("id")
    return {"chunk_id": chunk.id, **data, "section_label": chunk.section_label}
