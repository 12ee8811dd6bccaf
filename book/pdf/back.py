"""The PDF's back matter in parts: the chronology, then the sayings (in one part when both
are short).

A long chronology is cut into pieces of about PIECE_EVENTS events, laid out like the chapters,
each in a child of its own: between years where it can, inside a year too long for one piece
(so that no piece is much longer than the others: a piece's layout is what a rebuild waits
for, and what a child process holds in memory). A long list of sayings goes in pieces of
PIECE_SAYINGS the same way. Only where parts may open on either side (the screen PDF): in
print a part opens on a recto, and a blank verso in the middle of the chronology is worse than
a slower build.

Each piece after the first opens a page, so a piece cut where it was planned would end on a
page left as empty as chance makes it (half, on average). Instead a piece leaves its last page
to the next one: the next opens with the first entry of that page, where one layout of the
whole section turns its page too, so that every page but the section's last is as full as in
that one layout (and the same: a year going on in the next piece opens no heading of its own).
The next piece's first entry is known only once the piece before is laid out: the pieces of a
section are laid out one after another (plan.py starts each as soon as the one before is
counted), beside the other section's pieces and the completion of the pieces before. (Laid out
side by side where they were planned, then again where their pages end, they took a second
round of layouts: a whole chronology's more, where one after another it is one page a piece.)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..model import Book, YearGroup

PIECE_EVENTS = 100  # about fifteen A5 pages of events
PIECE_SAYINGS = 50  # about twelve A5 pages of sayings
ENTRY = "data-entry"  # the attribute that numbers a piece's entries in its HTML (pdf_back.html.j2)


@dataclass(frozen=True)
class BackPiece:
    name: str                        # of its part's file
    years: tuple[YearGroup, ...] = ()
    opens_chronology: bool = False   # carries the chronology's heading (and its anchor)
    sayings: tuple[int, int] | None = None  # the book's quotations it lists: [first, last)
    continues_year: bool = False     # its first year began in the piece before (no heading of its own)
    first_event: int = 0             # where its first event stands in the chronology (from 0)
    goes_on: bool = False            # its section goes on in the next piece: its last page is left to it

    @property
    def continues(self) -> bool:
        """Whether it goes on with the section of the piece before (its first is not its own)."""
        return bool(self.years and not self.opens_chronology) or \
            bool(not self.years and self.sayings and not self.opens_sayings)

    @property
    def opens_sayings(self) -> bool:
        return self.sayings is not None and self.sayings[0] == 0

    @property
    def sections(self) -> tuple[str, ...]:
        """The back sections that begin in this part (the first on its first page)."""
        return (("chronology",) if self.opens_chronology else ()) + (("sayings",) if self.opens_sayings else ())

    @property
    def entries(self) -> tuple[int, int]:
        """Its entries, [first, last), counted in its section: events, or sayings if it has no events."""
        if self.years:
            return self.first_event, self.first_event + sum(len(year.events) for year in self.years)
        return self.sayings or (0, 0)

    @property
    def year_firsts(self) -> tuple[int, ...]:
        """Where each of its years' first event stands in the chronology (its entries' numbers)."""
        firsts, at = [], self.first_event
        for year in self.years:
            firsts.append(at)
            at += len(year.events)
        return tuple(firsts)


def _runs(years: tuple[YearGroup, ...], split: bool) -> list[tuple[tuple[YearGroup, ...], bool]]:
    """The years in runs of about PIECE_EVENTS events, each with whether its first year goes
    on from the run before. A run ends between years once it is long enough, or before a year
    that would make it half as long again; a year that would still overrun by half a piece is
    cut inside; a short tail joins the run before it."""
    if not split:
        return [(years, False)] if years else []
    runs: list[tuple[list[YearGroup], bool]] = [([], False)]

    def count() -> int:
        return sum(len(year.events) for year in runs[-1][0])

    for year in years:
        events = year.events
        if count() >= PIECE_EVENTS or (count() >= PIECE_EVENTS // 2
                                       and count() + len(events) > PIECE_EVENTS * 3 // 2):
            runs.append(([], False))
        while len(events) > PIECE_EVENTS - count() + PIECE_EVENTS // 2:
            room = PIECE_EVENTS - count()
            runs[-1][0].append(YearGroup(year.year, events[:room]))
            events = events[room:]
            runs.append(([], True))
        runs[-1][0].append(YearGroup(year.year, events))
    if len(runs) > 1 and count() < PIECE_EVENTS // 2 and not runs[-1][1]:
        tail, _ = runs.pop()
        runs[-1][0].extend(tail)
    return [(tuple(run), continues) for run, continues in runs if run]


def back_pieces(book: Book, split: bool) -> list[BackPiece]:
    """The back matter's parts before the index, in order, as planned: a piece after the first
    of its section opens where the piece before leaves off (`starting_at`), once that is known."""
    years = book.chronology.years if book.chronology and book.chronology.events else ()
    runs, first, pieces = _runs(years, split), 0, []
    for number, (run, continues) in enumerate(runs, start=1):
        pieces.append(BackPiece(f"chronology-{number}", run, number == 1, continues_year=continues,
                                first_event=first, goes_on=number < len(runs)))
        first += sum(len(year.events) for year in run)
    sayings = _sayings_runs(len(book.quotations), split)
    if len(sayings) == 1 and len(pieces) == 1:  # a short back matter: one part (fewer to lay out and join)
        pieces[0] = BackPiece("back", pieces[0].years, True, sayings[0])
    else:
        pieces += [BackPiece(f"sayings-{number}" if len(sayings) > 1 else "sayings", sayings=run,
                             goes_on=number < len(sayings))
                   for number, run in enumerate(sayings, start=1)]
    return pieces


def starting_at(book: Book, piece: BackPiece, start: int) -> BackPiece:
    """The piece opened at entry `start` of its section instead of its own first (where the
    piece before left off: earlier, by the entries of the page it left to this one); it ends
    where it did."""
    first, last = piece.entries
    if start == first:
        return piece
    if piece.sayings is not None and not piece.years:
        return replace(piece, sayings=(start, last))
    years, at, continues = [], 0, False
    for year in book.chronology.years:
        events = year.events[max(start - at, 0):max(last - at, 0)]
        if events:
            continues = continues or (not years and start > at)
            years.append(YearGroup(year.year, events))
        at += len(year.events)
    return replace(piece, years=tuple(years), continues_year=continues, first_event=start)


def where_next_opens(document: Any) -> int | None:
    """The entry a piece's last page opens with (a WeasyPrint document of a piece, its entries
    numbered by ENTRY), where the next piece goes on instead: None if the piece has one page,
    or its last page opens with the rest of an entry begun on the page before (it cannot
    open the next piece)."""
    if len(document.pages) < 2:
        return None
    begun: set[str] = set()
    for page in document.pages[:-1]:
        begun.update(_entries(page))
    first = next(iter(_entries(document.pages[-1])), None)
    return int(first) if first is not None and first not in begun else None


def _entries(page: Any) -> dict[str, None]:
    """The numbers of the entries on a laid-out page, in order (a dict: ordered, no repeats)."""
    return {box.element.get(ENTRY): None for box in page._page_box.descendants()
            if getattr(box, "element", None) is not None and box.element_tag == "li" and box.element.get(ENTRY)}


def _sayings_runs(count: int, split: bool) -> list[tuple[int, int]]:
    """The quotations in runs of PIECE_SAYINGS; a short tail joins the run before it."""
    if not count:
        return []
    if not split:
        return [(0, count)]
    starts = list(range(0, count, PIECE_SAYINGS))
    if len(starts) > 1 and count - starts[-1] < PIECE_SAYINGS // 2:
        starts.pop()
    return [(start, end) for start, end in zip(starts, [*starts[1:], count])]
