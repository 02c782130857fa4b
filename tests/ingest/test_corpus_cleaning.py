"""Cleaning measured on the shipped corpus (the five damaged text files).

The word lists are built from the corpus itself, not picked by hand:

* damaged words: tokens of the raw text that are no frequent Swedish word
  (wordfreq Zipf < 3) while inserting i/l/f after one of their f's gives a
  frequent word (Zipf >= 3, at least 2 higher): `fnns`, `fera`, `ofentliga`;
* correct words: every token of the raw text that is a frequent Swedish word
  (Zipf >= 3), plus every token of the documents where no damaged word was found.

Figures are in docs/cleaning.md.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ingest.clean import batch_vocab, clean_pages, normalize, summarize
from ingest.ligatures import candidates, tokens, zipf
from ingest.model import CleanReport, Paragraph
from ingest.textfile import read_text
from tests.support import CORPUS

FREQUENT = 3.0
MARGIN = 2.0


def damaged(word: str) -> bool:
    if "f" not in word or zipf(word) >= FREQUENT:
        return False
    return any(zipf(c) >= FREQUENT and zipf(c) - zipf(word) >= MARGIN for c in candidates(word))


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[str, list[Paragraph], CleanReport]]:
    files = sorted(CORPUS.glob("*.txt"))
    docs = {f.name: read_text(f) for f in files}
    vocab = batch_vocab(docs.values())
    out = {}
    for name, pages in docs.items():
        report = CleanReport()
        paras = clean_pages(pages, report, vocab=vocab)
        raw = "\n".join(normalize(b.text) for p in pages for b in p.blocks)
        out[name] = (raw, paras, report)
    return out


def words_of(text: str) -> Counter[str]:
    return Counter(tokens(text))


def test_at_least_95_percent_of_damaged_words_repaired(corpus):
    total = left = 0
    for raw, paras, _ in corpus.values():
        before = {w: c for w, c in words_of(raw).items() if damaged(w)}
        after = words_of(" ".join(p.text for p in paras))
        total += sum(before.values())
        left += sum(min(c, after.get(w, 0)) for w, c in before.items())
    assert total >= 200  # the list is real: fnns, fera, ofentliga ... in the MUCF file
    assert (total - left) / total >= 0.95, f"{left} of {total} damaged words left"


def test_no_correct_word_is_changed(corpus):
    frequent = set()
    undamaged_docs = set()
    for raw, _, _ in corpus.values():
        words = words_of(raw)
        frequent |= {w for w in words if zipf(w) >= FREQUENT}
        if not any(damaged(w) for w in words):
            undamaged_docs |= set(words)
    correct = frequent | undamaged_docs
    assert len(correct) > 3000
    changed = {
        r.before.lower()
        for _, _, report in corpus.values()
        for r in report.repairs
        if r.step == "ligatur"
    }
    assert changed
    assert not changed & correct, sorted(changed & correct)


def test_documents_without_damage_get_no_ligature_repairs(corpus):
    for raw, _, report in corpus.values():
        if not any(damaged(w) for w in words_of(raw)):
            assert not [r for r in report.repairs if r.step == "ligatur"]


FURNITURE = re.compile(r"^(\d{1,3} \||\| \d{1,3}|\d{1,3}|Region|Samman-?|fattning)$")


def test_headers_footers_and_side_labels_removed(corpus):
    _, paras, report = corpus["mucf-regionerna-och-civilsamhallet.txt"]
    for footer in ("16 |", "| 25", "| 29", "| 35", "| 75"):
        assert footer in report.removed_lines
    assert report.removed_lines.count("Samman-") == 4
    for _, paras, _ in corpus.values():
        assert not [p.text for p in paras if FURNITURE.match(p.text)]
        assert not [p.text for p in paras if "Samman- fattning" in p.text]
        assert not [p.text for p in paras if "3 (5)" in p.text or "Diarienummer" in p.text]
    # a lone heading broken over two lines is no side label
    _, plan, _ = corpus["overenskommelsen-varmland-handlingsplan-2018-2022.txt"]
    assert "Självständighet" in [p.text for p in plan]
    # neither is a two-line glossary term
    _, mucf, _ = corpus["mucf-regionerna-och-civilsamhallet.txt"]
    assert "Svenska Healthy Cities nätverket" in [p.text for p in mucf]


def page_of(paras: list[Paragraph], start: str) -> int:
    return next(p.page for p in paras if p.text.startswith(start))


def test_pages_follow_the_page_numbers_seen(corpus):
    _, mucf, _ = corpus["mucf-regionerna-och-civilsamhallet.txt"]
    assert page_of(mucf, "• Ungdomsrådet är ett intresseorgan") == 16  # ends at `16 |`
    assert page_of(mucf, "Samverkan med olika organisationer") == 17  # next page
    assert page_of(mucf, "4 Region Gotland") == 25  # page ending in `| 25`
    assert page_of(mucf, "2 Region Blekinge") < 16  # counted backward
    pages = [p.page for p in mucf]
    assert pages == sorted(pages)
    _, minutes, _ = corpus["landstinget-varmland-inspirationsdag-2015.txt"]
    assert page_of(minutes, "Åsiktsbarometer") == 3  # the page headed `... 3 (5)`
    assert page_of(minutes, "Överenskommelsearbetet kan göras") == 4
    assert max(p.page for p in minutes) == 5
    _, skl, _ = corpus["skl-position-civilsamhallet.txt"]
    assert page_of(skl, "Ett tredje samverkansmönster") == 8  # ` 8 ` starts the page
    # a sentence cut by footnotes and a page break is joined again
    assert any("anhöriga och deras organisationer medskapar" in p.text for p in skl)
    assert any("ensamhet bland äldre samt insatser för att" in p.text for p in skl)


def test_pull_quotes_and_repeated_links_appear_once(corpus):
    _, mucf, _ = corpus["mucf-regionerna-och-civilsamhallet.txt"]
    text = "\n".join(p.text for p in mucf)
    assert text.count("Sveriges regioner medvetet arbetar för att stärka") == 1
    assert text.count("Kulturenheten har initierat och sammankallar") == 1
    # repeated body text that is not a pull quote stays (summary table vs chapter)
    assert text.lower().count("regionen har uppdrag utifrån regionplanen") == 2
    _, minutes, _ = corpus["landstinget-varmland-inspirationsdag-2015.txt"]
    text = "\n".join(p.text for p in minutes)
    assert text.count("ok_eu-kod_original.pdf") == 1
    assert "http://www.liv.se/bidrag" not in text  # already given as www.liv.se/bidrag


DOUBLE_SPACED = ("landstinget-varmland-inspirationsdag-2015.txt", "skl-position-civilsamhallet.txt")


def test_double_spaced_files_keep_whole_paragraphs(corpus):
    for name in DOUBLE_SPACED:
        raw, paras, _ = corpus[name]
        lines = [x for x in raw.split("\n") if x.strip()]
        assert len(paras) < len(lines) / 3
        body = [p for p in paras if len(p.text.split()) > 12 and not p.text.startswith("•")]
        # a paragraph never ends in the middle of a sentence
        assert all(p.text.endswith((".", ":", "!", "?", "”", ")")) for p in body[:-1]), [
            p.text[-40:] for p in body if not p.text.endswith((".", ":", "!", "?", "”", ")"))
        ]


def test_hyphenation(corpus):
    text = "\n".join(p.text for _, paras, _ in corpus.values() for p in paras)
    for joined in ("samverkansmodell", "formaliserad och", "kommunikationssvårigheter"):
        assert joined in text
    for kept in ("RF-SISU", "hälso- och sjukvård", "Öron-, Näsa-", "samverkans-modell"):
        assert kept in text
    assert "samver- kan" not in text and "formalise-rad" not in text


def test_report_summary(corpus):
    _, paras, report = corpus["mucf-regionerna-och-civilsamhallet.txt"]
    summary = summarize(paras, report)
    assert summary.words > 15000 and summary.pages > 50
    assert dict(summary.repairs)["ligatur"] >= 200
    assert summary.removed_lines >= 30
    text = "\n".join(summary.lines())
    assert "fnns → finns" in text and "ligaturer lagade" in text
