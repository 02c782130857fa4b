"""Sentence-aware chunks: sizes, overlap, sections, ids and Swedish abbreviations."""

from __future__ import annotations

from ingest.chunk import PARAGRAPH_SEP, ChunkParams, chunk_document
from ingest.model import DocMeta, Document, Paragraph
from ingest.sentences import split_sentences
from tests.support.ingest import long_text

META = DocMeta("doc", "corpus/doc.txt", "Civilsamhället i Värmland", kind="appendix", year=2024)


def _doc(paragraphs: list[Paragraph]) -> Document:
    return Document(META, tuple(paragraphs), max(p.page for p in paragraphs))


def test_abbreviations_do_not_end_sentences():
    text = (
        "Regionen stöder bl.a. studieförbund, t.ex. ABF m.fl. organisationer. "
        "Bidraget är ca. 20 000 kr. enl. beslutet, dvs. samma som i fjol (jfr prop. 2009/10:55). "
        "Det gäller s.k. IOP osv. Nästa mening börjar här."
    )
    assert split_sentences(text) == [
        "Regionen stöder bl.a. studieförbund, t.ex. ABF m.fl. organisationer.",
        "Bidraget är ca. 20 000 kr. enl. beslutet, dvs. samma som i fjol (jfr prop. 2009/10:55).",
        "Det gäller s.k. IOP osv.",
        "Nästa mening börjar här.",
    ]


def test_chunk_sizes_overlap_and_offsets():
    paras = [Paragraph(long_text(20, 20 * i), page=i + 1, section=("Bakgrund",))
             for i in range(4)]
    doc = _doc(paras)
    params = ChunkParams(min_words=100, max_words=250, overlap_sentences=1)
    chunks = chunk_document(doc, params)
    words = [len(c.text.split()) for c in chunks]
    assert all(100 <= w <= 250 for w in words), words
    full = PARAGRAPH_SEP.join(p.text for p in paras)
    for first, second in zip(chunks, chunks[1:], strict=False):
        last_sentence = split_sentences(first.text)[-1]
        assert second.text.startswith(last_sentence)  # one sentence of overlap
    for chunk in chunks:
        assert full[chunk.char_start : chunk.char_end].split() == chunk.text.split()
        assert chunk.page_start <= chunk.page_end
    assert chunks[0].page_start == 1 and chunks[-1].page_end == 4
    all_text = " ".join(c.text for c in chunks)
    assert all(f"Mening nummer {i} " in all_text for i in range(80))


def test_no_chunk_spans_two_sections():
    paras = [
        Paragraph("Stöd", 1, ("Stöd",), is_heading=True),
        Paragraph(long_text(5), 1, ("Stöd",)),
        Paragraph("Samverkan", 2, ("Samverkan",), is_heading=True),
        Paragraph(long_text(5, 100), 2, ("Samverkan",)),
    ]
    chunks = chunk_document(_doc(paras))
    assert [c.section for c in chunks] == [("Stöd",), ("Samverkan",)]
    assert chunks[0].text.startswith("Stöd\n\nMening nummer 0")
    assert "nummer 100" not in chunks[0].text and "nummer 4 " in chunks[0].text


def test_metadata_and_aboutness_come_with_every_chunk():
    paras = [
        Paragraph("15 Region Värmland", 3, ("15 Region Värmland",), is_heading=True),
        Paragraph("Regionen samverkar med Röda Korset i Karlstads kommun.", 3,
                  ("15 Region Värmland",)),
    ]
    (chunk,) = chunk_document(_doc(paras))
    assert (chunk.title, chunk.source, chunk.kind, chunk.year) == (
        "Civilsamhället i Värmland", "corpus/doc.txt", "appendix", 2024)
    assert chunk.regions == ("Region Värmland",)
    assert chunk.municipalities == ("Karlstad",)
    assert chunk.organisations == ("Röda Korset",)
    assert chunk.section_label == "15 Region Värmland"


def test_ids_are_stable_and_change_with_text():
    paras = [Paragraph(long_text(30), 1, ("A",))]
    first = [c.id for c in chunk_document(_doc(paras))]
    assert first == [c.id for c in chunk_document(_doc(list(paras)))]
    changed = [Paragraph(long_text(30).replace("nummer 29", "nummer 2900"), 1, ("A",))]
    assert [c.id for c in chunk_document(_doc(changed))][-1] != first[-1]


def test_long_list_without_full_stops_is_cut():
    paras = [Paragraph(" ".join(f"punkt{i}" for i in range(600)), 1, ("Lista",))]
    chunks = chunk_document(_doc(paras), ChunkParams(100, 250, 1))
    assert all(len(c.text.split()) <= 250 for c in chunks)
    assert " ".join(c.text for c in chunks).split()[-1] == "punkt599"


def test_a_region_publisher_makes_every_chunk_about_it():
    meta = DocMeta("min", "min.txt", "Minnesanteckningar", publisher="Landstinget i Värmland")
    doc = Document(meta, (Paragraph(long_text(3), 1, ("Inledning",)),), 1)
    assert chunk_document(doc)[0].regions == ("Region Värmland",)


def test_a_stray_label_alone_in_a_section_makes_no_chunk():
    paras = [Paragraph(long_text(3), 1, ("A",)), Paragraph("Blekinge", 2, ("B",))]
    assert [c.section for c in chunk_document(_doc(paras))] == [("A",)]


def test_corpus_chunks_stay_below_max_words():
    from ingest.pipeline import ingest_paths
    from tests.support import CORPUS

    batch = ingest_paths([CORPUS])
    assert len(batch.results) == 5 and not batch.errors
    for result in batch.results:
        for chunk in result.chunks:
            words = len(chunk.text.split())
            assert words <= 250 or chunk.meta.get("table_row"), (chunk.id, words)


def test_chunks_prefer_to_end_at_paragraph_ends():
    paras = [Paragraph(long_text(10, 10 * i), 1, ("A",)) for i in range(3)]  # 120 words each
    chunks = chunk_document(_doc(paras), ChunkParams(100, 250, 1))
    assert len(chunks) == 3
    assert [c.text.split("\n\n")[-1] for c in chunks] == [p.text for p in paras]


def test_abbreviations_written_with_spaces():
    text = "Vi diskuterar t. ex. bidrag, bl. a. till idrott m. fl. Nästa mening. Den s. k. modell."
    assert split_sentences(text) == [
        "Vi diskuterar t. ex. bidrag, bl. a. till idrott m. fl.",
        "Nästa mening.",
        "Den s. k. modell.",
    ]


def test_a_link_label_section_joins_its_parent_section():
    parent = ("7 Region Jämtland Härjedalen", "De centrala principerna för politiken")
    label = (*parent, "Mer information")
    paras = [
        Paragraph(parent[1], 1, parent, is_heading=True),
        Paragraph(long_text(8), 1, parent),
        Paragraph("Mer information", 1, label, is_heading=True),
        Paragraph("Information om regionens bidrag: https://regionjh.se/bidrag", 1, label),
        Paragraph("8 Region Jönköpings län", 2, ("8 Region Jönköpings län",), is_heading=True),
        Paragraph(long_text(8, 50), 2, ("8 Region Jönköpings län",)),
    ]
    chunks = chunk_document(_doc(paras), ChunkParams(100, 250, 1))
    assert [c.section for c in chunks] == [parent, ("8 Region Jönköpings län",)]
    assert chunks[0].text.endswith("Mer information\n\nInformation om regionens bidrag: "
                                   "https://regionjh.se/bidrag")
    assert "Region Jämtland Härjedalen" in chunks[0].regions


def test_a_short_chapter_intro_joins_the_first_sub_section():
    chapter = ("15 Region Värmland",)
    sub = (*chapter, "Stöd till det civila samhället")
    paras = [
        Paragraph(chapter[0], 1, chapter, is_heading=True),
        Paragraph(long_text(2), 1, chapter),
        Paragraph(sub[1], 1, sub, is_heading=True),
        Paragraph(long_text(12, 10), 1, sub),
        Paragraph("Samverkan med det civila samhället", 2, (*chapter, "Samverkan"),
                  is_heading=True),
        Paragraph(long_text(12, 30), 2, (*chapter, "Samverkan")),
    ]
    chunks = chunk_document(_doc(paras), ChunkParams(100, 250, 1))
    assert [c.section for c in chunks] == [chapter, (*chapter, "Samverkan")]
    assert chunks[0].text.startswith("15 Region Värmland\n\nMening nummer 0")
    assert "Stöd till det civila samhället\n\nMening nummer 10" in chunks[0].text
    assert "nummer 30 " not in chunks[0].text


def test_table_rows_stay_whole_and_alone_next_to_small_sections():
    section = ("1 Sammanfattning", "Förekomsten av IOP")
    rows = [f"{r} Ja, med föreningen Exempel. | Nej" for r in
            ("Region Gotland", "Region Halland", "Region Skåne")]
    paras = [
        Paragraph("1 Sammanfattning", 1, section[:1], is_heading=True),
        Paragraph(long_text(3), 1, section[:1]),
        Paragraph(section[1], 1, section, is_heading=True),
        Paragraph("I tabellen nedan visas förekomsten av IOP.", 1, section),
        Paragraph("Region IOP Överenskommelse", 1, section, is_heading=True, is_table_row=True),
        *[Paragraph(r, 1, section, is_table_row=True) for r in rows],
    ]
    chunks = chunk_document(_doc(paras), ChunkParams(100, 250, 1))
    table = [c for c in chunks if c.meta.get("table_row")]
    assert [c.text.split("\n")[-1] for c in table] == rows
    assert all(c.section == section for c in table)
    (prose,) = [c for c in chunks if not c.meta.get("table_row")]
    assert prose.section == section[:1] and "I tabellen nedan" in prose.text
