"""search_app/measure/perturb.py: variants and agreement, on own examples and the real
resources (project stopword list, installed thesaurus, wordfreq)."""

from __future__ import annotations

import pytest

from search_app.measure.evaluate import Question
from search_app.measure.perturb import (
    KINDS,
    Variant,
    agree,
    compare,
    default_perturber,
    format_perturbation,
    keywords,
    pick_synonym,
    strip_diacritics,
    summarize,
    synonym_swap,
    typo,
    view,
)

STOP = frozenset({"vilka", "har", "med", "i", "för", "hur", "många", "en", "what", "is", "the"})


@pytest.fixture(scope="module")
def perturber():
    return default_perturber()


def test_strip_diacritics():
    text = "Hur många Ö-bor får idéburen ÅÄÖ?"
    assert strip_diacritics(text) == "Hur manga O-bor far ideburen AAO?"


def test_typo_is_one_edit_in_the_longest_content_word_and_repeatable():
    text = "Vilka regioner har överenskommelse med Röda Korset?"
    v = typo(text, "q1", STOP)
    assert v.kind == "typo" and v.text == typo(text, "q1", STOP).text
    changed = [(a, b) for a, b in zip(text.split(), v.text.split(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][0] == "överenskommelse"
    new = changed[0][1]
    assert new[0] == "ö" and new != "överenskommelse"
    assert abs(len(new) - len("överenskommelse")) <= 1


def test_typo_varies_with_the_question_id():
    text = "Vilka regioner har överenskommelse med Röda Korset?"
    assert len({typo(text, f"q{i}", STOP).text for i in range(12)}) > 3


def test_typo_skipped_without_a_long_content_word():
    assert typo("Vilka har med?", "q1", STOP).text is None


def test_keywords_drop_function_and_question_words_keep_negation():
    v = keywords("Vilka regioner har inte IOP med Röda Korset?", STOP)
    assert v.text == "regioner inte IOP Röda Korset"
    assert keywords("What is the IOP?", STOP).text == "IOP"
    assert keywords("vilka har med", STOP).text is None
    # a question typed without å/ä/ö loses its function words too
    assert keywords("hur manga foreningar", STOP).text == "foreningar"


def test_pick_synonym_prefers_frequent_and_keeps_inflection():
    freq = {"avtal": 5.0, "pakt": 3.0, "längtar": 3.0, "brist": 4.5}
    assert pick_synonym("överenskommelse", {"pakt", "avtal"}, freq) == "avtal"
    lemma = {"saknar": "sakna"}.get
    assert pick_synonym("saknar", {"brist", "längtar"}, freq,
                        lambda w: lemma(w) or w) == "längtar"
    assert pick_synonym("saknar", {"brist"}, freq, lambda w: lemma(w) or w) is None
    assert pick_synonym("ord", set(), freq) is None


def test_synonym_swap_leaves_names_acronyms_and_compound_parts():
    syns = {"region": {"område"}, "korset": {"krysset"}, "iop": {"x"}, "barn": {"unge"}}.get
    v = synonym_swap("Vilka barn- och ungdomsråd har Region Gotland och IOP?", "q1", STOP,
                     lambda w: syns(w, set()), {})
    assert v.text is None
    v = synonym_swap("vilken region har IOP med Röda Korset", "q1", STOP,
                     lambda w: syns(w, set()), {})
    assert v.text == "vilken område har IOP med Röda Korset" and v.detail == "region → område"


def test_real_resources_give_all_kinds(perturber):
    variants = perturber.variants("q004", "Vilka regioner håller på att ta fram en regional "
                                          "överenskommelse med civilsamhället?")
    assert [v.kind for v in variants] == list(KINDS)
    assert all(v.text for v in variants)
    syn = variants[-1]
    assert "överenskommelse" not in syn.text and syn.detail.startswith("överenskommelse → ")
    assert variants[0].text.startswith("Vilka regioner haller pa")


def test_real_synonym_samarbeta(perturber):
    v = perturber.variants("x", "Vilka kommuner samverkar med föreningar?")[-1]
    # `samverkar` is inflected: only a synonym with the same ending is taken, else skipped
    assert v.text is None or v.text.split()[2].endswith("ar")
    v = perturber.variants("x", "kommuner som vill samverka med civilsamhället")[-1]
    assert v.text == "kommuner som vill samarbeta med civilsamhället"


def test_identical_variants_are_skipped(perturber):
    variants = perturber.variants("d", "hur ofta ses styrgruppen")
    by_kind = {v.kind: v for v in variants}
    assert by_kind["diacritics"].text is None and by_kind["lower"].text is None


def _answer(found=True, text="", names=()):
    return {"found": found, "answer": text, "entities": [{"name": n} for n in names]}


def test_agree_lists_compare_entity_keys():
    a = view(_answer(names=["Region Gotland", "Region Skåne"]))
    b = view(_answer(names=["Gotland", "skåne"]))
    c = view(_answer(names=["Gotland"]))
    assert agree("list", a, b) and not agree("list", a, c)
    assert not agree("list", a, view(_answer(found=False)))
    assert agree("list", view(_answer(found=False)), view(_answer(found=False, text="x")))


def test_agree_factoid_on_the_lead():
    gold = ("350",)
    right = view(_answer(text="350 evenemang.\nKälla: ”… 120 …”"), gold)
    right2 = view(_answer(text="Det är 350 stycken."), gold)
    wrong = view(_answer(text="120 evenemang.\nKälla: ”… 350 …”"), gold)
    wrong2 = view(_answer(text="Omkring 90."), gold)
    assert agree("factoid", right, right2)
    assert not agree("factoid", right, wrong)
    assert not agree("factoid", wrong, wrong2)  # two different wrong leads
    assert agree("factoid", wrong, view(_answer(text="120 evenemang.\nAnnat"), gold))


def test_agree_other_types_on_found():
    assert agree("definition", view(_answer(text="A")), view(_answer(text="B")))
    assert not agree("unanswerable", view(_answer()), view(_answer(found=False)))


def test_summary_and_text_report():
    q = Question("q1", "Vilka regioner?", "list", ("Region Gotland",))
    ok = compare(q, Variant("lower", "vilka regioner?"), _answer(names=["Gotland"]),
                 _answer(names=["Region Gotland"]))
    bad = compare(q, Variant("typo", "Vilka regionr?", "drop"), _answer(names=["Gotland"]),
                  _answer(found=False))
    section = summarize([ok, bad], {"synonym": 1}, questions=1)
    assert section["agreement"] == 0.5
    assert section["by_kind"]["lower"] == {"n": 1, "skipped": 0, "agreement": 1.0}
    assert section["by_kind"]["synonym"]["skipped"] == 1
    assert [w["kind"] for w in section["worst"]] == ["typo"]
    assert section["worst"][0]["perturbed"] == "(avböjd)"
    text = format_perturbation(section)
    assert "0.500" in text and "Vilka regionr?" in text
