"""Kunskapsbanken web app: `create_app(settings)` builds it; no module-level app."""

from __future__ import annotations

from flask import Flask, jsonify

from search_app.engine import Engine
from search_app.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.json.ensure_ascii = False
    app.extensions["kb"] = Engine(settings)

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    return app
