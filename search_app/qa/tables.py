"""Summary tables: the Ja/Nej cells of table rows read per column, and notes when
a table and the text disagree about an entity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from index.model import Hit
from search_app.qa.matching import Term, match_positions, tokens
from search_app.qa.model import Sentence, Support, TableCell
from search_app.qa.scoring import unit_has
from search_app.qa.units import cite, home_regions

_VERDICT = re.compile(r"\b(Ja|Nej)\b")


_CELL_START = ("|", ".", ":", ";", "•", ",")


_NEGATIONS = frozenset(tokens("inga ingen inget"))  # "har inga IOP", "finns ingen överenskommelse"


_NOT = frozenset(tokens("inte ej"))  # only with "någon/något/några": "har inte något IOP"


_ANY = frozenset(tokens("någon något några"))


_ANY_NEGATION = frozenset(tokens("inte ej inga ingen inget aldrig saknar saknas utan"))


NEGATION_WINDOW = 3  # words between a negation and what it negates ("inga egna pågående IOP")


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


def denied_rows(cells: list[TableCell], weights: dict[Term, float]
                 ) -> Callable[[Sentence], bool]:
    """A predicate: a unit of a row that says "Nej" in the question's column and
    names the column's subject only through the table header (a bare "Nej", or
    another column's "Ja, …") does not support the question."""
    rows = {c.row.chunk.id for c in cells if c.verdict == "Nej"}
    terms = [t for column in {c.column for c in cells} for t in _column_terms(column, weights)]

    def denied(s: Sentence) -> bool:
        return s.chunk.id in rows and not any(unit_has(t, s) for t in terms)

    return denied


def _is_row(s: Sentence) -> bool:
    return bool(s.chunk.meta.get("table_row"))


def _where(s: Sentence, entity: str) -> str:
    if home_regions(s.chunk) == (entity,):
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
                    f"{cite(quote)}. Tabellraden: ”{cell.row.text}” {cite(cell.row)}", cell.row)
        if cell.verdict == "Ja" and not text and cell.row.chunk.id in rows:
            negative = _negating(entity, cell.column, sentences, weights)
            if negative is not None:
                return (f"Sammanfattningstabellen säger Ja under ”{cell.column}” för {entity}, "
                        f"men {_where(negative, entity)} säger: ”{negative.text}” "
                        f"{cite(negative)}", negative)
    return None


def _describing(text: list[Support], column: str, weights: dict[Term, float]
                ) -> Sentence | None:
    """The first supporting text sentence that names the column's subject itself,
    with no negation anywhere ("inte formaliserad genom … överenskommelser" is none)."""
    terms = _column_terms(column, weights)
    for sup in text:
        s = sup.sentence
        if any(unit_has(t, s) for t in terms) and not set(s.toks) & _ANY_NEGATION:
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
