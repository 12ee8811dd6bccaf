"""What a book's shape costs: a long paragraph, runs of emphasis, a huge chapter, a huge cover
image, each beside the same text in normal paragraphs, in one run.

    .venv/bin/python benchmarks/shapes.py [--kb 740] [--only NAME ...] [--timeout 300] [--root DIR]

Every shape is a synthetic book: the default book's book.toml and index.toml, and one chapter
made of the text of the default chapters' paragraphs (headings and quotation fences left out),
repeated to the size asked for. Each is built cold (`build.py --force`, process start included,
as a user runs it) and the table gives its seconds, the peak memory of the whole process tree
(its PSS, sampled every 50 ms, as benchmarks/speed.py measures it), how it ended (built, or
refused: exit 2 and the message), and its ratio to its baseline, the same text in normal
paragraphs, built in the same run:

- `paragraphs`: the text in its own paragraphs (the baseline of the next);
- `one paragraph`: the same text as one paragraph (a text file with single line ends pasted in);
- `a* x2000` and its baseline `a* in paragraphs`: the issue's runs of emphasis, `a*` 2000 times
  in one paragraph (one word of 1000 emphasized letters) after the default chapters' text, and
  the same `a*`s in paragraphs of 20;
- `emphasized words`: every other word of the default chapters' text emphasized (x3), in one
  paragraph beside the same in paragraphs;
- `largest chapter` and `20 MB chapter`: the text repeated to the largest chapter allowed, and
  to 20 MB, in one chapter, beside the default text;
- `12k cover`: a 12000 x 12000 px PNG as `[print] cover-image`, print edition, beside the
  default book's print edition.

`--root DIR` builds with another checkout's build.py (say, `git archive HEAD | tar -x -C DIR`
for the figures before a change); a build still running after `--timeout` seconds is stopped
and reported so. Ratios are of figures measured side by side in this one run; never a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from speed import _tree_rss_kib  # noqa: E402


def default_paragraphs() -> list[str]:
    """The text of the default chapters' paragraphs, each on one line."""
    found = []
    for path in sorted((ROOT / "chapters").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("+++\n", 2)[2]
        for block in re.split(r"\n\s*\n", body):
            lines = [line for line in block.splitlines() if line.strip() and not line.startswith(("#", ":::"))]
            if lines:
                found.append(" ".join(lines))
    return found


def repeated(paragraphs: list[str], size: int) -> list[str]:
    """`paragraphs` over and over, as many as make at most `size` bytes (blank lines between)."""
    text: list[str] = []
    total = 0
    while True:
        for paragraph in paragraphs:
            total += len(paragraph.encode("utf-8")) + 2
            if total > size:
                return text
            text.append(paragraph)


def make_book(target: Path, body: str, print_table: str = "") -> Path:
    target.mkdir(parents=True)
    (target / "chapters").mkdir()
    shutil.copy(ROOT / "index.toml", target / "index.toml")
    (target / "book.toml").write_text((ROOT / "book.toml").read_text(encoding="utf-8").replace(
        "[print]\n", "[print]\n" + print_table), encoding="utf-8")
    (target / "chapters" / "01-text.md").write_text(
        '+++\ntitle = "نص"\ndate = "2020-03"\nslug = "text"\n+++\n\n' + body + "\n", encoding="utf-8")
    return target


def write_png(path: Path, width: int, height: int) -> None:
    """A flat grey RGB PNG of the given size, written row by row (never held whole)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    squeeze = zlib.compressobj(1)
    row = b"\x00" + b"\x80" * (3 * width)
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        data = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
        out.write(chunk(b"IDAT", data) + chunk(b"IEND", b""))


# build.py with every limit lifted (the checkout's folder comes first on the command line).
LIFTED = ("import sys; sys.path.insert(0, sys.argv.pop(1)); import book.load.limits as limits; "
          "limits.CHAPTER_BYTES = limits.WORD_CHANGES = limits.IMAGE_PIXELS = 1 << 62; "
          "from book.cli import main; sys.exit(main())")


def run(command: list[str], timeout: float) -> tuple[float, float, str]:
    """Wall seconds, peak MiB of the process tree, and how it ended."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss_kib(child.pid))
        if time.perf_counter() - started > timeout:
            os.killpg(child.pid, signal.SIGKILL)  # its own session: the build and its workers
            child.wait()
            return time.perf_counter() - started, peak / 1024, f"stopped after {timeout:.0f} s"
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    _, err = child.communicate()
    if child.returncode == 0:
        return seconds, peak / 1024, "built"
    last = err.strip().splitlines()[-1] if err.strip() else ""
    kind = "refused" if child.returncode == 2 else f"failed ({child.returncode})"
    return seconds, peak / 1024, f"{kind}: {last}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=740, help="size of the long-paragraph shapes (KiB)")
    parser.add_argument("--chapter-mb", type=int, default=20)
    parser.add_argument("--cover-px", type=int, default=12000)
    parser.add_argument("--only", nargs="*", default=None, help="shape names (the table's first column, a prefix)")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose build.py builds")
    parser.add_argument("--lift-limits", action="store_true",
                        help="build with book/load/limits.py's limits lifted: what they spare a build")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from book.load.limits import CHAPTER_BYTES

    paragraphs = default_paragraphs()
    text = repeated(paragraphs, args.kb * 1024)
    joined = " ".join(text)
    stars = "a*" * 2000
    default_text = "\n\n".join(paragraphs)
    emphasized = [" ".join(f"*{w}*" if n % 2 else w for n, w in enumerate(p.split())) for p in paragraphs]
    # name: (body, [print] lines, editions, baseline name)
    shapes: dict[str, tuple[str, str, tuple[str, ...], str | None]] = {
        f"paragraphs, {args.kb} KB": ("\n\n".join(text), "", ("pdf",), None),
        f"one paragraph, {args.kb} KB": (joined, "", ("pdf",), f"paragraphs, {args.kb} KB"),
        "a* in paragraphs of 20": (default_text + "\n\n" + "\n\n".join("a*" * 20 for _ in range(100)), "",
                                   ("pdf",), None),
        "a* x2000 in a paragraph": (default_text + " " + stars, "", ("pdf",), "a* in paragraphs of 20"),
        "emphasized words, paragraphs": ("\n\n".join(emphasized * 3), "", ("pdf",), None),
        "emphasized words, one paragraph": (" ".join(emphasized * 3), "", ("pdf",), "emphasized words, paragraphs"),
        "default text, all editions": (default_text, "", ("pdf", "print", "epub"), None),
        f"largest chapter ({CHAPTER_BYTES >> 20} MB), all editions": (
            "\n\n".join(repeated(paragraphs, CHAPTER_BYTES - 1024)), "", ("pdf", "print", "epub"),
            "default text, all editions"),
        f"{args.chapter_mb} MB chapter, all editions": ("\n\n".join(repeated(paragraphs, args.chapter_mb << 20)), "",
                                                         ("pdf", "print", "epub"), "default text, all editions"),
        "default text, print": (default_text, "", ("print",), None),
        f"{args.cover_px // 1000}k cover, print": (default_text, 'cover-image = "cover.png"\n', ("print",),
                                                  "default text, print"),
    }
    chosen: list[str] = []
    for name, (_, _, _, baseline) in shapes.items():
        if not args.only or any(name.startswith(prefix) for prefix in args.only):
            chosen += [item for item in (baseline, name) if item and item not in chosen]  # baseline first
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; builds with {args.root / 'build.py'}")
    results: dict[str, tuple[float, float, str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for number, name in enumerate(chosen):
            body, print_table, editions, baseline = shapes[name]
            book = make_book(scratch / f"book{number}", body, print_table)
            if print_table:
                write_png(book / "cover.png", args.cover_px, args.cover_px)
            command = [sys.executable, str(args.root / "build.py")]
            if args.lift_limits:  # the same command, run with every limit of book/load/limits.py lifted
                command[1:] = ["-c", LIFTED, str(args.root)]
            command += ["--book", str(book), "--out", str(scratch / f"out{number}"), "--force", "-q"]
            command += [item for edition in editions for item in ("--edition", edition)]
            results[name] = run(command, args.timeout)
            seconds, peak, ended = results[name]
            ratio = ""
            if baseline in results:
                ratio = f"{seconds / results[baseline][0]:6.2f}x time  {peak / results[baseline][1]:5.2f}x memory"
            size = len(body.encode("utf-8")) / 1024
            print(f"{name:<34} {size:8.0f} KB {seconds:8.2f} s {peak:7.0f} MiB  {ratio:<30} {ended}", flush=True)
            shutil.rmtree(book)
            shutil.rmtree(scratch / f"out{number}", ignore_errors=True)


if __name__ == "__main__":
    main()
