"""Finding words in Arabic text the way a reader means them.

A term matches a run of whole words after folding (tashkeel, tatweel and hamza on alef
ignored; alef maqsura and the Persian yeh read as ي and the Persian kaf as ك, as Arabic search
engines read them: کردستان is كردستان, مصطفى is مصطفي), through the proclitics written joined to a word (و ف, then ب ك ل, and the
contracted لل for ل + ال), with or without the article ال, and never inside a word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

ARTICLE = "ال"
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ك", "ل")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك"})
# A word: letters and digits, with the marks and joiners that sit inside Arabic words
# (\w alone stops at a fatha or shadda and would cut وَقالَ in two).
_WORD = re.compile(r"(?:\w|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8"
                   r"\u06ea-\u06ed\u0640\u200c\u200d\u0300-\u036f])+")


@functools.lru_cache(maxsize=1 << 16)  # words repeat: a book has far fewer distinct ones than tokens
def fold(text: str) -> str:
    """Compare-form of Arabic text: compatibility forms resolved, marks and tatweel gone, alefs
    one, yehs one, kafs one."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf") and c != "\u0640")
    return unicodedata.normalize("NFC", text).translate(_LETTERS)


class Token(NamedTuple):  # a tuple: a book has hundreds of thousands, made on every load
    word: str   # folded
    start: int  # offsets in the unfolded text
    end: int


@functools.lru_cache(maxsize=1 << 12)  # a text's words are read by the index, then the chronology
def tokens(text: str) -> tuple[Token, ...]:
    """Words of `text`, folded, with their offsets in `text` itself."""
    return tuple(Token(word, match.start(), match.end())
                 for match in _WORD.finditer(text) if (word := fold(match.group())))


@functools.lru_cache(maxsize=1 << 16)
def _stems(word: str) -> frozenset[str]:
    """`word` with every allowed run of proclitics taken off (including none)."""
    stems = {word}
    for conj in ("", *CONJUNCTIONS):
        if conj and not word.startswith(conj):
            continue
        rest = word[len(conj):]
        if rest and rest != word:
            stems.add(rest)
        for prep in PREPOSITIONS:
            if rest.startswith(prep) and len(rest) > len(prep) + 1:
                stems.add(rest[len(prep):])
        if rest.startswith("لل") and len(rest) > 3:  # ل + ال, the alef dropped
            stems.add(ARTICLE + rest[2:])
    return frozenset(stems)


def word_forms(term_word: str) -> set[str]:
    """What a term's first word may look like once its proclitics are off: with or without ال."""
    word = fold(term_word)
    if word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 1:
        return {word, word[len(ARTICLE):]}
    return {word, ARTICLE + word}


def first_word_matches(token: str, term_word: str) -> bool:
    return bool(_stems(token) & word_forms(term_word))


@dataclass(frozen=True)
class Match:
    key: object       # what matched: the caller's term
    first: int        # token indices, end exclusive
    last: int


class Terms:
    """Terms looked up by the forms of their first word: made once for a whole book's texts."""

    def __init__(self, terms: Iterable[tuple[object, Sequence[str]]]):
        self.by_first: dict[str, list[tuple[object, Sequence[str]]]] = {}
        for key, spelling in terms:
            for form in word_forms(spelling[0]):
                self.by_first.setdefault(form, []).append((key, spelling))


def find(words: Sequence[Token], terms: Terms | Iterable[tuple[object, Sequence[str]]]) -> list[Match]:
    """Every place a term's words stand in `words`; the longest wins where matches overlap.

    `terms` gives, for each key, its spellings already split into folded words (as Terms,
    when many texts are searched for the same terms).
    """
    by_first = (terms if isinstance(terms, Terms) else Terms(terms)).by_first
    candidates: list[Match] = []
    for index, token in enumerate(words):
        seen: set[int] = set()
        for stem in _stems(token.word):
            for key, spelling in by_first.get(stem, ()):
                size = len(spelling)
                if id(spelling) in seen or index + size > len(words):
                    continue
                if all(words[index + k].word == spelling[k] for k in range(1, size)):
                    seen.add(id(spelling))
                    candidates.append(Match(key, index, index + size))
    candidates.sort(key=lambda m: (-(m.last - m.first), m.first))
    taken: set[int] = set()
    chosen = []
    for match in candidates:
        span = set(range(match.first, match.last))
        if not span & taken:
            taken |= span
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.first)


def spelling_words(spelling: str) -> tuple[str, ...]:
    return tuple(t.word for t in tokens(spelling))
