"""What the generated index costs the PDF: builds with and without it, side by side.

    .venv/bin/python benchmarks/index_cost.py [--book DIR] [--rounds N] [--repeat 1 10]

Prints the wall time of each screen-PDF render in one process (median of N alternating
rounds, so both see the same machine load), then of the whole `build.py --edition pdf`
command as a user waits for it, and the ratios. The index's page numbers come from the one
layout of the chapters; only the back matter and the short front matter are laid out
again, so the ratio stays near the share of pages the index itself adds.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from book.build import prepare  # noqa: E402
from book.cli import DEFAULT_BOOK  # noqa: E402
from book.pdf.editions import write_screen_pdf  # noqa: E402
from synthetic import make_book  # noqa: E402

BUILD = Path(__file__).resolve().parent.parent / "build.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=DEFAULT_BOOK)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, nargs="*", default=[1, 10],
                        help="also measure books whose chapters repeat this many times")
    args = parser.parse_args()
    for repeat in args.repeat:
        with tempfile.TemporaryDirectory() as folder:
            root = args.book if repeat == 1 else make_book(args.book, Path(folder), repeat)
            print(f"book: {args.book.name if repeat == 1 else f'{args.book.name} x{repeat}'}")
            measure(root, args.rounds)
            measure_command(root, args.rounds)


def measure_command(root: Path, rounds: int) -> None:
    """The same comparison as a user sees it: `build.py --edition pdf`, process start included.

    Every build is cold (`--force`, and an output folder of its own per book): a build that
    finds its parts laid out by the round before measures the cache, not the index.
    """
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "without-index"
        shutil.copytree(root, bare, ignore=shutil.ignore_patterns("index.toml", "dist", ".venv", ".git"))
        times: dict[str, list[float]] = {"without index": [], "with index": []}
        for _ in range(rounds):
            for label, book in (("without index", bare), ("with index", root)):
                started = time.perf_counter()
                out = Path(folder) / "out" / label.replace(" ", "-")
                subprocess.run([sys.executable, str(BUILD), "--book", str(book), "--out", str(out),
                                "--edition", "pdf", "--quiet", "--force"], check=True)
                times[label].append(time.perf_counter() - started)
    for label, values in times.items():
        print(f"{label:>14}: {statistics.median(values):6.3f} s median of {len(values)} (whole command)")
    print(f"{'ratio':>14}: {statistics.median(times['with index']) / statistics.median(times['without index']):6.3f}")


def measure(root: Path, rounds: int) -> None:
    with_index = prepare(root)
    without_index = replace(with_index, index=None)
    times: dict[str, list[float]] = {"without index": [], "with index": []}
    pages: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as scratch:
        write_screen_pdf(with_index, Path(scratch) / "warm.pdf")  # fonts and imports once
        for _ in range(rounds):
            for label, book in (("without index", without_index), ("with index", with_index)):
                started = time.perf_counter()
                pages[label], _ = write_screen_pdf(book, Path(scratch) / "out.pdf")
                times[label].append(time.perf_counter() - started)
    for label, values in times.items():
        print(f"{label:>14}: {statistics.median(values):6.3f} s median of {len(values)}, {pages[label]} pages")
    ratio = statistics.median(times["with index"]) / statistics.median(times["without index"])
    page_ratio = pages["with index"] / pages["without index"]
    print(f"{'ratio':>14}: {ratio:6.3f} (pages {page_ratio:.3f})")


if __name__ == "__main__":
    main()
