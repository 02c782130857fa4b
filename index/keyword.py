"""The Whoosh keyword index of one generation (BM25F over text, title, section).

Documents are written in chunks.jsonl order in one commit and optimised to one
segment, so a Whoosh docnum equals the chunk's row (checked when opened).

Query building is ours, not Whoosh's parser: each query word becomes an OR of
its analysed term in `text`/`title`/`section`; a word the index has never seen
is first restored from the index's own surface vocabulary (the `words` field):
the same word with å/ä/ö (`vasterbotten` -> `västerbotten`), else close
spellings (`Norbotten` -> `norrbotten`); glossary expansions
(`IOP` <-> `idéburet offentligt partnerskap`) are added as phrases.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.scoring import BM25F

from index.analysis import (
    TOKEN_PATTERN,
    AnalyzerParams,
    analyze,
    fold_ascii,
    split_compound,
    swedish_analyzer,
    swedish_stopwords,
)
from index.glossary import Glossary
from ingest.model import Chunk

DIRNAME = "whoosh"
FIELD_BOOSTS = {"text": 1.0, "title": 0.5, "section": 0.8}
PART_WEIGHT = 0.7  # a part of an unknown query compound
PROXIMITY_WEIGHT = 0.5  # two query words near each other in the text
PROXIMITY_SLOP = 3


def make_schema(params: AnalyzerParams) -> Schema:
    analyzer = swedish_analyzer(params)
    return Schema(
        row=NUMERIC(stored=True),
        chunk_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        kind=ID,
        year=ID,
        regions=KEYWORD(commas=True),
        municipalities=KEYWORD(commas=True),
        organisations=KEYWORD(commas=True),
        page_start=NUMERIC(stored=True),
        page_end=NUMERIC(stored=True),
        title=TEXT(analyzer=analyzer),
        section=TEXT(analyzer=analyzer),
        text=TEXT(analyzer=analyzer),
        words=TEXT(analyzer=RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter(), phrase=False),
    )


def write_keyword_index(directory: Path, chunks: Sequence[Chunk], params: AnalyzerParams) -> None:
    path = directory / DIRNAME
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), make_schema(params))
    writer = ix.writer(limitmb=256)
    for row, chunk in enumerate(chunks):
        writer.add_document(**_fields(row, chunk))
    writer.commit(optimize=True)
    ix.close()


def _fields(row: int, chunk: Chunk) -> dict:
    section = " ".join(chunk.section)
    return {
        "row": row,
        "chunk_id": chunk.id,
        "doc_id": chunk.doc_id,
        "kind": chunk.kind,
        "year": "" if chunk.year is None else str(chunk.year),
        "regions": ",".join(chunk.regions),
        "municipalities": ",".join(chunk.municipalities),
        "organisations": ",".join(chunk.organisations),
        "page_start": chunk.page_start,
        "page_end": chunk.page_end,
        "title": chunk.title,
        "section": section,
        "text": chunk.text,
        "words": f"{chunk.title} {section} {chunk.text}",
    }


@dataclass(frozen=True)
class KeywordHit:
    row: int
    score: float


@dataclass(frozen=True)
class ParsedQuery:
    """What a query text became: the Whoosh query, the analysed terms (for
    highlighting) and the words replaced by known spellings."""

    query: Q.Query | None
    terms: frozenset[str]
    corrections: dict[str, str]


class KeywordIndex:
    def __init__(self, directory: Path, params: AnalyzerParams, glossary: Glossary):
        self.ix = whoosh_index.open_dir(str(directory / DIRNAME))
        self.params = params
        self.glossary = glossary
        self.analyzer = swedish_analyzer(params)
        self.searcher = self.ix.searcher(weighting=BM25F(B=0.75, K1=1.2))
        self._lock = threading.RLock()  # one Whoosh searcher, shared by the web threads
        self._surface = self._surface_vocabulary()

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()

    def __len__(self) -> int:
        return self.searcher.doc_count()

    # --- vocabulary ---------------------------------------------------------

    def _surface_vocabulary(self) -> dict[str, list[tuple[str, int]]]:
        """folded form -> [(surface word, document frequency)], most frequent first."""
        by_fold: dict[str, list[tuple[str, int]]] = defaultdict(list)
        reader = self.searcher.reader()
        for raw, info in reader.iter_field("words"):
            word = raw.decode() if isinstance(raw, bytes) else raw
            if word.isalpha():
                by_fold[fold_ascii(word)].append((word, info.doc_frequency()))
        for forms in by_fold.values():
            forms.sort(key=lambda f: -f[1])
        return dict(by_fold)

    def knows(self, word: str) -> bool:
        return any(w == word for w, _ in self._surface.get(fold_ascii(word), ()))

    def restore(self, word: str) -> list[str]:
        """Known spellings for an unknown word: the same letters with
        diacritics, else words within a small edit distance (folded)."""
        folded = fold_ascii(word)
        same = self._surface.get(folded)
        if same:
            return [w for w, _ in same[:2]]
        if len(folded) < 5 or not folded.isalpha():
            return []
        limit = 1 if len(folded) < 9 else 2
        close = []
        for other, forms in self._surface.items():
            if abs(len(other) - len(folded)) > limit:
                continue
            dist = Levenshtein.distance(folded, other, score_cutoff=limit)
            if dist <= limit:
                close.append((dist, -forms[0][1], forms[0][0]))
        close.sort()
        return [w for _, _, w in close[:2]]

    # --- queries ------------------------------------------------------------

    def _analyze(self, text: str) -> list[str]:
        return analyze(self.analyzer, text)

    def parse(self, text: str) -> ParsedQuery:
        with self._lock:
            return self._parse(text)

    def _parse(self, text: str) -> ParsedQuery:
        words = [t.text for t in _WORDS(text)]
        stops = swedish_stopwords()
        groups: list[Q.Query] = []
        terms: set[str] = set()
        corrections: dict[str, str] = {}
        sequence: list[str] = []  # first analysed term per content word, for proximity
        for word in words:
            if word in stops:
                continue
            variants = [word]
            if not self.knows(word):
                restored = self.restore(word)
                if restored:
                    corrections[word] = restored[0]
                    variants += restored
            alts = []
            for i, variant in enumerate(variants):
                for term in analyze(self.analyzer, variant):
                    if i == len(variants) - 1 and term == analyze(self.analyzer, variant)[0]:
                        sequence.append(term)
                    terms.add(term)
                    alts.extend(_term_alternatives(term))
                    alts.extend(self._parts_of_unknown(term, terms))
            if alts:
                groups.append(Q.Or(alts))
        if PROXIMITY_WEIGHT > 0:
            for a, b in zip(sequence, sequence[1:], strict=False):
                groups.append(Q.Phrase("text", [a, b], slop=PROXIMITY_SLOP, boost=PROXIMITY_WEIGHT))
        corrected = " ".join(corrections.get(w, w) for w in words)
        for phrase, weight in self.glossary.expansions(corrected, self._analyze):
            phrase_terms = self._analyze(phrase)
            if phrase_terms:
                terms.update(phrase_terms)
                groups.append(_phrase(phrase_terms, weight))
        query = Q.Or(groups) if groups else None
        return ParsedQuery(query, frozenset(terms), corrections)

    def _parts_of_unknown(self, term: str, terms: set[str]) -> list[Q.Query]:
        """A compound the index has never seen is looked for by its parts
        (`värmlandsöverenskommelsen` -> `värmland`, `överenskommelse`)."""
        if self.searcher.doc_frequency("text", term) > 0:
            return []
        parts = split_compound(
            term, self.params.min_part, self.params.min_zipf, self.params.max_zipf_whole
        )
        out = []
        for part in parts[:2]:
            for part_term in analyze(self.analyzer, part):
                terms.add(part_term)
                out.extend(_term_alternatives(part_term, PART_WEIGHT))
        return out

    def search(
        self, parsed: ParsedQuery, limit: int | None, allowed: Iterable[int] | None = None
    ) -> list[KeywordHit]:
        if parsed.query is None:
            return []
        kwargs = {}
        if allowed is not None:
            kwargs["filter"] = set(allowed)
            if not kwargs["filter"]:  # Whoosh reads an empty filter as no filter
                return []
        with self._lock:
            results = self.searcher.search(parsed.query, limit=limit, **kwargs)
            return [KeywordHit(hit.docnum, float(hit.score)) for hit in results]


_WORDS = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()


def _term_alternatives(term: str, weight: float = 1.0) -> list[Q.Query]:
    return [Q.Term(field, term, boost=boost * weight) for field, boost in FIELD_BOOSTS.items()]


def _phrase(terms: list[str], weight: float = 1.0) -> Q.Query:
    if len(terms) == 1:
        return Q.Or(_term_alternatives(terms[0], weight))
    return Q.Or([
        Q.Phrase(field, terms, slop=2, boost=boost * weight)
        for field, boost in FIELD_BOOSTS.items()
    ])
