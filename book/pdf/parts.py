"""What crosses between the PDF's processes: a part's written files, a part as placed, the
book as paginated. Unpickled in processes that never load WeasyPrint (the join's, the build's),
so nothing here imports it, or anything that does.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..model import PageBreak


@dataclass(frozen=True)
class PartFile:
    path: Path
    borrowed: frozenset[str] = frozenset()  # anchors it links to that another part holds
    continues: bool = False  # goes on with the section before it (a section in pieces): see join._append_outline


Start = tuple[str, str | None, int | None]  # chapter slug, block key, offset: where a page begins


@dataclass(frozen=True)
class PlacedPart:
    """A part as laid out: its length, the pages its anchors landed on, where its chapter
    pages begin (chapters only), its written PDF (in more than one file where it is dense: see
    plan.INDEX_FILE_PAGES), and for a back piece whose section goes on, the entry the next
    piece opens with (back.py)."""

    pages: int  # with the blank page that ends it on a verso, where parts open on rectos
    anchor_pages: dict[str, int]  # anchor -> page number in the book
    written: tuple[PartFile, ...] = ()
    starts: dict[int, Start] = field(default_factory=dict)  # page number -> where that page begins
    goes_on: int | None = None  # the entry of its section the next piece opens with

    def facts(self, first_page: int) -> dict:
        """What holds wherever the part stands: pages counted from its first."""
        return {"pages": self.pages,
                "anchors": {anchor: page - first_page for anchor, page in self.anchor_pages.items()},
                "starts": [[page - first_page, *start] for page, start in self.starts.items()],
                "borrowed": [sorted(file.borrowed) for file in self.written],
                "continues": [file.continues for file in self.written], "goes_on": self.goes_on}

    @classmethod
    def placed(cls, facts: dict, first_page: int, written: tuple[PartFile, ...]) -> "PlacedPart":
        return cls(facts["pages"], {anchor: first_page + page for anchor, page in facts["anchors"].items()},
                   written, {first_page + page: tuple(start) for page, *start in facts.get("starts", [])},
                   facts.get("goes_on"))


@dataclass(frozen=True)
class PagedBook:
    """What the layout's process gives the join: the written parts and where each anchor and
    page landed."""

    parts: tuple[PartFile, ...]         # the written PDFs, in order, to be joined (none if not asked)
    page_count: int
    anchor_pages: dict[str, int]        # anchor id -> page number
    page_breaks: tuple[PageBreak, ...]  # where each page begins, for the EPUB's page-list
    padding: int = 0                    # blank pages added at the end for the printer
    parts_folder: tempfile.TemporaryDirectory | None = field(default=None, repr=False, compare=False)  # holds parts
