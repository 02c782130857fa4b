"""Page furniture in text files: page numbers, running headers, side labels.

Text extracted from a PDF has no page breaks, but leaves traces of them:

* page-number lines: `16 |` (left page), `| 25` (right page), a bare ` 8 `, or a
  running header ending in `3 (5)` (page 3 of 5);
* the extractor starts each page's text with one or two spaces (` Region`), and pages
  often end in a run of three or more blank lines;
* side labels printed in the margin of every page, broken over short lines:
  `Region\\nBlekinge`, ` Samman-\\nfattning`.

`strip_text_furniture` removes the page numbers, headers and side labels and
gives every remaining line a page number by this rule (docs/cleaning.md):

1. A page starts at the first line, after a page-number line that ends a page,
   at a line beginning with one or two spaces, and after three or more blank lines
   (several such signals with no text between make one break).
2. A page number seen on a page names that page (`16 |` → 16, `3 (5)` → 3).
3. Pages after a numbered page count forward from it, pages before the first
   numbered page count backward from it (never below 1), and counting never
   reaches the next seen number (pictures without text leave no trace).
4. Without any page number, pages are counted from 1.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

FOOTER_LEFT = re.compile(r"^\s*(\d{1,3})\s+\|\s*$")  # `16 |`
FOOTER_RIGHT = re.compile(r"^\s*\|\s+(\d{1,3})\s*$")  # `| 25`
BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")  # ` 8 `
HEADER_OF = re.compile(r"^(?=.*[A-ZÅÄÖ]{3}).*\s(\d{1,3})\s*\((\d{1,3})\)\s*$")  # `... 3 (5)`
PAGE_BREAK_BLANKS = 3
LABEL_MAX_WORDS = 3
LABEL_LINE_WORDS = 2


@dataclass(frozen=True)
class Line:
    """One line of a text file: stripped text ("" for blank), its page, and
    whether a page break comes right before it."""

    text: str
    page: int = 1
    page_start: bool = False
    heading_level: int | None = None  # from readers that know (html, docx)


def page_number(text: str, prev_blank: bool = True, next_blank: bool = True) -> int | None:
    """The page number a furniture line states, or None for an ordinary line.
    A bare number counts only as a line of its own between blank lines."""
    for pattern in (FOOTER_LEFT, FOOTER_RIGHT, HEADER_OF):
        match = pattern.match(text)
        if match:
            return int(match.group(1))
    match = BARE_NUMBER.match(text)
    if match and prev_blank and next_blank and int(match.group(1)) > 0:
        return int(match.group(1))
    return None


def _is_header_label(text: str) -> bool:
    """Field labels printed with a running header (`Datum Diarienummer`)."""
    words = text.split()
    return 0 < len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words)


def _is_label_line(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= LABEL_LINE_WORDS
        and not any(ch.isdigit() for ch in text)
        and not any(ch in text for ch in ".,:;!?()/•")
    )


def _join_label(texts: list[str]) -> str:
    out = ""
    for text in texts:
        out = out[:-1] + text if out.endswith("-") else f"{out} {text}".strip()
    return out


@dataclass(frozen=True)
class _Marked:
    text: str
    raw_indent: bool
    number: int | None = None  # page number stated by this (removed) line
    removed: bool = False


def _mark_numbers(raw: list[str]) -> list[_Marked]:
    out = []
    for i, line in enumerate(raw):
        text = line.strip()
        prev_blank = i == 0 or not raw[i - 1].strip()
        next_blank = i + 1 == len(raw) or not raw[i + 1].strip()
        number = page_number(text, prev_blank, next_blank) if text else None
        indent = line.startswith(" ") and not line.startswith("   ") and bool(text)
        out.append(_Marked(text, indent, number, number is not None))
    # header field labels next to a running header (`Datum Diarienummer` above `... 3 (5)`)
    for i, m in enumerate(out):
        if m.number is not None and HEADER_OF.match(m.text):
            for j in (i - 1, i - 2, i + 1, i + 2):
                if 0 <= j < len(out) and _is_header_label(out[j].text):
                    out[j] = _Marked(out[j].text, out[j].raw_indent, None, True)
    return out


def _double_spaced(raw: list[str]) -> bool:
    texts = [i for i, line in enumerate(raw[:-2]) if line.strip()]
    pairs = sum(1 for i in texts if not raw[i + 1].strip() and raw[i + 2].strip())
    return len(texts) >= 10 and pairs / len(texts) >= 0.5


def _breaks(marked: list[_Marked], break_blanks: int = PAGE_BREAK_BLANKS) -> list[bool]:
    """For each line, whether a page break comes right before it."""
    starts = [False] * len(marked)
    pending = False
    blanks = 0
    text_since_break = False
    for i, m in enumerate(marked):
        if not m.text:
            blanks += 1
            continue
        if (blanks >= break_blanks or m.raw_indent or pending) and text_since_break:
            starts[i] = True
            text_since_break = False
        pending = False
        blanks = 0
        if m.number is not None and not m.raw_indent and not HEADER_OF.match(m.text):
            pending = True  # a footer ends its page
        text_since_break = text_since_break or not m.removed
    return starts


def _blocks(marked: list[_Marked], starts: list[bool]) -> list[list[int]]:
    """Runs of text lines between blank lines or page breaks (removed lines skipped)."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for i, m in enumerate(marked):
        if not m.text or starts[i]:
            if current:
                blocks.append(current)
            current = []
        if m.text and not m.removed:
            current.append(i)
    if current:
        blocks.append(current)
    return blocks


def _label_runs(marked: list[_Marked], starts: list[bool]) -> list[list[int]]:
    """Consecutive blocks of short lines, at most three words together, two lines or more."""
    runs: list[list[int]] = []
    run: list[int] = []
    words = 0
    for block in _blocks(marked, starts):
        n = sum(len(marked[k].text.split()) for k in block)
        is_label = all(_is_label_line(marked[k].text) for k in block)
        if is_label and words + n <= LABEL_MAX_WORDS and not (run and starts[block[0]]):
            run += block
            words += n
            continue
        if len(run) >= 2:
            runs.append(run)
        run, words = (list(block), n) if is_label and n <= LABEL_MAX_WORDS else ([], 0)
    if len(run) >= 2:
        runs.append(run)
    return runs


def _side_labels(marked: list[_Marked], starts: list[bool]) -> set[int]:
    """Indexes of side-label lines: a run of short lines standing alone (blank
    lines or a page break around it), at most three words together, whose text
    recurs as a label, or for two words or more twice in the file
    (`Region / Blekinge`, `Samman- / fattning`)."""
    runs = _label_runs(marked, starts)
    labels = Counter(_join_label([marked[k].text for k in run]).lower() for run in runs)
    body = " ".join(m.text for m in marked if not m.removed).lower()
    out: set[int] = set()
    for run in runs:
        label = _join_label([marked[k].text for k in run]).lower()
        # one word (`Samman-`/`fattning`) must recur as a label: a lone broken
        # word is more likely a heading (`Självständ-`/`ighet`)
        if labels[label] >= 2 or (" " in label and body.count(label) >= 2):
            out.update(run)
    return out


def number_pages(starts: list[bool], numbers: dict[int, int]) -> list[int]:
    """Page numbers of page segments: `starts` marks the first line of each new
    segment, `numbers` maps a line index to the page number stated there."""
    segment_of = []
    seg = 0
    for i, start in enumerate(starts):
        if start and i > 0:
            seg += 1
        segment_of.append(seg)
    count = seg + 1
    anchors: dict[int, int] = {}
    for line, number in sorted(numbers.items()):
        anchors.setdefault(segment_of[line], number)
    pages = [0] * count
    if not anchors:
        return [segment_of[i] + 1 for i in range(len(starts))]
    ordered = sorted(anchors.items())
    first_seg, first_num = ordered[0]
    for s in range(first_seg):
        pages[s] = max(1, first_num - (first_seg - s))
    for n, (seg_a, num_a) in enumerate(ordered):
        next_num = ordered[n + 1][1] if n + 1 < len(ordered) else None
        next_seg = ordered[n + 1][0] if n + 1 < len(ordered) else count
        pages[seg_a] = num_a
        for s in range(seg_a + 1, next_seg):
            guess = num_a + (s - seg_a)
            pages[s] = min(guess, next_num - 1) if next_num is not None else guess
            pages[s] = max(pages[s], num_a)
    return [pages[segment_of[i]] for i in range(len(starts))]


def strip_text_furniture(raw: list[str]) -> tuple[list[Line], list[str]]:
    """Raw lines of a text file → lines without furniture, each with its page;
    and the removed lines, for the report."""
    marked = _mark_numbers(raw)
    # double-spaced text doubles every blank run
    starts = _breaks(marked, 2 * PAGE_BREAK_BLANKS if _double_spaced(raw) else PAGE_BREAK_BLANKS)
    labels = _side_labels(marked, starts)
    numbers = {i: m.number for i, m in enumerate(marked) if m.number is not None}
    pages = number_pages(starts, numbers)
    lines: list[Line] = []
    removed: list[str] = []
    for i, m in enumerate(marked):
        if m.removed or i in labels:
            removed.append(m.text)
            continue
        lines.append(Line(m.text, pages[i], starts[i]))
    return lines, removed
