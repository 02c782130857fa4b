"""Small made-up documents for the structure/chunk/pipeline/store tests."""
# ruff: noqa: E501  (real document lines are long)

from __future__ import annotations

from pathlib import Path

REGION_DOC = """\
Begrepp och förkortningar

IOP Idéburet offentligt partnerskap, t.ex. mellan en region och en förening.

1  Sammanfattning
Regionerna samverkar på olika sätt med civilsamhället, bl.a. genom överenskommelser och IOP. Det framgår av skriften.

Region IOP Överenskommelse

Region Blekinge Nej Nej

Region Gotland Ja, med Röda Korset Gotland för stöd till
ensamkommande barn.

Nej

Region Halland Ja, med föreningen Aligi.

Ja, Den halländska överenskommelsen HÖK

2  Region Blekinge
Regionen har i uppdrag att främja en hållbar utveckling i hela länet. Regionen ger bidrag till föreningar.

Stöd till det civila samhället
Länsövergripande ideella föreningar kan årligen ansöka om bidrag. Föreningar som kan söka bidrag är t.ex. pensionärsorganisationer m.fl. Stödet beslutas av nämnden.

3  Region Gotland
Regionen ansvarar för hälso- och sjukvård. Den samverkar med s.k. idéburna organisationer, dvs. föreningar och stiftelser.
"""


def write_doc(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def long_text(sentences: int, start: int = 0) -> str:
    """Distinct Swedish sentences, about 12 words each."""
    return " ".join(
        f"Mening nummer {i} handlar om samverkan mellan regionen och föreningen i länet."
        for i in range(start, start + sentences)
    )
