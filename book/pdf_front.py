"""The PDF's front matter in parts: the title pages with the contents, a long contents in pieces.

The contents is laid out twice: once with stand-in page numbers, to count its pages (the
chapters' first pages follow from them), and once every entry's page is known. A long book's
contents runs to dozens of pages, and both layouts would wait on one core while the other has
nothing to do; so, like the chronology (pdf_back.py), it is cut between chapters into pieces of
about PIECE_ENTRIES entries, each laid out side by side with the others. A piece after the
first opens a page and goes on with the list (the contents' entries carry no bookmarks, so the
outline is the same). Only where parts may open on either side (the screen PDF): in print a
piece would open on a recto.
"""

from __future__ import annotations

from dataclasses import dataclass

from .backmatter import back_sections
from .model import Book

PIECE_ENTRIES = 120  # chapters and their headings: about fourteen A5 pages of contents


@dataclass(frozen=True)
class FrontPiece:
    name: str                    # of its part's file
    chapters: tuple[int, int]    # the book's chapters whose entries it lists: [first, last)
    opens: bool = False          # the title pages and the contents' heading (and its anchor)
    closes: bool = False         # the back matter's entries


def front_pieces(book: Book, split: bool) -> list[FrontPiece]:
    """The front matter's parts, in order: one unless `split` and the contents is long."""
    chapters = len(book.chapters)
    if not split:
        return [FrontPiece("front", (0, chapters), opens=True, closes=True)]
    starts, entries = [0], 0
    for number, chapter in enumerate(book.chapters):
        size = 1 + len(chapter.headings)
        if entries and entries + size > PIECE_ENTRIES:
            starts.append(number)
            entries = 0
        entries += size
    tail = len(back_sections(book)) + sum(1 + len(c.headings) for c in book.chapters[starts[-1]:])
    if len(starts) > 1 and tail < PIECE_ENTRIES // 2:  # a short tail joins the piece before it
        starts.pop()
    ends = [*starts[1:], chapters]
    return [FrontPiece("front" if number == 0 else f"front-{number + 1}", (start, end),
                       opens=number == 0, closes=number == len(starts) - 1)
            for number, (start, end) in enumerate(zip(starts, ends))]
