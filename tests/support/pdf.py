"""Fixture makers: real PDFs (and other formats) built by real producers in tmp dirs.

The report PDF is made by reportlab's platypus: a running header and a page-number
footer on every page, a side label in the margin, justified Swedish text with
line-end hyphenation (soft hyphens) in DejaVu Sans with real fi/fl ligature glyphs,
a two-column page and a table. `drop_ligature_mapping` then rewrites the font's
ToUnicode map so the ligature glyphs extract as a bare "f" (as in the shipped
corpus's damaged PDFs): only the glyph width tells the ligature apart.
"""

from __future__ import annotations

import random
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
HEADER = "Region Exempelby · Handlingsplan för samverkan 2024"
SIDE_LABEL = "Dnr RS 2024/117"
LIGATURES = {"ffi": "\ufb03", "ffl": "\ufb04", "ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02"}

WORDS = (
    "samverkan civilsamhället regionen kommunerna föreningar idéburna organisationer "
    "överenskommelsen dialog finansiering bidrag flera finns offentliga kollektivtrafik "
    "träffas effektiv fler flyktingar konflikt uppföljning verksamhet ansvar målgrupper "
    "folkhälsa kultur ungdomar äldre arbetsmarknad insatser grundläggande långsiktig "
    "partnerskap Värmland Blekinge Jämtland länsstyrelsen handlingsplanen inflytande "
    "delaktighet rättigheter förutsättningar utveckling kunskap stöd stiftelser "
    "folkbildning studieförbund idrott fritid mötesplatser ideella frivilliga "
    "organisationsformer samhällsutmaningar välfärdstjänster jämställdhet officiella "
    "riktlinjer definierade affärsmässiga fika flexibla"
).split()
LONG_WORDS = (
    "sam\xadver\xadkans\xadöver\xadens\xadkom\xadmel\xadsen",
    "civil\xadsam\xadhälles\xadorga\xadni\xadsa\xadtio\xadner",
    "väl\xadfärds\xadut\xadveck\xadling",
    "folk\xadhälso\xadar\xadbe\xadte",
)


@dataclass(frozen=True)
class PageSpec:
    """What a fixture page holds: body paragraphs (as written, before ligatures)."""

    number: int
    paragraphs: tuple[str, ...]
    table: tuple[tuple[str, ...], ...] = ()


def swedish_paragraphs(seed: int, count: int, words: int = 60) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chosen = [rng.choice(WORDS) for _ in range(words)]
        for i in range(5, words, 17):
            chosen[i] = rng.choice(LONG_WORDS)
        sentences, start = [], 0
        while start < len(chosen):
            end = min(len(chosen), start + rng.randint(8, 14))
            part = chosen[start:end]
            sentences.append(part[0].capitalize() + " " + " ".join(part[1:]) + ".")
            start = end
        out.append(" ".join(sentences))
    return out


TABLE = (
    ("Region", "IOP", "Överenskommelse", "Antal föreningar"),
    ("Region Blekinge", "Ja", "Nej", "112"),
    ("Region Värmland", "Ja", "Ja", "348"),
    ("Region Jämtland Härjedalen", "Nej", "Ja", "97"),
    ("Region Örebro län", "Nej", "Nej", "205 (varav\n12 nya)"),
)


def report_spec() -> list[PageSpec]:
    """Five pages: 1-2 one column, 3 two columns, 4 a table, 5 one column."""
    return [
        PageSpec(1, tuple(swedish_paragraphs(1, 3))),
        PageSpec(2, tuple(swedish_paragraphs(2, 3))),
        PageSpec(3, tuple(swedish_paragraphs(3, 6, words=40))),
        PageSpec(4, tuple(swedish_paragraphs(4, 1)), TABLE),
        PageSpec(5, tuple(swedish_paragraphs(5, 2))),
    ]


def ligate(text: str) -> str:
    return re.sub("ffi|ffl|ff|fi|fl", lambda m: LIGATURES[m.group(0)], text)


def make_report_pdf(path: Path) -> list[PageSpec]:
    """Build the report PDF; return what each page holds (the truth for tests)."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Table,
    )

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(DEJAVU_BOLD)))
    body = ParagraphStyle(
        "body", fontName="DejaVu", fontSize=10, leading=13, alignment=TA_JUSTIFY,
        spaceAfter=8, embeddedHyphenation=1, uriWasteReduce=0.3,
    )
    width, height = A4

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("DejaVu", 8)
        canvas.drawString(2 * cm, height - 1.3 * cm, HEADER)
        canvas.drawCentredString(width / 2, 1.2 * cm, f"Sida {doc.page}")
        canvas.translate(width - 1.0 * cm, height / 2)
        canvas.rotate(90)
        canvas.drawCentredString(0, 0, SIDE_LABEL)
        canvas.restoreState()

    margin = 2.5 * cm
    one = Frame(margin, margin, width - 2 * margin, height - 2 * margin, id="one")
    gutter = 1 * cm
    colw = (width - 2 * margin - gutter) / 2
    left = Frame(margin, margin, colw, height - 2 * margin, id="left")
    right = Frame(margin + colw + gutter, margin, colw, height - 2 * margin, id="right")
    doc = BaseDocTemplate(str(path), pagesize=A4, pageCompression=0, title="Handlingsplan")
    doc.addPageTemplates([
        PageTemplate("one", [one], onPage=furniture),
        PageTemplate("two", [left, right], onPage=furniture),
    ])
    spec = report_spec()
    story: list = []
    for page in spec:
        if page.number == 3:
            story.append(NextPageTemplate("two"))
        elif page.number == 4:
            story.append(NextPageTemplate("one"))
        if page.number > 1:
            story.append(PageBreak())
        paras = page.paragraphs
        for i, text in enumerate(paras):
            if page.number == 3 and i == len(paras) // 2:
                story.append(FrameBreak())
            story.append(Paragraph(ligate(text), body))
        if page.table:
            story.append(Table([list(r) for r in page.table], style=[
                ("FONT", (0, 0), (-1, -1), "DejaVu", 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ]))
    doc.build(story)
    return spec


def drop_ligature_mapping(src: Path, dst: Path) -> int:
    """Copy `src`, mapping every ligature glyph to a bare "f" in the ToUnicode maps.

    The rewrite keeps byte lengths (`<FB01>` → `<0066>`), so the xref stays valid.
    Returns how many mappings were changed."""
    data = src.read_bytes()
    count = 0
    for code in ("FB00", "FB01", "FB02", "FB03", "FB04"):
        for variant in (code.encode(), code.lower().encode()):
            count += data.count(b"<" + variant + b">")
            data = data.replace(b"<" + variant + b">", b"<0066>")
    dst.write_bytes(data)
    return count


def page_words(spec: list[PageSpec]) -> dict[int, list[str]]:
    """The words each page holds, soft hyphens removed, as the truth for recall."""
    out = {}
    for page in spec:
        text = " ".join(page.paragraphs) + " " + " ".join(" ".join(r) for r in page.table)
        out[page.number] = words_of(text.replace("\xad", ""))
    return out


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


# --- hostile files -----------------------------------------------------------------


def make_simple_pdf(path: Path, pages: int = 1, encrypt: str | None = None) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=encrypt)
    for n in range(1, pages + 1):
        c.drawString(72, 720, f"Sidan {n} handlar om samverkan.")
        c.showPage()
    c.save()


def make_bomb_pdf(path: Path, inflated_mb: int = 1024, pattern: bytes = b" ") -> None:
    """A one-page PDF whose content stream inflates to `inflated_mb` MiB of `pattern`.

    Made fast: one MiB compressed after a full flush compresses the same each time,
    so the stream is that piece repeated, closed with the Adler-32 of the whole."""
    block = (pattern * ((1 << 20) // len(pattern) + 1))[: 1 << 20]
    comp = zlib.compressobj(9)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(inflated_mb):
        adler = zlib.adler32(block, adler)
    stream = first + again * (inflated_mb - 1) + b"\x03\x00" + struct.pack(">I", adler)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))


# --- LibreOffice ------------------------------------------------------------------


def soffice_available() -> bool:
    return shutil.which("soffice") is not None


def convert_with_soffice(src: Path, outdir: Path, fmt: str = "pdf") -> Path:
    profile = outdir / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", fmt, "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    return outdir / (src.stem + "." + fmt)


LO_TABLE = (
    ("Kommun", "Föreningar", "Bidrag (kr)"),
    ("Karlstad", "412", "1 250 000"),
    ("Arvika", "96", "310 000"),
    ("Torsby", "41", "120 000"),
)


def lo_spec() -> list[PageSpec]:
    """Four pages: two plain, one in two columns, one with a table."""
    return [
        PageSpec(1, ("Avsnitt ett börjar här.", *swedish_paragraphs(11, 3))),
        PageSpec(2, ("Avsnitt två börjar här.", *swedish_paragraphs(12, 3))),
        PageSpec(3, ("Avsnitt tre börjar här.", *swedish_paragraphs(13, 4, words=40))),
        PageSpec(4, ("Avsnitt fyra börjar här.", *swedish_paragraphs(14, 1)), LO_TABLE),
    ]


def make_lo_docx(path: Path) -> list[PageSpec]:
    """A Word file LibreOffice turns into the PDF: running header, "Sida N" footer
    (a PAGE field), justified DejaVu Serif text, a two-column section and a table."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(10)
    section = document.sections[0]
    section.header.paragraphs[0].text = LO_HEADER
    footer = section.footer.paragraphs[0]
    footer.add_run("Sida ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    spec = lo_spec()
    for page in spec:
        if page.number in (3, 4):
            sectpr = document.add_section(WD_SECTION.NEW_PAGE)._sectPr
            cols = sectpr.find(qn("w:cols"))
            if cols is None:
                cols = OxmlElement("w:cols")
                sectpr.append(cols)
            cols.set(qn("w:num"), "2" if page.number == 3 else "1")
            cols.set(qn("w:space"), "567")
        elif page.number > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for paragraph in page.paragraphs:
            document.add_paragraph(paragraph.replace("\xad", "")).alignment = \
                WD_ALIGN_PARAGRAPH.JUSTIFY
        if page.table:
            table = document.add_table(rows=len(page.table), cols=len(page.table[0]))
            table.style = "Table Grid"
            for row, values in zip(table.rows, page.table, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
    document.save(str(path))
    return spec


LO_HEADER = "Överenskommelse · Region Exempelby"
