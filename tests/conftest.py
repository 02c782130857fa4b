"""Shared fixtures. KB_* variables are scrubbed so a developer's environment
cannot change what the tests see (as Flask's own tests scrub FLASK_*)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.index import build_corpus_home

# Fixtures that build a real index: a test using one is `slow` (left out of `make check`).
INDEX_FIXTURES = frozenset({"corpus_home", "web_settings", "app", "client"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if INDEX_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _scrub_kb_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("KB_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def corpus_home(tmp_path_factory, request) -> Path:
    """KB_HOME with the whole shipped corpus indexed (one per test session)."""
    home = tmp_path_factory.mktemp("kb-corpus")
    build_corpus_home(home, Path(request.config.cache.mkdir("kb-embeddings")))
    return home
