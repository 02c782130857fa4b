"""JSON API at `/api` (and `/healthz`): parse and validate, call the engine, serialise.

The same `Engine` methods back `kb search --json` and `kb ask --json`, so both
print the same objects. Errors (400/404) are raised as `InvalidInput` and turned
into `{"error", "detail"}` by the app-level handler in `search_app/web/__init__.py`.
"""

from __future__ import annotations

import functools
from importlib.resources import files

import yaml
from flask import Blueprint, jsonify, request, url_for

from search_app.web import views
from search_app.web.validate import parse_q, parse_search

bp = Blueprint("api", __name__)


@bp.get("/search")
def search():
    engine = views.engine()
    query = parse_search(request.args, views.known_values(engine))
    return jsonify(views.search_json(engine, query))


@bp.get("/ask")
def ask():
    question = parse_q(request.args)
    return jsonify(views.engine().ask(question).to_json())


@bp.get("/documents")
def documents():
    engine = views.engine()
    return jsonify(
        {
            "index": views.status_json(engine),
            "documents": [_with_urls(summary) for summary in views.document_summaries(engine)],
        }
    )


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    engine = views.engine()
    return jsonify(_with_urls(views.document_json(engine, views.find_document(engine, doc_id))))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_spec())


def healthz():
    status = views.status_json(views.engine())
    return jsonify({"status": "ok" if status["generation"] else "utan index", **status})


@functools.cache
def openapi_spec() -> dict:
    text = files("search_app.web").joinpath("openapi.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _with_urls(doc: dict) -> dict:
    return {
        **doc,
        "url": url_for("pages.document", doc_id=doc["doc_id"], _external=False),
        "original_url": url_for("pages.original", doc_id=doc["doc_id"], _external=False),
    }

