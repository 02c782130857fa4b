"""Question analysis: what kind of answer is asked for, of which entity kind,
and which constraints a supporting passage must satisfy.

Pure functions over text (Swedish and English questions). Matching is done on
folded tokens: normalized as in the evaluation (NFKC, casefold), with dropped
ligatures folded on both sides (`ff`, `fi`, `fl` → `f`), so `ofentliga`
matches `offentliga` whether or not cleaning repaired it, and Snowball-stemmed,
so `minoriteterna` matches `minoriteters`. A term matches a token by stem prefix,
by compound head (`råd` in `funktionshinderrådet`) or, for stems of five
letters or more, anywhere inside a compound (`minoritet` in
`minoritetsområdet`).

Abbreviations ("ÖK", "IOP", the known ones in `ABBREVIATIONS` and any word the
question writes in capitals) match only a whole token: "ÖK", "ök", "ÖK:n",
"IOP:er", "RÖKen", never "öka" or "röken". A word written in capitals (two to
five letters, optionally with a lower-case inflection) is kept as the bare
abbreviation, and a lower-case word whose stem would equal an abbreviation
("röka" → "rök") keeps its full form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from index.analysis import (
    fold_ascii,
)
from index.bilingual import MAX_PHRASE_WORDS
from index.language import detect_language
from search_app.qa.matching import (
    FOLDED_STOPWORDS,
    STOPWORDS,
    Term,
    _thesaurus_variants,
    abbreviations,
    caps_words,
    normalize,
    synonym_groups,
    tokens,
    variants,
)

ANSWER_TYPES = ("list", "count", "date", "definition", "yesno", "factoid", "passage")


ENTITY_KINDS = ("region", "municipality", "organisation", "other")


# Words naming the entity kind a question asks for (folded: also typed without å/ä/ö).
KIND_WORDS: dict[str, str] = {fold_ascii(word): kind for word, kind in {
    "region": "region", "regioner": "region", "regionerna": "region", "regionen": "region",
    "landsting": "region", "landstingen": "region", "regions": "region",
    "kommun": "municipality", "kommuner": "municipality", "kommunerna": "municipality",
    "kommunen": "municipality", "municipality": "municipality",
    "municipalities": "municipality",
    "organisation": "organisation", "organisationer": "organisation",
    "organisationerna": "organisation", "förening": "organisation",
    "föreningar": "organisation", "föreningen": "organisation",
    "föreningarna": "organisation", "organisations": "organisation",
    "organizations": "organisation", "organisationen": "organisation",
}.items()}


NUMBER_WORDS = {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
                "nio": 9, "tio": 10, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@dataclass(frozen=True)
class QuestionAnalysis:
    question: str
    language: str  # "sv" or "en"
    answer_type: str  # one of ANSWER_TYPES
    entity_kind: str | None  # one of ENTITY_KINDS for list and name questions
    terms: tuple[Term, ...]
    regions: tuple[str, ...] = ()  # canonical regions named in the question
    municipalities: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    subject: str = ""  # what a definition question asks about
    focus: tuple[str, ...] = ()  # what a count or name question asks about ("studieförbund")
    expected_count: int | None = None  # "de tre strategiska råden"
    wants_money: bool = False  # "hur mycket pengar": the span must be an amount
    search_text: str = ""

    @property
    def names(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.is_name)


EntityFinder = Callable[[str], object]


def analyze(question: str, find_entities: EntityFinder | None = None) -> QuestionAnalysis:
    """Answer type, entity kind and constraints of a question."""
    if find_entities is None:
        from ingest.entities import find_entities
    text = " ".join(question.split())
    norm = normalize(text)
    language = detect_language(text)
    swedish, translations = translate(text) if language == "en" else (text, {})
    entities = find_entities(swedish)
    regions = tuple(getattr(entities, "regions", ())) or misspelt_regions(swedish)
    municipalities = tuple(getattr(entities, "municipalities", ()))
    organisations = tuple(getattr(entities, "organisations", ()))
    answer_type, kind = classify(normalize(swedish), norm)
    main, alternatives = split_alternatives(swedish)
    subject = definition_subject(swedish) if answer_type == "definition" else ""
    if language == "en":
        alternatives = [alt for alt in alternatives if is_swedish(alt)]
    terms = extract_terms(subject or main, answer_type, kind, find_entities)
    if alternatives:
        terms = merge_alternatives(terms, alternatives)
    if language == "en":
        terms = tuple(_with_translations(t, translations) for t in terms if kept_in_english(t))
    return QuestionAnalysis(
        question=question,
        language=language,
        answer_type=answer_type,
        entity_kind=kind,
        terms=terms,
        regions=regions,
        municipalities=municipalities,
        organisations=organisations,
        subject=subject,
        focus=focus_word(normalize(swedish), terms),
        expected_count=expected_count(normalize(swedish)),
        wants_money=bool(re.search(r"\bhur mycket (pengar|bidrag|stöd|kronor)|\bhow much\b"
                                   r"|\bhur många (kronor|miljoner)|\bbelopp|\bbudget", norm)
                         or re.search(_MONEY_CUE, fold_ascii(norm))),
        search_text=expand_query(swedish if language == "sv" else f"{text} {swedish}"),
    )


@lru_cache(maxsize=1)
def _region_words() -> dict[str, str]:
    """Folded one-word region names of the gazetteer (landscape, county and the
    last word of official names, with their genitives) → canonical region."""
    from ingest.entities import region_aliases

    words: dict[str, str] = {}
    for alias in region_aliases():
        last = alias.name.split()[-1]
        if len(last) >= 5 and not last.islower():
            key = fold_ascii(last.casefold())
            words.setdefault(key, alias.canonical)
            words.setdefault(key.rstrip("s") if key.endswith("s") else key + "s",
                             alias.canonical)
    return words


def misspelt_regions(text: str) -> tuple[str, ...]:
    """Regions named in any case, without å/ä/ö or with a typo ("dalarna",
    "ostergotlands", "Norbotten"): words of five letters or more equal, once
    folded, to a one-word region name, else the closest one (rapidfuzz ratio ≥ 88)."""
    from rapidfuzz import fuzz, process

    names = _region_words()
    found = []
    for word in re.findall(r"[^\W\d_]{5,}", text):
        key = fold_ascii(word.casefold())
        if key in names:
            found.append(names[key])
            continue
        best = process.extractOne(key, list(names), scorer=fuzz.ratio, score_cutoff=88)
        if best and word[:1].isupper():
            found.append(names[best[0]])
    return tuple(dict.fromkeys(found))


def is_region_word(word: str) -> bool:
    return fold_ascii(word.casefold()) in _region_words()


def _with_translations(term: Term, translations: dict[str, tuple[str, ...]]) -> Term:
    """A translated word also matches the dictionary's other translations."""
    others = translations.get(term.text.casefold(), ())
    extra = tuple(tokens(o) for o in others if tokens(o) and tokens(o) not in term.variants)
    return replace(term, variants=term.variants + extra) if extra else term


def kept_in_english(term: Term) -> bool:
    """Whether a term of an English question stays a constraint: names,
    abbreviations and Swedish words (a "t.ex." group by any of its parts).
    An untranslated English word can never occur in the Swedish documents, so
    as a constraint it would refuse every answer; it is left to dense retrieval."""
    return (term.is_name or is_abbreviation(term)
            or any(is_swedish(part) for part in term.text.split(" | ")))


def is_abbreviation(term: Term) -> bool:
    """A domain abbreviation or one the question writes in capitals (IOP, ANDTS)."""
    return (term.text.isupper() or fold_ascii(term.text.casefold()) in abbreviations()
            or bool(term.exact))


def is_swedish(text: str, margin: float = 1.0) -> bool:
    """Whether no word is clearly more English than Swedish: its wordfreq zipf
    frequency in English exceeds the Swedish one by more than `margin`.
    Words both languages use (budget, region, plan, social) stay Swedish."""
    from wordfreq import zipf_frequency

    return all(zipf_frequency(w, "en") - zipf_frequency(w, "sv") <= margin
               for w in text.casefold().split())


def translate(text: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    """An English question in Swedish words from a general dictionary (Folkets
    lexikon, `index/bilingual.py`): each English phrase (longest first, up to
    three words) becomes its surest translation; the other translations are
    returned by that word, as alternatives a passage may use instead. Function
    words and single capitalised words (names: "Region Västernorrland", "SKL")
    stay as written; a capitalised phrase ("Red Cross") keeps its capitals."""
    from index.bilingual import load_english_swedish

    dictionary = load_english_swedish()
    words = re.findall(r"[^\W\d_][\w-]*|\S", re.sub(r"(?<=\w)['’]s\b", "", text))
    out, alternatives, i = [], {}, 0
    while i < len(words):
        for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            phrase = words[i:i + n]
            if not _translatable(phrase, at_start=i == 0):
                continue
            found = dictionary.translations(" ".join(phrase))
            if found:
                best = found[0].title() if phrase[0][:1].isupper() and n > 1 else found[0]
                out.append(best)
                alternatives[best.casefold()] = found[1:]
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out), alternatives


def _translatable(phrase: list[str], at_start: bool) -> bool:
    """Content words only; a single capitalised word inside the question is part
    of a name and stays."""
    if not all(w[:1].isalpha() for w in phrase) or phrase[0].casefold() in STOPWORDS:
        return False
    word = phrase[0]
    return len(phrase) > 1 or not (word.isupper() or word[:1].isupper() and not at_start)




_KIND_RE = "|".join(sorted(map(re.escape, KIND_WORDS), key=len, reverse=True))


def classify(norm: str, original_norm: str) -> tuple[str, str | None]:
    """(answer type, entity kind) from the question's wording, matched on folded
    text so that a question typed without å/ä/ö ("nar", "hur manga") is read alike.
    A question that asks for entities of a kind anywhere ("kulturting vilka
    regioner", "hur många regioner … och vilka") is a list: a count of entities
    is answered by the list and its length."""
    q, norm = fold_ascii(original_norm), fold_ascii(norm)
    kind = _asked_kind(norm)
    if re.search(r"\b(hur ofta|how often)\b", q):
        return "count", "frequency"  # "varannan månad", "fyra gånger per år"
    if re.search(r"\b(hur lange|how long)\b", q):
        return "count", "duration"
    if re.search(_MONEY_CUE, q) and not re.search(r"\b(vilka|which)\b", q):
        return "count", "number"  # "Vad är arbetet värt i kronor?": an amount
    if re.match(r"^(vad (ar|betyder|innebar|menas med|avses med|star \w+ for)|"
                r"what (is|are|does) (meant by|the meaning)|what (is|are) (an? |the )?"
                r"|define|forklara)", q) and not re.search(
                    r"\b(how many|how much|which)\b", q) and not re.match(
                    rf"^what (is|are) (the )?(\w+ )?({_KIND_RE})\b", q):
        if not re.match(r"^what (is|are) the (number|amount)", q):
            return "definition", None
    what_kind = re.match(rf"^what (?:are|were|is) (?:the )?(?:\w+ )?({_KIND_RE})\b", q)
    if what_kind:  # "What are the regions that …": a list of that kind
        return "list", KIND_WORDS[what_kind.group(1)]
    asks_which = re.search(rf"\b(vilka|which)( \w+)?? ({_KIND_RE})\b", q) or re.search(
        r"\b(vilka|which)\b", q) and re.search(r"\b(hur manga|how many)\b", q)
    counts_places = re.search(rf"\b(hur manga|how many)( \w+)?? ({_KIND_RE})\b", q) and \
        kind in ("region", "municipality")
    if kind not in (None, "other") and (asks_which or counts_places):
        return "list", kind  # the list's length answers "hur många regioner" too
    if re.search(r"\b(hur manga|hur mycket|how many|how much|antal|hur stor|hur stort)\b", q):
        return "count", "number"
    if re.search(r"^(nar|when)\b|\b(vilket ar|what year|vilket datum|sedan nar)\b", q):
        return "date", "date"
    if re.search(r"\b(vilka|which)\b", q) or re.match(
            r"^(what|name|list) \w+ (have|has|are)|^who (are|were)\b", q):
        return "list", kind or "other"  # "Till vilka …", "Inom vilka områden …" too
    if re.match(r"^(vilken|vilket|vem|who|which)\b", q) or re.search(
            r"\bvad (heter|hette|kallas|kallades)\b|\bwhat is the name\b", q):
        return "factoid", kind or "other"
    if re.match(r"^(har|ar|finns|kan|ska|skall|far|maste|bor|gor|do|does|is|are|has|have"
                r"|can|should|must|may)\b", q):
        return "yesno", None
    plural = _plural_kind(q)
    if plural and not re.search(_INTERROGATIVE, q):
        return "list", plural  # a keyword query naming regions: "kulturting regioner"
    if not re.search(_INTERROGATIVE, q) and _opens_with_plural(original_norm):
        return "list", "other"  # "verksamheter i samverkan för …": a keyword list query
    return "passage", None


# Amounts of money asked for without "hur mycket": "värt i kronor", "vad kostar".
_MONEY_CUE = (r"\b(i kronor|in kronor|kostar|kostade|kostnaden|beloppet|summan|"
              r"vart i|worth)\b")


def _opens_with_plural(norm: str) -> bool:
    """Whether a keyword query's first content word is a plural noun, by the
    lemma table: the word is its lemma plus a plural ending ("verksamheter",
    "medlemmar", "principer")."""
    from index.analysis import lemma_table, swedish_stopwords

    words = [w for w in norm.split() if w not in swedish_stopwords() and not is_region_word(w)]
    if not words:
        return False
    word = words[0]
    lemma = lemma_table().get(word)
    return bool(lemma and lemma != word and len(word) > len(lemma)
                and word.startswith(lemma[:-1]) and word.endswith(("er", "ar", "or")))


# Words that make a text a question; without any, a text is a keyword query.
_INTERROGATIVE = (r"\b(vilka|vilken|vilket|vad|hur|nar|vem|vems|var|varfor|vart|which|what|"
                  r"how|who|whom|whose|when|where|why)\b")
_PLURAL_KINDS = {"regioner": "region", "regionerna": "region", "landsting": "region",
                 "kommuner": "municipality", "kommunerna": "municipality",
                 "organisationer": "organisation", "foreningar": "organisation",
                 "regions": "region", "municipalities": "municipality",
                 "organisations": "organisation", "organizations": "organisation"}


def _plural_kind(q: str) -> str | None:
    """The entity kind a text names in the plural, if one ("… regioner …")."""
    found = {_PLURAL_KINDS[w] for w in q.split() if w in _PLURAL_KINDS}
    return found.pop() if len(found) == 1 else None


def _asked_kind(norm: str) -> str | None:
    """The entity kind a question asks for: the kind word after its question
    word ("vilka regioner", "hur många kommuner"), or a compound ending in one
    ("vilka pensionärsorganisationer")."""
    m = re.search(rf"\b(vilka|vilken|vilket|which|what|hur manga|how many)( av)?( de| the)?"
                  rf"( (?!ar\b|are\b)\w+)?? ({_KIND_RE})\b", norm)
    if m:
        return KIND_WORDS[m.group(5)]
    m = re.match(r"^(vilka|vilken|vilket|which|what) (\w+)", norm)
    if m:
        head = m.group(2)
        for word, kind in KIND_WORDS.items():
            if head.endswith(word) and len(head) > len(word):
                return kind  # pensionärsorganisationer, civilsamhällesorganisation
    return None


_FOCUS_RE = re.compile(r"\b(?:hur manga|how many|vad (?:heter|hette|kallas|kallades)"
                       r"|what is the name of|antal|antalet) (\w+)")


def focus_word(norm: str, terms: tuple[Term, ...]) -> tuple[str, ...]:
    """What a count or name question asks about: the term right after "hur många"
    / "vad heter" ("studieförbund" in "hur många studieförbund finns i Dalarna")."""
    m = _FOCUS_RE.search(fold_ascii(norm))
    if not m:
        return ()
    return tuple(t.text for t in terms
                 if not t.is_name and fold_ascii(t.text.casefold()) == m.group(1))


def expected_count(norm: str) -> int | None:
    m = re.search(r"\b(två|tre|fyra|fem|sex|sju|åtta|nio|tio|two|three|four|five|six|\d+)"
                  r" (\w+ )?(\w+)$", norm)
    if m and not re.match(r"\d{4}", m.group(1)):
        word = m.group(1)
        return int(word) if word.isdigit() else NUMBER_WORDS.get(word)
    m = re.search(r"\b(de|sina|its|the) (två|tre|fyra|fem|sex|sju|two|three|four|five|six)\b",
                  norm)
    return NUMBER_WORDS.get(m.group(2)) if m else None


def definition_subject(text: str) -> str:
    m = re.search(r"(?i)(?:vad (?:är|betyder|innebär|menas med|avses med)|what (?:is|are|does)"
                  r"(?: meant by)?|förklara|define)\s+(?:en |ett |the |an? )?(.+?)"
                  r"(?:\s+(?:för något|mean|referred to|i |in |som |that ).*)?[?.!]*$", text)
    return m.group(1).strip(" ?") if m else ""


def split_alternatives(text: str) -> tuple[str, list[str]]:
    """Cut "t.ex. A, B eller C" off a question: alternatives, any one suffices."""
    m = re.search(r"(?i),?\s*\b(t\.\s?ex\.?|till exempel|exempelvis|såsom|e\.g\.|such as)\s+"
                  r"(.+?)[?.!]*$", text)
    if not m:
        return text, []
    items = re.split(r"\s*,\s*|\s+(?:eller|or|och|and)\s+", m.group(2))
    return text[: m.start()], [i for i in items if i.strip()]


def merge_alternatives(terms: tuple[Term, ...], alternatives: list[str]) -> tuple[Term, ...]:
    """Examples after "t.ex." and the term they exemplify form one any-of term.

    An example that is a compound ending in another constraint ("funktionsrättsråd"
    when "råd" is asked for) also counts by its first part ("Rådet för Funktionsrätt").
    """
    plain = [t for t in terms if not t.is_name]
    exemplified = plain[-1] if plain else None
    heads = [v[0] for t in plain[:-1] for v in t.variants if len(v) == 1]
    variants = set(exemplified.variants) if exemplified else set()
    for alt in alternatives:
        alt_tokens = tokens(alt)
        variants.add(alt_tokens)
        if len(alt_tokens) != 1:
            continue
        for head in heads:
            modifier = alt_tokens[0][: -len(head)].rstrip("s")
            if alt_tokens[0].endswith(head) and len(modifier) >= 5:
                variants.add((modifier,))
    group = Term(text=" | ".join(alternatives), variants=tuple(sorted(variants)))
    return tuple(t for t in terms if t is not exemplified) + (group,)


def _term(phrase: str, is_name: bool = False) -> Term:
    """A constraint; the words the phrase writes in capitals match whole tokens."""
    exact = frozenset(fold_ascii(normalize(c)) for c in caps_words(phrase).values())
    own = variants(phrase)
    synonyms = () if is_name or phrase.isupper() or len(own) != 1 or len(own[0]) != 1 else \
        tuple((w,) for w in sorted(_thesaurus_variants(phrase.casefold())) if (w,) not in own)
    return Term(text=phrase, variants=own, is_name=is_name, exact=exact, synonyms=synonyms)


_NAME_RE = re.compile(
    r"\b([A-ZÅÄÖÉ][\w-]*(?:\s+(?:[A-ZÅÄÖÉ][\w-]*|i|och|för)(?=\s+[A-ZÅÄÖÉ]))*"
    r"(?:\s+[A-ZÅÄÖÉ][\w-]*)*(?:\s+län\b)?)")


def extract_terms(text: str, answer_type: str, kind: str | None,
                  find_entities: EntityFinder) -> tuple[Term, ...]:
    """Constraints: proper names (hard), synonym phrases, then content words.
    Region names are left out: they restrict by entity, not by text."""
    terms: list[Term] = []
    rest = text
    for name in _proper_names(text):
        rest = rest.replace(name, " ")
        if (_is_region_name(name) or getattr(find_entities(name), "regions", ())
                or misspelt_regions(name)):
            continue
        terms.append(_term(name, is_name=True))
    low = re.sub(r"(?i)\b(region|landstinget i|landstinget)\b", " ", rest).casefold()
    for group in synonym_groups():
        for variant in sorted(group, key=len, reverse=True):
            if " " in variant and re.search(rf"\b{re.escape(variant)}\w*", low):
                terms.append(_term(variant))
                low = re.sub(rf"\b{re.escape(variant)}\w*", " ", low)
                break
    words = normalize(low).split()
    caps = caps_words(rest)
    lead_kind = True
    for word in words:
        if word in STOPWORDS or fold_ascii(word) in FOLDED_STOPWORDS or word.isdigit() \
                or word in NUMBER_WORDS:
            continue
        if answer_type in ("list", "factoid") and (
                lead_kind and fold_ascii(word) in KIND_WORDS
                or kind is not None and KIND_WORDS.get(fold_ascii(word)) == kind):
            lead_kind = False  # the kind asked for ("regioner eller landsting") is no constraint
            continue
        if len(word) < 2 or is_region_word(word):
            continue  # a region restricts by entity, not by text
        terms.append(_term(caps.get(fold_ascii(word), word)))
    return _dedupe(terms)


def _proper_names(text: str) -> list[str]:
    """Capitalized word runs after the first word, and all-caps abbreviations."""
    body = text.split(maxsplit=1)
    if len(body) < 2:
        return []
    first, rest = body
    names = []
    for m in _NAME_RE.finditer(rest):
        name = m.group(1).strip()
        words = name.split()
        if len(words) == 1 and name.isupper() and len(name) <= 4:
            continue  # abbreviations are handled as synonyms / content words
        if name.casefold() in STOPWORDS:
            continue
        names.append(name)
    return names


_REGION_WORDS = ("region", "landsting", "regionen", "landstinget", "län")


def _is_region_name(name: str) -> bool:
    """Region and county names restrict the answer (by entity), they are not
    text constraints."""
    first = name.split()[0].casefold()
    return first in _REGION_WORDS or name.casefold().endswith(("regionen", " län"))


def _dedupe(terms: Iterable[Term]) -> tuple[Term, ...]:
    seen: set[tuple] = set()
    out = []
    for t in terms:
        if t.variants and t.variants not in seen:
            seen.add(t.variants)
            out.append(t)
    return tuple(out)


def expand_query(text: str) -> str:
    """The question plus the other spellings of its abbreviations and synonyms."""
    low = text.casefold()
    extra: list[str] = []
    for group in synonym_groups():
        if any(re.search(rf"\b{re.escape(v)}" + (r"\b" if v.isupper() or len(v) <= 5 else ""), low)
               for v in group):
            extra.extend(v for v in group if v not in low)
    return " ".join([text, *extra])


_NUMBER_ALT = "|".join(NUMBER_WORDS)


def enumeration_hint(question: str) -> str:
    """The head noun of a list question ("faser" in "Vilka faser …", "råd" in
    "Vilka är regionens tre strategiska råd för …"); "" when there is none."""
    norm = normalize(question)
    m = re.search(rf"\b(?:{_NUMBER_ALT}|\d+)((?: \w+){{1,3}}?)(?= (?:för|i|inom|som|med|"
                  r"till|av|på|om|in|of|for)\b|$)", norm)
    if m and re.match(r"^(vilka|which|what)\b", norm):
        return m.group(1).split()[-1]
    m = re.match(r"^(?:vilka|which|what)(?: (?:är|are|av|of|de|the))* (\w+)", norm)
    return m.group(1) if m else ""
