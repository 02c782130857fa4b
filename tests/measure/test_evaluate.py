"""The scoring definitions of ../shared/eval/README.md, on hand-made examples."""

from __future__ import annotations

import json

import pytest

from search_app.measure.evaluate import (
    EvalFileError,
    Evidence,
    Question,
    QuestionResult,
    RetrievalScore,
    Returned,
    build_report,
    entity_key,
    first_support_rank,
    format_report,
    lead,
    normalize,
    quote_coverage,
    read_questions,
    retrieval_summary,
    score_answer,
    score_factoid,
    score_list,
    score_retrieval,
    supports,
)
from tests.support import SHARED


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Samver-\nkan  i   Region Västerbotten!", "samverkan i region västerbotten"),
        ("\ufb01nns \ufb02era", "finns flera"),  # NFKC expands ligatures
        ("RF-SISU Uppland", "rf sisu uppland"),  # a real hyphen is a separator
        ("STRAẞE – 1,5 mdr kr.", "strasse 1 5 mdr kr"),  # casefold, not lower()
        ("  Å, Ä och Ö  ", "å ä och ö"),
        ("snake_case", "snake case"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_supports_by_normalized_substring():
    passage = "Regionen har ett idéburet offentligt partner-\nskap (IOP) med Röda Korset."
    assert supports("offentligt partnerskap (IOP) med röda korset", passage)


def test_supports_by_partial_ratio_tolerates_small_damage():
    passage = "Kulturnämnden fördelar bidrag till ofentliga och ideella aktörer i länet varje år."
    quote = "bidrag till offentliga och ideella aktörer"
    assert normalize(quote) not in normalize(passage)
    assert supports(quote, passage)


def test_supports_rejects_unrelated_passage():
    assert not supports("styrgruppen möts varannan månad", "Regionen har en folkhälsostrategi.")


def test_first_support_rank_and_coverage():
    quotes = ["styrgruppen möts varannan månad", "handlingsplanen följs upp årligen"]
    passages = ["Inget här.", "Handlingsplanen följs upp årligen av rådet.",
                "Styrgruppen möts varannan månad."]
    assert first_support_rank(quotes, passages) == 2
    assert first_support_rank(quotes, ["Inget här."]) is None
    assert quote_coverage(quotes, passages) == 1.0
    assert quote_coverage(quotes, passages[:2]) == 0.5


def test_retrieval_metrics_over_questions():
    scores = [RetrievalScore(1, 1.0), RetrievalScore(4, 0.5), RetrievalScore(7, 1.0),
              RetrievalScore(None, 0.0)]
    s = retrieval_summary(scores)
    assert s["n"] == 4
    assert s["recall@5"] == 0.5
    assert s["recall@10"] == 0.75
    assert s["mrr@10"] == pytest.approx((1 + 1 / 4 + 1 / 7) / 4, abs=1e-4)
    assert s["coverage@10"] == 0.625


def test_score_retrieval_looks_only_at_top_ten():
    q = Question("x", "fråga", "passage", evidence=(Evidence("d", "rätt stycke här"),))
    passages = ["fel"] * 10 + ["rätt stycke här"]
    assert score_retrieval(q, passages) == RetrievalScore(None, 0.0)
    assert score_retrieval(q, passages[-5:]).rank == 5


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Region Jönköpings län", "Jönköpings län"),
        ("Landstinget i Värmland", "Region Värmland"),
        ("Torsby kommun", "torsby"),
        ("REGION  Västerbotten", "Västerbotten"),
    ],
)
def test_entity_names_compare_without_prefix_and_suffix(a, b):
    assert entity_key(a) == entity_key(b)


def test_entity_key_keeps_other_names_whole():
    assert entity_key("Västra Götalandsregionen") == "västra götalandsregionen"
    assert entity_key("Region Gotland") != entity_key("Region Skåne")


def test_score_list_precision_recall_f1():
    gold = ["Region Gotland", "Region Skåne", "Region Uppsala", "Västra Götalandsregionen"]
    got = ["Gotland", "Region Skåne", "Landstinget i Uppsala", "Region Dalarna", "Skåne"]
    s = score_list(gold, got, found=True)
    assert s.precision == pytest.approx(3 / 4)  # duplicates (Skåne twice) count once
    assert s.recall == pytest.approx(3 / 4)
    assert s.value == pytest.approx(0.75)


def test_score_list_empty_or_refused_is_zero():
    assert score_list(["Region Gotland"], [], found=True).value == 0.0
    refused = score_list(["Region Gotland"], ["Region Gotland"], found=False)
    assert (refused.precision, refused.recall, refused.value) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("gold", "answer", "correct"),
    [
        (["1,5 miljarder"], "Regionen satsar 1,5 miljarder kronor på kultur.", True),
        (["1,5 miljarder"], "Regionen satsar 1.5 miljarder.", True),  # punctuation normalized
        (["1,5 miljarder"], "Regionen satsar 15 miljoner.", False),
        (["Torsby", "59"], "Flest föreningar per invånare har TORSBY.", True),
        (["varannan månad"], "Styrgruppen möts varan-\nnan månad.", True),
        (["200"], "", False),
    ],
)
def test_score_factoid(gold, answer, correct):
    assert score_factoid(gold, answer, found=True).value == (1.0 if correct else 0.0)


def test_factoid_refused_is_wrong_even_if_text_matches():
    assert score_factoid(["200"], "200 medlemmar", found=False).value == 0.0


def test_score_answer_dispatches_on_type():
    unanswerable = Question("u", "?", "unanswerable")
    assert score_answer(unanswerable, {"found": False, "answer": ""}).value == 1.0
    assert score_answer(unanswerable, {"found": True, "answer": "x"}).value == 0.0
    lst = Question("l", "?", "list", answer_entities=("Region Gotland",))
    entities = [{"name": "Region Gotland", "kind": "region"}]
    got = score_answer(lst, {"found": True, "entities": entities})
    assert got.value == 1.0
    passage = Question("p", "?", "passage", evidence=(Evidence("d", "barn kan samtycka"),))
    assert score_answer(passage, {"found": True, "answer": "Även barn kan samtycka."}).value == 1.0
    assert score_answer(passage, {"found": False, "answer": "Även barn kan samtycka."}).value == 0.0


def test_read_questions(tmp_path):
    record = {"id": "q1", "question": "Vad är en LÖK?", "type": "definition",
              "answer_entities": [], "entity_kind": None,
              "evidence": [{"doc": "d", "quote": "lokal överenskommelse"}],
              "difficulty": "easy", "note": ""}
    path = tmp_path / "qa.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n\n", encoding="utf-8")
    [q] = read_questions(path)
    assert q.quotes == ("lokal överenskommelse",) and q.has_evidence and q.answerable
    path.write_text(json.dumps(record) + "\n{trasig\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"qa.jsonl:2"):
        read_questions(path)


def test_read_questions_accepts_the_shared_dev_file():
    path = SHARED / "eval" / "dev.jsonl"
    if not path.exists():
        pytest.skip("../shared/eval saknas")
    questions = read_questions(path)
    assert questions and all(q.type for q in questions)
    assert all(not q.has_evidence for q in questions if q.type == "unanswerable")


def _result(qid, qtype, difficulty, rank, answer_value):
    from search_app.measure.evaluate import AnswerScore

    q = Question(qid, f"fråga {qid}", qtype, difficulty=difficulty,
                 evidence=(Evidence("d", "citat"),) if qtype != "unanswerable" else ())
    retrieval = {"hybrid": RetrievalScore(rank, 1.0 if rank else 0.0)} if q.has_evidence else {}
    return QuestionResult(q, retrieval, AnswerScore("x", answer_value, True),
                          Returned(passages={"hybrid": ["ett stycke"]}, found=True, answer="svar"))


def test_build_report_breaks_down_and_orders_worst_first():
    results = [_result("a", "factoid", "easy", 1, 1.0),
               _result("b", "factoid", "paraphrase", None, 0.0),
               _result("c", "list", "easy", 2, 0.5),
               _result("d", "unanswerable", "easy", None, 1.0)]
    report = build_report(results, ["hybrid"], worst=2)
    assert report["retrieval"]["hybrid"]["n"] == 3  # the unanswerable one has no evidence
    assert report["by_type"]["factoid"]["answer_score"] == 0.5
    assert report["by_difficulty"]["easy"]["n"] == 3
    assert [w["id"] for w in report["worst"]] == ["b", "c"]
    text = format_report(report)
    assert "Sämsta frågorna" in text and "fråga b" in text
    json.dumps(report, ensure_ascii=False)  # the --json output serializes


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Styrgruppen möts varannan månad.", "Styrgruppen möts varannan månad."),
        ("350 evenemang.\nKälla: ”… 120 evenemang …”", "350 evenemang."),
        ("Enligt avsnittet ”Kultur” är det 350.", "Enligt avsnittet "),
        ("”Regionen satsar 1,5 miljarder” (MUCF, s. 4). Mer: 2", "Regionen satsar 1,5 miljarder"),
        ("“Öppnar med ett annat tecken” och sedan", "Öppnar med ett annat tecken"),
        ("Styrgruppen möts varan-\nnan månad.\nKälla", "Styrgruppen möts varannan månad."),
        ("", ""),
    ],
)
def test_lead(answer, expected):
    assert lead(answer) == expected


def test_factoid_right_value_only_in_a_later_quote_is_wrong():
    text = "Det var 2015.\nKälla: ”Samverkan började 2012 och förnyades 2015.”"
    assert score_factoid(["2012"], text, found=True).value == 0.0
    assert score_factoid(["2015"], text, found=True).value == 1.0
    assert score_factoid(["2012"], "”Samverkan började 2012.” (s. 3)", found=True).value == 1.0


def test_questions_of_another_collection_become_negatives():
    from search_app.measure.evaluate import Question, as_negatives, score_answer

    (neg,) = as_negatives([Question(id="7", question="Får man fiska här?", type="factoid",
                                    answer_entities=("ja",))])
    assert (neg.id, neg.type, neg.answer_entities) == ("neg-7", "unanswerable", ())
    assert score_answer(neg, {"found": False, "answer": "", "entities": []}).value == 1.0
    assert score_answer(neg, {"found": True, "answer": "Ja.", "entities": []}).value == 0.0
