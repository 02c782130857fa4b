"""`kb eval --perturb`: the same question worded as users type it must get the same answer.

Issue 12, item 7. For every question five variants are generated (pure
functions, tested in tests/measure/test_perturb.py):

- `diacritics`: å/ä → a, ö → o, é → e (every combining mark dropped);
- `lower`: lower case;
- `typo`: one letter swapped with the next, dropped or doubled in the longest
  content word of ≥ 5 letters; operation and position drawn from a generator
  seeded by the question id, so a run is repeatable;
- `keywords`: function words and question words dropped (the project's one
  stopword list, `index.analysis.swedish_stopwords`, plus Whoosh's English list);
  negations are kept, since they carry the meaning;
- `synonym`: one content word replaced by a single-word synonym from the
  general thesaurus (`index/thesaurus.py`); the word is drawn seeded by the
  question id among the words that have synonyms, the synonym is its most
  frequent one (wordfreq zipf), i.e. the one a user is most likely to type,
  preferring one with the same ending (`pick_synonym`).

A variant identical to the question (a question typed without å/ä/ö has no
`diacritics` variant) or empty is skipped, not counted as agreeing.

Agreement of a variant's answer with the original's (`agree`):
- found/refused must be the same; two refusals agree;
- `list`: the same entity set, names compared by `evaluate.entity_key`;
- `factoid`: both leads (`evaluate.lead`) contain the same gold strings; when
  neither contains one, the normalized leads must be equal (two different
  wrong values do not agree);
- other types: the same found.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from search_app.measure.evaluate import Question, entity_key, lead, squash

KINDS = ("diacritics", "lower", "typo", "keywords", "synonym")
TYPO_MIN_LETTERS = 5

# Kept in the keyword form: dropping them reverses the question.
NEGATIONS = frozenset({"inte", "ej", "icke", "ingen", "inget", "inga", "utan", "aldrig",
                       "not", "no", "never", "without", "nor", "none"})

# Not swapped for a synonym: the thesaurus reads them as other words (`sex`).
NUMBER_WORDS = frozenset({"en", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta",
                          "nio", "tio", "elva", "tolv", "tjugo", "hundra", "tusen"})
_NAME_AFTER = re.compile(r"\s+[A-ZÅÄÖÉ]")  # `Region Gotland`: the word is part of a name
_WORD = re.compile(r"\w+(?:[-–/.:]\w+)*", re.UNICODE)


# ---------------------------------------------------------------- variants


@dataclass(frozen=True)
class Variant:
    kind: str
    text: str | None  # None: skipped
    detail: str = ""  # what was changed, or why it was skipped


def strip_diacritics(text: str) -> str:
    """Every combining mark dropped after NFD: å ä → a, ö → o, é → e, Å → A."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def seeded(question_id: str, kind: str) -> random.Random:
    """A generator that depends only on the question id and the variant kind."""
    digest = hashlib.sha256(f"{question_id}\x00{kind}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def is_stopword(word: str, stopwords: frozenset[str]) -> bool:
    low = word.lower()
    return low in stopwords or strip_diacritics(low) in _folded(stopwords)


@lru_cache(maxsize=8)
def _folded(stopwords: frozenset[str]) -> frozenset[str]:
    return frozenset(strip_diacritics(w) for w in stopwords)


def is_content_word(word: str, stopwords: frozenset[str]) -> bool:
    return word.isalpha() and not is_stopword(word, stopwords)


def _replace(text: str, m: re.Match, new: str) -> str:
    return text[: m.start()] + new + text[m.end():]


def typo(text: str, question_id: str, stopwords: frozenset[str]) -> Variant:
    """One letter swapped, dropped or doubled in the longest content word (≥ 5 letters;
    the first such word on ties). The first letter is never touched."""
    candidates = [m for m in words(text)
                  if is_content_word(m.group(), stopwords) and len(m.group()) >= TYPO_MIN_LETTERS]
    if not candidates:
        return Variant("typo", None, f"inget innehållsord med minst {TYPO_MIN_LETTERS} bokstäver")
    target = max(candidates, key=lambda m: (len(m.group()), -m.start()))
    word = target.group()
    rng = seeded(question_id, "typo")
    op = rng.choice(("swap", "drop", "double"))
    i = rng.randrange(1, len(word) - 1)  # an inner position; i + 1 exists
    if op == "swap" and word[i] == word[i + 1]:
        op = "drop"
    if op == "swap":
        new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    elif op == "drop":
        new = word[:i] + word[i + 1:]
    else:
        new = word[:i] + word[i] + word[i:]
    return Variant("typo", _replace(text, target, new), f"{op}: {word} → {new}")


def keywords(text: str, stopwords: frozenset[str]) -> Variant:
    """The words that are not function or question words, in order, space-separated."""
    kept = [m.group() for m in words(text)
            if m.group().lower() in NEGATIONS or not is_stopword(m.group(), stopwords)]
    new = " ".join(kept)
    if not new:
        return Variant("keywords", None, "bara funktionsord")
    return Variant("keywords", new, f"{len(words(text)) - len(kept)} ord bort")


def _name_like(m: re.Match, text: str) -> bool:
    """An acronym, or a capitalized word that does not open the text: a name, not to swap."""
    word = m.group()
    if len(word) > 1 and word.isupper():
        return True
    return word[:1].isupper() and text[: m.start()].strip() != ""


def pick_synonym(word: str, synonyms: Iterable[str], frequency: Mapping[str, float],
                 lemma: Callable[[str], str] = str.lower) -> str | None:
    """The synonym to put in the word's place, or None.

    The thesaurus lists base forms without part of speech (`saknar` → `brist`,
    `längtar`). A base form (its lemma is itself) takes the most frequent
    synonym; an inflected word only a synonym with its last two letters (likely
    the same inflection: `saknar` → `längtar`), else it is left alone rather
    than given a base form that breaks the sentence. Ties: alphabetical."""
    low = word.lower()
    syns = sorted(s for s in synonyms if s.isalpha() and s != low)
    if lemma(low) != low:
        syns = [s for s in syns if s.endswith(low[-2:])]
    if not syns:
        return None
    return max(syns, key=lambda s: (frequency.get(s, 0.0), -syns.index(s)))


def synonym_swap(text: str, question_id: str, stopwords: frozenset[str],
                 synonyms: Callable[[str], Iterable[str]],
                 frequency: Mapping[str, float],
                 lemma: Callable[[str], str] = str.lower) -> Variant:
    """One content word (not a name or part of one, an acronym, a number word or a
    compound part such as `barn-`)
    replaced by the synonym `pick_synonym` chooses; the word is drawn seeded by
    the question id among those that have one."""
    options = []
    for m in words(text):
        word = m.group()
        if (not is_content_word(word, stopwords) or len(word) < 3 or _name_like(m, text)
                or word.lower() in NUMBER_WORDS or text[m.end(): m.end() + 1] == "-"
                or _NAME_AFTER.match(text, m.end())):
            continue
        best = pick_synonym(word, synonyms(word.lower()), frequency, lemma)
        if best:
            options.append((m, best))
    if not options:
        return Variant("synonym", None, "inget ord med synonym i synonymlexikonet")
    m, syn = seeded(question_id, "synonym").choice(options)
    if m.group()[:1].isupper():
        syn = syn[:1].upper() + syn[1:]
    return Variant("synonym", _replace(text, m, syn), f"{m.group()} → {syn}")


@dataclass(frozen=True)
class Perturber:
    """The resources the variants need; `default_perturber()` loads the real ones."""

    stopwords: frozenset[str]
    synonyms: Callable[[str], Iterable[str]]
    frequency: Mapping[str, float]
    lemma: Callable[[str], str] = str.lower

    def variants(self, question_id: str, text: str) -> list[Variant]:
        """All five kinds, in `KINDS` order; identical or empty variants skipped."""
        out = [
            Variant("diacritics", strip_diacritics(text)),
            Variant("lower", text.lower()),
            typo(text, question_id, self.stopwords),
            keywords(text, self.stopwords),
            synonym_swap(text, question_id, self.stopwords, self.synonyms, self.frequency,
                         self.lemma),
        ]
        return [v if v.text is None or v.text.strip() != text.strip()
                else Variant(v.kind, None, "samma som frågan") for v in out]


def default_perturber() -> Perturber:
    from whoosh.lang import stopwords_for_language

    from index.analysis import lemmatize, swedish_stopwords, word_frequencies
    from index.thesaurus import load_thesaurus

    stopwords = swedish_stopwords() | frozenset(stopwords_for_language("en"))
    return Perturber(stopwords, load_thesaurus().synonyms, word_frequencies(), lemmatize)


# ---------------------------------------------------------------- agreement


@dataclass(frozen=True)
class View:
    """What agreement compares in one answer."""

    found: bool
    entities: frozenset[str]  # entity_key of each returned name
    lead: str  # squashed lead
    gold_hits: frozenset[str]  # gold strings the lead contains
    shown: str  # for the report


def view(answer: Mapping, gold: Sequence[str] = ()) -> View:
    found = bool(answer.get("found"))
    text = str(answer.get("answer") or "")
    names = [str(e.get("name", "")) for e in answer.get("entities") or ()]
    led = squash(lead(text))
    hits = frozenset(g for g in gold if squash(g) and squash(g) in led)
    shown = ", ".join(names) if names else " ".join(lead(text).split())[:160]
    return View(found, frozenset(entity_key(n) for n in names), led, hits, shown)


def agree(qtype: str, a: View, b: View) -> bool:
    if a.found != b.found:
        return False
    if not a.found:
        return True
    if qtype == "list":
        return a.entities == b.entities
    if qtype == "factoid":
        if a.gold_hits or b.gold_hits:
            return a.gold_hits == b.gold_hits
        return a.lead == b.lead
    return True


def closeness(qtype: str, a: View, b: View) -> float:
    """1 for agreement, 0 for a found/refused flip; lists in between (Jaccard).
    Sorts the disagreements, worst first."""
    if agree(qtype, a, b):
        return 1.0
    if a.found != b.found:
        return 0.0
    if qtype == "list":
        union = a.entities | b.entities
        return len(a.entities & b.entities) / len(union) if union else 1.0
    return 0.5


# ---------------------------------------------------------------- runner and report


@dataclass(frozen=True)
class Outcome:
    id: str
    type: str
    kind: str
    question: str
    variant: str
    detail: str
    agree: bool
    closeness: float
    original: str  # shown answer: entities or lead, "(avböjd)" when refused
    perturbed: str


def _shown(v: View) -> str:
    return v.shown if v.found else "(avböjd)"


def compare(question: Question, variant: Variant, original: Mapping,
            perturbed: Mapping) -> Outcome:
    a = view(original, question.answer_entities)
    b = view(perturbed, question.answer_entities)
    return Outcome(question.id, question.type, variant.kind, question.question,
                   variant.text or "", variant.detail, agree(question.type, a, b),
                   round(closeness(question.type, a, b), 4), _shown(a), _shown(b))


def summarize(outcomes: Sequence[Outcome], skipped: Mapping[str, int], worst: int = 10,
              questions: int = 0) -> dict:
    def share(items: Sequence[Outcome]) -> float:
        return round(sum(o.agree for o in items) / len(items), 4) if items else 0.0

    by_kind = {}
    for kind in KINDS:
        items = [o for o in outcomes if o.kind == kind]
        by_kind[kind] = {"n": len(items), "skipped": skipped.get(kind, 0),
                         "agreement": share(items)}
    by_type = {}
    for qtype in sorted({o.type for o in outcomes}):
        items = [o for o in outcomes if o.type == qtype]
        by_type[qtype] = {"n": len(items), "agreement": share(items)}
    bad = sorted((o for o in outcomes if not o.agree), key=lambda o: (o.closeness, o.id, o.kind))
    return {
        "questions": questions,
        "variants": len(outcomes),
        "agreement": share(outcomes),
        "target": 0.90,
        "by_kind": by_kind,
        "by_type": by_type,
        "worst": [asdict(o) for o in bad[:worst]],
    }


def _as_json(answer) -> dict:
    return answer if isinstance(answer, dict) else answer.to_json()


def run_perturbation(engine, questions: Sequence[Question], perturber: Perturber | None = None,
                     params=None, progress: Callable[[int, int], None] | None = None,
                     worst: int = 10) -> dict:
    """Ask every question and each of its variants; the report's "perturbation" section."""
    perturber = perturber or default_perturber()

    def ask(text: str) -> dict:
        return _as_json(engine.ask(text, params) if params is not None else engine.ask(text))

    outcomes: list[Outcome] = []
    skipped: dict[str, int] = {}
    for i, question in enumerate(questions, start=1):
        original = ask(question.question)
        for variant in perturber.variants(question.id, question.question):
            if variant.text is None:
                skipped[variant.kind] = skipped.get(variant.kind, 0) + 1
                continue
            outcomes.append(compare(question, variant, original, ask(variant.text)))
        if progress:
            progress(i, len(questions))
    return summarize(outcomes, skipped, worst=worst, questions=len(questions))


def format_perturbation(section: dict) -> str:
    lines = ["", f"Störda frågor (--perturb): {section['variants']} varianter av "
             f"{section['questions']} frågor; samma svar som originalet "
             f"{section['agreement']:.3f} (mål ≥ {section['target']:.2f})", "",
             "| variant | n | överhoppade | samma svar |", "|---|---|---|---|"]
    for kind, s in section["by_kind"].items():
        lines.append(f"| {kind} | {s['n']} | {s['skipped']} | {s['agreement']:.3f} |")
    lines += ["", "| frågetyp | n | samma svar |", "|---|---|---|"]
    for qtype, s in section["by_type"].items():
        lines.append(f"| {qtype} | {s['n']} | {s['agreement']:.3f} |")
    if section["worst"]:
        lines += ["", "Största skillnaderna:"]
    for w in section["worst"]:
        lines.append(f"- {w['id']} [{w['type']}] {w['kind']} ({w['detail']}): {w['variant']}")
        lines.append(f"    original: {w['original']}")
        lines.append(f"    variant:  {w['perturbed']}")
    return "\n".join(lines)
