"""Dates read from running text: days without a year, relative months, and the doubts said.

Pure functions, no build: `find_dates` on a sentence, and `chronologize` on a tiny book.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from book.chronology import chronologize
from book.dates import LOOK_BACK_YEARS, find_dates
from book.matching import tokens
from book.model import PartialDate
from book.load import load_book
from test_bad_input import BOOK_TOML, make_book


def only(text: str, chapter: PartialDate, previous: PartialDate | None = None):
    """The one date mention in `text`, read in a chapter dated `chapter`."""
    [mention] = find_dates(tokens(text), chapter, previous)
    return mention


def last(text: str, chapter: PartialDate):
    return find_dates(tokens(text), chapter)[-1]


def test_a_weekday_fixes_the_year_in_the_chapters_own_year():
    mention = only("وقع الهجوم يوم الاثنين 10 يوليو", PartialDate(2017, 7, 15))
    assert mention.date == PartialDate(2017, 7, 10)
    assert mention.date.precision == "day" and not mention.date.circa and not mention.doubt


def test_a_weekday_fixes_the_year_before_a_chapter_dated_early_in_the_next():
    mention = only("الاثنين 10 يوليو", PartialDate(2018, 1, 5))
    assert mention.date == PartialDate(2017, 7, 10)  # not 2018-07-10: after the article
    assert not mention.date.circa and not mention.doubt


def test_the_latest_year_the_weekday_fits_is_taken():
    assert dt.date(2012, 7, 10).strftime("%A") == "Tuesday"  # 2013 to 2017 are not
    mention = only("الثلاثاء 10 يوليو", PartialDate(2018, 1, 5))
    assert mention.date == PartialDate(2012, 7, 10) and not mention.doubt


def test_a_weekday_no_recent_year_fits_stays_approximate_and_is_said():
    # 10 July from 2011 to 2017 (the 7 years up to 2018-01-05) is never a Saturday.
    assert LOOK_BACK_YEARS == 7
    assert "Saturday" not in {dt.date(year, 7, 10).strftime("%A") for year in range(2011, 2018)}
    mention = only("السبت 10 يوليو", PartialDate(2018, 1, 5))
    assert mention.date == PartialDate(2017, 7, 10, circa=True)
    assert "Saturday" in mention.doubt and "approximately 2017-07-10" in mention.doubt


def test_29_february_on_a_weekday_no_leap_year_gives():
    # The leap days in the 7 years up to 2018-01-05: 2012 (Wednesday) and 2016 (Monday).
    assert only("الاثنين 29 فبراير", PartialDate(2018, 1, 5)).date == PartialDate(2016, 2, 29)
    mention = only("الخميس 29 فبراير", PartialDate(2018, 1, 5))
    assert mention.date == PartialDate(2016, 2, 29, circa=True) and "Thursday" in mention.doubt


def test_a_day_and_month_without_a_weekday_are_the_latest_such_day_approximately():
    mention = only("في 10 يوليو", PartialDate(2018, 1, 5))
    assert mention.date == PartialDate(2017, 7, 10, circa=True) and mention.relative and not mention.doubt
    assert only("في 3 يناير", PartialDate(2018, 1, 5)).date == PartialDate(2018, 1, 3, circa=True)


def test_a_chapter_dated_to_a_month_or_a_year_speaks_up_to_its_end():
    assert only("في 20 مارس", PartialDate(2020, 3)).date == PartialDate(2020, 3, 20, circa=True)
    assert only("في 20 أبريل", PartialDate(2020, 3)).date == PartialDate(2019, 4, 20, circa=True)
    assert only("في 31 ديسمبر", PartialDate(2017)).date == PartialDate(2017, 12, 31, circa=True)
    # 2017-12-31 was a Sunday: within the year the chapter is dated, so exact.
    assert only("الأحد 31 ديسمبر", PartialDate(2017)).date == PartialDate(2017, 12, 31)


def test_a_day_the_calendar_lacks_is_said():
    mention = only("في 31 أبريل", PartialDate(2018, 1, 5))
    assert mention.date.circa and "no such day" in mention.doubt


def test_last_october_against_a_chapter_dated_to_its_year_is_the_year_before():
    mention = only("أكتوبر الماضي", PartialDate(2017))
    assert mention.date == PartialDate(2016, 10) and mention.date.precision == "month"
    assert only("أكتوبر المقبل", PartialDate(2017)).date == PartialDate(2018, 10)


def test_relative_months_against_a_dated_chapter_are_unchanged():
    assert only("أكتوبر الماضي", PartialDate(2024, 3, 10)).date == PartialDate(2023, 10)
    assert only("فبراير الماضي", PartialDate(2024, 3, 10)).date == PartialDate(2024, 2)
    assert only("أكتوبر المقبل", PartialDate(2024, 3, 10)).date == PartialDate(2024, 10)


def test_after_an_explicit_date_the_narrative_keeps_its_year():
    text = "في 5 مارس 2019 بدأ الحصار، ثم في 10 يوليو انتهى"
    assert last(text, PartialDate(2020, 3)).date == PartialDate(2019, 7, 10, circa=True)
    agreeing = last("في 5 مارس 2019 بدأ الحصار، ثم الأربعاء 10 يوليو انتهى", PartialDate(2020, 3))
    assert agreeing.date == PartialDate(2019, 7, 10) and not agreeing.doubt  # a Wednesday


def test_a_weekday_that_disagrees_with_the_narratives_year_is_said():
    mention = last("في 5 مارس 2019 بدأ الحصار، ثم الأحد 10 يوليو انتهى", PartialDate(2020, 3))
    assert mention.date == PartialDate(2019, 7, 10, circa=True)
    assert "2019-07-10" in mention.doubt and "Wednesday, not a Sunday" in mention.doubt


def test_an_explicit_date_with_its_weekday_is_unchanged():
    mention = only("الثلاثاء 5 مارس 2024", PartialDate(2024, 3, 10))
    assert mention.date == PartialDate(2024, 3, 5) and not mention.relative and not mention.doubt


CHAPTER = textwrap.dedent("""\
    +++
    title = "فصل"
    date = 2018-01-05
    order = 1
    +++

    افتُتح الجسر الجديد بحضور المحافظ.

    ثم أُغلق الجسر يوم السبت 10 يوليو بسبب الفيضان.
    """)


@pytest.fixture
def tiny_book(tmp_path):
    return load_book(make_book(tmp_path, {"book.toml": BOOK_TOML, "chapters/one.md": CHAPTER}))


def test_chronologize_names_the_file_and_line_of_a_doubtful_date(tiny_book):
    book = chronologize(tiny_book)
    [event] = book.chronology.events
    assert event.expression == "السبت 10 يوليو" and event.date == PartialDate(2017, 7, 10, circa=True)
    [warning] = book.chronology.warnings
    path = tiny_book.chapters[0].path
    assert warning.startswith(f"{path}:9: «السبت 10 يوليو»: ")
    assert "Saturday" in warning and "approximately 2017-07-10" in warning


def test_a_dropped_event_leaves_no_warning(tiny_book):
    from book.model import ChronologyEdits, Override
    doubtful = next(e.id for e in chronologize(tiny_book).chronology.events if e.date.circa)
    book = chronologize(tiny_book, ChronologyEdits({doubtful: Override(doubtful, drop=True)}))
    assert book.chronology.warnings == ()


def test_an_undated_chapter_dates_what_says_its_year_and_nothing_that_needs_its_date():
    """A preface or an appendix has no date: «قبل عام», «العام السابق», «آذار الماضي» and a day
    without its year (no date before it) have nothing to count from and are not dates; a day
    after a dated sentence goes on in its year."""
    text = ("قبل عام وخلال العام السابق وفي آذار الماضي وفي 5 أيار، ثم في 23 آذار/مارس 2019 "
            "ثم في 10 تموز، وفي عام 2014.")
    found = [(m.date.iso(), m.relative) for m in find_dates(tokens(text), None)]
    assert found == [("2019-03-23", False), ("2019-07-10", True), ("2014", False)]
