"""The PDF's back matter in parts: the chronology, then the sayings (in one part when the
chronology is short).

A long chronology is cut between years into pieces of about PIECE_EVENTS events, laid out side
by side like the chapters; each piece after the first opens a page with its year, under the
chronology's running head. Only where parts may open on either side (the screen PDF): in
print a part opens on a recto, and a blank verso in the middle of the chronology is worse than
a slower build.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Book, YearGroup

PIECE_EVENTS = 150  # about thirty A5 pages of events


@dataclass(frozen=True)
class BackPiece:
    name: str                        # of its part's file
    years: tuple[YearGroup, ...] = ()
    opens_chronology: bool = False   # carries the chronology's heading (and its anchor)
    sayings: bool = False

    @property
    def sections(self) -> tuple[str, ...]:
        """The back sections that begin in this part (the first on its first page)."""
        return (("chronology",) if self.opens_chronology else ()) + (("sayings",) if self.sayings else ())


def _year_runs(years: tuple[YearGroup, ...], split: bool) -> list[tuple[YearGroup, ...]]:
    """Consecutive years in runs of at least PIECE_EVENTS events; a short tail joins the run
    before it."""
    if not split:
        return [years] if years else []
    runs: list[list[YearGroup]] = [[]]
    for year in years:
        if sum(len(y.events) for y in runs[-1]) >= PIECE_EVENTS:
            runs.append([])
        runs[-1].append(year)
    if len(runs) > 1 and sum(len(y.events) for y in runs[-1]) < PIECE_EVENTS // 2:
        tail = runs.pop()
        runs[-1] += tail
    return [tuple(run) for run in runs if run]


def back_pieces(book: Book, split: bool) -> list[BackPiece]:
    """The back matter's parts before the index, in order."""
    years = book.chronology.years if book.chronology and book.chronology.events else ()
    pieces = [BackPiece(f"chronology-{number}", run, number == 1)
              for number, run in enumerate(_year_runs(years, split), start=1)]
    if book.quotations and len(pieces) == 1:  # a short back matter: one part (fewer to lay out and join)
        pieces[0] = BackPiece("back", pieces[0].years, True, True)
    elif book.quotations:
        pieces.append(BackPiece("sayings", sayings=True))
    return pieces
