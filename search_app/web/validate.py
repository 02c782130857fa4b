"""Request parameters → library inputs, or a Swedish `InvalidInput` (HTTP 400).

The API and the HTML pages share these parsers, so a bad `k` reads the same
everywhere. Filter values are checked against what the index actually holds
(`known`: facet name → accepted values as text), so a typo in `region=` is an
error rather than a silently empty result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import Protocol

from index.model import FACETS, MODES, Filters, Query

MAX_QUERY_CHARS = 500
MAX_K = 100
MAX_OFFSET = 10_000
MAX_FILTER_VALUES = 50
DEFAULT_K = 10
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")

FACET_LABELS = {"doc": "dokument", "kind": "dokumenttyp", "region": "region", "year": "år"}


class InvalidInput(ValueError):
    """A request parameter that cannot be used; `error` is a short Swedish
    title, `detail` says what to send instead."""

    status = 400

    def __init__(self, error: str, detail: str):
        super().__init__(f"{error}: {detail}")
        self.error = error
        self.detail = detail

    def to_json(self) -> dict:
        return {"error": self.error, "detail": self.detail}


class NotFound(InvalidInput):
    """Something named in the request (a document) that the index does not hold."""

    status = 404


class Params(Protocol):
    """The read interface of a query string (werkzeug's MultiDict fits)."""

    def get(self, key: str, default: str | None = None) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


def clean_text(raw: str) -> str:
    """NFC (so a decomposed å equals å), control characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", raw)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())


def parse_q(args: Params, name: str = "q") -> str:
    raw = args.get(name)
    if raw is None or not clean_text(raw):
        raise InvalidInput("Sökfrågan saknas", f"Skriv något att söka efter i parametern {name}.")
    if len(raw) > MAX_QUERY_CHARS:
        raise InvalidInput(
            "Sökfrågan är för lång",
            f"{name} får vara högst {MAX_QUERY_CHARS} tecken (nu {len(raw)}).",
        )
    return clean_text(raw)


def parse_int(args: Params, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not _INTEGER.fullmatch(raw.strip()):
        raise InvalidInput(
            f"Ogiltigt värde för {name}", f"{name} ska vara ett heltal, inte {_show(raw)}."
        )
    value = int(raw.strip())
    if not low <= value <= high:
        raise InvalidInput(
            f"Ogiltigt värde för {name}",
            f"{name} ska vara ett heltal från {low} till och med {high} (nu {value}).",
        )
    return value


def parse_mode(args: Params) -> str:
    raw = (args.get("mode") or "hybrid").strip()
    if raw not in MODES:
        raise InvalidInput(
            "Okänt sökläge", f"mode ska vara något av {', '.join(MODES)}, inte {_show(raw)}."
        )
    return raw


def parse_filters(args: Params, known: Mapping[str, Collection[str]]) -> Filters:
    values = {name: _facet_values(args, name, known.get(name, ())) for name in FACETS}
    return Filters(
        doc=values["doc"],
        kind=values["kind"],
        region=values["region"],
        year=tuple(int(v) for v in values["year"]),
    )


def _facet_values(args: Params, name: str, accepted: Collection[str]) -> tuple[str, ...]:
    raw = [clean_text(v) for v in args.getlist(name)]
    chosen = tuple(dict.fromkeys(v for v in raw if v))
    if len(chosen) > MAX_FILTER_VALUES:
        raise InvalidInput(
            f"För många värden för {name}", f"Högst {MAX_FILTER_VALUES} värden per filter."
        )
    if name == "year":
        for value in chosen:
            if not value.isascii() or not value.isdigit():
                raise InvalidInput(
                    "Ogiltigt värde för year", f"year ska vara ett årtal, inte {_show(value)}."
                )
    for value in chosen:
        if value not in accepted:
            raise InvalidInput(
                "Okänt filtervärde",
                f"{FACET_LABELS[name].capitalize()} {_show(value)} finns inte i indexet "
                f"(parametern {name}).",
            )
    return chosen


def parse_search(args: Params, known: Mapping[str, Collection[str]]) -> Query:
    """All of `GET /api/search`'s parameters as one `Query`."""
    return Query(
        text=parse_q(args),
        k=parse_int(args, "k", DEFAULT_K, 1, MAX_K),
        offset=parse_int(args, "offset", 0, 0, MAX_OFFSET),
        mode=parse_mode(args),
        filters=parse_filters(args, known),
    )


def _show(value: str, limit: int = 40) -> str:
    text = value if len(value) <= limit else value[:limit] + "…"
    return f"”{text}”"
