"""`kb eval --cv`: the answer step's parameters fitted on one half of the
questions and measured on the other half, both ways (issue 12, item 2).

- Folds: a stable hash (SHA-256) of the question id decides fold 0 or 1, so a
  question stays in its fold whatever files are combined or reordered.
- Fit: coordinate ascent over `AnswerParams.grid()`, starting from the
  defaults, two passes over the fields in grid order; a value replaces the
  current one only when it scores strictly higher (ties keep the earlier one,
  so the result is deterministic).
- Objective on the fit fold: the mean of list F1, factoid lead accuracy,
  refusal accuracy on unanswerable questions and 1 − the wrongly-refused rate
  on answerable ones, all from `evaluate.answer_summary`; a part whose fold
  has no question of that type is left out of the mean.
- Report per fold: the fitted parameters, the fit-fold objective, and the
  held-out metrics with the fitted and with the default parameters. The
  cross-validated figures are the mean of the two held-out folds (and, beside
  it, "pooled": every question scored once, by the parameters fitted on the
  other fold).

Speed: `CachedEngine` wraps the real engine and memoizes `retrieve(...)` per
(text, limit, mode, filters) and the embedder's `embed_query`/`embed_passages`
per text, so every grid point after the first reuses retrieval and
embeddings; everything else is delegated to the real engine. Scores per
parameter set are memoized too, so the second pass costs only what changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from search_app.measure.evaluate import Question, answer_summary, score_answer

FOLDS = 2
PASSES = 2


# ---------------------------------------------------------------- caching engine


class CachedEmbedder:
    """Delegates to an embedder; `embed_query` and `embed_passages` memoized per text."""

    def __init__(self, inner):
        self._inner = inner
        self._queries: dict[str, np.ndarray] = {}
        self._passages: dict[str, np.ndarray] = {}

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def embed_query(self, text: str) -> np.ndarray:
        if text not in self._queries:
            self._queries[text] = np.asarray(self._inner.embed_query(text))
        return self._queries[text].copy()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in self._passages))
        if missing:
            rows = np.asarray(self._inner.embed_passages(missing))
            for text, row in zip(missing, rows, strict=True):
                self._passages[text] = row
        if not texts:
            return np.asarray(self._inner.embed_passages([]))
        return np.stack([self._passages[t] for t in texts])


class CachedEngine:
    """The real engine with `retrieve` and the embedder memoized; not a stand-in:
    every answer is computed by the real answer step, with this object as its engine."""

    def __init__(self, inner):
        self._inner = inner
        self._retrieved: dict[tuple, list] = {}
        self._cached_embedder: CachedEmbedder | None = None
        self.retrieve_calls = 0
        self.retrieve_misses = 0

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    @property
    def embedder(self) -> CachedEmbedder:
        if self._cached_embedder is None:
            self._cached_embedder = CachedEmbedder(self._inner.embedder)
        return self._cached_embedder

    def retrieve(self, text: str, limit: int = 200, mode: str = "hybrid",
                 filters: Any = None) -> list:
        key = (text, limit, mode, _hashable(filters))
        self.retrieve_calls += 1
        if key not in self._retrieved:
            self.retrieve_misses += 1
            self._retrieved[key] = list(self._inner.retrieve(text, limit, mode, filters))
        return list(self._retrieved[key])

    def ask(self, question: str, params=None):
        """The real engine's `ask`, run with this object as `self`, so the answer
        step's calls to `retrieve` and `embedder` go through the caches."""
        return type(self._inner).ask(self, question, params)


def _hashable(value: Any):
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


# ---------------------------------------------------------------- folds and objective


def fold_of(question_id: str, folds: int = FOLDS) -> int:
    return int(hashlib.sha256(question_id.encode("utf-8")).hexdigest(), 16) % folds


def split(questions: Sequence[Question], folds: int = FOLDS) -> list[list[Question]]:
    parts: list[list[Question]] = [[] for _ in range(folds)]
    for q in questions:
        parts[fold_of(q.id, folds)].append(q)
    return parts


def objective_parts(summary: Mapping) -> dict[str, float]:
    """The four parts of the objective present in a summary (types with n > 0)."""
    parts = {}
    if summary["list"]["n"]:
        parts["list_f1"] = summary["list"]["f1"]
    if summary["factoid"]["n"]:
        parts["factoid_lead"] = summary["factoid"]["accuracy"]
    refusal = summary["refusal"]
    if refusal["n"]:
        parts["refusal_accuracy"] = refusal["accuracy"]
    if refusal["answerable_n"]:
        parts["answered_when_answerable"] = round(1.0 - refusal["false_refusal_rate"], 4)
    return parts


def objective(summary: Mapping) -> float:
    parts = objective_parts(summary)
    return round(statistics.fmean(parts.values()), 4) if parts else 0.0


def coordinate_ascent(grid: Mapping[str, Sequence], start, score: Callable[[Any], float],
                      passes: int = PASSES):
    """Best parameters found by changing one field at a time over `grid`.

    `start` is a frozen dataclass with a `replace`-able field per grid key;
    `score` is called once per distinct parameter set (memoized here) and may
    return None for a set that could not be scored: it is never chosen.
    Returns (best, best_score, trace), trace = [(field, value, score)] of every
    distinct evaluation in order."""
    seen: dict[Any, float | None] = {}
    trace: list[tuple[str, Any, float | None]] = []

    def evaluate(params, field: str, value) -> float | None:
        if params not in seen:
            seen[params] = score(params)
            trace.append((field, value, seen[params]))
        return seen[params]

    best = start
    best_score = evaluate(best, "", None)
    for _ in range(passes):
        changed = False
        for field, values in grid.items():
            for value in values:
                candidate = dataclasses.replace(best, **{field: value})
                s = evaluate(candidate, field, value)
                if s is not None and (best_score is None or s > best_score):
                    best, best_score, changed = candidate, s, True
        if not changed:
            break
    return best, best_score, trace


# ---------------------------------------------------------------- runner (calls the engine)


def _as_json(answer) -> dict:
    return answer if isinstance(answer, dict) else answer.to_json()


def score_fold(engine, questions: Sequence[Question], params) -> tuple[dict, list]:
    """answer_summary of `questions` answered with `params`, and the (question, score) pairs."""
    pairs = [(q, score_answer(q, _as_json(engine.ask(q.question, params)))) for q in questions]
    return answer_summary(pairs), pairs


HELD_OUT_KEYS = (("list", "f1"), ("list", "precision"), ("list", "recall"),
                 ("factoid", "accuracy"), ("refusal", "accuracy"),
                 ("refusal", "false_refusal_rate"))


def _flat(summary: Mapping) -> dict[str, float | None]:
    """The held-out metrics; None where the fold has no question of that type
    (the wrongly-refused rate needs answerable questions, the rest their type)."""
    out: dict[str, float | None] = {}
    for a, b in HELD_OUT_KEYS:
        n = summary[a]["answerable_n" if b == "false_refusal_rate" else "n"]
        out[f"{a}_{b}"] = summary[a][b] if n else None
    out["objective"] = objective(summary)
    return out


def run_crossval(engine, questions: Sequence[Question], params_cls=None,
                 log: Callable[[str], None] | None = None, passes: int = PASSES) -> dict:
    """Fit on each fold, report the other; `engine` should be a `CachedEngine`."""
    if params_cls is None:
        from search_app.qa.params import AnswerParams as params_cls
    log = log or (lambda _msg: None)
    grid = params_cls.grid()
    defaults = params_cls()
    parts = split(questions)
    started = time.perf_counter()
    asks = [0]

    errors: list[dict] = []

    def fold_score(fold: Sequence[Question], label: str) -> Callable[[Any], float | None]:
        def score(params) -> float | None:
            """The objective; None (logged, listed under "errors") when the answer
            step fails at this grid point, so one bad grid value does not end the run."""
            t = time.perf_counter()
            try:
                summary, _ = score_fold(engine, fold, params)
            except Exception as exc:  # noqa: BLE001 - reported, the point is skipped
                errors.append({"fold": label, "params": _changes(params, defaults),
                               "error": f"{type(exc).__name__}: {exc}"})
                log(f"{label}: {_changes(params, defaults)} → FEL {type(exc).__name__}: {exc}")
                return None
            asks[0] += len(fold)
            value = objective(summary)
            log(f"{label}: {_changes(params, defaults)} → {value:.4f} "
                f"({time.perf_counter() - t:.0f} s)")
            return value
        return score

    folds, pooled = [], []
    for k in range(FOLDS):
        fit, held = parts[k], parts[1 - k]
        t = time.perf_counter()
        best, best_score, trace = coordinate_ascent(
            grid, defaults, fold_score(fit, f"fold {k} anpassning"), passes)
        fitted_summary, held_pairs = score_fold(engine, held, best)
        default_summary, _ = score_fold(engine, held, defaults)
        asks[0] += 2 * len(held)
        pooled += held_pairs
        folds.append({
            "fold": k,
            "fit_questions": [q.id for q in fit],
            "held_out_n": len(held),
            "fitted": dataclasses.asdict(best),
            "changed_from_defaults": _changes(best, defaults),
            "fit_objective": best_score,
            "evaluations": len(trace),
            "trace": [{"field": f, "value": v, "objective": s} for f, v, s in trace],
            "held_out": fitted_summary,
            "held_out_objective": objective(fitted_summary),
            "held_out_with_defaults": default_summary,
            "held_out_objective_with_defaults": objective(default_summary),
            "seconds": round(time.perf_counter() - t, 1),
        })
        log(f"fold {k}: anpassat {_changes(best, defaults)}; "
            f"utanför anpassningen {objective(fitted_summary):.4f} "
            f"(standardvärden {objective(default_summary):.4f})")
    held_flat = [_flat(f["held_out"]) for f in folds]
    default_flat = [_flat(f["held_out_with_defaults"]) for f in folds]
    pooled_summary = answer_summary(pooled)
    return {
        "questions": len(questions),
        "folds_n": [len(p) for p in parts],
        "grid": {k: list(v) for k, v in grid.items()},
        "defaults": dataclasses.asdict(defaults),
        "passes": passes,
        "folds": folds,
        "cross_validated": _mean_dicts(held_flat),
        "cross_validated_with_defaults": _mean_dicts(default_flat),
        "pooled": _flat(pooled_summary) | {"summary": pooled_summary},
        "errors": errors,
        "asks": asks[0],
        "retrieve_calls": getattr(engine, "retrieve_calls", None),
        "retrieve_misses": getattr(engine, "retrieve_misses", None),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _changes(params, defaults) -> dict:
    return {f.name: getattr(params, f.name) for f in dataclasses.fields(params)
            if getattr(params, f.name) != getattr(defaults, f.name)}


def _mean_dicts(rows: Sequence[Mapping[str, float | None]]) -> dict[str, float | None]:
    """Per key, the mean over the rows that have a value (None when none has)."""
    out: dict[str, float | None] = {}
    for key in rows[0] if rows else ():
        values = [r[key] for r in rows if r[key] is not None]
        out[key] = round(statistics.fmean(values), 4) if values else None
    return out


def format_crossval(section: Mapping) -> str:
    cv, dv = section["cross_validated"], section["cross_validated_with_defaults"]
    lines = ["", f"Korsvalidering (--cv): {section['questions']} frågor i två halvor "
             f"({section['folds_n'][0]} + {section['folds_n'][1]}), parametrar anpassade på "
             f"den ena och mätta på den andra; {section['asks']} svar, {section['seconds']:.0f} s",
             "", "| mått | korsvaliderat | standardvärden | sammanslaget |", "|---|---|---|---|"]
    pooled = section["pooled"]
    for key, label in (("list_f1", "lista F1"), ("list_precision", "lista precision"),
                       ("list_recall", "lista recall"), ("factoid_accuracy", "faktafråga (lead)"),
                       ("refusal_accuracy", "obesvarbara rätt avböjda"),
                       ("refusal_false_refusal_rate", "besvarbara felaktigt avböjda"),
                       ("objective", "målfunktion")):
        lines.append(f"| {label} | {_fmt(cv[key])} | {_fmt(dv[key])} | {_fmt(pooled[key])} |")
    for f in section["folds"]:
        lines.append("")
        lines.append(f"Halva {f['fold']}: anpassad på {len(f['fit_questions'])} frågor "
                     f"(mål {_fmt(f['fit_objective'])}, {f['evaluations']} parameteruppsättningar, "
                     f"{f['seconds']:.0f} s); ändrat: {f['changed_from_defaults'] or 'inget'}; "
                     f"på de andra {f['held_out_n']}: {f['held_out_objective']:.3f} "
                     f"(standardvärden {f['held_out_objective_with_defaults']:.3f})")
    for e in section.get("errors", ()):
        lines.append(f"FEL i {e['fold']} vid {e['params']}: {e['error']}")
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
