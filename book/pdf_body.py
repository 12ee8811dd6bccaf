"""The chapters laid out in parts, side by side in forked workers, each part written on its own.

Chapters are grouped into parts of about PART_CHARACTERS characters (the grouping depends on
the book alone, so every way of building gives the same parts and the same bytes). Workers
are handed parts in book order as they come free; a worker lays its part out with a
provisional first page and reports its length; this process adds the lengths up in book
order and sends each part its real first page; the worker then sets the folios again
(book/folios.py), finds the anchors on the pages, writes the part and lets its layout go.
So each worker holds one part's layout at a time, and a part waits only for the lengths of
the parts before it. Parts an earlier build laid out from the same HTML come from the cache
(book/part_cache.py) instead. Where the stylesheets tell pages apart by number (`:nth()`),
or by side while parts may open on either side, parts are laid out in place, one by one.
"""

from __future__ import annotations

import heapq
import os
import re
import signal
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from weasyprint.document import Document

from .folios import can_renumber, renumber
from .forked import die_with_parent, relay_warnings, replay
from .model import Book, Chapter
from .pdf_anchors import block_lines, chapter_page_starts, first_pages, place_anchors
from .part_cache import LaidPart, PartCache

if TYPE_CHECKING:
    from .pdf import _Layout

PART_CHARACTERS = 40_000  # about twenty A5 pages: what one worker lays out before writing
MIN_PARTS = 4             # a short book still spreads over the cores
PROVISIONAL_PAGE = 1      # odd: a part laid out before its place is known opens on a recto
TEMPLATE = "pdf_body.html.j2"

Group = list[tuple[int, Chapter]]  # (number in the book, chapter)


def group_chapters(book: Book) -> list[Group]:
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


def _complete(layout: "_Layout", html: str, document: Document, first_page: int,
              target: Path | None) -> LaidPart:
    """The part at its real place: folios, anchors, where each page begins; written."""
    if can_renumber(document):
        renumber(document, first_page)
    else:  # a folio this module cannot set again: lay the part out once more, in place
        document = layout.lay_out_html(TEMPLATE, html, first_page)
    anchors = first_pages(document, first_page)
    lines = block_lines(document)
    for anchor, index in place_anchors(layout.book, document, lines).items():
        anchors[anchor] = first_page + index
    starts = {first_page + index: start for index, start in chapter_page_starts(layout.book, lines).items()}
    pages = layout.pages_of(document)
    written = layout.write(document.copy(pages), target) if target else None
    return LaidPart(len(pages), anchors, written, starts)


# Page rules that tell pages apart by side or by number: a part laid out before its place is
# known would get them wrong, unless every part opens on a recto (then only numbers differ).
_SIDE_RULE = re.compile(r"@page[^{]*:(left|right|recto|verso)\b")
_NUMBER_RULE = re.compile(r"@page[^{]*:nth\(")


def _laid_out_in_place(layout: "_Layout") -> bool:
    """Whether parts must be laid out at their real first page (so one after another)."""
    sources = [layout.book.styles[name].read_text(encoding="utf-8") for name in layout.design.stylesheets]
    sources.append(layout.design.page_css)
    if any(_NUMBER_RULE.search(source) for source in sources):
        return True
    return not layout.design.parts_open_on_recto and any(_SIDE_RULE.search(source) for source in sources)


def _cached(cache: PartCache | None, key: str, facts: dict | None, first_page: int,
            writing: bool) -> LaidPart | None:
    return cache.find(key, first_page, writing, facts) if cache and facts else None


def _part_file(folder: Path | None, index: int) -> Path | None:
    return folder / f"body-{index:03d}.pdf" if folder else None


def lay_out_chapters(layout: "_Layout", find_first_page: Callable[[], int], folder: Path | None, workers: int,
                     cache: PartCache | None = None) -> list[LaidPart]:
    """Every part of the body, in order; written into `folder` when one is given. Parts the
    cache holds (at the page they now start on) are not laid out again. `find_first_page()`
    (the front matter's first pass) runs here while the workers begin."""
    groups = group_chapters(layout.book)
    in_place = _laid_out_in_place(layout)
    if in_place:
        cache = None  # what a part's layout says would then depend on where it stands
    # A part's HTML follows from its chapters (their words and anchors), the book's metadata and
    # the templates (in the cache's salt), so those are its key: rendering every part's HTML
    # here, to look parts up, cost as much as a worker laying one out.
    book = layout.book
    keys = [cache.key(TEMPLATE, repr(book.meta), str(book.built), repr(group)) for group in groups] \
        if cache else [""] * len(groups)
    known = [cache.facts(key) if cache else None for key in keys]
    laid_out: set[int] = set()
    workers = 1 if in_place else min(workers, len(groups))
    if workers <= 1 or not hasattr(os, "fork"):
        first_page = find_first_page()
        parts: list[LaidPart] = []
        page = first_page
        for index, group in enumerate(groups):  # the same steps as a worker's, in this process
            part = _cached(cache, keys[index], known[index], page, folder is not None)
            if part is None:
                html = _html(layout, group)
                document = layout.lay_out_html(TEMPLATE, html, page if in_place else PROVISIONAL_PAGE)
                part = _complete(layout, html, document, page, _part_file(folder, index))
                laid_out.add(index)
            parts.append(part)
            page += part.pages
    else:
        parts, first_page = _in_workers(layout, groups, keys, known, cache, find_first_page, folder, workers,
                                        laid_out)
    if cache:
        page = first_page
        for index, part in enumerate(parts):
            if index in laid_out:
                cache.keep_part(keys[index], page, part)
            page += part.pages
    return parts


def _html(layout: "_Layout", group: Group) -> str:
    return layout.html(TEMPLATE, place_anchors=True, chapters=group)


def _work(layout: "_Layout", groups: list[Group], connection: Connection, folder: Path | None) -> None:
    """A worker: lays out the parts it is given, one at a time, until told to stop."""
    warnings = relay_warnings()
    while True:
        message = connection.recv()
        if message[0] == "stop":
            return
        index = message[1]
        html = _html(layout, groups[index])
        document = layout.lay_out_html(TEMPLATE, html, PROVISIONAL_PAGE)
        connection.send(("pages", index, len(layout.pages_of(document))))
        _, first_page = connection.recv()
        part = _complete(layout, html, document, first_page, _part_file(folder, index))
        del document
        connection.send(("part", index, (part, list(warnings))))
        warnings.clear()


def _in_workers(layout: "_Layout", groups: list[Group], keys: list[str], known: list[dict | None],
                cache: PartCache | None, find_first_page: Callable[[], int], folder: Path | None, workers: int,
                laid_out: set[int]) -> tuple[list[LaidPart], int]:
    """Parts handed out in book order to `workers` forked workers as they come free; each
    worker gets its part's first page once the parts before it are counted (from the cache,
    or from the worker that lays them out)."""
    connections: list[Connection] = []
    pids: list[int] = []
    for _ in range(workers):
        ours, theirs = Pipe()
        pid = os.fork()
        if pid == 0:  # a worker
            ours.close()
            die_with_parent()
            try:
                _work(layout, groups, theirs, folder)
            except Exception as error:  # handed to this process, which raises it
                try:
                    theirs.send(("error", None, error))
                except Exception:
                    theirs.send(("error", None, RuntimeError(repr(error))))
            finally:
                os._exit(0)
        theirs.close()
        connections.append(ours)
        pids.append(pid)
    count = len(groups)
    lengths = {index: facts["pages"] for index, facts in enumerate(known) if facts is not None}
    todo = [index for index, facts in enumerate(known) if facts is None]  # a heap: book order
    starts: dict[int, int] = {}
    parts: dict[int, LaidPart] = {}
    owner: dict[int, Connection] = {}  # part -> the worker laying it out
    idle = list(connections)
    settled = 0  # parts before this one have their first page handled

    def hand_out() -> None:
        while todo and idle:
            index, connection = heapq.heappop(todo), idle.pop()
            owner[index] = connection
            laid_out.add(index)
            connection.send(("layout", index))
            if index < settled:  # its first page is known already
                connection.send(("start", starts[index]))

    def settle() -> None:
        """Count forward from the first page, and hand each part its first page once known."""
        nonlocal settled
        last = len(starts) - 1  # the first pages known run from part 0 without a gap
        while last < count and last in lengths:
            starts[last + 1] = starts[last] + lengths[last]
            last += 1
        while settled < count and settled in starts:
            index = settled
            if index in owner:
                owner[index].send(("start", starts[index]))
            elif known[index] is not None and index not in parts:
                part = _cached(cache, keys[index], known[index], starts[index], folder is not None)
                if part is None:  # counted by the cache, but written at another page: lay it out
                    heapq.heappush(todo, index)
                else:
                    parts[index] = part
            settled += 1

    try:
        hand_out()  # the workers begin, with a provisional first page, while this process
        starts[0] = find_first_page()  # counts the front matter's pages
        settle()
        hand_out()
        open_connections = list(connections)
        while len(parts) < count:
            if not open_connections:
                raise RuntimeError("the layout workers ended before every part was laid out")
            for connection in wait(open_connections):
                try:
                    kind, index, value = connection.recv()
                except EOFError:
                    raise RuntimeError("a layout worker ended without its part") from None
                if kind == "error":
                    raise value
                if kind == "pages":
                    lengths[index] = value
                else:
                    parts[index], warnings = value
                    replay(warnings)
                    idle.append(connection)
                settle()
                hand_out()
    except BaseException:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        raise
    finally:
        for connection in connections:
            try:
                connection.send(("stop",))
            except OSError:
                pass
            connection.close()
        for pid in pids:
            os.waitpid(pid, 0)
    return [parts[index] for index in range(count)], starts[0]
