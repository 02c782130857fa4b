"""Ingestion and indexing as the library runs them: the CLI and the web both call these.

`ingest_params(settings)` maps the one `Settings` object onto what ingestion
receives; `sync_store` brings the chunk store in line with files on disk;
`update_index` builds a new index generation from the store (I/O edge).
Progress is reported through callbacks so that the library never prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from index.analysis import AnalyzerParams
from index.embed import make_embedder
from index.generations import (
    BuildReport,
    build_generation,
    corpus_hash,
    current_corpus_hash,
    current_name,
    index_root,
)
from ingest.chunk import ChunkParams
from ingest.clean import summarize
from ingest.limits import ExtractParams
from ingest.manifest import ManifestError
from ingest.model import Chunk, CleanReport
from ingest.pipeline import IngestParams, expand_paths
from ingest.store import ChunkStore, StoreChanges
from search_app.qa import unit_vectors
from search_app.settings import Settings, params

Progress = Callable[[int], object]

# What callers of sync_store handle: a corpus/manifest.toml that cannot be used.
__all__ = ["ManifestError", "StoreChanges"]


def ingest_params(settings: Settings) -> IngestParams:
    """Settings → the parameters ingestion receives."""
    return IngestParams(chunk=params(ChunkParams, settings),
                        extract=params(ExtractParams, settings))


def files_to_ingest(settings: Settings, paths: Iterable[Path] = ()) -> list[Path]:
    """The files a sync of `paths` (default: the corpus folder) would read."""
    return expand_paths(list(paths) or [settings.corpus])


def sync_store(settings: Settings, paths: Iterable[Path] = (),
               progress: Callable[[Path], object] | None = None) -> StoreChanges:
    """Bring `KB_HOME/store` in line with `paths` (default: the corpus folder).
    Broken files are reported in `StoreChanges.errors` and skipped."""
    store = ChunkStore(settings.home)
    return store.sync(list(paths) or [settings.corpus], ingest_params(settings),
                      progress=progress)


def ingest_reports(settings: Settings, changes: StoreChanges) -> list[list[str]]:
    """Per document added, changed or unchanged by a sync: a head line (id, source,
    pages) and the cleaning summary (words, repairs by step with examples,
    furniture lines removed), for `kb ingest --report`."""
    store = ChunkStore(settings.home)
    fresh = {r.document.meta.doc_id: r for r in changes.results}
    reports = []
    for doc_id in [*changes.added, *changes.changed, *changes.unchanged]:
        if doc_id in fresh:
            doc, report = fresh[doc_id].document, fresh[doc_id].report
        else:
            doc, report = store.document(doc_id), store.report(doc_id)
        if doc is not None:
            summary = summarize(list(doc.paragraphs), report or CleanReport())
            head = f"{doc.meta.doc_id} ({doc.meta.source}, {doc.page_count} sidor)"
            reports.append([head, *summary.lines()])
    return reports


def stored_chunks(settings: Settings, doc_id: str | None = None) -> Iterator[Chunk]:
    """The chunks in `KB_HOME/store` (of one document when `doc_id` is given)."""
    return ChunkStore(settings.home).chunks(doc_id)


def is_stored(settings: Settings, doc_id: str) -> bool:
    return ChunkStore(settings.home).record(doc_id) is not None


def has_index(settings: Settings) -> bool:
    return current_name(index_root(settings.home)) is not None


def update_index(settings: Settings, rebuild: bool = False,
                 progress: Progress | None = None) -> BuildReport:
    """Build a generation from `KB_HOME/store` unless the current one already
    holds the same chunks with the same analyzer and embedder. Unchanged chunks
    reuse their vectors; `rebuild` embeds everything again. `progress(n)` is
    called as windows are embedded."""
    store = ChunkStore(settings.home)
    chunks = list(store.chunks())
    documents = list(store.documents())
    params = AnalyzerParams()
    current = current_corpus_hash(settings.home)
    if not rebuild and current is not None:
        digest, manifest = current
        if (
            digest == corpus_hash(chunks, documents)
            and manifest.get("embedder") == settings.embedder
            and manifest.get("analyzer", {}).get("version") == params.version()
            and unit_vectors.FILENAME in manifest.get("files", ())
        ):
            return BuildReport(
                manifest["generation"], settings.home / "index" / manifest["generation"],
                len(chunks), len(documents), 0, len(chunks), 0.0, unchanged=True,
            )
    embedder = make_embedder(settings.embedder)
    return build_generation(
        settings.home, chunks, documents, embedder, params, rebuild=rebuild, progress=progress,
        extras=[unit_vectors.writer(chunks, embedder, progress)],
    )
