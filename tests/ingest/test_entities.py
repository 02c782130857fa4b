"""Gazetteers and the spaCy entity_ruler: canonical names from every way of writing them."""

from __future__ import annotations

import pytest

from ingest.entities import (
    COUNTIES,
    MUNICIPALITIES,
    REGIONS,
    canonical_municipality,
    canonical_region,
    entity_ruler,
    find_entities,
)


def test_gazetteers_are_complete():
    assert len(REGIONS) == 21 == len(set(REGIONS))
    assert len(MUNICIPALITIES) == 290 == len(set(MUNICIPALITIES))
    assert len(COUNTIES) == 21
    assert {"Region Värmland", "Västra Götalandsregionen", "Region Jönköpings län",
            "Region Kalmar län", "Region Örebro län", "Region Jämtland Härjedalen",
            "Region Stockholm", "Region Sörmland"} <= set(REGIONS)
    assert {"Karlstad", "Göteborg", "Malmö", "Upplands-Bro", "Malung-Sälen", "Östra Göinge"} <= set(
        MUNICIPALITIES
    )


def test_the_ruler_is_a_blank_swedish_spacy_pipeline():
    nlp = entity_ruler()
    assert nlp.lang == "sv"
    assert "entity_ruler" in nlp.pipe_names


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Landstinget i Värmland bjöd in till en inspirationsdag.", "Region Värmland"),
        ("Region Värmlands arbete med civilsamhället.", "Region Värmland"),
        ("Föreningar i Värmlands län kan söka bidrag.", "Region Värmland"),
        ("VGR tecknade ett IOP.", "Västra Götalandsregionen"),
        ("Inom Västra Götalandsregionens verksamhet.", "Västra Götalandsregionen"),
        ("Ja, region Uppsala har fyra överenskommelser.", "Region Uppsala"),
        ("Region Kalmar län bildades 2019.", "Region Kalmar län"),
        ("Stockholms läns landsting var huvudman.", "Region Stockholm"),
        ("Region Jämtland Härjedalen arbetar för utveckling.", "Region Jämtland Härjedalen"),
        ("Landstinget Sörmland hette det förr.", "Region Sörmland"),
        ("Ett samarbete på Gotland.", "Region Gotland"),
    ],
)
def test_region_names_are_canonical(text: str, region: str):
    assert find_entities(text).regions == (region,)


def test_municipalities_and_ambiguous_words():
    found = find_entities("Karlstads kommun, Göteborg och Vara kommun samarbetar.")
    assert found.municipalities == ("Karlstad", "Göteborg", "Vara")
    assert find_entities("Det ska vara en mark för alla.").municipalities == ()
    assert find_entities("Vara en förening är roligt.").municipalities == ()  # a verb


def test_organisations_from_gazetteer_and_patterns():
    text = (
        "IOP med Svenska Röda korset och Röda Korsets behandlingscenter, RF-SISU Uppland, "
        "Blekinge hembygdsförbund, Psoriasisförbundets medlemmar och Stiftelsen Båstadsfontänen."
    )
    orgs = find_entities(text).organisations
    assert orgs[0] == "Röda Korset" and orgs.count("Röda Korset") == 1
    assert {"RF-SISU", "Blekinge hembygdsförbund", "Psoriasisförbundet"} <= set(orgs)
    assert "Stiftelsen Båstadsfontänen" in orgs
    assert find_entities("ett forum för dialog").organisations == ()


def test_mentions_keep_offsets():
    text = "Samverkan med Region Skåne."
    (mention,) = find_entities(text).mentions
    assert text[mention.start : mention.end] == "Region Skåne"
    assert mention.name_kind == "official"


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("landstinget i värmland", "Region Värmland"),
        ("Värmland", "Region Värmland"),
        ("Jönköping", "Region Jönköpings län"),
        ("Västra Götaland", "Västra Götalandsregionen"),
        ("Region Orebro lan", None),  # diacritics matter here; folding is the index's job
        ("Atlantis", None),
    ],
)
def test_canonical_region(name: str, region: str | None):
    assert canonical_region(name) == region


def test_canonical_municipality():
    assert canonical_municipality("Karlstads kommun") == "Karlstad"
    assert canonical_municipality("Malmö stad") == "Malmö"
    assert canonical_municipality("Ingenstans") is None


def test_generic_organisation_nouns_are_not_names():
    text = "Studieförbund och Ungdomsförbundet får stöd, liksom Afasiföreningen."
    assert find_entities(text).organisations == ("Afasiföreningen",)


def test_folk_high_schools_and_networks_by_pattern():
    text = "Kurser ges av Sjöviks folkhögskola och folkhögskolan i byn."
    assert find_entities(text).organisations == ("Sjöviks folkhögskola",)
    network = find_entities("Nätverket Unga Röster träffas.").organisations
    assert network == ("Nätverket Unga Röster",)


@pytest.mark.parametrize(
    ("text", "municipalities"),
    [
        ("Under snittet ligger Kil (20 föreningar), Forshaga och Hammarö.",
         ("Kil", "Forshaga", "Hammarö")),
        ("Vara med och bidra till föreningslivet.", ()),  # a verb starting a sentence
        ("Anna Berg talade om samverkan.", ()),  # a surname
        ("Mötet hölls i Berg och i Nora.", ("Berg", "Nora")),
        ("Gotland är en ö.", ()),  # the region, not the municipality
        ("Gotlands kommun och Marks kommun.", ("Gotland", "Mark")),
    ],
)
def test_ambiguous_municipality_names(text: str, municipalities: tuple[str, ...]):
    assert find_entities(text).municipalities == municipalities


def test_councils_are_organisations():
    text = ("Regionen har tre råd: Rådet för idéburna organisationer, Rådet för Funktionsrätt "
            "och Pensionärsrådet. Samrådet träffas i maj.")
    assert find_entities(text).organisations == (
        "Rådet för idéburna organisationer", "Rådet för Funktionsrätt", "Pensionärsrådet")


def test_the_name_after_foreningen_is_an_organisation():
    text = ("Regionen startade med föreningen MindShift Gotland ett arbete, och med "
            "civilsamhällesorganisationen SEÖN och nätverket REVES1 samarbetar den också.")
    found = find_entities(text)
    assert found.organisations == ("MindShift Gotland", "SEÖN", "REVES")
    first = found.mentions[0]
    assert text[first.start : first.end] == "MindShift Gotland"
    assert find_entities("Avtalet med föreningen Region Gotland.").organisations == ()
