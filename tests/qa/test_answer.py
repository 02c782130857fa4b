"""Extractive answers on the real corpus: real ingest, real Whoosh index and
the real embedder (built once per session, vectors cached by pytest)."""

from __future__ import annotations

import pytest

from index.model import Hit
from ingest.model import Chunk
from search_app.engine import Engine
from search_app.qa.answer import answer
from search_app.qa.enumerations import enumeration_items
from search_app.qa.matching import tokens
from search_app.qa.params import AnswerParams
from search_app.qa.question import analyze
from search_app.qa.scoring import support, term_weights
from search_app.qa.tables import column_labels, disagreement, negated, row_verdicts, table_cells
from search_app.qa.units import sentences_of
from search_app.settings import Settings


@pytest.fixture(scope="session")
def engine(corpus_home) -> Engine:
    """The session's full-corpus index (tests/support.index.py), shared with the search tests."""
    return Engine(Settings(home=corpus_home))


def _quotes(result) -> list[str]:
    return [ev.quote for e in result.entities for ev in e.evidence]


def test_list_keeps_only_entities_with_the_relation(engine):
    result = answer(engine, "Vilka regioner har IOP med Funktionsrätt?")
    names = {e.name for e in result.entities}
    assert result.found and result.answer_type == "list"
    assert {"Region Uppsala", "Region Östergötland"} <= names
    # Hard negative: Region Värmland works with Funktionsrätt Värmland, but not by IOP.
    chunks = engine.backend().chunks
    assert any("Funktionsrätt" in c.text and "Region Värmland" in c.regions for c in chunks)
    assert "Region Värmland" not in names
    for entity in result.entities:
        assert entity.evidence and all(ev.chunk_id and ev.quote for ev in entity.evidence)
        assert any("Funktionsrätt" in ev.quote for ev in entity.evidence)


def test_english_list_question_gets_the_same_regions(engine):
    swedish = answer(engine, "Vilka regioner har IOP med Funktionsrätt?")
    english = answer(engine, "Which regions have an IOP with Funktionsrätt?")
    assert {e.name for e in english.entities} == {e.name for e in swedish.entities}


def test_factoid_marks_the_number_and_quotes_its_sentence(engine):
    question = "Hur många regionala organisationer har signerat Överenskommelsen Värmland?"
    result = answer(engine, question)
    assert result.found and result.span == "54"
    quote = result.answer.split("”")[1]
    assert "54" in quote and "Överenskommelsen Värmland" in result.answer


def test_definition_comes_from_the_glossary(engine):
    result = answer(engine, "Vad är en LÖK?")
    assert result.found and result.answer_type == "definition"
    assert "Lokal överenskommelse" in result.answer
    assert "kommuner och civilsamhället" in result.answer


def test_english_definition_is_answered_with_the_swedish_quote(engine):
    result = answer(engine, "What is a RÖK?")
    assert result.found
    assert "Regional överenskommelse är en form av samverkan" in result.answer


def test_region_not_in_the_corpus_is_refused_with_closest_passages(engine):
    result = answer(engine, "Hur arbetar Region Sörmland med civilsamhället?")
    assert not result.found
    assert result.sources and not result.entities


def test_figure_never_given_is_refused(engine):
    result = answer(engine, "Hur många kronor får EBL-skolan från Region Värmland?")
    assert not result.found


def test_json_shape(engine):
    data = answer(engine, "Vilka regioner har IOP med Funktionsrätt?").to_json()
    assert list(data) == ["question", "found", "answer_type", "answer", "entities", "sources"]
    evidence = data["entities"][0]["evidence"][0]
    assert list(evidence) == ["chunk_id", "doc_id", "title", "section", "page_start",
                              "page_end", "quote"]
    assert data["sources"] and {"chunk_id", "text", "score"} <= set(data["sources"][0])


@pytest.mark.parametrize(
    ("sentence", "items"),
    [
        ("Rådet består av: ABF (Arbetarnas bildningsförbund), SV (Studieförbundet "
         "Vuxenskolan) och NBV.", ["ABF", "SV", "NBV"]),
        ("Arbetet sker i tre faser: planeringsfas, genomförande- och uppföljningsfas "
         "samt avslutningsfas vilket tar ett år.",
         ["planeringsfas", "genomförande- och uppföljningsfas", "avslutningsfas"]),
    ],
)
def test_enumeration_items(sentence, items):
    assert enumeration_items(sentence) == items


@pytest.mark.parametrize(
    ("sentence", "items"),
    [
        # pairs joined by "och" stay one item; only the last piece splits at its "och"
        ("Planen vilar på öppenhet och insyn, ansvar och tillit, mod och nyfikenhet.",
         ["öppenhet och insyn", "ansvar och tillit", "mod", "nyfikenhet"]),
        # the lead-in is cut from the first item when it is clearly longer than the rest
        ("Kommunen ger stöd till körer, orkestrar och teatergrupper.",
         ["körer", "orkestrar", "teatergrupper"]),
        # items of several words, a clause after the last one
        ("Rådet arbetar med trygg skolväg för barn, stöd till unga vuxna samt "
         "aktiviteter för äldre där det behövs mest.",
         ["trygg skolväg för barn", "stöd till unga vuxna", "aktiviteter för äldre"]),
    ],
)
def test_enumeration_items_keep_pairs_and_drop_the_lead_in(sentence, items):
    assert enumeration_items(sentence) == items


@pytest.mark.parametrize("question", [
    "Vilka regioner har IOP med Röda Korset?",
    "vilka regioner har iop med roda korset",  # lower case, no å/ä/ö
    "Vilka regioner har IOP med Röda Kosret?",  # a typo in the name
    "Which regions have an IOP with the Red Cross?",  # English
])
def test_the_mission_question_survives_how_users_type_it(engine, question):
    reference = answer(engine, "Vilka regioner har IOP med Röda Korset?")
    result = answer(engine, question)
    assert reference.found and len(reference.entities) >= 3
    assert {e.name for e in result.entities} == {e.name for e in reference.entities}


def test_a_count_needs_a_unit_naming_what_is_counted(engine):
    # the corpus gives figures for Värmland, but none of hours of voluntary work
    result = answer(engine, "Hur många timmar ideellt arbete utförs i Värmland varje år?")
    assert not result.found


def test_a_region_typed_in_lower_case_restricts_the_answer(engine):
    result = answer(engine, "vilka ungdomsförbund får stöd i dalarna")
    assert all("Dalarna" in h.chunk.section_label or "Region Dalarna" in h.chunk.regions
               for h in result.sources[:1]) or not result.found


# ---------------------------------------------------------------- table vs. chapter

def test_table_nej_against_the_chapter_is_said_and_both_are_cited(engine):
    """The MUCF summary table says "Nej" under Överenskommelse for Region
    Västmanland; its chapter describes a multi-year agreement with the county's
    folk education association."""
    result = answer(engine, "Vilka regioner har en överenskommelse med länsbildningsförbundet?")
    by_name = {e.name: e for e in result.entities}
    assert result.found and "Region Västmanland" in by_name
    entity = by_name["Region Västmanland"]
    assert entity.conflict
    assert entity.note.startswith("Sammanfattningstabellen säger Nej under ”Överenskommelse”")
    assert "kapitlet om Region Västmanland" in entity.note
    chunks = {c.id: c for c in engine.backend().chunks}
    rows = [ev for ev in entity.evidence if chunks[ev.chunk_id].meta.get("table_row")]
    text = [ev for ev in entity.evidence if not chunks[ev.chunk_id].meta.get("table_row")]
    assert rows and rows[0].quote.startswith("Region Västmanland Nej Nej")
    assert text and "överenskommelse med Västmanlands länsbildningsförbund" in text[0].quote
    assert "Obs! Sammanfattningstabellen säger Nej" in result.answer
    data = result.to_json()["entities"]
    assert [list(e)[:3] for e in data] == [["name", "kind", "evidence"]] * len(data)
    assert {e["name"]: e["conflict"] for e in data}["Region Västmanland"] is True


def test_table_and_chapter_that_agree_get_no_note(engine):
    # Uppsala and Östergötland: "Ja" in the IOP column and an IOP in the chapter.
    result = answer(engine, "Vilka regioner har IOP med Funktionsrätt?")
    assert result.entities and not any(e.note or e.conflict for e in result.entities)
    assert "Obs!" not in result.answer
    assert all(e.to_json()["note"] == "" for e in result.entities)


def test_a_nej_cell_that_itself_supports_the_question_is_no_disagreement(engine):
    # "Region Dalarna Nej, Däremot arbetar regionen med att främja uppstarten av … (IOP)"
    result = answer(engine, "Vilka regioner arbetar med att främja uppstarten av IOP?")
    by_name = {e.name: e for e in result.entities}
    assert "Region Dalarna" in by_name and not by_name["Region Dalarna"].note


def test_a_bare_nej_cell_is_no_support(engine):
    """A row of the IOP table carries "IOP" in its header; its "Nej" does not
    make the region an answer (rows read "Region X Nej Nej")."""
    chunks = engine.backend().chunks
    bare = {c.regions[0] for c in chunks if c.meta.get("table_row")
            and c.text.split("\n", 1)[1] == f"{c.regions[0]} Nej Nej"}
    names = {e.name for e in answer(engine, "Vilka regioner har IOP?").entities}
    assert len(bare) >= 3 and not bare & names
    assert {"Region Gävleborg", "Region Östergötland"} <= names  # "Ja" in the IOP column


@pytest.mark.parametrize(
    ("header", "labels"),
    [
        ("Region idéburet offentligt partnerskap (IOP) Överenskommelse",
         ["idéburet offentligt partnerskap (IOP)", "Överenskommelse"]),
        ("Region IOP Överenskommelse", ["IOP", "Överenskommelse"]),
        ("Kommun | Föreningsbidrag | Lokal överenskommelse",
         ["Föreningsbidrag", "Lokal överenskommelse"]),
    ],
)
def test_column_labels(header, labels):
    assert column_labels(header) == labels


@pytest.mark.parametrize(
    ("row", "verdicts"),
    [
        ("Region Blekinge Nej Nej", ["Nej", "Nej"]),
        ("Region Gävleborg Ja Nej", ["Ja", "Nej"]),
        ("Region Gotland Ja, med Röda Korset Gotland för stöd och boendesamordning. | Nej",
         ["Ja", "Nej"]),
        ("Region Norrbotten Ja, Röda Korsets behandlingscenter. Ja, med folkbildningen om sju "
         "tematiska områden", ["Ja", "Ja"]),
        ("Region Skåne • Ja, Region Skåne har femton idéburna offentliga partnerskap (IOP).",
         ["Ja"]),
        ("Region Dalarna Nej, Däremot arbetar regionen med att främja uppstarten. | Nej",
         ["Nej", "Nej"]),
        # "nej" inside a sentence is no cell
        ("Region X Ja, men svaret var nej när frågan ställdes. Nej", ["Ja", "Nej"]),
    ],
)
def test_row_verdicts(row, verdicts):
    assert [v for v, _ in row_verdicts(row)] == verdicts


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Regionen har inga egna pågående idéburet ofentligt partnerskap (IOP).", True),
        ("Regionen har inte något idéburet offentligt partnerskap.", True),
        ("Det innebär att det inte är fråga om att utlysa eller söka ett idéburet ofentligt "
         "partnerskap (IOP) utan om att skapa en gemensam analys.", False),
        ("För det fall ett rättsligt utrymme saknas att genomföra en idéburet offentligt "
         "partnerskap (IOP) måste anskaffningen föregås av en upphandling.", False),
    ],
)
def test_negation_before_the_column_subject(sentence, expected):
    (iop,) = analyze("Vilka regioner har IOP?").terms
    assert negated(iop, tokens(sentence)) is expected


def _chunk(ordinal: int, text: str, section: tuple[str, ...], region: str,
           row: bool = False) -> Chunk:
    return Chunk(id=f"doc:{ordinal}", doc_id="doc", ordinal=ordinal, text=text,
                 section=section, page_start=ordinal, page_end=ordinal, title="Rapport",
                 regions=(region,), meta={"table_row": True} if row else {})


def test_table_ja_against_a_chapter_that_says_no():
    """Kept on a summary-table "Ja" alone while the region's chapter says it has
    no IOP: the note says so and cites the chapter sentence."""
    header = "Sammanfattning – Region IOP Överenskommelse"
    hits = [
        Hit(_chunk(1, f"{header}\nRegion Dalarna Ja, med Röda Korset. | Nej",
                   ("Sammanfattning",), "Region Dalarna", row=True), 1.0),
        Hit(_chunk(2, "Regionen har inga egna pågående idéburet offentligt partnerskap (IOP) "
                      "med Röda Korset.", ("3 Region Dalarna",), "Region Dalarna"), 0.9),
    ]
    a = analyze("Vilka regioner har IOP med Röda Korset?")
    sents = sentences_of(hits)
    weights = term_weights(a, sents)
    lexical = AnswerParams(dense_weight=0.0)  # these units have no vectors
    sups = [support(a, s, weights, p=lexical) for s in sents]
    kept = [s for s in sups if s.sentence.chunk.meta.get("table_row") and s.coverage >= 0.75]
    cells = [c for c in table_cells(hits, "region") if c.column == "IOP"]
    assert [(c.entity, c.verdict) for c in cells] == [("Region Dalarna", "Ja")]
    found = disagreement("Region Dalarna", kept, cells, sents, weights)
    assert found is not None
    note, other = found
    assert note.startswith("Sammanfattningstabellen säger Ja under ”IOP” för Region Dalarna, "
                           "men kapitlet om Region Dalarna säger: ”Regionen har inga egna")
    assert other.chunk.id == "doc:2"


def test_an_off_topic_question_with_known_words_is_refused_by_meaning(engine):
    # "kostar" and "nytt" occur in the documents; nothing there is close in meaning
    result = answer(engine, "Hur mycket kostar ett nytt körkort?")
    assert not result.found and "nära frågan" in result.answer
    assert result.sources  # the closest passages are still shown


def test_an_empty_question_is_refused_as_empty(engine):
    for question in ("", "   ", "?!"):
        result = answer(engine, question)
        assert not result.found and "tom" in result.answer
