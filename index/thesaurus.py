"""A general Swedish synonym resource: the LibreOffice Swedish thesaurus.

Source: the Debian package `mythes-sv` (libreoffice-dictionaries), file
`/usr/share/mythes/th_sv_SE_v2.dat`, built from Viggo Kann's Synlex (KTH).
Notice kept as its licence requires:

    th_sv_SE.dat — Copyright 2009 Viggo Kann.
    THIS MATERIAL IS PROVIDED AS IS, WITH ABSOLUTELY NO WARRANTY EXPRESSED
    OR IMPLIED.  ANY USE IS AT YOUR OWN RISK.
    Permission is hereby granted to use or copy this program
    for any purpose,  provided the above notices are retained on all copies.
    Permission to modify the code and to distribute modified code is granted,
    provided the above notices are retained, and a notice that the code was
    modified is included with the above copyright notice.

We read the file as installed and do not modify or redistribute it.

File format (MyThes v2): the first line names the encoding (`ISO-8859-1`);
then entries `headword|N`, each followed by N meaning lines
`(pos)|syn1|syn2|…` (the Swedish file leaves the part of speech empty:
`|samverka`). Relations are read symmetrically: if B is listed under A, A is a
synonym of B even where the file lists the pair only one way.

Single words and multiword phrases are kept apart: `synonyms(word)` gives the
single-word synonyms, `phrases(word)` the multiword ones ("ta hand om"). The
answer step and the perturbation test both substitute or match one token for
one token; a phrase would change the token count and most multiword entries
are idioms whose parts mean nothing alone, so mixing them in would make every
caller filter them out again. Everything is lower-cased (the file has `TV`,
`Internet`); words keep their å/ä/ö.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PATH = Path("/usr/share/mythes/th_sv_SE_v2.dat")
INSTALL_COMMAND = "apt-get install -y mythes-sv"


class ThesaurusError(RuntimeError):
    """The thesaurus file is missing or unreadable; the message says how to install it."""


@dataclass(frozen=True)
class Thesaurus:
    """Symmetric synonym relation over lower-cased words and phrases."""

    path: Path
    _words: dict[str, frozenset[str]] = field(repr=False)
    _phrases: dict[str, frozenset[str]] = field(repr=False)

    def synonyms(self, word: str) -> frozenset[str]:
        """Single-word synonyms of `word` (lower-cased); empty when unknown."""
        return self._words.get(_key(word), frozenset())

    def phrases(self, word: str) -> frozenset[str]:
        """Multiword synonyms of `word` (a word or a phrase); empty when unknown."""
        return self._phrases.get(_key(word), frozenset())

    def __contains__(self, word: str) -> bool:
        key = _key(word)
        return key in self._words or key in self._phrases

    def __len__(self) -> int:
        """Number of words and phrases with at least one synonym."""
        return len(self._words.keys() | self._phrases.keys())


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def parse(lines: list[str], path: Path = DEFAULT_PATH) -> Thesaurus:
    """Build a `Thesaurus` from the file's decoded lines (encoding line first)."""
    pairs: dict[str, set[str]] = {}

    def relate(a: str, b: str) -> None:
        if a and b and a != b:
            pairs.setdefault(a, set()).add(b)
            pairs.setdefault(b, set()).add(a)

    i, n = 1, len(lines)
    while i < n:
        line = lines[i].rstrip("\r\n")
        i += 1
        head, sep, count = line.rpartition("|")
        if not sep or line.startswith("|") or not count.strip().isdigit():
            continue  # a stray line; meaning lines are consumed with their entry
        word = _key(head)
        for _ in range(int(count)):
            if i >= n:
                break
            meaning = lines[i].rstrip("\r\n")
            i += 1
            for syn in meaning.split("|")[1:]:  # field 0 is the part of speech
                relate(word, _key(syn))
    words: dict[str, frozenset[str]] = {}
    phrases: dict[str, frozenset[str]] = {}
    for key, syns in pairs.items():
        single = frozenset(s for s in syns if " " not in s)
        multi = frozenset(s for s in syns if " " in s)
        if single:
            words[key] = single
        if multi:
            phrases[key] = multi
    return Thesaurus(path, words, phrases)


def read(path: Path) -> Thesaurus:
    """Read and parse a MyThes .dat file (no cache)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ThesaurusError(
            f"Synonymlexikonet saknas: {path} finns inte. Installera Debianpaketet mythes-sv "
            f"(`{INSTALL_COMMAND}`, eller `make install`)."
        ) from None
    except OSError as exc:
        raise ThesaurusError(f"Synonymlexikonet {path} kan inte läsas: {exc}") from exc
    first, _, _ = raw.partition(b"\n")
    encoding = first.decode("ascii", errors="replace").strip() or "ISO-8859-1"
    try:
        text = raw.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise ThesaurusError(
            f"Synonymlexikonet {path} har en okänd eller felaktig teckenkodning "
            f"({encoding!r}): {exc}"
        ) from exc
    return parse(text.splitlines(), path)


_cache: dict[Path, Thesaurus] = {}
_lock = threading.Lock()


def load_thesaurus(path: Path | str = DEFAULT_PATH) -> Thesaurus:
    """The thesaurus at `path`, read on first call and cached per path (thread-safe)."""
    key = Path(path)
    with _lock:
        if key not in _cache:
            _cache[key] = read(key)
        return _cache[key]
