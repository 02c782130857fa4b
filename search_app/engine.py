"""The library facade: one object that owns the open index and answers.

The CLI and the web app both call these methods, so `kb search --json` and
`GET /api/search` print the same objects. Heavy state (index generation,
embedder) is opened lazily on first use and reopened when a newer generation
appears, so a running service picks up a rebuild without a restart.
"""

from __future__ import annotations

from search_app.settings import Settings


class Engine:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()

    # search(query), documents(), document(doc_id), status(): index engineer

    def ask(self, question: str):
        """An extractive, cited answer (search_app/answer.py)."""
        from search_app.answer import answer

        return answer(self, question)
