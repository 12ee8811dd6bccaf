"""The index's columns (book/pdf/index.py) where entries are longer than a column, read back
from a built screen PDF: every letter heading has its group's text under it in its column, the
index's pages are filled but for its last, and the locators read in the entries' order, right
column first.

The book is the default one eight times over (benchmarks/synthetic.py) on pages of 105 x 148 mm:
columns of about twenty lines, so that its longest entries (التحالف الدولي, داعش) run over a
column with a small book. `break-inside: avoid` on such an entry sent it, its letter heading
with it, to the next column page, where WeasyPrint then left the heading alone at the top: the
heading alone in a column, the column before it half empty.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from conftest import ROOT, named_page, run_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import make_book  # noqa: E402

REPEAT = 8
PAGE_SIZE = "105mm 148mm"
HEAD_ZONE = 19 * 72 / 25.4  # the top margin, where the running head stands (pdf.css)
FOOT_ZONE = 20 * 72 / 25.4  # the bottom margin, where the folio stands
DIGITS = {chr(0x660 + digit): digit for digit in range(10)}  # the book's digits: Arabic-Indic
LETTERS = {chr(code) for code in range(0x621, 0x64B)}
# The columns meet this far right of the page's middle: a first line (text-indent -1em, which
# WeasyPrint puts at the left of right-to-left lines) reaches up to 1em into the gap (1.4em).
GAP_SHIFT = 4.0


@dataclass
class Char:
    text: str
    left: float
    bottom: float
    right: float
    top: float


@dataclass
class Line:
    chars: list[Char] = field(default_factory=list)

    @property
    def top(self) -> float:
        return max(char.top for char in self.chars)

    @property
    def bottom(self) -> float:
        return min(char.bottom for char in self.chars)

    @property
    def is_heading(self) -> bool:
        """A letter heading: a line of one Arabic letter."""
        return len(self.chars) == 1 and self.chars[0].text in LETTERS

    def numbers(self) -> list[int]:
        """Its locators, right to left: runs of digits between the commas and dashes."""
        numbers, run = [], []
        for char in sorted(self.chars, key=lambda char: -char.right) + [None]:
            if char is not None and char.text in DIGITS:
                run.append(char)
                continue
            if run:
                numbers.append(int("".join(str(DIGITS[digit.text]) for digit in reversed(run))))
            run = []
        return numbers


def median_height(chars: list[Char]) -> float:
    return sorted(char.top - char.bottom for char in chars)[len(chars) // 2]


def lines_of(chars: list[Char]) -> list[Line]:
    """Characters in lines, top to bottom: those whose heights overlap by 40% of the smaller."""
    lines: list[Line] = []
    for char in sorted(chars, key=lambda char: -(char.top + char.bottom)):
        for line in lines:
            overlap = min(line.top, char.top) - max(line.bottom, char.bottom)
            if overlap > 0.4 * min(line.top - line.bottom, char.top - char.bottom):
                line.chars.append(char)
                break
        else:
            lines.append(Line([char]))
    return sorted(lines, key=lambda line: -line.top)


@dataclass
class IndexPage:
    number: int
    columns: tuple[list[Line], list[Line]]  # right, left: in reading order
    top: float  # of its text (under the index's title on its first page)


@pytest.fixture(scope="module")
def index_book(tmp_path_factory) -> Path:
    """The screen PDF of the book, built through the command line."""
    folder = tmp_path_factory.mktemp("index-columns")
    book = make_book(ROOT, folder / "book", REPEAT, blocks=False)
    toml = book / "book.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'page-size = "A5"' in text
    toml.write_text(text.replace('page-size = "A5"', f'page-size = "{PAGE_SIZE}"'), encoding="utf-8")
    result = run_build("--book", book, "--out", folder / "out", "--edition", "pdf", "--quiet")
    assert result.returncode == 0, result.stderr
    return folder / "out" / "ma-bad-daesh.pdf"


@pytest.fixture(scope="module")
def pages(index_book) -> list[IndexPage]:
    return index_pages(index_book)


def index_pages(path: Path) -> list[IndexPage]:
    """The index's pages (it ends the screen PDF), their text in columns."""
    with pikepdf.open(path) as pdf:
        first, count = named_page(pdf, "index"), len(pdf.pages)
    document = pypdfium2.PdfDocument(path)
    pages = []
    for number in range(first, count + 1):
        page = document[number - 1]
        width, height = page.get_size()
        text = page.get_textpage()
        chars = []
        for index in range(text.count_chars()):
            character = text.get_text_range(index, 1)
            left, bottom, right, top = text.get_charbox(index)
            if character.strip() and bottom >= FOOT_ZONE and top <= height - HEAD_ZONE:
                chars.append(Char(character, left, bottom, right, top))
        lines = lines_of(chars)
        if number == first:  # the index's title, in lines of larger type
            while median_height(lines[0].chars) > 1.4 * median_height(chars):
                lines.pop(0)
        middle = width / 2 - GAP_SHIFT
        sides = ([char for line in lines for char in line.chars if (char.left + char.right) / 2 >= middle],
                 [char for line in lines for char in line.chars if (char.left + char.right) / 2 < middle])
        pages.append(IndexPage(number, (lines_of(sides[0]), lines_of(sides[1])), max(line.top for line in lines)))
    document.close()
    return pages


def expected_locators(index_book: Path) -> list[list[int]]:
    """Each entry's locators (its subentries' after it), in the index's order, from the index
    the build exported: its pages, consecutive ones as a range (first and last), then the pages
    of the quotations it links to."""
    entries = json.loads(index_book.with_name("ma-bad-daesh.index.json").read_text(encoding="utf-8"))["entries"]
    with pikepdf.open(index_book) as pdf:
        def walk(entry: dict) -> list[list[int]]:
            numbers, pages = [], sorted({occurrence["page"] for occurrence in entry["occurrences"]})
            for position, page in enumerate(pages):
                if position == 0 or pages[position - 1] != page - 1:
                    numbers.append(page)
                elif position + 1 == len(pages) or pages[position + 1] != page + 1:
                    numbers.append(page)
            numbers += [named_page(pdf, quotation) for quotation in entry["quotations"]]
            return [numbers] + [found for sub in entry["subentries"] for found in walk(sub)]
        return [numbers for entry in entries for numbers in walk(entry)]


def columns(pages: list[IndexPage]) -> list[list[Line]]:
    return [column for page in pages for column in page.columns]


def test_an_entry_is_longer_than_a_column(pages, index_book):
    """The case at hand: the lines that hold one entry's locators outnumber the lines of the
    fullest column."""
    entry_of = [position for position, numbers in enumerate(expected_locators(index_book)) for _ in numbers]
    lines_of_entry: dict[int, int] = {}
    at = 0
    for column in columns(pages):
        for line in column:
            numbers = len(line.numbers())
            for entry in set(entry_of[at:at + numbers]):
                lines_of_entry[entry] = lines_of_entry.get(entry, 0) + 1
            at += numbers
    assert max(lines_of_entry.values()) > max(len(column) for column in columns(pages))


def test_letter_headings_have_their_text_under_them(pages):
    """No letter heading alone at the foot or the top of a column: two lines of its group
    after it in its column, or all of its group (one line, the next column opening with the
    next heading or none)."""
    in_order = columns(pages)
    headings = 0
    for position, column in enumerate(in_order):
        page = pages[position // 2]
        side = ("right", "left")[position % 2]
        for index, line in enumerate(column):
            if not line.is_heading:
                continue
            headings += 1
            letter = line.chars[0].text
            after = column[index + 1:index + 3]
            assert after and not after[0].is_heading, f"page {page.number}, {side} column: «{letter}» alone"
            if len(after) < 2:
                following = next((later for later in in_order[position + 1:] if later), None)
                assert following is None or following[0].is_heading, \
                    f"page {page.number}, {side} column: «{letter}» with one line under it at the foot"
    assert headings >= 15


def test_pages_are_filled_but_the_last(pages):
    """The index's pages before its last are three quarters full at least: their columns'
    text reaches, on average, three quarters of the way down from where it begins."""
    foot = min(column[-1].bottom for page in pages for column in page.columns if column)
    top = max(page.top for page in pages[1:])
    assert len(pages) > 3
    for position, page in enumerate(pages[:-1]):
        height = (page.top if position == 0 else top) - foot
        filled = [(page.top if position == 0 else top) - column[-1].bottom if column else 0.0
                  for column in page.columns]
        fill = sum(filled) / (2 * height)
        assert fill >= 0.75, f"page {page.number} is {fill:.0%} filled (columns: " \
                             f"{', '.join(f'{part / height:.0%}' for part in filled)})"


def test_locators_read_in_order_column_by_column(pages, index_book):
    """Right column then left, page after page, line after line (right to left on each), the
    locators are every entry's in the index's order."""
    read = [number for column in columns(pages) for line in column for number in line.numbers()]
    expected = [number for numbers in expected_locators(index_book) for number in numbers]
    assert len(expected) > 500
    assert read == expected
