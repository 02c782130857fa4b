"""Sentence-aware chunks within sections.

A section's paragraphs are split into sentences (`ingest/sentences.py`) and
packed into chunks of about `min_words`–`max_words` words, the last
`overlap_sentences` sentences of a chunk repeated at the start of the next. A
chunk spans two sections only as below. Table rows are never split: each row is one
chunk, prefixed with the table's header (`<section> – <header>`). A section
with little prose of its own (a `Mer information` label and its link, a
one-line sub-section, a chapter heading with no text) is packed together with its
neighbour section under their common parent heading; such a chunk's section is
that parent (the headings of both sections stay in its text). Every chunk
carries its section path, page range, document metadata, and the regions,
municipalities and organisations it is about: those it names, those its section
headings and the document's title and publisher name, and for a table row the
region naming it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from ingest.entities import Entities, find_entities
from ingest.model import PARAGRAPH_SEP, Chunk, Document, Paragraph, chunk_id
from ingest.sentences import sentence_spans
from ingest.structure import row_key

MIN_CHUNK_WORDS = 3
TINY_TAIL = 0.25  # share of min_words: a last chunk this small always joins the one before
SMALL_SECTION = 0.3  # share of min_words: a section with less prose joins a neighbour
PARAGRAPH_BREAK = 0.6  # a chunk this full (share of its target) ends before a new paragraph


@dataclass(frozen=True)
class ChunkParams:
    min_words: int = 100
    max_words: int = 250
    overlap_sentences: int = 1


@dataclass(frozen=True)
class Piece:
    """A sentence (or a whole table row) with where it stands in the document."""

    text: str
    page: int
    start: int  # offsets into the document's joined paragraph text
    end: int
    words: int
    row: bool = False
    table_header: str = ""
    heading: bool = False
    opens_paragraph: bool = False
    section: tuple[str, ...] = ()


def _pieces(paras: Sequence[tuple[int, Paragraph]], header: str) -> list[Piece]:
    pieces: list[Piece] = []
    for offset, para in paras:
        if para.is_table_row and para.is_heading:
            continue
        if para.is_table_row:
            text = para.text
            pieces.append(Piece(text, para.page, offset, offset + len(text), len(text.split()),
                                True, header, section=para.section))
            continue
        first = True
        for start, end in sentence_spans(para.text):
            for piece_start, piece_end in _split_long(para.text, start, end):
                text = para.text[piece_start:piece_end]
                pieces.append(
                    Piece(text, para.page, offset + piece_start, offset + piece_end,
                          len(text.split()), heading=para.is_heading, opens_paragraph=first,
                          section=para.section)
                )
                first = False
    return pieces


def _prose_words(pieces: Sequence[Piece]) -> int:
    return sum(p.words for p in pieces if not p.row)


def common_parent(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """The longest path both sections lie under (`()` when none)."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _neighbours(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Sections under one parent heading (or in a document without headings)."""
    return bool(common_parent(a, b)) or not (a or b)


def merge_small_sections(
    sections: Sequence[list[Piece]], params: ChunkParams
) -> list[list[Piece]]:
    """Consecutive sections' pieces grouped into packing units: a section joins the
    unit before it when they share a parent heading and either of them has less
    than `SMALL_SECTION * min_words` words of prose (a label with a link, a
    one-line sub-section), so no chunk is a stray fragment. Top-level
    sections stay apart (a short `Vision` is a statement of its own)."""
    small = SMALL_SECTION * params.min_words
    units: list[list[Piece]] = []
    for pieces in sections:
        if not pieces:
            continue
        if units and _neighbours(units[-1][-1].section, pieces[0].section) and (
            _prose_words(pieces) < small or _prose_words(units[-1]) < small
        ):
            units[-1] = units[-1] + pieces
        else:
            units.append(list(pieces))
    return units


MAX_SENTENCE_WORDS = 120


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run-on 'sentence' (a list without full stops) cut into word windows."""
    words = text[start:end].split()
    if len(words) <= MAX_SENTENCE_WORDS:
        return [(start, end)]
    spans, pos, count, piece_start = [], start, 0, start
    for word in words:
        pos = text.index(word, pos) + len(word)
        count += 1
        if count == MAX_SENTENCE_WORDS:
            spans.append((piece_start, pos))
            piece_start = pos + 1
            count = 0
    if count:
        spans.append((piece_start, end))
    return spans


def pack(pieces: Sequence[Piece], params: ChunkParams) -> list[list[Piece]]:
    """Consecutive sentences packed into groups of even size below `max_words`,
    with overlap; each table row alone."""
    groups: list[list[Piece]] = []
    run: list[Piece] = []
    for piece in pieces:
        if piece.row:
            groups += _pack_prose(run, params)
            run = []
            groups.append([piece])
        else:
            run.append(piece)
    return groups + _pack_prose(run, params)


def _target(pieces: Sequence[Piece], params: ChunkParams) -> float:
    """Words per chunk that split `pieces` evenly below `max_words`, overlap included."""
    total = sum(p.words for p in pieces)
    sentence = total / len(pieces)
    overlap = params.overlap_sentences * sentence  # words repeated per chunk
    # a chunk holds whole sentences: leave one sentence of slack below max_words
    step = max(params.max_words - overlap - sentence, params.max_words / 2)
    count = max(1, math.ceil((total - overlap) / step))
    return max(params.min_words, (total - overlap) / count + overlap)


def _pack_prose(pieces: Sequence[Piece], params: ChunkParams) -> list[list[Piece]]:
    """Sentences into chunks of even size; the size is worked out again for what is
    left after each chunk, so a chunk ended early at a paragraph end costs nothing."""
    if not pieces:
        return []
    groups: list[list[Piece]] = []
    current: list[Piece] = []
    words = fresh = 0  # fresh: sentences in `current` not repeated from the previous chunk
    target = _target(pieces, params)
    for i, piece in enumerate(pieces):
        full = words + piece.words > params.max_words or words >= target
        if fresh and (full or piece.opens_paragraph and words >= PARAGRAPH_BREAK * target):
            groups.append(current)
            keep = current[-params.overlap_sentences :] if params.overlap_sentences else []
            keep = [p for p in keep if sum(k.words for k in keep) + piece.words <= params.max_words]
            current, words, fresh = list(keep), sum(p.words for p in keep), 0
            target = _target([*keep, *pieces[i:]], params)
        current.append(piece)
        words += piece.words
        fresh += 1
    groups.append(current)
    return _merge_tail(groups, params)


def _merge_tail(groups: list[list[Piece]], params: ChunkParams) -> list[list[Piece]]:
    """A short last chunk joins the one before when they fit together; a tiny one
    (a closing sentence or two) joins it anyway."""
    if len(groups) < 2:
        return groups
    last, before = groups[-1], groups[-2]
    new = [p for p in last if p not in before]
    new_words = sum(p.words for p in new)
    size = sum(p.words for p in before) + new_words
    fits = sum(p.words for p in last) < params.min_words and size <= params.max_words
    if fits or new_words < TINY_TAIL * params.min_words:
        return [*groups[:-2], before + new]
    return groups


def _group_text(group: Sequence[Piece], full_text: str) -> str:
    if group[0].row:
        header = group[0].table_header
        return f"{header}\n{group[0].text}" if header else group[0].text
    # sentences of one paragraph keep their spacing; paragraphs are joined by a blank line
    parts: list[str] = []
    for prev, piece in zip([None, *group], group, strict=False):
        if prev is not None:
            gap = full_text[prev.end : piece.start]
            parts.append(PARAGRAPH_SEP if PARAGRAPH_SEP in gap else " ")
        parts.append(piece.text)
    return "".join(parts)


def _about(text: str, context: Entities, row_region: str | None) -> Entities:
    found = find_entities(text)
    regions = (row_region,) if row_region else context.regions + found.regions
    return Entities(
        tuple(dict.fromkeys(regions)),
        tuple(dict.fromkeys(context.municipalities + found.municipalities)),
        tuple(dict.fromkeys(context.organisations + found.organisations)),
    )


def chunk_document(doc: Document, params: ChunkParams | None = None) -> list[Chunk]:
    """The chunks of a structured document, in reading order."""
    params = params or ChunkParams()
    full_text = PARAGRAPH_SEP.join(p.text for p in doc.paragraphs)
    indexed = list(zip(doc.paragraph_offsets(), doc.paragraphs, strict=True))
    title = find_entities(f"{doc.meta.title}\n{doc.meta.publisher}")
    sections = []
    for section, members in groupby(indexed, key=lambda item: item[1].section):
        members = list(members)
        sections.append(_pieces(members, _table_header_text(section, members)))
    chunks: list[Chunk] = []
    for unit in merge_small_sections(sections, params):
        for group in pack(unit, params):
            if _worth_a_chunk(group):
                section = _group_section(group)
                context = _section_context(section, title)
                chunks.append(_chunk(doc, len(chunks), section, group, full_text, context))
    return chunks


def _group_section(group: Sequence[Piece]) -> tuple[str, ...]:
    """The section path of a chunk: the common parent of its body sentences (a
    heading with no text of its own leaves the path of its sub-section)."""
    body = [p for p in group if not p.heading] or list(group)
    parent = body[0].section
    for piece in body[1:]:
        parent = common_parent(parent, piece.section)
    return parent


def _worth_a_chunk(group: Sequence[Piece]) -> bool:
    """Not a heading alone (its words are in the section path) nor a stray label."""
    if all(p.heading for p in group):
        return False
    return group[0].row or sum(p.words for p in group) >= MIN_CHUNK_WORDS


def _chunk(
    doc: Document, ordinal: int, section: tuple[str, ...], group: Sequence[Piece],
    full_text: str, context: Entities,
) -> Chunk:
    text = _group_text(group, full_text)
    row = group[0].row
    about = _about(group[0].text if row else text, context, row_key(group[0].text) if row else None)
    return Chunk(
        id=chunk_id(doc.meta.doc_id, ordinal, text),
        doc_id=doc.meta.doc_id,
        ordinal=ordinal,
        text=text,
        section=section,
        page_start=min(p.page for p in group),
        page_end=max(p.page for p in group),
        title=doc.meta.title,
        source=doc.meta.source,
        kind=doc.meta.kind,
        year=doc.meta.year,
        regions=about.regions,
        municipalities=about.municipalities,
        organisations=about.organisations,
        char_start=group[0].start,
        char_end=group[-1].end,
        meta={"table_row": True} if row else {},
    )


def _section_context(section: tuple[str, ...], title: Entities) -> Entities:
    """What the headings above a chunk (and the document title) are about."""
    found = find_entities(" \n".join(section)) if section else Entities()
    return Entities(
        tuple(dict.fromkeys(title.regions + found.regions)),
        tuple(dict.fromkeys(title.municipalities + found.municipalities)),
        found.organisations,
    )


def _table_header_text(section: tuple[str, ...], members: Sequence[tuple[int, Paragraph]]) -> str:
    headers = [p.text for _o, p in members if p.is_table_row and p.is_heading]
    if not headers:
        return ""
    label = " › ".join(section)
    return f"{label} – {headers[0]}" if label else headers[0]
