"""The Swedish HTML pages with the Flask test client against the real index:
search, answer panel (with the note of an entity whose sources disagree), facets,
pagination, document page, original file, errors, escaping of hostile document text."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest

from index.model import MODES
from search_app.web import create_app, pages
from tests.support.web import HOSTILE_ID, build_web_index


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "<script" not in html, "no script at all, inline or not"
    return html


def links(html: str, pattern: str) -> list[str]:
    hrefs = (unescape(h) for h in re.findall(r'href="([^"]+)"', html))
    return [h for h in hrefs if re.search(pattern, h)]


def test_start_page_is_an_accessible_search_form(client):
    html = page(client, "/")
    assert '<label for="q">' in html and 'id="q" name="q"' in html
    assert 'role="search"' in html
    assert 'href="#innehall"' in html and '<main id="innehall"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html


def test_results_have_title_section_pages_snippet_and_passage_link(client):
    html = page(client, "/?q=överenskommelsen")
    assert re.search(r"Visar 1–10 av \d+ träffar", html)
    assert "<mark>" in html
    assert re.search(r'class="sidor">s\. \d+', html)
    passage = links(html, r"^/dokument/[^/?]+\?markera=.+#stycke-")
    assert len(passage) >= 10


def test_passage_link_opens_the_document_with_the_passage_marked(client):
    html = page(client, "/?q=överenskommelsen")
    href = links(html, r"^/dokument/[^/?]+\?markera=")[0]
    anchor = href.split("#", 1)[1]
    doc_html = page(client, href.split("#", 1)[0])
    assert f'<div class="stycke citerat" id="{anchor}">' in doc_html
    cited = doc_html.split(f'id="{anchor}">', 1)[1].split("</div>", 1)[0]
    assert "Citerat stycke" in cited and "<mark>" in cited


def test_a_question_gets_the_answer_panel_agreeing_with_the_api(client):
    q = "Vad ska överenskommelsen i Värmland leda till?"
    html = page(client, "/?q=" + quote(q))
    api = client.get("/api/ask?q=" + quote(q)).get_json()
    assert "Svar ur dokumenten" in html
    if api["found"]:
        assert "Dokumenten svarar inte på frågan" not in html
        for entity in api["entities"]:
            assert entity["name"] in html
    else:
        assert "Dokumenten svarar inte på frågan" in html
    assert "Träffar" in html


def test_keywords_get_no_answer_panel(client):
    assert "Svar ur dokumenten" not in page(client, "/?q=handlingsplan")


def test_a_facet_link_filters_and_can_be_removed(client):
    html = page(client, "/?q=samverkan")
    facet = links(html, r"[?&]doc=")[0]
    doc_id = re.search(r"doc=([^&]+)", facet).group(1)
    filtered = page(client, facet)
    result_docs = set(re.findall(r'href="/dokument/([^/?"]+)\?markera', filtered))
    assert result_docs == {doc_id.replace("%2D", "-")}
    assert "Valda filter" in filtered and "(ta bort)" in filtered
    assert 'aria-current="true"' in filtered


def test_pagination_moves_to_the_next_ten(client):
    html = page(client, "/?q=samverkan")
    next_page = links(html, r"sida=2")[0]
    second = page(client, next_page)
    assert re.search(r"Visar 11–\d+ av \d+", second)
    assert 'aria-current="page" class="aktuell">2<' in second


def test_the_form_labels_every_search_mode():
    assert set(pages.MODE_LABELS) == set(MODES)


def test_modes_are_offered_and_kept(client):
    html = page(client, "/?q=samverkan&mode=keyword")
    assert 'value="keyword" checked' in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/?q=", "Sökfrågan saknas"),
        ("/?q=" + "x" * 501, "Sökfrågan är för lång"),
        ("/?q=samverkan&sida=0", "Ogiltigt värde för sida"),
        ("/?q=samverkan&mode=gissa", "Okänt sökläge"),
        ("/?q=samverkan&region=Region+Atlantis", "Okänt filtervärde"),
    ],
)
def test_bad_input_shows_a_swedish_message_and_the_form(client, url, message):
    html = page(client, url, 400)
    assert message in html and 'role="alert"' in html
    assert 'aria-invalid="true"' in html and '<form class="sokformular"' in html


def test_hostile_text_is_shown_as_text(client):
    results = page(client, "/?q=skriptprovet")
    assert "&lt;script&gt;" in results or "skriptprovet" in results
    doc = page(client, f"/dokument/{HOSTILE_ID}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&lt;img src=x onerror=alert(2)&gt;" in doc
    assert "<b>fetstil" not in doc


def test_documents_page_lists_the_index(client):
    html = page(client, "/dokument")
    assert "Indexet byggdes" in html
    rows = re.findall(r"<tr>\s*<td><a href=\"/dokument/([^\"]+)\">", html)
    assert len(rows) == 4 and HOSTILE_ID in rows


def test_document_page_has_metadata_pages_and_original(client, web_corpus):
    doc_id = "overenskommelsen-varmland-handlingsplan-2018-2022"
    html = page(client, f"/dokument/{doc_id}")
    assert "<dt>Utgivare</dt>" in html or "<dt>Datum</dt>" in html
    assert re.search(r'<p class="sidbrytning" id="sida-1">Sidan 1</p>', html)
    assert 'id="stycke-' in html
    original = client.get(f"/dokument/{doc_id}/original")
    assert original.status_code == 200
    assert original.data == (web_corpus / f"{doc_id}.txt").read_bytes()
    assert original.mimetype == "text/plain"
    assert "sandbox" in original.headers["Content-Security-Policy"]


def test_unknown_document_is_a_swedish_404_page(client):
    html = page(client, "/dokument/finns-inte", 404)
    assert "Dokumentet finns inte" in html
    assert client.get("/dokument/finns-inte/original").status_code == 404


def test_a_query_without_hits_says_so(client):
    html = page(client, "/?q=xqzvw&mode=keyword")
    assert "Inga träffar för" in html


def test_a_misspelt_query_gets_the_suggestion_of_the_api(client):
    q = "överenskomelsen"
    api = client.get(f"/api/search?q={q}&mode=keyword").get_json()
    html = page(client, f"/?q={q}&mode=keyword")
    if api.get("suggestion"):
        assert "Menade du" in html and api["suggestion"] in html
    else:
        assert "Menade du" not in html


def test_the_marked_range_is_the_cited_chunk(client):
    """Chunk offsets map onto the document's paragraphs: the marked text of
    the cited passage holds the end of the chunk's text."""
    hits = client.get("/api/search?q=samverkan&k=8").get_json()["results"]
    for hit in hits:
        html = page(client, f"/dokument/{hit['doc_id']}?markera={quote(hit['chunk_id'])}")
        cited = html.split('<div class="stycke citerat"', 1)[1].split("</div>", 1)[0]
        marked = " ".join(unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", cited, re.S))
        tail = " ".join(hit["text"].split())[-40:]
        assert tail in " ".join(marked.split()), hit["chunk_id"]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("a IOP b", ((2, 5),), "a <mark>IOP</mark> b"),
        ("<script>x y", ((10, 11),), "&lt;script&gt;x <mark>y</mark>"),
        ('<img src=x onerror="alert(2)">å & ö', (),
         "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;å &amp; ö"),
        ("<mark onclick=x>m</mark>", ((16, 17),),
         "&lt;mark onclick=x&gt;<mark>m</mark>&lt;/mark&gt;"),
    ],
)
def test_snippets_are_escaped_text_and_marks(text, spans, expected):
    from index.model import Marked
    from search_app.web.highlight import marked_html

    assert str(marked_html(Marked(text, spans))) == expected


def test_marks_are_added_after_escaping():
    from search_app.web.highlight import mark_span, mark_terms, query_terms

    marked = str(mark_terms("<b>Regionerna</b> har IOP", query_terms("Vilka regioner har IOP?")))
    assert marked == "&lt;b&gt;<mark>Regionerna</mark>&lt;/b&gt; har <mark>IOP</mark>"
    assert str(mark_span("möts <varannan> månad", "<varannan>")) == (
        "möts <mark>&lt;varannan&gt;</mark> månad"
    )


# An excerpt of the MUCF report (corpus/mucf-regionerna-och-civilsamhallet.txt):
# its summary table says "Nej" under Överenskommelse for Region Västmanland, while
# the region's chapter describes an agreement with the länsbildningsförbund.
DISAGREEING_TEXT = """Regionerna och civilsamhället – utdrag

1  Sammanfattning
Tabellen sammanfattar regionernas partnerskap och överenskommelser med det civila samhället.

Region IOP Överenskommelse

Region Västernorrland Nej Ja, mellan regionen, organisa-
tioner inom social ekonomi och
idéburna organisationer.

Region Västmanland Nej Nej, regionen har uppdrag
utifrån Regionplanen och den
Regionala kulturplanen att slut-
föra arbetet med en regional
överenskommelse (RÖK) mellan
det offentliga och civilsamhället
i Västmanland.

Region Örebro län Nej Ja, överenskommelsen är kopp-
lad till föreningsbidraget.

2  Region Västmanland
Region Västmanland fördelar stöd och samverkar med det civila samhället i
regionen. Regionen har en Kultur och folkbildningsnämnd som hanterar dessa
frågor.

Stöd till det civila samhället
Regionen Västmanland har en ferårig överenskommelse med Västmanlands
länsbildningsförbund som är ett regionalt samarbetsorgan för folkbildningen
i Västmanland. Medlemmar är studieförbundens distriktsorganisationer och
folkhögskolorna i länet.
"""


@pytest.fixture(scope="module")
def disagreeing_client(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("motsagelse")
    (corpus / "tabell-och-kapitel.txt").write_text(DISAGREEING_TEXT, encoding="utf-8")
    app = create_app(build_web_index(tmp_path_factory.mktemp("motsagelsehem"), corpus))
    app.config["TESTING"] = True
    return app.test_client()


def test_an_entity_whose_sources_disagree_shows_the_note(disagreeing_client):
    question = "Vilka regioner har en överenskommelse med länsbildningsförbundet?"
    data = disagreeing_client.get(f"/api/ask?q={quote(question)}").get_json()
    (entity,) = [e for e in data["entities"] if e["note"]]
    assert entity["name"] == "Region Västmanland" and entity["conflict"] is True

    html = page(disagreeing_client, f"/?q={quote(question)}")
    assert "1 region med stöd i dokumenten:" in html
    items = re.findall(r"<li>\s*<span class=\"entitet\">(.*?)</span>(.*?)</li>", html, re.S)
    notes = {name: re.findall(r'<p class="obs"><strong>Obs!</strong> (.*?)</p>', body, re.S)
             for name, body in items}
    assert [unescape(n) for n in notes["Region Västmanland"]] == [entity["note"]]
    assert "Sammanfattningstabellen säger Nej" in entity["note"]
    assert all(not found for name, found in notes.items() if name != "Region Västmanland")
    assert html.count('class="obs"') == 1
