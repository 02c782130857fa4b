"""Extractive, cited answers: `answer(engine, question) -> Answer`.

Every answer is built from sentences quoted from the retrieved chunks; nothing
is generated. The steps:

1. `question.analyze` gives the answer type, the entity kind asked for and the
   constraints (content terms with synonyms, proper names, named regions).
2. Retrieval goes wide (`AnswerParams.list_depth` chunks for list questions), and every
   retrieved chunk is split into sentences. Each sentence is attributed to
   entities: the regions it names, else the region whose chapter it stands in
   (the chunk's section path), else, in a table, the region of the row above.
3. A sentence *supports* the question by constraint coverage: the IDF-weighted
   share of the question's terms it contains (the section heading counts, so a
   row of a table headed "IOP" carries "IOP"). Proper names are hard
   constraints. List answers keep an entity only when one sentence attributed
   to it covers at least `AnswerParams.list_coverage`, so "samverkar med Röda Korset"
   without "IOP" does not make a region an answer to "IOP med Röda Korset".
   When a summary table's Ja/Nej cell for the question's column and the text
   disagree about a kept entity, the entity gets a Swedish `note` citing both
   (`disagreement`).
4. Non-gazetteer lists ("vilka steg …", "vilka organisationer sitter i …")
   come from the enumeration (comma list, bullets) of the best sentence.
5. Factoids, definitions and passages quote the best sentences; numbers and
   dates are marked as the answer span. Without a supporting sentence (a named
   entity the passages never mention, a figure never given, low coverage) the
   answer is `found: false`, and the closest passages are still listed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from index.model import Hit
from ingest.model import Chunk
from search_app.qa.params import AnswerParams
from search_app.qa.question import (
    QuestionAnalysis,
    Term,
    analyze,
    enumeration_hint,
    fold,
    match_positions,
    tokens,
    variants,
)

_NUMBER_RE = re.compile(
    r"(?<![\w,.])(\d{1,3}(?:[  ]\d{3})+|\d+(?:[,.]\d+)?)(?:\s*(%|procent|kr\b|kronor|miljoner|"
    r"miljarder|mkr|tkr|mnkr))?(?:\s*(kronor|kr\b))?"
    r"|\b(två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|femton|tjugo|hundra)\b"
    r"(?=\s+\w)")
_MONEY_RE = re.compile(r"\d[\d  ,.]*\s*(kr\b|kronor|miljoner|miljarder|mkr|tkr|mnkr)")
_DATE_RE = re.compile(
    r"\b(\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
    r"november|december)( \d{4})?|(januari|februari|mars|april|maj|juni|juli|augusti|"
    r"september|oktober|november|december) \d{4}|(19|20)\d{2}(-\d{2}-\d{2})?|"
    r"(första|andra|tredje|fjärde) kvartalet|kvartal (ett|två|tre|fyra))\b", re.I)


# ---------------------------------------------------------------- result types

@dataclass(frozen=True)
class Evidence:
    chunk_id: str
    doc_id: str
    title: str
    section: str
    page_start: int
    page_end: int
    quote: str

    def to_json(self) -> dict:
        return {
            "chunk_id": self.chunk_id, "doc_id": self.doc_id, "title": self.title,
            "section": self.section, "page_start": self.page_start,
            "page_end": self.page_end, "quote": self.quote,
        }


@dataclass(frozen=True)
class EntityAnswer:
    name: str
    kind: str
    evidence: tuple[Evidence, ...]
    note: str = ""  # Swedish note when sources disagree (summary table vs. chapter)

    @property
    def conflict(self) -> bool:
        return bool(self.note)

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind,
                "evidence": [e.to_json() for e in self.evidence],
                "note": self.note, "conflict": self.conflict}


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    answer_type: str
    answer: str
    entities: tuple[EntityAnswer, ...] = ()
    sources: tuple[Hit, ...] = ()
    span: str = ""  # the marked answer span (a number, date or name), "" if none

    def to_json(self) -> dict:
        from search_app.serialize import hit_json

        return {
            "question": self.question,
            "found": self.found,
            "answer_type": self.answer_type,
            "answer": self.answer,
            "entities": [e.to_json() for e in self.entities],
            "sources": [hit_json(h) for h in self.sources],
        }


# ---------------------------------------------------------------- sentences

@dataclass(frozen=True)
class Sentence:
    """One sentence of a retrieved chunk, with what it is about."""

    text: str
    toks: tuple[str, ...]
    context: tuple[str, ...]  # tokens of the chunk's section path
    hit: Hit
    rank: int
    regions: tuple[str, ...]
    municipalities: tuple[str, ...]
    organisations: tuple[str, ...]

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    def evidence(self) -> Evidence:
        c = self.chunk
        return Evidence(c.id, c.doc_id, c.title, c.section_label, c.page_start, c.page_end,
                        self.text)


def _entities(text: str):
    from ingest.entities import find_entities

    return find_entities(text)


def _split(text: str) -> list[str]:
    from ingest.sentences import split_sentences

    units = []
    for sentence in split_sentences(text):
        units += [u.strip() for u in _BULLET.split(sentence) if len(u.strip()) > 2]
    return units


_BULLET = re.compile(r"\s*[•\uf0b7▪●◦]\s*")


def _home_regions(chunk: Chunk) -> tuple[str, ...]:
    """The region whose chapter (or document) a chunk stands in: the one region
    named by its section path, else by its document title."""
    for text in (" ".join(chunk.section), chunk.title):
        regions = tuple(getattr(_entities(text), "regions", ()))
        if len(regions) == 1:
            return regions
    return ()


def _units(chunk: Chunk) -> tuple[str, list[str]]:
    """(context, units): a table row's header is context and its cells and
    bullets are the units; other chunks are split into sentences and bullets."""
    context = " ".join(chunk.section)
    text = chunk.text
    if chunk.meta.get("table_row") and "\n" in text:
        header, text = text.split("\n", 1)
        units = [u.strip() for u in re.split(r"\s*\|\s*|\s*[•\uf0b7▪●◦]\s*", text)]
        return f"{context} {header}", [u for u in units if len(u) > 2]
    return context, _split(text)


def sentences_of(hits: Iterable[Hit]) -> list[Sentence]:
    out: list[Sentence] = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        is_row = bool(chunk.meta.get("table_row"))
        home = tuple(chunk.regions) if is_row else _home_regions(chunk)
        context, units = _units(chunk)
        context_toks = tokens(context)
        for text in units:
            found = _entities(text)
            named = () if is_row else tuple(getattr(found, "regions", ()))
            out.append(Sentence(
                text=" ".join(text.split()), toks=tokens(text), context=context_toks, hit=hit,
                rank=rank, regions=tuple(dict.fromkeys(named + home)),
                municipalities=tuple(getattr(found, "municipalities", ())),
                organisations=tuple(getattr(found, "organisations", ()))))
    return out


# ---------------------------------------------------------------- support

@dataclass(frozen=True)
class Support:
    sentence: Sentence
    coverage: float  # IDF-weighted share of constraints covered
    names_ok: bool  # every proper name of the question is there
    matched: tuple[str, ...]


def decompound_names(a: QuestionAnalysis, sents: list[Sentence]) -> QuestionAnalysis:
    """A one-word name the passages never contain ("Värmlandsöverenskommelsen")
    also matches its parts in either order ("Överenskommelsen Värmland")."""
    vocabulary = {t for s in sents for t in s.toks}
    terms = []
    for term in a.terms:
        if term.is_name and len(term.variants) == 1 and len(term.variants[0]) == 1 and not any(
                _sentence_has(term, s) for s in sents):
            word = term.variants[0][0]
            for cut in range(4, len(word) - 3):
                left, right = word[:cut].rstrip("s"), word[cut:]
                if any(v.startswith(left) for v in vocabulary) and right in vocabulary:
                    term = replace(term, variants=term.variants + ((left, right), (right, left)))
                    break
        terms.append(term)
    return replace(a, terms=tuple(terms))


def correct_typos(a: QuestionAnalysis, sents: list[Sentence], cutoff: float) -> QuestionAnalysis:
    """A question word that no retrieved unit contains also matches the closest
    word of those units (rapidfuzz ratio >= `cutoff` on folded stems of at least
    five letters): "samverkn" finds "samverkan", "Norbotten" "Norrbotten"."""
    from rapidfuzz import fuzz, process

    vocabulary = sorted({t for s in sents for t in s.toks if len(t) >= 4})
    terms = []
    for term in a.terms:
        if not any(_sentence_has(term, s) for s in sents):
            extra = []
            for variant in term.variants:
                fixed = [process.extractOne(w, vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
                         if len(w) >= 5 else None for w in variant]
                if any(fixed) and all(f or len(w) < 5 for f, w in zip(fixed, variant, strict=True)):
                    extra.append(tuple(f[0] if f else w for f, w in zip(fixed, variant,
                                                                         strict=True)))
            term = replace(term, variants=tuple(dict.fromkeys(term.variants + tuple(extra))))
        terms.append(term)
    return replace(a, terms=tuple(terms))


def document_frequencies(a: QuestionAnalysis, sents: list[Sentence]) -> dict[Term, int]:
    return {term: sum(1 for s in sents if _sentence_has(term, s)) for term in a.terms}


def term_weights(a: QuestionAnalysis, sents: list[Sentence],
                 df: dict[Term, int] | None = None) -> dict[Term, float]:
    """IDF of each constraint over the retrieved sentences. A content word no
    retrieved unit contains is no constraint: it is the question's wording, not
    the documents' (dense retrieval already weighed it); `unknown_share` decides
    whether too much of the question is of that kind."""
    n = max(len(sents), 1)
    df = df if df is not None else document_frequencies(a, sents)
    return {term: math.log((n + 1) / (df[term] + 1)) + 1.0 for term in a.terms
            if df[term] > 0 or term.is_name}


def unknown_share(a: QuestionAnalysis, sents: list[Sentence], df: dict[Term, int]) -> float:
    """The IDF-weighted share of the question's content words that no retrieved
    unit contains (an unknown word weighs as the rarest)."""
    n = max(len(sents), 1)
    weight = {t: math.log((n + 1) / (df[t] + 1)) + 1.0 for t in a.terms if not t.is_name}
    total = sum(weight.values())
    return sum(w for t, w in weight.items() if df[t] == 0) / total if total else 0.0


def _sentence_has(term: Term, s: Sentence) -> bool:
    return bool(match_positions(term, s.toks))


def _has(term: Term, s: Sentence) -> bool:
    return _sentence_has(term, s) or (not term.is_name and bool(match_positions(term, s.context)))


def support(a: QuestionAnalysis, s: Sentence, weights: dict[Term, float]) -> Support:
    total = sum(weights.values())
    matched = [t for t in weights if _has(t, s)]
    names_ok = all(_sentence_has(t, s) or _in_chunk(t, s) for t in a.names)
    coverage = sum(weights[t] for t in matched) / total if total else 0.0
    return Support(s, coverage, names_ok, tuple(t.text for t in matched))


def _in_chunk(term: Term, s: Sentence) -> bool:
    return bool(match_positions(term, tokens(s.chunk.text)))


def _about(s: Sentence, regions: tuple[str, ...]) -> bool:
    """Whether a sentence is about one of the question's regions (or none was named)."""
    return not regions or any(r in s.regions for r in regions)


# ---------------------------------------------------------------- entry point

def answer(engine, question: str, params: AnswerParams | None = None) -> Answer:
    p = params or AnswerParams()
    a = analyze(question)
    depth = p.list_depth if a.answer_type == "list" else p.answer_depth
    hits = list(engine.retrieve(a.search_text, limit=depth, mode="hybrid"))
    sents = sentences_of(hits)
    if p.use_thesaurus:
        a = replace(a, terms=tuple(replace(t, variants=t.variants + t.synonyms) for t in a.terms))
    a = correct_typos(decompound_names(a, sents), sents, p.typo_similarity)
    df = document_frequencies(a, sents)
    if unknown_share(a, sents, df) > p.max_unknown_share:
        return _refusal(a, hits, "frågans ord förekommer inte i dokumenten", p)
    weights = term_weights(a, sents, df)
    supports = [support(a, s, weights) for s in sents]
    if a.answer_type == "list" and a.entity_kind in ("region", "municipality"):
        return _entity_list(a, hits, supports, weights, p)
    if a.answer_type == "list":
        return _enumeration(a, hits, supports, weights, p)
    return _sentences_answer(a, hits, supports, weights, p)


def _refusal(a: QuestionAnalysis, hits: list[Hit], reason: str, p: AnswerParams) -> Answer:
    return Answer(question=a.question, found=False, answer_type=a.answer_type,
                  answer=f"Dokumenten besvarar inte frågan: {reason}. "
                         "Närmaste avsnitt visas nedan.",
                  sources=tuple(hits[:p.sources]))


def _sources(best: list[Support], hits: list[Hit], p: AnswerParams) -> tuple[Hit, ...]:
    chosen: dict[str, Hit] = {}
    for sup in best:
        chosen.setdefault(sup.sentence.chunk.id, sup.sentence.hit)
    for hit in hits:
        if len(chosen) >= p.sources:
            break
        chosen.setdefault(hit.chunk.id, hit)
    return tuple(chosen.values())[: max(p.sources, len({s.sentence.chunk.id for s in best}))]


def _cite(s: Sentence) -> str:
    c = s.chunk
    pages = f"s. {c.page_start}" if c.page_start == c.page_end else \
        f"s. {c.page_start}–{c.page_end}"
    where = f"{c.title or c.doc_id}" + (f", {c.section_label}" if c.section else "")
    return f"({where}, {pages})"


# ---------------------------------------------------------------- lists of entities

def _entity_list(a: QuestionAnalysis, hits: list[Hit], supports: list[Support],
                 weights: dict[Term, float], p: AnswerParams) -> Answer:
    kind = a.entity_kind or "region"
    sentences = [sup.sentence for sup in supports]
    cells = table_cells(hits, kind)
    column = key_column(cells, weights)
    cells = [c for c in cells if c.column == column]
    denied = _denied_rows(cells, weights)
    by_entity: dict[str, list[Support]] = {}
    for sup in supports:
        if sup.coverage < p.list_coverage or not sup.names_ok or denied(sup.sentence):
            continue
        names = sup.sentence.regions if kind == "region" else sup.sentence.municipalities
        for name in names:
            if a.regions and kind == "region" and name not in a.regions:
                continue
            by_entity.setdefault(name, []).append(sup)
    if not by_entity:
        return _refusal(a, hits, "inget avsnitt stöder alla villkor i frågan", p)
    entities = []
    lines = []
    best = []
    for name in sorted(by_entity):
        sups = sorted(by_entity[name], key=lambda s: (-s.coverage, s.sentence.rank))
        evidence = _unique_evidence(sups)
        line = f"{name}: ”{evidence[0].quote}” {_cite(sups[0].sentence)}"
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
                  entities=tuple(entities), sources=_sources(best, hits, p))


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


# ---------------------------------------------------------------- table vs. chapter

_VERDICT = re.compile(r"\b(Ja|Nej)\b")
_CELL_START = ("|", ".", ":", ";", "•", ",")
_NEGATIONS = frozenset(tokens("inga ingen inget"))  # "har inga IOP", "finns ingen överenskommelse"
_NOT = frozenset(tokens("inte ej"))  # only with "någon/något/några": "har inte något IOP"
_ANY = frozenset(tokens("någon något några"))
_ANY_NEGATION = frozenset(tokens("inte ej inga ingen inget aldrig saknar saknas utan"))
NEGATION_WINDOW = 3  # words between a negation and what it negates ("inga egna pågående IOP")


@dataclass(frozen=True)
class TableCell:
    """One Ja/Nej cell of a summary table row: `entity` answers `column` with `verdict`."""

    entity: str
    column: str
    verdict: str  # "Ja" or "Nej"
    row: Sentence  # the whole row, for the citation


def column_labels(header: str) -> list[str]:
    """The data columns of a table header, the first (entity) column left out:
    cells split at "|", else at a capitalised word or after ")"
    ("Region idéburet offentligt partnerskap (IOP) Överenskommelse" →
    ["idéburet offentligt partnerskap (IOP)", "Överenskommelse"])."""
    if "|" in header:
        return [c.strip() for c in header.split("|")[1:] if c.strip()]
    labels: list[list[str]] = []
    for word in header.split()[1:]:
        if not labels or word[:1].isupper() or labels[-1][-1].endswith(")"):
            labels.append([word])
        else:
            labels[-1].append(word)
    return [" ".join(label) for label in labels]


def row_verdicts(body: str) -> list[tuple[str, str]]:
    """(verdict, cell text) of a row's Ja/Nej cells, left to right: the first
    within the row's first words, each further one at the start of a cell
    (after "|", a sentence end, a bullet or right after the previous verdict)."""
    found: list[re.Match[str]] = []
    for m in _VERDICT.finditer(body):
        before = body[found[-1].end():m.start()] if found else body[:m.start()]
        if not found and len(before.split()) <= 5 or found and (
                not before.strip(" ,.") or before.rstrip().endswith(_CELL_START)):
            found.append(m)
    ends = [m.start() for m in found[1:]] + [len(body)]
    return [(m.group(1), body[m.start():end].strip(" |•")) for m, end in zip(found, ends,
                                                                           strict=True)]


def table_cells(hits: Iterable[Hit], kind: str) -> list[TableCell]:
    """Ja/Nej cells of the retrieved table rows, each with its column and entity."""
    out = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        if not chunk.meta.get("table_row") or "\n" not in chunk.text:
            continue
        header, body = chunk.text.split("\n", 1)
        labels = column_labels(header.rsplit(" – ", 1)[-1])
        names = chunk.regions if kind == "region" else chunk.municipalities
        if len(names) != 1:
            continue
        row = Sentence(text=" ".join(body.split()), toks=tokens(body), context=tokens(header),
                       hit=hit, rank=rank, regions=tuple(chunk.regions),
                       municipalities=tuple(chunk.municipalities),
                       organisations=tuple(chunk.organisations))
        verdicts = row_verdicts(row.text)
        out += [TableCell(names[0], label, verdict, row)
                for label, (verdict, _cell) in zip(labels, verdicts, strict=False)]
    return out


def key_column(cells: list[TableCell], weights: dict[Term, float]) -> str | None:
    """The table column the question asks about: the one label that carries the
    most constraint weight ("IOP" for "… IOP med Röda Korset?"); None on a tie."""
    scores = {}
    for label in {c.column for c in cells}:
        toks = tokens(label)
        scores[label] = sum(w for t, w in weights.items() if not t.is_name
                            and match_positions(t, toks))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] <= 0 or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def _column_terms(column: str, weights: dict[Term, float]) -> list[Term]:
    """The question's terms that name the column, without short abbreviations
    the label lacks ("överenskommelse" without "ÖK", which would also match "öka")."""
    toks = tokens(column)
    out = []
    for term in (t for t in weights if not t.is_name and match_positions(t, toks)):
        variants = tuple(v for v in term.variants if len(v) > 1 or len(v[0]) > 3
                         or match_positions(replace(term, variants=(v,)), toks))
        out.append(replace(term, variants=variants))
    return out


def _denied_rows(cells: list[TableCell], weights: dict[Term, float]
                 ) -> Callable[[Sentence], bool]:
    """A predicate: a unit of a row that says "Nej" in the question's column and
    names the column's subject only through the table header (a bare "Nej", or
    another column's "Ja, …") does not support the question."""
    rows = {c.row.chunk.id for c in cells if c.verdict == "Nej"}
    terms = [t for column in {c.column for c in cells} for t in _column_terms(column, weights)]

    def denied(s: Sentence) -> bool:
        return s.chunk.id in rows and not any(_sentence_has(t, s) for t in terms)

    return denied


def _is_row(s: Sentence) -> bool:
    return bool(s.chunk.meta.get("table_row"))


def _where(s: Sentence, entity: str) -> str:
    if _home_regions(s.chunk) == (entity,):
        return f"kapitlet om {entity}"
    return f"avsnittet ”{s.chunk.section_label or s.chunk.title}”"


def disagreement(entity: str, sups: list[Support], cells: list[TableCell],
                 sentences: list[Sentence], weights: dict[Term, float]
                 ) -> tuple[str, Sentence] | None:
    """(Swedish note, the other source's sentence) when a summary table and the
    text disagree about an entity kept in a list answer:

    - kept on text that names the column's subject, with no negation, while its
      row answers the question's column "Nej" (and no unit of that row supports
      the question: "Nej, Däremot arbetar regionen med att främja … IOP" does);
    - kept on the row's "Ja" alone while a text sentence about the entity that
      names the column's subject negates it ("har inga IOP")."""
    rows = {s.sentence.chunk.id for s in sups if _is_row(s.sentence)}
    text = [s for s in sups if not _is_row(s.sentence)]
    for cell in (c for c in cells if c.entity == entity):
        quote = (_describing(text, cell.column, weights)
                 if cell.verdict == "Nej" and cell.row.chunk.id not in rows else None)
        if quote is not None:
            return (f"Sammanfattningstabellen säger Nej under ”{cell.column}” för {entity}, "
                    f"men {_where(quote, entity)} beskriver det: ”{quote.text}” "
                    f"{_cite(quote)}. Tabellraden: ”{cell.row.text}” {_cite(cell.row)}", cell.row)
        if cell.verdict == "Ja" and not text and cell.row.chunk.id in rows:
            negative = _negating(entity, cell.column, sentences, weights)
            if negative is not None:
                return (f"Sammanfattningstabellen säger Ja under ”{cell.column}” för {entity}, "
                        f"men {_where(negative, entity)} säger: ”{negative.text}” "
                        f"{_cite(negative)}", negative)
    return None


def _describing(text: list[Support], column: str, weights: dict[Term, float]
                ) -> Sentence | None:
    """The first supporting text sentence that names the column's subject itself,
    with no negation anywhere ("inte formaliserad genom … överenskommelser" is none)."""
    terms = _column_terms(column, weights)
    for sup in text:
        s = sup.sentence
        if any(_sentence_has(t, s) for t in terms) and not set(s.toks) & _ANY_NEGATION:
            return s
    return None


def _negating(entity: str, column: str, sentences: list[Sentence],
              weights: dict[Term, float]) -> Sentence | None:
    """A text sentence about `entity` that names the column's subject and negates it."""
    terms = _column_terms(column, weights)
    for s in sentences:
        if not _is_row(s) and entity in s.regions + s.municipalities and any(
                negated(t, s.toks) for t in terms):
            return s
    return None


def negated(term: Term, toks: tuple[str, ...]) -> bool:
    """Whether a negation stands just before the term ("har inga egna IOP",
    "finns ingen övergripande överenskommelse"), not "inte fråga om att söka ett IOP"."""
    for i in match_positions(term, toks):
        before = toks[max(0, i - NEGATION_WINDOW - 1):i]
        if set(before) & _NEGATIONS or any(
                w in _NOT and set(before[j + 1:]) & _ANY for j, w in enumerate(before)):
            return True
    return False


# ---------------------------------------------------------------- enumerations

_ITEM_SPLIT = re.compile(r"\s*(?:[,;•\uf0b7]|\s[-–]\s)\s*|\s+(?:och|samt|eller)\s+")
_ITEM_STOP = re.compile(
    r"\s+(?:vilket|vilka|som|där|för att|med syfte|i syfte|utgör|totalt|kan|ska|har|är|"
    r"representeras|hanteras|består)\b.*$")
_NAME_IN_ITEM = re.compile(
    r"[A-ZÅÄÖ][\w-]*(?:\s+(?:för|och|i|av|mot)\s+[\wåäöé-]+|\s+[A-ZÅÄÖ][\w-]*)*")


def enumeration_items(sentence: str) -> list[str]:
    """Items of the enumeration in a sentence: after its last colon if it has one,
    split at commas, bullets and "och"/"samt"; "X (Expansion)" gives X; an item
    that is a clause around a name ("som tillsammans med Rådet för X") gives the name."""
    body = sentence.rsplit(":", 1)[1] if ":" in sentence else sentence
    body = re.sub(r"\s*\([^)]*\)", "", body)
    # keep "förankrings- och beslutsfas" together
    body = re.sub(r"(\w)- (och|eller) (\w)", "\\1-\u2060\\2\u2060\\3", body)
    items = []
    for raw in _ITEM_SPLIT.split(body):
        item = raw.replace("\u2060", " ").strip(" .:;”\"")
        names = _NAME_IN_ITEM.findall(item)
        if names and len(item.split()) > 3 and re.search(
                rf"\b(i|med|av|till|hos|från)\s+{re.escape(names[-1])}$", item):
            item = names[-1]
        item = _ITEM_STOP.sub("", item).strip(" .:;")
        if item and len(item.split()) <= 5:
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
        if any(h and h in fold(item.casefold()) for h in hint_stems):
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
    """A sentence and those after it while it ends in "," or ":" (a list broken
    over sentence or line ends)."""
    parts = [supports[i]]
    while parts[-1].sentence.text.rstrip().endswith((",", ":", ";")) and i + 1 < len(supports) \
            and supports[i + 1].sentence.hit is supports[i].sentence.hit:
        i += 1
        parts.append(supports[i])
    return " ".join(p.sentence.text for p in parts), parts


def _enumeration(a: QuestionAnalysis, hits: list[Hit], supports: list[Support],
                 weights: dict[Term, float], p: AnswerParams) -> Answer:
    hint = enumeration_hint(a.question)
    scored = []
    for i, sup in enumerate(supports):
        if not (sup.names_ok and _about(sup.sentence, a.regions)):
            continue
        text, parts = _enumeration_text(supports, i)
        items = _list_members(list(dict.fromkeys(enumeration_items(text))), hint)
        if len(items) < 2:
            continue
        fit = (min(1.0, (len(items) - 1) / 3) if a.expected_count is None
               else 1.0 / (1 + abs(len(items) - a.expected_count)))
        quality = _item_quality(items, hint, 0.8 if a.entity_kind == "organisation" else 0.4)
        coverage = max(p.coverage for p in parts)
        if coverage + 0.5 * quality < p.enumeration_support:
            continue
        score = (coverage + 0.3 * fit + 1.0 * quality
                 + p.rank_prior / (1 + sup.sentence.rank / 3))
        scored.append((score, sup, items, text))
    if not scored:
        return _sentences_answer(a, hits, supports, weights, p)
    score, best, items, text = max(scored, key=lambda t: t[0])
    kind = a.entity_kind or "other"
    evidence = (replace(best.sentence.evidence(), quote=text),)
    entities = tuple(EntityAnswer(name=i, kind=kind, evidence=evidence) for i in items)
    answer_text = f"{', '.join(items)}.\nKälla: ”{text}” {_cite(best.sentence)}"
    return Answer(question=a.question, found=True, answer_type="list", answer=answer_text,
                  entities=entities, sources=_sources([best], hits, p))


# ---------------------------------------------------------------- sentence answers

_DEFINITION_RE = re.compile(r"\b(är|betyder|innebär|menas|avses|kallas|definieras|"
                            r"står för|är en|är ett)\b", re.I)


def _span(a: QuestionAnalysis, s: Sentence) -> str:
    """The answer span a factoid asks for, "" when the sentence lacks one."""
    if a.answer_type == "count":
        pattern = _MONEY_RE if a.wants_money else _NUMBER_RE
        found = [m for m in pattern.finditer(s.text) if a.wants_money or not _is_year(m.group(0))]
        m = _nearest_to_terms(a, s, found)
        if a.wants_money and m:
            start = s.text.rfind(" ", 0, max(m.start() - 7, 0)) + 1
            return s.text[start:m.end()].strip()
        return m.group(0).strip() if m else ""
    if a.answer_type == "date":
        m = _nearest_to_terms(a, s, list(_DATE_RE.finditer(s.text)))
        return m.group(0) if m else ""
    return ""


def _nearest_to_terms(a: QuestionAnalysis, s: Sentence,
                      found: list[re.Match[str]]) -> re.Match[str] | None:
    """Of several values in a unit, the one closest (in words) to the question's
    words there: "350 evenemang … 2019" answers "hur många evenemang" with 350."""
    if len(found) <= 1:
        return found[0] if found else None
    anchors = [i for term in a.terms for i in match_positions(term, s.toks)]
    if not anchors:
        return found[0]

    def distance(m: re.Match[str]) -> int:
        at = len(re.findall(r"[^\W_]+", s.text[:m.start()]))
        return min(abs(at - i) for i in anchors)

    return min(found, key=distance)


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


def _pairs(a: QuestionAnalysis, supports: list[Support], weights: dict[Term, float]
           ) -> list[Support]:
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
                          organisations=s1.organisations + s2.organisations)
        pair = support(a, joined, weights)
        if pair.coverage > max(first.coverage, second.coverage) + 0.1:
            out.append(Support(joined, pair.coverage - 0.05, pair.names_ok, pair.matched))
    return out


def _sentences_answer(a: QuestionAnalysis, hits: list[Hit], supports: list[Support],
                      weights: dict[Term, float], p: AnswerParams) -> Answer:
    supports = supports + _pairs(a, supports, weights)
    about = [s for s in supports if s.names_ok and _about(s.sentence, a.regions)]
    if a.regions and not about:
        return _refusal(a, hits, f"inget avsnitt om {', '.join(a.regions)} stöder frågan", p)
    if not about:
        return _refusal(a, hits, "namnen i frågan förekommer inte i dokumenten", p)
    needs_span = a.answer_type in ("count", "date")
    if needs_span:
        about = [s for s in about if _span(a, s.sentence)]
        if not about:
            what = "något belopp" if a.wants_money else "någon uppgift"
            return _refusal(a, hits, f"{what} av det slag som efterfrågas anges inte", p)
    ranked = sorted(about, key=lambda s: -_score(a, s, p))
    best = ranked[0]
    if best.coverage < p.answer_coverage:
        return _refusal(a, hits, "inget avsnitt täcker frågans innehåll tillräckligt", p)
    chosen = [best] + [s for s in ranked[1:3]
                       if _score(a, s, p) >= _score(a, best, p) - 0.15
                       and s.sentence.text != best.sentence.text][:1]
    span = _span(a, best.sentence)
    quotes = " ".join(f"”{s.sentence.text}” {_cite(s.sentence)}" for s in chosen)
    text = f"{span}. {quotes}" if span else quotes
    return Answer(question=a.question, found=True, answer_type=a.answer_type, answer=text,
                  sources=_sources(chosen, hits, p), span=span,
                  entities=())
