"""List answers that are not gazetteer entities: the items of the enumeration
(comma list, bullets) in the best supporting unit.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.analysis import fold_ascii
from index.model import Hit
from search_app.qa.matching import Term, fold, variants
from search_app.qa.model import Answer, EntityAnswer, Support
from search_app.qa.params import AnswerParams
from search_app.qa.question import QuestionAnalysis, enumeration_hint
from search_app.qa.scoring import about_regions
from search_app.qa.strategies import sentences_answer, sources_for
from search_app.qa.units import cite

_ITEM_SPLIT = re.compile(r"\s*(?:[,;•\uf0b7▪●◦]|\s[-–]\s)\s*")


_LAST_CONJUNCTION = re.compile(r"^(.*\S)\s+(?:och|samt|eller|and|or)\s+(\S.*)$")


# A list item ends where a clause begins: a relative or subordinating word, or a
# finite auxiliary ("… genomförandefas vilket totalt kan ta", "… där det …").
_ITEM_STOP = re.compile(
    r"\s+(?:vilket|vilka|som|där|när|eftersom|kan|ska|skall|har|"
    r"hade|är|var|blir|which|that|where)\b.*$")


MAX_ITEM_WORDS = 8  # a longer piece is a clause, not a list member


# Words after which the lead-in of an enumeration may end in its first piece ("Dessa är
# A", "ger stöd till A", "arbetar med A"): the verb "be" and prepositions.
_LEAD_WORDS = frozenset("är var blir för med till av om på inom mellan bland som "
                        "is are for with of to".split())


def _without_lead(first: str, others: list[str]) -> str:
    """The first piece of an enumeration without its lead-in, when it is clearly
    longer than the other items (their median length + 2 words): cut after the
    lead word that leaves a piece closest in length to the others, the earliest
    on a tie ("Rådet arbetar med trygg skolväg för barn" → "trygg skolväg för barn")."""
    lengths = sorted(len(_ITEM_STOP.sub("", o).split()) for o in others)
    words = first.split()
    if not lengths or len(words) <= lengths[len(lengths) // 2] + 2:
        return first
    median = lengths[len(lengths) // 2]
    cuts = [i + 1 for i, w in enumerate(words[:-1]) if w.casefold() in _LEAD_WORDS]
    if not cuts:
        return first
    best = min(cuts, key=lambda c: (abs(len(words) - c - median), c))
    return " ".join(words[best:])


_NAME_IN_ITEM = re.compile(
    r"[A-ZÅÄÖ][\w-]*(?:\s+(?:för|och|i|av|mot)\s+[\wåäöé-]+|\s+[A-ZÅÄÖ][\w-]*)*")


def enumeration_items(sentence: str) -> list[str]:
    """Items of the enumeration in a sentence: after its last colon if it has one,
    split at commas and bullets, the last piece also at its "och"/"samt" (so
    "självständighet och jämbördighet, dialog, …" keeps its pairs); "X (Expansion)" gives X; an item
    that is a clause around a name ("som tillsammans med Rådet för X") gives the name."""
    body = sentence.rsplit(":", 1)[1] if ":" in sentence else sentence
    body = re.sub(r"\s*\([^)]*\)", "", body)
    # keep "förankrings- och beslutsfas" together
    body = re.sub(r"(\w)- (och|eller) (\w)", "\\1-\u2060\\2\u2060\\3", body)
    pieces = [r for r in _ITEM_SPLIT.split(body) if r.strip()]
    if pieces:  # only the last piece is split at its conjunction: "A och B, C och D"
        last = _LAST_CONJUNCTION.match(pieces[-1].strip())
        if last and len(pieces) > 1 or last and len(last.group(1).split()) <= 3:
            pieces[-1:] = [last.group(1), last.group(2)]
    if len(pieces) > 1:
        pieces[0] = _without_lead(pieces[0].strip(), pieces[1:])
    items = []
    for raw in pieces:
        item = raw.replace("\u2060", " ").strip(" .:;”\"")
        names = _NAME_IN_ITEM.findall(item)
        if names and len(item.split()) > 3 and re.search(
                rf"\b(i|med|av|till|hos|från)\s+{re.escape(names[-1])}$", item):
            item = names[-1]
        item = _ITEM_STOP.sub("", item).strip(" .:;")
        if item and len(item.split()) <= MAX_ITEM_WORDS:
            items.append(item)
    return items


def _item_quality(items: list[str], hint: str, name_value: float = 0.7) -> float:
    """Share of items that look like list members: names, abbreviations or
    words of the kind asked for ("förfas" for "faser"/"steg")."""
    hint_stems = {v[0] for v in variants(hint) if len(v) == 1} if hint else set()
    good = 0.0
    for item in items:
        words = item.split()
        if len(words) > 4:
            continue
        if any(h and h in fold(fold_ascii(item.casefold())) for h in hint_stems):
            good += 1.0
        elif item[:1].isupper() or (words and words[0].isupper()):
            good += name_value
    return good / len(items)


def _list_members(items: list[str], hint: str) -> list[str]:
    """Drop stray clause tails when most items look like list members."""
    ok = [_item_quality([i], hint) > 0 for i in items]
    if sum(ok) < 2 or sum(ok) < 2 * len(items) / 3:
        return items
    first = ok.index(True)
    last = len(ok) - 1 - ok[::-1].index(True)
    return items[first:last + 1]  # clause spill-over sits at the ends


def _enumeration_text(supports: list[Support], i: int) -> tuple[str, list[Support]]:
    """A unit and those after it while it ends in "," ";" or ":" (a list broken
    over sentence or line ends); after a lead-in ending in ":" every following
    short unit of the same passage (a bulleted list), joined with bullets."""
    parts = [supports[i]]
    bulleted = False
    while i + 1 < len(supports) and supports[i + 1].sentence.hit is supports[i].sentence.hit:
        end = parts[-1].sentence.text.rstrip()
        following = supports[i + 1].sentence.text
        if end.endswith(":") or bulleted and len(following.split()) <= MAX_ITEM_WORDS:
            bulleted = True
        elif not end.endswith((",", ";")):
            break
        i += 1
        parts.append(supports[i])
    if bulleted:
        return parts[0].sentence.text + " • " + " • ".join(
            p.sentence.text for p in parts[1:]), parts
    return " ".join(p.sentence.text for p in parts), parts


def enumeration(a: QuestionAnalysis, hits: list[Hit], supports: list[Support],
                 weights: dict[Term, float], p: AnswerParams) -> Answer:
    hint = enumeration_hint(a.question)
    scored = []
    for i, sup in enumerate(supports):
        if not (sup.names_ok and about_regions(sup.sentence, a.regions)):
            continue
        text, parts = _enumeration_text(supports, i)
        items = _list_members(list(dict.fromkeys(enumeration_items(text))), hint)
        if len(items) < 2:
            continue
        fit = (min(1.0, (len(items) - 1) / 3) if a.expected_count is None
               else 1.0 / (1 + abs(len(items) - a.expected_count)))
        quality = _item_quality(items, hint, 0.8 if a.entity_kind == "organisation" else 0.4)
        previous = supports[i - 1] if i and supports[i - 1].sentence.hit is sup.sentence.hit \
            else None  # "Överenskommelsen bygger på sju principer. Dessa är A, B …"
        coverage = max([part.coverage for part in parts]
                       + ([p.context_weight * previous.coverage] if previous else []))
        if coverage + 0.5 * quality < p.enumeration_support:
            continue
        score = (coverage + 0.3 * fit + 1.0 * quality
                 + p.rank_prior / (1 + sup.sentence.rank / 3))
        scored.append((score, sup, items, text))
    if not scored:
        return sentences_answer(a, hits, supports, weights, p)
    score, best, items, text = max(scored, key=lambda t: t[0])
    kind = a.entity_kind or "other"
    evidence = (replace(best.sentence.evidence(), quote=text),)
    entities = tuple(EntityAnswer(name=i, kind=kind, evidence=evidence) for i in items)
    answer_text = f"{', '.join(items)}.\nKälla: ”{text}” {cite(best.sentence)}"
    return Answer(question=a.question, found=True, answer_type="list", answer=answer_text,
                  entities=entities, sources=sources_for([best], hits, p))
