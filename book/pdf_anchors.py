"""Index and chronology anchors placed from the PDF's layout, not from markup.

An empty <span id> per occurrence splits its paragraph's text for WeasyPrint, which costs
more than laying out the whole index. So the PDF's blocks carry only `data-block`, and
after layout each anchor is found by counting characters along the block's lines: the
line holding the anchor's word gives its page and its place on the page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from .model import Book


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


def block_lines(document: Document) -> BlockLines:
    """Every line of every `data-block` block, in order, with its page and running ink count."""
    lines: dict[str, list[_Line]] = {}

    def walk(box, page: int) -> None:
        if isinstance(box, boxes.LineBox):
            element = box.element
            block = element.get("data-block") if element is not None else None
            if block:
                ink = sum(_ink(t.text) for t in box.descendants() if isinstance(t, boxes.TextBox))
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
            block_lines = lines.get(f"{chapter.slug}-{key}")
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
    texts = {f"{c.slug}-{key}": (c, key, text, number == 0)
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
