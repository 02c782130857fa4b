"""Helpers the tests import (real documents, PDFs, indexes); fixtures live in conftest.py files."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
