"""Vectors of one generation: `vectors.npy` (float32, one row per chunk in
chunks.jsonl order), memory-mapped read-only; exact cosine by one matrix
product. Rows are L2-normalised, so cosine is the dot product."""

from __future__ import annotations

from pathlib import Path

import numpy as np

FILENAME = "vectors.npy"


def write_vectors(directory: Path, vectors: np.ndarray) -> Path:
    path = directory / FILENAME
    with open(path, "wb") as fh:
        np.save(fh, np.ascontiguousarray(vectors, dtype=np.float32))
        fh.flush()
    return path


class VectorIndex:
    def __init__(self, directory: Path):
        self.matrix = np.load(directory / FILENAME, mmap_mode="r")

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def row(self, i: int) -> np.ndarray:
        return np.asarray(self.matrix[i])

    def search(
        self, query: np.ndarray, limit: int, mask: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(row, cosine) best first; `mask` (bool per row) restricts the rows."""
        if len(self) == 0 or limit <= 0:
            return []
        scores = self.matrix @ query.astype(np.float32)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        limit = min(limit, len(self))
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if np.isfinite(scores[i])]
