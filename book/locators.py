"""Index locators from where the occurrences landed: pages listed once, runs joined as ranges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .model import Occurrence

# The dash between a range's pages, with a word joiner after it: a line may break after an en
# dash (UAX #14), which left «١٥–» at a line's end and «١٦» on the next in the index.
RANGE_DASH = "–\u2060"


@dataclass(frozen=True)
class PageRef:
    page: int
    anchor: str  # the first occurrence on that page: where the number links to


@dataclass(frozen=True)
class PageRange:
    first: PageRef
    last: PageRef | None = None  # None: a single page


def page_ranges(occurrences: Sequence[Occurrence], pages: Mapping[str, int]) -> list[PageRange]:
    """Each page once, in order; consecutive pages joined (٥–٧), each end linking to its page."""
    first_on_page: dict[int, str] = {}
    for occurrence in occurrences:
        page = pages[occurrence.anchor]
        first_on_page.setdefault(page, occurrence.anchor)
    refs = [PageRef(page, first_on_page[page]) for page in sorted(first_on_page)]
    ranges: list[PageRange] = []
    for ref in refs:
        if ranges:
            last = ranges[-1].last or ranges[-1].first
            if ref.page == last.page + 1:
                ranges[-1] = PageRange(ranges[-1].first, ref)
                continue
        ranges.append(PageRange(ref))
    return ranges


@dataclass(frozen=True)
class ChapterRefs:
    """Locators for an edition without pages (EPUB): per chapter, each occurrence a link."""

    chapter: str  # slug
    number: int   # the chapter's ordinal
    anchors: tuple[str, ...]


def chapter_refs(occurrences: Sequence[Occurrence], order: Sequence[str]) -> list[ChapterRefs]:
    grouped: dict[str, list[str]] = {}
    for occurrence in occurrences:
        grouped.setdefault(occurrence.chapter, []).append(occurrence.anchor)
    return [ChapterRefs(slug, order.index(slug) + 1, tuple(grouped[slug]))
            for slug in order if slug in grouped]
