"""Synthetic inputs for `kb bench`: a corpus scaled xN by varying the shipped documents,
and a generated multi-page PDF.

Variant 0 of a document is the document itself; variant i > 0 renames every region
(and a few municipalities) to invented Swedish-sounding names and shuffles paragraphs
within small windows, so terms, chunk boundaries and vectors differ between copies
while the language and the kind of text stay those of the real corpus. Everything
is seeded: the same scale gives the same files.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

DOC_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
NOT_DOCUMENTS = {"sources.md", "readme.md"}
SHUFFLE_WINDOW = 5

# Stems as they start words in the corpus ("Värmland" also renames "Värmlands",
# "Värmlandsöverenskommelsen"); longer names first so they win over their parts.
PLACES = (
    "Västra Götalandsregionen", "Jämtland Härjedalen", "Västernorrland", "Västerbotten",
    "Västmanland", "Östergötland", "Norrbotten", "Gävleborg", "Jönköping", "Kronoberg",
    "Stockholm", "Blekinge", "Värmland", "Dalarna", "Gotland", "Halland", "Sörmland",
    "Uppsala", "Kalmar", "Örebro", "Skåne", "Karlstad", "Torsby", "Arvika", "Hagfors",
    "Säffle", "Västerås", "Malmö", "Göteborg", "Umeå", "Luleå",
)
_HEADS = ("Björk", "Sjö", "Ek", "Lind", "Al", "Gran", "Ask", "Rönn", "Hassel", "Tall",
          "Sten", "Berg", "Myr", "Mo", "Ström", "Fors", "Vik", "Näs", "Hed", "Holm",
          "Älv", "Ljung", "Säl", "Örn", "Tjäder")
_TAILS = ("land", "dal", "bygd", "mark", "botten", "ås", "lunda", "sjö", "fjäll", "slätt",
          "vik", "hamn")


def invented_names(variant: int, count: int) -> list[str]:
    """`count` distinct invented place names, a different draw for each variant."""
    pool = [h + t for h in _HEADS for t in _TAILS]
    return random.Random(f"names-{variant}").sample(pool, count)


def rename_map(variant: int) -> dict[str, str]:
    if variant == 0:
        return {}
    return dict(zip(PLACES, invented_names(variant, len(PLACES)), strict=True))


def rename(text: str, mapping: dict[str, str]) -> str:
    """Replace each name where it starts a word (so inflected and compound forms follow)."""
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in mapping) + ")")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def split_paragraphs(text: str) -> list[str]:
    return [p.strip("\r\n") for p in re.split(r"\n\s*\n", text) if p.strip()]


def shuffle_paragraphs(text: str, rng: random.Random, window: int = SHUFFLE_WINDOW) -> str:
    """Shuffle paragraphs inside consecutive windows: local order changes, sections stay."""
    paragraphs = split_paragraphs(text)
    out: list[str] = []
    for start in range(0, len(paragraphs), window):
        block = paragraphs[start:start + window]
        rng.shuffle(block)
        out.extend(block)
    return "\n\n".join(out) + "\n"


def vary(text: str, variant: int) -> str:
    """Variant `variant` of a document's text; variant 0 is the text unchanged."""
    if variant == 0:
        return text
    return shuffle_paragraphs(rename(text, rename_map(variant)), random.Random(variant))


def corpus_documents(corpus: Path) -> list[Path]:
    return sorted(
        p for p in corpus.iterdir()
        if p.is_file() and p.suffix.lower() in DOC_SUFFIXES and p.name.lower() not in NOT_DOCUMENTS
    )


def smallest_documents(corpus: Path, count: int) -> list[Path]:
    return sorted(corpus_documents(corpus), key=lambda p: p.stat().st_size)[:count]


def write_scaled_corpus(corpus: Path, dest: Path, scale: int,
                        limit_docs: int | None = None) -> list[Path]:
    """Write `scale` variants of every text document of `corpus` into `dest`
    (only the `limit_docs` smallest documents when given: the smoke run).

    Non-text documents (PDF, DOCX, HTML) are copied once; the manifest, when there is
    one, is copied so the originals keep their metadata and variants get inferred metadata.
    """
    dest.mkdir(parents=True, exist_ok=True)
    manifest = corpus / "manifest.toml"
    if manifest.exists():
        shutil.copy2(manifest, dest / manifest.name)
    written = []
    docs = corpus_documents(corpus) if limit_docs is None else smallest_documents(
        corpus, limit_docs)
    for doc in docs:
        if doc.suffix.lower() not in (".txt", ".md"):
            shutil.copy2(doc, dest / doc.name)
            written.append(dest / doc.name)
            continue
        text = doc.read_text(encoding="utf-8")
        for variant in range(scale):
            name = doc.name if variant == 0 else f"{doc.stem}--v{variant:03d}{doc.suffix}"
            target = dest / name
            target.write_text(vary(text, variant), encoding="utf-8")
            written.append(target)
    return written


def count_words(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in paths
               if p.suffix.lower() in (".txt", ".md"))


# ---------------------------------------------------------------- a generated PDF

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_pdf(path: Path, paragraphs: list[str], pages: int) -> int:
    """A multi-page report PDF (reportlab platypus): running header, page-number footer,
    Swedish body text from `paragraphs` repeated until `pages` pages are filled.
    Returns the number of pages written."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    font = _register_font()
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("kb-body", fontName=font, fontSize=10, leading=13)
    head = styles["Heading2"].clone("kb-head", fontName=font)

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(56, A4[1] - 40, "Region Exempelby · Syntetisk rapport för kb bench")
        canvas.drawRightString(A4[0] - 56, 30, str(doc.page))
        canvas.restoreState()

    story, words_per_page, i = [], 280, 0
    for page in range(1, pages + 1):
        story.append(Paragraph(f"{page}. Avsnitt {page}", head))
        words = 0
        while words < words_per_page:
            text = paragraphs[i % len(paragraphs)]
            i += 1
            story.append(Paragraph(_escape(" ".join(text.split())), body))
            words += len(text.split())
        if page < pages:
            story.append(PageBreak())
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="kb bench")
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return doc.page


def _register_font() -> str:
    if not _DEJAVU.exists():
        return "Helvetica"
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(_DEJAVU)))
    return "DejaVuSans"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
