"""One file end to end, and batches with broken files (real readers, cleaning, spaCy)."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import IngestParams, expand_paths, ingest_file, ingest_paths
from tests.support.ingest import REGION_DOC, write_doc


def test_ingest_file_gives_document_chunks_and_metadata(tmp_path: Path):
    path = write_doc(tmp_path, "Regionerna 2021.txt", REGION_DOC)
    result = ingest_file(path, IngestParams())
    meta = result.document.meta
    assert meta.doc_id == "regionerna-2021"
    assert meta.source == str(path)
    assert meta.title == "Begrepp och förkortningar"  # first heading, no manifest
    assert meta.kind == "okänd"
    assert len(meta.sha256) == 64
    assert result.chunks
    assert all(c.doc_id == meta.doc_id and c.source == str(path) for c in result.chunks)
    assert [c.ordinal for c in result.chunks] == list(range(len(result.chunks)))


def test_batch_reports_and_skips_broken_files(tmp_path: Path):
    write_doc(tmp_path, "bra.txt", REGION_DOC)
    (tmp_path / "trasig.pdf").write_bytes(b"inte en pdf alls\x00\x01")
    (tmp_path / "bild.xyz").write_bytes(b"\x89PNG")
    (tmp_path / "manifest.toml").write_text("", encoding="utf-8")
    batch = ingest_paths([tmp_path], IngestParams())
    assert [r.document.meta.doc_id for r in batch.results] == ["bra"]
    skipped = {path.name: message for path, message in batch.errors}
    assert set(skipped) == {"trasig.pdf", "bild.xyz"}
    assert ".xyz" in skipped["bild.xyz"]
    assert "trasig.pdf" in batch.summary() and "1 dokument inlästa" in batch.summary()


def test_folders_expand_to_files_without_manifest_or_hidden(tmp_path: Path):
    write_doc(tmp_path, "a.txt", "text")
    write_doc(tmp_path, "sub/b.md", "text")
    write_doc(tmp_path, ".dold.txt", "text")
    write_doc(tmp_path, "SOURCES.md", "källor")
    write_doc(tmp_path, "manifest.toml", "")
    names = [p.name for p in expand_paths([tmp_path])]
    assert names == ["a.txt", "b.md"]


def test_real_pdf_chunks_have_right_pages_and_no_furniture(tmp_path: Path):
    from tests.support.pdf import HEADER, SIDE_LABEL, make_report_pdf, page_words, words_of

    spec = make_report_pdf(tmp_path / "rapport.pdf")
    result = ingest_file(tmp_path / "rapport.pdf", IngestParams())
    truth = page_words(spec)
    assert result.document.page_count == len(spec)
    for chunk in result.chunks:
        text = chunk.text
        assert HEADER not in text and SIDE_LABEL not in text and "Sida " not in text
        body = text.split("\n", 1)[1] if chunk.meta.get("table_row") else text
        allowed = {w for n in range(chunk.page_start, chunk.page_end + 1) for w in truth[n]}
        assert set(words_of(body)) <= allowed, (chunk.page_start, chunk.page_end)
    rows = [c for c in result.chunks if c.meta.get("table_row")]
    assert [c.regions for c in rows] == [("Region Blekinge",), ("Region Värmland",),
                                         ("Region Jämtland Härjedalen",), ("Region Örebro län",)]
    assert all(c.page_start == c.page_end == 4 for c in rows)
    assert "205 (varav 12 nya)" in rows[-1].text
    removed = result.report.removed_lines  # what `kb ingest --report` lists
    assert any(HEADER in line for line in removed)
    assert sum("Sida " in line for line in removed) == len(spec)


def test_a_file_without_text_is_skipped_with_a_reason(tmp_path: Path):
    write_doc(tmp_path, "tom.txt", "   \n\n \f \n")
    write_doc(tmp_path, "bra.txt", REGION_DOC)
    batch = ingest_paths([tmp_path], IngestParams())
    assert [r.document.meta.doc_id for r in batch.results] == ["bra"]
    assert [(p.name, m) for p, m in batch.errors] == [("tom.txt", "ingen text hittades")]


def test_the_shipped_manifest_covers_the_corpus():
    from ingest.manifest import KINDS, load_manifest
    from tests.support import CORPUS

    manifest = load_manifest(CORPUS)
    assert set(manifest) == {p.name for p in CORPUS.glob("*.txt")}
    assert all(entry["title"] and entry["kind"] in KINDS for entry in manifest.values())
    assert manifest["landstinget-varmland-inspirationsdag-2015.txt"]["date"] == "2015-10-23"


def test_metadata_is_inferred_without_a_manifest_entry():
    from ingest.manifest import infer_year, slug

    assert slug("Region Värmland – Plan 2024 (ny)") == "region-varmland-plan-2024-ny"
    assert infer_year("Beslut 2018-04-12 och 2019-01-30. År 2017 och 2017.") == (2019, "2019-01-30")
    assert infer_year("Planen 2018–2022 gäller 2018 och 2018, se 1998 och 2097.") == (2018, "")
    assert infer_year("Inga årtal alls.") == (None, "")


def test_a_broken_manifest_is_a_clear_error(tmp_path: Path):
    from click.testing import CliRunner

    from search_app.cli import cli

    write_doc(tmp_path, "a.txt", REGION_DOC)
    write_doc(tmp_path, "manifest.toml", '["a.txt"]\ntitle = "A"\nkind = "roman"\n')
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "h"), "--corpus", str(tmp_path),
                                      "ingest", "--no-index"])
    assert result.exit_code != 0 and "okänd dokumenttyp 'roman'" in result.output
