"""Swedish HTML at `/`: the search page (with the answer panel), the document
page and the list of documents. Server-rendered; every control is a link or a
plain form, so everything works without JavaScript.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, send_file, url_for

from index.model import FACETS, Hit, Query
from search_app.serialize import kind_label, search_result_json
from search_app.web import views
from search_app.web.highlight import mark_span, mark_terms, marked_html, query_terms
from search_app.web.validate import (
    MAX_QUERY_CHARS,
    InvalidInput,
    NotFound,
    parse_filters,
    parse_int,
    parse_mode,
    parse_q,
)

bp = Blueprint("pages", __name__)

PER_PAGE = 10
FACET_LIMIT = 8  # values shown before "Visa N till"
MAX_PAGE = 100
# Labels of index.model.MODES, in the order the form shows them.
MODE_LABELS = {"hybrid": "Kombinerad (rekommenderas)", "keyword": "Bara sökorden",
               "dense": "Bara betydelse (semantisk)"}
FACET_TITLES = {"doc": "Dokument", "kind": "Dokumenttyp", "region": "Region", "year": "År"}
QUESTION_WORDS = frozenset(
    "vilka vilken vilket vad hur när var varför vem vems finns har kan ska måste bör får "
    "är stämmer what which who how when where why does do is are can should".split()
)


def is_question(text: str) -> bool:
    """A question gets the answer panel; a few keywords get only results."""
    words = re.findall(r"\w+", text.lower())
    return text.rstrip().endswith("?") or (len(words) >= 3 and words[0] in QUESTION_WORDS)


# --- search --------------------------------------------------------------------------------


@bp.get("/")
def search():
    if "q" not in request.args:
        return render_template("search.html", **_form_context("", "hybrid"))
    raw_q = (request.args.get("q") or "")[: MAX_QUERY_CHARS * 2]
    try:
        return render_template("search.html", **_results_context())
    except InvalidInput as exc:
        context = _form_context(raw_q, request.args.get("mode") or "hybrid")
        return render_template("search.html", **context, error=exc), 400


def _form_context(q: str, mode: str) -> dict:
    return {"q": q, "mode": mode if mode in MODE_LABELS else "hybrid",
            "modes": list(MODE_LABELS.items()),
            "max_q": MAX_QUERY_CHARS, "active": "sok", "facet_limit": FACET_LIMIT}


def _results_context() -> dict:
    eng = views.engine()
    q = parse_q(request.args)
    mode = parse_mode(request.args)
    page = parse_int(request.args, "sida", 1, 1, MAX_PAGE)
    filters = parse_filters(request.args, views.known_values(eng))
    query = Query(q, k=PER_PAGE, offset=(page - 1) * PER_PAGE, mode=mode, filters=filters)
    found = eng.search(query)
    result = search_result_json(found)
    terms = query_terms(q)
    state = _State(q, mode, {name: _chosen(filters, name) for name in FACETS})
    answer = _answer_view(eng.ask(q), terms) if is_question(q) and page == 1 else None
    return {
        **_form_context(q, mode),
        "result": result,
        "hits": [_hit_view(h, terms) for h in found.hits],
        "first": query.offset + 1,
        "last": query.offset + len(result["results"]),
        "answer": answer,
        "facets": _facet_views(result["facets"], state),
        "active_filters": _active_filters(result["facets"], state),
        "pager": _pager(result["total"], page, state),
        "suggestion": _suggestion(result.get("suggestion"), state),
    }


def _chosen(filters, name: str) -> tuple[str, ...]:
    return tuple(str(v) for v in getattr(filters, name))


@dataclass(frozen=True)
class _State:
    """The current search as URL parameters, to build links that change one thing."""

    q: str
    mode: str
    filters: dict[str, tuple[str, ...]]

    def href(self, page: int = 1, **changes: tuple[str, ...]) -> str:
        filters = {**self.filters, **changes}
        params: list[tuple[str, str]] = [("q", self.q)]
        if self.mode != "hybrid":
            params.append(("mode", self.mode))
        params += [(name, v) for name in FACETS for v in filters.get(name, ())]
        if page > 1:
            params.append(("sida", str(page)))
        return url_for("pages.search") + "?" + urlencode(params)

    def toggle(self, name: str, value: str) -> str:
        chosen = self.filters.get(name, ())
        new = tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)
        return self.href(**{name: new})


def _hit_view(hit: Hit, terms: tuple[str, ...]) -> dict:
    c = hit.chunk
    has_snippet = hit.snippet is not None and hit.snippet.text
    return {
        "title": c.title or c.doc_id,
        "section": c.section_label,
        "pages": pages_label(c.page_start, c.page_end),
        "snippet": marked_html(hit.snippet) if has_snippet else mark_terms(_shorten(c.text), terms),
        "href": passage_href(c.doc_id, c.id),
    }


def pages_label(start: int, end: int) -> str:
    return f"s. {start}" if start == end else f"s. {start}–{end}"


def passage_href(doc_id: str, chunk_id: str) -> str:
    base = url_for("pages.document", doc_id=doc_id, markera=chunk_id)
    return f"{base}#{views.anchor(chunk_id)}"


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


KIND_SINGULARS = {"region": "region", "municipality": "kommun",
                  "organisation": "organisation"}
KIND_PLURALS = {"region": "regioner", "municipality": "kommuner",
                "organisation": "organisationer"}
_QUOTE = re.compile(r"”(?P<quote>[^”]+)”\s*\((?P<cite>[^()]*(?:\([^()]*\)[^()]*)*)\)")


def _answer_view(answer, terms: tuple[str, ...]) -> dict:
    data = answer.to_json()
    span = getattr(answer, "span", "") or ""
    entities = [
        {"name": e["name"], "note": e.get("note") or "",
         "evidence": [_evidence_view(ev, terms) for ev in e["evidence"]]}
        for e in data["entities"]
    ]
    quotes = [] if entities or not data["found"] else _quotes(data, span)
    plain = data["found"] and not (quotes or entities)
    return {
        "found": data["found"],
        "lead": _lead(data, entities, span),
        "span": span,
        "quotes": quotes,
        "text": mark_span(data["answer"], span) if plain else None,
        "entities": entities,
        "sources": [_hit_view(h, terms) for h in answer.sources],
    }


def _lead(data: dict, entities: list[dict], span: str) -> str:
    if entities:
        kinds = {e["kind"] for e in data["entities"]}
        kind = next(iter(kinds)) if len(kinds) == 1 else ""
        noun = (KIND_SINGULARS if len(entities) == 1 else KIND_PLURALS).get(kind, "svar")
        return f"{len(entities)} {noun} med stöd i dokumenten:"
    return ""


def _quotes(data: dict, span: str) -> list[dict]:
    """The cited sentences of a sentence answer, each linked to its passage."""
    out = []
    for match in _QUOTE.finditer(data["answer"]):
        quote = match.group("quote")
        source = next((h for h in data["sources"] if _squash(quote) in _squash(h["text"])),
                      None)
        out.append({
            "quote_html": mark_span(quote, span),
            "cite": match.group("cite"),
            "href": passage_href(source["doc_id"], source["chunk_id"]) if source else None,
        })
    return out


def _squash(text: str) -> str:
    return " ".join(text.split())


def _evidence_view(ev: dict, terms: tuple[str, ...]) -> dict:
    where = ", ".join(part for part in (ev["title"] or ev["doc_id"], ev["section"]) if part)
    return {
        "quote_html": mark_terms(ev["quote"], terms),
        "cite": f"{where}, {pages_label(ev['page_start'], ev['page_end'])}",
        "href": passage_href(ev["doc_id"], ev["chunk_id"]),
    }


def _facet_views(facets: dict, state: _State) -> list[dict]:
    views_ = []
    for name in FACETS:
        values = facets.get(name) or []
        if not values:
            continue
        chosen = state.filters.get(name, ())
        views_.append(
            {
                "label": FACET_TITLES[name],
                "hidden_active": any(str(v["value"]) in chosen for v in values[FACET_LIMIT:]),
                "options": [
                    {
                        "label": _facet_label(name, v),
                        "count": v["count"],
                        "active": str(v["value"]) in chosen,
                        "href": state.toggle(name, str(v["value"])),
                    }
                    for v in values
                ],
            }
        )
    return views_


def _facet_label(name: str, value: dict) -> str:
    label = value.get("label") or str(value["value"])
    return kind_label(label) if name == "kind" and label == value["value"] else label


def _active_filters(facets: dict, state: _State) -> list[dict]:
    labels = {
        (name, str(v["value"])): _facet_label(name, v)
        for name in FACETS
        for v in facets.get(name) or []
    }
    return [
        {
            "facet": FACET_TITLES[name],
            "label": labels.get((name, value), value),
            "remove": state.toggle(name, value),
        }
        for name in FACETS
        for value in state.filters.get(name, ())
    ]


def _pager(total: int, page: int, state: _State) -> dict | None:
    last = min(MAX_PAGE, math.ceil(total / PER_PAGE))
    if last <= 1:
        return None
    shown = range(max(1, page - 4), min(last, page + 4) + 1)
    return {
        "prev": state.href(page - 1) if page > 1 else None,
        "next": state.href(page + 1) if page < last else None,
        "pages": [{"number": n, "current": n == page, "href": state.href(n)} for n in shown],
    }


def _suggestion(text: str | None, state: _State) -> dict | None:
    if not text:
        return None
    return {"text": text, "href": _State(text, state.mode, {}).href()}


# --- documents -----------------------------------------------------------------------------


@bp.get("/dokument")
def documents():
    eng = views.engine()
    status = views.status_json(eng)
    return render_template(
        "documents.html",
        documents=views.document_summaries(eng),
        status={**status, "built_at_label": _when(status.get("built_at"))},
        active="dokument",
    )


def _when(iso: str | None) -> str:
    """'2024-05-03T10:15:00+00:00' → '2024-05-03 kl. 10:15 (UTC)'."""
    if not iso:
        return ""
    date, _, time = iso.partition("T")
    return f"{date} kl. {time[:5]} (UTC)" if time else date


@bp.get("/dokument/<doc_id>")
def document(doc_id: str):
    eng = views.engine()
    doc = views.find_document(eng, doc_id)
    chunks = eng.chunks_of(doc_id)
    wanted = request.args.get("markera", "")
    cited = next((c for c in chunks if c.id == wanted), None)
    blocks = views.layout(doc, chunks, cited)
    data = views.document_json(eng, doc)
    has_original = views.original_file(doc, eng.settings.corpus) is not None
    return render_template(
        "document.html",
        doc={**data, "has_original": has_original},
        groups=_groups(blocks, views.anchor(cited.id) if cited else None),
        cited=views.anchor(cited.id) if cited else None,
        back=request.referrer if _from_search() else url_for("pages.documents"),
        from_search=_from_search(),
        active="dokument",
    )


def _from_search() -> bool:
    ref = request.referrer or ""
    return ref.startswith(request.host_url) and "?q=" in ref


def _groups(blocks: list[views.Block], cited_anchor: str | None) -> list[dict]:
    """Consecutive blocks; the cited ones form one group carrying the cited anchor."""
    groups: list[dict] = []
    for block in blocks:
        if not groups or groups[-1]["cited"] != block.cited:
            groups.append({"cited": block.cited, "anchor": cited_anchor if block.cited else None,
                           "blocks": []})
        own = tuple(a for a in block.anchors if a != groups[-1]["anchor"])
        groups[-1]["blocks"].append({"block": block, "id": own[0] if own else None,
                                     "extra": own[1:]})
    return groups


@bp.get("/dokument/<doc_id>/original")
def original(doc_id: str):
    eng = views.engine()
    doc = views.find_document(eng, doc_id)
    found = views.original_file(doc, eng.settings.corpus)
    if found is None:
        raise NotFound(
            "Originalfilen finns inte",
            "Filen som indexerades finns inte längre kvar oförändrad på servern.",
        )
    response = send_file(
        found.path, mimetype=found.mimetype, as_attachment=not found.inline,
        download_name=found.path.name, max_age=3600,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
