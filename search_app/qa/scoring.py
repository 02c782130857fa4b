"""How well a unit supports a question: the IDF-weighted share of the question's
terms it contains, with typos and split names tolerated; words the documents
never use are no constraint.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace

from index.analysis import fold_ascii, word_frequencies
from search_app.qa.matching import Term, match_positions, stem_matches, tokens
from search_app.qa.model import Sentence, Support
from search_app.qa.params import AnswerParams
from search_app.qa.question import QuestionAnalysis


def decompound_names(a: QuestionAnalysis, sents: list[Sentence]) -> QuestionAnalysis:
    """A one-word name the passages never contain ("Värmlandsöverenskommelsen")
    also matches its parts in either order ("Överenskommelsen Värmland")."""
    vocabulary = {t for s in sents for t in s.toks}
    terms = []
    for term in a.terms:
        if term.is_name and len(term.variants) == 1 and len(term.variants[0]) == 1 and not any(
                unit_has(term, s) for s in sents):
            word = term.variants[0][0]
            for cut in range(4, len(word) - 3):
                left, right = word[:cut].rstrip("s"), word[cut:]
                if any(v.startswith(left) for v in vocabulary) and right in vocabulary:
                    term = replace(term, variants=term.variants + ((left, right), (right, left)))
                    break
        terms.append(term)
    return replace(a, terms=tuple(terms))


def correct_typos(a: QuestionAnalysis, sents: list[Sentence], max_edits: int) -> QuestionAnalysis:
    """A question word that no retrieved unit contains also matches the closest
    word those units write, within `max_edits` edits (Damerau–Levenshtein on
    lower-case words without å/ä/ö, words of five letters or more, one edit more
    from ten letters): "samverkn" finds "samverkan", "Kosret" "Korset". Words are
    compared as written, not as stems, since a typo changes what a stemmer cuts."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    if not max_edits:
        return a
    written = sorted({fold_ascii(w.casefold()) for s in sents
                      for w in re.findall(r"[^\W\d_]{4,}", s.text)})
    known = set(written)
    terms = []
    for term in a.terms:
        if not any(unit_has(term, s) for s in sents):
            words = []
            for word in term.text.split():
                key = fold_ascii(word.casefold())
                best = None if len(key) < 5 or key in known else process.extractOne(
                    key, written, scorer=DamerauLevenshtein.distance,
                    score_cutoff=max_edits + (len(key) >= 10))
                words.append(best[0] if best else word)
            fixed = tokens(" ".join(words))
            if fixed and fixed not in term.variants:
                term = replace(term, variants=term.variants + (fixed,))
        terms.append(term)
    return replace(a, terms=tuple(terms))


def restore_diacritics(a: QuestionAnalysis, sents: list[Sentence]) -> QuestionAnalysis:
    """A question word typed without å/ä/ö also matches as the passages spell it:
    "brukarrad" as "brukarråd". The stemmer reads the two spellings differently
    ("brukarr" against "brukarrad"), so folding after stemming is not enough."""
    spelled: dict[str, Counter] = {}
    for s in sents:
        for w in re.findall(r"[^\W\d_]*[åäöÅÄÖ][^\W\d_]*", s.text):
            spelled.setdefault(fold_ascii(w.casefold()), Counter())[w.casefold()] += 1
    terms = []
    for term in a.terms:
        words = term.text.split()
        restored = [spelled[w.casefold()].most_common(1)[0][0]
                    if w.casefold() in spelled and w.casefold() == fold_ascii(w.casefold())
                    else w for w in words]
        fixed = tokens(" ".join(restored))
        if restored != words and fixed and fixed not in term.variants:
            term = replace(term, variants=term.variants + (fixed,))
        terms.append(term)
    return replace(a, terms=tuple(terms))


def document_frequencies(a: QuestionAnalysis, sents: list[Sentence],
                         m: Matcher | None = None) -> dict[Term, int]:
    m = m or Matcher()
    return {term: sum(1 for s in sents if m.has(term, s.toks)) for term in a.terms}


def term_weights(a: QuestionAnalysis, sents: list[Sentence],
                 df: dict[Term, int] | None = None,
                 common_zipf: float = 7.0) -> dict[Term, float]:
    """IDF of each constraint over the retrieved sentences. A content word no
    retrieved unit contains is no constraint: it is the question's wording, not
    the documents' (dense retrieval already weighed it); `unknown_share` decides
    whether too much of the question is of that kind."""
    n = max(len(sents), 1)
    df = df if df is not None else document_frequencies(a, sents)
    return {term: (math.log((n + 1) / (df[term] + 1)) + 1.0) * specificity(term, common_zipf)
            for term in a.terms if df[term] > 0 or term.is_name}


def specificity(term: Term, common_zipf: float) -> float:
    """How much a question word says about content rather than how the question
    is worded: words frequent in all Swedish text ("tycker", "bra", "går")
    weigh less than rare ones ("partnerskap", "statsbidrag"), as a background
    IDF would say. From wordfreq's general Swedish zipf frequency of the term's
    rarest word: 1 up to `common_zipf`, falling linearly to 0.2 at zipf 7
    (the commonest words). Names always weigh 1."""
    if term.is_name or common_zipf >= 7:
        return 1.0
    freq = word_frequencies()
    zipf = min((freq.get(w.casefold(), 0.0) for w in term.text.split()), default=0.0)
    return min(1.0, max(0.2, 1.0 - (zipf - common_zipf) / (7.0 - common_zipf)))


def unknown_share(a: QuestionAnalysis, sents: list[Sentence], df: dict[Term, int]) -> float:
    """The IDF-weighted share of the question's content words that no retrieved
    unit contains (an unknown word weighs as the rarest)."""
    n = max(len(sents), 1)
    weight = {t: math.log((n + 1) / (df[t] + 1)) + 1.0 for t in a.terms if not t.is_name}
    total = sum(weight.values())
    return sum(w for t, w in weight.items() if df[t] == 0) / total if total else 0.0


def unit_has(term: Term, s: Sentence) -> bool:
    return bool(match_positions(term, s.toks))


class Matcher:
    """`match_positions` answered by set lookups: per term, the tokens (among
    those the retrieved units use) that its one-word variants match, found once
    per question; a term with longer variants is checked in order only where its
    first word occurs. Same answers as `match_positions`, a hundred times fewer
    Python steps over a few thousand units."""

    def __init__(self) -> None:
        self._single: dict[Term, dict[str, bool]] = {}
        self._first: dict[Term, dict[str, bool]] = {}

    def _hit(self, table: dict[Term, dict[str, bool]], term: Term, stems: list[str],
             toks: tuple[str, ...]) -> bool:
        seen = table.setdefault(term, {})
        for tok in toks:
            found = seen.get(tok)
            if found is None:
                found = seen[tok] = any(stem_matches(term, st, tok) for st in stems)
            if found:
                return True
        return False

    def has(self, term: Term, toks: tuple[str, ...]) -> bool:
        single = [v[0] for v in term.variants if len(v) == 1]
        if single and self._hit(self._single, term, single, toks):
            return True
        longer = [v[0] for v in term.variants if len(v) > 1]
        return bool(longer) and self._hit(self._first, term, longer, toks) and bool(
            match_positions(term, toks))

    def in_unit(self, term: Term, s: Sentence) -> bool:
        return self.has(term, s.toks)


def support(a: QuestionAnalysis, s: Sentence, weights: dict[Term, float],
            m: Matcher | None = None, p: AnswerParams | None = None) -> Support:
    """How well a unit supports the question: the IDF-weighted share of the
    question's terms it (or its section heading) contains, mixed with how close
    it is to the question in meaning (`AnswerParams.dense_weight`)."""
    m = m or Matcher()
    p = p or AnswerParams()
    total = sum(weights.values())
    # a name in the document's title holds for every unit: "(SKL:s position)"
    matched = [t for t in weights if m.has(t, s.toks)
               or (m.has(t, s.title_toks) if t.is_name else m.has(t, s.context))]
    names_ok = all(m.has(t, s.toks) or m.has(t, s.chunk_toks or tokens(s.chunk.text))
                   or m.has(t, s.title_toks) for t in a.names)
    lexical = sum(weights[t] for t in matched) / total if total else 0.0
    closeness = 0.0 if p.dense_span <= 0 else min(
        1.0, max(0.0, (s.similarity - p.dense_floor) / p.dense_span))
    coverage = (1 - p.dense_weight) * lexical + p.dense_weight * closeness
    return Support(s, coverage, names_ok, tuple(t.text for t in matched))


def about_regions(s: Sentence, regions: tuple[str, ...]) -> bool:
    """Whether a sentence is about one of the question's regions (or none was named)."""
    return not regions or any(r in s.regions for r in regions)
