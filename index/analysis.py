"""Swedish analysis for the Whoosh index.

`swedish_analyzer(params)` is a tokenizer then small filters, shaped like
Whoosh's `LanguageAnalyzer`:

    RegexTokenizer | LowercaseFilter | SwedishFoldFilter | StopFilter
        | CompoundFilter (index time only) | morphology (lemma or Snowball stem)
        [| AsciiFoldFilter for the diacritic-free `folded` field]

Lexicons (the spaCy lemma table, the wordfreq word list) are held by name and
loaded lazily once per process (`lemma_table()`, `word_frequencies()`): the
filters carry no heavy state, so the schema Whoosh pickles into every TOC
stays small. Filter classes stay at these import paths because old indexes
unpickle them by path.
"""

from __future__ import annotations

import gzip
import json
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.swedish import SwedishStemmer

ANALYZER_VERSION = "sv-2"
MORPHOLOGIES = ("lemma", "snowball", "lemma+snowball", "none")
KEEP = frozenset("åäöÅÄÖ")
TOKEN_PATTERN = r"\w+(?:[.,:]\d+)*"


@dataclass(frozen=True)
class AnalyzerParams:
    morphology: str = "lemma+snowball"  # or lemma | snowball | none (docs/index.md)
    compounds: bool = True
    min_part: int = 3  # shortest compound part
    min_compound: int = 7  # shortest word tried as a compound
    min_zipf: float = 2.0  # wordfreq zipf a compound part must reach
    max_zipf_whole: float = 3.0  # words at least this frequent are not split

    def version(self) -> str:
        flag = "c" if self.compounds else "nc"
        return f"{ANALYZER_VERSION}-{self.morphology}-{flag}{self.min_part}-{self.min_zipf}"


# --- lexicons, loaded lazily by name ----------------------------------------


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spaCy's Swedish lemma lookup table, read from the spacy-lookups-data package."""
    data = resources.files("spacy_lookups_data") / "data" / "sv_lemma_lookup.json.gz"
    return json.loads(gzip.decompress(data.read_bytes()))


@lru_cache(maxsize=1)
def lemma_forms() -> frozenset[str]:
    """Every lemma of the table: a word that is one already stays as it is."""
    return frozenset(lemma_table().values())


@lru_cache(maxsize=1)
def word_frequencies() -> dict[str, float]:
    """wordfreq's Swedish list as word -> zipf frequency."""
    from wordfreq import get_frequency_dict

    words = get_frequency_dict("sv")
    return {w: math.log10(f) + 9.0 for w, f in words.items() if f > 0 and w.isalpha()}


@lru_cache(maxsize=1)
def swedish_stopwords() -> frozenset[str]:
    """Whoosh's Swedish list plus `index/data/stopwords.txt` (question words,
    auxiliaries)."""
    extra = (resources.files("index") / "data" / "stopwords.txt").read_text(encoding="utf-8")
    words = {w.strip() for w in extra.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(stopwords_for_language("sv")) | words


# --- pure word functions (testable alone) -----------------------------------


def fold_keep_swedish(text: str) -> str:
    """Strip diacritics except on å/ä/ö: `idéburen` -> `ideburen`, `får` stays."""
    out = []
    for ch in text:
        if ch in KEEP or ord(ch) < 128:
            out.append(ch)
        else:
            base = unicodedata.normalize("NFD", ch)
            out.append("".join(c for c in base if not unicodedata.combining(c)))
    return "".join(out)


def fold_ascii(text: str) -> str:
    """All diacritics away, å/ä/ö included: `överenskommelse` -> `overenskommelse`."""
    base = unicodedata.normalize("NFD", text)
    return "".join(c for c in base if not unicodedata.combining(c))


_STEMMER = SwedishStemmer()


def snowball_stem(word: str) -> str:
    return _STEMMER.stem(word)


@lru_cache(maxsize=200_000)
def lemmatize(word: str) -> str:
    """Lemma from the lookup table (a word that is a lemma already stays); an
    unknown compound takes the lemma of its longest known tail of at least five
    letters (`civilsamhället` -> `civilsamhälle`); else the word itself."""
    table, forms = lemma_table(), lemma_forms()
    if word in forms:
        return word
    lemma = table.get(word)
    if lemma is not None:
        return lemma
    for i in range(3, len(word) - 4):
        tail = word[i:]
        if tail in forms:
            return word
        if tail in table:
            return word[:i] + table[tail]
    return word


@lru_cache(maxsize=200_000)
def split_compound(
    word: str, min_part: int = 3, min_zipf: float = 2.0, max_zipf_whole: float = 3.0
) -> tuple[str, ...]:
    """The parts of a Swedish compound, or () when it is not one.

    Frequent words (zipf >= `max_zipf_whole`: `region`, `samverkan`) and
    numbers are left whole.
    Tries every split point; the head (right part) must be a known word, the
    modifier (left part) a known word, possibly with a linking `-s-`, or with
    `-a` replaced by `-o`/`-u`/`-e` (`folkhälso` -> `folkhälsa`). The split with
    the best weaker part wins; parts are split once more (`civil|samhälles|...`).
    """
    freq = word_frequencies()
    if word.isdigit() or freq.get(word, 0.0) >= max_zipf_whole:
        return ()
    best: tuple[float, str, str] | None = None
    for i in range(min_part, len(word) - min_part + 1):
        left, right = word[:i], word[i:]
        right_z = freq.get(right, 0.0)
        if right_z < min_zipf:
            continue
        for form in _modifier_forms(left, min_part):
            score = min(freq.get(form, 0.0), right_z)
            if score >= min_zipf and (best is None or score > best[0]):
                best = (score, form, right)
    if best is None:
        return ()
    _, left, right = best
    parts: list[str] = []
    for part in (left, right):
        long_enough = len(part) >= 2 * min_part + 2
        sub = split_compound(part, min_part, min_zipf, max_zipf_whole) if long_enough else ()
        parts.extend(sub or (part,))
    return tuple(dict.fromkeys([left, right, *parts]))


def _modifier_forms(left: str, min_part: int) -> list[str]:
    forms = [left]
    if left.endswith("s") and len(left) > min_part:
        forms.append(left[:-1])
    if left[-1] in "oue" and len(left) >= min_part:
        forms.append(left[:-1] + "a")
    return forms


# --- Whoosh filters ---------------------------------------------------------


class SwedishFoldFilter(Filter):
    """Folds diacritics other than å/ä/ö (é -> e, ü -> u)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_keep_swedish(t.text)
            yield t


class AsciiFoldFilter(Filter):
    """Folds every diacritic; used only for the `folded` field."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_ascii(t.text)
            yield t


class SwedishStopFilter(StopFilter):
    """Whoosh's StopFilter with the Swedish list; pickles without the list."""

    def __init__(self, minsize: int = 1):
        super().__init__(stoplist=swedish_stopwords(), minsize=minsize)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("stops", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.stops = swedish_stopwords()


class LemmaFilter(Filter):
    """Replaces each token by its lemma (spaCy lookup table, lowercase fallback)."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = lemmatize(t.text)
            yield t


class SnowballFilter(Filter):
    """Snowball Swedish stem of each token."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = snowball_stem(t.text)
            yield t


class CompoundFilter(Filter):
    """At index time, adds a compound's parts as extra terms at its position
    (`folkhälsostrategi` also indexes `folkhälsa`, `strategi`). Queries are not
    split, so a query for the whole compound still asks for the whole compound."""

    def __init__(
        self, min_part: int = 3, min_compound: int = 7, min_zipf: float = 2.0,
        max_zipf_whole: float = 3.0,
    ):
        self.min_part = min_part
        self.min_compound = min_compound
        self.min_zipf = min_zipf
        self.max_zipf_whole = max_zipf_whole

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __call__(self, tokens):
        for t in tokens:
            if t.mode != "index" or t.stopped or len(t.text) < self.min_compound:
                yield t
                continue
            text = t.text
            parts = split_compound(text, self.min_part, self.min_zipf, self.max_zipf_whole)
            yield t
            for part in parts:
                t.text = part
                yield t


def _morph_filter(params: AnalyzerParams) -> Filter | None:
    if params.morphology == "lemma":
        return LemmaFilter()
    if params.morphology == "snowball":
        return SnowballFilter()
    if params.morphology == "lemma+snowball":
        return LemmaFilter() | SnowballFilter()
    if params.morphology == "none":
        return None
    raise ValueError(f"okänd morfologi: {params.morphology!r} (välj bland {MORPHOLOGIES})")


def swedish_analyzer(params: AnalyzerParams | None = None, folded: bool = False):
    """The analyzer of the `text`, `title` and `section` fields (and, with
    `folded=True`, of the diacritic-free `folded` field)."""
    params = params or AnalyzerParams()
    chain = (
        RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | SwedishFoldFilter()
        | SwedishStopFilter()
    )
    if params.compounds:
        chain = chain | CompoundFilter(
            params.min_part, params.min_compound, params.min_zipf, params.max_zipf_whole
        )
    morph = _morph_filter(params)
    if morph is not None:
        chain = chain | morph
    if folded:
        chain = chain | AsciiFoldFilter()
    return chain


def analyze(analyzer, text: str, mode: str = "query") -> list[str]:
    """The terms an analyzer makes of `text` (stopped tokens dropped)."""
    return [t.text for t in analyzer(text, mode=mode, removestops=True)]
