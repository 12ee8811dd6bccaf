"""Issue 8's screen-PDF goals on one book size, in rounds that alternate ours and the floor.

    .venv/bin/python benchmarks/screen_ratio.py [--pages 800] [--rounds 3]

speed.py measures every row once; this measures only the two ratios the goals name (a cold
screen PDF against WeasyPrint alone on the same final HTML: time <= 0.7, peak memory <= 0.6),
each round our build then the floor, back to back, so that a noisy machine moves both sides of
a ratio alike. Times come from runs nothing samples; peak memory (the process tree's PSS) from
a second, sampled run of each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from speed import FLOOR, PAGES_PER_REPEAT, FRONT_AND_BACK, ROOT, keep_html, measured
from synthetic import make_book


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    repeat = max(1, round((args.pages - FRONT_AND_BACK) / PAGES_PER_REPEAT))
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        book = make_book(ROOT, scratch / "book", repeat) if repeat > 1 else ROOT
        kept, out = scratch / "html", scratch / "out"
        keep_html(book, kept)
        ours = [sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out), "-q",
                "--edition", "pdf", "--force"]
        floor = [sys.executable, "-c", FLOOR.format(kept=str(kept), folders=["pdf"])]
        times, peaks = [], []
        for number in range(1, args.rounds + 1):
            our_seconds, our_peak, _ = measured(ours, state=out)
            floor_seconds, floor_peak, _ = measured(floor, cwd=kept)  # where no `book` can be imported
            times.append(our_seconds / floor_seconds)
            peaks.append(our_peak / floor_peak)
            print(f"round {number}: ours {our_seconds:.2f} s {our_peak:.0f} MiB, floor {floor_seconds:.2f} s "
                  f"{floor_peak:.0f} MiB: time {times[-1]:.3f}, memory {peaks[-1]:.3f}", flush=True)
        print(f"{args.pages} pages ({repeat}x the default chapters), screen PDF cold / its floor: time "
              + ", ".join(f"{ratio:.2f}" for ratio in times) + " (goal 0.7); peak memory "
              + ", ".join(f"{ratio:.2f}" for ratio in peaks) + " (goal 0.6)")


if __name__ == "__main__":
    main()
