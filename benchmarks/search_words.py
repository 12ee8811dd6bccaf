"""Whether PDFium (Chrome's viewer) finds a book's words when searched, justified by spaces and
by kashida (issue 21: a searched word never holds what kashida inserts).

    .venv/bin/python benchmarks/search_words.py [--book DIR] [--list 15]

Builds the book's screen PDF twice (`[layout] justify = "spaces"`, then "kashida", as
quality.py sets it), takes every distinct word of three letters or more from the spaces
edition's text (as PDFium reads it, punctuation stripped, joiners left out), searches each in
both editions with PDFium's own search, and prints the occurrences found in each, and the words
found fewer times with kashida.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2

from quality import BOOK_FILES, with_justify_file

HERE = Path(__file__).resolve().parent
JOINER = "\u200d"
WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]{3,}")  # Arabic letters (no tatweel, no marks)


def found(pages: list[pypdfium2.PdfTextPage], word: str) -> int:
    """How many times PDFium's search finds `word` on `pages`."""
    hits = 0
    for page in pages:
        search = page.search(word, match_case=True, match_whole_word=False)
        while search.get_next():
            hits += 1
    return hits


def build(source: Path, mode: str, folder: Path) -> Path:
    book = folder / f"book-{mode}"
    for part in BOOK_FILES:
        if (source / part).is_dir():
            shutil.copytree(source / part, book / part)
        elif (source / part).is_file():
            book.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / part, book / part)
    with_justify_file(book, mode)
    out = folder / f"out-{mode}"
    subprocess.run([sys.executable, str(HERE.parent / "build.py"), "--book", str(book), "--out", str(out),
                    "--edition", "pdf", "-q"], check=True)
    return next(out.glob("*.pdf"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=HERE.parent)
    parser.add_argument("--list", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        documents = {mode: pypdfium2.PdfDocument(build(args.book, mode, Path(folder))) for mode in ("spaces", "kashida")}
        editions = {mode: [document[n].get_textpage() for n in range(len(document))] for mode, document in documents.items()}
        text = "".join(page.get_text_range() for page in editions["spaces"])
        words = sorted(set(WORD.findall(text.replace(JOINER, ""))))
        counts = {word: {mode: found(pages, word) for mode, pages in editions.items()} for word in words}
    totals = {mode: sum(count[mode] for count in counts.values()) for mode in editions}
    fewer = [(word, count) for word, count in counts.items() if count["kashida"] < count["spaces"]]
    print(f"{len(words)} distinct words searched: found {totals['spaces']} times in the spaces edition, "
          f"{totals['kashida']} in the kashida edition; {len(fewer)} words found fewer times with kashida")
    for word, count in fewer[:args.list]:
        print(f"  {word}: {count['spaces']} -> {count['kashida']}")


if __name__ == "__main__":
    main()
