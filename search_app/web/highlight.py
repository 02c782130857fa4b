"""Highlight markup for the pages, made by the one highlighter (`index.model.Marked`):
text is escaped first, then only `<mark>` is added around spans. `marked_html`
renders a snippet the index made; `mark_terms` and `mark_span` find the spans
in plain text themselves.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from index.model import Marked

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    "och att det som en ett i på av för med till är om de den har inte vilka vilken vilket "
    "vad hur var när vem varför kan ska the of and in to a is what which how".split()
)


def marked_html(marked: Marked) -> Markup:
    """Escaped text with `<mark>` around the spans (Jinja's escaping)."""
    return Markup(marked.render("<mark>", "</mark>", lambda s: str(escape(s))))


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
    return marked_html(Marked(text, tuple(m.span() for m in pattern.finditer(text))))


def mark_span(text: str, span: str) -> Markup:
    """Escape `text` and mark the first case-insensitive occurrence of `span`."""
    if not span:
        return escape(text)
    at = text.lower().find(span.lower())
    return marked_html(Marked(text, () if at < 0 else ((at, at + len(span)),)))
