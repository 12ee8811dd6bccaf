"""The word comparison itself: it must catch what it is meant to catch."""

from book.fidelity import coverage, first_difference, words


def test_words_ignore_tashkeel_tatweel_and_presentation_forms():
    assert words("أُحرِزَ الـحين ﻻ") == ["أحرز", "الحين", "لا"]


def test_hamza_on_alef_is_a_letter_not_a_mark():
    assert words("أحرز") != words("احرز")


def test_doubled_letters_are_a_different_word():
    assert coverage(words("ذلك الحين"), words("ذلك الححين")).missing == ("الحين",)


def test_numbers_glued_to_words_still_count_as_both():
    assert coverage(words("سوريا 2019"), words("سوريا2019")).ratio == 1.0


def test_first_difference_reports_order():
    assert first_difference(["a", "b"], ["a", "b"]) is None
    assert "word 1" in first_difference(["a", "b", "c"], ["a", "c", "b"])
    assert "lengths differ" in first_difference(["a", "b"], ["a"])
