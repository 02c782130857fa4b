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


@Language.component("sv_abbreviation_ends")
def _abbreviation_ends(doc: Doc) -> Doc:
    terminal = {v for a in abbreviations().terminal for v in _variants(a)}
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if token.text in terminal and following.text[:1].isupper():
            following.is_sent_start = True
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
