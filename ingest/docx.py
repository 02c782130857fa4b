"""Word .docx → pages: paragraphs in order, heading styles as heading levels,
table rows as one block each with the cells joined by " | "."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.model import Block, Page

_HEADING = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path, params: object = None) -> list[Page]:
    """Pages at the breaks Word recorded when it last laid the file out
    (`w:lastRenderedPageBreak`), else at explicit page breaks; one page without either."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = docx.Document(str(path))
    rendered = bool(document.element.body.xpath(".//w:lastRenderedPageBreak"))
    pages: list[list[Block]] = [[]]
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            text_first, breaks = _page_breaks(item._p, rendered)
            block = _paragraph(item)
            if block is not None and text_first:
                pages[-1].append(block)
            pages.extend([] for _ in range(breaks))
            if block is not None and not text_first:
                pages[-1].append(block)
        elif isinstance(item, Table):
            pages[-1].extend(_table(item))
    return [Page(number=i, blocks=tuple(b)) for i, b in enumerate(pages, start=1)]


def _page_breaks(p, rendered: bool) -> tuple[bool, int]:
    """(does text come before the paragraph's first page break, how many breaks)."""
    from docx.oxml.ns import qn

    marker = qn("w:lastRenderedPageBreak") if rendered else qn("w:br")
    text_first, breaks = False, 0
    for element in p.iter():
        if element.tag == qn("w:t") and (element.text or "").strip() and not breaks:
            text_first = True
        elif element.tag == marker and (rendered or element.get(qn("w:type")) == "page"):
            breaks += 1
    return text_first, breaks


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
