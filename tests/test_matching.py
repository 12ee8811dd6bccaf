"""Clitic-aware matching of index terms: what must match, and the traps that must not."""

from __future__ import annotations

import pytest

from book.matching import find, fold, spelling_words, tokens


def matched(text: str, *terms: str) -> list[tuple[str, str]]:
    """(term, the words it matched) for every match in `text`."""
    words = tokens(text)
    spellings = [(term, spelling_words(term)) for term in terms]
    return [(m.key, text[words[m.first].start:words[m.last - 1].end]) for m in find(words, spellings)]


@pytest.mark.parametrize("text, term", [
    ("الباغوز", "الباغوز"),
    ("والباغوز", "الباغوز"),
    ("فالباغوز", "الباغوز"),
    ("بالباغوز", "الباغوز"),
    ("كالباغوز", "الباغوز"),
    ("وبالباغوز", "الباغوز"),
    ("باغوز", "الباغوز"),            # without the article
    ("وللنازحين", "النازحين"),       # و + لل (ل + ال)
    ("للنازحين", "النازحين"),
    ("لداعش", "داعش"),
    ("وداعش", "داعش"),
    ("بداعش", "داعش"),
    ("فسوريا", "سوريا"),
    ("لسوريا", "سوريا"),
    ("والعراق", "العراق"),
    ("للعراق", "العراق"),
    ("العراقَ", "العراق"),            # tashkeel ignored
    ("العـــراق", "العراق"),          # tatweel ignored
    ("إعادة الإعمار", "اعادة الاعمار"),  # hamza forms of alef alike
    ("أعادة الإعمار", "إعادة الإعمار"),
    ("آذار", "اذار"),
    ("للتحالف الدولي", "التحالف الدولي"),
    ("والتحالف الدولي", "التحالف الدولي"),
    ("قوة المهام المشتركة – عملية العزم الصلب", "قوة المهام المشتركة – عملية العزم الصلب"),
    ("بقوات سوريا الديمقراطية", "قوات سوريا الديمقراطية"),
    ("ﺍﻟﺮﻗﺔ", "الرقة"),               # presentation forms, as pasted from old PDFs
    ("الرقة،", "الرقة"),              # punctuation is not part of the word
    ("(الرقة)", "الرقة"),
    ("ولمخيم الهول", "مخيم الهول"),
    ("وبمخيم الهول", "مخيم الهول"),
])
def test_matches_through_clitics_and_spelling_variants(text, term):
    assert [key for key, _ in matched(text, term)] == [term], (text, term)


@pytest.mark.parametrize("text, term", [
    ("العراقية", "العراق"),           # a longer word that merely begins with the term
    ("العراقيين", "العراق"),
    ("داعشي", "داعش"),
    ("السوريا", "سوريا"[1:]),         # "وريا" is inside another word
    ("الموصلات", "الموصل"),
    ("التحالفات", "التحالف"),
    ("بغداد", "داد"),                  # a term inside a word is never a match
    ("الرقتين", "الرقة"),
    ("مدرسة", "درس"),
    ("والتنظيمات", "التنظيم"),
    ("هزيمة", "هزيم"),
    ("التحالف", "التحالف الدولي"),    # a multi-word term needs all its words
    ("الدولي التحالف", "التحالف الدولي"),  # in order
])
def test_traps_do_not_match(text, term):
    assert matched(text, term) == [], (text, term)


def test_longest_term_wins_where_terms_overlap():
    assert matched("قال التحالف الدولي إن التحالف", "التحالف", "التحالف الدولي") == [
        ("التحالف الدولي", "التحالف الدولي"), ("التحالف", "التحالف")]


def test_sub_entry_spelling_takes_its_words_from_the_parent():
    assert matched("في شمال شرق سوريا وفي سوريا", "سوريا", "شمال شرق سوريا") == [
        ("شمال شرق سوريا", "شمال شرق سوريا"), ("سوريا", "سوريا")]


def test_offsets_point_into_the_unfolded_text():
    text = "وَقالَ إنّ للنّازحين حقوقاً"
    words = tokens(text)
    assert [text[w.start:w.end] for w in words][2] == "للنّازحين"


def test_fold_is_idempotent_and_folds_alefs():
    assert fold("أإآٱا") == "ااااا"
    assert fold(fold("إعادةُ")) == fold("إعادةُ") == "اعادة"


@pytest.mark.parametrize("text, term", [
    ("کردستان", "كردستان"),           # Persian kaf and yeh: the same letters
    ("وکردستان", "كردستان"),
    ("ایران", "إيران"),
    ("مصطفي", "مصطفى"),               # alef maqsura written as yeh, and back
    ("مصطفى", "مصطفي"),
    ("مصطفی", "مصطفى"),               # Persian yeh for alef maqsura
])
def test_persian_letters_and_yeh_forms_match_their_arabic_spelling(text, term):
    assert [key for key, _ in matched(text, term)] == [term], (text, term)
