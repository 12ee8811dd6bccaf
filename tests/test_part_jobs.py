"""The pool that lays parts out in forked children: order, first pages, slots, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from book.errors import BookError
from book.pdf.jobs import PROVISIONAL_PAGE, Job, Pool


def _job(name: str, pages: int, log: list, first_page: int | None = None, count_only: bool = False) -> Job:
    parent = os.getpid()

    def typeset(page: int):
        return (page, os.getpid()), pages

    def complete(laid, laid_at: int, first_page: int):
        page, pid = laid
        return {"name": name, "laid_at": laid_at, "first_page": first_page, "forked": pid != parent,
                "same_child": pid == os.getpid()}
    return Job(name, typeset, None if count_only else complete, first_page)


@pytest.mark.parametrize("workers", [1, 2])
def test_parts_get_their_first_pages_from_the_lengths_before_them(workers):
    """What the layout plan does: a count first, then parts placed once the ones before are counted."""
    pool = Pool(workers)
    count = _job("front", 3, [], count_only=True)
    parts = [_job(f"part-{n}", pages, []) for n, pages in enumerate((5, 2, 7))]
    for job in (count, *parts):
        pool.add(job)
    lengths, done = {}, {}
    for kind, job, value in pool.events():
        if kind == "pages":
            lengths[job.name] = value
        else:
            done[job.name] = value
        page = 1
        for job in (count, *parts):  # place every part whose predecessors are counted
            if job.name not in lengths:
                break
            if job is not count:
                pool.place(job, page)
            page += lengths[job.name]
    assert lengths == {"front": 3, "part-0": 5, "part-1": 2, "part-2": 7}
    assert [done[f"part-{n}"]["first_page"] for n in range(3)] == [4, 9, 11]
    for result in done.values():
        assert result["forked"] == (workers > 1) and result["same_child"]
        # Laid out before its place was known, or (one by one, here) at its place.
        assert result["laid_at"] in (PROVISIONAL_PAGE, result["first_page"])


def test_a_job_placed_before_it_starts_is_laid_out_at_its_page():
    pool = Pool(2)
    job = _job("index", 4, [], first_page=40)
    pool.add(job)
    events = list(pool.events())
    assert [kind for kind, _, _ in events] == ["pages", "done"]
    assert events[-1][2]["laid_at"] == events[-1][2]["first_page"] == 40


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_a_part_is_raised_here_and_ends_the_others(workers):
    def broken(page):
        raise BookError("a bad line", Path("chapters/01.md"), 3)
    pool = Pool(workers)
    pool.add(_job("fine", 2, []))
    pool.add(Job("broken", broken, None))
    with pytest.raises(BookError) as raised:
        for _ in pool.events():
            pass
    pool.stop()
    assert raised.value.line == 3


@pytest.mark.parametrize("workers", [1, 2])
def test_a_part_never_placed_is_an_error_not_a_hang(workers):
    pool = Pool(workers)
    pool.add(_job("orphan", 2, []))
    with pytest.raises(RuntimeError, match="never given"):
        for _ in pool.events():
            pass


def _timed(folder, name: str, seconds: float, alone: bool = False) -> Job:
    """A job that notes when its layout began, sleeps `seconds`, and says when it completed."""
    import time

    def typeset(page: int):
        (folder / f"{name}.laid").write_text(str(time.monotonic()))
        time.sleep(seconds)
        return None, 1

    def complete(laid, laid_at: int, first_page: int):
        started = time.monotonic()
        time.sleep(0.2)
        return {"name": name, "started": started, "ended": time.monotonic()}
    return Job(name, typeset, complete, alone=alone)


def _run_placed(folder, jobs: list[Job]) -> tuple[dict, dict]:
    """`jobs` through a pool of two, each placed as soon as it is laid out: what each
    completion said, and when each layout began."""
    pool = Pool(2)
    for job in jobs:
        pool.add(job)
    done = {}
    for kind, job, value in pool.events():
        if kind == "pages":
            pool.place(job, 1)
        else:
            done[job.name] = value
    return done, {name: float((folder / f"{name}.laid").read_text()) for name in done}


def test_an_alone_job_lays_out_beside_others_but_completes_by_itself(tmp_path):
    """The index's rule: its layout runs beside the other parts, its completion (the write)
    only once no other child is alive; a second `alone` job waits for the first to end."""
    def timed(name: str, seconds: float, alone: bool = False) -> Job:
        return _timed(tmp_path, name, seconds, alone)

    done, laid = _run_placed(tmp_path, [timed("index", 0.05, alone=True), timed("piece", 0.6),
                                        timed("front", 0.05, alone=True)])
    assert laid["piece"] < done["index"]["started"]  # laid out side by side
    assert done["index"]["started"] >= done["piece"]["ended"]  # completed when the piece had ended
    assert laid["front"] >= done["index"]["ended"] - 0.05  # the second alone job waited for the first


def test_an_alone_job_laid_out_and_placed_goes_next(tmp_path):
    """Once the index is laid out and knows its first page, no part starts before it has
    completed: one started meanwhile would keep it waiting, holding its layout, beside two."""
    done, laid = _run_placed(tmp_path, [_timed(tmp_path, "piece", 0.6), _timed(tmp_path, "index", 0.05, alone=True),
                                        _timed(tmp_path, "later", 0.05)])
    assert done["index"]["started"] >= done["piece"]["ended"]  # alone, as before
    assert laid["later"] >= done["index"]["ended"] - 0.05  # and the part queued after it waited


def test_the_next_piece_of_a_section_takes_the_slot_of_the_piece_before(tmp_path):
    """A back piece waits aside once laid out: the next piece of its section, added `first`
    when the piece before is counted (where it opens depends on that layout), starts at once in
    its slot, before the jobs queued; the piece before completes once a slot is free."""
    pool = Pool(2)
    first_piece = _timed(tmp_path, "piece-1", 0.05)
    first_piece.aside = True
    other, queued = _timed(tmp_path, "other", 0.8), _timed(tmp_path, "queued", 0.05)
    for job in (first_piece, other, queued):
        pool.add(job)
    done = {}
    for kind, job, value in pool.events():
        if kind == "pages":
            if job is first_piece:
                following = _timed(tmp_path, "piece-2", 0.05)
                following.aside = True
                pool.add(following, first=True)
            pool.place(job, 1)
        else:
            done[job.name] = value
    laid = {name: float((tmp_path / f"{name}.laid").read_text()) for name in done}
    assert laid["piece-2"] < done["piece-1"]["started"]  # the next piece went first
    assert done["piece-1"]["started"] < laid["queued"]  # then the piece waiting aside, as a slot freed
    assert done["other"]["ended"] > done["piece-2"]["started"]  # both pieces completed beside `other`
