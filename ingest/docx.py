"""Word .docx → one page: paragraphs in order, heading styles as heading levels,
table rows as one block each with the cells joined by " | "."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.model import Block, Page

_HEADING = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path, params: object = None) -> list[Page]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = docx.Document(str(path))
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            block = _paragraph(item)
            if block is not None:
                blocks.append(block)
        elif isinstance(item, Table):
            blocks.extend(_table(item))
    return [Page(number=1, blocks=tuple(blocks))]


def heading_level(style_name: str) -> int | None:
    """'Heading 2' / 'Rubrik 2' → 2, 'Title' / 'Rubrik' → 1, anything else None."""
    name = style_name.strip()
    if name.lower() in {"title", "rubrik"}:
        return 1
    match = _HEADING.match(name)
    return int(match.group(1)) if match else None


def _paragraph(paragraph) -> Block | None:
    text = paragraph.text.strip()
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    runs = [r for r in paragraph.runs if r.text.strip()]
    bold = bool(runs) and all(r.bold for r in runs)
    return Block(text, bold=bold, heading_level=heading_level(style))


def _table(table) -> list[Block]:
    blocks = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            blocks.append(Block(" | ".join(cells)))
    return blocks
