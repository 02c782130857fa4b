from pathlib import Path

import pytest
from click.testing import CliRunner

from search_app.cli import cli
from search_app.settings import Settings, SettingsError
from tests.support import REPO


def test_defaults_and_env_override():
    s = Settings.from_env({})
    assert s.home == Path("var") and s.corpus == Path("corpus")
    s = Settings.from_env({"KB_HOME": "/tmp/x", "KB_PDF_TIMEOUT": "5"})
    assert s.home == Path("/tmp/x") and s.pdf_timeout == 5.0


def test_bad_value_fails_loudly():
    with pytest.raises(SettingsError, match="KB_PORT"):
        Settings.from_env({"KB_PORT": "åtta"})


def test_every_setting_documented():
    doc = (REPO / "docs" / "settings.md").read_text()
    for _name, env, _default, _help in Settings.describe():
        assert env in doc, f"{env} saknas i docs/settings.md"


def test_cli_home_option(tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "settings"])
    assert result.exit_code == 0
    assert f"KB_HOME={tmp_path}" in result.output


def test_every_kb_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    for name in cli.commands:
        assert f"`kb {name}" in readme, f"kb {name} saknas i README.md"


@pytest.mark.parametrize("args", [["ask", "Vilka regioner har IOP?"], ["search", "IOP"],
                                  ["eval", "QUESTIONS"]])
def test_commands_without_an_index_end_in_one_swedish_line(tmp_path, args):
    questions = tmp_path / "qa.jsonl"
    questions.write_text('{"id": "a", "question": "Vad är IOP?", "type": "definition"}\n',
                         encoding="utf-8")
    args = [str(questions) if a == "QUESTIONS" else a for a in args]
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), *args])
    assert result.exit_code == 1
    assert "Det finns inget index" in result.output and "kb ingest" in result.output
    assert "Traceback" not in result.output
