"""Dates as Arabic running text writes them, found among a paragraph's words.

Pure functions over the folded words of `matching.tokens`: full dates (23 آذار/مارس 2019,
الثلاثاء 5 مارس 2024, الأول من حزيران/يونيو 2019), months with years in either naming system
alone or paired, years with a qualifier (أواخر العام 2015), years named as such (عام 2014,
في 2014), and relative dates resolved against the publication date or the date before them
(قبل خمس سنوات, العام السابق, من العام ذاته, أكتوبر الماضي). A day and month without a
year (الاثنين 10 يوليو) take the year of the date before them, or else the latest year up to
the publication date, checked against their weekday; what stays in doubt is said in `doubt`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from . import arabic
from .matching import Token, fold
from .model import PartialDate


def _folded(words) -> set[str]:
    return {fold(w) for w in words}


_MONTHS_ONE: dict[str, int] = {}
_MONTHS_TWO: dict[tuple[str, str], int] = {}
for _number, _names in arabic.MONTH_SPELLINGS.items():
    for _name in _names:
        _parts = tuple(fold(p) for p in _name.split())
        if len(_parts) == 1:
            _MONTHS_ONE[_parts[0]] = _number
        else:
            _MONTHS_TWO[_parts] = _number

# arabic.WEEKDAYS runs Saturday to Friday (Monday in two spellings that fold alike);
# Saturday is Python's weekday 5.
_WEEKDAY_NUMBERS = {name: (n + 5) % 7 for n, name in enumerate(dict.fromkeys(fold(w) for w in arabic.WEEKDAYS))}
assert len(_WEEKDAY_NUMBERS) == 7, "arabic.WEEKDAYS: seven days, Saturday first"
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # for messages
# How far back from the chapter's date a day and month without a year are looked for.
# Within any 7 years a day of the year (29 February aside) falls on exactly six of the seven
# weekdays: a weekday still names a year (the latest, where two fit) and one names none,
# which shows a slip. Any 11 years hold every weekday, and a wrong weekday would pass
# unseen; text that leaves the year out speaks of recent days anyway.
LOOK_BACK_YEARS = 7
_NUMBERS = {fold(k): v for k, v in arabic.NUMBER_WORDS.items()}
_YEAR_WORDS = _folded(arabic.YEAR_WORDS)
_YEARS_PLURAL = _folded(arabic.YEARS_PLURAL)
_YEAR_DUALS = _folded(arabic.YEAR_DUALS)
_MONTH_WORDS = _folded(arabic.MONTH_WORDS)
_MONTHS_PLURAL = _folded(arabic.MONTHS_PLURAL)
_MONTH_DUALS = _folded(arabic.MONTH_DUALS)
_YEAR_PARTS = {fold(k): k for k in arabic.YEAR_PARTS}  # folded -> as written
_SAME = _folded(arabic.SAME_YEAR)
_PREVIOUS = _folded(arabic.PREVIOUS)
_NEXT = _folded(arabic.NEXT)
_BEFORE = fold(arabic.BEFORE)
_FIRST_OF = fold(arabic.FIRST_OF[0])
_OF = "من"
_NARRATING = {"في", "منذ", "حتى", "خلال", "بحلول", "وفي", "ومنذ", "وحتى", "وخلال"}


@dataclass(frozen=True)
class DateMention:
    date: PartialDate
    first: int  # token indices, end exclusive
    last: int
    qualifier: str = ""      # أواخر, مطلع ...
    relative: bool = False   # resolved from a relative expression
    doubt: str = ""          # why the date is uncertain and how it was read (for a warning)


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else None


def _year(word: str) -> int | None:
    value = _number(word)
    return value if value is not None and len(word) == 4 and 1000 <= value <= 2999 else None


def _month(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """(month, index after it) for a month name at i: شهر, a name, and its paired name."""
    if i < len(words) and words[i] in _MONTH_WORDS:
        found = _month(words, i + 1)
        return found
    month, end = None, i
    if i + 1 < len(words) and (words[i], words[i + 1]) in _MONTHS_TWO:
        month, end = _MONTHS_TWO[(words[i], words[i + 1])], i + 2
    elif i < len(words) and words[i] in _MONTHS_ONE:
        month, end = _MONTHS_ONE[words[i]], i + 1
    if month is None:
        return None
    paired = _month_name_only(words, end)  # آذار/مارس: the same month in the other system
    if paired and paired[0] == month:
        end = paired[1]
    return month, end


def _month_name_only(words: Sequence[str], i: int) -> tuple[int, int] | None:
    if i + 1 < len(words) and (words[i], words[i + 1]) in _MONTHS_TWO:
        return _MONTHS_TWO[(words[i], words[i + 1])], i + 2
    if i < len(words) and words[i] in _MONTHS_ONE:
        return _MONTHS_ONE[words[i]], i + 1
    return None


def _year_after(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """A year at i, after an optional من and عام/العام: (year, index after it)."""
    j = i
    if j < len(words) and words[j] == _OF:
        j += 1
    if j < len(words) and words[j] in _YEAR_WORDS:
        j += 1
    if j < len(words) and _year(words[j]) is not None:
        return _year(words[j]), j + 1
    return None


def _same_year_after(words: Sequence[str], i: int) -> int | None:
    """من العام ذاته / من العام نفسه after a month: the index after it."""
    j = i
    if j < len(words) and words[j] == _OF:
        j += 1
    if j + 1 < len(words) and words[j] in _YEAR_WORDS and words[j + 1] in _SAME:
        return j + 2
    return None


def _shift_months(date: PartialDate, months: int) -> PartialDate:
    index = date.year * 12 + (date.month or 1) - 1 - months
    return PartialDate(index // 12, index % 12 + 1, None, True)


Day = tuple[int, int, int]  # (year, month, day), compared as a tuple whether the calendar has it or not


def _last_day(date: PartialDate) -> Day:
    """The last day a date covers: a chapter dated 2017 speaks up to 31 December 2017."""
    if date.month is None:
        return date.year, 12, 31
    if date.day is None:
        return date.year, date.month, calendar.monthrange(date.year, date.month)[1]
    return date.year, date.month, date.day


def _weekday(year: int, month: int, day: int) -> int | None:
    """Python's weekday (Monday 0) of a day; None where the calendar has no such day (31 April)."""
    try:
        return dt.date(year, month, day).weekday()
    except ValueError:
        return None


def _latest_fitting(month: int, day: int, weekday: int | None, end: Day) -> int | None:
    """The latest year in which `month`/`day` exists, lies within LOOK_BACK_YEARS up to `end`
    and, given a weekday, falls on it; None if no year does."""
    start = (end[0] - LOOK_BACK_YEARS, end[1], end[2])  # excluded: the window is that many years
    for year in range(end[0], start[0] - 1, -1):
        if start < (year, month, day) <= end:
            found = _weekday(year, month, day)
            if found is not None and (weekday is None or found == weekday):
                return year
    return None


def _in_year(year: int, month: int, day: int, weekday: int | None) -> tuple[PartialDate, str]:
    """A day and month in the year the narrative has reached: exact when its weekday agrees."""
    found = _weekday(year, month, day)
    approximate = PartialDate(year, month, day, True)
    what = f"{approximate.iso()} (in the year of the date before it)"
    if found is None:
        return approximate, f"{what} is not a day of the calendar; dated approximately"
    if weekday is None:
        return approximate, ""
    if found == weekday:
        return PartialDate(year, month, day), ""
    return approximate, (f"{what} is a {_WEEKDAY_NAMES[found]}, not a {_WEEKDAY_NAMES[weekday]}; "
                         "dated approximately")


def _yearless(month: int, day: int, weekday: int | None, publication: PartialDate | None,
              previous: PartialDate | None) -> tuple[PartialDate, str]:
    """A day and month written without a year, and what is doubtful about it ("" if nothing).

    After an explicit date the narrative goes on in its year ("في 5 مارس 2019 ... ثم في 10
    يوليو"); otherwise the latest such day up to the chapter's date, which the weekday,
    when given, fixes exactly. Without a weekday the year is a guess: approximate.
    """
    if previous is not None:
        return _in_year(previous.year, month, day, weekday)
    end = _last_day(publication)
    year = _latest_fitting(month, day, weekday, end)
    if year is not None:
        return PartialDate(year, month, day, weekday is None), ""
    # In doubt, the latest such day the calendar has (29 February: a leap year), else the
    # latest year the numbers allow.
    year = _latest_fitting(month, day, None, end)
    if year is None:
        year = end[0] if (month, day) <= end[1:] else end[0] - 1
    date = PartialDate(year, month, day, True)
    within = f"the {LOOK_BACK_YEARS} years up to the chapter's date ({publication.iso()})"
    if _weekday(2000, month, day) is None:  # 2000: a leap year, it has every day there is
        return date, f"the calendar has no such day; dated approximately {date.iso()}"
    if weekday is None:
        return date, f"no such day in {within}; dated approximately {date.iso()}"
    return date, (f"no year in {within} has this day on a {_WEEKDAY_NAMES[weekday]}; "
                  f"dated approximately {date.iso()}")


def _relative_month_year(month: int, step: int, publication: PartialDate) -> int:
    """The year of «<month> الماضي» (step -1) or «<month> المقبل» (+1) told at `publication`:
    the last such month before it or the next after it. A chapter dated to its year alone
    is that whole year: last October is in the year before."""
    if publication.month is None:
        return publication.year + step
    if step < 0:
        return publication.year - 1 if month >= publication.month else publication.year
    return publication.year + 1 if month <= publication.month else publication.year


def _count_before(words: Sequence[str], i: int) -> tuple[int, str, int] | None:
    """After قبل: (count, 'year' | 'month', index after) for عام, عامين, خمس سنوات, 3 أشهر."""
    if i >= len(words):
        return None
    word = words[i]
    if word in _YEAR_WORDS:
        return 1, "year", i + 1
    if word in _YEAR_DUALS:
        return 2, "year", i + 1
    if word in _MONTH_WORDS:
        return 1, "month", i + 1
    if word in _MONTH_DUALS:
        return 2, "month", i + 1
    count = _NUMBERS.get(word, _number(word))
    if count is not None and i + 1 < len(words):
        if words[i + 1] in _YEARS_PLURAL:
            return count, "year", i + 2
        if words[i + 1] in _MONTHS_PLURAL or words[i + 1] in _MONTH_WORDS:
            return count, "month", i + 2
    return None


def _match_at(words: Sequence[str], i: int, publication: PartialDate | None,
              previous: PartialDate | None) -> DateMention | None:
    """The date mention starting at words[i], if any. Without a `publication` date (an undated
    chapter) what only it could resolve (a day without its year and no date before it, «آذار
    الماضي», «العام السابق», «قبل عام») is not taken for a date: nothing to count from."""
    word = words[i]
    start = i
    weekday = _WEEKDAY_NUMBERS.get(word)
    if weekday is not None:  # الثلاثاء 5 مارس 2024: the weekday belongs to the date
        i += 1
        if i < len(words) and words[i] == "،":
            i += 1
        word = words[i] if i < len(words) else ""

    # 23 آذار/مارس 2019, 5 مارس (year from context), الأول من حزيران/يونيو 2019
    day = _number(word) if word and len(word) <= 2 else None
    after_day = i + 1
    if word == _FIRST_OF and i + 1 < len(words) and words[i + 1] == _OF:
        day, after_day = 1, i + 2
    if day is not None and 1 <= day <= 31:
        month = _month(words, after_day)
        if month:
            year = _year_after(words, month[1])
            if year:
                return DateMention(PartialDate(year[0], month[0], day), start, year[1])
            if publication is None and previous is None:
                return None
            date, doubt = _yearless(month[0], day, weekday, publication, previous)
            return DateMention(date, start, month[1], relative=True, doubt=doubt)

    if start != i:  # a weekday not followed by a date
        return None

    month = _month(words, i)
    if month:
        year = _year_after(words, month[1])
        if year:
            return DateMention(PartialDate(year[0], month[0]), i, year[1])
        same = _same_year_after(words, month[1])
        if same and previous:
            return DateMention(PartialDate(previous.year, month[0]), i, same, relative=True)
        if month[1] < len(words) and words[month[1]] in _PREVIOUS | _NEXT and publication is not None:
            year = _relative_month_year(month[0], -1 if words[month[1]] in _PREVIOUS else 1, publication)
            return DateMention(PartialDate(year, month[0], None, publication.circa), i, month[1] + 1,
                               relative=True)
        return None

    # أواخر العام 2015, مطلع 2019
    if word in _YEAR_PARTS:
        year = _year_after(words, i + 1)
        if year:
            return DateMention(PartialDate(year[0], None, None, True), i, year[1],
                               qualifier=_YEAR_PARTS[word], relative=False)
        return None

    # عام 2014, العام 2015 (also after في: "في عام 2015")
    if word in _YEAR_WORDS:
        if i + 1 < len(words):
            year = _year(words[i + 1])
            if year:
                return DateMention(PartialDate(year), i, i + 2)
            if words[i + 1] in _PREVIOUS and publication is not None:  # العام السابق
                return DateMention(PartialDate(publication.year - 1, None, None, True), i, i + 2, relative=True)
        return None

    # في 2014, منذ 2019: a bare year where the sentence narrates
    if word in _NARRATING and i + 1 < len(words) and _year(words[i + 1]):
        return DateMention(PartialDate(_year(words[i + 1])), i + 1, i + 2)

    # قبل عام, قبل خمس سنوات, قبل ثلاثة أشهر: counted back from publication
    if word == _BEFORE and publication is not None:
        count = _count_before(words, i + 1)
        if count:
            amount, unit, end = count
            if unit == "year":
                date = PartialDate(publication.year - amount, None, None, True)
            else:
                date = _shift_months(publication, amount)
            return DateMention(date, i, end, relative=True)
    return None


def find_dates(words: Sequence[Token], publication: PartialDate | None,
               previous: PartialDate | None = None) -> list[DateMention]:
    """Every date mention among `words`, in order; each resolves against the one before it."""
    folded = [w.word for w in words]
    mentions: list[DateMention] = []
    i = 0
    while i < len(folded):
        mention = _match_at(folded, i, publication, previous)
        if mention:
            mentions.append(mention)
            if not mention.relative or mention.date.month is not None:
                previous = mention.date
            i = mention.last
        else:
            i += 1
    return mentions
