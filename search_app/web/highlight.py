"""Safe highlight markup: text is escaped first, then only `<mark>` is added.

`safe_marks` re-parses snippet HTML from the index and keeps nothing but text
and `<mark>` elements, so even a snippet built from a document containing
`<script>` can only ever render as text. `mark_terms` and `mark_span` build
the markup themselves from plain text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markupsafe import Markup, escape

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    "och att det som en ett i på av för med till är om de den har inte vilka vilken vilket "
    "vad hur var när vem varför kan ska the of and in to a is what which how".split()
)


class _MarkOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.depth += 1
            self.out.append("<mark>")

    def handle_endtag(self, tag):
        if tag == "mark" and self.depth:
            self.depth -= 1
            self.out.append("</mark>")

    def handle_data(self, data):
        self.out.append(str(escape(data)))

    def result(self) -> str:
        return "".join(self.out) + "</mark>" * self.depth


def safe_marks(html: str) -> Markup:
    """Snippet HTML reduced to escaped text plus balanced `<mark>` elements."""
    parser = _MarkOnly()
    parser.feed(html)
    parser.close()
    return Markup(parser.result())


def query_terms(query: str) -> tuple[str, ...]:
    """Content words of a query, lower-cased, for highlighting."""
    words = (w.lower() for w in _WORD.findall(query))
    return tuple(dict.fromkeys(w for w in words if len(w) > 1 and w not in _STOP))


def mark_terms(text: str, terms: tuple[str, ...]) -> Markup:
    """Escape `text`, then mark words that start with a query term (prefix,
    so "region" also marks "regionerna")."""
    if not terms:
        return escape(text)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\w*",
        re.IGNORECASE,
    )
    return _mark_matches(text, [m.span() for m in pattern.finditer(text)])


def mark_span(text: str, span: str) -> Markup:
    """Escape `text` and mark the first case-insensitive occurrence of `span`."""
    if not span:
        return escape(text)
    at = text.lower().find(span.lower())
    return _mark_matches(text, [] if at < 0 else [(at, at + len(span))])


def _mark_matches(text: str, spans: list[tuple[int, int]]) -> Markup:
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out += [str(escape(text[pos:start])), "<mark>", str(escape(text[start:end])), "</mark>"]
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
