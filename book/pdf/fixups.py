"""What is done to WeasyPrint's laid-out pages, through its box tree and Pango layouts: the one
place that reads WeasyPrint's internals after layout (index.py moves whole frames; long_text_boxes.py
works during layout).

- Anchors, placed from the layout, not from markup. An empty <span id> per occurrence splits its
  paragraph's text for WeasyPrint, which costs more than laying out the whole index. So the
  PDF's blocks carry only `data-block`, and after layout each anchor is found by counting
  characters along the block's lines: the line holding the anchor's word gives its page and its
  place on the page. The same lines say where each page begins (the EPUB's page-list).
- Locator links. A page number wrapped in its own <a> is an inline box, and WeasyPrint's line
  breaking pays for every inline box: a long book's index cost more to lay out than its
  chapters. So the PDF sets each entry's locators as one run of text, and once the run is laid
  out asks Pango where each number landed, cuts the run there into text boxes and puts each
  number in a link box of its own.
- Folios, set again once a part's place is known. A chapter's layout does not depend on the
  pages before it (it opens a page of its own, on a recto in print), except for the folio, which
  CSS draws from the page counter. So parts are laid out with a provisional first page, side by
  side, and once the pages before each part are counted, every margin box that shows the page
  counter is given its real number: the text set again with Pango in the box's own style,
  keeping its alignment in the box.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Sequence

from markupsafe import Markup, escape
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import split_first_line

from .. import arabic
from ..locators import RANGE_DASH, PageRange
from ..model import Book, block_mark
from .justify import inserted
from .positions import x_ranges

# Anchors placed by counting along a block's lines.

def _ink(text: str) -> int:
    """Characters that survive white-space collapsing: the ones both sides count (counted in
    C: a long paragraph's anchors and pages are counted along it once, not from its start)."""
    return len(text) - sum(map(len, _SPACES.findall(text)))


_SPACES = re.compile(r"\s+")  # \s is exactly str.isspace's white space (every code point checked)
_INK_RUN = re.compile(r"\S+")


@dataclass
class _Line:
    page: int          # index in the document
    rect: tuple[float, float, float, float]
    ink_end: int       # characters of the block up to the end of this line


BlockLines = dict[str, list[_Line]]


def _generated(box) -> bool:
    """Text the templates add inside a marked block (a table's label): not the model's words."""
    return box.element is not None and box.element.get("data-generated") is not None


def block_lines(document: Document) -> BlockLines:
    """Every line of every `data-block` block, in order, with its page and running ink count."""
    lines: dict[str, list[_Line]] = {}

    def walk(box, page: int) -> None:
        if isinstance(box, boxes.LineBox):
            element = box.element
            block = element.get("data-block") if element is not None else None
            if block:
                ink = sum(_ink(t.text) - inserted(t) for t in box.descendants()
                          if isinstance(t, boxes.TextBox) and not _generated(t))
                previous = lines[block][-1].ink_end if block in lines else 0
                rect = (box.position_x, box.position_y, box.position_x + box.width,
                        box.position_y + box.height)
                lines.setdefault(block, []).append(_Line(page, rect, previous + ink))
            return
        for child in getattr(box, "children", ()):
            walk(child, page)

    for index, page in enumerate(document.pages):
        walk(page._page_box, index)  # WeasyPrint keeps the laid-out boxes here
    return lines


def first_pages(document: Document, first_page: int) -> dict[str, int]:
    """The page number each element anchor (an id) of `document` first lands on."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=first_page):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    return anchors


def place_anchors(book: Book, document: Document, lines: BlockLines) -> dict[str, int]:
    """Add every model anchor of the chapters to `document`'s pages; returns anchor -> page index."""
    placed: dict[str, int] = {}
    for chapter in book.chapters:
        for key, text in chapter.texts():
            block_lines = lines.get(block_mark(chapter.slug, key))
            if not block_lines:
                continue
            ends = [line.ink_end for line in block_lines]
            plain = text.plain
            before = counted = 0  # ink before `counted` in plain, carried along: offsets come in order
            for offset, anchor in text.anchor_offsets():
                before += _ink(plain[counted:offset])
                counted = offset
                line = block_lines[min(bisect_right(ends, before), len(block_lines) - 1)]
                document.pages[line.page].anchors[anchor] = line.rect
                placed[anchor] = line.page
    return placed


def _plain_offsets(text: str, inks: list[int]) -> dict[int, int]:
    """For each ink count, the offset in `text` of its ink-th visible character (a line's
    first), or the text's end: in one pass along the text's words, however many are asked."""
    found: dict[int, int] = {}
    runs = _INK_RUN.finditer(text)
    run = next(runs, None)
    seen = 0  # ink before `run`
    for ink in sorted(set(inks)):
        while run is not None and ink >= seen + run.end() - run.start():
            seen += run.end() - run.start()
            run = next(runs, None)
        found[ink] = len(text) if run is None else run.start() + ink - seen
    return found


def chapter_page_starts(book: Book, lines: BlockLines) -> dict[int, tuple[str, str | None, int | None]]:
    """For each page index of the chapters' part: (chapter slug, block key, offset) of the
    first word set on it; block and offset are None where the page opens a chapter."""
    top: dict[int, tuple[str, int]] = {}  # page index -> (block, line index) of its highest line
    for block, block_lines in lines.items():
        for index, line in enumerate(block_lines):
            best = top.get(line.page)
            if best is None or line.rect[1] < lines[best[0]][best[1]].rect[1]:
                top[line.page] = (block, index)
    texts = {block_mark(c.slug, key): (c, key, text, number == 0)
             for c in book.chapters for number, (key, text) in enumerate(c.texts())}
    inks: dict[str, list[int]] = {}  # per block, the ink before each page's first line in it
    for page, (block, index) in top.items():
        inks.setdefault(block, []).append(lines[block][index - 1].ink_end if index else 0)
    offsets = {block: _plain_offsets(texts[block][2].plain, wanted) for block, wanted in inks.items()}
    starts: dict[int, tuple[str, str | None, int | None]] = {}
    for page, (block, index) in top.items():
        chapter, key, _text, first = texts[block]
        if index == 0 and first:  # the chapter's head stands above
            starts[page] = (chapter.slug, None, None)
        else:
            ink = lines[block][index - 1].ink_end if index else 0
            starts[page] = (chapter.slug, key, offsets[block][ink])
    return starts


# Locator runs made live links.

SEPARATOR = "، "


@dataclass(frozen=True)
class Token:
    start: int  # character offsets in the run's text
    end: int
    anchor: str


@dataclass
class LocatorRuns:
    """Every locator run of a part: its text, and where each number in it points."""

    runs: list[tuple[str, list[Token]]] = field(default_factory=list)

    def add(self, ranges: Sequence[PageRange], digits: arabic.Digits) -> Markup:
        text, tokens = "", []
        for position, page_range in enumerate(ranges):
            if position:
                text += SEPARATOR
            for ref in (page_range.first, page_range.last):
                if ref is None:
                    continue
                if ref is page_range.last:
                    text += RANGE_DASH
                number = arabic.number(ref.page, digits)
                tokens.append(Token(len(text), len(text) + len(number), ref.anchor))
                text += number
        self.runs.append((text, tokens))
        return Markup(f'<span class="locators" data-locators="{len(self.runs) - 1}">{escape(text)}</span>')


def _cut(text: str, tokens: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str | None]]:
    """`text` in pieces: each token's (start, end, anchor), and what lies between them (anchor None)."""
    pieces, at = [], 0
    for start, end, anchor in tokens:
        if start > at:
            pieces.append((at, start, None))
        pieces.append((start, end, anchor))
        at = end
    if at < len(text):
        pieces.append((at, len(text), None))
    return pieces


def _set_apart(box: boxes.TextBox, parent: boxes.InlineBox, tokens: Sequence[tuple[int, int, str]]
               ) -> list[tuple[boxes.Box, str | None]] | None:
    """The laid-out `box` as one text box per piece, each where its characters were drawn; a
    number's piece inside an <a> box of its own. None where Pango cannot say where they are."""
    pieces = _cut(box.text, tokens)
    ranges = x_ranges(box, [(start, end) for start, end, _ in pieces])
    if ranges is None:
        return None
    result: list[tuple[boxes.Box, str | None]] = []
    for (start, end, anchor), (left, right) in zip(pieces, ranges):
        text = box.text[start:end]
        # The run's own layout, asleep, given the piece's text: drawing wakes it (draw/text.py).
        # Not shaped here: Pango has said where the piece's characters went (its width too).
        layout = copy.copy(box.pango_layout)
        layout.text = text
        piece = box.copy()
        piece.text, piece.pango_layout, piece.position_x, piece.width = text, layout, left, right - left
        if anchor is None:
            result.append((piece, None))
            continue
        link = parent.copy_with_children([piece])
        link.element_tag = "a"  # WeasyPrint tags an <a> box a Link, its text inside it
        link.position_x, link.width = left, right - left
        link.margin_left = link.margin_right = link.padding_left = link.padding_right = 0
        link.border_left_width = link.border_right_width = 0
        result.append((link, anchor))
    return result


def link_locators(document: Document, runs: LocatorRuns) -> int:
    """Make every number of every run laid out in `document` a link; returns their count.

    The run is cut, after layout, into a text box per number and per separator, each drawn
    where Pango set it: the number's box inside an <a> box, which WeasyPrint tags a Link
    holding the number's text and the link annotation together (PDF/UA 7.18.5), in the
    entry's structure. Setting the run's pieces apart only after layout costs the line
    breaking nothing (an index of an <a> per number took it three times as long)."""
    added = 0
    for page in document.pages:
        cursors: dict[int, int] = {}
        found = []  # (parent, box, tokens): cut after the walk, which the cutting would upset
        for parent in page._page_box.descendants():  # WeasyPrint keeps the laid-out boxes here
            for box in getattr(parent, "children", ()):
                if not isinstance(box, boxes.TextBox) or box.element is None:
                    continue
                key = box.element.get("data-locators")
                if key is None or not isinstance(parent, boxes.InlineBox):
                    continue
                text, tokens = runs.runs[int(key)]
                begin = text.find(box.text.strip(), cursors.get(int(key), 0))
                if begin < 0:
                    continue
                offset = begin - (len(box.text) - len(box.text.lstrip()))
                finish = begin + len(box.text.strip())
                cursors[int(key)] = finish
                inside = [(token.start - offset, token.end - offset, token.anchor)
                          for token in tokens if begin <= token.start and token.end <= finish]
                if inside:
                    found.append((parent, box, inside))
        for parent, box, inside in found:
            pieces = _set_apart(box, parent, inside)
            if pieces is None:
                continue
            at = parent.children.index(box)
            parent.children[at:at + 1] = [piece for piece, _ in pieces]
            for piece, anchor in pieces:
                if anchor is not None:
                    rect = (piece.position_x, box.position_y, piece.position_x + piece.width, box.position_y + box.height)
                    page.links.append(("internal", anchor, rect, piece))
                    added += 1
    return added


# Folios set again once a part's place is known.

# The counter styles a folio may use here: the book's own (arabic.counter_style_css), and the
# predefined styles of the digit systems it knows.
BOOK_COUNTER = "book-digits"
COUNTER_DIGITS: dict[str, arabic.Digits] = {style: digits for digits, style in arabic.COUNTER_STYLES.items()}


def _counter_style(margin: boxes.MarginBox) -> str | None:
    """The style of the page counter a margin box shows, if it shows one; '' if it shows it
    among other content (which cannot be renumbered here)."""
    content = margin.style["content"]
    if not isinstance(content, (tuple, list)):
        return None
    counters = [value for kind, value in content if kind in ("counter()", "counters()") and value[0] == "page"]
    if not counters:
        return None
    if len(content) != 1 or content[0][0] != "counter()":
        return ""
    return counters[0][1] if len(counters[0]) > 1 else "decimal"


def _folio_boxes(document: Document):
    for index, page in enumerate(document.pages):
        for margin in page._page_box.children:  # WeasyPrint keeps the laid-out boxes here
            if isinstance(margin, boxes.MarginBox) and margin.is_generated:
                style = _counter_style(margin)
                if style is not None:
                    yield index, margin, style


def can_renumber(document: Document) -> bool:
    """Whether every folio of `document` is a lone page counter in a style known here."""
    return all(style in COUNTER_DIGITS or style == BOOK_COUNTER for _, _, style in _folio_boxes(document))


def renumber(document: Document, first_page: int, digits: arabic.Digits) -> None:
    """Give every folio of `document` its number when the document's first page is
    `first_page` (`digits`: the book's, what its own counter style writes)."""
    for index, margin, style in _folio_boxes(document):
        text = arabic.number(first_page + index, digits if style == BOOK_COUNTER else COUNTER_DIGITS[style])
        text_boxes = [box for box in margin.descendants() if isinstance(box, boxes.TextBox)]
        if len(text_boxes) != 1:
            raise ValueError(f"a folio of {len(text_boxes)} text boxes cannot be renumbered")
        text_box = text_boxes[0]
        if text_box.text == text:
            continue
        layout, _, _, width, _, _ = split_first_line(text, text_box.style, None, None, 0)
        old_width = text_box.width
        text_box.text, text_box.pango_layout = text, layout
        # The text keeps its alignment in the margin box: its centre, or the side it touches.
        left = text_box.position_x - margin.content_box_x()
        right = margin.content_box_x() + margin.width - (text_box.position_x + old_width)
        if abs(left - right) < 0.5:
            shift = (old_width - width) / 2
        elif abs(right) < 0.5:
            shift = old_width - width
        else:
            shift = 0
        line = next(box for box in margin.descendants() if isinstance(box, boxes.LineBox))
        line.translate(dx=shift)
        text_box.width = width
