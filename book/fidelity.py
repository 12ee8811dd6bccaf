"""Are the author's words all there? Word-level comparison of a source with an edition's text.

Words are compared after Unicode compatibility normalization (presentation forms to
letters), with tashkeel (and every other combining mark), tatweel and invisible format
characters removed, so that a difference in rendering never hides or fakes a difference in
wording. A word is a run of Arabic letters, a run of other letters, or a run of digits: a text
layer that puts a number or a Latin word against an Arabic word (as pypdf does where a line
switches direction: `سوريا2019`, `فيUNICEF`) still yields both words. The split is the same
for the source and the edition, so it can only lose the difference between "a b" and "ab"
across a change of script, which a reader sees as a space and no extractor reads reliably.

Editions are compared in order: `place` aligns the source's words with what an extractor read
(difflib, no junk heuristic) and says, word by word, whether it was read in order, read out of
order near its own line (what text extractors do to right-to-left lines with left-to-right
runs), or not read at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Callable, Iterable, Sequence

from .kashida import TATWEEL

_ARABIC = "\u0600-\u06FF\u0750-\u077F\u0870-\u08FF"  # NFKC has folded the presentation forms
# Digits of one script: no number mixes them, so "١2023" (a note's call beside a year) is two.
_WORD = re.compile(rf"(?:(?=[^\W\d_])[{_ARABIC}])+|[^\W\d_{_ARABIC}]+|[0-9]+|[\u0660-\u0669]+|[\u06F0-\u06F9]+|\d+")
_WHOLE_WORD = re.compile(r"\w+")
# Arabic-Indic and Persian digits, with the Arabic decimal and thousands separators inside a number.
_INDIC_NUMBER = re.compile(r"[\u0660-\u0669\u06F0-\u06F9](?:[\u0660-\u0669\u06F0-\u06F9\u066B\u066C]*[\u0660-\u0669\u06F0-\u06F9])?")


def normalize(text: str) -> str:
    # Compose first, so hamza on alef (أ إ آ) stays a letter while tashkeel goes.
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf"))
    return unicodedata.normalize("NFC", text.replace(TATWEEL, ""))


def words(text: str, split_digits: bool = True) -> list[str]:
    return (_WORD if split_digits else _WHOLE_WORD).findall(normalize(text))


def indic_numbers_in_order(text: str) -> str:
    """pypdf's text with its Arabic-Indic numbers turned back.

    pypdf counts every character of U+0590-U+08FF as right-to-left, Arabic-Indic digits
    included, so it reverses their runs as it reverses Arabic letters (`٢٠١٩` comes out `٩١٠٢`);
    a number is never set that way, so the fold is exact.
    """
    return _INDIC_NUMBER.sub(lambda match: match.group()[::-1], text)


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


def quoted(found: Sequence[str]) -> str:
    return "«" + " ".join(found[:12]) + (" …" if len(found) > 12 else "") + "»"


def _after(expected: Sequence[str], index: int) -> str:
    return f"after {quoted(expected[max(0, index - 4):index])}" if index else "at the start"


def differences(expected: Sequence[str], found: Sequence[str]) -> list[str]:
    """Every place where `found` differs from `expected`, in order, naming the words."""
    matcher = SequenceMatcher(None, expected, found, autojunk=False)
    described = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            described.append(f"{quoted(expected[i1:i2])} missing {_after(expected, i1)}")
        elif tag == "insert":
            described.append(f"{quoted(found[j1:j2])} added {_after(expected, i1)}")
        elif tag == "replace":
            described.append(f"{quoted(expected[i1:i2])} read as {quoted(found[j1:j2])} {_after(expected, i1)}")
    return described


@dataclass(frozen=True)
class Reading:
    """What one extractor read of some pages: each word with the line and page it stands on."""
    words: tuple[str, ...]
    lines: tuple[int, ...]
    pages: tuple[int, ...]


def reading(lines: Iterable[tuple[int, str]]) -> Reading:
    """A Reading of (page, line text) pairs in the extractor's order."""
    found, line_numbers, pages = [], [], []
    for number, (page, text) in enumerate(lines):
        for word in words(text):
            found.append(word)
            line_numbers.append(number)
            pages.append(page)
    return Reading(tuple(found), tuple(line_numbers), tuple(pages))


@dataclass(frozen=True)
class Placement:
    """Where one extractor read each source word: source index to index in its Reading."""
    total: int
    in_order: dict[int, int]
    out_of_order: dict[int, int]   # not in order, but on its line or the next one either side

    @property
    def ratio(self) -> float:
        return len(self.in_order) / self.total if self.total else 1.0


SOLID = 3  # words in a row that anchor the alignment; a lone word may match a running head


def place(source: Sequence[str], found: Reading, margin: int = 1) -> Placement:
    """Align `source` with `found` in order; look for the words left over near their line.

    A word the alignment leaves out is "out of order" when an unaligned word of the reading
    equal to it stands between the lines of the solid runs aligned before and after it,
    widened by `margin` lines: extractors move a line's left-to-right runs about, or a piece
    of a line to the next, and a scrambled line's lone words may align with a running head.
    """
    matcher = SequenceMatcher(None, source, found.words, autojunk=False)
    blocks = matcher.get_matching_blocks()  # ends with (len(source), len(found), 0)
    in_order = {a + k: b + k for a, b, size in blocks for k in range(size)}
    by_line: dict[int, list[int]] = {}
    for index, line in enumerate(found.lines):
        by_line.setdefault(line, []).append(index)
    used = set(in_order.values())
    out_of_order: dict[int, int] = {}
    a_end = b_end = 0
    for a, b, size in [block for block in blocks if block.size >= SOLID] + [blocks[-1]]:
        left = [i for i in range(a_end, a) if i not in in_order]
        if left:
            first = found.lines[b_end - 1] - margin if b_end else 0
            last = found.lines[b] + margin if b < len(found.words) else (found.lines[-1] if found.lines else 0)
            out_of_order.update(_take_near(source, left, found, by_line, range(first, last + 1), used))
        a_end, b_end = a + size, b + size
    return Placement(len(source), in_order, out_of_order)


def _take_near(source: Sequence[str], left: list[int], found: Reading, by_line: dict[int, list[int]],
               lines: range, used: set[int]) -> dict[int, int]:
    """The unaligned words of `found` on `lines` that `left` (source indices) can take, each once."""
    pool: dict[str, list[int]] = {}
    for line in reversed(lines):  # popped from the end: the earliest first
        for j in reversed(by_line.get(line, ())):
            if j not in used:
                pool.setdefault(found.words[j], []).append(j)
    taken = {}
    for i in left:
        if pool.get(source[i]):
            taken[i] = j = pool[source[i]].pop()
            used.add(j)
    return taken


def place_in_chapter(source: Sequence[str], found: Reading, spill: int | None) -> Placement:
    """`place` on a chapter's own pages; then its last words, if not found there, on the `spill`
    page (where the next section begins: its words may end the chapter when no page break
    comes between). The spill page is not searched for the rest: it may quote the chapter (a
    chronology's sentences, a saying), and a copy there must not stand in for a lost word."""
    own = sum(1 for page in found.pages if page != spill)
    head = place(source, _part(found, 0, own))
    placed = set(head.in_order) | set(head.out_of_order)
    tail = max(placed) + 1 if placed else 0
    if tail == len(source) or own == len(found.words):
        return head
    rest = place(source[tail:], _part(found, own, len(found.words)))
    return Placement(len(source),
                     {**head.in_order, **{tail + i: own + j for i, j in rest.in_order.items()}},
                     {**head.out_of_order, **{tail + i: own + j for i, j in rest.out_of_order.items()}})


def _part(found: Reading, start: int, stop: int) -> Reading:
    return Reading(found.words[start:stop], found.lines[start:stop], found.pages[start:stop])


def runs(indices: Iterable[int]) -> list[range]:
    """Consecutive indices grouped: [3, 4, 5, 9] gives range(3, 6), range(9, 10)."""
    grouped: list[range] = []
    for index in sorted(indices):
        if grouped and grouped[-1].stop == index:
            grouped[-1] = range(grouped[-1].start, index + 1)
        else:
            grouped.append(range(index, index + 1))
    return grouped


def describe_run(source: Sequence[str], run: range) -> str:
    return f"{quoted(source[run.start:run.stop])} {_after(source, run.start)}"


def reading_orders(book, chapter, split: Callable[[str], list[str]] = words) -> list[list[str]]:
    """A chapter's words in the orders the PDF sets them: its blocks', and its notes' apart when
    they are footnotes (each at the foot of a page among the blocks, in the order of their calls)."""
    if book.meta.notes == "footnotes" and chapter.notes:
        return [split(chapter.body_text(notes=False)), split(chapter.notes_text())]
    return [split(chapter.body_text())]
