"""Cleaning steps on real Swedish lines (from the shipped corpus), before → after."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest.clean import (
    batch_vocab,
    clean_pages,
    join_lines,
    join_split_initials,
    keeps_hyphen,
    normalize,
    split_glued_words,
    suspended_pairs,
)
from ingest.model import Block, CleanReport, Page
from ingest.textfile import read_text
from tests.support import CORPUS


def text_pages(text: str) -> list[Page]:
    """A text file as the text reader gives it: one block per raw line."""
    return [Page(1, tuple(Block(line) for line in text.split("\n")))]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\uf0b7 stärka de idéburna organisationernas", "• stärka de idéburna organisationernas"),
        ("•\tmöta samhällsutmaningar", "• möta samhällsutmaningar"),
        ("över 5\u202f000 registrerade", "över 5 000 registrerade"),
        ("of\ufb01ciella \ufb02era \ufb00 \ufb03 \ufb04", "officiella flera ff ffi ffl"),
        ("sam\u00adverkan\u00a0mellan\u2003parterna", "samverkan mellan parterna"),
        ("                                                      ", ""),
        (" Inledning ", " Inledning"),
    ],
)
def test_normalize(raw, clean):
    assert normalize(raw) == clean


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["Överenskommelse är en form av samver-", "kansmodell som sker"],
         "Överenskommelse är en form av samverkansmodell som sker"),
        (["består av en formalise-", "rad och en icke-formaliserad del"],
         "består av en formaliserad och en icke-formaliserad del"),
        (["utförare och leverantörer av hälso-", "och sjukvård"],
         "utförare och leverantörer av hälso- och sjukvård"),
        (["med Barnombudet i Uppsala län, Funktionsrätt Uppsala län, RF-", "SISU Uppland"],
         "med Barnombudet i Uppsala län, Funktionsrätt Uppsala län, RF-SISU Uppland"),
        (["ansöka om EU-", "medel"], "ansöka om EU-medel"),
        (["ÖNH Öron-", ", Näsa-, och Hals"], "ÖNH Öron-, Näsa-, och Hals"),
        (["tredje sektorn, folkrörelse, föreningar", "med mera."],
         "tredje sektorn, folkrörelse, föreningar med mera."),
    ],
)
def test_join_lines(lines, joined):
    assert join_lines(lines) == joined


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("19 V ästra Götalandsregionen", "19 Västra Götalandsregionen"),
        ("I samband med författande av Kulturplan", "I samband med författande av Kulturplan"),
        ("I den regionala infrastrukturen", "I den regionala infrastrukturen"),
    ],
)
def test_join_split_initials(before, after):
    assert join_split_initials(before) == after


def test_split_glued_words():
    assert split_glued_words("Kvalitet MångfaldÖppenhet") == "Kvalitet Mångfald Öppenhet"
    assert split_glued_words("MindShift och LaSSes Brukarstöd") == "MindShift och LaSSes Brukarstöd"


# The batch writes "hälso- och sjukvård" elsewhere; one source line drops "och".
SUSPENDED_VOCAB = Counter(suspended_pairs("inom hälso- och sjukvården samt kultur- och fritid"))


@pytest.mark.parametrize(
    ("lines", "vocab", "joined"),
    [
        # before: "hälsosjukvård" (no word); the pair is a suspended compound of the batch
        (["leverantörer av hälso-", "sjukvård och omsorg"], SUSPENDED_VOCAB,
         "leverantörer av hälso- sjukvård och omsorg"),
        # no evidence for the pair: joined as before
        (["leverantörer av hälso-", "sjukvård och omsorg"], None,
         "leverantörer av hälsosjukvård och omsorg"),
        # the first part is suspended elsewhere, but not with this second part
        (["regionens kultur-", "budget"], SUSPENDED_VOCAB, "regionens kulturbudget"),
        # a known joined form stays joined whatever the batch writes
        (["inom hälso-", "främjande arbete"], Counter(suspended_pairs("hälso- och främjande")),
         "inom hälsofrämjande arbete"),
        (["samver-", "kan"], SUSPENDED_VOCAB, "samverkan"),
    ],
)
def test_suspended_compound_without_och(lines, vocab, joined):
    assert join_lines(lines, vocab=vocab) == joined


def test_suspended_pairs():
    text = "hälso- och sjukvård, Trafik-, eller samhällsplanering och kultur- samt fritid"
    assert suspended_pairs(text) == ["hälso- sjukvård", "trafik- samhällsplanering",
                                     "kultur- fritid"]


def test_minutes_keep_halso_sjukvard_in_a_corpus_batch():
    """The 2015 minutes write "hälso-" / (blank) / "sjukvård"; the MUCF report of
    the same batch writes "hälso- och sjukvård"."""
    minutes = read_text(CORPUS / "landstinget-varmland-inspirationsdag-2015.txt")
    mucf = read_text(CORPUS / "mucf-regionerna-och-civilsamhallet.txt")
    report = CleanReport()
    text = " ".join(p.text for p in clean_pages(minutes, report, batch_vocab([minutes, mucf])))
    assert "leverantörer av hälso- sjukvård och omsorg" in text
    assert "hälsosjukvård" not in text
    assert [(r.before, r.after) for r in report.repairs if r.step == "sammansättning"] == [
        ("hälso- sjukvård", "hälso- sjukvård (inte hälsosjukvård)")]
    alone = " ".join(p.text for p in clean_pages(minutes))
    assert "hälsosjukvård" in alone  # no evidence in the minutes alone


def test_hyphen_kept_when_the_document_writes_it_so():
    assert keeps_hyphen("samverkans", "modell", {"samverkans-modell"})
    assert not keeps_hyphen("samver", "kan", {"samverkans-modell"})


def test_headings_bullets_and_table_rows_stay_apart():
    text = (
        "2  Region Blekinge \n"
        "Region Blekinge har i uppdrag att främja en hållbar utveckling i hela Blekinge. \n"
        "Regionens ansvarsområden är hälso- och sjukvård, folkhälsa, regional tillväxt, \n"
        "infrastruktur, kollektivtrafk, kultur och bildning. \n"
        "\n"
        "Stöd till det civila samhället \n"
        "Region Blekinge verkar för att ha en god dialog och samverkan med civilsam-\n"
        "hället. Dessa är; funktionsstödsrådet, pensionärsrådet och ungdomsrådet. \n"
        "• Funktionsstödsrådet är ett samarbetsorgan mellan brukarorganisationerna i \n"
        "Blekinge och Region Blekinge. \n"
        "• Pensionärsrådet är ett forum för överläggningar \n"
        "\n"
        "Region Gotland Ja, med Röda Korset Gotland för stöd \n"
        "och boendesamordning till \n"
        "ensamkommande barn och unga på \n"
        "Gotland. \n"
        "\n"
        "Nej \n"
    )
    paras = [p.text for p in clean_pages(text_pages(text))]
    assert paras == [
        "2 Region Blekinge",
        "Region Blekinge har i uppdrag att främja en hållbar utveckling i hela Blekinge. "
        "Regionens ansvarsområden är hälso- och sjukvård, folkhälsa, regional tillväxt, "
        "infrastruktur, kollektivtrafik, kultur och bildning.",
        "Stöd till det civila samhället",
        "Region Blekinge verkar för att ha en god dialog och samverkan med civilsamhället. "
        "Dessa är; funktionsstödsrådet, pensionärsrådet och ungdomsrådet.",
        "• Funktionsstödsrådet är ett samarbetsorgan mellan brukarorganisationerna i "
        "Blekinge och Region Blekinge.",
        "• Pensionärsrådet är ett forum för överläggningar",
        "Region Gotland Ja, med Röda Korset Gotland för stöd och boendesamordning till "
        "ensamkommande barn och unga på Gotland.",
        "Nej",
    ]


DOUBLE_SPACED = (
    " Inledning \n"
    "Bo Dalmo hälsar välkommen och inleder med att presentera arbetsgruppen som \n\n"
    "funnits sedan mötet den 23 januari. Förutom Bo ingår Monica Ståhl och Monica \n\n"
    "Ekström. Kontaktpersoner i landstinget är Åsa Löfvenberg och Anna-Carin \n\n"
    "Johansson.  Gruppen har arbetat med en ny väg till samverkan mellan landstinget \n\n"
    "och organisationer inom välfärdssektorn. Resultatet av arbetsgruppens arbete blir \n\n"
    "resultat.  \n\n"
    "Åsa Löfvenberg gör en sammanhangsmarkering. Landstinget har ett visst ansvar \n\n"
    "för grundläggande finansiering till föreningsliv och folkbildning. Tidigare \n\n"
    "inspirationsdagar har handlat om: frivilligarbetets identitet, vad säger forskningen \n\n"
    "om frivilligt arbete, nationella överenskommelsen, välfärdsutveckling – en fråga \n\n"
    "för både civilsamhälle och offentlig verksamhet.  Mycket av välfärden som finns \n\n"
    "idag har sitt ursprung i idéburet arbete.  \n\n"
    "Nationella överenskommelsen \n"
    "Den nationella överenskommelsen presenteras av två nationella representanter. \n\n"
)


def test_double_spaced_text_keeps_its_paragraphs():
    paras = [p.text for p in clean_pages(text_pages(DOUBLE_SPACED))]
    assert [p.split()[0] for p in paras] == ["Inledning", "Bo", "Åsa", "Nationella", "Den"]
    assert paras[1].endswith("arbete blir resultat.")


def test_text_furniture_removed_and_pages_from_footers():
    text = (
        "Ungdomsrådet träfas fyra till fem \ngånger per år. \n\n16 | \n\n\n\n"
        " Region\nBlekinge\n\n"
        "Samverkan med olika organisationer och föreningar sker också kring satsningar. \n\n"
        "Mer information \nhttp://www.regionblekinge.se \n"
        " 3  Region Dalarna \n"
        "Region Dalarna ansvarar för hälso- och sjukvård, tandvård, kollektivtrafk. \n"
        " Region\nBlekinge \n\n"
        "Regionens vision är att främja en god hälsa i Region Blekinge. \n\n| 19 \n"
    )
    report = CleanReport()
    paras = clean_pages(text_pages(text), report)
    assert [(p.page, p.text[:22]) for p in paras] == [
        (16, "Ungdomsrådet träffas f"),
        (17, "Samverkan med olika or"),
        (17, "Mer information"),
        (17, "http://www.regionbleki"),
        (18, "3 Region Dalarna"),
        (18, "Region Dalarna ansvara"),
        (19, "Regionens vision är at"),
    ]
    assert report.removed_lines == ["16 |", "Region", "Blekinge", "Region", "Blekinge", "| 19"]


def test_pdf_blocks_keep_their_pages_and_use_the_ligature_mark():
    mark = "\ue000"
    pages = [
        Page(1, (
            Block("Stöd till det civila samhället", bbox=(72, 700, 300, 712)),
            Block(
                f"Regionen har ett f{mark}ertal olika förvaltningar och det f{mark}nns \n"
                "potential att utveckla samver-\nkan med ideella organisationer.",
                bbox=(72, 600, 520, 690),
            ),
        ), 595, 842),
        Page(2, (
            Block(f"Ungdomsrådet träf{mark}as fyra gånger per år.", bbox=(72, 700, 520, 712)),
        ), 595, 842),
    ]
    report = CleanReport()
    paras = clean_pages(pages, report)
    assert [(p.page, p.text) for p in paras] == [
        (1, "Stöd till det civila samhället"),
        (1, "Regionen har ett flertal olika förvaltningar och det finns potential att "
            "utveckla samverkan med ideella organisationer."),
        (2, "Ungdomsrådet träffas fyra gånger per år."),
    ]
    assert ("fertal", "flertal") in [(r.before, r.after) for r in report.repairs]
    assert report.removed_lines == []  # PDF furniture is removed by the reader, by position


def test_paragraph_blocks_from_html_or_docx_stay_paragraphs():
    pages = [Page(1, (
        Block("Samverkan med civilsamhället", heading_level=2),
        Block("Region Halland samverkar med civilsamhället på många olika sätt."),
        Block("Mer information"),
        Block("https://www.regionhalland.se"),
    ))]
    paras = clean_pages(pages)
    assert [(p.text, p.is_heading) for p in paras] == [
        ("Samverkan med civilsamhället", True),
        ("Region Halland samverkar med civilsamhället på många olika sätt.", False),
        ("Mer information", False),
        ("https://www.regionhalland.se", False),
    ]
