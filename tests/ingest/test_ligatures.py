"""Dropped-ligature repair: real damaged Swedish words, and correct words that
must never change."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest.ligatures import LigatureRepair, build_vocab, candidates
from ingest.model import LIGATURE_MARK, CleanReport


@pytest.fixture(scope="module")
def repair() -> LigatureRepair:
    return LigatureRepair(Counter())


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("fnns", "finns"),
        ("ofentliga", "offentliga"),
        ("fera", "flera"),
        ("kollektivtrafk", "kollektivtrafik"),
        ("träfas", "träffas"),
        ("fnansiering", "finansiering"),
        ("dialogsträfar", "dialogsträffar"),
        ("Trafk", "Trafik"),
        ("Fnns", "Finns"),
        ("infytande", "inflytande"),
        ("specifka", "specifika"),
        ("fertal", "flertal"),
        ("ferårig", "flerårig"),
        ("trafksäkerhetsföreningar", "trafiksäkerhetsföreningar"),
        ("efektivisera", "effektivisera"),
    ],
)
def test_damaged_words_are_repaired(repair, damaged, repaired):
    assert repair.repair_word(damaged) == repaired


@pytest.mark.parametrize(
    "word",
    [
        "fler", "fem", "efter", "ofta", "fall", "förfas", "Löfvenberg", "Aflaki",
        "fika", "fest", "fyra", "fria", "fack", "fin", "utvecklingskraft",
        "förvaltningschefer", "föreningar", "samlingsfas", "beslutsfas", "dialogforum",
        "fokus", "fältverksamhet", "afasiföreningen", "RF", "of", "f",
    ],
)
def test_correct_words_are_kept(repair, word):
    assert repair.repair_word(word) == word


def test_text_repair_keeps_punctuation_hyphens_and_reports():
    report = CleanReport()
    text = "Det fnns fera ofentliga aktörer, t.ex. Trafk- och samhällsplaneringsnämnden."
    out = LigatureRepair(Counter()).repair(text, report)
    assert out == (
        "Det finns flera offentliga aktörer, t.ex. Trafik- och samhällsplaneringsnämnden."
    )
    assert [(r.before, r.after) for r in report.repairs] == [
        ("fnns", "finns"), ("fera", "flera"), ("ofentliga", "offentliga"), ("Trafk", "Trafik"),
    ]


def test_marked_f_takes_the_best_ligature_without_margin():
    repair = LigatureRepair(Counter())
    assert repair.repair(f"bef{LIGATURE_MARK}ntliga f{LIGATURE_MARK}lm") == "befintliga film"
    assert repair.repair(f"träf{LIGATURE_MARK}ar") == "träffar"
    # a mark on a correct plain f changes nothing when no ligature fits better
    assert repair.repair(f"fem f{LIGATURE_MARK}ör") == "fem för"


def test_compound_judged_by_its_parts():
    assert LigatureRepair(Counter()).repair_word("samverkansträfarna") == "samverkansträffarna"


def test_batch_vocabulary_confirms_a_word_missing_from_wordfreq():
    # a (made-up) name seen intact elsewhere in the batch
    seen = LigatureRepair(build_vocab(["Projektet Gnurfiqa startade 2019."]))
    assert seen.repair_word("Gnurfqa") == "Gnurfiqa"
    assert LigatureRepair(Counter()).repair_word("Gnurfqa") == "Gnurfqa"


def test_candidates_insert_after_each_f():
    assert set(candidates("fera")) == {"fiera", "flera", "ffera", "ffiera", "fflera"}
    assert candidates("abc") == []
