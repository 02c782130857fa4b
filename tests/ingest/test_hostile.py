"""Hostile files: each ends in one clear Swedish IngestError naming the file, within
the limits, and the good files around it are still read."""

from __future__ import annotations

import time

import pytest

from ingest.readers import ExtractParams, IngestError, read_file
from tests.support.pdf import make_bomb_pdf, make_simple_pdf

LIMITS = ExtractParams(timeout=20.0, memory_mb=300, max_pages=20)


def _truncated(path):
    make_simple_pdf(path.with_name("hel.pdf"), pages=3)
    data = path.with_name("hel.pdf").read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _image_only(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(72, 72, 300, 400, fill=1)
    c.showPage()
    c.save()


HOSTILE = {
    "bild.pdf": (_image_only, "inget textlager"),
    "krypterad.pdf": (lambda p: make_simple_pdf(p, encrypt="hemligt"), "krypterad"),
    "avkortad.pdf": (_truncated, "avkortad"),
    "text.pdf": (lambda p: p.write_text("Det här är ingen PDF.\n"), "inte en PDF"),
    "tom.pdf": (lambda p: p.write_bytes(b""), "tom"),
    "bomb.pdf": (lambda p: make_bomb_pdf(p, inflated_mb=1024), "minnesgränsen 300 MB"),
    "manga-sidor.pdf": (lambda p: make_simple_pdf(p, pages=25), "25 sidor"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gives_one_clear_line(tmp_path, name):
    make, reason = HOSTILE[name]
    path = tmp_path / name
    make(path)
    start = time.monotonic()
    with pytest.raises(IngestError) as caught:
        read_file(path, LIMITS)
    message = str(caught.value)
    assert time.monotonic() - start < LIMITS.timeout
    assert message.startswith(str(path) + ": ")
    assert reason in message
    assert "\n" not in message


def test_slow_pdf_worker_is_killed_at_the_timeout(tmp_path):
    path = tmp_path / "seg.pdf"
    make_bomb_pdf(path, inflated_mb=64, pattern=b"1 0 0 1 0 0 cm ")
    start = time.monotonic()
    with pytest.raises(IngestError, match="tog mer än 1 s och avbröts"):
        read_file(path, ExtractParams(timeout=1.0, memory_mb=1024, max_pages=20))
    assert time.monotonic() - start < 4.0


def test_pdf_encrypted_without_user_password_is_read(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "skyddad.pdf"
    make_simple_pdf(path, encrypt=StandardEncryption("", ownerPassword="ägare", canCopy=0))
    pages = read_file(path, LIMITS)
    assert pages[0].blocks[0].text == "Sidan 1 handlar om samverkan."


def test_batch_keeps_every_good_file(tmp_path):
    good, bad = [], []
    for i in range(3):
        make_simple_pdf(tmp_path / f"bra{i}.pdf", pages=i + 1)
        good.append(tmp_path / f"bra{i}.pdf")
    for name in ("tom.pdf", "text.pdf", "krypterad.pdf"):
        HOSTILE[name][0](tmp_path / name)
        bad.append(tmp_path / name)
    read, errors = {}, {}
    for path in [bad[0], good[0], bad[1], good[1], bad[2], good[2]]:
        try:
            read[path] = read_file(path, LIMITS)
        except IngestError as exc:
            errors[path] = str(exc)
    assert sorted(read) == sorted(good)
    assert [len(read[p]) for p in good] == [1, 2, 3]
    assert sorted(errors) == sorted(bad)


def test_unknown_suffix_is_refused(tmp_path):
    path = tmp_path / "bild.png"
    path.write_bytes(b"\x89PNG")
    with pytest.raises(IngestError, match="filformatet .png stöds inte"):
        read_file(path)
