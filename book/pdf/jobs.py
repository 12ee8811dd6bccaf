"""Parts of a PDF laid out in forked children, one fresh child per part.

A part's job: its layout made (at a provisional first page when its place is not known yet),
its length reported, its real first page awaited, then completed (folios set again, anchors
found, the part written) and handed back as a PlacedPart; the child then ends, and the memory
its layout took goes with it. The process that hands the jobs out never holds a layout: it
only counts pages and renders HTML, so a long book's peak memory is that of a few parts'
layouts, not of the whole book's. Where forking is not wanted (`--jobs 1`, no fork), the same
steps run here, in the order jobs are added.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections import deque
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator

from ..forked import WorkerDied, forking, relay_warnings, replay

PROVISIONAL_PAGE = 1  # odd: a part laid out before its place is known opens on a recto


@dataclass(eq=False)
class Job:
    """One part's work. `typeset(first_page)` makes its layout and says how many pages the
    part will take; `complete(layout, laid_at, first_page)` finishes it at its real first page
    and returns what the part is (None: the job only counts pages). `first_page` is set when
    the place is known before layout."""

    name: str
    typeset: Callable[[int], tuple[Any, int]]
    complete: Callable[[Any, int, int], Any] | None
    first_page: int | None = None
    alone: bool = False  # completes with no other child alive (its write is too large to share memory)
    aside: bool = False  # once laid out, waits without a slot, and completes when one is free (see Pool)


class Pool:
    """Jobs run at most `workers` at a time, each in a child forked when a slot frees, in the
    order they were added; a child that has made its layout and waits for its first page
    keeps its slot (it holds its layout: more children alive than cores would hold more
    layouts than the cores can use). A job marked `alone` is the exception: once laid out it
    waits without a slot, and is given its first page (and so completes: the write, where a
    part's memory peaks) only when no other child is alive; once it has its first page,
    nothing starts until it has completed (what started meanwhile would keep it waiting,
    holding its layout beside two others). A job marked `aside` (a back piece: a small layout)
    also waits without a slot once laid out, and is given its first page when a slot is free
    that no job added `first` waits for, an `alone` one's layout not counted (a piece's
    completion is short: held back for the index's layout, the pieces laid out meanwhile
    waited beside it, each holding its layout): a job added `first` (the next piece of a
    section, laid out once the one before is counted: the rest of the book waits on it)
    starts before the queued ones and before the completions of those waiting aside.
    `meanwhile` runs here once, as soon as the first children are under way. `events()`
    yields ("pages", job, count) when a job's layout is made and ("done", job, result) when
    it is complete; `place(job, page)` gives a job its first page (before or after its
    layout). Jobs are added in book order (a job added `first` comes before those queued
    after it in the book), so a waiting child's first page depends only on children started
    before it."""

    def __init__(self, workers: int, meanwhile: Callable[[], None] | None = None):
        self.fork = workers > 1 and hasattr(os, "fork")
        self.workers = workers
        self._meanwhile = meanwhile  # run here once the first children are under way
        self._queue: deque[Job] = deque()
        self._running: dict[Connection, tuple[Job, int]] = {}
        self._sent: set[int] = set()  # ids of jobs whose first page went to their child
        self._waiting: set[int] = set()  # ids of jobs laid out in a child, waiting for their first page
        self._laid: dict[int, tuple[Job, Any, int]] = {}  # here: id -> (job, layout, laid at)
        self._ready: deque[tuple[str, Job, Any]] = deque()
        self._first: set[int] = set()  # ids of jobs added `first`

    def add(self, job: Job, first: bool = False) -> None:
        """Queue a job: last, or `first` (before every job queued)."""
        if first:
            self._first.add(id(job))
            self._queue.appendleft(job)
        else:
            self._queue.append(job)

    def place(self, job: Job, page: int) -> None:
        if job.first_page is not None:
            return
        job.first_page = page
        self._give_first_pages()
        if id(job) in self._laid:
            self._complete_here(job)

    def cancel(self, job: Job) -> None:
        """Drop a job that is no longer wanted, its child ended if it has one."""
        if job in self._queue:
            self._queue.remove(job)
        self._first.discard(id(job))
        for connection, (running, pid) in list(self._running.items()):
            if running is job:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
                self._end(connection)
        self._laid.pop(id(job), None)
        self._ready = deque(event for event in self._ready if event[1] is not job)

    def _give_first_pages(self) -> None:
        """Placed jobs' children get their first page; an `alone` one once it is alone, an
        `aside` one once laid out and a slot is free (an `alone` one laying out leaves it free)
        that no job added `first` is queued for."""
        for connection, (job, _) in self._running.items():
            if job.first_page is None or id(job) in self._sent:
                continue
            if job.alone and not (id(job) in self._waiting and len(self._running) == 1):
                continue
            if job.aside and not (id(job) in self._waiting
                                  and self._slots_taken(but_alone=True) + self._first_queued() < self.workers):
                continue
            connection.send(job.first_page)
            self._sent.add(id(job))
            self._waiting.discard(id(job))

    def _slots_taken(self, but_alone: bool = False) -> int:
        """The slots of the children at work (`but_alone`: not counting an `alone` one's)."""
        return sum(1 for job, _ in self._running.values()
                   if not ((job.alone or job.aside) and id(job) in self._waiting) and not (but_alone and job.alone))

    def _first_queued(self) -> int:
        return sum(1 for job in self._queue if id(job) in self._first)

    def _alone_at_work(self) -> bool:
        """An `alone` job completing, or laid out and placed: it goes next, so nothing starts
        until it is done (a child started meanwhile would make it wait, holding its layout)."""
        return any(job.alone and (id(job) in self._sent or (id(job) in self._waiting and job.first_page is not None))
                   for job, _ in self._running.values())

    @property
    def busy(self) -> bool:
        return bool(self._queue or self._running or self._laid or self._ready)

    def events(self) -> Iterator[tuple[str, Job, Any]]:
        """What happens next, while anything is under way; stops when a job waits for a
        first page that nobody can give (raises then: a job added out of order)."""
        while self.busy:
            if self._ready:
                yield self._ready.popleft()
                continue
            if self.fork:
                self._give_first_pages()
                self._start_children()
                if self._meanwhile and self._running:
                    meanwhile, self._meanwhile = self._meanwhile, None
                    meanwhile()
                if len(self._waiting) == len(self._running):  # nothing under way can report
                    self.stop()
                    raise RuntimeError("part jobs wait for first pages that are never given")
                yield from self._receive()
            else:
                if not self._queue:
                    raise RuntimeError("part jobs wait for first pages that are never given")
                self._first.discard(id(self._queue[0]))
                self._typeset_here(self._queue.popleft())

    # In this process.
    def _typeset_here(self, job: Job) -> None:
        laid_at = job.first_page or PROVISIONAL_PAGE
        layout, pages = job.typeset(laid_at)
        self._ready.append(("pages", job, pages))
        if job.complete is None:
            return
        self._laid[id(job)] = (job, layout, laid_at)
        if job.first_page is not None:
            self._complete_here(job)

    def _complete_here(self, job: Job) -> None:
        _, layout, laid_at = self._laid.pop(id(job))
        self._ready.append(("done", job, job.complete(layout, laid_at, job.first_page)))

    # In children.
    def _start_children(self) -> None:
        while self._queue and self._slots_taken() < self.workers and not self._alone_at_work():
            if self._queue[0].alone and any(job.alone for job, _ in self._running.values()):
                break  # two that must each complete alone would wait for each other
            job = self._queue.popleft()
            self._first.discard(id(job))
            ours, theirs = Pipe()
            gc.freeze()  # the child's collector leaves this process's objects (and their pages) alone
            with forking() as pid:
                if pid == 0:
                    ours.close()
                    _child(job, theirs)
                theirs.close()
                self._running[ours] = (job, pid)
            if job.first_page is not None and not (job.alone or job.aside):  # the child has it already
                self._sent.add(id(job))

    def _receive(self) -> Iterator[tuple[str, Job, Any]]:
        for connection in wait(list(self._running)):
            job, pid = self._running[connection]
            try:
                kind, value, warnings = connection.recv()
            except EOFError:  # the child died without a word: killed, or out of memory
                raise WorkerDied(self._end(connection)) from None
            replay(warnings)
            if kind == "error":
                self._end(connection)
                raise value
            if kind == "pages":
                if job.complete is None:
                    self._end(connection)
                elif id(job) not in self._sent:
                    self._waiting.add(id(job))
                    if not job.aside:  # an aside one once its count is heard: what it lets start goes first
                        self._give_first_pages()
                yield "pages", job, value
            else:
                self._end(connection)
                yield "done", job, value

    def _end(self, connection: Connection) -> int:
        """The child's end awaited; its wait status."""
        job, pid = self._running.pop(connection)
        self._waiting.discard(id(job))
        connection.close()
        return os.waitpid(pid, 0)[1]

    def stop(self) -> None:
        """End every child (after an error, or an interruption)."""
        for connection, (_, pid) in list(self._running.items()):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self._end(connection)


def _child(job: Job, connection: Connection) -> None:
    """A child's life: lay out, report the length, wait for the first page, complete, report."""
    warnings = relay_warnings()
    try:
        laid_at = job.first_page or PROVISIONAL_PAGE
        layout, pages = job.typeset(laid_at)
        gc.collect()  # what the layout left behind, before it waits (holding memory) and writes
        connection.send(("pages", pages, list(warnings)))
        warnings.clear()
        if job.complete is not None:  # an `alone` or `aside` job waits to be told, even when placed
            told = job.first_page is None or job.alone or job.aside
            first_page = connection.recv() if told else job.first_page
            connection.send(("done", job.complete(layout, laid_at, first_page), list(warnings)))
    except BaseException as error:  # handed to the parent, which raises it
        try:
            connection.send(("error", error, list(warnings)))
        except Exception:
            connection.send(("error", RuntimeError(repr(error)), list(warnings)))
    finally:
        os._exit(0)
