"""Fixtures of the web tests: one small real index (four corpus documents and a
hostile one) built the way `kb ingest` builds it, the app on it and a client."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_app.settings import Settings
from search_app.web import create_app
from tests.support import CORPUS
from tests.support.web import HOSTILE_ID, HOSTILE_TEXT, SUBSET, build_web_index


@pytest.fixture(scope="session")
def web_corpus(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("webkorpus")
    for name in (*SUBSET, "manifest.toml"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    (corpus / f"{HOSTILE_ID}.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    return corpus


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory, web_corpus) -> Settings:
    return build_web_index(tmp_path_factory.mktemp("webhome"), web_corpus)


@pytest.fixture(scope="session")
def app(web_settings):
    app = create_app(web_settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def client(app):
    return app.test_client()
