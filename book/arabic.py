"""Arabic presentation facts: digits and month names, in one place."""

from __future__ import annotations

from typing import Literal

Digits = Literal["arabic-indic", "western"]

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# Each month in the two naming systems the articles pair with a slash:
# the Syro-Aramaic names of the Levant and Iraq, and the Latin-derived ones.
MONTHS: tuple[tuple[str, str], ...] = (
    ("كانون الثاني", "يناير"),
    ("شباط", "فبراير"),
    ("آذار", "مارس"),
    ("نيسان", "أبريل"),
    ("أيار", "مايو"),
    ("حزيران", "يونيو"),
    ("تموز", "يوليو"),
    ("آب", "أغسطس"),
    ("أيلول", "سبتمبر"),
    ("تشرين الأول", "أكتوبر"),
    ("تشرين الثاني", "نوفمبر"),
    ("كانون الأول", "ديسمبر"),
)

CIRCA = "نحو"


def number(value: int | str, digits: Digits = "arabic-indic") -> str:
    """Write a number with the book's digits."""
    text = str(value)
    return text.translate(_ARABIC_INDIC) if digits == "arabic-indic" else text


def month_name(month: int) -> str:
    """The paired month name the articles use, e.g. ``آذار/مارس``."""
    levantine, latin = MONTHS[month - 1]
    return f"{levantine}/{latin}"

# Chapter ordinals as an Arabic book names them: الفصل الأول, الفصل الثاني ...
ORDINALS = (
    "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر",
    "الحادي عشر", "الثاني عشر", "الثالث عشر", "الرابع عشر", "الخامس عشر",
    "السادس عشر", "السابع عشر", "الثامن عشر", "التاسع عشر", "العشرون",
)


def ordinal(value: int, digits: Digits = "arabic-indic") -> str:
    return ORDINALS[value - 1] if 0 < value <= len(ORDINALS) else number(value, digits)


# Words the publisher's furniture uses; the book's own words come from its sources.
LABELS = {
    "chapter": "الفصل",
    "contents": "المحتويات",
    "imprint": "بيانات النشر",
    "sources": "مصادر النصوص",
    "built": "تاريخ الإصدار",
    "publisher": "الناشر",
    "identifier": "المعرّف",
    "cover": "الغلاف",
    "title_page": "صفحة العنوان",
    "start": "بداية النص",
    "landmarks": "معالم الكتاب",
    "fidelity": "نُشرت النصوص كما وردت في مصادرها، دون تعديل في ألفاظها.",
}
