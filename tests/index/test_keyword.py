"""The Whoosh keyword index on the real corpus (no vectors needed here):
inflection, compounds, missing diacritics, typos and abbreviations."""

from __future__ import annotations

import re

import pytest

from index.analysis import AnalyzerParams, swedish_analyzer
from index.glossary import build_glossary, extract_pairs, initials_match, parse_curated
from index.keyword import KeywordIndex, write_keyword_index
from index.snippets import snippet_html
from tests.support.index import load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def keyword(corpus, tmp_path_factory):
    documents, chunks = corpus
    path = tmp_path_factory.mktemp("kw")
    params = AnalyzerParams()
    write_keyword_index(path, chunks, params)
    glossary = build_glossary(p.text for d in documents for p in d.paragraphs)
    index = KeywordIndex(path, params, glossary)
    yield index, chunks
    index.close()


def top_texts(keyword, text: str, k: int = 5) -> list[str]:
    index, chunks = keyword
    return [chunks[h.row].text for h in index.search(index.parse(text), k)]


def any_contains(texts: list[str], pattern: str) -> bool:
    return any(re.search(pattern, t, re.IGNORECASE) for t in texts)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("folkhögskolan", r"folkhögskolor"),  # singular query, plural text
        ("regionernas överenskommelser", r"överenskommelse"),
        ("föreningen", r"föreningar"),
    ],
)
def test_inflected_forms_are_found(keyword, query, found):
    assert any_contains(top_texts(keyword, query), found)


@pytest.mark.parametrize(
    ("query", "compound"),
    [
        ("organisationer i civilsamhället", r"civilsamhällesorganisationer"),
        ("strategi för folkhälsa", r"folkhälsostrategi"),
    ],
)
def test_compounds_are_found_by_their_parts(keyword, query, compound):
    assert any_contains(top_texts(keyword, query, 10), compound)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("vasterbotten", r"Västerbotten"),
        ("overenskommelse", r"Överenskommelse"),
        ("Norbotten", r"Norrbotten"),  # typo
        ("jamtland harjedalen", r"Jämtland Härjedalen"),
    ],
)
def test_queries_without_diacritics_or_with_typos(keyword, query, found):
    assert any_contains(top_texts(keyword, query, 3), found)


def test_corrections_are_reported(keyword):
    index, _ = keyword
    parsed = index.parse("Norbotten")
    assert parsed.corrections == {"norbotten": "norrbotten"}
    assert index.parse("Norrbotten").corrections == {}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("IOP", r"idéburet of+entligt partnerskap|idéburna of+entliga partnerskap"),
        ("idéburet offentligt partnerskap", r"\bIOP\b"),
        ("SKR", r"\bSKL\b|Sveriges Kommuner och Landsting"),
        ("lokal överenskommelse", r"\bLÖK\b"),
        ("RÖK", r"regional överenskommelse"),
    ],
)
def test_abbreviations_and_renamed_bodies(keyword, query, found):
    assert any_contains(top_texts(keyword, query, 10), found)


def test_nonsense_finds_nothing(keyword):
    assert top_texts(keyword, "qwxzv") == []
    index, _ = keyword
    assert index.parse("och i för").query is None


def test_glossary_pairs_from_definition_list_and_parentheses():
    text = (
        "LÖK Lokal överenskommelse - är en form av samverkan.\n"
        "SKR Sveriges kommuner och regioner.\n"
        "Regionen har ett idéburet offentligt partnerskap (IOP) med Röda Korset.\n"
        "Det finns (EU) pengar."
    )
    pairs = set(extract_pairs([text]))
    assert ("LÖK", "lokal överenskommelse") in pairs
    assert ("SKR", "sveriges kommuner och regioner") in pairs
    assert ("IOP", "idéburet offentligt partnerskap") in pairs
    assert not any(abbr == "EU" for abbr, _ in pairs)


def test_initials_match():
    assert initials_match("RÖK", "regional överenskommelse")
    assert not initials_match("IOP", "ett partnerskap")


def test_curated_file_format():
    groups = parse_curated("# kommentar\nSKL = SKR\nlandsting ~ region\n")
    assert [g.phrases for g in groups] == [("SKL", "SKR"), ("landsting", "region")]
    assert groups[1].weight < groups[0].weight


def test_snippet_marks_terms_and_escapes_text():
    analyzer = swedish_analyzer()
    html = snippet_html("<b>Regionerna</b> & civilsamhället", frozenset({"region"}), analyzer)
    assert html == "&lt;b&gt;<mark>Regionerna</mark>&lt;/b&gt; &amp; civilsamhället"


def test_snippet_marks_compounds_found_by_a_part():
    analyzer = swedish_analyzer()
    html = snippet_html("En folkhälsostrategi antogs.", frozenset({"strategi"}), analyzer)
    assert "<mark>folkhälsostrategi</mark>" in html
