"""Arabic presentation facts: digits and month names, in one place."""

from __future__ import annotations

from typing import Literal, get_args

# The digits a book writes its own numbers in (folios, dates, locators, chapter numbers);
# the author's text keeps the digits it was written with.
Digits = Literal["arabic-indic", "western", "persian"]
DIGIT_STYLES: tuple[str, ...] = get_args(Digits)
_DIGIT_TABLES = {
    "arabic-indic": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "persian": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
}
# The CSS counter style that writes each (CSS Counter Styles 3 predefines all three).
COUNTER_STYLES: dict[str, str] = {"arabic-indic": "arabic-indic", "western": "decimal", "persian": "persian"}

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
    table = _DIGIT_TABLES.get(digits)
    return text.translate(table) if table else text


# The letters in their abjad order (أبجد هوز حطي كلمن سعفص قرشت ثخذ ضظغ): what Arabic books
# letter appendices and front-matter pages with, as Latin books use A, B, C and roman numerals.
ABJAD = ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن", "س", "ع", "ف", "ص", "ق", "ر",
         "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ")


def abjad(value: int) -> str:
    """The `value`-th letter in abjad order (1: أ); past the 28th, the letter and its round (أ٢)."""
    letter = ABJAD[(value - 1) % len(ABJAD)]
    rounds = (value - 1) // len(ABJAD)
    return letter if not rounds else f"{letter}{number(rounds + 1)}"


def counter_style_css(digits: Digits) -> str:
    """`book-digits`, the counter style the house styles number pages and lists with."""
    return f"@counter-style book-digits {{ system: extends {COUNTER_STYLES[digits]}; }}\n"


def month_name(month: int) -> str:
    """The paired month name the articles use, e.g. ``آذار/مارس``."""
    levantine, latin = MONTHS[month - 1]
    return f"{levantine}/{latin}"

# Chapter ordinals as an Arabic book names them (masculine: الفصل): الأول … العاشر, then
# compounds, whose 1 is الحادي: الحادي عشر, الحادي والعشرون, الحادي بعد المئة.
_UNITS = ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر")
_TENS = ("العاشر", "العشرون", "الثلاثون", "الأربعون", "الخمسون", "الستون", "السبعون", "الثمانون", "التسعون")
_HUNDRED = "المئة"
LAST_ORDINAL = 199  # past this, the number in digits


def _compound_unit(value: int) -> str:
    return "الحادي" if value == 1 else _UNITS[value - 1]


def _ordinal_below_hundred(value: int) -> str:
    tens, units = divmod(value, 10)
    if value <= 10:
        return _UNITS[value - 1]
    if tens == 1:
        return f"{_compound_unit(units)} عشر"
    if units == 0:
        return _TENS[tens - 1]
    return f"{_compound_unit(units)} و{_TENS[tens - 1]}"


def ordinal(value: int, digits: Digits = "arabic-indic") -> str:
    """الأول, الحادي والعشرون, المئة, الخمسون بعد المئة … to LAST_ORDINAL; then digits."""
    if not 0 < value <= LAST_ORDINAL:
        return number(value, digits)
    if value < 100:
        return _ordinal_below_hundred(value)
    if value == 100:
        return _HUNDRED
    rest = value - 100
    return f"{_compound_unit(rest) if rest <= 10 else _ordinal_below_hundred(rest)} بعد {_HUNDRED}"


# Words the publisher's furniture uses; the book's own words come from its sources.
LABELS = {
    "chapter": "الفصل",
    "appendix": "ملحق",
    "part": "القسم",
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
    "chronology": "التسلسل الزمني",
    "continued": "تابع",
    "sayings": "الأقوال",
    "index": "فهرس الأعلام والأماكن والموضوعات",
    "see": "انظر",
    "see_also": "انظر أيضاً",
    "quotation": "اقتباس",
    "table": "جدول",
    "figure": "شكل",
    "notes": "الحواشي",
    "in_chapter": "في",
    "page_list": "صفحات الطبعة الورقية",
    "page": "ص",
    "accessibility_summary": (
        "كتاب نصي بالعربية يُقرأ من اليمين إلى اليسار، بترميز دلالي للعناوين والفصول والاقتباسات، "
        "مع جدول محتويات ومعالم للتنقل وفهرس وتسلسل زمني مرتبطين بمواضعهما في النص. "
        "صورة الغلاف موصوفة بنص بديل، ولا يحوي الكتاب ما يعتمد على اللون أو الصوت أو الحركة."),
}


# --- Reading dates in running text (book/dates.py) -------------------------------------
# Every spelling a month goes by, keyed by its number: the Levantine/Iraqi names, the
# Egyptian (Latin-derived) names and their common variants, and the Maghrebi forms.
MONTH_SPELLINGS: dict[int, tuple[str, ...]] = {
    1: ("كانون الثاني", "يناير", "جانفي", "ينير"),
    2: ("شباط", "فبراير", "فيفري", "فبرير"),
    3: ("آذار", "مارس"),
    4: ("نيسان", "أبريل", "إبريل", "أفريل", "ابريل"),
    5: ("أيار", "مايو", "ماي"),
    6: ("حزيران", "يونيو", "يونيه", "جوان"),
    7: ("تموز", "يوليو", "يوليه", "جويلية", "يوليوز"),
    8: ("آب", "أغسطس", "أوت", "غشت"),
    9: ("أيلول", "سبتمبر", "شتنبر"),
    10: ("تشرين الأول", "أكتوبر"),
    11: ("تشرين الثاني", "نوفمبر", "نونبر"),
    12: ("كانون الأول", "ديسمبر", "دجنبر"),
}

WEEKDAYS = ("السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")

# Counting words as they follow قبل: قبل خمس سنوات, قبل ثلاثة أعوام.
NUMBER_WORDS: dict[str, int] = {
    "واحد": 1, "واحدة": 1, "اثنين": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4,
    "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمانية": 8,
    "ثمان": 8, "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10,
}
YEAR_WORDS = ("عام", "العام", "سنة", "السنة")
YEARS_PLURAL = ("سنوات", "أعوام", "سنين", "عاما", "عاماً", "سنة", "عام")
YEAR_DUALS = ("عامين", "سنتين")
MONTH_WORDS = ("شهر",)
MONTHS_PLURAL = ("أشهر", "شهور")
MONTH_DUALS = ("شهرين",)

# Where in a year: the qualifier and the month it stands for when ordering events.
YEAR_PARTS: dict[str, int] = {
    "مطلع": 2, "أوائل": 2, "بداية": 2, "مستهل": 1,
    "أواسط": 6, "منتصف": 6,
    "أواخر": 11, "نهاية": 12,
}
SAME_YEAR = ("ذاته", "نفسه", "ذاتها", "نفسها")     # من العام ذاته
PREVIOUS = ("السابق", "الماضي", "الفائت", "المنصرم")  # العام السابق, أكتوبر الماضي
NEXT = ("المقبل", "القادم")
BEFORE = "قبل"
FIRST_OF = ("الأول", "مطلع")  # الأول من حزيران/يونيو 2019

# Clause openers that decide how much of a long sentence tells an event: a clause led by a
# time word needs the clause after it ("إبان احتلال داعش ... عام 2014، فرض التنظيم ..."); one
# that refers back needs the clause before it ("...، مما سهل تحول مهام التحالف ... 2021").
LEADING_WORDS = ("إبان", "في", "منذ", "خلال", "بعد", "قبل", "عندما", "حين", "حتى", "مع", "إثر")
BACK_REFERENCES = ("مما", "ما", "الذي", "التي", "الذين", "حيث", "وهو", "وهي")
