"""Snippets with matched terms in <mark>: the text is HTML-escaped piece by
piece and the marks are added around escaped pieces, so document text can
never inject markup."""

from __future__ import annotations

from html import escape

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


def snippet_html(text: str, terms: frozenset[str], analyzer, width: int = WINDOW) -> str:
    spans = match_spans(text, terms, analyzer)
    start, end = _window(text, spans, width)
    out = ["…" if start > 0 else ""]
    pos = start
    for a, b in spans:
        if a < pos or b > end:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    out.append("…" if end < len(text) else "")
    return " ".join("".join(out).split())
