"""Text repair: an ordered tuple of small `str -> str` steps.

(First version: Unicode normalisation and paragraph joining only; the Swedish
repairs land in later commits.)
"""

from __future__ import annotations

import unicodedata

from ingest.model import CleanReport, Page, Paragraph


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u00ad", "")


def clean_pages(pages: list[Page], report: CleanReport | None = None) -> list[Paragraph]:
    """Pages of raw blocks → cleaned paragraphs, each with its page number."""
    paragraphs: list[Paragraph] = []
    for page in pages:
        lines: list[str] = []
        for block in page.blocks:
            for line in normalize(block.text).split("\n"):
                if line.strip():
                    lines.append(line.strip())
                elif lines:
                    paragraphs.append(Paragraph(" ".join(lines), page.number))
                    lines = []
        if lines:
            paragraphs.append(Paragraph(" ".join(lines), page.number))
    return paragraphs
