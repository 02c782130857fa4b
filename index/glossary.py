"""Abbreviations and renamed bodies: groups of phrases that mean the same.

The glossary of a generation is extracted from its documents (definition
lists such as `IOP Idéburna offentliga partnerskap är ...` and inline
`långt namn (FÖRKORTNING)`) and merged with the curated file
`index/data/glossary.txt`. A query containing one phrase of a group is
expanded with the others (`expansions`); phrases are compared as analysed
term sequences, so inflected forms match too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources

EQUAL, RELATED = 1.0, 0.5
ABBR = r"[A-ZÅÄÖ][A-ZÅÄÖ0-9]{1,5}"
_INLINE = re.compile(rf"((?:[\wÅÄÖåäöé-]+[ \t]+){{1,7}}?[\wÅÄÖåäöé-]+)[ \t]*\(({ABBR})\)")
_DEFINITION = re.compile(
    rf"^\s*({ABBR})[ \t]+([A-ZÅÄÖ][\wåäöé ,-]{{3,90}}?)(?:\.|\s[-–]\s|\s(?:är|som|i denna)\s|$)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Group:
    phrases: tuple[str, ...]
    weight: float = EQUAL


@dataclass
class Glossary:
    groups: list[Group] = field(default_factory=list)
    _analysed: dict = field(default_factory=dict, repr=False)

    def to_json(self) -> list[dict]:
        return [{"phrases": list(g.phrases), "weight": g.weight} for g in self.groups]

    @classmethod
    def from_json(cls, data: list[dict]) -> Glossary:
        return cls([Group(tuple(g["phrases"]), float(g["weight"])) for g in data])

    def expansions(
        self, text: str, analyze: Callable[[str], list[str]]
    ) -> list[tuple[str, float]]:
        """(phrase, weight) for every phrase equivalent to one found in `text`."""
        query = tuple(analyze(text))
        out: dict[str, float] = {}
        for group in self.groups:
            forms = [self._terms(p, analyze) for p in group.phrases]
            if not any(f and _contains(query, f) for f in forms):
                continue
            for phrase, form in zip(group.phrases, forms, strict=True):
                if form and not _contains(query, form):
                    out[phrase] = max(out.get(phrase, 0.0), group.weight)
        return sorted(out.items())

    def _terms(self, phrase: str, analyze: Callable[[str], list[str]]) -> tuple[str, ...]:
        if phrase not in self._analysed:
            self._analysed[phrase] = tuple(analyze(phrase))
        return self._analysed[phrase]


def _contains(seq: tuple[str, ...], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


def initials_match(abbr: str, long: str) -> bool:
    """`RÖK` fits `regional överenskommelse`: same first letter and the
    abbreviation's letters appear in order in the long form."""
    letters = [c for c in long.lower() if c.isalnum()]
    abbr = abbr.lower()
    if not letters or letters[0] != abbr[0]:
        return False
    it = iter(letters)
    return all(ch in it for ch in abbr)


def _trim_long(abbr: str, words: list[str]) -> str | None:
    """The shortest tail of `words` that fits the abbreviation."""
    for start in range(len(words) - 1, -1, -1):
        candidate = " ".join(words[start:])
        if initials_match(abbr, candidate) and len(words) - start >= 1:
            if len(candidate) > len(abbr) + 2:
                return candidate
    return None


def extract_pairs(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(ABBREVIATION, long form) pairs found in document texts."""
    pairs: dict[tuple[str, str], None] = {}
    for text in texts:
        for m in _INLINE.finditer(text):
            long = _trim_long(m.group(2), m.group(1).split())
            if long:
                pairs[(m.group(2), long.lower())] = None
        for m in _DEFINITION.finditer(text):
            abbr, long = m.group(1), m.group(2).strip(" ,-")
            if initials_match(abbr, long) and len(long.split()) <= 8:
                pairs[(abbr, long.lower())] = None
    return list(pairs)


def load_curated() -> list[Group]:
    text = (resources.files("index") / "data" / "glossary.txt").read_text(encoding="utf-8")
    return parse_curated(text)


def parse_curated(text: str) -> list[Group]:
    groups = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if " ~ " in line:
            groups.append(Group(tuple(p.strip() for p in line.split(" ~ ")), RELATED))
        else:
            groups.append(Group(tuple(p.strip() for p in line.split(" = ")), EQUAL))
    return groups


def build_glossary(texts: Iterable[str]) -> Glossary:
    """Extracted pairs merged with the curated groups (pairs sharing a phrase
    join one group)."""
    groups = load_curated()
    merged: dict[str, set[str]] = {}
    for abbr, long in extract_pairs(texts):
        members = merged.get(abbr, {abbr}) | {long}
        for member in members:
            merged[member] = members
    seen = set()
    for members in merged.values():
        key = tuple(sorted(members))
        if key not in seen:
            seen.add(key)
            groups.append(Group(key, EQUAL))
    return Glossary(groups)
