"""Kashida justification (`[layout] justify = "kashida"`), held to what a typesetter and a
reader ask of it: the same lines as with spaces alone, the same words read back, every tatweel
where the field's rules allow one, and looser lines cut by at least half."""

from __future__ import annotations

import statistics
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from book.build import prepare
from book.kashida import TATWEEL, check_insertion
from book.pdf.justify import inserted
from conftest import ROOT, copy_default_book, run_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from quality import body_documents, measure_document  # noqa: E402  (the benchmark's own measure)

JOINER = "\u200d"  # what the tatweel glyph reads as in a kashida book (book/pdf/textlayer.py)


@pytest.fixture(scope="module")
def kashida_book(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kashida")
    book = copy_default_book(folder, data_files=True)
    toml = book / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[layout]\n", '[layout]\njustify = "kashida"\n'),
                    encoding="utf-8")
    return book


@pytest.fixture(scope="module")
def kashida_built(kashida_book, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kashida-out")
    result = run_build("--book", kashida_book, "--out", out, "--edition", "pdf", "--edition", "epub")
    assert result.returncode == 0, result.stderr
    return out


def _pdfium_pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def _lines(page: str, typed: bool = True) -> list[list[str]]:
    """A page's lines as words, joiners left out (Amiri's joining strokes read as joiners in both
    editions, a tatweel as one in a kashida book). A tatweel the book itself typed (the Hijri
    era's «هـ» in the chronology) reads as a joiner too in a kashida book: the glyph is the
    same one (a known limit, in the README); such lines are held to the rest of their text."""
    page = page.replace(JOINER, "")
    return [line.split() for line in (page if typed else page.replace(TATWEEL, "")).splitlines()]


def _same_lines(spaces: list[str], kashida: list[str]) -> None:
    assert len(spaces) == len(kashida)
    for number, (a, b) in enumerate(zip(spaces, kashida), start=1):
        # With no tatweel typed on the page, the very same words line by line, joiners aside.
        assert _lines(a, typed=TATWEEL not in a) == _lines(b, typed=TATWEEL not in a), f"page {number}"
    assert not any(TATWEEL in page for page in kashida)  # a copied or searched word never holds one


def test_lines_break_where_they_broke_and_pdfium_reads_the_same_words(built, kashida_built):
    """Page by page, line by line, PDFium's text of the kashida edition is the spaces edition's."""
    spaces, kashida = _pdfium_pages(built.pdf), _pdfium_pages(kashida_built / "ma-bad-daesh.pdf")
    assert sum(page.count(JOINER) for page in kashida) > sum(page.count(JOINER) for page in spaces) + 100
    _same_lines(spaces, kashida)


def test_pypdf_reads_the_same_words(built, kashida_built):
    _same_lines([page.extract_text() for page in PdfReader(built.pdf).pages],
                [page.extract_text() for page in PdfReader(kashida_built / "ma-bad-daesh.pdf").pages])


def test_the_epub_gets_none(built, kashida_built):
    """Reading systems set their own lines: the EPUB's documents are the spaces book's."""
    with zipfile.ZipFile(built.epub) as spaces, zipfile.ZipFile(kashida_built / "ma-bad-daesh.epub") as kashida:
        names = [name for name in spaces.namelist() if name.endswith(".xhtml")]
        assert names and all(spaces.read(name) == kashida.read(name) for name in names)


def _laid_out(book_root: Path, mode: str):
    book = prepare(book_root)
    return body_documents(replace(book, meta=replace(book.meta, justify=mode)))


def test_every_tatweel_is_where_the_rules_allow_one(kashida_book):
    """Each widened word against book/kashida.py's independent checker: joining letters on
    both sides, never in lam-alef or الله, never between a letter and its marks, one site a
    word; and the line's count is what the text box says it was given."""
    widened = 0
    for _, document in _laid_out(kashida_book, "kashida"):
        for page in document.pages:
            for box in page._page_box.descendants():  # WeasyPrint keeps the laid-out boxes here
                if not isinstance(box, boxes.TextBox) or not inserted(box):
                    continue
                before, after = box.unwidened.split(" "), box.text.split(" ")
                assert len(before) == len(after)
                assert box.text.count(TATWEEL) - box.unwidened.count(TATWEEL) == inserted(box)
                for old, new in zip(before, after):
                    if old != new:
                        assert check_insertion(old, new) == [], (old, new)
                        widened += 1
    assert widened > 100


def test_loose_lines_fall_by_at_least_half(kashida_book):
    """The share of justified lines whose spaces exceed 1.5 times a space's natural width."""
    def loose_share(mode: str) -> tuple[float, float]:
        ratios = []
        for page, document in _laid_out(kashida_book, mode):
            ratios += [line.ratio for line in measure_document(document, page).justified]
        return sum(ratio > 1.5 for ratio in ratios) / len(ratios), statistics.median(ratios)

    (spaces, spaces_median), (kashida, kashida_median) = loose_share("spaces"), loose_share("kashida")
    print(f"lines above 1.5x: spaces {spaces:.1%}, kashida {kashida:.1%}; "
          f"median space {spaces_median:.2f} / {kashida_median:.2f}")
    assert kashida <= spaces / 2
    assert kashida_median < spaces_median


@pytest.mark.parametrize("mode", ["spaces", "kashida"])
def test_no_widow_orphan_or_lonely_heading(kashida_book, mode):
    """Read from the laid-out pages: no paragraph's last line alone atop a page, nor its first
    alone at a page's foot, and no heading last on a page, in either mode (the 800-page book:
    benchmarks/quality.py)."""
    found = []
    for page, document in _laid_out(kashida_book, mode):
        quality = measure_document(document, page)
        found += [("widow", line) for line in quality.widows] + [("orphan", line) for line in quality.orphans]
        found += [("lonely heading", line) for line in quality.lonely_headings]
        assert quality.pages
    assert not found, found
