"""Ingestion and indexing as the library runs them: the CLI and the web both call these.

`ingest_params(settings)` maps the one `Settings` object onto what ingestion
receives; `sync_store` brings the chunk store in line with files on disk;
`update_index` builds a new index generation from the store (I/O edge).
Progress is reported through callbacks so that the library never prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
from ingest.limits import ExtractParams
from ingest.pipeline import IngestParams, expand_paths
from ingest.store import ChunkStore, StoreChanges
from search_app.settings import Settings, params

Progress = Callable[[int], object]


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
        ):
            return BuildReport(
                manifest["generation"], settings.home / "index" / manifest["generation"],
                len(chunks), len(documents), 0, len(chunks), 0.0, unchanged=True,
            )
    return build_generation(
        settings.home, chunks, documents, make_embedder(settings.embedder), params,
        rebuild=rebuild, progress=progress,
    )
