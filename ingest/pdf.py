"""PDF → pages of text lines (the only module that imports pdfminer).

`read_pdf` walks the document with pdfminer's `extract_pages`, one `LTPage` at a
time, and returns one `Page` per PDF page (numbered from 1 by enumeration, not by
`LTPage.pageid`) whose blocks are the text *lines* pdfminer found, each with its
bbox, font size and boldness. Reading order, columns, tables and running
headers/footers are geometry and live in `ingest/layout.py`; `ingest/readers.py`
chains the two (and runs this module in a limited worker, `ingest/limits.py`).

Glyph evidence for dropped ligatures: some PDFs map an fi/fl/ff/ffi/ffl glyph to
a bare "f". Such an "f" is much wider than the font's normal "f", so every "f"
glyph is first written with a private placeholder naming its (font, width) class;
once the whole document is read, classes at least `LIGATURE_RATIO` times as wide
as the font's normal "f" become "f" + `LIGATURE_MARK`, the rest a plain "f".
"""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTPage, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from ingest.limits import ExtractParams, IngestError, run_worker
from ingest.model import LIGATURE_MARK, Block, Page

# Small char_margin: pdfminer cuts a line at gaps wider than about half an em,
# so table cells and columns arrive as separate pieces; layout.py joins them.
LAPARAMS = LAParams(
    line_overlap=0.5, char_margin=1.0, word_margin=0.1, line_margin=0.5, boxes_flow=None
)
LIGATURE_RATIO = 1.3  # an "f" this much wider than the font's plain "f" was a ligature
_PLACEHOLDER_BASE = 0xF0000  # Supplementary Private Use Area-A: one code point per f-class
_PLACEHOLDER_RE = re.compile("f([\U000f0000-\U000ffffd])")
_SPACES = re.compile(r"[ \t]{2,}")  # a justified gap may come as a space and inserted spaces
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass
class _FClasses:
    """The (font, width) classes of the "f" glyphs seen so far, with counts."""

    index: dict[tuple[str, float], int]
    counts: Counter

    def placeholder(self, fontname: str, width: float) -> str:
        key = (fontname, round(width, 2))
        if key not in self.index:
            self.index[key] = len(self.index)
        self.counts[key] += 1
        return chr(_PLACEHOLDER_BASE + min(self.index[key], 0xFFFD))

    def wide(self) -> set[int]:
        """Indices of classes that are ligatures: much wider than the font's plain f."""
        by_font: dict[str, list[tuple[float, int]]] = {}
        for (font, width), n in self.counts.items():
            by_font.setdefault(font, []).append((width, n))
        out = set()
        for font, widths in by_font.items():
            total = sum(n for _, n in widths)
            common = [w for w, n in sorted(widths) if n >= max(1, 0.1 * total)]
            plain = common[0] if common else min(w for w, _ in widths)
            out |= {self.index[(font, w)] for w, _ in widths if w >= LIGATURE_RATIO * plain}
        return out


def read_pdf(path: Path, params: ExtractParams | None = None) -> list[Page]:
    """Every page of the PDF as line blocks; raises `IngestError` beyond the page limit."""
    params = params or ExtractParams()
    count = page_count(path)
    if count > params.max_pages:
        raise IngestError(f"{path}: {count} sidor, fler än gränsen {params.max_pages}")
    classes = _FClasses({}, Counter())
    pages = []
    for number, layout in enumerate(_layouts(path, params.max_pages), start=1):
        if number > params.max_pages:
            raise IngestError(f"{path}: fler sidor än gränsen {params.max_pages}")
        pages.append(_page(number, layout, classes))
    return _resolve_ligatures(pages, classes.wide())


def page_count(path: Path) -> int:
    """The page count the document's catalog declares (0 when it declares none)."""
    with path.open("rb") as fp:
        doc = PDFDocument(PDFParser(fp))
        pages = resolve1(doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    return count if isinstance(count, int) else 0


def _layouts(path: Path, max_pages: int) -> Iterator[LTPage]:
    return extract_pages(path, maxpages=max_pages + 1, laparams=LAPARAMS)


def _page(number: int, layout: LTPage, classes: _FClasses) -> Page:
    blocks: list[Block] = []
    rotated: list[LTChar] = []
    for line in _lines(layout):
        block = _line_block(line, classes, rotated)
        if block is not None:
            blocks.append(block)
    blocks.extend(_rotated_blocks(rotated))
    return Page(number, tuple(blocks), width=layout.width, height=layout.height)


def _lines(item) -> Iterator[LTTextLine]:
    if isinstance(item, LTTextLine):
        yield item
        return
    if isinstance(item, Iterable):
        for child in item:
            yield from _lines(child)


def _line_block(line: LTTextLine, classes: _FClasses, rotated: list[LTChar]) -> Block | None:
    """A text line as one block; its rotated characters are set aside in `rotated`."""
    upright, parts = [], []
    for item in line:
        if isinstance(item, LTChar) and not item.upright:
            rotated.append(item)
            continue
        if isinstance(item, LTChar):
            upright.append(item)
        parts.append(_char_text(item, classes))
    text = _SPACES.sub(" ", "".join(parts)).strip()
    return _block(text, upright) if upright and text else None


def _char_text(item, classes: _FClasses) -> str:
    text = item.get_text()
    if text == "f" and isinstance(item, LTChar) and item.height > 0:
        return "f" + classes.placeholder(item.fontname, item.width / item.height)
    return text


def _rotated_blocks(chars: list[LTChar]) -> list[Block]:
    """Text turned 90° (side labels), one block per vertical run of characters,
    read upwards when turned counter-clockwise, else downwards."""
    runs: list[list[LTChar]] = []
    for char in sorted(chars, key=lambda c: (round(c.x0), c.y0)):
        if runs and abs(runs[-1][-1].x0 - char.x0) <= 0.3 * char.width \
                and char.y0 - runs[-1][-1].y1 <= 2 * char.width:
            runs[-1].append(char)
        else:
            runs.append([char])
    blocks = []
    for run in runs:
        upward = run[0].matrix[1] > 0
        text = "".join(c.get_text() for c in (run if upward else run[::-1])).strip()
        if text:
            blocks.append(_block(text, run))
    return blocks


def _block(text: str, chars: list[LTChar]) -> Block:
    bbox = (
        min(c.x0 for c in chars), min(c.y0 for c in chars),
        max(c.x1 for c in chars), max(c.y1 for c in chars),
    )
    size = statistics.median(c.height if c.upright else c.width for c in chars)
    bold = sum(bool(_BOLD_RE.search(c.fontname)) for c in chars) * 2 > len(chars)
    return Block(text, bbox=bbox, font_size=round(size, 2), bold=bold)


def _resolve_ligatures(pages: list[Page], wide: set[int]) -> list[Page]:
    def mark(m: re.Match) -> str:
        return "f" + LIGATURE_MARK if ord(m.group(1)) - _PLACEHOLDER_BASE in wide else "f"

    return [
        replace(page, blocks=tuple(
            replace(b, text=_PLACEHOLDER_RE.sub(mark, b.text)) for b in page.blocks
        ))
        for page in pages
    ]


def main(argv: list[str]) -> None:
    """Worker entry (`python -m ingest.pdf PATH MEMORY_MB MAX_PAGES`), see ingest/limits.py."""
    path, memory_mb, max_pages = Path(argv[0]), int(argv[1]), int(argv[2])
    params = ExtractParams(memory_mb=memory_mb, max_pages=max_pages)
    run_worker(path, params, read_pdf, sys.stdout.buffer)


if __name__ == "__main__":
    main(sys.argv[1:])
