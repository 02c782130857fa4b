"""One file end to end, and a batch in which a broken file is reported and skipped.

file ──read──▶ pages ──clean──▶ paragraphs ──structure──▶ Document ──chunk──▶ chunks
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.chunk import ChunkParams, chunk_document
from ingest.clean import batch_vocab, clean_pages
from ingest.manifest import infer_meta, manifest_entry, meta_from_entry
from ingest.model import Chunk, CleanReport, DocMeta, Document, Page
from ingest.readers import READERS, ExtractParams, IngestError, read_file_report
from ingest.structure import heading_hints, split_glued_headings, structure

# Files in a corpus folder that describe the corpus rather than belong to it.
SKIPPED_NAMES = ("manifest.toml", "sources.md", "readme.md", "readme.txt", "license")

Progress = Callable[[Path], None]


@dataclass(frozen=True)
class IngestParams:
    """Everything ingestion needs to know; built from `Settings` by the CLI."""

    chunk: ChunkParams = field(default_factory=ChunkParams)
    extract: ExtractParams = field(default_factory=ExtractParams)


@dataclass(frozen=True)
class IngestResult:
    document: Document
    chunks: list[Chunk]
    report: CleanReport


@dataclass(frozen=True)
class BatchResult:
    results: list[IngestResult]
    errors: list[tuple[Path, str]]

    def summary(self) -> str:
        return summarize(len(self.results), self.errors)


def summarize(ingested: int, errors: Sequence[tuple[Path, str]]) -> str:
    lines = [f"{ingested} dokument inlästa, {len(errors)} hoppades över."]
    lines += [f"  hoppade över {path}: {message}" for path, message in errors]
    return "\n".join(lines)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_corpus_file(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and not name.startswith((".", "~")) and name not in SKIPPED_NAMES


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as the files under them (sorted; hidden files and
    manifest/readme files left out). Unsupported suffixes are kept so that they
    are reported."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if is_corpus_file(p))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def read_pages(path: Path, params: IngestParams) -> tuple[list[Page], list[str]]:
    """The file's pages and the running header/footer lines the reader removed
    (PDFs, by position); `IngestError` naming the file when it cannot be read."""
    if not path.exists():
        raise IngestError(f"{path}: filen finns inte")
    if path.suffix.lower() not in READERS:
        raise IngestError(f"{path}: filformatet {path.suffix or '(inget)'} stöds inte")
    return read_file_report(path, params.extract)


def document_meta(path: Path, sha256: str, paragraphs) -> DocMeta:
    entry = manifest_entry(path)
    if entry is not None:
        return meta_from_entry(path, entry, sha256)
    return infer_meta(path, paragraphs, sha256)


def ingest_pages(
    path: Path,
    pages: list[Page],
    params: IngestParams,
    meta: DocMeta | None = None,
    vocab: Counter[str] | None = None,
    removed: Sequence[str] = (),
) -> IngestResult:
    report = CleanReport(removed_lines=list(removed))
    cleaned = clean_pages(split_glued_headings(pages), report, vocab=vocab)
    paragraphs = structure(cleaned, heading_hints(pages))
    if not any(p.text.strip() for p in paragraphs):
        hint = " (en skannad PDF utan textlager?)" if path.suffix.lower() == ".pdf" else ""
        raise IngestError(f"{path}: ingen text hittades{hint}")
    if meta is None or not meta.title:  # no manifest entry: inferred from the text
        inferred = document_meta(path, meta.sha256 if meta else file_sha256(path), paragraphs)
        meta = inferred if meta is None else replace(inferred, doc_id=meta.doc_id)
    if not meta.sha256:
        meta = replace(meta, sha256=file_sha256(path))
    page_count = max((p.number for p in pages), default=0)
    page_count = max([page_count, *(p.page for p in paragraphs)])
    document = Document(meta, tuple(paragraphs), page_count)
    return IngestResult(document, chunk_document(document, params.chunk), report)


def ingest_file(
    path: Path,
    params: IngestParams | None = None,
    meta: DocMeta | None = None,
    vocab: Counter[str] | None = None,
) -> IngestResult:
    """One file end to end; raises `IngestError` when it cannot be read."""
    params = params or IngestParams()
    pages, removed = read_pages(path, params)
    return ingest_pages(path, pages, params, meta, vocab, removed)


def failure_message(path: Path, exc: Exception) -> str:
    if isinstance(exc, IngestError):
        return str(exc).removeprefix(f"{path}: ")
    return f"filen kunde inte bearbetas ({type(exc).__name__}: {exc})"


def read_batch(
    paths: Sequence[Path], params: IngestParams
) -> tuple[dict[Path, tuple[list[Page], list[str]]], list[tuple[Path, str]]]:
    pages: dict[Path, tuple[list[Page], list[str]]] = {}
    errors: list[tuple[Path, str]] = []
    for path in paths:
        try:
            pages[path] = read_pages(path, params)
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop a batch
            errors.append((path, failure_message(path, exc)))
    return pages, errors


def ingest_paths(
    paths: Iterable[Path],
    params: IngestParams | None = None,
    progress: Progress | None = None,
    metas: dict[Path, DocMeta] | None = None,
    extra_vocab: Iterable[list[Page]] = (),
) -> BatchResult:
    """Every file under `paths`; files that fail are reported in `errors` and skipped.
    The batch's words (and `extra_vocab`) are the vocabulary for ligature repair."""
    params = params or IngestParams()
    files = expand_paths(paths)
    pages, errors = read_batch(files, params)
    vocab = batch_vocab([*(p for p, _ in pages.values()), *extra_vocab]) if pages else None
    results: list[IngestResult] = []
    for path in files:
        if path in pages:
            try:
                meta = (metas or {}).get(path)
                page_list, removed = pages[path]
                results.append(ingest_pages(path, page_list, params, meta, vocab, removed))
            except Exception as exc:  # noqa: BLE001 - reported, the batch goes on
                errors.append((path, failure_message(path, exc)))
        if progress is not None:
            progress(path)
    return BatchResult(results, errors)
