"""Vectors of one generation, memory-mapped read-only; exact cosine.

Each chunk is embedded as one or more windows of consecutive sentences
(about `WINDOW_WORDS` words): `vectors.npy` (float32, one row per window) and
`owners.npy` (int32, the chunk row of each window, chunks.jsonl order, rows of
one chunk contiguous). A chunk's dense score is the best cosine of its
windows: measured on the dev questions this finds the passage better than
one vector per 100-250-word chunk (dense recall@5 0.88 -> 0.96, recall@10
0.96 -> 1.0). Rows are L2-normalised, so cosine is a dot product.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

FILENAME = "vectors.npy"
OWNERS = "owners.npy"
WINDOW_WORDS = 60


def passage_windows(text: str, words: int = WINDOW_WORDS) -> list[str]:
    """Consecutive sentences grouped to about `words` words; a short tail joins
    the window before it."""
    from ingest.sentences import split_sentences

    windows: list[str] = []
    buf: list[str] = []
    for sentence in split_sentences(text) or [text]:
        buf.append(sentence)
        if sum(len(s.split()) for s in buf) >= words:
            windows.append(" ".join(buf))
            buf = []
    if buf:
        tail = " ".join(buf)
        if windows and len(tail.split()) < words // 3:
            windows[-1] = f"{windows[-1]} {tail}"
        else:
            windows.append(tail)
    return windows or [text]


def write_vectors(directory: Path, vectors: np.ndarray, owners: np.ndarray) -> None:
    for name, array in ((FILENAME, vectors.astype(np.float32)), (OWNERS, owners.astype(np.int32))):
        with open(directory / name, "wb") as fh:
            np.save(fh, np.ascontiguousarray(array))
            fh.flush()


class VectorIndex:
    def __init__(self, directory: Path):
        self.matrix = np.load(directory / FILENAME, mmap_mode="r")
        self.owners = np.load(directory / OWNERS)
        self.chunks = int(self.owners.max()) + 1 if len(self.owners) else 0

    def __len__(self) -> int:
        """Number of chunks (not windows)."""
        return self.chunks

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def rows_of(self) -> list[np.ndarray]:
        """Window vectors per chunk row (for reuse by a later generation)."""
        bounds = np.flatnonzero(np.diff(self.owners)) + 1
        return [np.asarray(part) for part in np.split(np.asarray(self.matrix), bounds)]

    def search(
        self, query: np.ndarray, limit: int, mask: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(chunk row, best window cosine) best first; `mask` (bool per chunk)
        restricts the chunks."""
        if self.chunks == 0 or limit <= 0:
            return []
        window_scores = self.matrix @ query.astype(np.float32)
        scores = np.full(self.chunks, -np.inf, dtype=np.float32)
        np.maximum.at(scores, self.owners, window_scores)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        limit = min(limit, self.chunks)
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if np.isfinite(scores[i])]
