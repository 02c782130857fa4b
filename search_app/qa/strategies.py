"""The answer strategies: entity lists, sentence answers (factoid, date, count,
definition, passage) and refusals, with citations.
"""

from __future__ import annotations

import re

from index.model import Hit
from search_app.qa.matching import Term, match_positions, tokens
from search_app.qa.model import Answer, EntityAnswer, Evidence, Sentence, Support
from search_app.qa.params import AnswerParams
from search_app.qa.question import QuestionAnalysis
from search_app.qa.scoring import about_regions, specificity, support
from search_app.qa.tables import denied_rows, disagreement, key_column, table_cells
from search_app.qa.units import cite

_NUMBER_RE = re.compile(
    r"(?<![\w,.])(\d{1,3}(?:[  ]\d{3})+|\d+(?:[,.]\d+)?)(?:\s*(%|procent|kr\b|kronor|miljoner|"
    r"miljarder|mkr|tkr|mnkr))?(?:\s*(kronor|kr\b))?"
    r"|\b(två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|femton|tjugo|hundra)\b"
    r"(?=\s+\w)")


_UNIT = r"(?:år|månad|månader|vecka|veckor|dag|dagar|termin|terminer|kvartal|timme|timmar)"
_COUNT = r"(?:en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|\d+)"
_ORDINAL = r"(?:annan|andra|tredje|fjärde|femte|sjätte)"
_FREQUENCY_RE = re.compile(
    rf"\b(?:(?:varje|varannan|var)(?: {_ORDINAL})? {_UNIT}"
    rf"|{_COUNT}(?:[-–]\d+)? gånger?(?: (?:per|om|i))?(?: ?/ ?| ){_UNIT}"
    rf"|{_COUNT}(?:[-–]\d+)? gånger?|årligen|månatligen|veckovis|dagligen)\b", re.I)
_DURATION_RE = re.compile(
    rf"\b(?:{_COUNT} ?(?:till|[-–]) ?)?(?:{_COUNT}|ett par|några) (?:\w+ )?{_UNIT}\b"
    r"|\b(?:19|20)\d\d[-–](?:19|20)?\d\d\b", re.I)


_MONEY_RE = re.compile(r"\d[\d  ,.]*\s*(kr\b|kronor|miljoner|miljarder|mkr|tkr|mnkr)")


_DATE_RE = re.compile(
    r"\b(\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
    r"november|december)( \d{4})?|(januari|februari|mars|april|maj|juni|juli|augusti|"
    r"september|oktober|november|december) \d{4}|(19|20)\d{2}(-\d{2}-\d{2})?|"
    r"(första|andra|tredje|fjärde) kvartalet|kvartal (ett|två|tre|fyra))\b", re.I)


def refusal(a: QuestionAnalysis, hits: list[Hit], reason: str, p: AnswerParams) -> Answer:
    return Answer(question=a.question, found=False, answer_type=a.answer_type,
                  answer=f"Dokumenten besvarar inte frågan: {reason}. "
                         "Närmaste avsnitt visas nedan.",
                  sources=tuple(hits[:p.sources]))


def sources_for(best: list[Support], hits: list[Hit], p: AnswerParams) -> tuple[Hit, ...]:
    chosen: dict[str, Hit] = {}
    for sup in best:
        chosen.setdefault(sup.sentence.chunk.id, sup.sentence.hit)
    for hit in hits:
        if len(chosen) >= p.sources:
            break
        chosen.setdefault(hit.chunk.id, hit)
    return tuple(chosen.values())[: max(p.sources, len({s.sentence.chunk.id for s in best}))]


def entity_list(a: QuestionAnalysis, hits: list[Hit], supports: list[Support],
                 weights: dict[Term, float], p: AnswerParams) -> Answer:
    kind = a.entity_kind or "region"
    sentences = [sup.sentence for sup in supports]
    cells = table_cells(hits, kind)
    column = key_column(cells, weights)
    cells = [c for c in cells if c.column == column]
    denied = denied_rows(cells, weights)
    candidates = [(sup, name) for sup in supports
                  if sup.names_ok and not denied(sup.sentence)
                  for name in (sup.sentence.regions if kind == "region"
                               else sup.sentence.municipalities)
                  if not (a.regions and kind == "region" and name not in a.regions)
                  and (kind == "region" or about_regions(sup.sentence, a.regions))]
    top = max((sup.coverage for sup, _ in candidates), default=0.0)
    threshold = max(p.list_coverage, p.list_relative * top)
    by_entity: dict[str, list[Support]] = {}
    for sup, name in candidates:
        if sup.coverage >= threshold:
            by_entity.setdefault(name, []).append(sup)
    if not by_entity:
        return refusal(a, hits, "inget avsnitt stöder frågan tillräckligt", p)
    entities = []
    lines = []
    best = []
    for name in sorted(by_entity):
        sups = sorted(by_entity[name], key=lambda s: (-s.coverage, s.sentence.rank))
        evidence = _unique_evidence(sups)
        line = f"{name}: ”{evidence[0].quote}” {cite(sups[0].sentence)}"
        found = disagreement(name, sups, cells, sentences, weights)
        if found is not None:
            note, other = found
            evidence += (other.evidence(),)
            line += f"\n  Obs! {note}"
            best.append(Support(other, 0.0, True, ()))
        entities.append(EntityAnswer(name=name, kind=kind, evidence=evidence,
                                     note=found[0] if found else ""))
        lines.append(line)
    best = [s for name in sorted(by_entity) for s in by_entity[name][:1]] + best
    text = f"{len(entities)} träffar i dokumenten:\n" + "\n".join(f"- {line}" for line in lines)
    return Answer(question=a.question, found=True, answer_type="list", answer=text,
                  entities=tuple(entities), sources=sources_for(best, hits, p))


def _unique_evidence(sups: list[Support], limit: int = 3) -> tuple[Evidence, ...]:
    seen: set[str] = set()
    out = []
    for sup in sups:
        key = " ".join(sup.sentence.toks)
        if key in seen:
            continue
        seen.add(key)
        out.append(sup.sentence.evidence())
        if len(out) == limit:
            break
    return tuple(out)


_DEFINITION_RE = re.compile(r"\b(är|betyder|innebär|menas|avses|kallas|definieras|"
                            r"står för|är en|är ett)\b", re.I)


def _span(a: QuestionAnalysis, s: Sentence) -> str:
    """The answer span a factoid asks for, "" when the sentence lacks one."""
    if a.answer_type == "count" and a.entity_kind in ("frequency", "duration"):
        pattern = _FREQUENCY_RE if a.entity_kind == "frequency" else _DURATION_RE
        m = _nearest_to_terms(a, s, list(pattern.finditer(s.text)))
        return m.group(0).strip() if m else ""
    if a.answer_type == "count":
        pattern = _MONEY_RE if a.wants_money else _NUMBER_RE
        found = [m for m in pattern.finditer(s.text) if a.wants_money or not (
            _is_year(m.group(0)) or _is_reference(s.text, m))]
        m = _nearest_to_terms(a, s, found)
        if a.wants_money and m:
            start = s.text.rfind(" ", 0, max(m.start() - 7, 0)) + 1
            return s.text[start:m.end()].strip()
        return m.group(0).strip() if m else ""
    if a.answer_type == "date":
        m = _nearest_to_terms(a, s, list(_DATE_RE.finditer(s.text)))
        return m.group(0) if m else ""
    if a.answer_type == "factoid":
        return _quoted_name(a, s)
    return ""


_QUOTED_RE = re.compile(r"[”“\"«]([^”“\"«»]{2,60}?)[”“\"»]")


def _quoted_name(a: QuestionAnalysis, s: Sentence) -> str:
    """A name the unit sets in quotation marks ("visionen ”Det goda livet”"),
    of one to six words and not just the question's own words: for a name
    question it is the value a reader looks for."""
    asked = set(tokens(a.question))
    for m in _QUOTED_RE.finditer(s.text):
        name = m.group(1).strip()
        if 1 <= len(name.split()) <= 6 and not set(tokens(name)) <= asked:
            return name
    return ""


def _nearest_to_terms(a: QuestionAnalysis, s: Sentence,
                      found: list[re.Match[str]]) -> re.Match[str] | None:
    """Of several values in a unit, the one closest (in words) to the question's
    words there (the focus, "antal föreningar", when the unit names it), a rare
    word counting more than a common one: "350 evenemang …
    2019" answers "hur många evenemang" with 350, and "rådet fyra gånger per år,
    arbetsutskottet var tredje vecka" answers "hur ofta träffas arbetsutskottet"
    with the latter although "träffas" stands nearer the former."""
    if len(found) <= 1:
        return found[0] if found else None
    focus = [t for t in a.terms if t.text in a.focus and match_positions(t, s.toks)]
    anchors = [(1.0 if focus else specificity(term, AnswerParams.common_zipf),
                match_positions(term, s.toks)) for term in (focus or a.terms)]
    anchors = [(w, at) for w, at in anchors if at]
    if not anchors:
        return found[0]

    sentence_of = [n for n, part in enumerate(re.split(r"(?<=[.!?])\s+", s.text))
                   for _ in re.findall(r"[^\W_]+", part)]

    def distance(where: int, i: int) -> float:
        """Words apart; a value stands in its subject's sentence, and a count
        before what it counts ("200 medlemmar", not "medlemmar i åldern 6")."""
        apart = abs(where - i) * (2 if focus and where > i else 1)
        same = sentence_of[min(where, len(sentence_of) - 1)] == sentence_of[
            min(i, len(sentence_of) - 1)] if sentence_of else True
        return apart + (0 if same else 10)

    def closeness(m: re.Match[str]) -> float:
        where = len(re.findall(r"[^\W_]+", s.text[:m.start()]))
        return max(w / (1 + min(distance(where, i) for i in at)) for w, at in anchors)

    return max(found, key=closeness)


def _is_reference(text: str, m: re.Match[str]) -> bool:
    """A number alone in brackets, a footnote or list reference ("kvalitet (3)")."""
    return text[max(m.start() - 1, 0):m.start()] in "([" and text[m.end():m.end() + 1] in ")]"


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", text.strip()))


def _score(a: QuestionAnalysis, sup: Support, p: AnswerParams) -> float:
    s = sup.sentence
    score = sup.coverage + p.rank_prior / (1 + s.rank / 3)
    if a.entity_kind == "organisation" and s.organisations:
        score += 0.1
    if a.entity_kind == "municipality" and s.municipalities:
        score += 0.1
    if a.answer_type == "definition" and a.subject:
        subject = tokens(a.subject)
        head = s.toks[: len(subject) + 3]
        if subject and all(any(h.startswith(w) for h in head) for w in subject):
            score += 0.3  # a glossary entry or "X är …" opens with the subject
        if _DEFINITION_RE.search(s.text):
            score += 0.1
    return score


def _pairs(a: QuestionAnalysis, supports: list[Support], weights: dict[Term, float],
           p: AnswerParams) -> list[Support]:
    """Two consecutive sentences of one chunk as one candidate, for answers whose
    constraints and span straddle a sentence end."""
    out = []
    for first, second in zip(supports, supports[1:], strict=False):
        s1, s2 = first.sentence, second.sentence
        if s1.hit is not s2.hit:
            continue
        joined = Sentence(text=f"{s1.text} {s2.text}", toks=s1.toks + s2.toks,
                          context=s1.context, hit=s1.hit, rank=s1.rank,
                          regions=tuple(dict.fromkeys(s1.regions + s2.regions)),
                          municipalities=s1.municipalities + s2.municipalities,
                          organisations=s1.organisations + s2.organisations,
                          chunk_toks=s1.chunk_toks, title_toks=s1.title_toks,
                          similarity=max(s1.similarity, s2.similarity))
        pair = support(a, joined, weights, p=p)
        if pair.coverage > max(first.coverage, second.coverage) + 0.1:
            out.append(Support(joined, pair.coverage - 0.05, pair.names_ok, pair.matched))
    return out


def sentences_answer(a: QuestionAnalysis, hits: list[Hit], supports: list[Support],
                      weights: dict[Term, float], p: AnswerParams) -> Answer:
    supports = supports + _pairs(a, supports, weights, p)
    about = [s for s in supports if s.names_ok and about_regions(s.sentence, a.regions)]
    if a.regions and not about:
        return refusal(a, hits, f"inget avsnitt om {', '.join(a.regions)} stöder frågan", p)
    if not about:
        return refusal(a, hits, "namnen i frågan förekommer inte i dokumenten", p)
    focus = {t.text for t in weights if t.text in a.focus} if p.require_focus else set()
    if p.require_focus and a.focus and not focus:
        return refusal(a, hits, f"dokumenten nämner inte {', '.join(a.focus)}", p)
    if focus:  # "hur många studieförbund": a number next to studieförbund
        about = [s for s in about if focus & set(s.matched)]
        if not about:
            return refusal(a, hits, "inget avsnitt anger det som efterfrågas "
                                    f"({', '.join(sorted(focus))})", p)
    needs_span = a.answer_type in ("count", "date")
    if needs_span:
        about = [s for s in about if _span(a, s.sentence)]
        if not about:
            what = "något belopp" if a.wants_money else "någon uppgift"
            return refusal(a, hits, f"{what} av det slag som efterfrågas anges inte", p)
    ranked = sorted(about, key=lambda s: -_score(a, s, p))
    best = ranked[0]
    if best.coverage < p.answer_coverage:
        return refusal(a, hits, "inget avsnitt täcker frågans innehåll tillräckligt", p)
    chosen = [best] + [s for s in ranked[1:3]
                       if _score(a, s, p) >= _score(a, best, p) - 0.15
                       and s.sentence.text != best.sentence.text][:1]
    span = _span(a, best.sentence)
    quotes = " ".join(f"”{s.sentence.text}” {cite(s.sentence)}" for s in chosen)
    text = f"{span}. {quotes}" if span else quotes
    return Answer(question=a.question, found=True, answer_type=a.answer_type, answer=text,
                  sources=sources_for(chosen, hits, p), span=span,
                  entities=())
