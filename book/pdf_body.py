"""The chapters laid out in parts, side by side in forked workers, each part written on its own.

Chapters are grouped into parts of about PART_CHARACTERS characters (the grouping depends on
the book alone, so every way of building gives the same parts and the same bytes). A worker
lays out its parts in order with a provisional first page and reports each part's length;
this process adds the lengths up in book order and sends each part its real first page; the
worker then sets the folios again (book/folios.py), finds the anchors on the pages, writes the
part and lets its layout go. So each worker holds one part's layout at a time, and a part
waits only for the lengths of the parts before it, which the other worker lays out meanwhile.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING

from weasyprint.document import Document

from .folios import can_renumber, renumber
from .forked import die_with_parent, relay_warnings, replay
from .model import Book, Chapter
from .pdf_anchors import block_lines, chapter_page_starts, place_anchors
from .pdf_join import PartFile

if TYPE_CHECKING:
    from .pdf import _Layout

PART_CHARACTERS = 40_000  # about twenty A5 pages: what one worker lays out before writing
MIN_PARTS = 4             # a short book still spreads over the cores
PROVISIONAL_PAGE = 1      # odd: a part laid out before its place is known opens on a recto
TEMPLATE = "pdf_body.html.j2"

Group = list[tuple[int, Chapter]]  # (number in the book, chapter)


@dataclass(frozen=True)
class BodyPart:
    pages: int                # with the blank page that ends it on a verso, where parts open on rectos
    anchors: dict[str, int]   # anchor -> page number in the book
    starts: dict[int, tuple[str, str | None, int | None]]  # page number -> where that page begins
    written: PartFile | None


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


def _lay_out(layout: "_Layout", group: Group, first_page: int) -> Document:
    return layout.part(TEMPLATE, first_page, place_anchors=True, chapters=group)


def _complete(layout: "_Layout", group: Group, document: Document, first_page: int,
              target: Path | None) -> BodyPart:
    """The part at its real place: folios, anchors, where each page begins; written."""
    if can_renumber(document):
        renumber(document, first_page)
    else:  # a folio this module cannot set again: lay the part out once more, in place
        document = _lay_out(layout, group, first_page)
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, first_page + index)
    lines = block_lines(document)
    for anchor, index in place_anchors(layout.book, document, lines).items():
        anchors[anchor] = first_page + index
    starts = {first_page + index: start for index, start in chapter_page_starts(layout.book, lines).items()}
    pages = layout.pages_of(document)
    written = layout.write(document.copy(pages), target) if target else None
    return BodyPart(len(pages), anchors, starts, written)


def _part_file(folder: Path | None, index: int) -> Path | None:
    return folder / f"body-{index:03d}.pdf" if folder else None


def lay_out_chapters(layout: "_Layout", first_page: int, folder: Path | None, workers: int) -> list[BodyPart]:
    """Every part of the body, in order; written into `folder` when one is given."""
    groups = group_chapters(layout.book)
    workers = min(workers, len(groups))
    if workers <= 1 or not hasattr(os, "fork"):
        parts: list[BodyPart] = []
        for index, group in enumerate(groups):  # the same steps as a worker's, in this process
            document = _lay_out(layout, group, PROVISIONAL_PAGE)
            parts.append(_complete(layout, group, document, first_page, _part_file(folder, index)))
            first_page += parts[-1].pages
        return parts
    return _in_workers(layout, groups, first_page, folder, workers)


def _work(layout: "_Layout", groups: list[Group], mine: range, connection: Connection,
          folder: Path | None) -> None:
    warnings = relay_warnings()
    for index in mine:
        document = _lay_out(layout, groups[index], PROVISIONAL_PAGE)
        connection.send(("pages", index, len(layout.pages_of(document))))
        first_page = connection.recv()
        part = _complete(layout, groups[index], document, first_page, _part_file(folder, index))
        del document
        connection.send(("part", index, (part, list(warnings))))
        warnings.clear()


def _in_workers(layout: "_Layout", groups: list[Group], first_page: int, folder: Path | None,
                workers: int) -> list[BodyPart]:
    connections: list[Connection] = []
    pids: list[int] = []
    for worker in range(workers):
        ours, theirs = Pipe()
        pid = os.fork()
        if pid == 0:  # a worker: parts worker, worker + workers, ...
            ours.close()
            die_with_parent()
            try:
                _work(layout, groups, range(worker, len(groups), workers), theirs, folder)
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
    starts = {0: first_page}
    lengths: dict[int, int] = {}
    parts: dict[int, BodyPart] = {}
    sent = 0  # parts whose first page has been sent
    try:
        connections[0].send(first_page)
        sent = 1
        open_connections = list(connections)
        while len(parts) < len(groups):
            for connection in wait(open_connections):
                try:
                    kind, index, value = connection.recv()
                except EOFError:  # a worker that is done closes its end
                    worker = connections.index(connection)
                    if any(i not in parts for i in range(worker, len(groups), workers)):
                        raise RuntimeError("a layout worker ended without its part") from None
                    open_connections.remove(connection)
                    continue
                if kind == "error":
                    raise value
                if kind == "pages":
                    lengths[index] = value
                    while sent < len(groups) and sent - 1 in lengths:
                        starts[sent] = starts[sent - 1] + lengths[sent - 1]
                        connections[sent % workers].send(starts[sent])
                        sent += 1
                else:
                    parts[index], warnings = value
                    replay(warnings)
    except BaseException:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        raise
    finally:
        for connection in connections:
            connection.close()
        for pid in pids:
            os.waitpid(pid, 0)
    return [parts[index] for index in range(len(groups))]
