"""When each part of a cold screen PDF is laid out and completed, in one build: where the time goes.

    .venv/bin/python benchmarks/part_timeline.py [--pages 800] [--book DIR]

Builds the screen PDF of a synthetic book of about `--pages` pages (the default chapters
repeated, as speed.py counts them) or of `--book`, in this process, with every part job's
layout and completion timestamped in the child that runs it (book/pdf/jobs.py), and prints one
line per phase, in time order, seconds from the start: which part, what phase, how long, its
pages. The last lines are the join and finish (book/pdf/editions.py). One run, on a machine that
is otherwise quiet: the order and the gaps are what it shows, not exact times.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--book", type=Path)
    args = parser.parse_args()
    from book.cli import main as build
    from book.pdf import editions, jobs

    started = time.monotonic()
    read, write = os.pipe()  # children write their lines here (a pipe: lines of one write stay whole)

    def log(name: str, phase: str, begun: float, extra: str = "") -> None:
        os.write(write, f"{begun - started:7.2f} {time.monotonic() - begun:6.2f} s  {name:<16} {phase} {extra}\n".encode())

    child = jobs._child

    def timed_child(job, connection):
        typeset, complete = job.typeset, job.complete

        def timed_typeset(page):
            begun = time.monotonic()
            laid, pages = typeset(page)
            count = getattr(pages, "pages", pages)  # a back piece's count also says where the next opens
            goes_on = getattr(pages, "goes_on", None)
            log(job.name, "layout", begun, f"{count} pages" + (f", the next piece opens at entry {goes_on}" if goes_on else ""))
            return laid, pages

        def timed_complete(laid, laid_at, first_page):
            begun = time.monotonic()
            part = complete(laid, laid_at, first_page)
            log(job.name, "completion", begun)
            return part
        job.typeset = timed_typeset
        job.complete = timed_complete if complete else None
        child(job, connection)
    jobs._child = timed_child
    finish = editions.finish

    def timed_finish(*arguments, **keywords):
        begun = time.monotonic()
        pages = finish(*arguments, **keywords)
        log("(main)", "join and finish", begun)
        return pages
    editions.finish = timed_finish

    with tempfile.TemporaryDirectory() as folder:
        book = args.book
        if book is None:
            from speed import FRONT_AND_BACK, PAGES_PER_REPEAT
            from synthetic import make_book
            book = Path(folder) / "book"
            make_book(HERE.parent, book, max(1, round((args.pages - FRONT_AND_BACK) / PAGES_PER_REPEAT)))
        started = time.monotonic()
        sys.argv = ["book", "build", "--book", str(book), "--out", str(Path(folder) / "out"), "-q", "--edition", "pdf"]
        try:
            build()
        except SystemExit as exit:
            if exit.code:
                raise
        total = time.monotonic() - started
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as lines:
        for line in sorted(lines, key=lambda line: float(line.split()[0])):
            print(line, end="")
    print(f"{total:7.2f} s in all")


if __name__ == "__main__":
    main()
