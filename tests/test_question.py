"""Question analysis: answer types, entity kinds and constraints, as tables."""

from __future__ import annotations

import pytest

from search_app.question import (
    Term,
    classify,
    definition_subject,
    detect_language,
    enumeration_hint,
    expected_count,
    matches,
    normalize,
    split_alternatives,
    tokens,
    translate,
)


@pytest.mark.parametrize(
    ("question", "answer_type", "kind"),
    [
        ("Vilka kommuner har en lokal överenskommelse?", "list", "municipality"),
        ("vilka landsting samverkar med idrottsrörelsen", "list", "region"),
        ("Which regions support folk high schools?", "list", "region"),
        ("Vilka föreningar får bidrag av regionen?", "list", "organisation"),
        ("Vilka idrottsorganisationer nämns?", "list", "organisation"),
        ("Vilka faser ingår i arbetet?", "list", "other"),
        ("Vilka är de fyra målen i planen?", "list", "other"),
        ("Hur många ledamöter har rådet?", "count", "number"),
        ("hur mycket bidrag delas ut", "count", "number"),
        ("How many members does the council have?", "count", "number"),
        ("När signerades överenskommelsen?", "date", "date"),
        ("When was the agreement signed?", "date", "date"),
        ("Vad är en RÖK?", "definition", None),
        ("Vad betyder ANDTS?", "definition", None),
        ("Vad innebär principen om öppenhet och insyn?", "definition", None),
        ("Vad menas med social ekonomi?", "definition", None),
        ("What is an IOP?", "definition", None),
        ("Har Region Kalmar län ett IOP?", "yesno", None),
        ("Finns det en överenskommelse i Örebro?", "yesno", None),
        ("Hur arbetar Region Halland med integration?", "passage", None),
        ("Varför behövs en överenskommelse?", "passage", None),
        ("Vad säger handlingsplanen om uppföljning?", "passage", None),
        ("Vilken organisation driver Fontänhuset?", "factoid", "organisation"),
        ("Vem ansvarar för samordningen?", "factoid", "other"),
    ],
)
def test_classify(question, answer_type, kind):
    norm = normalize(translate(question))
    assert classify(norm, normalize(question)) == (answer_type, kind)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Which regions have a partnership with the Red Cross?", "en"),
        ("What is meant by the European Code?", "en"),
        ("Vilka regioner har en överenskommelse?", "sv"),
        ("hur manga foreningar finns i torsby", "sv"),
    ],
)
def test_language(question, language):
    assert detect_language(normalize(question)) == language


def test_translation_keeps_names_and_maps_content_words():
    assert translate("Which hospitals have Red Cross volunteers?") == (
        "Which sjukhus have Röda Korset frivilliga?")


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Vad är en LÖK?", "LÖK"),
        ("Vad menas med hälsosamma levnadsvanor?", "hälsosamma levnadsvanor"),
        ("Vad betyder social ekonomi i rapporten?", "social ekonomi"),
        ("What is the European Code referred to in the report?", "European Code"),
    ],
)
def test_definition_subject(question, subject):
    assert definition_subject(question) == subject


def test_alternatives_after_for_example_are_one_group():
    main, alternatives = split_alternatives(
        "Vilka kommuner har ett råd, t.ex. ungdomsråd, äldreråd eller integrationsråd?")
    assert main == "Vilka kommuner har ett råd"
    assert alternatives == ["ungdomsråd", "äldreråd", "integrationsråd"]


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("Vilka är regionens tre strategiska mål?", 3),
        ("Vilka är de fem faserna?", 5),
        ("Vilka regioner har IOP?", None),
        ("Vilka aktiviteter planerades under 2018?", None),
    ],
)
def test_expected_count(question, count):
    assert expected_count(normalize(question)) == count


def _term(*phrases: str) -> Term:
    return Term(text=phrases[0], variants=tuple(tokens(p) for p in phrases))


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("minoriteterna", "samråd med de nationella minoriteternas företrädare", True),
        ("minoriteter", "inom minoritetsområdet", True),  # inside a compound
        ("råd", "det regionala funktionshinderrådet", True),  # compound head
        ("offentliga", "idéburna ofentliga partnerskap", True),  # dropped ligature
        ("folkhögskolor", "ansvarar för folkhögskolan", True),
        ("samråd", "regionen samråder med", True),
        ("röda korset", "Röda Korsets behandlingscenter", True),
        ("röda korset", "Röda Fältet och Korset", False),
        ("iop", "ett partnerskap med kommunen", False),
        ("råd", "ett avtal med rådgivare", True),  # prefix
        ("kod", "europeisk kodex", True),
        ("kod", "periodiska rapporter", False),
    ],
)
def test_term_matching(phrase, text, expected):
    assert matches(_term(phrase), tokens(text)) is expected


def test_synonym_variants_match_either_spelling():
    iop = _term("iop", "idéburet offentligt partnerskap")
    assert matches(iop, tokens("tre idéburna offentliga partnerskap"))
    assert matches(iop, tokens("ett IOP med kommunen"))


def test_enumeration_hint_finds_head_noun():
    assert enumeration_hint("Vilka faser går man igenom?") == "faser"
