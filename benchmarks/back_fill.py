"""How full the back matter's pages are (issue 21: no page of a chronology, list of sayings or
index left a quarter empty before a group that could start on it), read from a built screen PDF.

    .venv/bin/python benchmarks/back_fill.py [--pages 800] [--pdf BOOK.pdf]

Builds the screen PDF of a synthetic book of about `--pages` pages (the default chapters
repeated, as speed.py counts them; its chronology and sayings then go in pieces, book/pdf/back.py)
or reads `--pdf`, and prints per section its pages, the least full page but the section's last,
and every page under 75% full. A page's fill is how far down its text area its text reaches
(tests/test_back_pieces.py asserts on the same measure).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
import pypdfium2

HERE = Path(__file__).resolve().parent
MM = 72 / 25.4
TOP_MARGIN, BOTTOM_MARGIN = 20 * MM, 22 * MM  # styles/pdf.css: the text area lies between them
SECTIONS = ("chronology", "sayings", "index")  # the back matter's anchors, in book order


def fill(page: pypdfium2.PdfPage) -> float:
    """How far down its text area a page's text reaches: from the area's top to its lowest
    glyph, over the area's height (a full page reads about 0.9 to 1, its last line's descent
    and leading short of the margin)."""
    width, height = page.get_size()
    text = page.get_textpage()
    bottoms = [text.get_charbox(index)[1] for index in range(text.count_chars())
               if text.get_text_range(index, 1).strip()]
    inside = [bottom for bottom in bottoms if BOTTOM_MARGIN - 2 <= bottom <= height - TOP_MARGIN]
    return (height - TOP_MARGIN - min(inside)) / (height - TOP_MARGIN - BOTTOM_MARGIN) if inside else 0.0


def section_pages(path: Path) -> dict[str, range]:
    """The pages of each back section of the PDF at `path` (from its named destinations)."""
    with pikepdf.open(path) as pdf:
        destinations = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        numbers = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        count = len(pdf.pages)
    firsts = [(name, numbers[destinations[name][0].objgen]) for name in SECTIONS if name in destinations]
    ends = [first for _, first in firsts[1:]] + [count + 1]
    return {name: range(first, end) for (name, first), end in zip(firsts, ends)}


def report(path: Path) -> None:
    document = pypdfium2.PdfDocument(path)
    for name, pages in section_pages(path).items():
        fills = {number: fill(document[number - 1]) for number in pages}
        but_last = {number: value for number, value in fills.items() if number != pages[-1]}
        low = ", ".join(f"p. {number} {value:.0%}" for number, value in but_last.items() if value < 0.75)
        least = f"{min(but_last.values()):.0%}" if but_last else "-"
        print(f"{name:<11} {len(pages):4d} pages, least full but the last {least}, under 75%: {low or 'none'}")
    document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--pdf", type=Path)
    args = parser.parse_args()
    if args.pdf:
        report(args.pdf)
        return
    sys.path.insert(0, str(HERE))
    from speed import FRONT_AND_BACK, PAGES_PER_REPEAT
    from synthetic import make_book
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book"
        make_book(HERE.parent, book, max(1, round((args.pages - FRONT_AND_BACK) / PAGES_PER_REPEAT)))
        subprocess.run([sys.executable, str(HERE.parent / "build.py"), "--book", str(book), "--out",
                        str(Path(folder) / "out"), "--edition", "pdf", "-q"], check=True)
        report(next((Path(folder) / "out").glob("*.pdf")))


if __name__ == "__main__":
    main()
