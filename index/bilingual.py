"""English → Swedish words from a general dictionary: Folkets lexikon.

Source: `svlang/data/folkets_sv_en.tsv` in the `svlang` wheel (MIT package; the
data file says "Folkets lexikon sv→en (CC BY-SA 2.5)", KTH), one
`swedish<TAB>english1, english2` line a headword. We read it as installed and
invert it: an English word or phrase gets the Swedish headwords that translate
to it, those with the fewest English senses first (a word with one sense is a
surer translation than one with ten). Compounds are written with `|` in the file
(`överens|kommelse`); the bars are dropped.

The dictionary is general, not ours: English questions get Swedish constraints
without a table written for them. Its senses are not disambiguated, so callers
use the translations as alternatives (any one may match), never as one word.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

MAX_PHRASE_WORDS = 3


def default_path() -> Path:
    spec = importlib.util.find_spec("svlang")
    if spec is None or spec.origin is None:
        raise BilingualError("Paketet svlang saknas: kör `make install`.")
    return Path(spec.origin).parent / "data" / "folkets_sv_en.tsv"


class BilingualError(RuntimeError):
    """The dictionary file is missing or unreadable."""


@dataclass(frozen=True)
class EnglishSwedish:
    """English word or phrase (lower case) → Swedish translations, surest first."""

    _to_swedish: dict[str, tuple[str, ...]] = field(repr=False)

    def translations(self, english: str, limit: int = 3) -> tuple[str, ...]:
        """Up to `limit` Swedish translations of an English word or phrase; a
        plural or -ing form falls back on its base ("grants" → "grant")."""
        key = " ".join(english.casefold().split())
        for form in _base_forms(key):
            if form in self._to_swedish:
                return self._to_swedish[form][:limit]
        return ()

    def __contains__(self, english: str) -> bool:
        return bool(self.translations(english, 1))


def _base_forms(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    if word.endswith("ing") and len(word) > 5:
        forms += [word[:-3], word[:-3] + "e"]
    return forms


_SENSE_NOISE = re.compile(r"\([^)]*\)|\[[^]]*\]")
_ARTICLE = re.compile(r"^(?:to|a|an|the)\s+")


def parse(lines: list[str]) -> EnglishSwedish:
    senses: dict[str, int] = {}
    inverse: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line.startswith("#") or "\t" not in line:
            continue
        swedish, english = line.rstrip("\n").split("\t", 1)
        swedish = swedish.replace("|", "").strip().casefold()
        if not swedish or "," in swedish:
            continue
        meanings = [_ARTICLE.sub("", _SENSE_NOISE.sub("", e).strip().casefold())
                    for e in english.split(",")]
        meanings = [m for m in meanings if m and len(m.split()) <= MAX_PHRASE_WORDS]
        senses[swedish] = senses.get(swedish, 0) + len(meanings)
        for meaning in meanings:
            inverse[meaning].add(swedish)
    return EnglishSwedish({en: tuple(sorted(sv, key=lambda s: (senses[s], len(s), s)))
                           for en, sv in inverse.items()})


_LOCK = threading.Lock()
_CACHE: dict[Path, EnglishSwedish] = {}


def load_english_swedish(path: Path | None = None) -> EnglishSwedish:
    """The dictionary, read once per process (about 0.8 s)."""
    path = path or default_path()
    with _LOCK:
        if path not in _CACHE:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise BilingualError(f"Ordboken {path} kunde inte läsas: {exc}") from exc
            _CACHE[path] = parse(lines)
        return _CACHE[path]
