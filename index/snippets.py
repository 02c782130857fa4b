"""Snippets: a window of a chunk's text around the matched terms, as `Marked`
(text + spans; `Marked.html()` escapes the text and adds only `<mark>`)."""

from __future__ import annotations

from index.model import Marked

WINDOW = 260  # characters of a snippet


def match_spans(text: str, terms: frozenset[str], analyzer) -> list[tuple[int, int]]:
    """Character spans of the tokens whose analysed term is one of `terms`."""
    if not terms:
        return []
    spans = set()
    for t in analyzer(text, mode="index", chars=True, removestops=True):
        if t.text in terms:
            spans.add((t.startchar, t.endchar))
    return sorted(spans)


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    if len(text) <= width:
        return 0, len(text)
    if not spans:
        start = 0
    else:
        best, start = -1, spans[0][0]
        for s, _ in spans:
            count = sum(1 for a, b in spans if s <= a and b <= s + width)
            if count > best:
                best, start = count, s
        start = max(0, start - width // 4)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _squeeze(text: str, spans: list[tuple[int, int]]) -> Marked:
    """Whitespace runs become one space, ends stripped (as `" ".join(text.split())`),
    spans moved with the text (a span never starts or ends in whitespace)."""
    out: list[str] = []
    at: list[int] = []  # new offset of each old offset
    for ch in text:
        at.append(len(out))
        if not ch.isspace():
            out.append(ch)
        elif out and out[-1] != " ":
            out.append(" ")
    at.append(len(out))
    squeezed = "".join(out)
    stripped = squeezed.rstrip(" ")
    return Marked(stripped, tuple((at[a], at[b]) for a, b in spans))


def snippet(text: str, terms: frozenset[str], analyzer, width: int = WINDOW) -> Marked:
    """The best window of `text` with the tokens matching `terms` marked;
    "…" where text was cut."""
    spans = match_spans(text, terms, analyzer)
    start, end = _window(text, spans, width)
    head = "…" if start > 0 else ""
    kept, pos = [], start
    for a, b in spans:
        if a < pos or b > end:
            continue
        kept.append((a - start + len(head), b - start + len(head)))
        pos = b
    return _squeeze(head + text[start:end] + ("…" if end < len(text) else ""), kept)


def snippet_html(text: str, terms: frozenset[str], analyzer, width: int = WINDOW) -> str:
    return snippet(text, terms, analyzer, width).html()
