"""`update_index`: a new index generation from the chunk store (I/O edge)."""

from __future__ import annotations

from index.analysis import AnalyzerParams
from index.embed import make_embedder
from index.generations import BuildReport, build_generation, corpus_hash, current_corpus_hash
from search_app.settings import Settings


def update_index(settings: Settings, progress: bool = True, rebuild: bool = False) -> BuildReport:
    """Build a generation from `KB_HOME/store` unless the current one already
    holds the same chunks with the same analyzer and embedder. Unchanged chunks
    reuse their vectors; `rebuild` embeds everything again."""
    from ingest.store import ChunkStore

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
    embedder = make_embedder(settings.embedder)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(desc="Bäddar in textfönster", unit="fönster")
    try:
        return build_generation(
            settings.home, chunks, documents, embedder, params, rebuild=rebuild,
            progress=bar.update if bar is not None else None,
        )
    finally:
        if bar is not None:
            bar.close()
