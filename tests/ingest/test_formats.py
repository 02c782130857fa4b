"""Text, Markdown, HTML and Word readers on real files written by the tests."""

from __future__ import annotations

import pytest

from ingest.readers import READERS, read_file

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Region Värmland – Civilsamhället</title>
<style>p { color: red }</style><script>var meny = "Hem";</script></head>
<body>
<div id="cookie-banner"><p>Vi använder kakor för att webbplatsen ska fungera.</p>
<button>Godkänn alla kakor</button></div>
<header class="site-header"><a href="/">Startsida</a><nav><ul><li><a href="/a">Kultur</a></li>
<li><a href="/b">Regional utveckling</a></li></ul></nav></header>
<div class="breadcrumbs"><a href="/">Hem</a> › Civilsamhället</div>
<main>
<article>
<header><h1>Överenskommelsen med den idéburna sektorn</h1></header>
<p>Region Värmland och den idéburna sektorn har sedan 2012 en <strong>överenskommelse</strong>
om samverkan.</p>
<h2>Så arbetar vi</h2>
<ul><li>Dialogforum två gånger per år</li><li>Gemensam handlingsplan
  <ul><li>Uppföljning varje höst</li></ul></li></ul>
<div>Text direkt i en div utan stycke.</div>
<table><tr><th>Område</th><th>Ansvarig</th></tr>
<tr><td>Folkhälsa</td><td>Region Värmland</td></tr></table>
<h3>Kontakt</h3><p>Skriv till oss.</p>
</article>
<aside class="sidebar"><p>Relaterade sidor</p></aside>
</main>
<footer><p>Region Värmland, 651 82 Karlstad</p></footer>
</body></html>
"""


def texts(pages):
    return [b.text for p in pages for b in p.blocks]


def test_every_suffix_has_a_reader():
    assert {".pdf", ".txt", ".md", ".html", ".htm", ".docx"} <= set(READERS)


def test_text_pages_at_form_feeds_and_a_block_per_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Rubrik\nförsta raden\n\fsida två\n", encoding="utf-8")
    pages = read_file(path)
    assert [p.number for p in pages] == [1, 2]
    assert texts(pages[:1]) == ["Rubrik", "första raden", ""]
    assert texts(pages[1:]) == ["sida två", ""]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_text_encodings_keep_swedish_letters(tmp_path, encoding):
    path = tmp_path / "b.md"
    path.write_bytes("# Överenskommelse\r\nÅtgärder för äldre\r\n".encode(encoding))
    assert texts(read_file(path)) == ["# Överenskommelse", "Åtgärder för äldre", ""]


def test_html_main_text_without_navigation_or_banners(tmp_path):
    path = tmp_path / "sida.html"
    path.write_text(PAGE, encoding="utf-8")
    pages = read_file(path)
    assert [p.number for p in pages] == [1]
    got = texts(pages)
    assert got == [
        "Överenskommelsen med den idéburna sektorn",
        "Region Värmland och den idéburna sektorn har sedan 2012 en överenskommelse om samverkan.",
        "Så arbetar vi",
        "Dialogforum två gånger per år",
        "Gemensam handlingsplan",
        "Uppföljning varje höst",
        "Text direkt i en div utan stycke.",
        "Område | Ansvarig",
        "Folkhälsa | Region Värmland",
        "Kontakt",
        "Skriv till oss.",
    ]
    levels = {b.text: b.heading_level for b in pages[0].blocks if b.heading_level}
    assert levels == {"Överenskommelsen med den idéburna sektorn": 1, "Så arbetar vi": 2,
                      "Kontakt": 3}


def test_html_without_main_reads_the_body(tmp_path):
    path = tmp_path / "enkel.htm"
    path.write_bytes("<html><body><nav>Meny</nav><h2>Bidrag</h2><p>Sök senast 1 mars.</p>"
                     "<footer>Sidfot</footer></body></html>".encode("cp1252"))
    pages = read_file(path)
    assert texts(pages) == ["Bidrag", "Sök senast 1 mars."]


def make_docx(path):
    import docx

    document = docx.Document()
    document.add_heading("Handlingsplan för samverkan", level=1)
    document.add_paragraph("Regionen och föreningarna träffas fyra gånger per år.")
    document.add_heading("Bidrag till föreningar", level=2)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Region", "IOP", "Överenskommelse"],
                          strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["Region Blekinge", "Ja", "Nej"], strict=True):
        cell.text = text
    document.add_paragraph("")
    document.add_page_break()
    document.add_paragraph("Uppföljning sker varje höst.")
    document.save(str(path))


def test_docx_paragraphs_headings_and_table_rows_in_order(tmp_path):
    path = tmp_path / "plan.docx"
    make_docx(path)
    pages = read_file(path)
    assert [p.number for p in pages] == [1, 2]
    blocks = pages[0].blocks + pages[1].blocks
    assert [(b.text, b.heading_level) for b in pages[1].blocks] == [
        ("Uppföljning sker varje höst.", None)]
    assert [(b.text, b.heading_level) for b in blocks] == [
        ("Handlingsplan för samverkan", 1),
        ("Regionen och föreningarna träffas fyra gånger per år.", None),
        ("Bidrag till föreningar", 2),
        ("Region | IOP | Överenskommelse", None),
        ("Region Blekinge | Ja | Nej", None),
        ("Uppföljning sker varje höst.", None),
    ]


def test_docx_pages_from_words_rendered_breaks(tmp_path):
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("Första sidans text.")
    document.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)  # ignored
    second = document.add_paragraph()
    run = second.add_run()
    run._r.append(OxmlElement("w:lastRenderedPageBreak"))
    run.add_text("Andra sidan börjar här.")
    document.add_paragraph("Mer på andra sidan.")
    document.save(str(tmp_path / "ritad.docx"))
    pages = read_file(tmp_path / "ritad.docx")
    assert [[b.text for b in p.blocks] for p in pages] == [
        ["Första sidans text."], ["Andra sidan börjar här.", "Mer på andra sidan."]]
