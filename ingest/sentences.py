"""Swedish sentence splitting: spaCy's rule-based `sentencizer` on a blank Swedish
pipeline, taught the abbreviations in `data/abbreviations_sv.txt`.

Each abbreviation becomes one token (so its full stops are not sentence ends);
abbreviations marked as possible sentence ends (`osv.`, `m.fl.`) end a sentence
when the next word is capitalised.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

ABBREVIATIONS_FILE = "abbreviations_sv.txt"


@dataclass(frozen=True)
class Abbreviations:
    inner: frozenset[str]  # never end a sentence
    terminal: frozenset[str]  # may end a sentence before a capitalised word


@cache
def abbreviations() -> Abbreviations:
    text = resources.files("ingest").joinpath("data", ABBREVIATIONS_FILE).read_text("utf-8")
    inner: set[str] = set()
    terminal: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, flag = line.partition(" !")
        (terminal if flag == "" and line.endswith(" !") else inner).add(word.strip())
    return Abbreviations(frozenset(inner), frozenset(terminal))


def _variants(abbrev: str) -> set[str]:
    return {abbrev, abbrev[:1].upper() + abbrev[1:]}


@cache
def _compact() -> dict[str, bool]:
    """Abbreviations without spaces, lower case → may end a sentence."""
    abbrevs = abbreviations()
    table = {a.replace(" ", "").lower(): False for a in abbrevs.inner}
    table.update({a.replace(" ", "").lower(): True for a in abbrevs.terminal})
    return table


MAX_ABBREVIATION_TOKENS = 6


def _spaced_abbreviation(doc: Doc, i: int) -> tuple[int, bool] | None:
    """(index after, may end a sentence) when tokens from `i` spell an abbreviation
    written with spaces or split by the tokenizer (`bl. a.`, `m. fl.`)."""
    joined = ""
    for j in range(i, min(i + MAX_ABBREVIATION_TOKENS, len(doc))):
        joined += doc[j].text.lower()
        if j > i and joined in _compact():
            return j + 1, _compact()[joined]
    return None


@Language.component("sv_abbreviation_ends")
def _abbreviation_ends(doc: Doc) -> Doc:
    """No sentence starts inside an abbreviation; after one that may end a
    sentence (`osv.`) a capitalised word starts a new one."""
    terminal = {v for a in abbreviations().terminal for v in _variants(a)}
    i = 0
    while i < len(doc):
        found = _spaced_abbreviation(doc, i) if doc[i].text[:1].isalpha() else None
        if found is None:
            if doc[i].text in terminal and i + 1 < len(doc) and doc[i + 1].text[:1].isupper():
                doc[i + 1].is_sent_start = True
            i += 1
            continue
        end, may_end = found
        for j in range(i + 1, end):
            doc[j].is_sent_start = False
        if end < len(doc):
            doc[end].is_sent_start = may_end and doc[end].text[:1].isupper()
        i = end
    return doc


@cache
def nlp() -> Language:
    """A blank Swedish pipeline with the sentencizer; built once per process."""
    pipeline = spacy.blank("sv")
    abbrevs = abbreviations()
    for abbrev in abbrevs.inner | abbrevs.terminal:
        if " " in abbrev:
            continue
        for variant in _variants(abbrev):
            pipeline.tokenizer.add_special_case(variant, [{ORTH: variant}])
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("sv_abbreviation_ends")
    return pipeline


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences of `text`, whitespace trimmed."""
    doc = nlp()(text)
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]
