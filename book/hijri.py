"""Hijri equivalents of the chronology's dates (Umm al-Qura, through hijridate)."""

from __future__ import annotations

from hijridate import Gregorian

from . import arabic
from .model import PartialDate

HIJRI_ERA = "هـ"


def hijri_equivalent(date: PartialDate, digits: arabic.Digits = "arabic-indic") -> str:
    """``١٦ رجب ١٤٤٠ هـ`` for a day; a month or a year only approximately (نحو ...).

    Empty where the calendar's table does not reach (before 1924 or after 2077).
    """
    try:
        if date.precision == "day":
            hijri = Gregorian(date.year, date.month, date.day).to_hijri()
            text = f"{arabic.number(hijri.day, digits)} {hijri.month_name('ar')} {arabic.number(hijri.year, digits)}"
            return f"{arabic.CIRCA} {text} {HIJRI_ERA}" if date.circa else f"{text} {HIJRI_ERA}"
        if date.precision == "month":
            hijri = Gregorian(date.year, date.month, 15).to_hijri()
            return f"{arabic.CIRCA} {hijri.month_name('ar')} {arabic.number(hijri.year, digits)} {HIJRI_ERA}"
        first = Gregorian(date.year, 1, 1).to_hijri().year
        last = Gregorian(date.year, 12, 31).to_hijri().year
        return f"{arabic.CIRCA} {arabic.number(first, digits)}–{arabic.number(last, digits)} {HIJRI_ERA}"
    except (ValueError, OverflowError):
        return ""
