"""Dropped-ligature repair from word frequencies and the corpus's own vocabulary.

PDF text layers often lose the fi/fl/ff/ffi/ffl ligature glyphs, leaving only the
`f`: `fnns` (finns), `ofentliga` (offentliga), `fera` (flera), `träfas` (träffas).
For each word with an `f` we try inserting `i`, `l`, `f`, `fi` or `fl` after each
`f` and accept a candidate only when it is far more likely than the word as
written: Swedish word frequencies (wordfreq 'sv', Zipf scale) plus the words seen
intact elsewhere in the batch (`vocab`). Compounds missing from wordfreq are
judged by their parts (`kollektiv` + `trafik`).

Where the PDF reader saw glyph evidence of a dropped ligature it writes
`LIGATURE_MARK` right after the `f`; there the best candidate is taken without
a margin (the word is known to be damaged).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from ingest.model import LIGATURE_MARK, CleanReport

WORD_RE = re.compile(rf"[^\W\d_][^\W\d_{LIGATURE_MARK}]*(?:{LIGATURE_MARK}[^\W\d_]*)*")
INSERTS = ("", "i", "l", "f", "fi", "fl")  # after an f: f, fi, fl, ff, ffi, ffl
MAX_F = 3  # words with more f's are left alone (216 candidates at most)


@dataclass(frozen=True)
class LigatureParams:
    """The thresholds of the repair; docs/cleaning.md has the measured effect."""

    margin: float = 2.0  # candidate must beat the word as written by this many Zipf units
    min_known: float = 2.5  # Zipf of a word (or compound part) that counts as known
    keep_known: float = 3.0  # a word this frequent as written is never changed
    vocab_zipf: float = 3.0  # the score a word seen intact in the batch gets
    min_part: int = 3  # shortest compound part
    unknown_min: float = 1.5  # candidate Zipf needed when wordfreq never saw the written form
    min_len: int = 3  # shorter words are left alone


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    return zipf_frequency(word, "sv")


def tokens(text: str) -> list[str]:
    """Lowercased words of a text, as the vocabulary counts them."""
    return [w.lower() for w in WORD_RE.findall(text) if LIGATURE_MARK not in w]


def build_vocab(texts: Iterable[str]) -> Counter[str]:
    """The batch vocabulary: every word of every document, lowercased."""
    vocab: Counter[str] = Counter()
    for text in texts:
        vocab.update(tokens(text))
    return vocab


def _match_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def candidates(word: str) -> list[str]:
    """All forms with i/l/f/fi/fl inserted after each `f` (the word itself excluded)."""
    parts = word.split("f")
    if len(parts) - 1 > MAX_F:
        return []
    out = []
    for inserts in itertools.product(INSERTS, repeat=len(parts) - 1):
        if any(inserts):
            tail = zip(inserts, parts[1:], strict=True)
            out.append(parts[0] + "".join("f" + ins + p for ins, p in tail))
    return out


class LigatureRepair:
    """`LigatureRepair(vocab).repair(text, report)`: fix dropped ligatures in a text."""

    def __init__(self, vocab: Counter[str] | None = None, params: LigatureParams | None = None):
        self.vocab = vocab or Counter()
        self.params = params or LigatureParams()
        self._cache: dict[str, str] = {}

    def score(self, word: str) -> float:
        """How likely a (lowercase) form is Swedish: wordfreq, or seen intact in the batch."""
        bonus = self.params.vocab_zipf if self.vocab.get(word, 0) > 0 else 0.0
        return max(zipf(word), bonus)

    def known(self, part: str, depth: int = 2) -> bool:
        """A compound part: a known word, a word + linking s, or two known parts."""
        p = self.params
        if len(part) < p.min_part:
            return False
        if zipf(part) >= p.min_known or self.vocab.get(part, 0) >= 2 and "f" not in part:
            return True
        if part.endswith("s") and zipf(part[:-1]) >= p.min_known:
            return True
        if depth == 0:
            return False
        return any(
            self.known(part[:i], depth - 1) and self.known(part[i:], depth - 1)
            for i in range(p.min_part, len(part) - p.min_part + 1)
        )

    def part_score(self, part: str) -> float:
        """A changed part must be a word itself (or a word + linking s)."""
        if part.endswith("s") and len(part) > self.params.min_part:
            return max(zipf(part), zipf(part[:-1]))
        return zipf(part)

    def compound_forms(self, word: str) -> list[tuple[float, str]]:
        """Repairs judged by compound parts, for compounds missing from wordfreq:
        one part known as written, the other far more likely once repaired
        (`kollektiv|trafk` → `kollektiv|trafik`, `fer|årig` → `fler|årig`)."""
        p = self.params
        out: list[tuple[float, str]] = []
        for j in range(p.min_part, len(word) - p.min_part + 1):
            head, tail = word[:j], word[j:]
            if "f" in tail and self.known(head):
                out += [(self.part_score(t), head + t, tail) for t in candidates(tail)]
            if "f" in head and self.known(tail):
                out += [(self.part_score(h), h + tail, head) for h in candidates(head)]
        return [
            (min(s, 4.0), form)
            for s, form, old in out
            if s >= p.min_known and s - self.part_score(old) >= p.margin and len(old) > p.min_part
        ]

    def best(self, word: str, marked: bool = False) -> str:
        """The repaired lowercase form of a lowercase word (the word itself if none)."""
        key = word + ("\x00" if marked else "")
        if key in self._cache:
            return self._cache[key]
        result = self._best(word, marked)
        self._cache[key] = result
        return result

    def _best(self, word: str, marked: bool) -> str:
        p = self.params
        forms = candidates(word) if len(word) >= p.min_len else []
        if not forms:
            return word
        if not marked and zipf(word) >= p.keep_known:
            return word
        scored = [(self.score(f), f) for f in forms] + self.compound_forms(word)
        top, form = max(scored)
        if marked:
            return form if top > self.score(word) else word
        written = self.score_as_written(word)
        need = p.unknown_min if written == 0 else max(p.min_known + 0.5, written + p.margin)
        return form if top >= need else word

    def score_as_written(self, word: str) -> float:
        # The batch vocabulary is no evidence for a form as written: the same
        # damage repeats through a document. Only wordfreq counts here.
        return zipf(word)

    def repair_word(self, word: str) -> str:
        marked = LIGATURE_MARK in word
        bare = word.replace(LIGATURE_MARK, "")
        if "f" not in bare.lower():
            return bare
        lower = bare.lower()
        if marked:
            fixed = self.best_marked(word.lower())
        else:
            fixed = self.best(lower)
        return bare if fixed == lower else _match_case(fixed, bare)

    def best_marked(self, word: str) -> str:
        """A word with marks: only the marked f's change; the best form wins."""
        parts = word.split(LIGATURE_MARK)
        options = []
        for inserts in itertools.product(INSERTS, repeat=len(parts) - 1):
            form = parts[0] + "".join(ins + q for ins, q in zip(inserts, parts[1:], strict=True))
            options.append(form)
        bare = word.replace(LIGATURE_MARK, "")
        scored = [(self.score(f), f) for f in options]
        scored += [(s, f) for s, f in self.compound_forms(bare) if f in options]
        return max(scored)[1]

    def repair(self, text: str, report: CleanReport | None = None) -> str:
        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            fixed = self.repair_word(word)
            if fixed != word.replace(LIGATURE_MARK, "") and report is not None:
                report.add("ligatur", word.replace(LIGATURE_MARK, ""), fixed)
            return fixed

        return WORD_RE.sub(fix, text).replace(LIGATURE_MARK, "")
