"""Shared fixtures. KB_* variables are scrubbed so a developer's environment
cannot change what the tests see (as Flask's own tests scrub FLASK_*)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from index_fixtures import corpus_home  # noqa: F401 - the one full-corpus index of a session

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _scrub_kb_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("KB_"):
            monkeypatch.delenv(name)
