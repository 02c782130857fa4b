"""`kb eval`: score retrieval and answers with the definitions of ../shared/eval/README.md.

Everything above `run_eval` is pure: question records in, scores out, so each
definition is tested on hand-made examples (tests/test_evaluate.py). `run_eval`
is the one place that calls the engine; the CLI only reads the file and prints.

Reading of the README where it leaves a choice (also stated in docs/results.md):
- `partial_ratio(quote, passage)` is computed on the raw quote and raw passage,
  exactly as written (rapidfuzz 3 applies no processor by default); the substring
  test is the one done on normalized text.
- coverage@10: a quote counts as covered when some top-10 passage supports it by
  the same test (substring after normalization, or partial_ratio >= 90).
- factoid: only the answer's lead counts (`lead`: the text before the first ” and
  the first line break, or the opening quotation), as the README now defines it.
- An empty list answer has precision 0 (and F1 0); `found: false` on an answerable
  question scores 0 whatever it returned.
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

FUZZ_THRESHOLD = 90
CUTOFFS = (5, 10)
DEPTH = 10
ANSWER_TYPES_SCORED = ("list", "factoid", "unanswerable")

_HYPHEN_BREAK = re.compile(r"-\r?\n")
_NON_ALNUM = re.compile(r"[\W_]+")
_NAME_PREFIXES = ("region ", "landstinget i ")
_NAME_SUFFIXES = (" län", " kommun")


# ---------------------------------------------------------------- questions


@dataclass(frozen=True)
class Evidence:
    doc: str
    quote: str


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    type: str
    answer_entities: tuple[str, ...] = ()
    entity_kind: str | None = None
    evidence: tuple[Evidence, ...] = ()
    difficulty: str = ""
    note: str = ""

    @property
    def has_evidence(self) -> bool:
        """Counts for retrieval metrics ("answerable questions, non-empty evidence")."""
        return bool(self.evidence)

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def quotes(self) -> tuple[str, ...]:
        return tuple(e.quote for e in self.evidence)


class EvalFileError(ValueError):
    """A question file that cannot be read; the message names file and line."""


def parse_question(record: dict) -> Question:
    return Question(
        id=str(record["id"]),
        question=str(record["question"]),
        type=str(record["type"]),
        answer_entities=tuple(record.get("answer_entities") or ()),
        entity_kind=record.get("entity_kind"),
        evidence=tuple(
            Evidence(str(e.get("doc", "")), str(e["quote"])) for e in record.get("evidence") or ()
        ),
        difficulty=str(record.get("difficulty") or ""),
        note=str(record.get("note") or ""),
    )


def read_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            questions.append(parse_question(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise EvalFileError(f"{path}:{number}: ogiltig frågerad ({exc})") from exc
    return questions


def as_negatives(questions: Sequence[Question], prefix: str = "neg-") -> list[Question]:
    """Questions of another collection asked against this one: each must be
    refused. Out-of-domain negatives calibrate refusal (e.g. the SweFAQ questions,
    `kb eval --negatives`); ids get `prefix` so they never clash."""
    return [Question(id=f"{prefix}{q.id}", question=q.question, type="unanswerable",
                     difficulty="negative", note="frågan hör till en annan samling")
            for q in questions]


# ---------------------------------------------------------------- definitions


def normalize(text: str) -> str:
    """NFKC, casefold, join `-`+line break, every non-alphanumeric run to one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _HYPHEN_BREAK.sub("", text)
    return _NON_ALNUM.sub(" ", text).strip()


def supports(quote: str, passage: str) -> bool:
    """The README's support test for one evidence quote and one passage."""
    if normalize(quote) in normalize(passage):
        return True
    return fuzz.partial_ratio(quote, passage) >= FUZZ_THRESHOLD


def supports_any(quotes: Iterable[str], passage: str) -> bool:
    return any(supports(q, passage) for q in quotes)


def first_support_rank(quotes: Sequence[str], passages: Sequence[str]) -> int | None:
    """1-based rank of the first passage supporting one of the quotes, or None."""
    for rank, passage in enumerate(passages, start=1):
        if supports_any(quotes, passage):
            return rank
    return None


def quote_coverage(quotes: Sequence[str], passages: Sequence[str]) -> float:
    """Share of the quotes that some passage supports."""
    if not quotes:
        return 0.0
    covered = sum(1 for q in quotes if any(supports(q, p) for p in passages))
    return covered / len(quotes)


def entity_key(name: str) -> str:
    """A name as compared: normalized, `Region `/`Landstinget i ` and ` län`/` kommun` dropped."""
    key = normalize(name)
    for prefix in _NAME_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    for suffix in _NAME_SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    return key.strip()


def squash(text: str) -> str:
    """Normalized with the spaces removed (factoid comparison)."""
    return normalize(text).replace(" ", "")


# ---------------------------------------------------------------- retrieval


@dataclass(frozen=True)
class RetrievalScore:
    rank: int | None  # first supporting passage within DEPTH, 1-based
    coverage: float

    def recall(self, k: int) -> float:
        return 1.0 if self.rank is not None and self.rank <= k else 0.0

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank is not None and self.rank <= DEPTH else 0.0


def score_retrieval(question: Question, passages: Sequence[str]) -> RetrievalScore:
    top = list(passages)[:DEPTH]
    return RetrievalScore(
        rank=first_support_rank(question.quotes, top),
        coverage=quote_coverage(question.quotes, top),
    )


def retrieval_summary(scores: Sequence[RetrievalScore]) -> dict:
    """recall@5, recall@10, MRR@10, coverage@10 as means over the given scores."""
    if not scores:
        return {"n": 0}
    summary: dict = {"n": len(scores)}
    for k in CUTOFFS:
        summary[f"recall@{k}"] = _mean(s.recall(k) for s in scores)
    summary["mrr@10"] = _mean(s.reciprocal_rank for s in scores)
    summary["coverage@10"] = _mean(s.coverage for s in scores)
    return summary


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class AnswerScore:
    """One question's answer score; `value` in [0, 1] is what the breakdowns average."""

    metric: str  # list_f1 | factoid | refusal | supported
    value: float
    found: bool
    precision: float | None = None
    recall: float | None = None


def score_list(gold: Sequence[str], returned: Sequence[str], found: bool) -> AnswerScore:
    gold_keys = {entity_key(g) for g in gold}
    got = {entity_key(r) for r in returned} if found else set()
    hits = len(gold_keys & got)
    precision = hits / len(got) if got else 0.0
    recall = hits / len(gold_keys) if gold_keys else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return AnswerScore("list_f1", f1, found, precision, recall)


_QUOTE_CLOSE = "\u201d"  # ” (Swedish quotes open and close with it)
_QUOTE_OPEN = ("\u201d", "\u201c", '"')  # an answer opening with a quotation


def lead(answer_text: str) -> str:
    """The README's factoid lead: the answer's text before its first quotation
    mark ” and first line break; when the answer opens with a quotation, that
    first quoted passage. A hyphen + line break is joined first (a word broken
    across lines is not an end of the lead; `normalize` joins it the same way)."""
    text = _HYPHEN_BREAK.sub("", answer_text).strip()
    if text.startswith(_QUOTE_OPEN):
        body = text[1:]
        end = body.find('"' if text[0] == '"' else _QUOTE_CLOSE)
        return body if end < 0 else body[:end]
    cut = len(text)
    for mark in (_QUOTE_CLOSE, "\n"):
        at = text.find(mark)
        if at >= 0:
            cut = min(cut, at)
    return text[:cut]


def score_factoid(gold: Sequence[str], answer_text: str, found: bool) -> AnswerScore:
    """Correct when the lead (not the whole answer) contains one gold string."""
    text = squash(lead(answer_text))
    correct = found and any(squash(g) and squash(g) in text for g in gold)
    return AnswerScore("factoid", 1.0 if correct else 0.0, found)


def score_refusal(found: bool) -> AnswerScore:
    return AnswerScore("refusal", 0.0 if found else 1.0, found)


def score_supported(quotes: Sequence[str], answer_text: str, found: bool) -> AnswerScore:
    """definition/passage (our measure, not in the README): found, and the answer
    text supports one evidence quote by the README's support test."""
    ok = found and bool(quotes) and supports_any(quotes, answer_text)
    return AnswerScore("supported", 1.0 if ok else 0.0, found)


def score_answer(question: Question, answer: dict) -> AnswerScore:
    """Score one `/api/ask` JSON object against its question."""
    found = bool(answer.get("found"))
    text = str(answer.get("answer") or "")
    if question.type == "list":
        names = [str(e.get("name", "")) for e in answer.get("entities") or ()]
        return score_list(question.answer_entities, names, found)
    if question.type == "factoid":
        return score_factoid(question.answer_entities, text, found)
    if question.type == "unanswerable":
        return score_refusal(found)
    return score_supported(question.quotes, text, found)


def answer_summary(pairs: Sequence[tuple[Question, AnswerScore]]) -> dict:
    lists = [s for q, s in pairs if q.type == "list"]
    factoids = [s for q, s in pairs if q.type == "factoid"]
    refusals = [s for q, s in pairs if q.type == "unanswerable"]
    open_ = [s for q, s in pairs if q.type in ("definition", "passage")]
    answerable = [s for q, s in pairs if q.answerable]
    return {
        "list": {
            "n": len(lists),
            "precision": _mean(s.precision or 0.0 for s in lists),
            "recall": _mean(s.recall or 0.0 for s in lists),
            "f1": _mean(s.value for s in lists),
        },
        "factoid": {"n": len(factoids), "accuracy": _mean(s.value for s in factoids)},
        "refusal": {
            "n": len(refusals),
            "accuracy": _mean(s.value for s in refusals),
            "answerable_n": len(answerable),
            "false_refusal_rate": _mean(0.0 if s.found else 1.0 for s in answerable),
        },
        "definition_passage_supported": {
            "n": len(open_),
            "share": _mean(s.value for s in open_),
        },
    }


# ---------------------------------------------------------------- per question and report


@dataclass(frozen=True)
class Returned:
    """What the system gave back for one question, kept for the worst-questions list."""

    passages: dict = field(default_factory=dict)  # mode -> first passages (shortened)
    found: bool | None = None
    answer_type: str = ""
    answer: str = ""
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    retrieval: dict  # mode -> RetrievalScore (only questions with evidence)
    answer: AnswerScore | None
    returned: Returned

    def badness_key(self, mode: str) -> tuple[float, float]:
        """Sorts worst first: answer score, then reciprocal rank in `mode`."""
        answer = self.answer.value if self.answer else 1.0
        score = self.retrieval.get(mode)
        rr = score.reciprocal_rank if score else 1.0
        return (answer + rr, answer)


def group_summary(results: Sequence[QuestionResult], key: Callable[[Question], str],
                  modes: Sequence[str]) -> dict:
    groups: dict[str, list[QuestionResult]] = {}
    for r in results:
        groups.setdefault(key(r.question), []).append(r)
    out = {}
    for name in sorted(groups):
        members = groups[name]
        entry: dict = {"n": len(members)}
        for mode in modes:
            scores = [r.retrieval[mode] for r in members if mode in r.retrieval]
            if scores:
                entry[mode] = retrieval_summary(scores)
        answers = [r.answer.value for r in members if r.answer is not None]
        if answers:
            entry["answer_score"] = _mean(answers)
        out[name] = entry
    return out


def build_report(results: Sequence[QuestionResult], modes: Sequence[str], worst: int = 8) -> dict:
    retrieval = {
        mode: retrieval_summary([r.retrieval[mode] for r in results if mode in r.retrieval])
        for mode in modes
    }
    pairs = [(r.question, r.answer) for r in results if r.answer is not None]
    rank_mode = "hybrid" if "hybrid" in modes else (modes[0] if modes else "")
    ordered = sorted(results, key=lambda r: r.badness_key(rank_mode))
    return {
        "questions": len(results),
        "retrieval": retrieval,
        "answers": answer_summary(pairs) if pairs else None,
        "by_type": group_summary(results, lambda q: q.type, modes),
        "by_difficulty": group_summary(results, lambda q: q.difficulty, modes),
        "worst": [_worst_entry(r, rank_mode) for r in ordered[:worst]],
        "per_question": [_question_entry(r) for r in results],
    }


def _worst_entry(r: QuestionResult, mode: str) -> dict:
    score = r.retrieval.get(mode)
    return {
        "id": r.question.id,
        "question": r.question.question,
        "type": r.question.type,
        "difficulty": r.question.difficulty,
        "gold": list(r.question.answer_entities),
        "answer_score": r.answer.value if r.answer else None,
        f"{mode}_rank": score.rank if score else None,
        "returned": asdict(r.returned),
    }


def _question_entry(r: QuestionResult) -> dict:
    return {
        "id": r.question.id,
        "type": r.question.type,
        "difficulty": r.question.difficulty,
        "retrieval": {m: asdict(s) for m, s in r.retrieval.items()},
        "answer": asdict(r.answer) if r.answer else None,
    }


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return round(statistics.fmean(values), 4) if values else 0.0


# ---------------------------------------------------------------- runner (calls the engine)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _answer_json(answer) -> dict:
    if isinstance(answer, dict):
        return answer
    return answer.to_json()


def evaluate_question(engine, question: Question, modes: Sequence[str],
                      ask: bool) -> QuestionResult:
    from index.model import Query

    retrieval, shown = {}, {}
    for mode in modes:
        result = engine.search(Query(text=question.question, k=DEPTH, mode=mode))
        passages = [hit.chunk.text for hit in result.hits]
        shown[mode] = [_short(p) for p in passages[:3]]
        if question.has_evidence:
            retrieval[mode] = score_retrieval(question, passages)
    score, returned = None, Returned(passages=shown)
    if ask:
        data = _answer_json(engine.ask(question.question))
        score = score_answer(question, data)
        returned = Returned(
            passages=shown,
            found=bool(data.get("found")),
            answer_type=str(data.get("answer_type") or ""),
            answer=_short(str(data.get("answer") or ""), 400),
            entities=tuple(str(e.get("name", "")) for e in data.get("entities") or ()),
        )
    return QuestionResult(question, retrieval, score, returned)


def run_eval(engine, questions: Sequence[Question], modes: Sequence[str], ask: bool = True,
             progress: Callable[[int, int], None] | None = None, worst: int = 8) -> dict:
    results = []
    for i, question in enumerate(questions, start=1):
        results.append(evaluate_question(engine, question, modes, ask))
        if progress:
            progress(i, len(questions))
    return build_report(results, modes, worst=worst)


# ---------------------------------------------------------------- text report (Swedish)


def format_report(report: dict) -> str:
    lines = [f"Frågor: {report['questions']}", "", "Sökning (frågor med belägg):", ""]
    lines += ["| läge | n | recall@5 | recall@10 | MRR@10 | coverage@10 |",
              "|---|---|---|---|---|---|"]
    for mode, s in report["retrieval"].items():
        if s.get("n"):
            lines.append(f"| {mode} | {s['n']} | {s['recall@5']:.3f} | {s['recall@10']:.3f} | "
                         f"{s['mrr@10']:.3f} | {s['coverage@10']:.3f} |")
    answers = report.get("answers")
    if answers:
        lst, fac, ref = answers["list"], answers["factoid"], answers["refusal"]
        dp = answers["definition_passage_supported"]
        lines += ["", "Svar:", "",
                  f"- lista (n={lst['n']}): precision {lst['precision']:.3f}, "
                  f"recall {lst['recall']:.3f}, F1 {lst['f1']:.3f}",
                  f"- faktafrågor (n={fac['n']}): träffsäkerhet {fac['accuracy']:.3f}",
                  f"- obesvarbara (n={ref['n']}): rätt avböjda {ref['accuracy']:.3f}; "
                  f"besvarbara felaktigt avböjda {ref['false_refusal_rate']:.3f} "
                  f"(n={ref['answerable_n']})",
                  f"- definition/passage (n={dp['n']}, eget mått): svaret stöder ett belägg "
                  f"{dp['share']:.3f}"]
    for title, key in (("Per typ", "by_type"), ("Per svårighet", "by_difficulty")):
        lines += ["", f"{title}:", "", "| grupp | n | " + " | ".join(
            f"{m} MRR@10" for m in report["retrieval"]) + " | svarspoäng |",
            "|---" * (3 + len(report["retrieval"])) + "|"]
        for name, entry in report[key].items():
            cells = [f"{entry[m]['mrr@10']:.3f}" if m in entry else "–"
                     for m in report["retrieval"]]
            ans = f"{entry['answer_score']:.3f}" if "answer_score" in entry else "–"
            lines.append(f"| {name} | {entry['n']} | " + " | ".join(cells) + f" | {ans} |")
    lines += ["", "Sämsta frågorna:"]
    for w in report["worst"]:
        ret = w["returned"]
        rank_key = next((k for k in w if k.endswith("_rank")), None)
        lines.append(f"- {w['id']} [{w['type']}/{w['difficulty']}] {w['question']}")
        lines.append(f"    facit: {w['gold']}; svarspoäng {w['answer_score']}; "
                     f"rang {w.get(rank_key) if rank_key else None}")
        if ret["found"] is not None:
            lines.append(f"    svar (found={ret['found']}): {ret['answer'] or '–'}")
            if ret["entities"]:
                lines.append(f"    entiteter: {list(ret['entities'])}")
        for mode, passages in ret["passages"].items():
            if passages:
                lines.append(f"    {mode} 1: {passages[0]}")
    return "\n".join(lines)
