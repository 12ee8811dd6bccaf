"""The publisher's Arabic: chapter ordinals and the book's digit systems."""

from __future__ import annotations

import pytest

from book.arabic import LAST_ORDINAL, number, ordinal


@pytest.mark.parametrize("value, name", [
    (1, "الأول"), (2, "الثاني"), (10, "العاشر"), (11, "الحادي عشر"), (12, "الثاني عشر"),
    (19, "التاسع عشر"), (20, "العشرون"), (21, "الحادي والعشرون"), (22, "الثاني والعشرون"),
    (30, "الثلاثون"), (45, "الخامس والأربعون"), (99, "التاسع والتسعون"), (100, "المئة"),
    (101, "الحادي بعد المئة"), (102, "الثاني بعد المئة"), (110, "العاشر بعد المئة"),
    (111, "الحادي عشر بعد المئة"), (121, "الحادي والعشرون بعد المئة"), (150, "الخمسون بعد المئة"),
    (199, "التاسع والتسعون بعد المئة"),
])
def test_chapter_ordinals_are_words_to_199(value, name):
    assert ordinal(value) == name


def test_past_the_last_ordinal_the_number_is_in_the_books_digits():
    assert LAST_ORDINAL == 199
    assert ordinal(200) == "٢٠٠"
    assert ordinal(200, "western") == "200"
    assert ordinal(250, "persian") == "۲۵۰"


def test_every_ordinal_to_199_is_distinct():
    names = [ordinal(n) for n in range(1, LAST_ORDINAL + 1)]
    assert len(set(names)) == len(names) and not any(c.isdigit() for name in names for c in name)


@pytest.mark.parametrize("digits, text", [("arabic-indic", "٢٠١٩"), ("western", "2019"), ("persian", "۲۰۱۹")])
def test_numbers_in_each_digit_system(digits, text):
    assert number(2019, digits) == text
