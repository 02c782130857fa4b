"""List answers that are not gazetteer entities: the items of the enumeration
(comma list, bullets) in the best supporting unit.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace

from index.analysis import fold_ascii
from index.model import Hit
from search_app.qa.matching import Term, fold, variants
from search_app.qa.model import Answer, EntityAnswer, Support
from search_app.qa.params import AnswerParams
from search_app.qa.question import NUMBER_WORDS, QuestionAnalysis, enumeration_hint
from search_app.qa.scoring import about_regions
from search_app.qa.strategies import sentences_answer, sources_for
from search_app.qa.units import cite

_ITEM_SPLIT = re.compile(r"\s*(?:[,;•\uf0b7▪●◦]|\s[-–]\s)\s*")


_LAST_CONJUNCTION = re.compile(r"^(.*\S)\s+(?:och|samt|eller|and|or)\s+(\S.*)$")


# A list item ends where a clause begins: a relative or subordinating word, or a
# finite auxiliary ("… genomförandefas vilket totalt kan ta", "… där det …").
_ITEM_STOP = re.compile(
    r"\s+(?:vilket|vilka|som|där|när|eftersom|kan|ska|skall|måste|bör|har|"
    r"hade|är|var|blir|which|that|where)\b.*$")


MAX_ITEM_WORDS = 8  # a longer piece is a clause, not a list member


# Words after which the lead-in of an enumeration may end in its first piece ("Dessa är
# A", "ger stöd till A", "arbetar med A"): the verb "be" and prepositions.
_LEAD_WORDS = frozenset("är var blir för med till av om på inom mellan bland som "
                        "is are for with of to".split())


def _without_lead(first: str, others: list[str]) -> str:
    """The first piece of an enumeration without its lead-in, when it is clearly
    longer than the other items (their median length + 1 word): cut after the
    lead word that leaves a piece closest in length to the others, the earliest
    on a tie ("Rådet arbetar med trygg skolväg för barn" → "trygg skolväg för barn")."""
    lengths = sorted(len(_ITEM_STOP.sub("", o).split()) for o in others)
    words = first.split()
    if not lengths or len(words) <= lengths[len(lengths) // 2] + 1:
        return first
    median = lengths[len(lengths) // 2]
    cuts = [i + 1 for i, w in enumerate(words[:-1]) if w.casefold() in _LEAD_WORDS]
    if not cuts:
        return first
    best = min(cuts, key=lambda c: (abs(len(words) - c - median), c))
    return " ".join(words[best:])


_NAME_IN_ITEM = re.compile(
    r"[A-ZÅÄÖ][\w-]*(?:\s+(?:för|och|i|av|mot)\s+[\wåäöé-]+|\s+[A-ZÅÄÖ][\w-]*)*")


def _before_predicate(pieces: list[str]) -> list[str]:
    """The members proper: an enumeration that is the subject of its sentence ends
    where the predicate begins ("A, B samt C, är exempel på …")."""
    for i, piece in enumerate(pieces):
        if i and _PREDICATE.match(piece.strip()):
            return pieces[:i]
    return pieces


def enumeration_items(sentence: str) -> list[str]:
    """Items of the enumeration in a sentence: after its last colon if it has one,
    split at commas and bullets, the last piece also at its "och"/"samt" (so
    "självständighet och jämbördighet, dialog, …" keeps its pairs); "X (Expansion)" gives X; an item
    that is a clause around a name ("som tillsammans med Rådet för X") gives the name."""
    body = sentence.rsplit(":", 1)[1] if ":" in sentence else sentence
    body = re.sub(r"\s*\([^)]*\)", "", body)
    # keep "förankrings- och beslutsfas" together
    body = re.sub(r"(\w)- (och|eller) (\w)", "\\1-\u2060\\2\u2060\\3", body)
    pieces = _before_predicate([r for r in _ITEM_SPLIT.split(body) if r.strip()])
    if pieces:  # only the last piece is split at its conjunction: "A och B, C och D"
        last = _LAST_CONJUNCTION.match(_ITEM_STOP.sub("", pieces[-1].strip()))
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


def _item_quality(items: list[str], hint: str) -> float:
    """Share of items that name the kind asked for ("förfas" for "faser")."""
    hint_stems = {v[0] for v in variants(hint) if len(v) == 1} if hint else set()
    if not hint_stems:
        return 0.0
    good = sum(1 for item in items
               if any(h in fold(fold_ascii(item.casefold())) for h in hint_stems))
    return good / len(items)


def listness(items: list[str]) -> float:
    """How much a run of pieces looks like a list of parallel members rather than
    a sentence cut at its commas: several items, each short, of similar length.
    0–1; it reads only the form, never what the items say."""
    lengths = [len(i.split()) for i in items]
    size = min(1.0, (len(items) - 1) / 3)
    short = sum(1 for n in lengths if n <= 4) / len(lengths)
    mean = statistics.fmean(lengths)
    parallel = 1.0 - min(1.0, statistics.pstdev(lengths) / mean) if mean else 0.0
    return (size + short + parallel) / 3


_COUNT_WORD = re.compile(
    rf"\b({'|'.join(NUMBER_WORDS)}|[2-9]|1[0-9])\s+(?:[\w-]+\s+){{0,2}}?[\w-]+", re.I)


def announced_count(lead: str) -> int | None:
    """The number of members a lead-in announces ("bygger på sju principer",
    "Modellen har fyra former för samverkan:"), None when it names none or several."""
    found = {m.group(1).casefold() for m in _COUNT_WORD.finditer(lead)}
    values = {int(w) if w.isdigit() else NUMBER_WORDS[w] for w in found}
    return values.pop() if len(values) == 1 else None


_PREDICATE = re.compile(r"(?:är|var|blir|har|hade|kan|ska|skall|måste|bör|kommer|utgör|"
                        r"is|are|was|were|has|have)\b", re.I)


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


# A sentence that refers back to its neighbour: "Dessa är …", "Inom dessa områden …".
_ANAPHOR = re.compile(r"^(?:\S+\s+){0,2}(?:dessa|denna|detta|de här|följande|these|this|"
                      r"those|the following)\b", re.I)


def _neighbour(supports: list[Support], i: int, step: int) -> Support | None:
    """The unit before (step −1) or after (+1) unit i in the same passage."""
    j = i + step
    if 0 <= j < len(supports) and supports[j].sentence.hit is supports[i].sentence.hit:
        return supports[j]
    return None


@dataclass(frozen=True)
class Candidate:
    """An enumeration found in the retrieved passages, and why it might answer."""

    score: float
    support: Support
    items: list[str]
    text: str


def _candidate(a: QuestionAnalysis, supports: list[Support], i: int, hint: str,
               p: AnswerParams) -> Candidate | None:
    """Unit i read as the start of an enumeration, scored by how well it (or the
    sentence that introduces or resumes it: "… bygger på sju principer. Dessa är
    …", "A, B och C … Inom dessa områden …") supports the question, how much it
    looks like a list, and whether its length is the one announced."""
    sup = supports[i]
    text, parts = _enumeration_text(supports, i)
    items = list(dict.fromkeys(enumeration_items(text)))
    if len(items) < 2:
        return None
    before = _neighbour(supports, i, -1)
    after = _neighbour(supports, i + len(parts) - 1, 1)
    linked = [n for n, anaphor in ((before, text), (after, after and after.sentence.text))
              if n and _ANAPHOR.match(anaphor)]
    relevance = max([part.coverage for part in parts]
                    + [p.context_weight * n.coverage for n in linked])
    form = listness(items)
    if relevance + 0.5 * form < p.enumeration_support:
        return None
    at = text.find(items[0])
    lead = (before.sentence.text + " " if before else "") + (text[:at] if at >= 0 else text)
    agreement = sum(0.25 if n == len(items) else -0.1
                    for n in (announced_count(lead), a.expected_count) if n is not None)
    # relevance first: the form of a list and its announced length only rank
    # enumerations that support the question, they never make one relevant
    score = (relevance * (1 + 0.5 * form + agreement + 0.3 * _item_quality(items, hint))
             + p.rank_prior / (1 + sup.sentence.rank / 3))
    return Candidate(score, sup, items, text)


def enumeration(a: QuestionAnalysis, hits: list[Hit], supports: list[Support],
                 weights: dict[Term, float], p: AnswerParams) -> Answer:
    """The best enumeration's items as the list answer; a sentence answer when no
    passage holds an enumeration that supports the question."""
    hint = enumeration_hint(a.question)
    found = [c for i, sup in enumerate(supports)
             if sup.names_ok and about_regions(sup.sentence, a.regions)
             for c in (_candidate(a, supports, i, hint, p),) if c is not None]
    if not found:
        return sentences_answer(a, hits, supports, weights, p)
    best = max(found, key=lambda c: c.score)
    kind = a.entity_kind or "other"
    evidence = (replace(best.support.sentence.evidence(), quote=best.text),)
    entities = tuple(EntityAnswer(name=i, kind=kind, evidence=evidence) for i in best.items)
    answer_text = f"{', '.join(best.items)}.\nKälla: ”{best.text}” {cite(best.support.sentence)}"
    return Answer(question=a.question, found=True, answer_type="list", answer=answer_text,
                  entities=entities, sources=sources_for([best.support], hits, p))
