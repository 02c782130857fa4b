"""Question analysis: answer types, entity kinds and constraints, as tables."""

from __future__ import annotations

import pytest

from index.analysis import fold_ascii
from search_app.qa.matching import Term, matches, normalize, tokens
from search_app.qa.question import (
    analyze,
    classify,
    definition_subject,
    detect_language,
    enumeration_hint,
    expand_query,
    expected_count,
    is_swedish,
    kept_in_english,
    split_alternatives,
    translate,
)


@pytest.mark.parametrize(
    ("question", "answer_type", "kind"),
    [
        ("Vilka kommuner har en lokal överenskommelse?", "list", "municipality"),
        ("vilka landsting samverkar med idrottsrörelsen", "list", "region"),
        ("Which regions support folk high schools?", "list", "region"),
        ("Vilka föreningar får bidrag av regionen?", "list", "organisation"),
        ("Vilka idrottsorganisationer nämns?", "list", "organisation"),
        ("Vilka faser ingår i arbetet?", "list", "other"),
        ("Vilka är de fyra målen i planen?", "list", "other"),
        ("Hur många ledamöter har rådet?", "count", "number"),
        ("hur mycket bidrag delas ut", "count", "number"),
        ("How many members does the council have?", "count", "number"),
        ("När signerades överenskommelsen?", "date", "date"),
        ("When was the agreement signed?", "date", "date"),
        ("Vad är en RÖK?", "definition", None),
        ("Vad betyder ANDTS?", "definition", None),
        ("Vad innebär principen om öppenhet och insyn?", "definition", None),
        ("Vad menas med social ekonomi?", "definition", None),
        ("What is an IOP?", "definition", None),
        ("Har Region Kalmar län ett IOP?", "yesno", None),
        ("Finns det en överenskommelse i Örebro?", "yesno", None),
        ("Hur arbetar Region Halland med integration?", "passage", None),
        ("Varför behövs en överenskommelse?", "passage", None),
        ("Vad säger handlingsplanen om uppföljning?", "passage", None),
        ("Vilken organisation driver Fontänhuset?", "factoid", "organisation"),
        ("Vem ansvarar för samordningen?", "factoid", "other"),
        ("Hur ofta träffas nämnden?", "count", "frequency"),
        ("hur lange galler stodet", "count", "duration"),
        ("How often does the council meet?", "count", "frequency"),
        ("Vad är bidraget till föreningarna värt i kronor?", "count", "number"),
        ("Vad kostar utbildningen?", "count", "number"),
        ("Who are the members of the council?", "list", "other"),
        ("avgifter för lokaler kommunen", "list", "other"),  # keyword query, plural head
        ("avgift för lokaler kommunen", "passage", None),
    ],
)
def test_classify(question, answer_type, kind):
    norm = normalize(translate(question)[0])
    assert classify(norm, normalize(question)) == (answer_type, kind)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Which regions have a partnership with the Red Cross?", "en"),
        ("What is meant by a reserved contract?", "en"),
        ("Vilka regioner har en överenskommelse?", "sv"),
        ("hur manga foreningar finns i torsby", "sv"),
        ("Anmälan till DO om diskriminering", "sv"),  # capitals are names
        ("WHO riktlinjer psykisk hälsa", "sv"),
        ("Save the Children Sverige", "sv"),  # one English word, not first
        ("is", "sv"),  # short queries stay Swedish
        ("What is IOP?", "en"),
    ],
)
def test_language(question, language):
    assert detect_language(question) == language


def test_english_question_keeps_swedish_terms_and_names_only():
    # Untranslated English words cannot occur in the Swedish documents; as
    # constraints they would make every answer a refusal.
    a = analyze("Does the MUCF action plan mention pensioners and unemployed youth?")
    texts = {t.text.casefold() for t in a.terms}
    assert a.language == "en"
    assert {"mucf", "handlingsplan"} <= texts and texts & {"pensionär", "pensionärer"}
    assert not texts & {"mention", "unemployed"}
    assert "budget" in {t.text for t in analyze("What is the budget of the action plan?").terms}


@pytest.mark.parametrize(("text", "swedish"), [
    ("pensionärer", True), ("budget", True), ("region", True), ("integration", True),
    ("mention", False), ("unemployed", False), ("röda korset", True), ("volunteer work", False),
])
def test_is_swedish(text, swedish):
    assert is_swedish(text) is swedish


def test_abbreviations_stay_constraints_in_english_questions():
    # "CEO" and "LGBT" are clearly more frequent in English than Swedish: only their
    # capitals keep them.
    for text in ("CEO", "LGBT"):
        term = Term(text, ((text.casefold(),),))
        assert not is_swedish(text) and kept_in_english(term)
    assert not kept_in_english(Term("mention", (("mention",),)))
    assert kept_in_english(Term("clubs | körer", (("clubs",), ("körer",))))


def test_swedish_question_keeps_all_content_words():
    a = analyze("Nämner handlingsplanen pensionärer och arbetslösa ungdomar?")
    assert {"pensionärer", "arbetslösa", "ungdomar"} <= {t.text.casefold() for t in a.terms}


def test_translation_keeps_names_and_maps_content_words():
    swedish, alternatives = translate("Which hospitals have Red Cross volunteers?")
    assert swedish == "Which sjukhus have Röda Korset volontär ?"
    assert "lasarett" in alternatives["sjukhus"]


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Vad är en LÖK?", "LÖK"),
        ("Vad menas med hälsosamma levnadsvanor?", "hälsosamma levnadsvanor"),
        ("Vad betyder social ekonomi i rapporten?", "social ekonomi"),
        ("What is the European Code referred to in the report?", "European Code"),
    ],
)
def test_definition_subject(question, subject):
    assert definition_subject(question) == subject


def test_alternatives_after_for_example_are_one_group():
    main, alternatives = split_alternatives(
        "Vilka kommuner har ett råd, t.ex. ungdomsråd, äldreråd eller integrationsråd?")
    assert main == "Vilka kommuner har ett råd"
    assert alternatives == ["ungdomsråd", "äldreråd", "integrationsråd"]


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("Vilka är regionens tre strategiska mål?", 3),
        ("Vilka är de fem faserna?", 5),
        ("Vilka regioner har IOP?", None),
        ("Vilka aktiviteter planerades under 2018?", None),
    ],
)
def test_expected_count(question, count):
    assert expected_count(normalize(question)) == count


def _term(*phrases: str) -> Term:
    return Term(text=phrases[0], variants=tuple(tokens(p) for p in phrases))


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("minoriteterna", "samråd med de nationella minoriteternas företrädare", True),
        ("minoriteter", "inom minoritetsområdet", True),  # inside a compound
        ("råd", "det regionala funktionshinderrådet", True),  # compound head
        ("offentliga", "idéburna ofentliga partnerskap", True),  # dropped ligature
        ("folkhögskolor", "ansvarar för folkhögskolan", True),
        ("samråd", "regionen samråder med", True),
        ("röda korset", "Röda Korsets behandlingscenter", True),
        ("röda korset", "Röda Fältet och Korset", False),
        ("iop", "ett partnerskap med kommunen", False),
        ("råd", "ett avtal med rådgivare", True),  # prefix
        ("kod", "europeisk kodex", True),
        ("kod", "periodiska rapporter", False),
    ],
)
def test_term_matching(phrase, text, expected):
    assert matches(_term(phrase), tokens(text)) is expected


def test_synonym_variants_match_either_spelling():
    iop = _term("iop", "idéburet offentligt partnerskap")
    assert matches(iop, tokens("tre idéburna offentliga partnerskap"))
    assert matches(iop, tokens("ett IOP med kommunen"))


def test_enumeration_hint_finds_head_noun():
    assert enumeration_hint("Vilka faser går man igenom?") == "faser"


@pytest.mark.parametrize(
    ("abbreviation", "text", "expected"),
    [
        ("ÖK", "regionen har en ÖK med civilsamhället", True),
        ("ÖK", "arbetet med ÖK:n fortsätter", True),  # inflected with colon
        ("ÖK", "ÖK:ns parter", True),
        ("ÖK", "för att öka deltagandet", False),  # an ordinary word, not ÖK
        ("ÖK", "ett ökat intresse och ökade bidrag", False),
        ("ÖK", "i öknen", False),
        ("LÖK", "kommunens LÖK antogs 2019", True),
        ("LÖK", "LÖK:en gäller i fyra år", True),
        ("LÖK", "löken skalas", False),
        ("RÖK", "en regional överenskommelse (RÖK) mellan", True),
        ("RÖK", "RÖKen undertecknades", True),  # caps with a lower-case ending
        ("RÖK", "förbud mot att röka", False),
        ("RÖK", "röken från branden", False),
        ("IOP", "regionen har tre IOP:er", True),
        ("IOP", "IOP:erna med Röda Korset", True),
        ("IOP", "fler IOPer", True),
        ("IOP", "iop med kommunen", True),  # any case as a whole token
        ("IOP", "IOP-avtal", True),
        ("IOP", "iopxyz", False),
        ("SKL", "SKL:s position", True),
        ("SKL", "SKLs styrelse", True),
        ("SKL", "sklerosföreningen", False),
        ("SKR", "en skrivelse från regionen", False),
        ("ANDTS", "ANDTS Alkohol, narkotika, dopning, tobak och spel", True),
        ("ANDTS", "ANDTS-strategin", True),
    ],
)
def test_abbreviations_match_whole_tokens_only(abbreviation, text, expected):
    (term,) = [t for t in analyze(f"Vad säger dokumenten om {abbreviation}?").terms
               if t.text == abbreviation]
    assert fold_ascii(abbreviation.casefold()) in term.exact
    assert matches(term, tokens(text)) is expected


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        # the expansion keeps inflection- and compound-aware matching
        ("Vilka regioner har överenskommelser?", "en flerårig överenskommelse med", True),
        ("Vilka regioner har överenskommelser?", "överenskommelsens parter", True),
        ("Vilka regioner har överenskommelser?", "regionen har en ÖK", True),
        ("Vilka regioner har överenskommelser?", "stödet ska öka", False),
        ("Vilka regioner har överenskommelser?", "ökade anslag", False),
        ("Vilka regioner har IOP?", "tre idéburna offentliga partnerskap", True),
        ("Vilka regioner har IOP?", "ett idéburet offentligt partnerskap", True),
        ("Vilka regioner har IOP?", "IOP:erna", True),
        ("Vad är en LÖK?", "en lokal överenskommelse", True),
        ("Vad är en LÖK?", "lokala överenskommelser", True),
        ("Vad är en LÖK?", "löken", False),
    ],
)
def test_abbreviation_synonyms_keep_expansions_inflection_aware(question, text, expected):
    (term,) = analyze(question).terms
    assert matches(term, tokens(text)) is expected


def test_query_expansion_needs_the_whole_abbreviation():
    assert "överenskommelse" in expand_query("Vilka kommuner har en ÖK?")
    assert "överenskommelse" in expand_query("Vilka kommuner har ÖK:er?")
    assert "överenskommelse" not in expand_query("Hur kan regionen öka deltagandet?")
    assert "sveriges kommuner" not in expand_query("Vem skrev handlingsplanen?")
    assert "sveriges kommuner" in expand_query("Vad säger SKL:s position?")


def test_english_words_become_swedish_with_alternatives():
    from search_app.qa.question import translate

    swedish, alternatives = translate("Which hospitals work with volunteers and the Red Cross?")
    assert "sjukhus" in swedish and "volontär" in swedish and "Röda Korset" in swedish
    assert "Which" in swedish  # function words stay
    assert all(isinstance(v, tuple) for v in alternatives.values())


def test_names_inside_an_english_question_stay_names():
    a = analyze("Who are Region Västernorrland's partners in its ABM collaboration?")
    assert a.regions == ("Region Västernorrland",)
    assert any(t.text == "ABM" for t in a.terms)


@pytest.mark.parametrize(("question", "regions"), [
    ("hur många studieförbund finns i dalarna", ("Region Dalarna",)),
    ("Vilka kommuner i ostergotland har LÖK?", ("Region Östergötland",)),
    ("Hur arbetar Norbotten med civilsamhället?", ("Region Norrbotten",)),
    ("Hur arbetar regionen med kultur?", ()),
])
def test_regions_are_found_in_any_case_without_diacritics_and_misspelt(question, regions):
    a = analyze(question)
    assert a.regions == regions
    assert not any(t.text.casefold() in {"dalarna", "ostergotland", "norbotten"}
                   for t in a.terms)


@pytest.mark.parametrize(("question", "focus"), [
    ("Hur många studieförbund finns i länet?", ("studieförbund",)),
    ("hur manga timmar ideellt arbete gors", ("timmar",)),
    ("Vad heter ordföranden i rådet?", ("ordföranden",)),
    ("Vilka regioner har IOP?", ()),
])
def test_focus_of_count_and_name_questions(question, focus):
    assert analyze(question).focus == focus


@pytest.mark.parametrize(("question", "answer_type", "kind"), [
    ("kulturting vilka regioner", "list", "region"),
    ("Hur många regioner stöder hembygdsrörelsen och vilka?", "list", "region"),
    ("hur manga kommuner har lok", "list", "municipality"),
    ("nar antogs planen", "date", "date"),
    ("Vad heter ordföranden?", "factoid", "other"),
    ("kulturting regioner", "list", "region"),  # a keyword query naming a kind
    ("Hur arbetar regionerna med kultur?", "passage", None),
    ("samverkan kommuner föreningar", "passage", None),  # two kinds: no list
    ("What are the regions that have an IOP with the Red Cross?", "list", "region"),
])
def test_classify_anywhere_and_without_diacritics(question, answer_type, kind):
    a = analyze(question)
    assert (a.answer_type, a.entity_kind) == (answer_type, kind)


@pytest.mark.parametrize(("sentence", "question", "span"), [
    ("Rådet träffas fyra gånger per år och dess arbetsutskott var tredje vecka.",
     "Hur ofta träffas arbetsutskottet?", "var tredje vecka"),
    ("Rådet träffas fyra gånger per år och dess arbetsutskott var tredje vecka.",
     "Hur ofta träffas rådet?", "fyra gånger per år"),
    ("Nämnden sammanträder 4–6 gånger/år.", "hur ofta sammanträder nämnden", "4–6 gånger/år"),
    ("Stödet ges för ett till tre år och kan förlängas.", "Hur länge ges stödet?",
     "ett till tre år"),
    ("Arbetet ska bidra till regionens vision ”Ett gott liv” som antogs 2005.",
     "Vad heter regionens vision?", "Ett gott liv"),
    ("Föreningen ska ha minst 200 registrerade medlemmar i åldern 6-25 år.",
     "Hur många medlemmar krävs?", "200"),
    ("Föreningen har 1 200 medlemmar enligt rapporten (3).",
     "Hur många medlemmar har föreningen?", "1 200"),
])
def test_value_spans(sentence, question, span):
    """The value a count, frequency, duration or name question asks for, nearest the
    question's words; a bracketed reference number is never an answer."""
    from index.model import Hit
    from ingest.model import Chunk
    from search_app.qa.strategies import _span
    from search_app.qa.units import sentences_of

    hit = Hit(Chunk(id="d:0", doc_id="d", ordinal=0, text=sentence, section=(),
                    page_start=1, page_end=1), 1.0)
    (unit,) = sentences_of([hit])
    assert _span(analyze(question), unit) == span
