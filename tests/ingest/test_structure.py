"""Sections and table rows, on the shipped MUCF report and on made-up text."""

from __future__ import annotations

import pytest

from ingest.entities import REGIONS, find_entities
from ingest.model import Block, Page, Paragraph
from ingest.pipeline import IngestParams, ingest_file
from ingest.structure import _Outline, heading_hints, numbered_level, structure
from tests.support import CORPUS as REPO_CORPUS
from tests.support.ingest import REGION_DOC, write_doc

MUCF = REPO_CORPUS / "mucf-regionerna-och-civilsamhallet.txt"


@pytest.fixture(scope="module")
def mucf():
    return ingest_file(MUCF, IngestParams())


def _chapters(paragraphs) -> list[str]:
    return [p.text for p in paragraphs if p.is_heading and len(p.section) == 1]


def test_the_twenty_region_chapters_are_sections(mucf):
    chapters = [t for t in _chapters(mucf.document.paragraphs) if numbered_level(t)]
    region_chapters = [t for t in chapters if find_entities(t).regions]
    assert len(region_chapters) == 20
    named = {find_entities(t).regions[0] for t in region_chapters}
    assert len(named) == 20 and named <= set(REGIONS)
    assert "7 Region Jämtland Härjedalen" in chapters  # heading broken over two lines
    assert "19 Västra Götalandsregionen" in chapters  # "19 V ästra" + "Götalandsregionen"


def test_sub_headings_nest_under_their_chapter(mucf):
    sections = {p.section for p in mucf.document.paragraphs}
    assert ("15 Region Värmland", "Stöd till det civila samhället") in sections
    assert ("2 Region Blekinge", "Samverkan med det civila samhället") in sections
    assert ("Förord",) in sections and ("Begrepp och förkortningar",) in sections


def test_every_chunk_of_a_region_chapter_is_about_that_region(mucf):
    chunks = [c for c in mucf.chunks if c.section and numbered_level(c.section[0])]
    by_chapter: dict[str, list] = {}
    for chunk in chunks:
        by_chapter.setdefault(chunk.section[0], []).append(chunk)
    tagged = 0
    for chapter, members in by_chapter.items():
        region = find_entities(chapter).regions
        if region:
            tagged += 1
            assert all(region[0] in c.regions for c in members), chapter
    assert tagged == 20


def test_summary_table_rows_are_whole_and_tagged(mucf):
    rows = [c for c in mucf.chunks if c.meta.get("table_row")]
    assert len(rows) == 20
    assert all(len(c.regions) == 1 for c in rows)
    assert len({c.regions[0] for c in rows}) == 20
    gotland = next(c for c in rows if c.regions == ("Region Gotland",))
    assert "Ja, med Röda Korset Gotland" in gotland.text and gotland.text.endswith("Nej")
    vgr = next(c for c in rows if c.regions == ("Västra Götalandsregionen",))
    assert "Bräcke diakoni" in vgr.text and "upphandling" in vgr.text
    skane = next(c for c in rows if c.regions == ("Region Skåne",))
    assert "IOP Röda korset barnverksamhet" in skane.text and "Överenskommelsen Skåne" in skane.text
    assert all("Överenskommelse" in c.text.split("\n")[0] for c in rows)  # header context


def test_numbered_levels():
    assert numbered_level("2  Region Blekinge") == 1
    assert numbered_level("3.1 Bidrag till föreningar") == 2
    assert numbered_level("20 000 kronor och lika för alla ungdomsförbund.") is None
    assert numbered_level("1 Överenskommelse är en form av samverkan mellan.") is None


def test_made_up_document_sections_and_table(tmp_path):
    result = ingest_file(write_doc(tmp_path, "rapport.txt", REGION_DOC), IngestParams())
    paras = result.document.paragraphs
    headings = [(p.section, p.text) for p in paras if p.is_heading and not p.is_table_row]
    assert [h for _s, h in headings] == [
        "Begrepp och förkortningar", "1 Sammanfattning", "2 Region Blekinge",
        "Stöd till det civila samhället", "3 Region Gotland",
    ]
    assert headings[3][0] == ("2 Region Blekinge", "Stöd till det civila samhället")
    rows = [p.text for p in paras if p.is_table_row and not p.is_heading]
    assert rows == [
        "Region Blekinge Nej Nej",
        "Region Gotland Ja, med Röda Korset Gotland för stöd till ensamkommande barn. | Nej",
        "Region Halland Ja, med föreningen Aligi. | Ja, Den halländska överenskommelsen HÖK",
    ]


def test_reader_heading_levels_are_used():
    pages = [Page(1, (Block("Om oss", heading_level=1), Block("Text om oss."),
                      Block("Historia", heading_level=2), Block("Text om historien.")))]
    paras = [Paragraph("Om oss", 1), Paragraph("Text om oss.", 1),
             Paragraph("Historia", 1), Paragraph("Text om historien.", 1)]
    out = structure(paras, heading_hints(pages))
    assert [p.section for p in out] == [("Om oss",), ("Om oss",), ("Om oss", "Historia"),
                                       ("Om oss", "Historia")]


def test_larger_pdf_font_marks_headings():
    body = [Block(f"Brödtext nummer {i} i dokumentet.", bbox=(0, 0, 1, 1), font_size=10)
            for i in range(5)]
    pages = [Page(1, (Block("Bakgrund", bbox=(0, 0, 1, 1), font_size=16), *body))]
    assert heading_hints(pages) == {"bakgrund": 1}


def test_body_sentences_are_not_headings():
    paras = [Paragraph("Regionen ger stöd.", 1), Paragraph("Nelson Mandela sa det.", 1),
             Paragraph("Därför anser SKL att:", 1), Paragraph("• stöd till föreningar", 1)]
    assert not any(p.is_heading for p in structure(paras))


def test_recurring_sub_headings_form_the_second_level(mucf):
    sections = {p.section for p in mucf.document.paragraphs}
    assert ("5 Region Gävleborg", "Stöd till det civila samhället", "Hållbarhet") in sections
    assert ("3 Region Dalarna", "Samverkan med det civila samhället", "Kultur och Bildning") in (
        sections
    )
    assert ("3 Region Dalarna", "De centrala principerna för politiken") in sections


def test_a_heading_directly_over_a_heading_groups_it():
    texts = ["Aktörer", "Föreningsliv och folkbildning",
             "Det svenska föreningslivet är unikt i världen och har starka demokrativärden.",
             "Relationer", "Bidrag och stöd",
             "Kommuner och landsting ger omfattande stöd till civilsamhällets aktörer.",
             "Upphandling",
             "Upphandling är en annan form av relation med civilsamhället i kommunerna."]
    out = structure([Paragraph(t, 1) for t in texts])
    assert [p.section for p in out if p.is_heading] == [
        ("Aktörer",), ("Aktörer", "Föreningsliv och folkbildning"), ("Relationer",),
        ("Relationer", "Bidrag och stöd"), ("Relationer", "Upphandling"),
    ]


def test_heading_glued_to_its_body_becomes_its_own_section(tmp_path):
    body = ("I tabellen nedanför sammanfattas förekomsten av samverkan med civilsamhället\n"
            "genom idéburet offentligt partnerskap och formella överenskommelser mellan\n"
            "regionerna och organisationerna i länen.\n")
    text = ("1  Sammanfattning\n" + body + "\nFörekomsten av idéburet offentligt\n"
            "partnerskap (IOP) och överenskommelser\n" + body)
    result = ingest_file(write_doc(tmp_path, "glued.txt", text), IngestParams())
    headings = [p.section for p in result.document.paragraphs if p.is_heading]
    assert headings[-1] == (
        "1 Sammanfattning",
        "Förekomsten av idéburet offentligt partnerskap (IOP) och överenskommelser",
    )


def test_mucf_table_intro_heading(mucf):
    sections = {p.section for p in mucf.document.paragraphs}
    assert ("1 Sammanfattning",
            "Förekomsten av idéburet offentligt partnerskap (IOP) och överenskommelser") in sections


def test_terms_of_a_list_of_abbreviations_are_not_headings(mucf):
    glossary = [p for p in mucf.document.paragraphs if p.section == ("Begrepp och förkortningar",)]
    texts = [p.text for p in glossary]
    assert "Svenska Healthy Cities nätverket" in texts
    assert any(t.startswith("ÖNH ") for t in texts)
    assert [p.text for p in glossary if p.is_heading] == ["Begrepp och förkortningar"]


def test_pdf_headings_from_font_sizes(tmp_path):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, SimpleDocTemplate
    from reportlab.platypus import Paragraph as Para

    from tests.support.pdf import DEJAVU, DEJAVU_BOLD, swedish_paragraphs

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(DEJAVU_BOLD)))
    h1 = ParagraphStyle("h1", fontName="DejaVu-Bold", fontSize=18, leading=22)
    h2 = ParagraphStyle("h2", fontName="DejaVu-Bold", fontSize=13, leading=16)
    body = ParagraphStyle("b", fontName="DejaVu", fontSize=10, leading=13, spaceAfter=8)
    text = swedish_paragraphs(7, 3)
    story = [Para("Region Värmland och civilsamhället", h1), Para("Stöd till föreningar", h2),
             Para(text[0], body), PageBreak(), Para("Uppföljning", h1), Para("Resultat", h2),
             Para(text[1], body), Para(text[2], body)]
    SimpleDocTemplate(str(tmp_path / "rubriker.pdf")).build(story)
    result = ingest_file(tmp_path / "rubriker.pdf", IngestParams())
    assert result.document.meta.title == "Region Värmland och civilsamhället"
    assert [(c.section, c.page_start) for c in result.chunks] == [
        (("Region Värmland och civilsamhället", "Stöd till föreningar"), 1),
        (("Uppföljning", "Resultat"), 2),
    ]
    assert all("Region Värmland" in c.regions for c in result.chunks)  # the title's region


def test_docx_heading_styles_give_sections(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Handlingsplan för Region Halland", 1)
    document.add_heading("Bakgrund", 2)
    document.add_paragraph("Regionen samverkar med föreningar, t.ex. Röda Korset i länet.")
    document.add_heading("Mål", 2)
    document.add_paragraph("Målet är att stärka civilsamhället i Halmstad och Varbergs kommun.")
    document.save(tmp_path / "plan.docx")
    result = ingest_file(tmp_path / "plan.docx", IngestParams())
    body = [p for p in result.document.paragraphs if not p.is_heading]
    assert [p.section for p in body] == [("Handlingsplan för Region Halland", "Bakgrund"),
                                         ("Handlingsplan för Region Halland", "Mål")]
    (chunk,) = result.chunks  # two one-sentence sections: one chunk under their parent
    assert chunk.section == ("Handlingsplan för Region Halland",)
    assert "Bakgrund" in chunk.text and "Mål" in chunk.text
    assert chunk.municipalities == ("Halmstad", "Varberg")
    assert all(c.regions == ("Region Halland",) for c in result.chunks)


def test_no_corpus_chunk_spans_two_sections(mucf):
    """A chunk's body text lies in its section, or, for small sections merged with
    a neighbour, in sections under it (the section is then their common parent)."""

    paras = mucf.document.paragraphs
    offsets = mucf.document.paragraph_offsets()
    spans = [(o, o + len(p.text), p.section) for o, p in zip(offsets, paras, strict=True)
             if not p.is_heading]
    merged = 0
    for chunk in mucf.chunks:
        inside = {s for start, end, s in spans if start < chunk.char_end and end > chunk.char_start}
        assert chunk.section and all(s[: len(chunk.section)] == chunk.section for s in inside)
        if len(inside) > 1:  # the parent is the longest path they share
            merged += 1
            assert len({s[: len(chunk.section) + 1] for s in inside}) > 1, chunk.id
        else:
            assert inside == {chunk.section}, chunk.id
    assert 0 < merged < len(mucf.chunks) // 4


def test_a_heading_repeating_one_above_it_is_not_nested_under_itself():
    outline = _Outline([], frozenset())
    assert outline.push(1, "Bilaga X", False) == ("Bilaga X",)
    assert outline.push(2, "Civilsamhället i Värmland", False) == (
        "Bilaga X", "Civilsamhället i Värmland")
    assert outline.push(3, "Bilaga  X", False) == ("Bilaga X",)
    assert outline.push(2, "Roll", False) == ("Bilaga X", "Roll")


def test_corpus_section_paths_never_repeat_a_level(mucf):
    for para in mucf.document.paragraphs:
        keys = [s.casefold() for s in para.section]
        assert len(keys) == len(set(keys)), para.section


def test_quotation_attributions_and_signatures_are_not_headings():
    texts = ["Inledning", "Mötet började med en presentation av arbetsgruppen och dagens program.",
             "En vision utan handling är bara drömmar.", "Handling utan vision är tidsfördriv.",
             "Nelson Mandela", "Överenskommelsen handlar om spelregler för samarbetet.",
             "Vid anteckningarna, Elisabeth Ehne", "Länkar och material finns samlade på webben."]
    out = structure([Paragraph(t, 1) for t in texts])
    assert [p.text for p in out if p.is_heading] == ["Inledning"]


def test_markdown_headings(tmp_path):
    text = ("# Handlingsplan för Region Gävleborg\n\n## Bakgrund\n"
            "Regionen samverkar med föreningar i länet.\nDet sker genom dialog.\n\n"
            "## Mål\n\nMålet är att stärka civilsamhället i Gävle kommun.\n")
    result = ingest_file(write_doc(tmp_path, "plan.md", text), IngestParams())
    assert result.document.meta.title == "Handlingsplan för Region Gävleborg"
    assert [p.section for p in result.document.paragraphs if not p.is_heading] == [
        ("Handlingsplan för Region Gävleborg", "Bakgrund"),
        ("Handlingsplan för Region Gävleborg", "Mål"),
    ]
    (chunk,) = result.chunks
    assert chunk.section == ("Handlingsplan för Region Gävleborg",)
    assert chunk.text.startswith("Handlingsplan för Region Gävleborg\n\nBakgrund\n\nRegionen")
