"""`kb bench`: the synthetic corpus, the arithmetic of the report, and a smoke run.

Benchmarks are not timed tests: nothing here asserts a speed. The smoke test runs
`kb bench --scale 1 --quick` for real (ingest, index, queries, `kb serve` over HTTP)
so the command keeps working.
"""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest
from click.testing import CliRunner

from search_app.measure import bench, synth
from tests.support import CORPUS

TEXT = (
    "Region Värmland och föreningarna i Värmlands län samverkar.\n\n"
    "Torsby kommun har flest föreningar.\n\n"
    "Västra Götalandsregionen har en överenskommelse.\n\n"
    "Region Gotland startade MindShift.\n\n"
    "Ett stycke utan namn.\n\n"
    "Ännu ett stycke.\n"
)


def test_variant_zero_is_the_document_itself():
    assert synth.vary(TEXT, 0) == TEXT


def test_variants_rename_places_and_keep_every_paragraph():
    v = synth.vary(TEXT, 3)
    assert "Värmland" not in v and "Torsby" not in v and "Gotland" not in v
    mapping = synth.rename_map(3)
    renamed = synth.split_paragraphs(synth.rename(TEXT, mapping))
    assert Counter(synth.split_paragraphs(v)) == Counter(renamed)
    assert f"{mapping['Värmland']}s län" in v  # inflected forms follow the new name
    assert synth.vary(TEXT, 3) == v  # seeded
    assert synth.vary(TEXT, 4) != v


def test_invented_names_are_distinct_within_a_variant():
    names = synth.invented_names(7, len(synth.PLACES))
    assert len(set(names)) == len(names)
    assert not set(names) & set(synth.PLACES)


def test_shuffle_stays_within_windows():
    text = "\n\n".join(f"stycke {i}" for i in range(12))
    out = synth.split_paragraphs(synth.shuffle_paragraphs(text, random.Random(1), window=5))
    for start in range(0, 12, 5):
        assert {p for p in out[start:start + 5]} == {f"stycke {i}" for i in
                                                   range(start, min(start + 5, 12))}


def test_write_scaled_corpus(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    (src / "SOURCES.md").write_text("källor", encoding="utf-8")
    (src / "manifest.toml").write_text("", encoding="utf-8")
    written = synth.write_scaled_corpus(src, tmp_path / "x3", 3)
    assert sorted(p.name for p in written) == ["a--v001.txt", "a--v002.txt", "a.txt"]
    assert (tmp_path / "x3" / "manifest.toml").exists()
    assert not (tmp_path / "x3" / "SOURCES.md").exists()
    assert (tmp_path / "x3" / "a.txt").read_text(encoding="utf-8") == TEXT
    words = len(TEXT.split())
    assert synth.count_words([tmp_path / "x3" / "a.txt"]) == words
    assert 2 * words < synth.count_words(written) <= 3 * words  # two-word names become one


def test_generated_pdf_has_the_pages_asked_for(tmp_path):
    from pdfminer.high_level import extract_text

    paragraphs = synth.split_paragraphs((CORPUS / "skl-position-civilsamhallet.txt")
                                        .read_text(encoding="utf-8"))
    pages = synth.make_pdf(tmp_path / "b.pdf", [p for p in paragraphs if len(p.split()) > 20], 4)
    assert pages == 4
    text = extract_text(str(tmp_path / "b.pdf"))
    assert text.count("Syntetisk rapport för kb bench") == 4  # the running header, per page


def test_latency_stats():
    stats = bench.latency_stats([0.010] * 95 + [0.100] * 5, wall=2.0)
    assert stats["n"] == 100 and stats["p50_ms"] == 10.0 and stats["qps"] == 50.0
    assert 10.0 <= stats["p95_ms"] <= 100.0 and stats["p99_ms"] == 100.0
    assert bench.latency_stats([], wall=1.0) == {"n": 0}


def test_targets_and_growth_arithmetic():
    def scale(n, p95, build):
        return {"scale": n, "build": {"chunks": 100 * n, "total_s": build, "disk_mb": 2.0 * n,
                                      "peak_rss_mb": 500.0},
                "incremental": {"total_s": 20.0},
                "inprocess": {f"search_{m}": {"c1": {"p95_ms": p95}} for m in bench.MODES}
                | {"ask": {"c1": {"p95_ms": 2 * p95}}},
                "http": {"serve_peak_rss_mb": 900.0}}

    report = {"scales": {"x1": scale(1, 100.0, 60.0), "x10": scale(10, 300.0, 600.0)}}
    targets = {t["key"]: t for t in bench.check_targets(report)}
    assert targets["search_p95_hybrid_x1"]["met"] is True
    assert targets["search_p95_hybrid_x1"]["ratio"] == pytest.approx(100 / 150, abs=0.01)
    assert targets["incremental_x1"]["met"] is False
    assert targets["search_p95_hybrid_x100"]["met"] is None  # not measured
    g = bench.growth(report["scales"])["x10"]
    assert g["chunks"] == 10.0 and g["search_hybrid_p95"] == 3.0 and g["build_s"] == 10.0


def test_child_peak_rss_is_measured():
    run = bench.run_child(["python3", "-c", "b = bytearray(150 * 2**20); print('ok')"],
                          env={"PATH": "/usr/bin:/bin"})
    assert run.returncode == 0 and "ok" in run.output
    assert run.peak_rss_mb >= 150


@pytest.mark.slow
def test_kb_bench_quick_smoke(tmp_path):
    from search_app.cli import cli

    out = tmp_path / "bench.json"
    result = CliRunner().invoke(cli, ["bench", "--scale", "1", "--quick", "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Mål" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    x1 = report["scales"]["x1"]
    assert x1["build"]["chunks"] > 0
    assert x1["inprocess"]["search_hybrid"]["c4"]["n"] > 0
    assert x1["http"]["serve_peak_rss_mb"] > 0
    assert x1["reference_keyword"]["p50_ratio"] is not None
    assert report["pdf"]["pages"] == 3


def test_load_test_records_failures_instead_of_crashing():
    def call(item: str) -> None:
        if item == "trasig":
            raise ValueError("gick sönder")

    stats = bench.load_test(call, ["a", "trasig", "b", "c"], clients=4)
    assert stats["n"] == 3 and stats["errors"] == 1
    assert "gick sönder" in stats["first_error"]


def test_query_pool_hands_out_distinct_texts():
    pool = bench.QueryPool()
    first, second = pool.take(50), pool.take(50)
    assert len(set(first + second)) == 100
    questions = bench.QueryPool(questions_only=True).take(20)
    assert all(q.endswith("?") for q in questions)
