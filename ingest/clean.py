"""Text repair: pages of raw blocks → cleaned paragraphs with page numbers.

The stages, in order (docs/cleaning.md has before/after tables and figures):

1. `normalize` each line: NFKC, ligature code points, symbol-font bullets → "•",
   odd spaces → " ", soft hyphens dropped (small `str -> str` steps, `STEPS`).
2. Text files: page numbers, running headers and side labels removed, pages
   inferred (`ingest.furniture`). PDFs: the reader already did this by position.
3. Lines joined into paragraphs: line-end hyphens joined or kept
   (`dehyphenate`), double-spaced extraction recognized, bullets, headings and
   table rows kept as their own paragraphs.
4. Dropped ligatures repaired (`ingest.ligatures`), pull quotes that repeat body
   text dropped, repeated link lines collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wordfreq import zipf_frequency

from ingest.furniture import Line, strip_text_furniture
from ingest.ligatures import LigatureRepair, build_vocab
from ingest.model import LIGATURE_MARK, CleanReport, Page, Paragraph

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
BULLETS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8\u25aa\u25cf\u25e6\u2023\u2043\u25a0\u25a1"
ODD_SPACES = "\u00a0\u202f\u2000-\u200a\u205f\u3000\t"
ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen and zero-width marks
SENTENCE_END = (".", "!", "?", ":", "”", '"', ")")
CONTINUATION_WORDS = ("och", "eller", "samt", "till", "som", "respektive", "resp.")
URL_RE = re.compile(r"^(?:https?://|www\.)\S+$")
SHORT_LINE = 0.6  # a line shorter than this share of the usual width ends a paragraph
PULL_QUOTE_MIN_WORDS = 8
PULL_QUOTE_WINDOW = 12
# a line ending in one of these words goes on (no heading, no paragraph end)
OPEN_WORDS = frozenset(
    "i och för med av till om på som att en ett inom mellan från under eller samt "
    "den det de där när vid hos mot genom utan efter över".split()
)


def expand_ligatures(text: str) -> str:
    return "".join(LIGATURES.get(ch, ch) for ch in text)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def unify_bullets(text: str) -> str:
    text = re.sub(f"[{BULLETS}]", "•", text)
    return re.sub(r"^(\s*)•\s*", r"\1• ", text)


def unify_spaces(text: str) -> str:
    text = re.sub(f"[{ODD_SPACES}]", " ", text)
    return re.sub(f"[{ZERO_WIDTH}]", "", text)


def blank_space_lines(text: str) -> str:
    return "" if not text.strip() else text


# Order matters: ligature code points before NFKC (NFKC would also expand them,
# but the explicit table keeps the step visible and testable).
STEPS: tuple[Callable[[str], str], ...] = (
    expand_ligatures,
    unify_spaces,
    nfkc,
    unify_bullets,
    blank_space_lines,
)


def normalize(text: str) -> str:
    """One raw line → normalized line (leading space kept: it marks page starts)."""
    for step in STEPS:
        text = step(text)
    return text.rstrip()


# ---------------------------------------------------------------- hyphenation


def _zipf(word: str) -> float:
    return zipf_frequency(word.lower(), "sv")


HYPHENATED_RE = re.compile(r"[^\W\d_]+-[^\W\d_]+")


def hyphenated_words(lines: Iterable[str]) -> set[str]:
    """Words written with a hyphen inside a line (`samverkans-modell`): evidence
    that a hyphen at a line end is real too."""
    return {w.lower() for line in lines for w in HYPHENATED_RE.findall(line)}


SUSPENDED_RE = re.compile(r"([^\W\d_]+)-\s*,?\s+(?:och|eller|samt)\s+([^\W\d_]+)")
SUSPENDED_MARK = "- "  # vocabulary keys "hälso- sjukvård": a pair, never a word


def suspended_pairs(text: str) -> list[str]:
    """Suspended compounds of a text as vocabulary keys: "hälso- och sjukvård"
    gives "hälso- sjukvård" (first part, mark, second word, lowercased)."""
    return [f"{a.lower()}{SUSPENDED_MARK}{b.lower()}" for a, b in SUSPENDED_RE.findall(text)]


def _known(word: str, vocab: Counter[str]) -> bool:
    return _zipf(word) > 0 or vocab[word.lower()] > 0


def _attested_pair(first: str, second: str, vocab: Counter[str]) -> bool:
    """Whether the vocabulary has "first- och second" (or a longer form of second,
    "hälso- och sjukvården" for "sjukvård")."""
    key = f"{first.lower()}{SUSPENDED_MARK}"
    second = second.lower()
    return any(k.startswith(key) and (k[len(key):].startswith(second)
                                      or second.startswith(k[len(key):]))
               for k in vocab if SUSPENDED_MARK in k)


def is_suspended(left: str, right: str, vocab: Counter[str] | None) -> bool:
    """`hälso-` + `sjukvård` where the source dropped "och": the joined form is
    no known word (wordfreq or the batch), the second part is one, and the batch
    writes the pair as a suspended compound ("hälso- och sjukvård")."""
    if not vocab:
        return False
    return (not _known(left + right, vocab) and _known(right, vocab)
            and _attested_pair(left, right, vocab))


def hyphen_join(left: str, right: str, hyphenated: set[str] | None = None,
                vocab: Counter[str] | None = None) -> str:
    """What goes between `left-` at a line end and `right`: "" (a syllable
    break, `samver-` + `kan`), "-" (a real hyphen, `RF-` + `SISU`) or "- " (a
    suspended compound, `hälso-` + `och sjukvård`, `hälso-` + `sjukvård`)."""
    if not keeps_hyphen(left, right, hyphenated):
        words = (re.findall(r"[^\W_]+$", left), re.findall(r"^[^\W_]+", right))
        return "- " if all(words) and is_suspended(words[0][0], words[1][0], vocab) else ""
    nxt = right.split()[0] if right.split() else ""
    return "- " if nxt.lower() in CONTINUATION_WORDS else "-"


def keeps_hyphen(left: str, right: str, hyphenated: set[str] | None = None) -> bool:
    """Whether `left-` at a line end followed by `right` is a real hyphen.

    Real: `hälso-` + `och sjukvård`, `RF-` + `SISU`, `EU-` + `medel`, `Öron-` + `,`,
    and a form the document writes with a hyphen elsewhere while the joined form
    is no known word. Otherwise a syllable break: `samver-` + `kan`."""
    left_word = re.findall(r"[^\W_]+$", left)
    right_word = re.findall(r"^[^\W_]+", right)
    if not left_word or not right_word:
        return True
    lw, rw = left_word[0], right_word[0]
    if rw[0].isupper() or rw[0].isdigit() or lw[-1].isupper() or lw[-1].isdigit():
        return True
    if rw.lower() in CONTINUATION_WORDS:
        return True
    hyphened = f"{lw}-{rw}".lower()
    return hyphened in (hyphenated or set()) and _zipf(lw + rw) == 0


def join_lines(lines: list[str], hyphenated: set[str] | None = None,
               vocab: Counter[str] | None = None) -> str:
    """Lines of one paragraph → one string, line-end hyphens resolved
    (`vocab`: the batch vocabulary with its suspended compounds, `batch_vocab`)."""
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            out = out[:-1] + hyphen_join(out[:-1], line, hyphenated, vocab) + line
        else:
            out = f"{out} {line}"
    return re.sub(r" {2,}", " ", out)


# ---------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class _Para:
    lines: tuple[str, ...]
    page: int
    is_heading: bool = False


def is_double_spaced(lines: list[Line]) -> bool:
    """Every text line followed by one blank line (a common extraction fault)."""
    text_lines = [i for i, line in enumerate(lines[:-1]) if line.text]
    if len(text_lines) < 10:
        return False
    followed = sum(
        1
        for i in text_lines
        if not lines[i + 1].text and i + 2 < len(lines) and lines[i + 2].text
    )
    return followed / len(text_lines) >= 0.5


def usual_width(lines: list[Line]) -> float:
    lengths = sorted(len(line.text) for line in lines if len(line.text) > 20)
    return float(lengths[int(len(lengths) * 0.75)]) if lengths else 60.0


def _is_bullet(text: str) -> bool:
    return text.startswith("•")


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(SENTENCE_END)


def _ends_open(text: str) -> bool:
    words = text.split()
    return bool(words) and words[-1].lower() in OPEN_WORDS


def _is_heading_like(text: str, width: float) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 8
        and not _ends_open(text)
        and ". " not in text
        and len(text) < SHORT_LINE * width
        and not text.endswith((".", ",", ";", "-", ":"))
        and (text[0].isupper() or text[0].isdigit())
        and not _is_bullet(text)
        and not URL_RE.match(text)
    )


def _starts_lower(text: str) -> bool:
    return bool(text) and (text[0].islower() or text[0] in ",;)–-")


@dataclass(frozen=True)
class _Row:
    text: str
    page: int
    blanks_before: int
    blanks_after: int
    page_start: bool = False
    heading: bool = False


def _rows(lines: list[Line]) -> list[_Row]:
    texts = [i for i, line in enumerate(lines) if line.text]
    rows = []
    for n, i in enumerate(texts):
        before = i - texts[n - 1] - 1 if n else 0
        after = texts[n + 1] - i - 1 if n + 1 < len(texts) else 2
        line = lines[i]
        heading = line.heading_level is not None
        rows.append(_Row(line.text, line.page, before, after, line.page_start, heading))
    return rows


@dataclass(frozen=True)
class _Layout:
    double: bool
    width: float

    @property
    def soft(self) -> int:
        """Blank lines that do not end a paragraph (one in double-spaced text)."""
        return 1 if self.double else 0

    def is_heading(self, prev: _Row | None, row: _Row, nxt: _Row | None) -> bool:
        """A short line after a paragraph end, before text that starts a sentence."""
        if not _is_heading_like(row.text, self.width):
            return False
        if nxt is None or _starts_lower(nxt.text):
            return False
        if prev is not None and row.blanks_before <= self.soft and not row.page_start:
            ended = _ends_sentence(prev.text) or URL_RE.match(prev.text)
            if not (ended or _is_heading_like(prev.text, self.width)):
                return False
        return True


def _two_line_heading(prev: _Row, row: _Row, lay: _Layout) -> bool:
    """A heading or term broken over two short lines standing alone between
    blank lines (`Svenska Healthy` / `Cities nätverket`)."""
    return (
        not lay.double
        and prev.blanks_before > 0
        and row.blanks_before == 0
        and row.blanks_after > 0
        and not row.page_start
        and _is_heading_like(prev.text, lay.width)
        and _is_heading_like(row.text, lay.width)
        and not _ends_sentence(prev.text)
    )


def _break_between(rows: list[_Row], n: int, first: str, lay: _Layout) -> bool:
    """Whether a paragraph ends between rows n-1 and n; `first` opens the
    current paragraph."""
    before = rows[n - 2] if n >= 2 else None
    prev, row = rows[n - 1], rows[n]
    nxt = rows[n + 1] if n + 1 < len(rows) else None
    if prev.heading != row.heading:
        return True
    if _is_bullet(row.text) or URL_RE.match(row.text) or URL_RE.match(prev.text):
        return True
    blanks = row.blanks_before
    if row.page_start and FOOTNOTE_RE.match(first) and _starts_lower(row.text):
        return True  # the page's text goes on after its footnote (`stitch_footnotes`)
    if _starts_lower(row.text) and not _ends_sentence(prev.text):
        return False  # a sentence goes on, across blank lines and page breaks
    if prev.text.endswith("-") and not prev.text.endswith(" -") and blanks <= lay.soft + 1:
        return False
    if blanks > lay.soft:
        return not (
            blanks == lay.soft + 1
            and not _ends_sentence(prev.text)
            and (_starts_lower(row.text) or _ends_open(prev.text))
        )
    if _starts_lower(row.text) or prev.text.endswith((",", "–", "&")):
        return False
    if _is_bullet(first) and len(prev.text) < SHORT_LINE * lay.width:
        return True  # a bullet item ends where a sentence starts on a new line
    if _two_line_heading(prev, row, lay):
        return False
    if lay.is_heading(before, prev, row) or lay.is_heading(prev, row, nxt):
        return True
    return _ends_sentence(prev.text) and len(prev.text) < SHORT_LINE * lay.width


def paragraphs_of(lines: list[Line]) -> list[_Para]:
    """Group lines into paragraphs (text not yet joined)."""
    lay = _Layout(is_double_spaced(lines), usual_width(lines))
    rows = _rows(lines)
    paras: list[_Para] = []
    current: list[str] = []
    page = 1
    heading = False
    for n, row in enumerate(rows):
        if current and _break_between(rows, n, current[0], lay):
            paras.append(_Para(tuple(current), page, heading))
            current = []
        if not current:
            page, heading = row.page, row.heading
        current.append(row.text)
    if current:
        paras.append(_Para(tuple(current), page, heading))
    return stitch_footnotes(paras)


FOOTNOTE_RE = re.compile(r"^\d{1,2}\s*\S")
STITCH_GAP = 3


def _is_aside(para: _Para) -> bool:
    """A footnote (`1 Jmf. ...`) or a bare link set between two halves of a sentence."""
    first = para.lines[0]
    return bool(FOOTNOTE_RE.match(first) or URL_RE.match(first))


def stitch_footnotes(paras: list[_Para]) -> list[_Para]:
    """A sentence cut by a page's footnotes goes on after them: join its halves
    and keep the footnotes after the paragraph."""
    out = list(paras)
    i = 0
    while i < len(out):
        last = out[i].lines[-1]
        if not _ends_sentence(last) and not _is_bullet(out[i].lines[0]):
            for k in range(2, STITCH_GAP + 2):
                if i + k >= len(out) or not all(_is_aside(p) for p in out[i + 1 : i + k]):
                    break
                nxt = out[i + k]
                if _starts_lower(nxt.lines[0]) and not _is_aside(nxt):
                    merged = _Para(out[i].lines + nxt.lines, out[i].page, out[i].is_heading)
                    out[i : i + k + 1] = [merged, *out[i + 1 : i + k]]
                    break
        i += 1
    return out


# ---------------------------------------------------------------- repeats


def _key(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _inside(key: str, other: str) -> bool:
    return len(other) > len(key) and f" {key} " in f" {other} "


def drop_pull_quotes(paras: list[Paragraph], report: CleanReport) -> list[Paragraph]:
    """A paragraph of at least eight words whose words appear in the same order
    inside a longer paragraph nearby (`PULL_QUOTE_WINDOW` paragraphs either side)
    is a pull quote: keep the body copy only. Bullet items are never quotes."""
    keys = [_key(p.text) for p in paras]
    out = []
    for i, para in enumerate(paras):
        key = keys[i]
        near = range(max(0, i - PULL_QUOTE_WINDOW), min(len(paras), i + PULL_QUOTE_WINDOW + 1))
        if (
            len(key.split()) >= PULL_QUOTE_MIN_WORDS
            and not _is_bullet(para.text)
            and not URL_RE.match(para.text)
            and any(j != i and _inside(key, keys[j]) for j in near)
        ):
            report.add("citat", para.text, "")
            continue
        out.append(para)
    return out


def _url_key(text: str) -> str:
    return re.sub(r"^(https?://)?(www\.)?", "", text.strip().lower()).rstrip("/")


def collapse_urls(paras: list[Paragraph], report: CleanReport) -> list[Paragraph]:
    """A paragraph that is only a link already given earlier in the document goes."""
    seen: set[str] = set()
    out = []
    for para in paras:
        words = para.text.split()
        if len(words) == 1 and URL_RE.match(words[0]) and _url_key(words[0]) in seen:
            report.add("länk", para.text, "")
            continue
        seen.update(_url_key(w) for w in words if URL_RE.match(w.rstrip(".,;)")))
        out.append(para)
    return out


# ---------------------------------------------------------------- entry points


def is_line_file(pages: list[Page]) -> bool:
    """A text file as `read_text` gives it: one block per raw line, blank lines
    included, no geometry. Other readers give one block per paragraph or box."""
    blocks = [block for page in pages for block in page.blocks]
    return all(b.bbox is None for b in blocks) and any(not b.text.strip() for b in blocks)


def page_lines(pages: list[Page], report: CleanReport) -> list[Line]:
    """Normalized lines with page numbers; text files lose their furniture here."""
    if is_line_file(pages):
        lines: list[Line] = []
        for page in pages:  # form feeds are real page breaks; furniture is per page
            raw = [normalize(x) for b in page.blocks for x in b.text.split("\n")]
            kept, removed = strip_text_furniture(raw)
            report.removed_lines.extend(removed)
            offset = page.number - 1 if len(pages) > 1 else 0
            lines += [Line(x.text, x.page + offset, x.page_start) for x in kept]
            lines += [Line("", page.number)] * 3
        return lines
    lines = []
    for page in pages:
        for block in page.blocks:  # a block (text box, paragraph) ends a paragraph
            for x in block.text.split("\n"):
                lines.append(Line(normalize(x).strip(), page.number, False, block.heading_level))
            lines += [Line("", page.number)] * 3
    return lines


SPLIT_INITIAL_RE = re.compile(r"\b([A-ZÅÄÖ]) ([a-zåäö]{2,})\b")


def join_split_initials(text: str, report: CleanReport | None = None) -> str:
    """`V ästra` → `Västra`: an initial spaced off its word by the extractor, when
    the rest is no word and the whole is a frequent one."""

    def fix(match: re.Match[str]) -> str:
        initial, rest = match.groups()
        joined = initial + rest
        if _zipf(rest) < 1.0 and _zipf(joined) >= 3.0:
            if report is not None:
                report.add("mellanslag", match.group(0), joined)
            return joined
        return match.group(0)

    return SPLIT_INITIAL_RE.sub(fix, text)


GLUED_RE = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]{2,})([A-ZÅÄÖ][a-zåäö]{2,})\b")


def _swedish(word: str) -> bool:
    """A frequent Swedish word that is not rather an English one (`Mind`, `Shift`)."""
    return _zipf(word) >= 3.0 and _zipf(word) > zipf_frequency(word.lower(), "en")


def split_glued_words(text: str, report: CleanReport | None = None) -> str:
    """`MångfaldÖppenhet` → `Mångfald Öppenhet`: two capitalised words whose space
    was lost, when both are frequent Swedish words (names like `MindShift` stay)."""

    def fix(match: re.Match[str]) -> str:
        first, second = match.groups()
        if _swedish(first) and _swedish(second) and _zipf(first + second) == 0:
            if report is not None:
                report.add("mellanslag", match.group(0), f"{first} {second}")
            return f"{first} {second}"
        return match.group(0)

    return GLUED_RE.sub(fix, text)


def clean_pages(
    pages: list[Page],
    report: CleanReport | None = None,
    vocab: Counter[str] | None = None,
) -> list[Paragraph]:
    """Pages of raw blocks → cleaned paragraphs, each with its page number.

    `vocab` is the batch vocabulary (`batch_vocab`); without it the document's
    own words are used."""
    report = report if report is not None else CleanReport()
    lines = page_lines(pages, report)
    if vocab is None:
        vocab = text_vocab([line.text for line in lines])
    repair = LigatureRepair(vocab)
    hyphenated = hyphenated_words(line.text for line in lines)
    paras = []
    for para in paragraphs_of(lines):
        joined = join_lines(list(para.lines), hyphenated, vocab)
        _report_dehyphenation(para.lines, hyphenated, vocab, report)
        text = repair.repair(joined, report)
        text = split_glued_words(join_split_initials(text, report), report).strip()
        if text:
            paras.append(Paragraph(text, para.page, is_heading=para.is_heading))
    return collapse_urls(drop_pull_quotes(paras, report), report)


def _report_dehyphenation(
    lines: tuple[str, ...], hyphenated: set[str], vocab: Counter[str], report: CleanReport
) -> None:
    for left, right in zip(lines, lines[1:], strict=False):
        if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right.split():
            lw = left.split()[-1]
            rw = right.split()[0]
            joined = join_lines([lw, rw], hyphenated, vocab)
            if " " not in joined:
                report.add("avstavning", f"{lw} {rw}", joined)
            elif rw.lower() not in CONTINUATION_WORDS:
                report.add("sammansättning", f"{lw} {rw}", f"{joined} (inte {lw[:-1]}{rw})")


def text_vocab(lines: list[str]) -> Counter[str]:
    """Words of a document's lines plus its suspended compounds (`suspended_pairs`)."""
    vocab = build_vocab(lines)
    vocab.update(suspended_pairs(" ".join(lines)))
    return vocab


def batch_vocab(documents: Iterable[list[Page]]) -> Counter[str]:
    """The vocabulary of a batch of documents, for `clean_pages(vocab=...)`:
    every word, and every suspended compound as "hälso- sjukvård"."""
    vocab: Counter[str] = Counter()
    for pages in documents:
        vocab.update(text_vocab([
            normalize(line).replace(LIGATURE_MARK, "")
            for page in pages
            for block in page.blocks
            for line in block.text.split("\n")
        ]))
    return vocab


# ---------------------------------------------------------------- report

REPORT_EXAMPLES = 5
STEP_NAMES = {
    "ligatur": "ligaturer lagade",
    "avstavning": "avstavningar",
    "sammansättning": "förled med bindestreck behållna",
    "citat": "upprepade citat borttagna",
    "länk": "upprepade länkar borttagna",
    "mellanslag": "mellanslag lagade",
}


@dataclass(frozen=True)
class CleanSummary:
    """Per document: what `kb ingest --report` prints."""

    pages: int
    words: int
    repairs: tuple[tuple[str, int], ...]  # (step, count)
    examples: tuple[tuple[str, tuple[str, ...]], ...]  # (step, "före → efter" examples)
    removed_lines: int
    removed_examples: tuple[str, ...]

    def lines(self) -> list[str]:
        """The summary as Swedish text lines."""
        out = [f"sidor: {self.pages}, ord: {self.words}"]
        examples = dict(self.examples)
        for step, count in self.repairs:
            shown = "; ".join(examples.get(step, ()))
            label = f"{STEP_NAMES.get(step, step)}: {count}"
            out.append(label + (f" (t.ex. {shown})" if shown else ""))
        removed = "; ".join(repr(x) for x in self.removed_examples)
        out.append(
            f"rader borttagna som sidhuvud/sidfot/sidnummer: {self.removed_lines}"
            + (f" (t.ex. {removed})" if removed else "")
        )
        return out


def summarize(paragraphs: list[Paragraph], report: CleanReport) -> CleanSummary:
    counts: Counter[str] = Counter(r.step for r in report.repairs)
    examples: dict[str, list[str]] = {}
    for r in report.repairs:
        shown = examples.setdefault(r.step, [])
        text = f"{r.before} → {r.after}" if r.after else r.before[:60]
        if text not in shown and len(shown) < REPORT_EXAMPLES:
            shown.append(text)
    removed = list(dict.fromkeys(x for x in report.removed_lines if x.strip()))
    return CleanSummary(
        pages=len({p.page for p in paragraphs}),
        words=sum(len(p.text.split()) for p in paragraphs),
        repairs=tuple(sorted(counts.items())),
        examples=tuple((k, tuple(v)) for k, v in sorted(examples.items())),
        removed_lines=len(report.removed_lines),
        removed_examples=tuple(removed[:REPORT_EXAMPLES]),
    )
