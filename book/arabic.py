"""Arabic presentation facts: digits and month names, in one place."""

from __future__ import annotations

import re
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
    """Write a number with the book's digits (bare: page labels, folios and the PDF index's
    locator runs compare and cut this text; running text isolates it, `isolate` below)."""
    text = str(value)
    table = _DIGIT_TABLES.get(digits)
    return text.translate(table) if table else text


# --- Generated numbers in running text (issue 21) ----------------------------------------
# A number the book writes among words (a table's or figure's number «٢-١», a note's call and
# number, a page reference, a range «١٢–١٥») is set between Unicode isolates, one unit that the
# text around it cannot reorder and whose separators cannot drift out of it; a phrase the book
# writes around numbers (a date, a Hijri equivalent) is isolated whole, its ranges inside it
# too. WeasyPrint 70 ignores CSS `unicode-bidi` and <bdi>/<bdo>, but Pango's bidi (FriBidi)
# honours the characters, and so does a browser's. The EPUB carries the same characters: <bdi>
# is `dir=auto` (FSI: wrong for digits, below), older reading engines ignore it, and the two
# editions would differ. Which isolate follows the digits the number is written in (measured,
# what the page shows left to right, in tests/test_number_isolation.py):
# - Arabic-Indic digits (٠-٩) are Arabic numbers (bidi class AN), which a separator between two
#   follows right to left: «٢-١» shows the chapter on the right, read first, as an appendix's
#   «أ-١» shows its letter; «١٢–١٥» the first page on the right; «١٢٫٥٪» the sign on the left.
#   That is the order an Arabic reader reads, and the page showed it before the isolates,
#   whichever isolate: AN keeps it even inside an LRI. RLI, the direction of the text the number
#   is part of, fences it off from its neighbours: bare after the author's «2019», a note's call
#   joined that number's run in a browser and stood on its right, read before it.
# - Western digits (0-9) are European numbers (EN), which after an Arabic letter the algorithm
#   takes for Arabic ones: «جدول 2-1» showed «1-2», «نحو 1435–1436 هـ» showed «1436–1435»
#   (and «1435/1436» would not: a slash joins numbers, a hyphen or a dash does not). LRI makes
#   a number in Western digits the left-to-right unit these digits are read as, whatever its
#   separator: «2-1», «2014–2017», «12.5%» (the sign on the right, as in Latin text).
# - Persian digits (۰-۹) are European numbers too: in an RLI, with no Arabic letter before them,
#   «۲-۱» would turn left to right, so their isolate starts with an Arabic letter mark (ALM,
#   U+061C) and they keep the Arabic-Indic digits' order.
# Not FSI: digits are not strong, so FSI finds no direction in «٢-١» or «2-1» and takes LTR,
# while it takes RTL for «أ-1»: the isolate would depend on what the number starts with.
# Left bare: `number()` where it is not in running text (folios drawn by CSS counters, page
# labels, the contents' page column, a year heading, the EPUB's page-list, data exports) and
# the PDF index's locator runs, cut into pieces by character offsets after layout
# (book/pdf/fixups.py). The author's text is never touched. The isolates draw no glyph: PDFium,
# pdftotext and pypdf give none back from the PDF, and each reads a number from the glyphs'
# order, which the isolates set (pdftotext and pypdf read the isolated «2-1» and «1435–1436» as
# shown; PDFium reads «2-1», but «1435–1436» shown left to right as «1436–1435»: to it a dash
# between two numbers in a right-to-left line is right to left, whatever the page shows).
LRI, RLI, FSI, PDI, ALM = "\u2066", "\u2067", "\u2068", "\u2069", "\u061c"
_WESTERN_DIGITS = frozenset("0123456789")
_PERSIAN_DIGITS = frozenset("۰۱۲۳۴۵۶۷۸۹")
# A number as the book writes one: digits, joined without a space by a separator (- – / . : ,
# and the Arabic decimal and thousands separators ٫ ٬), with a percent sign after it.
_NUMBER = re.compile(r"[0-9٠-٩۰-۹]+(?:[-–/.:,٫٬][0-9٠-٩۰-۹]+)*[%٪]?")


def isolate_opening(text: str) -> str:
    """The isolate a generated number in `text`'s digits opens with (the table above)."""
    if any(char in _WESTERN_DIGITS for char in text):
        return LRI
    return RLI + ALM if any(char in _PERSIAN_DIGITS for char in text) else RLI


def isolate(value: object, digits_of: str | None = None) -> str:
    """A generated number, a range or a table's «أ-١», as one unit the text around it cannot
    reorder: RLI ٢-١ PDI. The isolate follows the digits of `value`, or of `digits_of`
    where `value` is markup (a range of two links, whose tags hold other digits)."""
    text = str(value)
    return f"{isolate_opening(text if digits_of is None else digits_of)}{text}{PDI}" if text else text


def isolate_phrase(text: str) -> str:
    """A phrase the book generates around numbers, a date (``٢٣ آذار/مارس ٢٠١٩``) or a Hijri
    equivalent (``نحو ١٤٣٥–١٤٣٦ هـ``), as one right-to-left unit, and each number in it with a
    separator («١٤٣٥–١٤٣٦») isolated in it. A number alone between the phrase's own words
    cannot move; the phrase's isolate keeps the text around (a chapter's title before its date
    in the imprint) from reaching it."""
    if not text:
        return text
    inner = _NUMBER.sub(lambda match: isolate(match.group()) if not match.group().isdigit() else match.group(), text)
    return f"{RLI}{inner}{PDI}"


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
