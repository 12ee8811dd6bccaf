"""The PDF/UA-1 checker (book/pdfua/) on the screen PDF of a long synthetic book.

    .venv/bin/python benchmarks/pdfua_long.py [--pages 800] [--book DIR]

The tests run the checker on the default book and on a report; a long book has what they do
not (an index of thousands of locator links, a chronology and sayings in pieces, parts written
in files of ten pages and joined), so it is checked here, where a minute of layout is no
test's business. Prints the build's and the check's seconds, the file's pages and links, and
the violations by rule; exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import pikepdf  # noqa: E402

from book.cli import DEFAULT_BOOK  # noqa: E402
from book.pdfua import check_pdfua  # noqa: E402
from speed import FRONT_AND_BACK, PAGES_PER_REPEAT  # noqa: E402  ("800 pages" is speed.py's book)
from synthetic import make_book  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--book", type=Path, default=DEFAULT_BOOK)
    args = parser.parse_args()
    repeat = max(1, round((args.pages - FRONT_AND_BACK) / PAGES_PER_REPEAT))
    with tempfile.TemporaryDirectory() as folder:
        book = make_book(args.book, Path(folder) / "book", repeat)
        out = Path(folder) / "out"
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out),
                        "--edition", "pdf", "--quiet", "--force"], check=True)
        built = time.perf_counter() - started
        pdf_path = next(out.glob("*.pdf"))
        with pikepdf.open(pdf_path) as pdf:
            pages = len(pdf.pages)
            links = sum(1 for page in pdf.pages for annotation in page.obj.get("/Annots", [])
                        if annotation.get("/Subtype") == pikepdf.Name.Link)
        started = time.perf_counter()
        violations = check_pdfua(pdf_path)
        checked = time.perf_counter() - started
    print(f"book: {args.book.name} x{repeat}, {pages} pages, {links} links")
    print(f"build (screen PDF, cold): {built:6.1f} s")
    print(f"PDF/UA-1 check:           {checked:6.1f} s")
    counts = Counter(violation.rule for violation in violations)
    print(f"violations: {len(violations)}" + "".join(f"\n  {rule}: {n}" for rule, n in counts.most_common()))
    for violation in violations[:10]:
        print(f"    {violation.rule}: {violation.message}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
