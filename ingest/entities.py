"""Regions, municipalities and organisations named in a text.

Gazetteers live as data files (`data/regions.tsv`, `data/municipalities.tsv`,
`data/organisations.tsv`) and are matched through spaCy's `entity_ruler` on a
blank Swedish pipeline (no model). Every match carries the canonical name as its
entity id: "Landstinget i Värmland", "Region Värmlands" and "Värmlands län" are
all "Region Värmland". Organisations not in the gazetteer are found by pattern:
a capitalised name ending in -förbund(et), -förening(en), -stiftelse(n) ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import spacy
from spacy.language import Language

REGION, MUNICIPALITY, ORGANISATION = "REGION", "MUNICIPALITY", "ORG"
_ORG_SUFFIX = (
    r"(förbund|förbundet|förening|föreningen|stiftelse|stiftelsen|rörelsen|missionen"
    r"|riksorganisation|folkhögskola|folkhögskolan|stadsmission|rådet)"
)


@dataclass(frozen=True)
class Mention:
    text: str
    label: str  # REGION, MUNICIPALITY or ORG
    canonical: str
    start: int  # character offsets in the text
    end: int
    name_kind: str = ""  # regions: official, county, former, short, landscape; "ambiguous"


@dataclass(frozen=True)
class Entities:
    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Alias:
    name: str
    canonical: str
    label: str
    kind: str = ""


def _data_lines(name: str) -> list[list[str]]:
    text = resources.files("ingest").joinpath("data", name).read_text("utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


def genitive(name: str) -> str:
    """Swedish genitive of a name: "Region Värmland" → "Region Värmlands"."""
    if name.endswith(" län"):
        return name + "s"
    return name if name[-1:] in "sxzSXZ" else name + "s"


@cache
def region_aliases() -> tuple[Alias, ...]:
    rows = _data_lines("regions.tsv")
    return tuple(Alias(name, canon, REGION, kind) for canon, kind, name in rows)


@cache
def municipality_rows() -> tuple[tuple[str, str, str], ...]:
    """(name, county, flag) for each of the 290 municipalities; flag "ambiguous"
    (also a word or a name: `Vara`, `Kil`, `Nora`), "region" (`Gotland`) or ""."""
    rows = []
    for fields in _data_lines("municipalities.tsv"):
        name, county, flag = (fields + ["", ""])[:3]
        rows.append((name, county, flag.strip()))
    return tuple(rows)


@cache
def organisation_aliases() -> tuple[Alias, ...]:
    aliases = []
    for fields in _data_lines("organisations.tsv"):
        canon = fields[0].strip()
        others = fields[1].split("|") if len(fields) > 1 else []
        for name in [canon, *others]:
            if name.strip():
                aliases.append(Alias(name.strip(), canon, ORGANISATION))
    return tuple(aliases)


REGIONS: list[str] = list(dict.fromkeys(a.canonical for a in region_aliases()))
MUNICIPALITIES: list[str] = [name for name, _county, _amb in municipality_rows()]
COUNTIES: dict[str, str] = {a.canonical: a.name for a in region_aliases() if a.kind == "county"}


def _municipality_aliases() -> list[Alias]:
    aliases = []
    for name, _county, flag in municipality_rows():
        forms = [f"{genitive(name)} kommun", f"{name} kommun", f"{genitive(name)} stad"]
        aliases += [Alias(form, name, MUNICIPALITY) for form in forms]
        if flag != "region":
            aliases.append(Alias(name, name, MUNICIPALITY, "ambiguous" if flag else ""))
    return aliases


def _doubtful(text: str, start: int, end: int) -> bool:
    """A bare ambiguous name (`Vara`, `Nora`) that starts a sentence or stands next to
    another capitalised word (`Anna Berg`) is read as a word or a person, not a place."""
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    if not before or before[-1] in ".!?:;•\n\"”(":
        return True
    prev_word = before.split()[-1]
    return prev_word[:1].isupper() or after[:1].isupper()


def _exact(alias: Alias, name: str) -> bool:
    """One-word names and municipality names match only as written (Forum ≠ forum,
    Vara ≠ vara); longer names match in any case (Röda korset = Röda Korset)."""
    return alias.label == MUNICIPALITY or " " not in name


def _generic_org_patterns() -> list[dict]:
    title = {"IS_TITLE": True}
    word_suffix = {"TEXT": {"REGEX": rf"^[A-ZÅÄÖ][\wåäöéü-]{{2,}}{_ORG_SUFFIX}s?$"}}
    lower_suffix = {"TEXT": {"REGEX": rf"^(?=[a-zåäö])[\wåäöéü-]*{_ORG_SUFFIX}s?$"}}
    lead = {"ORTH": {"IN": ["Studieförbundet", "Stiftelsen", "Föreningen", "Riksförbundet",
                            "Nätverket"]}}
    named = [
        {"ORTH": {"IN": list(NAMING_NOUNS)}},
        {"TEXT": {"REGEX": r"^[A-ZÅÄÖ][\wåäöéü-]+$"}, "OP": "+"},
    ]
    council = [{"ORTH": "Rådet"}, {"LOWER": "för"}]
    attribute = {"LOWER": {"REGEX": r"^[a-zåäöé]+a$"}}  # idéburna, nationella
    return [
        {"label": ORGANISATION, "pattern": named, "id": "named||"},
        {"label": ORGANISATION, "pattern": [*council, {"IS_ALPHA": True}], "id": "pattern||"},
        {"label": ORGANISATION, "pattern": [*council, attribute, {"IS_ALPHA": True}],
         "id": "pattern||"},
        {"label": ORGANISATION, "pattern": [word_suffix], "id": "pattern||"},
        {"label": ORGANISATION, "pattern": [title, lower_suffix], "id": "pattern||"},
        {"label": ORGANISATION, "pattern": [title, title, lower_suffix], "id": "pattern||"},
        {"label": ORGANISATION, "pattern": [lead, title], "id": "pattern||"},
        {"label": ORGANISATION, "pattern": [lead, title, title], "id": "pattern||"},
    ]


@cache
def _exact_forms() -> frozenset[str]:
    return frozenset(
        name
        for alias in _all_aliases()
        for name in (alias.name, genitive(alias.name))
        if _exact(alias, name)
    )


@cache
def _all_aliases() -> tuple[Alias, ...]:
    return (*region_aliases(), *_municipality_aliases(), *organisation_aliases())


@cache
def entity_ruler() -> Language:
    """A blank Swedish pipeline whose only component is the gazetteer `entity_ruler`
    (names as lower-case phrases, plus token patterns for unlisted organisations)."""
    nlp = spacy.blank("sv")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    patterns: list[dict] = []
    for alias in _all_aliases():
        names = {alias.name} if alias.kind == "ambiguous" else {alias.name, genitive(alias.name)}
        for name in sorted(names):
            exact = "exact" if _exact(alias, name) else ""
            ident = f"{alias.kind}|{alias.canonical}|{exact}"
            patterns.append({"label": alias.label, "pattern": name, "id": ident})
    patterns += _generic_org_patterns()
    ruler.add_patterns(patterns)
    return nlp


FOOTNOTE_RE = re.compile(r"(?<=[^\W\d])\d+$")

# "föreningen X", "organisationen X": X names an organisation.
NAMING_NOUNS = (
    "föreningen", "organisationen", "civilsamhällesorganisationen", "paraplyorganisationen",
    "stiftelsen", "nätverket", "intresseorganisationen", "riksorganisationen",
)

# Stems that make a generic noun, not a name: "Ungdomsförbundet", "Studieförbund".
GENERIC_STEMS = frozenset(
    "ungdoms idrotts studie bildnings läns riks distrikts pensionärs paraply region "
    "kommun intresse patient brukar funktionshinder sam".split()
)
_DEFINITE_SUFFIX = re.compile(
    r"(förbundet|föreningen|stiftelsen|rörelsen|missionen|folkhögskolan|rådet)s?$"
)


def _generic_noun(text: str) -> bool:
    """A one-word pattern match that names a kind of organisation, not one: an
    indefinite form (`Studieförbund`) or a generic stem (`Ungdomsförbundet`)."""
    if " " in text:
        return False
    m = _DEFINITE_SUFFIX.search(text)
    if m is None:
        return True
    stem = text[: m.start()].casefold()
    if m.group(1) == "rådet":  # a council: Pensionärsrådet is one body, Samrådet is not
        return stem == "sam"
    return stem in GENERIC_STEMS


def _canonical_pattern_org(text: str) -> str:
    """A pattern-found organisation without its genitive s: "Psoriasisförbundets" → "…förbundet"."""
    text = " ".join(text.split())
    if re.search(rf"{_ORG_SUFFIX}s$", text):
        return text[:-1]
    return text


def mentions(text: str) -> list[Mention]:
    doc = entity_ruler()(text)
    found = []
    exact_forms = _exact_forms()
    for ent in doc.ents:
        kind, canonical, exact = (ent.ent_id_.split("|") + ["", ""])[:3]
        start, name = ent.start_char, ent.text
        if exact and name not in exact_forms:
            continue
        if kind == "ambiguous" and _doubtful(text, start, ent.end_char):
            continue
        if kind == "named":  # "föreningen MindShift Gotland": the name after the noun
            start = doc[ent.start + 1].idx
            name = FOOTNOTE_RE.sub("", text[start : ent.end_char])  # "REVES1" → "REVES"
            if canonical_region(name) or canonical_municipality(name):
                continue
            canonical = _organisation_lookup().get(name.casefold(), name)
        elif not canonical:
            if _generic_noun(name):
                continue
            canonical = _canonical_pattern_org(name)
        found.append(Mention(name, ent.label_, canonical, start, ent.end_char, kind))
    return found


@cache
def _organisation_lookup() -> dict[str, str]:
    return {alias.name.casefold(): alias.canonical for alias in organisation_aliases()}


def entities_of(found: list[Mention]) -> Entities:
    def names(label: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.canonical for m in found if m.label == label))

    return Entities(names(REGION), names(MUNICIPALITY), names(ORGANISATION), tuple(found))


def find_entities(text: str) -> Entities:
    """Canonical regions, municipalities and organisations named in `text`, in order of
    first mention; `mentions` keeps each match with its offsets."""
    return entities_of(mentions(text))


@cache
def _region_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for alias in region_aliases():
        for name in (alias.name, genitive(alias.name)):
            table[_key(name)] = alias.canonical
    return table


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\wåäö]+", " ", name.casefold()).split())


def canonical_region(name: str) -> str | None:
    """The official name of the region `name` denotes ("landstinget i värmland" →
    "Region Värmland"), or None. Also accepts names without "Region" ("Värmland")."""
    key = _key(name)
    lookup = _region_lookup()
    if key in lookup:
        return lookup[key]
    if key.startswith("region "):
        return lookup.get(key.removeprefix("region "))
    return lookup.get(f"region {key}")


def canonical_municipality(name: str) -> str | None:
    key = _key(name)
    for suffix in (" kommun", " stad"):
        key = key.removesuffix(suffix)
    for muni in MUNICIPALITIES:
        if _key(muni) in (key, key.removesuffix("s")):
            return muni
    return None
