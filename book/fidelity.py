"""Are the author's words all there? Word-level comparison of a source with an edition's text.

Words are compared after Unicode compatibility normalization (presentation forms to
letters), with tashkeel (and every other combining mark), tatweel and invisible format
characters removed, so that a
difference in rendering never hides or fakes a difference in wording.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

TATWEEL = "\u0640"
# A word is a run of letters or a run of digits: a text layer that puts a number against
# a word (as pypdf does where a line switches direction) still yields both words.
_WORD = re.compile(r"[^\W\d_]+|\d+")
_WHOLE_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    # Compose first, so hamza on alef (أ إ آ) stays a letter while tashkeel goes.
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf"))
    return unicodedata.normalize("NFC", text.replace(TATWEEL, ""))


def words(text: str, split_digits: bool = True) -> list[str]:
    return (_WORD if split_digits else _WHOLE_WORD).findall(normalize(text))


@dataclass(frozen=True)
class Coverage:
    total: int
    missing: tuple[str, ...]

    @property
    def ratio(self) -> float:
        return 1 - len(self.missing) / self.total if self.total else 1.0

    def describe(self) -> str:
        shown = " ".join(self.missing[:40])
        return f"{self.ratio:.2%} of {self.total} words found; missing: {shown or 'none'}"


def coverage(source: list[str], found: list[str]) -> Coverage:
    """Which source words (counted with repetition) are present in `found`, in any order."""
    available = Counter(found)
    missing = []
    for word in source:
        if available[word]:
            available[word] -= 1
        else:
            missing.append(word)
    return Coverage(len(source), tuple(missing))


def first_difference(expected: list[str], actual: list[str]) -> str | None:
    """None when the sequences are equal, else where and how they first differ."""
    for index, (want, got) in enumerate(zip(expected, actual)):
        if want != got:
            return (f"word {index}: expected {' '.join(expected[index:index + 6])!r}, "
                    f"found {' '.join(actual[index:index + 6])!r}")
    if len(expected) != len(actual):
        shorter = min(len(expected), len(actual))
        return (f"lengths differ ({len(expected)} expected, {len(actual)} found); "
                f"extra: {' '.join((expected if len(expected) > shorter else actual)[shorter:shorter + 10])!r}")
    return None
