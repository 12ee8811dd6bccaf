"""The book set in parts: which parts, and when each can be set and placed.

Run in a process of its own (editions.py joins and finishes what it writes). The book is set in
parts, each written as a PDF of its own and joined at the end (join.py), each part in a forked
child of its own (jobs.py) while this process only renders HTML and counts pages: first the
front matter's length (layouts that only count: a long contents in pieces, front.py) and the
chapters' parts (body.py) side by side, each placed once the parts before it are counted; then,
with the pages the chapters' words landed on, the back matter (a long chronology and list of
sayings in pieces, back.py: each piece of a section laid out as soon as the one before it is
counted, where it leaves off; a section after the first once the pieces before it are counted)
and, last, the index (index.py: set beside the last of them, completed alone, written in files
of a few pages); and the front matter again, its contents now knowing every page. Parts an
earlier build set from the same sources come from the cache (cache.py) instead;
and while a rebuild lays out the chapters an edit changed, the back pieces that would change too
are laid out beside them from the pages the last build's chapters gave and the entries its pieces
opened with (a guess, kept where the back matter's HTML comes out the same once the chapters
are placed, dropped where it does not).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from weasyprint.document import Document

from .. import arabic
from ..backmatter import back_sections
from ..model import Book, PageBreak
from ..load.digest import layout_digest
from . import cache as part_cache
from .back import BackPiece, back_pieces, starting_at, where_next_opens
from .body import TEMPLATE as BODY
from .body import body_page_starts, group_chapters
from .cache import PartCache
from .design import PdfDesign, parts_set_in_place
from .fixups import LocatorRuns, can_renumber, first_pages, link_locators, renumber
from .front import front_pieces
from .index import set_index_in_columns
from .jobs import Job, Pool
from .parts import PagedBook, PlacedPart
from .typesetter import INDEX, Typesetter

# The index's PDF is written (and joined) in files of this many pages: thousands of locator
# links make it the densest part, and the memory of a write, or of a join's copying, grows with
# the objects of the file at hand.
INDEX_FILE_PAGES = 10
INDEX_BESIDE = 4  # the index is laid out once this many back pieces at most are left to count (its
# layout takes about as long as four pieces': it ends about when they are counted and completed)


def _page_breaks(book: Book, anchor_pages: dict[str, int], front: PlacedPart, body_pages: int,
                 total: int, starts: dict[int, tuple[str, str | None, int | None]]) -> tuple[PageBreak, ...]:
    digits = book.meta.digits
    front_pages = front.pages
    toc_page = front.anchor_pages.get("toc", front_pages)
    sections = sorted((anchor_pages[s.id], s.id) for s in back_sections(book) if s.id in anchor_pages)
    breaks, last = [], None
    for number in range(1, total + 1):
        label = arabic.number(number, digits)
        if number <= front_pages:
            breaks.append(PageBreak(number, label, "toc" if number >= toc_page else "titlepage"))
        elif number <= front_pages + body_pages:
            start = starts.get(number)
            if start is None:  # a blank page: it begins where the next page does
                start = next((starts[n] for n in range(number + 1, front_pages + body_pages + 1) if n in starts), last)
            last = start
            chapter, block, offset = start if start else (book.chapters[-1].slug, None, None)
            breaks.append(PageBreak(number, label, "chapter", chapter, block, offset))
        else:
            section = [s for first, s in sections if first <= number] or [s for _, s in sections[:1]]
            breaks.append(PageBreak(number, label, section[-1] if section else "index"))
    return tuple(breaks)


@dataclass(eq=False)
class Slot:
    """One part in book order: what identifies it in the cache, and once known, its length,
    its job (if it is laid out) and what it came to."""

    name: str
    key: str = ""
    facts: dict | None = None  # from the cache: its length (and more) without a layout
    job: Job | None = None
    pages: int | None = None
    part: PlacedPart | None = None
    make_job: Callable[[int | None], None] | None = None  # gives it a job, at a first page if known
    early: PlacedPart | None = None  # a guess's part, completed before the slot was planned

    @property
    def state(self) -> str:
        if self.part is not None:
            return "placed"
        if self.job is not None:
            return "laid out, waiting for its page" if self.pages is not None else "being laid out"
        return "counted (cache)" if self.facts is not None else "not started"


@dataclass(frozen=True)
class PieceCount:
    """What a back piece's layout reports: its length, and (a piece whose section goes on)
    the entry the next piece opens with."""

    pages: int
    goes_on: int | None = None


@dataclass(eq=False)
class Guess:
    """A back piece laid out before the chapters' pages are known, from the HTML the last
    build's pages (and where its pieces opened) give it; its length once counted."""

    html: str
    job: Job
    pages: int | None = None
    part: PlacedPart | None = None  # completed at the first page the guess was given
    goes_on: int | None = None  # with its length


def _piece_sources(piece: BackPiece, html: str) -> tuple[str, ...]:
    """What a back piece's layout is known by in the cache: its HTML, and whether it leaves its
    last page to a next piece (the same HTML ends the section when no piece follows)."""
    return (html, "goes on" if piece.goes_on else "ends")


def place_part(layout: Typesetter, document: Document, laid_at: int, first_page: int, target: Path | None,
              relay: Callable[[int], Document], extra: Callable[[Document, dict[str, int]], dict] | None = None,
              multiple: int = 1, file_pages: int | None = None, continues: bool = False) -> PlacedPart:
    """A part laid out at `laid_at`, placed at `first_page`: folios set again (or, where this
    cannot be done, laid out again there by `relay`), anchors found, `extra` steps (they may
    add anchors, and give where pages begin), blank pages to a multiple of `multiple` pages
    counted from the book's first, and written (in files of `file_pages` pages, if given;
    `continues`: it goes on with the section of the part before)."""
    if laid_at != first_page:
        if can_renumber(document):
            renumber(document, first_page, layout.book.meta.digits)
        else:
            document = relay(first_page)
    anchors = first_pages(document, first_page)
    starts = extra(document, anchors) if extra else {}
    pages = layout.pages_of(document)
    while (first_page - 1 + len(pages)) % multiple:
        pages.append(layout.filler())
    written = layout.write(document.copy(pages), target, file_pages, continues) if target else ()
    return PlacedPart(len(pages), anchors, written, starts)


class Plan:
    """Which parts the book is laid out in, and when each can be: the front matter's length
    first (a layout that only counts), the chapters' parts at once, the back matter and index
    once the chapters are placed (their page numbers are in them), the front matter again once
    every section's first page is known. Parts go to the pool as they can; the first page of
    each follows from the lengths before it."""

    FRONT, BACK, INDEX = "pdf_front.html.j2", "pdf_back.html.j2", INDEX

    def __init__(self, layout: Typesetter, pool: Pool, cache: PartCache | None, folder: Path | None,
                 page_multiple: int, in_place: bool):
        self.layout, self.pool, self.cache, self.folder = layout, pool, cache, folder
        self.page_multiple = page_multiple
        self.in_place = in_place  # parts laid out at their real first page, one after another
        # The page each anchor landed on, as far as known: the chapters' once they are placed
        # (the back matter's and index's locators), every section's at the end (the contents).
        self.anchor_pages: dict[str, int] = {}
        book = layout.book
        # Long contents and back matter in pieces (front.py, back.py), where parts may
        # open on either side and are not set in place.
        self.split = not layout.design.parts_open_on_recto and not in_place
        self.front_pieces = front_pieces(book, self.split)
        self.fronts: list[Slot] = []  # counted first (with stand-in page numbers), laid out again last
        for piece in self.front_pieces:
            html = layout.html(self.FRONT, self.anchor_pages, piece=piece)
            slot = self._slot(piece.name, "front pages", html)
            slot.make_job = lambda page, slot=slot, html=html: self._count_job(slot, html)
            self.fronts.append(slot)
        self.groups = group_chapters(book)
        self.body = [self._slot(f"body-{index:03d}", BODY, repr(book.meta), str(book.built), repr(group))
                     for index, group in enumerate(self.groups)]
        self.slots: list[Slot] = [*self.fronts, *self.body]
        for index, slot in enumerate(self.body):
            slot.make_job = lambda page, index=index: self._body_job(index, page)
        self.back: list[Slot] | None = None   # once the chapters are placed
        self.pieces: dict[str, BackPiece] = {}  # as planned, then as opened (back.starting_at)
        self.index: Slot | None = None
        self.final_fronts: list[Slot] | None = None  # the pieces' second layouts, once planned
        self.set_again: dict[int, Slot] = {}  # those planned so far, by piece
        # A rebuild's guess: the back pieces laid out beside the edited chapters, from the pages
        # the last build's chapters put their anchors on; kept where the guess proves right.
        self.last_body_anchors = cache.body_anchors() if cache and pool.fork and not in_place else None
        self.guesses: dict[str, Guess] | None = None  # not yet planned, by piece name
        self.guessed_lengths: list[tuple[Guess | None, int | None]] = []  # the back pieces in order
        self.body_anchors: dict[str, int] = {}  # this build's, once the chapters are placed

    def _slot(self, name: str, kind: str, *sources: str) -> Slot:
        if not self.cache:
            return Slot(name)
        key = self.cache.key(kind, *sources)
        facts = self.cache.facts(key)
        return Slot(name, key, facts, pages=facts["pages"] if facts else None)

    def _target(self, slot: Slot) -> Path | None:
        return self._target_of(slot.name)

    def _target_of(self, name: str) -> Path | None:
        return self.folder / f"{name}.pdf" if self.folder else None

    def first_page(self, slot: Slot) -> int | None:
        page = 1
        for before in self.slots[:self.slots.index(slot)]:
            if before.pages is None:
                return None
            page += before.pages
        return page

    # The jobs.
    def _job(self, slot: Slot, typeset: Callable[[int], tuple[object, int]],
             complete: Callable[[object, int, int], PlacedPart], first_page: int | None = None,
             alone: bool = False) -> None:
        slot.job = Job(slot.name, typeset, complete, first_page, alone)
        self.pool.add(slot.job)

    def _count_job(self, slot: Slot, html: str) -> None:
        layout = self.layout

        def typeset(_page: int) -> tuple[None, int]:
            return None, layout.length(layout.typeset(self.FRONT, html, 1))
        slot.job = Job(f"{slot.name}-count", typeset, None)
        self.pool.add(slot.job)

    def _body_job(self, index: int, first_page: int | None = None) -> None:
        layout, group, slot = self.layout, self.groups[index], self.body[index]

        def typeset(page: int) -> tuple[tuple[Document, str], int]:
            html = layout.html(BODY, self.anchor_pages, place_anchors=True, chapters=group)
            document = layout.typeset(BODY, html, page)
            return (document, html), layout.length(document)

        def complete(laid: tuple[Document, str], laid_at: int, first_page: int) -> PlacedPart:
            document, html = laid
            return place_part(layout, document, laid_at, first_page, self._target(slot),
                             lambda page: layout.typeset(BODY, html, page),
                             lambda document, anchors: body_page_starts(layout.book, document, first_page, anchors))
        self._job(slot, typeset, complete, first_page)

    def _html_part(self, name: str, template: str, html: str, first_page: int | None = None,
                   alone: bool = False, continues: bool = False) -> Job:
        layout = self.layout

        def typeset(page: int) -> tuple[Document, int]:
            document = layout.typeset(template, html, page)
            return document, layout.length(document)

        def complete(document: Document, laid_at: int, first_page: int) -> PlacedPart:
            return place_part(layout, document, laid_at, first_page, self._target_of(name),
                             lambda page: layout.typeset(template, html, page), continues=continues)
        return Job(name, typeset, complete, first_page, alone)

    def _html_job(self, slot: Slot, template: str, html: str, first_page: int | None = None,
                  alone: bool = False, continues: bool = False) -> None:
        slot.job = self._html_part(slot.name, template, html, first_page, alone, continues)
        self.pool.add(slot.job)

    def _back_part(self, piece: BackPiece, html: str, first_page: int | None = None) -> Job:
        """A back piece's job. A piece whose section goes on leaves its last page to the next
        piece (which opens with that page's first entry, laid out as soon as this one is
        counted); it waits aside once laid out (the next piece takes its slot)."""
        layout = self.layout

        def laid_out(page: int) -> tuple[Document, int | None]:
            document = layout.typeset(self.BACK, html, page)
            if not piece.goes_on:
                return document, None
            goes_on = where_next_opens(document)
            if goes_on is None:  # one page, or no entry opens its last: the next opens where planned
                return document, piece.entries[1]
            return document.copy(document.pages[:-1]), goes_on

        def typeset(page: int) -> tuple[tuple[Document, int | None], PieceCount]:
            document, goes_on = laid_out(page)
            return (document, goes_on), PieceCount(layout.length(document), goes_on)

        def complete(laid: tuple[Document, int | None], laid_at: int, first_page: int) -> PlacedPart:
            document, goes_on = laid
            part = place_part(layout, document, laid_at, first_page, self._target_of(piece.name),
                              lambda page: laid_out(page)[0], continues=piece.continues)
            return replace(part, goes_on=goes_on)
        return Job(piece.name, typeset, complete, first_page, aside=self.split)

    def _index_job(self, slot: Slot, columns: str, runs: LocatorRuns, first_page: int | None = None) -> None:
        layout = self.layout

        def index_at(page: int) -> Document:
            """Laid out, its locators linked (where they landed does not depend on the page
            it opens: done with the layout, not in the completion, which runs alone)."""
            def render(mode: str, frames: int, page_css: str = "") -> Document:
                html = columns if mode == "columns" else layout.html(self.INDEX, self.anchor_pages, mode=mode, frames=frames)
                return layout.typeset(self.INDEX, html, page, page_css)
            document = set_index_in_columns(render)
            link_locators(document, runs)
            return document

        def typeset(page: int) -> tuple[Document, int]:
            document = index_at(page)
            return document, layout.length(document)

        def complete(document: Document, laid_at: int, first_page: int) -> PlacedPart:
            return place_part(layout, document, laid_at, first_page, self._target(slot), index_at,
                             multiple=self.page_multiple, file_pages=INDEX_FILE_PAGES)
        self._job(slot, typeset, complete, first_page, alone=True)  # the largest write of all

    # Moving on.
    def start(self) -> None:
        for slot in self.fronts + ([] if self.in_place else self.body):
            if slot.facts is None:
                slot.make_job(None)
        self.settle()

    def settle(self) -> None:
        """Every part whose first page is known now gets it, from the cache or from its job;
        the next stage is planned once the parts before it are placed."""
        page = 1
        for slot in self.slots:
            if slot not in self.fronts:
                if slot.make_job is None:  # a back piece not opened yet: where it opens is not known
                    break
                if slot.part is None and slot.job is not None and slot.job.first_page not in (None, page):
                    self.pool.cancel(slot.job)  # a guess placed where the book no longer puts it
                    slot.job, slot.pages, slot.early = None, None, None
                    slot.make_job(page)
                elif slot.part is None and slot.early is not None:
                    self._keep(slot, slot.early)
                elif slot.part is None and slot.job is not None:
                    self.pool.place(slot.job, page)
                elif slot.part is None:
                    found = self.cache.find(slot.key, page, self.folder is not None, slot.facts) \
                        if self.cache and slot.facts else None
                    if found:
                        slot.part = found
                    else:  # counted by the cache but not written at this page (or set in place)
                        slot.make_job(page)
            if slot.pages is None:
                break
            page += slot.pages
        if self.back is None and all(slot.part for slot in self.body):
            self._plan_back()
            self.settle()
        elif self.back is None and self.guesses is None and self.last_body_anchors is not None \
                and any(slot.job for slot in self.body):
            self._guess_back()
        if self.back is None and self.guesses:
            self._place_guesses()
        elif self.back is not None and self.final_fronts is None and self._sections_placed():
            self._plan_front()

    def _sections_placed(self) -> bool:
        """Whether every section's first page is known: the back parts counted, and those that
        hold a second section laid out to the end (it begins somewhere inside)."""
        return all(slot.pages is not None for slot in self.slots if slot is not self.index) and \
            all(slot.part is not None for slot in self.back if len(self.pieces[slot.name].sections) > 1)

    def _plan_back(self) -> None:
        layout, book = self.layout, self.layout.book
        for slot in self.body:
            for anchor, number in slot.part.anchor_pages.items():
                self.anchor_pages.setdefault(anchor, number)
        self.body_anchors = dict(self.anchor_pages)
        self.pieces = {piece.name: piece for piece in back_pieces(book, self.split)}
        self.back = [Slot(name) for name in self.pieces]
        for name in set(self.guesses or {}) - set(self.pieces):  # pieces the book no longer has
            self.pool.cancel(self.guesses.pop(name).job)
        self._open_sections()
        if any(section.id == "index" for section in back_sections(book)):
            columns, runs = layout.index_html(self.anchor_pages)
            # Where each locator links is not all in the HTML: the runs are part of its key.
            self.index = self._slot("index", self.INDEX, columns, repr(runs.runs), str(self.page_multiple))
            self.index.pages = None  # its length (fillers) depends on where it starts
            self.index.make_job = lambda page: self._index_job(self.index, columns, runs, page)
        self.slots += self.back + ([self.index] if self.index else [])
        self._lay_out_index()
        for number, piece in enumerate(self.front_pieces):  # all it lists is placed: set now, beside
            if not piece.closes:  # the back matter's pieces (they leave a core free, one after another)
                self._set_front_again(number)

    def _lay_out_index(self) -> None:
        """The index is laid out last, once INDEX_BESIDE back pieces at most are left to count:
        beside the last pieces (and the contents), it completes alone, about when they are
        counted and completed. Laid out earlier, it held its layout while two others ran, or
        while a section's pieces were laid out one after another."""
        if self.index and not self.in_place and self.index.facts is None and self.index.job is None \
                and sum(slot.pages is None for slot in self.back) <= INDEX_BESIDE:
            self.index.make_job(None)

    def _open_sections(self, first: bool = False) -> None:
        """A section's first piece opens where planned; a later section's (the sayings after the
        chronology) once every piece before it is counted: opened at once, it was laid out in a
        second and waited, holding its layout, for the first page the chronology's pieces give one
        after another (beside them and the index's layout: the build's peak memory)."""
        left = 0  # the pieces before, not counted yet
        for slot in self.back:
            piece = self.pieces[slot.name]
            if not piece.continues and slot.make_job is None:
                if left and self.pool.fork and not self.in_place:
                    return
                self._open(slot, piece, first)
            left += slot.pages is None

    def _open(self, slot: Slot, piece: BackPiece, first: bool = False) -> None:
        """A back piece, once where it opens is known: its HTML, what the cache knows of it, its
        job (or a guess's that proved right; `first`: ahead of the jobs queued, the book waits on
        it); a piece whose section goes on and whose next entry is known already (kept, or a
        guess counted) opens the next at once."""
        self.pieces[slot.name] = piece
        html = self.layout.html(self.BACK, self.anchor_pages, piece=piece)
        known = self._slot(piece.name, self.BACK, *_piece_sources(piece, html))
        slot.key, slot.facts, slot.pages = known.key, known.facts, known.pages
        slot.make_job = lambda page: self._back_job(slot, piece, html, page)
        goes_on = slot.facts.get("goes_on") if slot.facts else None
        guess = (self.guesses or {}).pop(piece.name, None)
        if guess is not None and guess.html == html and slot.facts is None:  # guessed right
            slot.job, slot.pages, slot.early, goes_on = guess.job, guess.pages, guess.part, guess.goes_on
        elif guess is not None:
            self.pool.cancel(guess.job)
        if not self.in_place and slot.facts is None and slot.job is None:
            self._back_job(slot, piece, html, None, first)
        if goes_on is not None:
            self._open_next(slot, goes_on, first)
        self._lay_out_index()

    def _open_next(self, slot: Slot, goes_on: int, first: bool) -> None:
        following = self.back[self.back.index(slot) + 1]
        if following.make_job is None:  # not opened already (from what the cache knew of this one)
            self._open(following, starting_at(self.layout.book, self.pieces[following.name], goes_on), first)

    def _back_job(self, slot: Slot, piece: BackPiece, html: str, first_page: int | None, first: bool = False) -> None:
        slot.job = self._back_part(piece, html, first_page)
        self.pool.add(slot.job, first)

    def _guess_back(self) -> None:
        """While the edited chapters are laid out again, the back pieces that the last build's
        pages would change are laid out beside them (the chronology quotes the chapters: an
        edit changes its pieces too); _plan_back keeps each whose HTML comes out the same."""
        layout, self.guesses, self.guessed_lengths = self.layout, {}, []
        starts, last = self.cache.back_starts() or {}, None
        for piece in back_pieces(layout.book, self.split):
            if piece.continues:  # where the last build opened it, if that can be right still
                start = starts.get(piece.name)
                if not isinstance(start, int) or last is None or not last < start <= piece.entries[0]:
                    self.guessed_lengths.append((None, None))
                    last = None
                    continue
                piece = starting_at(layout.book, piece, start)
            last = piece.entries[0]
            try:
                html = layout.html(self.BACK, self.last_body_anchors, piece=piece)
            except KeyError:  # it links to a place the last build did not have (a new event): no guess
                for guess in self.guesses.values():
                    self.pool.cancel(guess.job)
                self.guesses, self.guessed_lengths = {}, []
                return
            facts = self.cache.facts(self.cache.key(self.BACK, *_piece_sources(piece, html)))
            if facts is not None:  # kept already: found again if the guess is right
                self.guessed_lengths.append((None, facts["pages"]))
                continue
            job = self._back_part(piece, html)
            self.guesses[piece.name] = Guess(html, job)
            self.guessed_lengths.append((self.guesses[piece.name], None))
            self.pool.add(job)

    def _guess_of(self, job: Job) -> Guess | None:
        """The guess not yet planned whose job this is, if any."""
        return next((guess for guess in (self.guesses or {}).values() if guess.job is job), None)

    def _place_guesses(self) -> None:
        """Guessed pieces get the first pages the chapters' lengths and the guessed pieces'
        give them, to complete beside the edited chapters' (settle checks each page again once
        the back matter is planned)."""
        page = 1
        for slot in self.slots:  # the front matter and the chapters
            if slot.pages is None:
                return
            page += slot.pages
        for guess, pages in self.guessed_lengths:
            if guess is not None:
                if guess.job.first_page is None:
                    self.pool.place(guess.job, page)
                pages = guess.pages
            if pages is None:
                return
            page += pages

    def _plan_front(self) -> None:
        """The contents once every section's first page is known (the index's too): the pieces
        not set again yet (the one listing the back matter)."""
        for slot in self.back:  # the first section of a part opens its first page
            for number, section in enumerate(self.pieces[slot.name].sections):
                self.anchor_pages[section] = self.first_page(slot) if number == 0 else slot.part.anchor_pages[section]
        if self.index:
            self.anchor_pages["index"] = self.first_page(self.index)
        for number in range(len(self.front_pieces)):
            if number not in self.set_again:
                self._set_front_again(number)
        self.final_fronts = [self.set_again[number] for number in range(len(self.front_pieces))]

    def _set_front_again(self, number: int) -> None:
        """A front piece's second layout, with the pages every entry it lists landed on."""
        piece, counted = self.front_pieces[number], self.fronts[number]
        html, page = self.layout.html(self.FRONT, self.anchor_pages, piece=piece), self.first_page(counted)
        slot = Slot(piece.name, self.cache.key(self.FRONT, html, str(page)) if self.cache else "", pages=counted.pages)
        slot.part = self.cache.find(slot.key, page, self.folder is not None) if self.cache else None
        if slot.part is None:  # a long book's contents in one piece (print) is large: it lays out alone
            self._html_job(slot, self.FRONT, html, first_page=page, alone=len(self.fronts) == 1)
        self.set_again[number] = slot

    def done(self, job: Job, part: PlacedPart) -> None:
        final = next((slot for slot in self.set_again.values() if slot.job is job), None)
        if final is not None:
            if part.pages != final.pages:
                raise RuntimeError("the front matter changed length once page numbers were known")
            final.part = part
            if self.cache:
                self.cache.keep_part(final.key, job.first_page, part)
            return
        guess = self._guess_of(job)
        if guess is not None:  # completed before the back matter was planned: kept for it
            guess.part = part
            return
        self._keep(next(slot for slot in self.slots if slot.job is job), part)

    def _keep(self, slot: Slot, part: PlacedPart) -> None:
        slot.part, slot.pages = part, part.pages
        if self.cache:
            self.cache.keep_part(slot.key, self.first_page(slot), part)

    def counted(self, job: Job, count: int | PieceCount) -> None:
        pages, goes_on = (count.pages, count.goes_on) if isinstance(count, PieceCount) else (count, None)
        front = next((slot for slot in self.fronts if slot.job is job), None)
        if front is not None:
            front.pages = pages
            if self.cache:
                self.cache.keep_part(front.key, 1, PlacedPart(pages, {}))
            return
        slot = next((slot for slot in self.slots if slot.job is job), None)
        if slot is not None and slot is not self.index:
            slot.pages = pages
            if goes_on is not None:  # the next piece of its section opens where it leaves off
                self._open_next(slot, goes_on, first=True)
            if self.back is not None:
                self._open_sections(first=True)
                self._lay_out_index()
        guess = self._guess_of(job)
        if guess is not None:  # counted before the chapters were placed: kept for _plan_back
            guess.pages, guess.goes_on = pages, goes_on

    def run(self) -> None:
        self.start()
        for kind, job, value in self.pool.events():
            if kind == "pages":
                self.counted(job, value)
            else:
                self.done(job, value)
            self.settle()
        if self.final_fronts is None or any(slot.part is None for slot in self.final_fronts):
            raise RuntimeError(f"the layout ended before every part was placed:\n{self}")

    def __str__(self) -> str:
        """The plan as it stands, one part a line: name, first page, length, state."""
        lines = []
        for slot in [*self.slots, *(self.final_fronts or ())]:
            counted = slot if slot in self.slots else self.fronts[(self.final_fronts or []).index(slot)]
            first = self.first_page(counted)
            state = "counted, set again below" if slot in self.fronts and self.final_fronts else slot.state
            lines.append(f"{slot.name:<16} first page {first if first is not None else '?':>5}  "
                         f"pages {slot.pages if slot.pages is not None else '?':>5}  {state}")
        return "\n".join(lines)


def set_in_parts(book: Book, design: PdfDesign, page_multiple: int = 1,
            keep_html: Callable[[str, str], None] | None = None, folder: Path | None = None,
            workers: int | None = None, cache: Path | None = None, reuse: bool = True,
            pad_to: tuple[int, int] = (1, 0)) -> PagedBook:
    """The book laid out, the page each anchor landed on, and where each page begins; its
    parts written in `folder` to be joined, if one is given. `pad_to` (a multiple, a least
    count): blank pages added at the end for a printer, beyond the book's own (`page_multiple`,
    which parts keep); the EPUB's page-list knows only the book's own. With `workers` > 1 (default: one
    per core), parts are laid out in forked children (book/pdf/jobs.py), else here. With
    `cache` (a folder), parts laid out by an earlier build from the same sources are reused
    (unless `reuse` is false) and this build's parts are kept there."""
    layout = Typesetter(book, design, keep_html)
    started = part_cache.now()
    in_place = parts_set_in_place(book, design)
    parts_cache = PartCache(cache / design.name, f"{layout_digest(book)}\0{design!r}", reuse) \
        if cache and not in_place else None  # in place, what a part's layout says depends on where it stands
    # Children forked after the warm-up find the renderer set up (the first ones set it up
    # themselves, while it runs here).
    pool = Pool(1 if in_place else workers or os.cpu_count() or 1, meanwhile=layout.warm_up)
    plan = Plan(layout, pool, parts_cache, folder, page_multiple, in_place)
    try:
        plan.run()
    except BaseException:
        pool.stop()
        raise
    slots = [slot for slot in plan.slots if slot not in plan.fronts]
    anchor_pages = plan.anchor_pages
    for slot in slots:
        for anchor, number in slot.part.anchor_pages.items():
            anchor_pages.setdefault(anchor, number)
    fronts = [slot.part for slot in plan.final_fronts]
    front = PlacedPart(sum(part.pages for part in fronts),
                     {anchor: number for part in fronts for anchor, number in part.anchor_pages.items()},
                     tuple(file for part in fronts for file in part.written))
    for anchor, number in front.anchor_pages.items():
        anchor_pages.setdefault(anchor, number)
    total = front.pages + sum(slot.part.pages for slot in slots)
    written = [file for part in (front, *(slot.part for slot in slots)) for file in part.written]
    fillers = []
    while total % page_multiple:  # no index to end on them: printers want an even count, or a multiple of 4
        fillers.append(layout.filler())
        total += 1
    own = total
    multiple, least = pad_to
    while total % multiple or total < least:
        fillers.append(layout.filler())
        total += 1
    if folder and fillers:
        written += layout.write(layout.blank().copy(fillers), folder / "end.pdf")
    starts = {page: start for slot in plan.body for page, start in slot.part.starts.items()}
    body_pages = sum(slot.part.pages for slot in plan.body)
    breaks = _page_breaks(book, anchor_pages, front, body_pages, own, starts)
    if parts_cache and folder:  # what this edition's build did not use is of no more use
        parts_cache.keep_body_anchors(plan.body_anchors)
        parts_cache.keep_back_starts({name: piece.entries[0] for name, piece in plan.pieces.items()})
        parts_cache.prune(started)
    return PagedBook(tuple(written), total, anchor_pages, breaks, padding=total - own)
