"""What a reader copies and searches: the PDF's words in order, exact, per extractor.

The fidelity check (book/checks.py) asks whether any extractor lost a word, after folding
marks, tatweel and each extractor's known artefacts. This one asks what a reader gets: the
text of each chapter's pages as PDFium (Chrome's and Edge's viewer), poppler's pdftotext
(Evince, Okular, most Linux tools) and pypdf hand it over, raw, split at white space and
compared word by word with the author's words, NFC, marks and punctuation included.

One thing is taken out of the extractors' text before comparing: the directional controls
(U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) pdftotext wraps around each run to say how
it ordered it. They are invisible, not characters of the text, and a search box drops them.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Callable, Sequence

from .fidelity import quoted, reading_orders
from .model import Book

_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def exact_words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text.translate(_CONTROLS)).split()


@dataclass(frozen=True)
class ExactReading:
    """One extractor's reading of the chapters' pages against the chapters' words."""
    extractor: str
    total: int
    in_order: int
    differences: tuple[str, ...]   # each: source words «…» read as «…», in order

    @property
    def ratio(self) -> float:
        return self.in_order / self.total if self.total else 1.0


def _pdfium(path: Path) -> Callable[[int], str]:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(str(path))
    return lambda page: document[page].get_textpage().get_text_range()


def _pypdf(path: Path) -> Callable[[int], str]:
    from pypdf import PdfReader
    reader = PdfReader(path)
    return lambda page: reader.pages[page].extract_text()


def _pdftotext(path: Path) -> Callable[[int], str]:
    def read(page: int) -> str:
        number = str(page + 1)
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", number, "-l", number, str(path), "-"],
                              capture_output=True, text=True, check=True)
        return done.stdout
    return read


EXTRACTORS: dict[str, Callable[[Path], Callable[[int], str]]] = {
    "PDFium": _pdfium, "pdftotext": _pdftotext, "pypdf": _pypdf}


def available() -> list[str]:
    """The extractors this machine has: pdftotext is Debian's poppler-utils (the set-up installs it)."""
    return [name for name in EXTRACTORS if name != "pdftotext" or shutil.which("pdftotext")]


def compare(source: Sequence[str], found: Sequence[str]) -> tuple[int, list[str]]:
    """Source words read in order, and every place the reading differs, in order."""
    matcher = SequenceMatcher(None, source, found, autojunk=False)
    described = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete") and i2 > i1:
            described.append(f"{quoted(source[i1:i2])} read as {quoted(found[j1:j2]) if j2 > j1 else 'nothing'}")
    return sum(block.size for block in matcher.get_matching_blocks()), described


def read_exactly(book: Book, pdf_path: Path, chapter_pages: dict, extractors: Sequence[str] | None = None) -> list[ExactReading]:
    """Each extractor's reading of each chapter's own pages, against the chapter's words in
    the orders the PDF sets them (its blocks, then its footnotes apart)."""
    readings = []
    for name in extractors or available():
        text_of = EXTRACTORS[name](pdf_path)
        total = in_order = 0
        differences: list[str] = []
        for chapter in book.chapters:
            found = exact_words("\n".join(text_of(page) for page in chapter_pages[chapter.slug].own))
            for order in reading_orders(book, chapter, exact_words):
                matched, differing = compare(order, found)
                total, in_order = total + len(order), in_order + matched
                differences += [f"{chapter.slug}: {line}" for line in differing]
        readings.append(ExactReading(name, total, in_order, tuple(differences)))
    return readings
