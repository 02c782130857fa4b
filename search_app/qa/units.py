"""Answer units: the sentences, bullets and table cells of retrieved chunks, each
attributed to the regions, municipalities and organisations it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from index.model import Hit
from ingest.model import Chunk
from search_app.qa.matching import tokens
from search_app.qa.model import Sentence


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


def home_regions(chunk: Chunk) -> tuple[str, ...]:
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


@dataclass(frozen=True)
class ChunkUnits:
    """What the answer step reads of one chunk, whatever the question: its units
    with their tokens and entities, the context tokens and the chunk's tokens."""

    context: tuple[str, ...]
    toks: tuple[str, ...]
    title: tuple[str, ...]
    units: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...],
                       tuple[str, ...]], ...]  # text, tokens, regions, municipalities, orgs


@lru_cache(maxsize=50_000)
def chunk_units(chunk: Chunk) -> ChunkUnits:
    """Units of a chunk, computed once per process (a chunk's id hashes its text)."""
    is_row = bool(chunk.meta.get("table_row"))
    home = tuple(chunk.regions) if is_row else home_regions(chunk)
    context, texts = _units(chunk)
    units = []
    for text in texts:
        found = _entities(text)
        named = () if is_row else tuple(getattr(found, "regions", ()))
        units.append((" ".join(text.split()), tokens(text), tuple(dict.fromkeys(named + home)),
                      tuple(getattr(found, "municipalities", ())),
                      tuple(getattr(found, "organisations", ()))))
    return ChunkUnits(tokens(context), tokens(chunk.text), tokens(chunk.title), tuple(units))


def sentences_of(hits: Iterable[Hit]) -> list[Sentence]:
    out: list[Sentence] = []
    for rank, hit in enumerate(hits):
        cu = chunk_units(hit.chunk)
        for text, toks, regions, municipalities, organisations in cu.units:
            out.append(Sentence(text=text, toks=toks, context=cu.context, hit=hit, rank=rank,
                                regions=regions, municipalities=municipalities,
                                organisations=organisations, chunk_toks=cu.toks,
                                title_toks=cu.title))
    return out


def cite(s: Sentence) -> str:
    c = s.chunk
    pages = f"s. {c.page_start}" if c.page_start == c.page_end else \
        f"s. {c.page_start}–{c.page_end}"
    where = f"{c.title or c.doc_id}" + (f", {c.section_label}" if c.section else "")
    return f"({where}, {pages})"
