"""Headings → section paths, and table rows kept whole.

`structure(paragraphs, hints)` marks headings and gives every paragraph the path
of headings above it. A heading is
- a paragraph whose text a reader marked as a heading (html/docx heading levels,
  PDF text in a larger font or bold: `heading_hints(pages)`), or
- a numbered heading (`2  Region Blekinge`, `3.1 Bidrag`): level = depth of the number, or
- a short capitalised line without final punctuation followed by body text
  (`Stöd till det civila samhället`): one level below the current numbered chapter.
  Such headings that recur in several chapters form that level and the others
  nest under them; a heading directly above another heading groups it
  (`Relationer` › `Bidrag och stöd`); terms in a list of abbreviations and labels
  followed by a link (`Mer information`) are not headings.

`split_glued_headings(pages)` runs before cleaning: in text files a heading of one
or two short lines that runs straight into its body gets a blank line after it.

Tables whose rows start with a region or municipality name (the MUCF summary:
`Region Gotland Ja, med Röda Korset … | Nej`) are recognised by a short header
line followed by such rows; each row (with the cells that follow it on later
lines) becomes one paragraph with `is_table_row=True`; the header line is kept
as a paragraph with `is_table_row=True` and `is_heading=True`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from statistics import median

from ingest.entities import MUNICIPALITY, REGION, mentions
from ingest.model import Block, Page, Paragraph

NUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
FINAL_PUNCT = (".", ",", ";", ":", "!", "?", "-", "–", "”", '"', "»", "/", "&")
URL_RE = re.compile(r"(https?://|www\.)", re.IGNORECASE)
BULLETS = ("•", "-", "–", "*", "·", "▪")
MAX_HEADING_WORDS = 12
MAX_ROW_WORDS = 200
MIN_TABLE_ROWS = 3
MARKDOWN_HEADING_RE = re.compile(r"^(#{1,6})\s+\S")
SPLIT_CAPITAL_RE = re.compile(r"\b([A-ZÅÄÖ]) ([a-zåäö]{2,})")


def heading_key(text: str) -> str:
    """Text compared between reader blocks and cleaned paragraphs (ligatures,
    hyphens and spacing may differ)."""
    key = re.sub(r"[\W_]+", "", text.casefold())
    for lig in ("ffi", "ffl", "ff", "fi", "fl"):
        key = key.replace(lig, "f")
    return key


def heading_hints(pages: Sequence[Page]) -> dict[str, int]:
    """Heading texts → levels, from what readers know: `heading_level` (html, docx)
    or, in PDFs, short blocks in a font clearly larger than the body or in bold."""
    hints: dict[str, int] = {}
    blocks = [b for page in pages for b in page.blocks if b.text.strip()]
    sizes = [b.font_size for b in blocks if b.font_size]
    body = median(sizes) if sizes else None
    larger = sorted({round(s, 1) for s in sizes if body and s >= body * 1.15}, reverse=True)
    for block in blocks:
        text = " ".join(block.text.split())
        if len(text.split()) > MAX_HEADING_WORDS or text.endswith((".", ",", ";")):
            continue
        markdown = MARKDOWN_HEADING_RE.match(text) if block.bbox is None else None
        if block.heading_level:
            hints[heading_key(text)] = block.heading_level
        elif markdown:
            hints[heading_key(text)] = len(markdown.group(1))
        elif body and block.font_size and round(block.font_size, 1) in larger:
            hints[heading_key(text)] = min(larger.index(round(block.font_size, 1)) + 1, 3)
        elif block.bold and block.font_size is not None:
            hints.setdefault(heading_key(text), len(larger) + 1)
    return hints


LINE_END_PUNCT = (".", ",", ";", ":", "!", "?", "-", "–")
GLUED_SHORT = 0.6  # a heading line is shorter than this share of the usual line width
GLUED_LONG = 0.75  # the body line after it is at least this long
MAX_GLUED_LINES = 2


def _usual_width(lines: Sequence[str]) -> float:
    lengths = sorted(len(line) for line in lines if len(line) > 20)
    return float(lengths[int(len(lengths) * 0.9)]) if lengths else 0.0


def _glued_heading_end(lines: Sequence[str], i: int, width: float) -> int | None:
    """Index after a heading of one or two short lines that starts a paragraph at
    line `i` and runs straight into a long body line, else None."""
    end = i
    while (
        end < len(lines) and end - i < MAX_GLUED_LINES and lines[end]
        and len(lines[end]) < GLUED_SHORT * width and not lines[end].endswith(LINE_END_PUNCT)
        and not URL_RE.search(lines[end])
    ):
        end += 1
    if end == i or end >= len(lines):
        return None
    heading, body = " ".join(lines[i:end]), lines[end]
    if len(body) < GLUED_LONG * width or not body[:1].isupper():
        return None
    if len(heading.split()) > MAX_HEADING_WORDS or not heading[0].isupper() | heading[0].isdigit():
        return None
    return end


def split_glued_headings(pages: Sequence[Page]) -> list[Page]:
    """Text pages (one block per line, no geometry) with a blank line put after a
    heading that runs straight into its body (`Förekomsten av idéburet offentligt` /
    `partnerskap (IOP) och överenskommelser` / `I tabellen nedanför …`), so that
    cleaning makes it a paragraph of its own. Other pages are returned as they are."""
    blocks = [b for page in pages for b in page.blocks]
    if any(b.bbox is not None or "\n" in b.text.strip() for b in blocks):
        return list(pages)
    width = _usual_width([b.text.strip() for b in blocks])
    out = []
    for page in pages:
        lines = [b.text.strip() for b in page.blocks]
        new: list = []
        i = 0
        while i < len(lines):
            if MARKDOWN_HEADING_RE.match(lines[i]) and i + 1 < len(lines) and lines[i + 1]:
                new += [page.blocks[i], Block("")]
                i += 1
                continue
            end = _glued_heading_end(lines, i, width) if i == 0 or not lines[i - 1] else None
            if end is None:
                new.append(page.blocks[i])
                i += 1
                continue
            new += [*page.blocks[i:end], Block("")]
            i = end
        out.append(replace(page, blocks=tuple(new)))
    return out


def numbered_level(text: str) -> int | None:
    """Depth of a numbered heading (`2 Region Blekinge` → 1, `3.1 Bidrag` → 2)."""
    m = NUMBERED_RE.match(text)
    if not m or not _heading_shape(m.group(2)):
        return None
    return m.group(1).count(".") + 1


def _heading_shape(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and len(text) <= 90
        and (text[0].isupper() or text[0].isdigit())
        and not text.endswith(FINAL_PUNCT)
        and not text.startswith(BULLETS)
        and not URL_RE.search(text)
        and "|" not in text
        and any(len(w) >= 3 and w.isalpha() for w in words)
    )


def is_heading_candidate(text: str) -> bool:
    return numbered_level(text) is not None or _heading_shape(text)


@dataclass(frozen=True)
class _Row:
    key: str  # the region or municipality naming the row
    start: int  # index of the paragraph


def row_key(text: str) -> str | None:
    """The region/municipality a table row starts with (`Region Gotland Ja, …` →
    "Region Gotland"), when the rest starts like a cell (capital, bullet, digit)."""
    found = mentions(text[:80])
    if not found or found[0].start != 0 or found[0].label not in (REGION, MUNICIPALITY):
        return None
    rest = text[found[0].end :].strip().lstrip("|").strip()
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest.startswith(BULLETS)):
        return None
    return found[0].canonical


def _table_header(paras: Sequence[Paragraph], i: int, first: str = "") -> bool:
    """Paragraph `i` heads a table: short, no final punctuation, and a row follows.
    Inside a table (`first` = the first header) a repeated header starts with the
    same word as the first one."""
    text = paras[i].text
    if first and text.split()[:1] != first.split()[:1]:
        return False
    return (
        i + 1 < len(paras)
        and len(text.split()) <= MAX_HEADING_WORDS
        and not text.endswith(FINAL_PUNCT)
        and row_key(text) is None
        and row_key(paras[i + 1].text) is not None
    )


def _join_row(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        text += (" " if part.startswith(BULLETS) or text.endswith(BULLETS) else " | ") + part
    return text


def _continues_row(row: list[Paragraph], para: Paragraph) -> bool:
    """A paragraph after a row is more of its cells when the row has no cell
    separators of its own (a layout-aware reader joins wrapped cells already), it
    stands on the same page and the row stays short."""
    if not row or " | " in row[0].text or para.page != row[0].page:
        return False
    return sum(len(p.text.split()) for p in row) + len(para.text.split()) <= MAX_ROW_WORDS


def _scan_table(paras: Sequence[Paragraph], i: int) -> tuple[list[Paragraph], int]:
    """Paragraphs of the table starting at header `i`, and the index after it."""
    out: list[Paragraph] = []
    row: list[Paragraph] = []

    def flush() -> None:
        if row:
            text = _join_row([p.text for p in row])
            out.append(replace(row[0], text=text, is_table_row=True, is_heading=False))
            row.clear()

    j = i
    while j < len(paras):
        text = paras[j].text
        if _table_header(paras, j, paras[i].text):
            flush()
            out.append(replace(paras[j], is_table_row=True, is_heading=True))
        elif row_key(text) is not None:
            flush()
            row.append(paras[j])
        elif numbered_level(text) is not None or paras[j].is_heading:
            break
        elif _continues_row(row, paras[j]):
            row.append(paras[j])
        else:
            break
        j += 1
    flush()
    return out, j


def mark_tables(paras: Sequence[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    i = 0
    while i < len(paras):
        if _table_header(paras, i):
            table, end = _scan_table(paras, i)
            if sum(1 for p in table if not p.is_heading) >= MIN_TABLE_ROWS:
                out += table
                i = end
                continue
        out.append(paras[i])
        i += 1
    return out


def _completes_name(heading: str, following: str) -> int:
    """How many leading words of `following` complete a region/municipality name
    begun in `heading` (`7 Region Jämtland` + `Härjedalen …` → 1), else 0."""
    words = following.split()
    for n in (3, 2, 1):
        if len(words) < n:
            continue
        joined = f"{heading} {' '.join(words[:n])}"
        for m in mentions(joined):
            if m.label in (REGION, MUNICIPALITY) and m.start < len(heading) < m.end == len(joined):
                return n
    return 0


def _fix_heading_text(text: str) -> str:
    text = " ".join(text.split()).lstrip("#").strip()  # Markdown "## Bidrag"
    return SPLIT_CAPITAL_RE.sub(r"\1\2", text)


def join_split_headings(paras: Sequence[Paragraph]) -> list[Paragraph]:
    """Numbered headings broken over two paragraphs (`19 V ästra` +
    `Götalandsregionen Västra Götalandsregionen ansvarar …`) joined again."""
    out: list[Paragraph] = []
    i = 0
    while i < len(paras):
        para = paras[i]
        if numbered_level(para.text) is not None and i + 1 < len(paras):
            heading = _fix_heading_text(para.text)
            nxt = paras[i + 1].text
            n = _completes_name(heading, nxt)
            if n:
                words = nxt.split()
                out.append(replace(para, text=f"{heading} {' '.join(words[:n])}"))
                rest = " ".join(words[n:])
                if rest:
                    out.append(replace(paras[i + 1], text=rest))
                i += 2
                continue
        out.append(para)
        i += 1
    return out


def _is_body(text: str) -> bool:
    return not is_heading_candidate(text)


def _continues_fragment(prev: Paragraph | None) -> bool:
    """A paragraph after a short unfinished fragment (`Svenska Healthy` /
    `Cities nätverket`) is the rest of a broken line, not a heading."""
    if prev is None:
        return False
    return (
        not prev.is_heading
        and len(prev.text.split()) <= 5
        and not prev.text.endswith((".", "!", "?", ":"))
        and numbered_level(prev.text) is None
    )


ACRONYM_ENTRY_RE = re.compile(r"^[A-ZÅÄÖ]{2,}(?:-[A-ZÅÄÖ]+)?\s+[A-ZÅÄÖ]")
GLOSSARY_WINDOW = 8
GLOSSARY_ENTRIES = 3


def _in_glossary(paras: Sequence[Paragraph], i: int) -> bool:
    """Paragraph `i` is followed by entries of a list of abbreviations (`DHR
    Delaktighet …`, `FIA Funktionsnedsatta …`): a term of that list, not a heading."""
    window = paras[i + 1 : i + 1 + GLOSSARY_WINDOW]
    return sum(1 for p in window if ACRONYM_ENTRY_RE.match(p.text)) >= GLOSSARY_ENTRIES


SIGNATURE_RE = re.compile(r", [A-ZÅÄÖ][a-zåäöé]+ [A-ZÅÄÖ]")  # "Vid anteckningarna, Anna Ek"
QUOTE_LINES = 2


def _after_quote(paras: Sequence[Paragraph], i: int) -> bool:
    """Paragraph `i` follows a run of short sentences that are not list items (a
    quotation): it is the attribution (`Nelson Mandela`), not a heading."""
    before = paras[max(0, i - QUOTE_LINES) : i]
    return len(before) == QUOTE_LINES and all(
        len(p.text.split()) <= 12 and p.text.endswith((".", "!", "?", "”", '"'))
        and not p.text.startswith(BULLETS) and not p.is_heading
        for p in before
    )


def _unnumbered_kind(
    paras: Sequence[Paragraph], i: int, chapter: tuple[int, str], prev: Paragraph | None
) -> str | None:
    """"leaf" for a heading followed by body text, "group" for one followed by a
    leaf heading (`Aktörer` / `Föreningsliv och folkbildning` / text), else None."""
    text = paras[i].text
    if paras[i].is_table_row or not _heading_shape(text) or len(text.split()) > 10:
        return None
    if prev is not None and prev.section and _continues_fragment(prev):
        return None
    if heading_key(text) in heading_key(chapter[1]):  # a side label repeating the chapter
        return None
    if SIGNATURE_RE.search(text) or _after_quote(paras, i):
        return None
    nxt = paras[i + 1] if i + 1 < len(paras) else None
    if nxt is None or nxt.is_table_row:
        return None
    if _is_body(nxt.text):
        if len(nxt.text.split()) < 3 or URL_RE.search(nxt.text.split()[0]):
            return None  # `Mer information` + a link: a label, not a section
        return None if _in_glossary(paras, i) else "leaf"
    if numbered_level(nxt.text) is None and _unnumbered_kind(paras, i + 1, chapter, None) == "leaf":
        return "group"
    return None


RECURRING = 3  # an unnumbered heading seen this often is a standard sub-section


def recurring_headings(paras: Sequence[Paragraph]) -> frozenset[str]:
    """Keys of unnumbered headings that recur (`Stöd till det civila samhället` in
    every region chapter): they form the level below the chapters; other unnumbered
    headings nest under them."""
    counts: dict[str, int] = {}
    for i in range(len(paras)):
        if _unnumbered_kind(paras, i, (0, ""), None):
            key = heading_key(paras[i].text)
            counts[key] = counts.get(key, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= RECURRING)


@dataclass
class _Outline:
    """Where the walk through a document stands."""

    stack: list[tuple[int, str, bool]]  # (level, title, numbered)
    recurring: frozenset[str]
    in_recurring: bool = False  # under a recurring sub-heading of the chapter
    grouped: bool = False  # under a group heading (one followed directly by a heading)

    def chapter(self) -> tuple[int, str]:
        numbered = [(lvl, t) for lvl, t, num in self.stack if num]
        return numbered[-1] if numbered else (0, "")

    def level(self, text: str, kind: str) -> int:
        base = self.chapter()[0] + 1
        if heading_key(text) in self.recurring:
            self.in_recurring, self.grouped = True, False
            return base
        level = base + int(self.in_recurring) + int(kind == "leaf" and self.grouped)
        self.grouped = kind == "group" or (self.grouped and kind == "leaf")
        return level

    def push(self, level: int, title: str, numbered: bool) -> tuple[str, ...]:
        """The path after heading `title`; a heading repeating one above it (a
        running title such as `Bilaga X` seen again at another level) returns to
        that heading instead of nesting it under itself."""
        if numbered:
            self.in_recurring = self.grouped = False
        keys = [heading_key(t) for _lvl, t, _n in self.stack]
        if heading_key(title) in keys:
            del self.stack[keys.index(heading_key(title)) + 1 :]
            return self.section()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title, numbered))
        return self.section()

    def section(self) -> tuple[str, ...]:
        return tuple(t for _lvl, t, _n in self.stack)


def heading_kind(
    paras: Sequence[Paragraph], i: int, hints: dict[str, int], outline: _Outline,
    prev: Paragraph | None,
) -> tuple[int, bool] | None:
    """(level, numbered) of paragraph `i` as a heading, or None when it is body text."""
    para = paras[i]
    if para.is_table_row:
        return None
    hinted = hints.get(heading_key(para.text))
    if hinted is not None:
        return hinted, False
    level = numbered_level(para.text)
    if level is not None:
        return level, True
    kind = _unnumbered_kind(paras, i, outline.chapter(), prev)
    if kind is None:
        return None
    return outline.level(para.text, kind), False


def structure(
    paragraphs: Iterable[Paragraph], hints: dict[str, int] | None = None
) -> list[Paragraph]:
    """Paragraphs with `is_heading`, `is_table_row` and `section` set."""
    hints = hints or {}
    paras = mark_tables(join_split_headings(list(paragraphs)))
    outline = _Outline([], recurring_headings(paras))
    out: list[Paragraph] = []
    for i, para in enumerate(paras):
        found = heading_kind(paras, i, hints, outline, out[-1] if out else None)
        if found is not None:
            title = _fix_heading_text(para.text)
            section = outline.push(found[0], title, found[1])
            out.append(replace(para, text=title, is_heading=True, section=section))
        else:
            out.append(replace(para, section=outline.section()))
    return out
