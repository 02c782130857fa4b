"""Vectors of answer units, so that an answer can weigh meaning, not only words.

The index embeds windows of whole chunks; the answer step decides per unit
(sentence, bullet, table cell), so it needs a vector per unit: how close a
sentence is to the question in meaning is what lets "ansvarar för folkhögskolor"
answer "huvudman för folkhögskolor". The vectors are written into each index
generation (`unit-vectors.npz`, through `build_generation(extras=...)`, so they
are as atomic as the rest of it) by the same embedder as the index, keyed by a
hash of the unit text; a new generation reuses the vectors of unchanged units.

File format: numpy `.npz` with `keys` (16-hex-digit SHA-1 prefixes of the unit
texts, sorted), `vectors` (float32, one row per key, L2-normalised as the
embedder returns them) and `embedder` (the embedder's name).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.embed import Embedder, embed_in_batches
from ingest.model import Chunk
from search_app.qa.units import chunk_units

FILENAME = "unit-vectors.npz"


def unit_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class UnitVectors:
    embedder: str
    rows: dict[str, int]
    vectors: np.ndarray

    def similarities(self, texts: Sequence[str], query: np.ndarray) -> np.ndarray:
        """Cosine of each text's vector with the query vector (0 for a text
        without one, such as two sentences joined)."""
        index = [self.rows.get(unit_key(t), -1) for t in texts]
        known = np.array([i for i in index if i >= 0], dtype=np.int64)
        sims = np.zeros(len(texts), dtype=np.float32)
        if len(known):
            mask = np.array([i >= 0 for i in index])
            sims[mask] = self.vectors[known] @ np.asarray(query, dtype=np.float32)
        return sims


def load_unit_vectors(gen_dir: Path) -> UnitVectors | None:
    """The generation's unit vectors, or None when it has none (an index built
    before they existed: answers then weigh words only)."""
    path = gen_dir / FILENAME
    if not path.exists():
        return None
    try:
        with np.load(path) as data:
            keys = [str(k) for k in data["keys"]]
            return UnitVectors(str(data["embedder"]), {k: i for i, k in enumerate(keys)},
                               data["vectors"].astype(np.float32))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None  # a damaged file: answer on words alone rather than fail every ask


def unit_texts(chunks: Iterable[Chunk]) -> dict[str, str]:
    """key -> text of every unit of the chunks (as the answer step splits them)."""
    return {unit_key(u[0]): u[0] for c in chunks for u in chunk_units(c).units}


def writer(chunks: Sequence[Chunk], embedder: Embedder,
           progress: Callable[[int], None] | None = None
           ) -> Callable[[Path, Path | None], list[str]]:
    """An `ExtraWriter` for `build_generation`: embeds the units not found in the
    previous generation's file (same embedder) and writes the file."""

    def write(gen_dir: Path, previous: Path | None) -> list[str]:
        texts = unit_texts(chunks)
        old = load_unit_vectors(previous) if previous is not None else None
        reuse = old if old is not None and old.embedder == embedder.name else None
        keys = sorted(texts)
        missing = [k for k in keys if reuse is None or k not in reuse.rows]
        fresh = dict(zip(missing, embed_in_batches(embedder, [texts[k] for k in missing],
                                                   progress=progress), strict=True))
        rows = [fresh[k] if k in fresh else reuse.vectors[reuse.rows[k]] for k in keys]
        vectors = (np.vstack(rows).astype(np.float32) if rows
                   else np.zeros((0, embedder.dim), dtype=np.float32))
        tmp = gen_dir / f"{FILENAME}.tmp"
        with open(tmp, "wb") as f:
            np.savez(f, keys=np.array(keys), vectors=vectors, embedder=np.array(embedder.name))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, gen_dir / FILENAME)
        return [FILENAME]

    return write
