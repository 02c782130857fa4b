"""PDF extraction on real PDFs made by reportlab: page numbers, furniture, columns,
tables, hyphenated justified text and ligature glyph evidence."""

from __future__ import annotations

import difflib
import re
import unicodedata

import pytest

from ingest.layout import is_page_number
from ingest.model import LIGATURE_MARK, Block, Page
from ingest.readers import ExtractParams, extract_pdf, read_file, read_file_report
from tests.support.pdf import (
    HEADER,
    SIDE_LABEL,
    TABLE,
    drop_ligature_mapping,
    make_report_pdf,
    page_words,
    words_of,
)

LIGATURE_RE = re.compile("ffi|ffl|ff|fi|fl")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    spec = make_report_pdf(folder / "rapport.pdf")
    assert drop_ligature_mapping(folder / "rapport.pdf", folder / "tappade.pdf") >= 2
    good = extract_pdf(folder / "rapport.pdf", ExtractParams())
    dropped = extract_pdf(folder / "tappade.pdf", ExtractParams())
    return spec, good, dropped


def page_text(page: Page) -> str:
    text = "\n".join(b.text for b in page.blocks)
    return re.sub(r"(\w)-\n(\w)", r"\1\2", unicodedata.normalize("NFKC", text))


def recall(truth: list[str], found: list[str]) -> float:
    """Share of the true words found in reading order (matched as one sequence)."""
    matcher = difflib.SequenceMatcher(a=truth, b=found, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(truth)


def test_every_page_numbered_with_its_own_words(report):
    spec, (pages, _), _ = report
    assert [p.number for p in pages] == [1, 2, 3, 4, 5]
    for number, truth in page_words(spec).items():
        found = words_of(page_text(pages[number - 1]))
        assert recall(truth, found) >= 0.98, number
        assert len(found) <= len(truth) * 1.02, number


def test_headers_footers_and_side_labels_are_gone(report):
    _, (pages, removed), _ = report
    for page in pages:
        for block in page.blocks:
            assert HEADER not in block.text
            assert SIDE_LABEL not in block.text
            assert not re.search(r"\bSida \d", block.text)
            assert not is_page_number(block.text)
    assert removed.count(HEADER) == 5
    assert removed.count(SIDE_LABEL) == 5
    assert sorted(t for t in removed if t.startswith("Sida")) == [f"Sida {n}" for n in range(1, 6)]


def test_hyphenated_justified_text_keeps_line_ends(report):
    _, (pages, _), _ = report
    raw = "\n".join(b.text for p in pages for b in p.blocks)
    assert len(re.findall(r"\w-\n\w", raw)) >= 5  # cleaning joins these
    assert " | " not in "\n".join(b.text for b in pages[0].blocks)


def test_two_columns_read_column_by_column(report):
    spec, (pages, _), _ = report
    text = " ".join(words_of(page_text(pages[2])))
    positions = []
    for paragraph in spec[2].paragraphs:
        opening = " ".join(words_of(paragraph.replace("\xad", ""))[:6])
        assert opening in text
        positions.append(text.index(opening))
    assert positions == sorted(positions)


def test_table_rows_stay_on_one_line(report):
    _, (pages, _), _ = report
    lines = [line for b in pages[3].blocks for line in b.text.split("\n")]
    for cells in TABLE:
        row = [cell.replace("\n", " ") for cell in cells]
        matching = [ln for ln in lines if all(cell in ln for cell in row)]
        assert matching, row
        line = matching[0]
        assert [line.index(c) for c in row] == sorted(line.index(c) for c in row)


def test_real_ligature_glyphs_come_through_as_ligature_code_points(report):
    _, (pages, _), _ = report
    raw = "".join(b.text for p in pages for b in p.blocks)
    assert "\ufb01" in raw and "\ufb02" in raw
    assert LIGATURE_MARK not in raw


def test_ligature_glyphs_mapped_to_f_are_marked(report):
    spec, (good, _), (dropped, _) = report
    expected_marked = 0
    for page_good, page_dropped in zip(good, dropped, strict=True):
        good_text = unicodedata.normalize("NFKC", "\n".join(b.text for b in page_good.blocks))
        marked = LIGATURE_RE.sub("f" + LIGATURE_MARK, good_text)
        expected_marked += marked.count(LIGATURE_MARK)
        assert "\n".join(b.text for b in page_dropped.blocks) == marked
    assert expected_marked > 20


def test_read_file_dispatches_pdf(tmp_path):
    from tests.support.pdf import make_simple_pdf

    make_simple_pdf(tmp_path / "en.pdf", pages=2)
    pages = read_file(tmp_path / "en.pdf")
    assert read_file_report(tmp_path / "en.pdf") == (pages, [])
    assert [p.number for p in pages] == [1, 2]
    assert pages[1].blocks[0].text == "Sidan 2 handlar om samverkan."
    assert pages[1].blocks[0].bbox is not None


# --- a PDF from LibreOffice (another producer: its own fonts, fields and layout) ----------


@pytest.fixture(scope="module")
def lo_report(tmp_path_factory):
    from tests.support.pdf import convert_with_soffice, make_lo_docx, soffice_available

    if not soffice_available():
        pytest.skip("LibreOffice (soffice) saknas; `make test-deps` installerar den")
    folder = tmp_path_factory.mktemp("lo")
    spec = make_lo_docx(folder / "plan.docx")
    pdf = convert_with_soffice(folder / "plan.docx", folder)
    return spec, extract_pdf(pdf, ExtractParams())


def test_libreoffice_pdf_pages_words_and_furniture(lo_report):
    from tests.support.pdf import LO_HEADER

    spec, (pages, removed) = lo_report
    assert [p.number for p in pages] == [1, 2, 3, 4]
    for number, truth in page_words(spec).items():
        page = pages[number - 1]
        assert page.blocks[0].text == spec[number - 1].paragraphs[0]
        assert recall(truth, words_of(page_text(page))) >= 0.98, number
        assert all(LO_HEADER not in b.text and "Sida" not in b.text for b in page.blocks)
    assert removed == [LO_HEADER, "Sida 1", LO_HEADER, "Sida 2", LO_HEADER, "Sida 3",
                       LO_HEADER, "Sida 4"]


def test_libreoffice_columns_and_table_rows(lo_report):
    from tests.support.pdf import LO_TABLE

    spec, (pages, _) = lo_report
    text = " ".join(words_of(page_text(pages[2])))
    openings = [" ".join(words_of(p)[:6]) for p in spec[2].paragraphs]
    assert [text.index(o) for o in openings] == sorted(text.index(o) for o in openings)
    lines = [ln for b in pages[3].blocks for ln in b.text.split("\n")]
    for row in LO_TABLE:
        assert " | ".join(row) in lines


# --- furniture rules on pages built by hand (pure function) -------------------------------


def _page(number: int, *lines: tuple) -> Page:
    """A 600 x 800 page of (text, x0, y0[, width]) lines (200 pt wide unless given)."""
    blocks = tuple(Block(t, bbox=(x, y, x + (w or 200), y + 10), font_size=10)
                   for t, x, y, w in (line + (None,) * (4 - len(line)) for line in lines))
    return Page(number, blocks, width=600, height=800)


def _body(n: int) -> tuple[str, float, float]:
    return (f"Brödtext på sidan {n} om samverkan med föreningar.", 60, 400)


@pytest.mark.parametrize(
    ("furniture", "kept"),
    [
        (lambda n: ("LANDSTINGET I VÄRMLAND 2015-10-23", 60, 760), False),
        (lambda n: (f"{n} (5)", 300, 30), False),
        (lambda n: (f"{n + 15} |", 60, 30), False),
        (lambda n: (f"| {n + 24}", 500, 30), False),
        (lambda n: (f"Sida {n} av 5", 300, 20), False),
        (lambda n: ("Region Blekinge", 10, 400, 30), False),  # left side label
        (lambda n: (["Inledning", "Bakgrund", "Syfte", "Mål", "Bilagor"][n - 1], 60, 760), True),
        (lambda n: ("Samma mening mitt på varje sida.", 60, 300), True),  # not in a band
    ],
)
def test_furniture_by_position_and_repetition(furniture, kept):
    from ingest.layout import strip_page_furniture

    pages = [_page(n, furniture(n), _body(n)) for n in range(1, 6)]
    stripped, removed = strip_page_furniture(pages)
    for page, original in zip(stripped, pages, strict=True):
        assert _body(page.number)[0] in [b.text for b in page.blocks]
        assert (original.blocks[0] in page.blocks) is kept
    assert len(removed) == (0 if kept else 5)


def test_band_text_on_one_page_in_three_is_kept():
    from ingest.layout import strip_page_furniture

    pages = [_page(n, _body(n), *([("Bilaga 1", 60, 760)] if n == 2 else [])) for n in (1, 2, 3)]
    stripped, removed = strip_page_furniture(pages)
    assert removed == []
    assert stripped == pages
