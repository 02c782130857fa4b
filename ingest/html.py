"""HTML (a region's web page) → one page of its main text.

Navigation, site header and footer, sidebars, cookie banners, scripts and forms
are dropped; the `<main>` element (or `role=main`, or a lone `<article>`) is read
when there is one, else the body. Headings become blocks with `heading_level`,
paragraphs and list items one block each, table rows one block with the cells
joined by " | ".
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.model import Block, Page
from ingest.textfile import decode

DROP_TAGS = {"script", "style", "noscript", "template", "nav", "aside", "form", "iframe",
             "svg", "button", "select", "dialog", "head"}
DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}
BOILERPLATE = re.compile(
    r"cookie|consent|gdpr|breadcrumb|navbar|navigation|\bmenu|sidebar|skip-?link|"
    r"share|social|newsletter|popup|modal", re.IGNORECASE)
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCK_TAGS = {"p", "li", "blockquote", "pre", "dt", "dd", "figcaption", "address", "caption",
              "div", "section", "article", "main", "ul", "ol", "dl", "table", "header",
              "footer", "figure", "details", "summary", "tr", "td", "th", "tbody", "thead",
              "br", "hr", *HEADINGS}


def read_html(path: Path, params: object = None) -> list[Page]:
    return [Page(number=1, blocks=tuple(html_blocks(path.read_bytes())))]


def html_blocks(markup: bytes | str) -> list[Block]:
    from bs4 import BeautifulSoup
    from bs4.dammit import EncodingDetector

    if isinstance(markup, bytes):
        declared = EncodingDetector.find_declared_encoding(markup, is_html=True)
        soup = BeautifulSoup(markup, "lxml", from_encoding=declared) if declared \
            else BeautifulSoup(decode(markup), "lxml")
    else:
        soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(_is_boilerplate):
        if not tag.decomposed:
            tag.decompose()
    root = _main(soup)
    out: list[Block] = []
    if root is not None:
        _walk(root, out)
    return out


def _is_boilerplate(tag) -> bool:
    if tag.name in DROP_TAGS:
        return True
    if tag.name in {"header", "footer"} and tag.find_parent(["main", "article"]) is None:
        return True
    if tag.get("role") in DROP_ROLES or tag.get("aria-modal") == "true":
        return True
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(names.strip()) and bool(BOILERPLATE.search(names))


def _main(soup):
    for found in (soup.find("main"), soup.find(attrs={"role": "main"})):
        if found is not None:
            return found
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    return soup.body or soup


def _walk(element, out: list[Block]) -> None:
    """Emit the element's blocks in document order."""
    if element.name in HEADINGS:
        _emit(out, element.get_text(" "), heading_level=HEADINGS[element.name])
        return
    if element.name == "table":
        for row in element.find_all("tr"):
            if row.find_parent("table") is element:
                cells = [_squash(c.get_text(" ")) for c in row.find_all(["td", "th"])]
                _emit(out, " | ".join(c for c in cells if c))
        return
    if not any(getattr(d, "name", None) in BLOCK_TAGS for d in element.descendants):
        _emit(out, element.get_text(" "))
        return
    inline: list[str] = []
    for child in element.children:
        if getattr(child, "name", None) in BLOCK_TAGS:
            _emit(out, " ".join(inline))
            inline = []
            _walk(child, out)
        elif getattr(child, "name", None) is not None:
            inline.append(child.get_text(" "))
        elif type(child).__name__ == "NavigableString":
            inline.append(str(child))
    _emit(out, " ".join(inline))


def _emit(out: list[Block], text: str, heading_level: int | None = None) -> None:
    text = _squash(text)
    if text:
        out.append(Block(text, heading_level=heading_level))


def _squash(text: str) -> str:
    return " ".join(text.split())
