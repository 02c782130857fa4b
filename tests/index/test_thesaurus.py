"""index/thesaurus.py on the real installed file (Debian mythes-sv, `make install`)."""

from __future__ import annotations

import time

import pytest

from index.thesaurus import DEFAULT_PATH, ThesaurusError, load_thesaurus, parse, read


@pytest.fixture(scope="module")
def thesaurus():
    return load_thesaurus()


def test_real_pairs_both_directions(thesaurus):
    assert "samverka" in thesaurus.synonyms("samarbeta")
    assert "samarbeta" in thesaurus.synonyms("samverka")
    assert "samarbete" in thesaurus.synonyms("samverkan")
    assert "samverkan" in thesaurus.synonyms("samarbete")


def test_every_relation_is_symmetric(thesaurus):
    for word in ("avtal", "bidrag", "stödja", "region", "förening"):
        for syn in thesaurus.synonyms(word):
            assert word in thesaurus.synonyms(syn) | thesaurus.phrases(syn), (word, syn)


def test_lower_case_lookup_and_result(thesaurus):
    assert thesaurus.synonyms("Samarbeta") == thesaurus.synonyms("samarbeta")
    tv = thesaurus.synonyms("TV")
    assert "television" in tv and all(s == s.lower() for s in tv)


def test_unknown_word_gives_empty_set(thesaurus):
    assert thesaurus.synonyms("xqzvörk") == frozenset()
    assert thesaurus.phrases("xqzvörk") == frozenset()
    assert "xqzvörk" not in thesaurus


def test_single_words_and_phrases_apart(thesaurus):
    for word in ("avtal", "hjälpa", "ta hand om", "samverka"):
        assert all(" " not in s for s in thesaurus.synonyms(word))
        assert all(" " in s for s in thesaurus.phrases(word))
    assert any(thesaurus.phrases(w) for w in ("hjälpa", "sköta", "vårda"))


def test_size_and_speed():
    start = time.perf_counter()
    fresh = read(DEFAULT_PATH)
    assert time.perf_counter() - start < 2.0
    assert len(fresh) > 15000
    assert load_thesaurus() is load_thesaurus(str(DEFAULT_PATH))  # cached per path


def test_parse_format_with_part_of_speech_and_counts():
    th = parse(["UTF-8", "bil|2", "(subst.)|vagn|automobil", "|kärra", "kör|1", "|åka|fara fram"])
    assert th.synonyms("bil") == {"vagn", "automobil", "kärra"}
    assert th.synonyms("vagn") == {"bil"}
    assert th.synonyms("kör") == {"åka"}
    assert th.phrases("kör") == {"fara fram"}
    assert th.synonyms("fara fram") == {"kör"}


def test_missing_file_names_the_install_command(tmp_path):
    with pytest.raises(ThesaurusError) as err:
        load_thesaurus(tmp_path / "finns-inte.dat")
    message = str(err.value)
    assert "apt-get install -y mythes-sv" in message and "saknas" in message
