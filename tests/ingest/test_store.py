"""The chunk store: content-hash no-op, changes, removals, atomic JSON files, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ingest.pipeline import IngestParams
from ingest.store import ChunkStore
from search_app.cli import cli
from tests.support.ingest import REGION_DOC, long_text, write_doc


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "regioner.txt", REGION_DOC)
    write_doc(corpus, "plan.md", "Handlingsplan\n\n" + long_text(30) + "\n")
    return corpus


def test_sync_adds_then_is_a_no_op(tmp_path: Path):
    corpus, store = _corpus(tmp_path), ChunkStore(tmp_path / "home")
    first = store.sync([corpus], IngestParams())
    assert sorted(first.added) == ["plan", "regioner"] and not first.errors
    files = {p: p.stat().st_mtime_ns for p in (tmp_path / "home" / "store").iterdir()}
    ids = [c.id for c in store.chunks()]
    again = store.sync([corpus], IngestParams())
    assert sorted(again.unchanged) == ["plan", "regioner"]
    assert not (again.added or again.changed or again.removed or again.results)
    assert {p: p.stat().st_mtime_ns for p in files} == files  # nothing rewritten
    assert [c.id for c in store.chunks()] == ids


def test_changed_and_removed_files_are_reflected(tmp_path: Path):
    corpus, store = _corpus(tmp_path), ChunkStore(tmp_path / "home")
    store.sync([corpus], IngestParams())
    before = {c.id for c in store.chunks("regioner")}
    (corpus / "plan.md").unlink()
    write_doc(corpus, "regioner.txt", REGION_DOC.replace("Region Blekinge Nej Nej",
                                                         "Region Blekinge Ja Nej"))
    changes = store.sync([corpus], IngestParams())
    assert changes.changed == ["regioner"] and changes.removed == ["plan"]
    assert store.doc_ids() == ["regioner"]
    after = {c.id for c in store.chunks("regioner")}
    assert before & after and before != after  # unchanged chunks keep their ids
    assert any("Region Blekinge Ja Nej" in c.text for c in store.chunks())


def test_changed_params_rechunk(tmp_path: Path):
    corpus, store = _corpus(tmp_path), ChunkStore(tmp_path / "home")
    store.sync([corpus], IngestParams())
    from ingest.chunk import ChunkParams

    changes = store.sync([corpus], IngestParams(chunk=ChunkParams(50, 120, 0)))
    assert sorted(changes.changed) == ["plan", "regioner"]


def test_documents_round_trip(tmp_path: Path):
    corpus, store = _corpus(tmp_path), ChunkStore(tmp_path / "home")
    changes = store.sync([corpus], IngestParams())
    fresh = {r.document.meta.doc_id: r for r in changes.results}
    assert store.document("regioner") == fresh["regioner"].document
    assert list(store.chunks("regioner")) == fresh["regioner"].chunks
    assert [d.meta.doc_id for d in store.documents()] == ["plan", "regioner"]
    record = json.loads((tmp_path / "home" / "store" / "regioner.json").read_text("utf-8"))
    assert record["sha256"] == record["meta"]["sha256"] and len(record["sha256"]) == 64
    assert store.document("finns-inte") is None


def test_same_stem_gets_distinct_ids(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write_doc(corpus, "plan.txt", "Plan A\n\n" + long_text(3))
    write_doc(corpus, "plan.md", "Plan B\n\n" + long_text(3, 50))
    store = ChunkStore(tmp_path / "home")
    assert sorted(store.sync([corpus], IngestParams()).added) == ["plan", "plan-txt"]
    assert store.sync([corpus], IngestParams()).unchanged  # and stays so


def test_kb_ingest_and_kb_chunks(tmp_path: Path):
    corpus = _corpus(tmp_path)
    (corpus / "trasig.pdf").write_bytes(b"%PDF-1.4 inte alls")
    runner = CliRunner()
    home = ["--home", str(tmp_path / "home"), "--corpus", str(corpus)]
    result = runner.invoke(cli, [*home, "ingest", "--no-index", "--report"])
    assert result.exit_code == 0, result.output
    assert "2 tillagda" in result.output and "trasig.pdf" in result.output
    assert "regioner (" in result.output and "sidor" in result.output
    out = runner.invoke(cli, [*home, "chunks", "--doc", "regioner", "--json"])
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert rows and {r["doc_id"] for r in rows} == {"regioner"}
    needed = {"chunk_id", "doc_id", "source", "title", "section", "page_start", "page_end",
              "regions", "municipalities", "organisations", "text"}
    assert needed <= set(rows[0])
    assert any(r["regions"] == ["Region Gotland"] for r in rows)


def test_kb_ingest_fails_when_nothing_could_be_ingested(tmp_path: Path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"garbage")
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "h"), "ingest", "--no-index",
                                      str(bad)])
    assert result.exit_code == 1
    assert "bad.pdf" in result.output


def test_unreadable_store_file_is_ingested_again(tmp_path: Path):
    corpus, store = _corpus(tmp_path), ChunkStore(tmp_path / "home")
    store.sync([corpus], IngestParams())
    (tmp_path / "home" / "store" / "plan.json").write_text("{trasig", encoding="utf-8")
    assert [d.meta.doc_id for d in store.documents()] == ["regioner"]
    changes = store.sync([corpus], IngestParams())
    assert changes.added == ["plan"] and changes.unchanged == ["regioner"]
    assert store.document("plan") is not None


def test_a_renamed_file_keeps_its_id(tmp_path: Path):
    corpus, store = _corpus(tmp_path), ChunkStore(tmp_path / "home")
    store.sync([corpus], IngestParams())
    (corpus / "plan.md").rename(corpus / "plan.txt")
    changes = store.sync([corpus], IngestParams())
    assert changes.changed == ["plan"] and not changes.removed and not changes.added
    assert store.document("plan").meta.source == str(corpus / "plan.txt")
