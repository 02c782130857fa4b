"""Plain text and Markdown → pages: one page per form feed, one block per line."""

from __future__ import annotations

from pathlib import Path

from ingest.model import Block, Page

ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252; never fails (replacement characters last)."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def read_text(path: Path, params: object = None) -> list[Page]:
    """One page per form feed, one block per line (cleaning needs the lines)."""
    text = decode(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    return [
        Page(number=i, blocks=tuple(Block(line) for line in chunk.split("\n")))
        for i, chunk in enumerate(text.split("\f"), start=1)
    ]
