"""`kb eval` with several question files: read in order, ids unique across files."""

from __future__ import annotations

import json

from click.testing import CliRunner

from search_app.cli import cli
from search_app.cli.measuring import _read_all
from tests.support import SHARED


def _write(path, ids):
    rows = [{"id": i, "question": "Vilka regioner?", "type": "unanswerable"} for i in ids]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_several_files_in_order(tmp_path):
    a = _write(tmp_path / "a.jsonl", ["a1", "a2"])
    b = _write(tmp_path / "b.jsonl", ["b1"])
    assert [q.id for q in _read_all((a, b))] == ["a1", "a2", "b1"]


def test_dev_and_dev2_have_distinct_ids():
    items = _read_all((SHARED / "eval" / "dev.jsonl", SHARED / "eval" / "dev2.jsonl"))
    assert len(items) == len({q.id for q in items}) > 90


def test_duplicate_id_across_files_is_a_swedish_error(tmp_path):
    a = _write(tmp_path / "a.jsonl", ["x1"])
    b = _write(tmp_path / "b.jsonl", ["x1"])
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "eval", str(a), str(b),
                                      "--cv"])
    assert result.exit_code == 1
    assert "'x1'" in result.output and "unika" in result.output
