"""Format dispatch: one dict from file suffix to reader, the door a new format uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.model import Block, Page


class IngestError(Exception):
    """A file that cannot be ingested; the message names the file and says why (in Swedish)."""


def read_text(path: Path) -> list[Page]:
    """Plain text: one page per form feed, one block per line (cleaning needs the lines)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    pages = raw.split("\f")
    return [
        Page(number=i, blocks=tuple(Block(line) for line in text.split("\n")))
        for i, text in enumerate(pages, start=1)
    ]


READERS: dict[str, Callable[[Path], list[Page]]] = {
    ".txt": read_text,
    ".md": read_text,
}


def read_file(path: Path) -> list[Page]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(f"{path}: filformatet {path.suffix or '(inget)'} stöds inte")
    return reader(path)
