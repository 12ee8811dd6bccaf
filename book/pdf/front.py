"""The PDF's front matter in parts: the title pages with the contents, a long contents in pieces.

The contents is laid out twice: once with stand-in page numbers, to count its pages (the
chapters' first pages follow from them), and once every entry's page is known. A long book's
contents runs to dozens of pages (and its imprint lists every chapter's source), and both
layouts would wait on one core while the other has nothing to do; so, like the chronology
(back.py), the front matter is cut into pieces of about PIECE_ENTRIES entries' worth,
between chapters, each laid out side by side with the others: the title pages and imprint in
a piece of their own when they are long. A piece after the one with the contents' heading
opens a page and goes on with the list (its entries carry no bookmarks, so the outline is the
same). Only where parts may open on either side (the screen PDF): in print a piece would open
on a recto.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..backmatter import back_sections
from ..model import Book

PIECE_ENTRIES = 120  # contents entries (a chapter or a heading): about six A5 pages
TITLE_PAGES = 6      # the half-title, title page and imprint's head, in entries' worth
SOURCE_ENTRIES = 2   # a line of the imprint's sources (a chapter's title and where it appeared)


@dataclass(frozen=True)
class FrontPiece:
    name: str                    # of its part's file
    chapters: tuple[int, int]    # the book's chapters whose entries it lists: [first, last)
    title_pages: bool = False    # the half-title, title page and imprint
    heading: bool = False        # opens the contents: its heading (and its anchor)
    closes: bool = False         # the back matter's entries

    @property
    def lists(self) -> bool:
        """Whether it holds any of the contents."""
        return self.heading or self.closes or self.chapters[0] < self.chapters[1]


def _size(chapter, deepest: int) -> int:
    return 1 + sum(1 for heading in chapter.headings if heading.level <= deepest)


def front_pieces(book: Book, split: bool) -> list[FrontPiece]:
    """The front matter's parts, in order: one unless `split` and it is long."""
    chapters = len(book.chapters)
    if not split:
        return [FrontPiece("front", (0, chapters), title_pages=True, heading=True, closes=True)]
    titles = TITLE_PAGES + SOURCE_ENTRIES * chapters
    apart = titles >= PIECE_ENTRIES  # the title pages and imprint fill a piece of their own
    starts, entries = [0], 0 if apart else titles
    for number, chapter in enumerate(book.chapters):
        if number > starts[-1] and entries + _size(chapter, book.meta.contents_depth) > PIECE_ENTRIES:
            starts.append(number)
            entries = 0
        entries += _size(chapter, book.meta.contents_depth)
    tail = len(back_sections(book)) + sum(_size(chapter, book.meta.contents_depth) for chapter in book.chapters[starts[-1]:])
    if len(starts) > 1 and tail < PIECE_ENTRIES // 2:  # a short tail joins the piece before it
        starts.pop()
    pieces = [FrontPiece("front", (0, 0), title_pages=True)] if apart else []
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], chapters])):
        pieces.append(FrontPiece("front" if not pieces else f"front-{len(pieces) + 1}", (start, end),
                                 title_pages=not pieces, heading=number == 0, closes=end == chapters))
    return pieces
