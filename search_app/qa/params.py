"""`AnswerParams`: every number the answer step decides with, in one place.

Each tunable field carries the grid `kb eval --cv` searches (field metadata
`grid`); values are fitted by cross-validation over the development questions
(fit on one half, report the other), never per question.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


def _param(default, help: str, grid: tuple = ()):
    return field(default=default, metadata={"help": help, "grid": grid})


@dataclass(frozen=True)
class AnswerParams:
    list_depth: int = _param(300, "Chunks retrieved for a list question.")
    answer_depth: int = _param(60, "Chunks retrieved for other questions.")
    list_coverage: float = _param(
        0.5, "Share of the question's weighted terms one unit must at least cover to "
        "make its entity a list member.", (0.3, 0.4, 0.5, 0.6, 0.75))
    list_relative: float = _param(
        0.85, "A list member's best unit must also cover this share of what the best "
        "unit of any entity covers: the bar follows the question's wording.",
        (0.7, 0.8, 0.85, 0.9, 1.0))
    answer_coverage: float = _param(
        0.3, "Minimum coverage of the best unit (non-list answers); below it the "
        "answer is a refusal.", (0.2, 0.3, 0.4, 0.5, 0.6))
    enumeration_support: float = _param(
        0.5, "Coverage + half the item quality an enumeration needs.", (0.3, 0.5, 0.7))
    rank_prior: float = _param(
        0.25, "Weight of the retrieval rank when choosing the answering unit.",
        (0.0, 0.1, 0.25, 0.5))
    typo_edits: int = _param(
        1, "Edits (Damerau–Levenshtein) at which a question word no passage contains "
        "matches the closest word of the passages, a typo (one more from ten letters; "
        "0: off).", (0, 1, 2))
    common_zipf: float = _param(
        4.0, "General Swedish frequency (wordfreq zipf) above which a question word "
        "weighs less, down to a fifth at zipf 7: \"tycker\", \"bra\" say how a question "
        "is worded, \"statsbidrag\" what it is about (7: off).", (3.5, 4.0, 4.5, 7.0))
    max_unknown_share: float = _param(
        0.5, "Refuse when more of the question's weighted content words than this "
        "occur in no retrieved passage.", (0.34, 0.5, 0.67, 1.01))
    context_weight: float = _param(
        0.9, "How much an enumeration's previous sentence counts for it (\"… bygger på sju "
        "principer. Dessa är …\").", (0.0, 0.7, 0.9, 1.0))
    require_focus: bool = _param(
        True, "A count or name answer must come from a unit that names what is asked "
        "about (\"hur många studieförbund\" → studieförbund).", (True, False))
    dense_weight: float = _param(
        0.3, "Weight of the unit's closeness in meaning to the question (its vector's "
        "cosine, scaled by dense_floor/dense_span) against the share of the question's "
        "words it contains.", (0.0, 0.2, 0.3, 0.4, 0.6))
    min_closeness: float = _param(
        0.845, "Refuse when no retrieved unit's vector comes this close (cosine) to the "
        "question's: calibrated on out-of-domain questions (SweFAQ asked against this "
        "corpus, kb eval --negatives) against the answerable dev questions.",
        (0.0, 0.83, 0.845, 0.855))
    dense_floor: float = _param(
        0.75, "Cosine at or below which a unit counts as unrelated in meaning (e5 "
        "cosines of unrelated Swedish sentences lie near 0.7–0.75).")
    dense_span: float = _param(0.15, "Cosine above dense_floor at which closeness counts fully.")
    use_thesaurus: bool = _param(
        True, "Question words also match their synonyms in the general Swedish thesaurus.",
        (True, False))
    sources: int = _param(5, "Closest passages listed with every answer.")

    def replace(self, **changes) -> AnswerParams:
        return dataclasses.replace(self, **changes)

    @classmethod
    def grid(cls) -> dict[str, tuple]:
        """The tunable fields and the values cross-validation tries for each."""
        return {f.name: f.metadata["grid"] for f in dataclasses.fields(cls)
                if f.metadata.get("grid")}
