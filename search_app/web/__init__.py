"""Kunskapsbanken web app: `create_app(settings)` builds it; no module-level app.

One `Engine` (the same library object the CLI uses) is opened per app and kept
in `app.extensions["kb"]`, with the facet values it validates against in
`app.extensions["kb_known"]` (no module-level state). Two blueprints: `pages`
(Swedish HTML at `/`) and `api` (JSON at `/api`). Errors are handled at app
level so that routing 404s under `/api/` are JSON too; every response carries
the security headers.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from search_app.engine import Engine, NoIndexError
from search_app.settings import Settings
from search_app.web.validate import InvalidInput

log = logging.getLogger(__name__)

# The largest request body (and form) the app and `kb serve`'s waitress accept.
MAX_REQUEST_BYTES = 64 * 1024

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

# Swedish titles for the HTTP errors a client can cause.
ERROR_TITLES = {
    400: "Felaktig begäran",
    404: "Sidan finns inte",
    405: "Metoden stöds inte",
    413: "Begäran är för stor",
    414: "Adressen är för lång",
    431: "För stora huvuden i begäran",
    500: "Internt fel",
}
ERROR_DETAILS = {
    404: "Adressen finns inte. Kontrollera stavningen eller börja om från startsidan.",
    405: "Den här adressen tar bara emot GET-anrop.",
    413: "Begäran är större än vad tjänsten tar emot.",
    500: "Något gick fel hos oss. Försök igen om en stund.",
}


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_REQUEST_BYTES
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["kb"] = Engine(settings)

    from search_app.web import api, pages, views

    app.extensions["kb_known"] = views.KnownValues()

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.add_url_rule("/healthz", "healthz", api.healthz)
    app.before_request(_check_query_string)
    app.after_request(_security_headers)
    app.register_error_handler(InvalidInput, _invalid_input)
    app.register_error_handler(NoIndexError, _no_index)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path in {"/api", "/healthz"}


def _check_query_string() -> None:
    """Raw bytes that are not UTF-8 would make `request.args` raise."""
    try:
        request.query_string.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            "Ogiltig teckenkodning", "Adressens parametrar ska vara kodade i UTF-8."
        ) from None


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _error_response(status: int, error: str, detail: str):
    if wants_json():
        return jsonify({"error": error, "detail": detail}), status
    return render_template("error.html", status=status, error=error, detail=detail), status


def _invalid_input(exc: InvalidInput):
    return _error_response(exc.status, exc.error, exc.detail)


def _no_index(exc: NoIndexError):
    return _error_response(
        503,
        "Indexet saknas",
        "Inga dokument är indexerade ännu. Kör `kb ingest` och `kb index`, "
        "eller starta tjänsten med `kb serve`, som bygger indexet först.",
    )


def _http_error(exc: HTTPException):
    status = exc.code or 500
    error = ERROR_TITLES.get(status, "Fel")
    detail = ERROR_DETAILS.get(status, "Begäran kunde inte behandlas.")
    return _error_response(status, error, detail)


def _unexpected_error(exc: Exception):
    log.exception("Oväntat fel vid %s", request.path, exc_info=exc)
    return _http_error(InternalServerError())
