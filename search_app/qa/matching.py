"""Matching text for answers with the index's own analysis: folded lemmas/stems,
compound heads, abbreviations as whole tokens, the glossary and the thesaurus.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from whoosh.lang import stopwords_for_language

from index.analysis import (
    fold_ascii,
    fold_keep_swedish,
    lemmatize,
    snowball_stem,
    swedish_stopwords,
)
from index.glossary import load_curated


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The index's curated glossary (`index/data/glossary.txt`: an abbreviation and
    its long form, an old and a new name), casefolded: the one synonym source of
    index and answers. Words of the question also get the general thesaurus's
    synonyms (`_thesaurus_variants`)."""
    return tuple(tuple(p.casefold() for p in g.phrases) for g in load_curated())


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Abbreviations of the glossary (IOP, ÖK, SKR …), folded: whole tokens only."""
    return frozenset(fold_ascii(p.casefold()) for g in load_curated() for p in g.phrases
                     if p.isupper() and 2 <= len(p) <= 5)


# The index's Swedish stopwords (Whoosh's list + index/data/stopwords.txt) and
# Whoosh's English list: function words carry no constraint in either language.
STOPWORDS = swedish_stopwords() | frozenset(stopwords_for_language("en"))


# The same words as typed without å/ä/ö ("nar", "manga", "vilket ar").
FOLDED_STOPWORDS = frozenset(fold_ascii(w) for w in STOPWORDS)


@dataclass(frozen=True)
class Term:
    """One constraint: matched when any variant (a sequence of stems) occurs."""

    text: str
    variants: tuple[tuple[str, ...], ...]
    is_name: bool = False  # a proper name: a hard constraint
    exact: frozenset[str] = frozenset()  # abbreviations beyond the glossary's: whole tokens
    synonyms: tuple[tuple[str, ...], ...] = ()  # the thesaurus's, used when AnswerParams says


def normalize(text: str) -> str:
    """The evaluation's normalization: NFKC, casefold, joined line-end hyphens,
    runs of non-alphanumerics to one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"-\s*\n\s*", "", text)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def fold(word: str) -> str:
    """Fold dropped ligatures so damaged and repaired spellings compare equal."""
    return re.sub(r"ff|f[il]", "f", word)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The index's analysis chain for one lower-case word (diacritics but å/ä/ö
    folded, spaCy lemma, Snowball stem), then å/ä/ö folded too and dropped
    ligatures folded: "överenskommelser" and a typed "overenskommelse" meet."""
    return fold(fold_ascii(snowball_stem(lemmatize(fold_keep_swedish(word)))))


def tokens(text: str) -> tuple[str, ...]:
    """Stemmed, folded tokens of a text; abbreviations written in capitals are
    kept bare ("IOP:er" → `iop`, `er`; "RÖKen" → `rök`)."""
    raw = re.sub(r"-\s*\n\s*", "", unicodedata.normalize("NFKC", text))
    return tuple(_token(w) for w in re.findall(r"[^\W_]+", raw))


_CAPS = re.compile(r"([A-ZÅÄÖÉ]{2,5})([a-zåäöé]{0,4})")


def _token(word: str) -> str:
    caps = _CAPS.fullmatch(word)
    if caps:
        return fold_ascii(caps.group(1).casefold())
    folded = word.casefold()
    stemmed = stem(folded)
    if stemmed in abbreviations() and fold_ascii(folded) != stemmed:
        return fold_ascii(folded)  # "röka", "löken": not the abbreviations RÖK, LÖK
    return stemmed


def caps_words(text: str) -> dict[str, str]:
    """Abbreviations a text writes in capitals, by their normalized form."""
    return {fold_ascii(normalize(m.group(1))): m.group(1)
            for m in re.finditer(r"\b([A-ZÅÄÖÉ]{2,5})(?=[:\W]|$)", text)}


_INFLECTION = re.compile(r"(arnas|ernas|ornas|arna|erna|orna|ens|ets|en|et|er|ar|or|na|a|e|s)$")


@lru_cache(maxsize=200_000)
def _token_matches(term_stem: str, token: str) -> bool:
    if token.startswith(term_stem):
        return True
    if len(term_stem) >= 5 and term_stem in token:
        return True
    if len(term_stem) >= 6 and len(token) <= len(term_stem) + 2 and len(
            _common_prefix(term_stem, token)) >= len(term_stem) - 2:
        return True  # idéburet / idéburna: Snowball stems them differently (not compounds)
    bare = _INFLECTION.sub("", token)
    return any(len(t) > len(term_stem) + 2 and t.endswith(term_stem)
               for t in (token, bare))  # compound head


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def stem_matches(term: Term, term_stem: str, token: str) -> bool:
    if term_stem in abbreviations() or term_stem in term.exact:
        return token == term_stem
    return _token_matches(term_stem, token)


def match_positions(term: Term, toks: tuple[str, ...]) -> list[int]:
    """Token positions where one of the term's variants starts."""
    found = []
    for variant in term.variants:
        n = len(variant)
        for i in range(len(toks) - n + 1):
            if all(stem_matches(term, variant[j], toks[i + j]) for j in range(n)):
                found.append(i)
    return sorted(set(found))


def matches(term: Term, toks: tuple[str, ...]) -> bool:
    return bool(match_positions(term, toks))


def variants(phrase: str) -> tuple[tuple[str, ...], ...]:
    """The phrase and its synonyms as stem sequences."""
    stems = tokens(phrase)
    variants = {stems}
    for group in synonym_groups():
        group_stems = [tokens(g) for g in group]
        if stems in group_stems:
            variants.update(group_stems)
    return tuple(sorted(v for v in variants if v))


def _thesaurus_variants(word: str) -> set[str]:
    """Stems of the general Swedish thesaurus's one-word synonyms of `word`
    (and of its lemma), e.g. "stötta" → stödja, "samarbeta" → samverka."""
    from index.thesaurus import load_thesaurus

    thesaurus = load_thesaurus()
    found = thesaurus.synonyms(word) | thesaurus.synonyms(lemmatize(word))
    return {stem(s) for s in found if " " not in s and len(s) >= 3}
