"""The library facade: one object that owns the open index and answers.

The CLI and the web app both call these methods, so `kb search --json` and
`GET /api/search` print the same objects. The index generation named by
`KB_HOME/index/CURRENT` is opened at construction when it exists (a generation
the code cannot read fails here, at startup) and reopened when CURRENT names a
newer one, so a running service picks up a rebuild without a restart. The
embedder is loaded once, on first use.
"""

from __future__ import annotations

import threading
from pathlib import Path

from index.analysis import swedish_analyzer
from index.backend import WhooshNumpyBackend
from index.embed import Embedder, EmbedderError, make_embedder
from index.generations import (
    IndexError_,
    IndexFormatError,
    NoIndexError,
    current_dir,
    index_root,
)
from index.hybrid import FusionParams, retrieve, search
from index.model import Filters, Hit, Query, SearchResult
from ingest.model import Chunk, Document
from search_app.qa.unit_vectors import UnitVectors, load_unit_vectors
from search_app.serialize import document_row
from search_app.settings import Settings, answer_params, fusion_params

# The failures callers handle: no index yet, an index of another format or
# embedder, a build already running, an embedder that cannot load.
__all__ = ["Engine", "EmbedderError", "IndexError_", "IndexFormatError", "NoIndexError"]


class Engine:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        self._lock = threading.Lock()
        self._backend: WhooshNumpyBackend | None = None
        self._analyzer = None
        self._embedder: Embedder | None = None
        self._units: tuple[Path, UnitVectors | None] | None = None
        if (index_root(self.settings.home) / "CURRENT").exists():
            self.backend()

    # --- state ------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings.embedder)
                self._embedder.warm_up()
            return self._embedder

    def backend(self) -> WhooshNumpyBackend:
        """The CURRENT generation, reopened when CURRENT has changed."""
        gen_dir = current_dir(self.settings.home)
        with self._lock:
            if self._backend is None or self._backend.path != gen_dir:
                backend = WhooshNumpyBackend(gen_dir)
                self._check_embedder(backend)
                self._backend = backend
                self._analyzer = swedish_analyzer(backend.params)
            return self._backend

    def unit_vectors(self) -> UnitVectors | None:
        """The answer units' vectors of the CURRENT generation (None for an index
        built without them), loaded once per generation."""
        gen_dir = self.backend().path
        with self._lock:
            if self._units is None or self._units[0] != gen_dir:
                self._units = (gen_dir, load_unit_vectors(gen_dir))
            return self._units[1]

    def _check_embedder(self, backend: WhooshNumpyBackend) -> None:
        built_with = backend.manifest["embedder"]
        if built_with != self.settings.embedder:
            raise IndexFormatError(
                f"Indexet {backend.generation()} är byggt med embeddingmodellen {built_with!r} "
                f"(dimension {backend.manifest['dim']}), men KB_EMBEDDER är "
                f"{self.settings.embedder!r}. Vektorer från olika modeller kan inte blandas: "
                "bygg om med `kb index --rebuild` eller ändra KB_EMBEDDER."
            )

    def fusion(self) -> FusionParams:
        return fusion_params(self.settings)

    # --- search -----------------------------------------------------------------

    def search(self, query: Query) -> SearchResult:
        backend = self.backend()
        embedder = self.embedder if query.mode != "keyword" else None
        return search(backend, embedder, query, self._analyzer, self.fusion())

    def retrieve(
        self, text: str, limit: int = 200, mode: str = "hybrid", filters: Filters | None = None
    ) -> list[Hit]:
        """Wide retrieval for answering: fused hits without snippets."""
        backend = self.backend()
        embedder = self.embedder if mode != "keyword" else None
        hits, _, _, _ = retrieve(backend, embedder, text, limit, mode, filters, self.fusion())
        return hits[:limit]

    # --- documents --------------------------------------------------------------

    def documents(self) -> list[dict]:
        backend = self.backend()
        counts: dict[str, int] = {}
        for chunk in backend.chunks:
            counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
        return [document_row(d, counts.get(d.meta.doc_id, 0)) for d in backend.documents]

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.backend().documents if d.meta.doc_id == doc_id), None)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return self.backend().chunks_of(doc_id)

    def status(self) -> dict:
        try:
            backend = self.backend()
        except NoIndexError as exc:
            return {"generation": None, "message": str(exc), "embedder": self.settings.embedder}
        m = backend.manifest
        return {
            "generation": m["generation"],
            "built_at": m["built_at"],
            "counts": m["counts"],
            "embedder": m["embedder"],
            "dim": m["dim"],
            "analyzer": m["analyzer"]["version"],
            "corpus_hash": m["corpus_hash"],
        }

    def ask(self, question: str, params=None):
        """An extractive, cited answer (search_app/qa/answer.py); `params` is an
        `AnswerParams` (default: from the settings, `KB_ANSWER_*`)."""
        from search_app.qa.answer import answer

        return answer(self, question, params or answer_params(self.settings))
