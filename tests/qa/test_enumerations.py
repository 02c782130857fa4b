"""Enumerations and term weights, on passages written for these tests (real
analysis chain, thesaurus and word frequencies; no index needed)."""

from __future__ import annotations

from index.model import Hit
from ingest.model import Chunk
from search_app.qa.enumerations import (
    announced_count,
    enumeration,
    enumeration_items,
    listness,
)
from search_app.qa.matching import Term
from search_app.qa.params import AnswerParams
from search_app.qa.question import analyze
from search_app.qa.scoring import specificity, support, term_weights
from search_app.qa.units import sentences_of

LEXICAL = AnswerParams(dense_weight=0.0)  # these units have no vectors


def _hits(*texts: str, title: str = "Rapport") -> list[Hit]:
    return [Hit(Chunk(id=f"doc:{i}", doc_id="doc", ordinal=i, text=text, section=("Avsnitt",),
                      page_start=1, page_end=1, title=title), 1.0 - i / 10)
            for i, text in enumerate(texts)]


def _enumeration(question: str, hits: list[Hit]) -> list[str]:
    a = analyze(question)
    sents = sentences_of(hits)
    weights = term_weights(a, sents)
    supports = [support(a, s, weights, p=LEXICAL) for s in sents]
    return [e.name for e in enumeration(a, hits, supports, weights, LEXICAL).entities]


def test_a_list_introduced_by_the_sentence_before_wins_over_a_wordier_sentence():
    """ "… vilar på fyra värden. Dessa är …": the list sentence shares no word with
    the question, its lead-in does, and it has the four members announced."""
    hits = _hits(
        "Planen för föreningslivet vilar på ett beslut i nämnden, en budget och en "
        "tidsplan som följs upp varje år.",
        "Planen för föreningslivet vilar på fyra värden. Dessa är öppenhet, tillit, "
        "mod och nyfikenhet.",
    )
    assert _enumeration("Vilka värden vilar planen för föreningslivet på?", hits) == [
        "öppenhet", "tillit", "mod", "nyfikenhet"]


def test_a_list_resumed_by_the_sentence_after_counts_as_answering():
    """ "A, B och C … Inom dessa områden …": the sentence after names what the list is."""
    hits = _hits(
        "Läxhjälp, idrott för unga, språkcaféer och stöd till äldre är exempel på "
        "verksamheter. Inom dessa områden passar samverkan med föreningar särskilt bra.",
        "Kommunen har en nämnd för kultur och fritid.",
    )
    assert _enumeration("Inom vilka områden passar samverkan med föreningar?", hits) == [
        "Läxhjälp", "idrott för unga", "språkcaféer", "stöd till äldre"]


def test_an_enumeration_that_is_the_subject_ends_at_its_predicate():
    sentence = ("Idrott för barn, stöd till äldre samt läxhjälp där behoven är störst, "
                "är exempel på områden där samverkan behövs.")
    assert enumeration_items(sentence) == ["Idrott för barn", "stöd till äldre", "läxhjälp"]


def test_listness_prefers_short_parallel_members_to_clause_pieces():
    members = ["öppenhet", "tillit", "mod", "nyfikenhet"]
    pieces = ["Regionen", "som har ansvar för frågan sedan länge i sin helhet", "kultur"]
    assert listness(members) > listness(pieces)
    assert 0.0 <= listness(pieces) <= listness(members) <= 1.0


def test_announced_count():
    assert announced_count("Modellen har fyra former för samverkan:") == 4
    assert announced_count("Arbetet bygger på 6 principer.") == 6
    assert announced_count("Regionen har en modell för samverkan:") is None
    assert announced_count("tre råd och fem nämnder") is None  # two counts: none announced


def test_common_words_weigh_less_than_words_about_content():
    common = Term(text="tycker", variants=(("tyck",),))
    rare = Term(text="statsbidrag", variants=(("statsbidrag",),))
    name = Term(text="Kultur", variants=(("kultur",),), is_name=True)
    assert specificity(common, 4.0) < 0.5 < specificity(rare, 4.0) == 1.0
    assert specificity(name, 4.0) == 1.0
    assert specificity(common, 7.0) == 1.0  # off


def test_a_name_in_the_document_title_satisfies_the_question():
    hits = _hits("Partnerskap passar bäst inom förebyggande arbete.",
                 title="Samverkan med civilsamhället (Förbundets position)")
    a = analyze("Var tycker Förbundets styrelse att partnerskap passar?")
    sents = sentences_of(hits)
    assert all(support(a, s, term_weights(a, sents), p=LEXICAL).names_ok for s in sents)
