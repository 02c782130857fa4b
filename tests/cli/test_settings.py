import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.hybrid import FusionParams
from ingest.chunk import ChunkParams
from ingest.limits import ExtractParams
from search_app.cli import cli
from search_app.qa.params import AnswerParams
from search_app.settings import Settings, SettingsError, fusion_params, params
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


@pytest.mark.parametrize("cls", [FusionParams, ChunkParams, ExtractParams, AnswerParams])
def test_settings_defaults_are_the_library_defaults(cls):
    assert params(cls, Settings()) == cls()


@pytest.mark.parametrize("cls", [FusionParams, ChunkParams, ExtractParams, AnswerParams])
def test_every_library_parameter_is_a_setting(cls):
    mapped = {f.metadata["param"][1] for f in dataclasses.fields(Settings)
              if f.metadata.get("param", (None,))[0] is cls}
    assert mapped == {f.name for f in dataclasses.fields(cls)}


def test_fusion_settings_reach_fusion():
    settings = Settings.from_env({"KB_FUSION_METHOD": "score", "KB_ENTITY_BOOST": "0.25",
                                  "KB_ENGLISH_KEYWORD_FACTOR": "0"})
    fusion = fusion_params(settings)
    assert (fusion.method, fusion.entity_boost, fusion.english_keyword_factor) == (
        "score", 0.25, 0.0)


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


def test_answer_settings_reach_the_answer_step():
    from search_app.settings import answer_params

    settings = Settings.from_env({"KB_ANSWER_DENSE_WEIGHT": "0", "KB_ANSWER_USE_THESAURUS": "nej"})
    assert answer_params(settings) == AnswerParams(dense_weight=0.0, use_thesaurus=False)
