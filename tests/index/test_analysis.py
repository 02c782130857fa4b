"""The Swedish analyzer: tables of text -> terms per filter and for the chain."""

from __future__ import annotations

import pickle

import pytest

from index.analysis import (
    AnalyzerParams,
    analyze,
    fold_ascii,
    fold_keep_swedish,
    lemmatize,
    snowball_stem,
    split_compound,
    swedish_analyzer,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [("idéburen", "ideburen"), ("får för", "får för"), ("Müller", "Muller"), ("Åsa", "Åsa")],
)
def test_fold_keeps_swedish_letters(text, folded):
    assert fold_keep_swedish(text) == folded


def test_ascii_fold_removes_all_diacritics():
    assert fold_ascii("överenskommelse västerbotten idé") == "overenskommelse vasterbotten ide"


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("regionerna", "region"),
        ("överenskommelsen", "överenskommelse"),
        ("organisationer", "organisation"),
        ("civilsamhället", "civilsamhälle"),  # unknown compound: lemma of its tail
        ("civilsamhälle", "civilsamhälle"),  # already a lemma (not 'civilsamhälla')
        ("råd", "råd"),
        ("rådet", "råd"),
        ("partnerskap", "partnerskap"),
    ],
)
def test_lemmatize(word, lemma):
    assert lemmatize(word) == lemma


def test_snowball_stems_inflections_alike():
    assert snowball_stem("regionerna") == snowball_stem("regioner") == "region"


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("civilsamhällesorganisationer", {"civilsamhälle", "organisationer"}),  # linking -s-
        ("folkhälsostrategi", {"folkhälsa", "strategi"}),  # -o- for -a
        ("funktionshinderråd", {"funktionshinder", "råd"}),
    ],
)
def test_split_compound(word, parts):
    assert parts <= set(split_compound(word))


@pytest.mark.parametrize("word", ["region", "samverkan", "västra"])
def test_simple_words_are_not_split(word):
    assert split_compound(word) == ()


CHAIN = [
    # text, index terms that must be present, terms that must not
    ("Regionerna och civilsamhället", {"region", "civilsamhälle"}, {"och"}),
    ("Civilsamhällesorganisationer", {"civilsamhälle", "organisation"}, set()),
    ("folkhälsostrategi", {"folkhälsostrategi", "folkhälsa", "strategi"}, set()),
    ("Överenskommelsen i Västerbotten", {"överenskommelse", "västerbotten"}, {"i"}),
    ("idéburet offentligt partnerskap", {"ideburen", "offentlig", "partnerskap"}, set()),
]


LEMMA = AnalyzerParams(morphology="lemma")


@pytest.mark.parametrize(("text", "present", "absent"), CHAIN)
def test_lemma_chain_index_terms(text, present, absent):
    terms = set(analyze(swedish_analyzer(LEMMA), text, mode="index"))
    assert present <= terms
    assert not (absent & terms)


SNOWBALL_CHAIN = [
    ("Regionerna och civilsamhället", {"region", "civilsamhället"}, {"och"}),  # no lemma
    ("Civilsamhällesorganisationer", {"civilsamhäll", "organisation"}, set()),
    ("strategi för folkhälsa", {"strategi", "folkhäls"}, {"för"}),
    ("folkhälsostrategi", {"folkhälsostrategi", "folkhäls", "strategi"}, set()),
    ("Vilka regioner ska ha överenskommelser?", {"region", "överenskomm"}, {"vilka", "ska"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), SNOWBALL_CHAIN)
def test_snowball_chain_index_terms(text, present, absent):
    terms = set(analyze(swedish_analyzer(AnalyzerParams(morphology="snowball")), text, "index"))
    assert present <= terms
    assert not (absent & terms)


DEFAULT_CHAIN = [
    # lemma first, then the Snowball stem: `civilsamhället` and `civilsamhälle` meet
    ("civilsamhället", ["civilsamhäll"]),
    ("Civilsamhällets", ["civilsamhäll"]),
    ("regionerna regionen", ["region", "region"]),
    ("överenskommelser", ["överenskomm"]),
]


@pytest.mark.parametrize(("text", "terms"), DEFAULT_CHAIN)
def test_default_chain_is_lemma_then_snowball(text, terms):
    assert AnalyzerParams().morphology == "lemma+snowball"  # chosen by measurement
    assert analyze(swedish_analyzer(), text) == terms


def test_queries_are_not_split_into_compound_parts():
    assert analyze(swedish_analyzer(), "folkhälsostrategi", mode="query") == ["folkhälsostrategi"]


def test_folded_field_terms_have_no_diacritics():
    terms = analyze(swedish_analyzer(LEMMA, folded=True), "Överenskommelsen", mode="index")
    assert terms == ["overenskommelse"]


def test_snowball_chain():
    analyzer = swedish_analyzer(AnalyzerParams(morphology="snowball", compounds=False))
    assert analyze(analyzer, "regionerna regioner") == ["region", "region"]


def test_analyzer_pickles_small_and_works_after_unpickling():
    analyzer = swedish_analyzer()
    analyze(analyzer, "civilsamhällesorganisationer", mode="index")  # lexicons loaded
    data = pickle.dumps(analyzer)
    assert len(data) < 4000  # lexicons are held by name, not pickled into every TOC
    again = pickle.loads(data)
    assert analyze(again, "Regionerna") == ["region"]
    assert "organisation" in analyze(again, "civilsamhällesorganisationer", mode="index")


def test_unknown_morphology_is_refused():
    with pytest.raises(ValueError, match="okänd morfologi"):
        swedish_analyzer(AnalyzerParams(morphology="porter"))
