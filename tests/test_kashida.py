"""Kashida justification (`[layout] justify = "kashida"`), held to what a typesetter and a
reader ask of it: the same lines as with spaces alone, the same words read back, every tatweel
where the field's rules allow one, and looser lines cut by at least half. The books here are the
default book with a paragraph of the author's own tatweels added: those read back as tatweels
(book/pdf/textlayer.py, TypedTatweels); the inserted ones are drawn within copies of the letters
they lengthen and read as nothing of their own (WidenedLetters), so every word is read, and
found by a reader's search, as in the spaces edition."""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from book.build import prepare
from book.fonts import files_by_postscript_name
from book.kashida import TATWEEL, check_insertion
from book.pdf.font_programs import _used_glyphs
from book.pdf.justify import inserted, inserted_at
from book.pdf.lines import body_documents, measure_document
from book.pdf.positions import x_ranges
from book.pdf.textlayer import embedded_postscript_name, typed_tatweels, widened_letters
from book.pdfua import check_pdfua
from conftest import copy_default_book, run_build

JOINER = "\u200d"  # what Amiri's joining strokes read as (book/pdf/textlayer.py), in either edition
# The author's tatweels, one to three in a row, in a justified paragraph: each of these words is
# the first choice of a site (P0, after the author's tatweel), so inserted tatweels join typed ones.
TYPED = ("وفي المـدينة الكبـيرة عادت الحـياة إلى الشـوارع بعد سنـوات الحـرب، وفتحت المـدارس أبـوابها من "
         "جديد، وعاد البـاعة إلى الأسـواق القديمة، وامتلأت المسـاجد بالمصلين في صلاة الجمـعة، وبدأ الأهالي "
         "يرمـمون بيوتهم المهـدمة حجراً حجراً، واستعادت الأحـياء القديمة شيئاً من حيويتها في الموصـــل.")
TYPED_WORDS = [word.strip("،.") for word in TYPED.split() if TATWEEL in word]


def _typed_book(folder: Path, justify: str) -> Path:
    """The default book (its index and chronology, whose Hijri years end in «هـ») with TYPED as
    its first chapter's second paragraph, justified by `justify`."""
    book = copy_default_book(folder, data_files=True)
    toml = book / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[layout]\n", f'[layout]\njustify = "{justify}"\n'),
                    encoding="utf-8")
    chapter = next(iter(sorted((book / "chapters").glob("*.md"))))
    text = chapter.read_text(encoding="utf-8")
    first = text.index("\n\n", text.index("+++", 3) + 4)  # the end of the first paragraph
    chapter.write_text(text[:first] + "\n\n" + TYPED + text[first:], encoding="utf-8")
    return book


@pytest.fixture(scope="module")
def kashida_book(tmp_path_factory) -> Path:
    return _typed_book(tmp_path_factory.mktemp("kashida"), "kashida")


def _built(book: Path, out: Path, *editions: str) -> Path:
    result = run_build("--book", book, "--out", out, *(arg for edition in editions for arg in ("--edition", edition)))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def kashida_built(kashida_book, tmp_path_factory) -> Path:
    return _built(kashida_book, tmp_path_factory.mktemp("kashida-out"), "pdf", "epub", "print")


@pytest.fixture(scope="module")
def spaces_built(tmp_path_factory) -> Path:
    """The same book justified with spaces alone."""
    folder = tmp_path_factory.mktemp("spaces")
    return _built(_typed_book(folder, "spaces"), folder / "out", "pdf", "epub")


def _pdfium_pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def _pypdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _pdftotext_pages(path: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout.split("\f")[:-1]


READERS = {"PDFium": _pdfium_pages, "pypdf": _pypdf_pages, "pdftotext": _pdftotext_pages}


def _lines(page: str) -> list[list[str]]:
    """A page's lines as words: the author's tatweels kept, and joiners (Amiri's joining strokes)."""
    return [line.split() for line in page.splitlines()]


def _same_lines(spaces: list[str], kashida: list[str]) -> None:
    assert len(spaces) == len(kashida)
    for number, (a, b) in enumerate(zip(spaces, kashida), start=1):
        assert _lines(a) == _lines(b), f"page {number}"  # the very same words line by line


def test_lines_break_where_they_broke_and_pdfium_reads_the_same_words(spaces_built, kashida_built):
    """Page by page, line by line, PDFium's text of the kashida edition is the spaces edition's.
    The hundreds of inserted tatweels are drawn within the letters beside them and read as
    nothing: the joiners are Amiri's joining strokes alone, as many as with spaces (before, every
    inserted tatweel read as one more, 272 on the default book)."""
    spaces, kashida = _pdfium_pages(spaces_built / "ma-bad-daesh.pdf"), _pdfium_pages(kashida_built / "ma-bad-daesh.pdf")
    assert sum(page.count(JOINER) for page in kashida) == sum(page.count(JOINER) for page in spaces)
    _same_lines(spaces, kashida)


def test_pdfium_search_finds_every_word_as_often(spaces_built, kashida_built):
    """Every word of three letters or more, searched with PDFium's own search (Chrome's viewer),
    is found as many times in the kashida edition as in the spaces edition, the widened ones
    among them too (benchmarks/search_words.py prints the counts for any book)."""
    editions = {name: pypdfium2.PdfDocument(folder / "ma-bad-daesh.pdf")
                for name, folder in (("spaces", spaces_built), ("kashida", kashida_built))}
    pages = {name: [document[n].get_textpage() for n in range(len(document))] for name, document in editions.items()}
    text = "".join(page.get_text_range() for page in pages["spaces"]).replace(JOINER, "")
    words = sorted({word for word in re.findall(r"[\u0621-\u064a]{3,}", text)})

    def found(name: str, word: str) -> int:
        hits = 0
        for page in pages[name]:
            search = page.search(word, match_case=True)
            while search.get_next():
                hits += 1
        return hits
    counts = {word: (found("spaces", word), found("kashida", word)) for word in words}
    assert len(words) > 500 and sum(spaces for spaces, _ in counts.values()) > 2000
    # With every inserted tatweel read as a joiner, 12% of the occurrences were missed.
    assert {word: count for word, count in counts.items() if count[0] != count[1]} == {}


def test_pypdf_reads_the_same_words(spaces_built, kashida_built):
    _same_lines(_pypdf_pages(spaces_built / "ma-bad-daesh.pdf"), _pypdf_pages(kashida_built / "ma-bad-daesh.pdf"))


@pytest.mark.parametrize("reader", sorted(READERS))
def test_the_authors_tatweels_read_back_and_inserted_ones_never(spaces_built, kashida_built, reader):
    """Each extractor reads the tatweels the author typed (TYPED's, the chronology's «هـ») as
    U+0640 in the kashida edition, page by page as many as in the spaces edition: so none of the
    hundreds inserted reads as one, not even beside a typed one (the same glyph, drawn as one)."""
    if reader == "pdftotext" and not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    read = READERS[reader]
    spaces = read(spaces_built / "ma-bad-daesh.pdf")
    kashida, printed = read(kashida_built / "ma-bad-daesh.pdf"), read(kashida_built / "ma-bad-daesh-print.pdf")
    assert [page.count(TATWEEL) for page in kashida] == [page.count(TATWEEL) for page in spaces]
    for text in ("".join(kashida), "".join(printed)):  # the print interior: its own pages, the same text
        text = text.replace(JOINER, "")
        assert text.count(TATWEEL) == "".join(spaces).count(TATWEEL) >= TYPED.count(TATWEEL) + 10  # and «هـ»s
        assert "هـ" in text
        found = {word.strip("،.()") for word in text.split()}
        if reader != "pdftotext":  # which cuts some of Amiri's words in two, in either edition
            assert set(TYPED_WORDS) <= found, set(TYPED_WORDS) - found


def test_the_authors_tatweels_are_drawn_with_copies_the_fonts_hold(kashida_built):
    """Every glyph a font dictionary gives a width is in the embedded program, with that width
    (ISO 14289-1 7.21.4.1 and 7.21.5, which our checker leaves to the program): the copies the
    author's tatweels are drawn with too, each the outline of the glyph it copies, and the
    letters inserted tatweels are drawn within, each its letter and its tatweel."""
    files, copies, letters = files_by_postscript_name(), 0, 0
    for name in ("ma-bad-daesh.pdf", "ma-bad-daesh-print.pdf"):
        with pikepdf.open(kashida_built / name) as pdf:
            fonts = {font.objgen: font for page in pdf.pages for _, font in page.obj.Resources.get("/Font", {}).items()}
            for font in fonts.values():
                descendant = font.DescendantFonts[0]
                program = TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()))
                order, unit = program.getGlyphOrder(), 1000 / program["head"].unitsPerEm
                table = typed_tatweels(files[embedded_postscript_name(font)])
                widened = widened_letters(files[embedded_postscript_name(font)])
                items, widths = list(descendant.W), {}
                for first, run in zip(items[::2], items[1::2]):  # WeasyPrint writes `c [w ...]` alone
                    widths.update({int(first) + k: float(w) for k, w in enumerate(run)})
                assert set(widths) == _used_glyphs(descendant.W)
                for glyph, width in widths.items():
                    assert glyph < len(order), (name, glyph)
                    assert abs(program["hmtx"][order[glyph]][0] * unit - width) <= 1, (name, glyph, width)
                    source, joined = table.source(glyph), widened.source(glyph)
                    glyf = program["glyf"]
                    if source:
                        copies += 1
                        assert glyf[order[glyph]].getCoordinates(glyf)[0] == glyf[order[source[0]]].getCoordinates(glyf)[0]
                    if joined:  # the letter, then the tatweel after the letter's advance
                        letters += 1
                        letter, tatweel = (order[part] for part in joined)
                        parts = [(part.glyphName, part.x, part.y) for part in glyf[order[glyph]].components]
                        assert parts == [(letter, 0, 0), (tatweel, program["hmtx"][letter][0], 0)]
        assert name.endswith("print.pdf") or check_pdfua(kashida_built / name) == []
    assert copies >= 4 and letters >= 100


def test_the_epub_gets_none(spaces_built, kashida_built):
    """Reading systems set their own lines: the EPUB's documents are the spaces book's."""
    with zipfile.ZipFile(spaces_built / "ma-bad-daesh.epub") as spaces, \
            zipfile.ZipFile(kashida_built / "ma-bad-daesh.epub") as kashida:
        names = [name for name in spaces.namelist() if name.endswith(".xhtml")]
        assert names and all(spaces.read(name) == kashida.read(name) for name in names)


def _laid_out(book_root: Path, mode: str):
    book = prepare(book_root)
    return body_documents(replace(book, meta=replace(book.meta, justify=mode)))


def test_every_tatweel_is_where_the_rules_allow_one(kashida_book):
    """Each widened word against book/kashida.py's independent checker: joining letters on
    both sides, never in lam-alef or الله, never between a letter and its marks, one site a
    word; the line's count is what the text box says it was given, and the box knows where
    each went (what the text layer reads them apart by): without them, its text as set."""
    widened = beside_typed = 0
    for _, document in _laid_out(kashida_book, "kashida"):
        for page in document.pages:
            for box in page._page_box.descendants():  # WeasyPrint keeps the laid-out boxes here
                if not isinstance(box, boxes.TextBox) or not inserted(box):
                    continue
                before, after = box.unwidened.split(" "), box.text.split(" ")
                assert len(before) == len(after)
                assert box.text.count(TATWEEL) - box.unwidened.count(TATWEEL) == inserted(box)
                at = set(inserted_at(box))
                assert len(at) == inserted(box) and all(box.text[i] == TATWEEL for i in at)
                assert "".join(c for i, c in enumerate(box.text) if i not in at) == box.unwidened
                typed = {i for i, c in enumerate(box.text) if c == TATWEEL} - at
                beside_typed += sum(1 for i in at if {i - 1, i + 1} & typed)
                for old, new in zip(before, after):
                    if old != new:
                        assert check_insertion(old, new) == [], (old, new)
                        widened += 1
    assert widened > 100
    assert beside_typed >= 3  # an inserted tatweel drawn in one glyph with the author's


def test_no_kashida_stands_under_one_on_the_line_above(kashida_book):
    """Where each inserted tatweel was drawn (Pango's positions after layout, not justify.py's
    own estimate), against those of the paragraph's line above on the same page: never within
    1.5% of the line's width (a letter or two). justify.py's shares of the line's characters
    let 4 of 58 such pairs of lines through, the closest 0.0% apart."""
    pairs, closest = 0, []
    for _, document in _laid_out(kashida_book, "kashida"):
        for page in document.pages:
            above: dict[object, list[float]] = {}  # paragraph -> the last line's tatweels
            for line in page._page_box.descendants():
                if not isinstance(line, boxes.LineBox):
                    continue
                drawn = []
                for box in line.descendants():
                    if isinstance(box, boxes.TextBox) and inserted(box):
                        drawn += [(left + right) / 2 for left, right in x_ranges(box, [(at, at + 1) for at in inserted_at(box)])]
                if drawn and above.get(line.element):
                    pairs += 1
                    closest.append(min(abs(x - y) for x in drawn for y in above[line.element]) / line.width)
                above[line.element] = drawn
    assert pairs > 30
    assert min(closest) > 0.015, sorted(closest)[:5]


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
