"""Which back-matter sections a book has, for every edition alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from . import arabic
from .locators import chapter_refs, page_ranges
from .model import Book


@dataclass(frozen=True)
class BackSection:
    id: str
    title: str


def back_sections(book: Book) -> list[BackSection]:
    sections = []
    if book.chronology and book.chronology.events:
        sections.append(BackSection("chronology", arabic.LABELS["chronology"]))
    if book.quotations:
        sections.append(BackSection("sayings", arabic.LABELS["sayings"]))
    if book.index and book.index.groups:
        sections.append(BackSection("index", arabic.LABELS["index"]))
    return sections


def back_matter_context(book: Book, print_pages: Mapping[str, int]) -> dict:
    """What the back matter's macros (templates/_back.j2) read, for the EPUB and the preview:
    entry ids, chapter numbers, and locators: the print pages where the print layout is known
    (`print_pages`, anchor -> page), else numbered per chapter (the preview has no pages)."""
    entry_ids = {}
    for number, entry in enumerate(book.index.entries if book.index else (), start=1):
        entry_ids[entry.heading] = f"term-{number}"
        for sub_number, sub in enumerate(entry.subentries, start=1):
            entry_ids[sub.heading] = f"term-{number}-{sub_number}"
    order = [c.slug for c in book.chapters]
    return dict(
        entry_ids=entry_ids,
        chapter_titles={c.slug: c.title for c in book.chapters},
        chapter_refs=lambda occurrences: chapter_refs(occurrences, order),
        print_pages=print_pages,
        page_ranges=lambda occurrences: page_ranges(occurrences, print_pages),
        anchor_documents={o.anchor: f"{o.chapter}.xhtml" for e in (book.index.entries if book.index else ())
                          for item in (e, *e.subentries) for o in item.occurrences},
        quotation_chapters={q.id: c.slug for c, q in book.quotations},
    )
