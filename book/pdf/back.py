"""The PDF's back matter in parts: the chronology, then the sayings (in one part when both
are short).

A long chronology is cut into pieces of about PIECE_EVENTS events, laid out side by side like
the chapters: between years where it can, inside a year too long for one piece (so that no
piece is much longer than the others: a piece's layout is what a rebuild waits for, and
what a child process holds in memory). Each piece after the first opens a page with its year
(marked as continued when the year began in the piece before), under the chronology's running
head. A long list of sayings goes in pieces of PIECE_SAYINGS the same way. Only where parts
may open on either side (the screen PDF): in print a part opens on a recto, and a blank verso
in the middle of the chronology is worse than a slower build.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Book, YearGroup

PIECE_EVENTS = 100  # about fifteen A5 pages of events
PIECE_SAYINGS = 50  # about twelve A5 pages of sayings


@dataclass(frozen=True)
class BackPiece:
    name: str                        # of its part's file
    years: tuple[YearGroup, ...] = ()
    opens_chronology: bool = False   # carries the chronology's heading (and its anchor)
    sayings: tuple[int, int] | None = None  # the book's quotations it lists: [first, last)
    continues_year: bool = False     # its first year began in the piece before

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
    """The back matter's parts before the index, in order."""
    years = book.chronology.years if book.chronology and book.chronology.events else ()
    pieces = [BackPiece(f"chronology-{number}", run, number == 1, continues_year=continues)
              for number, (run, continues) in enumerate(_runs(years, split), start=1)]
    runs = _sayings_runs(len(book.quotations), split)
    if len(runs) == 1 and len(pieces) == 1:  # a short back matter: one part (fewer to lay out and join)
        pieces[0] = BackPiece("back", pieces[0].years, True, runs[0])
    else:
        pieces += [BackPiece(f"sayings-{number}" if len(runs) > 1 else "sayings", sayings=run)
                   for number, run in enumerate(runs, start=1)]
    return pieces


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
