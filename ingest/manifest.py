"""Document metadata: `corpus/manifest.toml` for shipped files, inferred for the rest.

The manifest has one table per file name (`["name.pdf"]`) with `title`,
`publisher`, `date` (ISO date, year-month or ""), `year` and `kind` (handbook,
position, minutes, action plan, appendix). A file without an entry gets a title
from its first heading (or first line), a year from its text (the latest full
date, else the most frequent plausible year) and kind "okänd".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ingest.model import DocMeta, Paragraph

MANIFEST_NAME = "manifest.toml"
UNKNOWN_KIND = "okänd"
KINDS = ("handbook", "position", "minutes", "action plan", "appendix", UNKNOWN_KIND)
YEAR_RE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)")
MAX_TITLE_CHARS = 160
MAX_TITLE_WORDS = 15


class ManifestError(ValueError):
    """A manifest that cannot be read; the message says where (in Swedish)."""


def slug(stem: str) -> str:
    """A stable, lower-case, ascii-safe id from a file stem ("Region Värmland 2024" →
    "region-varmland-2024")."""
    folded = unicodedata.normalize("NFKD", stem.casefold())
    ascii_text = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "dokument"


def doc_id_for(path: Path) -> str:
    return slug(path.stem)


def load_manifest(corpus_dir: Path) -> dict[str, dict]:
    """File name → manifest entry; {} when the folder has no manifest."""
    path = corpus_dir / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: manifestet kan inte läsas ({exc})") from exc
    entries = {name: entry for name, entry in data.items() if isinstance(entry, dict)}
    for name, entry in entries.items():
        if entry.get("kind", UNKNOWN_KIND) not in KINDS:
            raise ManifestError(f"{path}: okänd dokumenttyp {entry['kind']!r} för {name}")
    return entries


def manifest_entry(path: Path) -> dict | None:
    """The entry for `path` in the manifest of its own folder, if any."""
    return load_manifest(path.parent).get(path.name)


def meta_from_entry(path: Path, entry: dict, sha256: str = "") -> DocMeta:
    date_text = str(entry.get("date", "") or "")
    year = entry.get("year")
    if year is None and date_text[:4].isdigit():
        year = int(date_text[:4])
    return DocMeta(
        doc_id=str(entry.get("id") or doc_id_for(path)),
        source=str(path),
        title=str(entry.get("title") or path.stem),
        publisher=str(entry.get("publisher", "")),
        date=date_text,
        year=int(year) if year is not None else None,
        kind=str(entry.get("kind", UNKNOWN_KIND)),
        sha256=sha256,
    )


def infer_title(path: Path, paragraphs: Sequence[Paragraph]) -> str:
    """The first heading; else a short first paragraph; else the file name."""
    for para in paragraphs:
        if para.is_heading and not para.is_table_row:
            return para.text[:MAX_TITLE_CHARS]
    first = next((p.text.strip() for p in paragraphs if p.text.strip()), "")
    if first and len(first.split()) <= MAX_TITLE_WORDS:
        return first[:MAX_TITLE_CHARS]
    return re.sub(r"[-_]+", " ", path.stem).strip() or path.name


def infer_year(text: str, this_year: int | None = None) -> tuple[int | None, str]:
    """(year, date): the latest full ISO date when there is one, else the most
    frequent plausible year (ties: the latest); (None, "") when none is found."""
    limit = (this_year or date.today().year) + 1
    dates = sorted(
        m.group(0) for m in DATE_RE.finditer(text) if int(m.group(1)) <= limit
    )
    if dates:
        return int(dates[-1][:4]), dates[-1]
    years = Counter(int(y) for y in YEAR_RE.findall(text) if int(y) <= limit)
    if not years:
        return None, ""
    best = max(years.items(), key=lambda item: (item[1], item[0]))[0]
    return best, ""


def infer_meta(path: Path, paragraphs: Sequence[Paragraph], sha256: str = "") -> DocMeta:
    year, date_text = infer_year("\n".join(p.text for p in paragraphs))
    return DocMeta(
        doc_id=doc_id_for(path),
        source=str(path),
        title=infer_title(path, paragraphs),
        date=date_text,
        year=year,
        kind=UNKNOWN_KIND,
        sha256=sha256,
    )
