"""The chunk store: `KB_HOME/store/<doc_id>.json`, one file per document.

Each file holds the document's metadata, its paragraphs (the document view),
its chunks, the sha256 of the source file's bytes and a fingerprint of what
produced it (ingest code, data files and parameters). `sync()` re-ingests only
files whose bytes or fingerprint changed and removes documents whose files
disappeared from the synced folders. Writes are atomic (temp file + os.replace).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ingest.manifest import doc_id_for, manifest_entry, meta_from_entry
from ingest.model import Block, Chunk, CleanReport, DocMeta, Document, Page, Repair
from ingest.pipeline import (
    IngestParams,
    IngestResult,
    Progress,
    expand_paths,
    file_sha256,
    ingest_paths,
)

FORMAT = 1
STORE_DIR = "store"


@dataclass(frozen=True)
class StoreChanges:
    added: list[str] = field(default_factory=list)  # doc ids
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)
    results: list[IngestResult] = field(default_factory=list)  # what was (re)ingested

    def summary(self) -> str:
        lines = [
            f"{len(self.added)} tillagda, {len(self.changed)} ändrade, "
            f"{len(self.removed)} borttagna, {len(self.unchanged)} oförändrade, "
            f"{len(self.errors)} överhoppade."
        ]
        for label, ids in (("tillagd", self.added), ("ändrad", self.changed),
                           ("borttagen", self.removed)):
            lines += [f"  {label}: {doc_id}" for doc_id in ids]
        lines += [f"  hoppade över {path}: {message}" for path, message in self.errors]
        return "\n".join(lines)


@cache
def code_fingerprint() -> str:
    """Digest of the ingest package's code and data: a change re-ingests everything."""
    digest = hashlib.sha256()
    root = resources.files("ingest")
    for item in sorted(_walk(root), key=str):
        digest.update(str(item).encode())
        digest.update(item.read_bytes())
    return digest.hexdigest()


def _walk(folder) -> Iterator:
    for item in folder.iterdir():
        if item.name == "__pycache__":
            continue
        if item.is_dir():
            yield from _walk(item)
        elif item.name.endswith((".py", ".txt", ".tsv", ".json")):
            yield item


def fingerprint(params: IngestParams, meta: DocMeta) -> str:
    text = f"{FORMAT}\x00{code_fingerprint()}\x00{params!r}\x00{meta!r}"
    return hashlib.sha256(text.encode()).hexdigest()


def record_of(result: IngestResult, fp: str) -> dict:
    doc = result.document
    return {
        "format": FORMAT,
        "path": str(Path(doc.meta.source).resolve()),
        "sha256": doc.meta.sha256,
        "fingerprint": fp,
        **doc.to_dict(),
        "chunks": [c.to_dict() for c in result.chunks],
        "report": {
            "repairs": [dataclasses.asdict(r) for r in result.report.repairs],
            "removed_lines": list(result.report.removed_lines),
        },
    }


def report_of(record: dict) -> CleanReport:
    data = record.get("report", {})
    return CleanReport(
        [Repair(**r) for r in data.get("repairs", [])], list(data.get("removed_lines", []))
    )


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _within(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


class ChunkStore:
    """Documents and chunks under `home/store`, one JSON file per document."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self.dir = self.home / STORE_DIR

    def _path(self, doc_id: str) -> Path:
        return self.dir / f"{doc_id}.json"

    def doc_ids(self) -> list[str]:
        if not self.dir.is_dir():
            return []
        return sorted(p.stem for p in self.dir.glob("*.json"))

    def record(self, doc_id: str) -> dict | None:
        """The stored JSON of a document; None when missing, unreadable or of another
        store format (`sync` then ingests the file again)."""
        path = self._path(doc_id)
        try:
            record = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and record.get("format") == FORMAT else None

    def records(self) -> Iterator[dict]:
        for doc_id in self.doc_ids():
            record = self.record(doc_id)
            if record is not None:
                yield record

    def put(self, result: IngestResult, fp: str) -> None:
        record = json.dumps(record_of(result, fp), ensure_ascii=False)
        write_atomic(self._path(result.document.meta.doc_id), record)

    def remove(self, doc_id: str) -> bool:
        path = self._path(doc_id)
        existed = path.is_file()
        path.unlink(missing_ok=True)
        return existed

    def documents(self) -> list[Document]:
        return [Document.from_dict(r) for r in self.records()]

    def document(self, doc_id: str) -> Document | None:
        record = self.record(doc_id)
        return Document.from_dict(record) if record else None

    def report(self, doc_id: str) -> CleanReport | None:
        record = self.record(doc_id)
        return report_of(record) if record else None

    def chunks(self, doc_id: str | None = None) -> Iterator[Chunk]:
        records = [self.record(doc_id)] if doc_id else self.records()
        for record in records:
            if record:
                yield from (Chunk.from_dict(c) for c in record["chunks"])

    def sync(
        self,
        paths: Iterable[Path],
        params: IngestParams | None = None,
        progress: Progress | None = None,
    ) -> StoreChanges:
        """Bring the store in line with the files under `paths` (files or folders)."""
        params = params or IngestParams()
        paths = [Path(p) for p in paths]
        files = expand_paths(paths)
        stored = {r["meta"]["doc_id"]: r for r in self.records()}
        plan = self._plan(files, stored, params, progress)
        extra = [_pages_of(stored[i]) for i in plan.unchanged]
        batch = ingest_paths(plan.todo, params, progress, plan.metas, extra_vocab=extra)
        added, changed = [], []
        for result in batch.results:
            doc_id = result.document.meta.doc_id
            self.put(result, plan.prints[Path(result.document.meta.source)])
            (changed if doc_id in stored else added).append(doc_id)
        removed = self._remove_vanished(stored, plan.taken, files, paths)
        return StoreChanges(added, changed, removed, plan.unchanged, plan.errors + batch.errors,
                            batch.results)

    def _plan(
        self, files: list[Path], stored: dict, params: IngestParams, progress: Progress | None
    ) -> _Plan:
        """Which files need ingesting: new ones and those whose bytes or fingerprint changed."""
        plan = _Plan()
        by_path = {r["path"]: i for i, r in stored.items()}
        for path in files:
            if not path.is_file():
                plan.errors.append((path, "filen finns inte"))
                continue
            meta = _meta(path, by_path, stored, plan.taken)
            plan.taken.add(meta.doc_id)
            plan.metas[path], plan.prints[path] = meta, fingerprint(params, meta)
            old = stored.get(meta.doc_id)
            if old and old["sha256"] == meta.sha256 and old["fingerprint"] == plan.prints[path]:
                plan.unchanged.append(meta.doc_id)
                if progress:
                    progress(path)
            else:
                plan.todo.append(path)
        return plan

    def _remove_vanished(
        self, stored: dict, taken: set[str], files: list[Path], paths: list[Path]
    ) -> list[str]:
        """Documents whose files disappeared from the synced folders."""
        current = {str(p.resolve()) for p in files}
        folders = [p.resolve() for p in paths if p.is_dir()]
        removed = []
        for doc_id, record in stored.items():
            source = record["path"]
            if doc_id not in taken and source not in current and _within(Path(source), folders):
                self.remove(doc_id)
                removed.append(doc_id)
        return removed


@dataclass
class _Plan:
    metas: dict[Path, DocMeta] = field(default_factory=dict)
    prints: dict[Path, str] = field(default_factory=dict)
    todo: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)


def _meta(path: Path, by_path: dict[str, str], stored: dict, taken: set[str]) -> DocMeta:
    """Metadata with a doc id unique in the store: a file keeps the id it was stored
    under; a second file with the same stem gets its suffix appended (`plan-pdf`)."""
    sha = file_sha256(path)
    entry = manifest_entry(path)
    if entry is not None:
        meta = meta_from_entry(path, entry, sha)
    else:  # title "" = inferred from the text when ingested
        meta = DocMeta(doc_id=doc_id_for(path), source=str(path), title="", sha256=sha)
    doc_id = by_path.get(str(path.resolve()), meta.doc_id)
    other = stored.get(doc_id)
    in_use = other is not None and other["path"] != str(path.resolve()) and (
        Path(other["path"]).exists()
    )
    if doc_id in taken or in_use:
        doc_id = f"{doc_id}-{path.suffix.lstrip('.').lower() or 'fil'}"
    return dataclasses.replace(meta, doc_id=doc_id)


def _pages_of(record: dict) -> list[Page]:
    return [Page(1, tuple(Block(p["text"]) for p in record["paragraphs"]))]
