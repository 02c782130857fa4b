"""Extractive, cited answers: `answer(engine, question) -> Answer`.

Every answer is built from sentences quoted from the retrieved chunks; nothing
is generated. The steps:

1. `question.analyze` gives the answer type, the entity kind asked for and the
   constraints (content terms with synonyms, proper names, named regions).
2. Retrieval goes wide (`AnswerParams.list_depth` chunks for list questions), and every
   retrieved chunk is split into sentences. Each sentence is attributed to
   entities: the regions it names, else the region whose chapter it stands in
   (the chunk's section path), else, in a table, the region of the row above.
3. A sentence *supports* the question by constraint coverage: the IDF-weighted
   share of the question's terms it contains (the section heading counts, so a
   row of a table headed "IOP" carries "IOP"). Proper names are hard
   constraints. List answers keep an entity only when one sentence attributed
   to it covers at least `AnswerParams.list_coverage`, so "samverkar med Röda Korset"
   without "IOP" does not make a region an answer to "IOP med Röda Korset".
   When a summary table's Ja/Nej cell for the question's column and the text
   disagree about a kept entity, the entity gets a Swedish `note` citing both
   (`disagreement`).
4. Non-gazetteer lists ("vilka steg …", "vilka organisationer sitter i …")
   come from the enumeration (comma list, bullets) of the best sentence.
5. Factoids, definitions and passages quote the best sentences; numbers and
   dates are marked as the answer span. Without a supporting sentence (a named
   entity the passages never mention, a figure never given, low coverage) the
   answer is `found: false`, and the closest passages are still listed.
"""

from __future__ import annotations

from dataclasses import replace

from search_app.qa.enumerations import enumeration
from search_app.qa.matching import normalize
from search_app.qa.model import Answer, Sentence
from search_app.qa.params import AnswerParams
from search_app.qa.question import analyze
from search_app.qa.scoring import (
    Matcher,
    correct_typos,
    decompound_names,
    document_frequencies,
    restore_diacritics,
    support,
    term_weights,
    unknown_share,
)
from search_app.qa.strategies import entity_list, refusal, sentences_answer
from search_app.qa.units import sentences_of


def with_similarities(engine, question: str, sents: list[Sentence],
                      p: AnswerParams) -> list[Sentence]:
    """Each unit with its cosine to the question, from the generation's unit
    vectors (unchanged when the index has none or the weight is 0)."""
    vectors = engine.unit_vectors() if p.dense_weight or p.min_closeness else None
    if vectors is None or not sents or vectors.embedder != engine.embedder.name:
        return sents  # no vectors, or another embedder's: words alone
    sims = vectors.similarities([s.text for s in sents], engine.embedder.embed_query(question))
    return [replace(s, similarity=float(x)) for s, x in zip(sents, sims, strict=True)]


def answer(engine, question: str, params: AnswerParams | None = None) -> Answer:
    p = params or AnswerParams()
    a = analyze(question)
    if not normalize(question):
        return refusal(a, [], "frågan är tom", p)
    depth = p.list_depth if a.answer_type == "list" else p.answer_depth
    hits = list(engine.retrieve(a.search_text, limit=depth, mode="hybrid"))
    sents = sentences_of(hits)
    if p.use_thesaurus:
        a = replace(a, terms=tuple(replace(t, variants=t.variants + t.synonyms) for t in a.terms))
    a = correct_typos(decompound_names(restore_diacritics(a, sents), sents), sents,
                      p.typo_edits)
    m = Matcher()
    df = document_frequencies(a, sents, m)
    if unknown_share(a, sents, df) > p.max_unknown_share:
        return refusal(a, hits, "frågans ord förekommer inte i dokumenten", p)
    weights = term_weights(a, sents, df, p.common_zipf)
    sents = with_similarities(engine, question, sents, p)
    if sents and 0 < max(s.similarity for s in sents) < p.min_closeness:
        return refusal(a, hits, "inget avsnitt ligger nära frågan i betydelse", p)
    supports = [support(a, s, weights, m, p) for s in sents]
    if a.answer_type == "list" and a.entity_kind in ("region", "municipality"):
        return entity_list(a, hits, supports, weights, p)
    if a.answer_type == "list":
        return enumeration(a, hits, supports, weights, p)
    return sentences_answer(a, hits, supports, weights, p)
