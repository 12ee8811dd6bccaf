"""How well the chapters are set (issue 21): word spaces of justified lines, widows, orphans, runts.

    .venv/bin/python benchmarks/quality.py [--book DIR] [--pages 800] [--list 5] [--justify spaces] [--runts]
                                           [--cold-builds N]

For the book and for synthetic books of about the given page counts (the default chapters
repeated, as speed.py counts them; `--pages` with no value measures the book alone), lays out
the chapters as the screen PDF does (its design, its body template, its parts, each at its
real first page) and reads WeasyPrint's laid-out boxes, not the PDF. Prints, per book:
- per justified line (a line of a `text-align: justify` block that is not the block's last
  line): its word spaces' mean width relative to the natural width of a space in the same font
  and size; over the lines: median, 95th percentile, max, the share of lines above 1.5x, and
  the loosest lines with their page (the screen PDF's page numbers) and text;
- lines counted, pages measured, layout and measure times;
- widows (a block's last line alone at the top of a page), orphans (its first line alone at
  the foot of one), lonely headings (a heading last on a page, its text on the next) and runts
  (a paragraph's last line of one word): counts, and the first few.
The body chapters only: the front matter is contents and title pages, the back matter lists.
With `--runts`, each book and mode is laid out twice, without and with the runt re-flow
(book/pdf/runts.py), and a table at the end puts the two side by side. With `--cold-builds N`,
what each mode costs: each book's screen PDF built cold (`build.py --edition pdf`, a fresh
output folder, process start included) N times per mode, the modes taking turns, side by side.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from book.build import prepare  # noqa: E402
from book.cli import DEFAULT_BOOK  # noqa: E402
from book.model import Book  # noqa: E402
# The measure itself, which tests/test_kashida.py holds the kashida justification to.
from book.pdf.lines import (  # noqa: E402
    JUSTIFY_MODES, LOOSE, Line, Quality, body_documents, measure_document, with_justify)
from book.pdf.runts import reflowing  # noqa: E402
from speed import FRONT_AND_BACK, PAGES_PER_REPEAT  # noqa: E402  ("800 pages" is speed.py's book)
from synthetic import make_book  # noqa: E402


def quote(line: Line, width: int = 70) -> str:
    text = line.text if len(line.text) <= width else line.text[:width] + "…"
    return f"p. {line.page:>4}  «{text}»"


@dataclass(frozen=True)
class Summary:
    """One book's figures in one mode, for the side-by-side table."""
    runts: int
    p95: float
    max: float
    loose: float  # the share of lines above LOOSE
    layout: float  # seconds


def report(name: str, book: Book, mode: str, shown: int, reflow: bool = True) -> Summary:
    quality, first, laying, measuring = Quality(), None, 0.0, 0.0
    started = time.perf_counter()
    with reflowing(reflow):
        for page, document in body_documents(with_justify(book, mode)):
            measured = time.perf_counter()
            laying += measured - started
            quality.add(measure_document(document, page))
            first = first or page
            started = time.perf_counter()
            measuring += started - measured
    ratios = sorted(line.ratio for line in quality.justified)
    first = first or 1  # a book without chapters: no pages
    print(f"\n== {name}: {quality.pages} body pages (PDF pages {first}-{first + quality.pages - 1}), "
          f"justify: {mode}, runt re-flow: {'on' if reflow else 'off'} ==")
    print(f"justified lines: {len(ratios)} (and {quality.unstretchable} without a space to stretch); "
          f"layout {laying:.1f} s, measure {measuring:.1f} s")
    if ratios:
        loosest = max(quality.justified, key=lambda line: line.ratio)
        p95 = statistics.quantiles(ratios, n=20, method="inclusive")[18] if len(ratios) > 1 else ratios[0]
        loose = sum(ratio > LOOSE for ratio in ratios) / len(ratios)
        print(f"word space / natural space: median {statistics.median(ratios):.2f}, p95 {p95:.2f}, "
              f"max {loosest.ratio:.2f}; lines above {LOOSE}x: {loose:.1%}")
        with_kashida = [line.tatweels for line in quality.justified if line.tatweels]
        print(f"kashidas: {quality.tatweels} on {len(with_kashida)} lines "
              f"(per line: mean {statistics.mean(with_kashida) if with_kashida else 0:.1f}, "
              f"max {max(with_kashida, default=0)}); lines with a kashida under one above: {quality.stacked}")
        for line in sorted(quality.justified, key=lambda line: -line.ratio)[:shown]:
            print(f"  {line.ratio:5.2f}x  {line.spaces:>2} spaces  {quote(line)}")
    for label, lines in (("widows", quality.widows), ("orphans", quality.orphans),
                         ("lonely headings", quality.lonely_headings), ("runts (one-word last lines)", quality.runts)):
        print(f"{label}: {len(lines)}")
        for line in lines[:shown]:
            print(f"  {quote(line)}")
    p95 = statistics.quantiles(ratios, n=20, method="inclusive")[18] if len(ratios) > 1 else (ratios or [1.0])[0]
    return Summary(len(quality.runts), p95, max(ratios, default=1.0),
                   sum(ratio > LOOSE for ratio in ratios) / (len(ratios) or 1), laying)


def side_by_side(rows: list[tuple[str, str, Summary, Summary]]) -> None:
    """Each book and mode without and with the runt re-flow."""
    print("\n== runt re-flow: off -> on ==")
    print(f"{'book':<34} {'justify':<8} {'runts':>9} {'p95':>11} {'max':>11} {'above 1.5x':>15} {'layout s':>13}")
    for name, mode, off, on in rows:
        print(f"{name[:34]:<34} {mode:<8} {off.runts:>4} -> {on.runts:<3} {off.p95:.2f} -> {on.p95:.2f} "
              f"{off.max:.2f} -> {on.max:.2f} {off.loose:6.1%} -> {on.loose:6.1%} "
              f"{off.layout:5.1f} -> {on.layout:5.1f}")


BOOK_FILES = ("book.toml", "index.toml", "chronology.toml", "chapters", "styles", "images")


def with_justify_file(book: Path, mode: str) -> None:
    """The book folder's book.toml set to justify by `mode`."""
    toml = book / "book.toml"
    text = re.sub(r'^justify = "[^"]*"\n', "", toml.read_text(encoding="utf-8"), flags=re.M)
    if "[layout]\n" not in text:
        text += "\n[layout]\n"
    toml.write_text(text.replace("[layout]\n", f'[layout]\njustify = "{mode}"\n', 1), encoding="utf-8")


def cold_builds(name: str, source: Path, modes: list[str], repeats: int, folder: Path) -> None:
    """The screen PDF of the book at `source` built cold in each mode, `repeats` times, the
    modes taking turns (so the machine's load falls on each alike); prints the median times."""
    books = {}
    for mode in modes:
        books[mode] = folder / f"cold-{mode}"
        for part in BOOK_FILES:  # the book's own files, not the repository the default book lives in
            if (source / part).is_dir():
                shutil.copytree(source / part, books[mode] / part)
            elif (source / part).is_file():
                books[mode].mkdir(parents=True, exist_ok=True)
                shutil.copy(source / part, books[mode] / part)
        with_justify_file(books[mode], mode)
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    cpu: dict[str, list[float]] = {mode: [] for mode in modes}  # steadier than the clock on a busy machine
    pages: dict[str, int] = {}
    for run in range(repeats):
        for mode in modes:
            out = folder / f"out-{mode}-{run}"
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, str(HERE.parent / "build.py"), "--book", str(books[mode]),
                                   "--out", str(out), "--edition", "pdf"], capture_output=True, text=True)
            times[mode].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[mode].append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
            if done.returncode:
                raise SystemExit(f"the {mode} build failed:\n{done.stderr}")
            report_file = out / "build-report.json"
            pages[mode] = next(e["pages"] for e in json.loads(report_file.read_text())["editions"]
                               if e["edition"] == "pdf")
            shutil.rmtree(out)
    print(f"\n== {name}: the screen PDF built cold, {repeats}x per mode, median (the process tree's CPU time) ==")
    first, first_cpu = statistics.median(times[modes[0]]), statistics.median(cpu[modes[0]])
    for mode in modes:
        median, median_cpu = statistics.median(times[mode]), statistics.median(cpu[mode])
        print(f"{mode:<8} {median:6.1f} s, CPU {median_cpu:6.1f} s ({pages[mode]} pages; runs "
              f"{', '.join(f'{t:.1f}' for t in times[mode])}; CPU {', '.join(f'{t:.1f}' for t in cpu[mode])})"
              + (f"  {median / first - 1:+.1%}, CPU {median_cpu / first_cpu - 1:+.1%} on {modes[0]}"
                 if mode != modes[0] else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=DEFAULT_BOOK)
    parser.add_argument("--pages", type=int, nargs="*", default=[800],
                        help="also measure synthetic books of about these many pages (speed.py's)")
    parser.add_argument("--list", type=int, default=5, help="lines shown of each kind")
    parser.add_argument("--justify", nargs="+", choices=JUSTIFY_MODES, default=list(JUSTIFY_MODES))
    parser.add_argument("--runts", action="store_true",
                        help="lay out each book without the runt re-flow too, and compare (book/pdf/runts.py)")
    parser.add_argument("--cold-builds", type=int, default=0, metavar="N",
                        help="also build each book's screen PDF cold N times per mode, and compare the times")
    args = parser.parse_args()
    reflows = (False, True) if args.runts else (True,)
    rows = []

    def measure(name: str, book: Book, mode: str) -> None:
        summaries = [report(name, book, mode, args.list, reflow) for reflow in reflows]
        if args.runts:
            rows.append((name, mode, *summaries))

    for mode in args.justify:
        started = time.perf_counter()
        book = prepare(args.book)
        measure(book.meta.slug, book, mode)
        print(f"({time.perf_counter() - started:.1f} s in all)")
        for pages in args.pages:
            repeat = max(1, round((pages - FRONT_AND_BACK) / PAGES_PER_REPEAT))
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                book = prepare(make_book(args.book, Path(folder) / "book", repeat))
                measure(f"about {pages} pages: {repeat}x the chapters", book, mode)
                print(f"({time.perf_counter() - started:.1f} s in all, the book made and loaded)")
    if args.cold_builds:
        for pages in [None, *args.pages]:
            with tempfile.TemporaryDirectory() as folder:
                if pages is None:
                    source, name = args.book, args.book.name
                else:
                    repeat = max(1, round((pages - FRONT_AND_BACK) / PAGES_PER_REPEAT))
                    source, name = make_book(args.book, Path(folder) / "book", repeat), f"about {pages} pages"
                cold_builds(name, source, args.justify, args.cold_builds, Path(folder))
    if rows:
        side_by_side(rows)


if __name__ == "__main__":
    main()
