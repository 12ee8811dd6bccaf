"""Arabic index order: letter order, the article ال and chosen name prefixes ignored.

ICU's Arabic collation sorts الباغوز under ا; an Arabic index files it under ب. Letters that
Persian, Kurdish and Maghrebi Arabic add file beside the letter they are drawn from: پ after ب,
چ after ج, ژ after ز, ڤ after ف, گ after ك; Persian ک and ی are ك and ي.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

ALPHABET = "ابپتثجچحخدذرزژسشصضطظعغفڤقكگلمنهوي"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Letters that file with a base letter: hamza seats, alef forms, taa marbuta, alef maqsura,
# and the Persian forms of kaf, yeh and heh.
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ء": "ا", "ؤ": "و", "ئ": "ي",
                       "ى": "ي", "ة": "ه", "ک": "ك", "ی": "ي", "ۀ": "ه", "ە": "ه", "ھ": "ه"})
ARTICLE = "ال"
DEFAULT_IGNORED_PREFIXES = ("أبو", "أبي", "ابن", "بن")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf") and c != "\u0640")
    return unicodedata.normalize("NFC", text)


def filing_form(heading: str, ignored_prefixes: Sequence[str] = DEFAULT_IGNORED_PREFIXES) -> str:
    """The words a heading is filed under: أبو بكر البغدادي -> بكر بغدادي; التحالف الدولي -> تحالف دولي."""
    words = _plain(heading).split()
    prefixes = {_plain(p).translate(_FOLD) for p in ignored_prefixes}
    while len(words) > 1 and words[0].translate(_FOLD) in prefixes:
        words = words[1:]
    filed = []
    for word in words:
        if word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 1:
            word = word[len(ARTICLE):]
        filed.append(word.translate(_FOLD))
    return " ".join(filed)


def _rank(char: str) -> int:
    if char == " ":
        return -1  # word by word: "دير الزور" before "ديرا"
    if char in _RANK:
        return _RANK[char]
    if char.isdigit():
        return -0.5 + int(unicodedata.digit(char)) / 100  # numbers before letters
    return 100 + ord(char)


def sort_key(heading: str, ignored_prefixes: Sequence[str] = DEFAULT_IGNORED_PREFIXES) -> tuple:
    filed = filing_form(heading, ignored_prefixes)
    return (tuple(_rank(c) for c in filed), _plain(heading))


def letter(heading: str, ignored_prefixes: Sequence[str] = DEFAULT_IGNORED_PREFIXES) -> str:
    """The letter heading an entry is grouped under."""
    filed = filing_form(heading, ignored_prefixes)
    return filed[0] if filed and filed[0] in _RANK else "#"
