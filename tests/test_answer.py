"""Extractive answers on the real corpus: real ingest, real Whoosh index and
the real embedder (built once per session, vectors cached by pytest)."""

from __future__ import annotations

import pytest
from index_fixtures import build_corpus_home

from search_app.answer import answer, enumeration_items
from search_app.engine import Engine
from search_app.settings import Settings


@pytest.fixture(scope="session")
def engine(tmp_path_factory, pytestconfig) -> Engine:
    home = tmp_path_factory.mktemp("answer-home")
    build_corpus_home(home, pytestconfig.cache.mkdir("answer-embeddings"))
    return Engine(Settings(home=home))


def _quotes(result) -> list[str]:
    return [ev.quote for e in result.entities for ev in e.evidence]


def test_list_keeps_only_entities_with_the_relation(engine):
    result = answer(engine, "Vilka regioner har IOP med Funktionsrätt?")
    names = {e.name for e in result.entities}
    assert result.found and result.answer_type == "list"
    assert {"Region Uppsala", "Region Östergötland"} <= names
    # Hard negative: Region Värmland works with Funktionsrätt Värmland, but not by IOP.
    chunks = engine.backend().chunks
    assert any("Funktionsrätt" in c.text and "Region Värmland" in c.regions for c in chunks)
    assert "Region Värmland" not in names
    for entity in result.entities:
        assert entity.evidence and all(ev.chunk_id and ev.quote for ev in entity.evidence)
        assert any("Funktionsrätt" in ev.quote for ev in entity.evidence)


def test_english_list_question_gets_the_same_regions(engine):
    swedish = answer(engine, "Vilka regioner har IOP med Funktionsrätt?")
    english = answer(engine, "Which regions have an IOP with Funktionsrätt?")
    assert {e.name for e in english.entities} == {e.name for e in swedish.entities}


def test_factoid_marks_the_number_and_quotes_its_sentence(engine):
    question = "Hur många regionala organisationer har signerat Överenskommelsen Värmland?"
    result = answer(engine, question)
    assert result.found and result.span == "54"
    assert "signerad av 54 regionala organisationer" in result.answer


def test_definition_comes_from_the_glossary(engine):
    result = answer(engine, "Vad är en LÖK?")
    assert result.found and result.answer_type == "definition"
    assert "Lokal överenskommelse" in result.answer
    assert "kommuner och civilsamhället" in result.answer


def test_english_definition_is_answered_with_the_swedish_quote(engine):
    result = answer(engine, "What is a RÖK?")
    assert result.found
    assert "Regional överenskommelse är en form av samverkan" in result.answer


def test_region_not_in_the_corpus_is_refused_with_closest_passages(engine):
    result = answer(engine, "Hur arbetar Region Sörmland med civilsamhället?")
    assert not result.found
    assert result.sources and not result.entities


def test_figure_never_given_is_refused(engine):
    result = answer(engine, "Hur många kronor får EBL-skolan från Region Värmland?")
    assert not result.found


def test_json_shape(engine):
    data = answer(engine, "Vilka regioner har IOP med Funktionsrätt?").to_json()
    assert list(data) == ["question", "found", "answer_type", "answer", "entities", "sources"]
    evidence = data["entities"][0]["evidence"][0]
    assert list(evidence) == ["chunk_id", "doc_id", "title", "section", "page_start",
                              "page_end", "quote"]
    assert data["sources"] and {"chunk_id", "text", "score"} <= set(data["sources"][0])


@pytest.mark.parametrize(
    ("sentence", "items"),
    [
        ("Rådet består av: ABF (Arbetarnas bildningsförbund), SV (Studieförbundet "
         "Vuxenskolan) och NBV.", ["ABF", "SV", "NBV"]),
        ("Arbetet sker i tre faser: planeringsfas, genomförande- och uppföljningsfas "
         "samt avslutningsfas vilket tar ett år.",
         ["planeringsfas", "genomförande- och uppföljningsfas", "avslutningsfas"]),
    ],
)
def test_enumeration_items(sentence, items):
    assert enumeration_items(sentence) == items
