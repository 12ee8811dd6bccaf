"""The chapters in parts: how they are grouped, and what a laid-out part says about its pages.

Chapters are grouped into parts of about PART_CHARACTERS characters (the grouping depends on
the book alone, so every way of building gives the same parts and the same bytes). A chapter
opens a page of its own, so a part's layout does not depend on the pages before it, except
for its folios: parts are laid out side by side with a provisional first page and placed
later (plan.py, jobs.py). Where the stylesheets tell pages apart by number (`:nth()`), or by
side while parts may open on either side, that does not hold, and parts are set in place,
one after another (design.parts_set_in_place).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from weasyprint.document import Document

from ..model import Chapter
from .fixups import block_lines, chapter_page_starts, place_anchors

if TYPE_CHECKING:
    from ..model import Book
    from .parts import Start

PART_CHARACTERS = 40_000  # about twenty A5 pages: what one child lays out before writing
MIN_PARTS = 4             # a short book still spreads over the cores
TEMPLATE = "pdf_body.html.j2"

Group = list[tuple[int, Chapter]]  # (number in the book, chapter)


def group_chapters(book: "Book") -> list[Group]:
    """Consecutive chapters in parts of about PART_CHARACTERS, at least MIN_PARTS of them
    when there are that many chapters."""
    sizes = [sum(len(text.plain) for _, text in chapter.texts()) for chapter in book.chapters]
    target = min(PART_CHARACTERS, -(-sum(sizes) // MIN_PARTS))
    groups: list[Group] = [[]]
    filled = 0
    for number, (chapter, size) in enumerate(zip(book.chapters, sizes), start=1):
        if groups[-1] and filled >= target:
            groups.append([])
            filled = 0
        groups[-1].append((number, chapter))
        filled += size
    return groups


def body_page_starts(book: "Book", document: Document, first_page: int,
                     anchors: dict[str, int]) -> dict[int, "Start"]:
    """The model's anchors placed on the part's pages (added to `anchors`), and where each of
    its pages begins."""
    lines = block_lines(document)
    for anchor, index in place_anchors(book, document, lines).items():
        anchors[anchor] = first_page + index
    return {first_page + index: start for index, start in chapter_page_starts(book, lines).items()}
