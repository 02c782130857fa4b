"""PDF page geometry, on pages of line blocks (as `ingest.pdf.read_pdf` returns them).

`strip_page_furniture` removes running headers, footers, side labels and page
numbers: lines in the top/bottom bands or side margins that repeat (digits
ignored) on at least half the pages, or that look like a page number.

`reading_order` turns a page of lines into paragraph and table-row blocks in
reading order, by a recursive cut of the page at whitespace:
1. cut into bands at horizontal whitespace wider than the normal line gap;
2. rejoin neighbouring bands that share a column gutter (paragraph gaps that
   happen to line up in both columns);
3. cut a band at a vertical gutter when both sides read as running text (rows
   of several words, the right side flush left): those are columns, read one
   after the other; otherwise (a table) the band's rows are read across, the
   cells of a row kept together on one line, wide gaps written as " | ".
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace

from ingest.model import Block, Page


@dataclass(frozen=True)
class LayoutParams:
    band: float = 0.12  # top and bottom share of the page height where running lines live
    margin: float = 0.08  # left and right share of the page width where side labels live
    repeat: float = 0.5  # a furniture line repeats on at least this share of the pages
    min_gutter_em: float = 1.0  # narrowest column gutter, in font sizes
    cell_gap_em: float = 1.2  # empty strips this wide through a whole band are cell borders
    column_chars: float = 20.0  # rows of a text column hold this many characters on average
    column_rows: int = 3  # and a column has at least this many rows


DEFAULT = LayoutParams()
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid\.?|s\.|page)\s*)?[-–—|(]?\s*\d{1,4}\s*[-–—|)]?"
    r"(?:\s*(?:\(|av|/|of)\s*\d{1,4}\s*\)?)?$",
    re.IGNORECASE,
)


# --- running headers, footers, side labels --------------------------------------------


def strip_page_furniture(
    pages: list[Page], params: LayoutParams = DEFAULT
) -> tuple[list[Page], list[str]]:
    """Pages without their furniture lines, and the removed lines' texts (for the report)."""
    seen: Counter = Counter()
    for page in pages:
        seen.update({(zone, _key(b.text)) for b in page.blocks
                     if (zone := _zone(b, page, params))})
    needed = max(2, math.ceil(params.repeat * len(pages)))
    removed: list[str] = []
    out = []
    for page in pages:
        keep = []
        for block in page.blocks:
            zone = _zone(block, page, params)
            if zone and (seen[zone, _key(block.text)] >= needed or is_page_number(block.text)):
                removed.append(block.text)
            else:
                keep.append(block)
        out.append(replace(page, blocks=tuple(keep)))
    return out, removed


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.lower())).strip()


def _zone(block: Block, page: Page, params: LayoutParams) -> str | None:
    if block.bbox is None or not page.width or not page.height:
        return None
    x0, y0, x1, y1 = block.bbox
    if y0 >= page.height * (1 - params.band):
        return "top"
    if y1 <= page.height * params.band:
        return "bottom"
    if x1 <= page.width * params.margin:
        return "left"
    if x0 >= page.width * (1 - params.margin):
        return "right"
    return None


# --- reading order --------------------------------------------------------------------


def order_pages(pages: list[Page], params: LayoutParams = DEFAULT) -> list[Page]:
    return [reading_order(page, params) for page in pages]


def reading_order(page: Page, params: LayoutParams = DEFAULT) -> Page:
    """A page of line blocks → paragraph and table-row blocks in reading order."""
    lines = [b for b in page.blocks if b.bbox is not None and not _rotated(b)]
    rest = [b for b in page.blocks if b.bbox is None or _rotated(b)]
    if not lines:
        return page
    size = statistics.median(b.font_size or 10.0 for b in lines)
    blocks = [blk for group in _order(lines, size, params)
              for blk in _group_blocks(group, size, params)]
    return replace(page, blocks=tuple(blocks + rest))


def _rotated(block: Block) -> bool:
    x0, y0, x1, y1 = block.bbox or (0, 0, 0, 0)
    return (y1 - y0) > 1.8 * (block.font_size or 10.0) and (y1 - y0) > (x1 - x0)


def _order(lines: list[Block], size: float, params: LayoutParams) -> list[list[Block]]:
    out: list[list[Block]] = []
    for band in _merge_column_bands(_split_bands(lines, size), size, params):
        cut = _column_cut(band, size, params)
        if cut is None:
            out.append(band)
            continue
        left = [b for b in band if b.bbox[2] <= cut]
        right = [b for b in band if b.bbox[2] > cut]
        out += _order(left, size, params) + _order(right, size, params)
    return out


def _split_bands(lines: list[Block], size: float) -> list[list[Block]]:
    """Cut at horizontal whitespace clearly wider than the normal gap between lines."""
    ordered = sorted(lines, key=lambda b: -b.bbox[3])
    threshold = max(0.45 * size, _line_gap(ordered) + 0.35 * size)
    bands: list[list[Block]] = [[ordered[0]]]
    bottom = ordered[0].bbox[1]
    for line in ordered[1:]:
        if line.bbox[3] < bottom - threshold:
            bands.append([line])
            bottom = line.bbox[1]
        else:
            bands[-1].append(line)
            bottom = min(bottom, line.bbox[1])
    return bands


def _line_gap(ordered: list[Block]) -> float:
    """The median vertical gap between a line and the next line below it that it overlaps."""
    gaps = []
    for i, upper in enumerate(ordered):
        for lower in ordered[i + 1:i + 8]:
            gap = upper.bbox[1] - lower.bbox[3]
            if gap > 0 and _h_overlap(upper, lower):
                gaps.append(gap)
                break
    return statistics.median(gaps) if gaps else 0.0


def _h_overlap(a: Block, b: Block) -> bool:
    return min(a.bbox[2], b.bbox[2]) > max(a.bbox[0], b.bbox[0])


def _merge_column_bands(
    bands: list[list[Block]], size: float, params: LayoutParams
) -> list[list[Block]]:
    out: list[list[Block]] = []
    for band in bands:
        if out and _column_cut(out[-1] + band, size, params) is not None:
            out[-1] = out[-1] + band
        else:
            out.append(band)
    return out


def _column_cut(lines: list[Block], size: float, params: LayoutParams) -> float | None:
    """The x of a gutter with running text on both sides, or None."""
    for a, b in _gutters(lines, params.min_gutter_em * size):
        left = [ln for ln in lines if ln.bbox[2] <= a]
        right = [ln for ln in lines if ln.bbox[0] >= b]
        if _running_text(left, params) and _running_text(right, params) \
                and _flush_left(right, size):
            return (a + b) / 2
    return None


def _gutters(lines: list[Block], min_width: float) -> list[tuple[float, float]]:
    """Empty vertical strips at least `min_width` wide, widest first."""
    spans = sorted((b.bbox[0], b.bbox[2]) for b in lines)
    gaps, reach = [], spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= min_width:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    return sorted(gaps, key=lambda g: g[0] - g[1])


def _running_text(lines: list[Block], params: LayoutParams) -> bool:
    rows = _rows(lines)
    if len(rows) < params.column_rows:
        return False
    chars = sum(len(b.text) for b in lines)
    return chars / len(rows) >= params.column_chars


def _flush_left(lines: list[Block], size: float) -> bool:
    starts = [min(b.bbox[0] for b in row) for row in _rows(lines)]
    edge = min(starts)
    return sum(s - edge <= 1.5 * size for s in starts) >= 0.6 * len(starts)


def _rows(lines: list[Block]) -> list[list[Block]]:
    """Lines on the same baseline grouped, top to bottom, each row left to right."""
    rows: list[list[Block]] = []
    top = bottom = 0.0
    for line in sorted(lines, key=lambda b: -(b.bbox[1] + b.bbox[3])):
        y0, y1 = line.bbox[1], line.bbox[3]
        overlap = min(y1, top) - max(y0, bottom)
        if rows and overlap >= 0.5 * min(y1 - y0, top - bottom):
            rows[-1].append(line)
            top, bottom = max(top, y1), min(bottom, y0)
        else:
            rows.append([line])
            top, bottom = y1, y0
    return [sorted(row, key=lambda b: b.bbox[0]) for row in rows]


def _group_blocks(lines: list[Block], size: float, params: LayoutParams) -> list[Block]:
    """A band's rows as blocks: one per run of rows in the same font. Gaps that are
    empty through the whole band (table cell borders) are written " | ", and a table
    line with nothing in the first column continues the row above it."""
    cells = _gutters(lines, params.cell_gap_em * size)
    blocks: list[list[Block]] = []
    for row in _table_rows(_rows(lines), cells):
        line = _row_block(row, cells)
        if blocks and _same_font(blocks[-1][-1], line):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return [_join(rows) for rows in blocks]


def _table_rows(rows: list[list[Block]], cells: list[tuple[float, float]]) -> list[list[Block]]:
    """Rows with continuation lines (first column empty) folded into the row above,
    each piece appended to the text of its own column."""
    if not cells:
        return rows
    first_border = min(a for a, _ in cells)
    out: list[list[Block]] = []
    for row in rows:
        if out and all(piece.bbox[0] >= first_border for piece in row):
            out[-1] = _fold(out[-1], row, cells)
        else:
            out.append(row)
    return out


def _fold(row: list[Block], more: list[Block], cells: list[tuple[float, float]]) -> list[Block]:
    def column(piece: Block) -> int:
        return sum(b <= piece.bbox[0] for _, b in cells)

    columns: dict[int, list[Block]] = {}
    for piece in row + more:
        columns.setdefault(column(piece), []).append(piece)
    return [_join(pieces, text=" ".join(p.text for p in pieces))
            for _, pieces in sorted(columns.items())]


def _same_font(prev: Block, line: Block) -> bool:
    a, b = prev.font_size or 0.0, line.font_size or 0.0
    return prev.bold == line.bold and abs(a - b) <= 0.15 * max(a, b, 1.0)


def _row_block(row: list[Block], cells: list[tuple[float, float]]) -> Block:
    parts = [row[0].text]
    for before, after in zip(row, row[1:], strict=False):
        border = any(before.bbox[2] <= a and b <= after.bbox[0] for a, b in cells)
        parts.append(" | " if border else " ")
        parts.append(after.text)
    return _join(row, text="".join(parts))


def _join(blocks: list[Block], text: str | None = None) -> Block:
    bbox = (
        min(b.bbox[0] for b in blocks), min(b.bbox[1] for b in blocks),
        max(b.bbox[2] for b in blocks), max(b.bbox[3] for b in blocks),
    )
    sizes = [b.font_size for b in blocks if b.font_size]
    return Block(
        text="\n".join(b.text for b in blocks) if text is None else text,
        bbox=bbox,
        font_size=statistics.median(sizes) if sizes else None,
        bold=sum(b.bold for b in blocks) * 2 > len(blocks),
    )
