"""Printer profiles: the print files made to IngramSpark's, KDP's and Lulu's rules, each rule
measured from the built files (page count, order, boxes, spine, ink by Ghostscript separations,
black ink alone, margins, XMP), for the default book and a synthetic book of about 300 pages."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy
import pikepdf
import pypdfium2
import pytest
from PIL import Image

from conftest import ROOT, PrintFiles, copy_default_book, run_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import make_book  # noqa: E402

INCH = 72.0
TRIM = (6 * INCH, 9 * INCH)
BLEED = 0.125 * INCH


@dataclass(frozen=True)
class Rules:
    """The printers' published rules, written out here apart from book/printers.py."""

    least: int
    multiple: int
    spine: object  # pages -> inches
    binding: str
    reverse: bool
    bleed_on_bound_edge: bool
    ink: int | None
    safe: float
    gutter: object  # pages -> inches
    bookmarks: bool
    spine_text_from: int


PRINTERS = {
    "ingramspark": Rules(18, 2, lambda pages: pages / 444, "right", True, False, 240, 0.5, lambda pages: 0.5, True, 48),
    "kdp": Rules(24, 2, lambda pages: pages * 0.002252, "left", False, False, None, 0.375,
                 lambda pages: 0.375 if pages <= 150 else 0.5 if pages <= 300 else 0.625 if pages <= 500 else 0.75,
                 False, 79),
    "lulu": Rules(32, 4, lambda pages: pages / 444 + 0.06, "left", False, True, 270, 0.5,
                  lambda pages: 0.5 if pages <= 60 else 0.625 if pages <= 150 else 1.0 if pages <= 400 else 1.125,
                  True, 81),
}


@dataclass(frozen=True)
class Made(PrintFiles):
    printer: str
    out: Path
    stdout: str
    stderr: str


def _build(book: Path, out: Path, printer: str, *editions: str) -> Made:
    toml = book / "book.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r"(?m)^printer = .*\n", "", text).replace("[print]\n", f'[print]\nprinter = "{printer}"\n'),
                    encoding="utf-8")
    arguments = [argument for edition in editions for argument in ("--edition", edition)]
    result = run_build("--book", book, "--out", out, *arguments)
    assert result.returncode == 0, result.stderr
    return Made(printer, out, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def default_made(tmp_path_factory):
    """The default book, every edition, once per printer."""
    folder = tmp_path_factory.mktemp("printers")
    made = {}
    for printer in PRINTERS:
        (folder / printer).mkdir()
        book = copy_default_book(folder / printer, data_files=True)
        made[printer] = _build(book, folder / printer / "out", printer)
    return made


@pytest.fixture(scope="module")
def long_made(tmp_path_factory):
    """A synthetic book of about 300 print pages (the default chapters 23 times over, with a
    table, notes and a figure in each), its print files once per printer."""
    folder = tmp_path_factory.mktemp("printers-300")
    source = make_book(ROOT, folder / "source", 23)
    made = {}
    for printer in PRINTERS:
        book = folder / printer
        shutil.copytree(source, book)
        made[printer] = _build(book, folder / f"{printer}-out", printer, "print")
    return made


def _labels(pdf: pikepdf.Pdf) -> list[int]:
    return [int("".join(str(int(c)) for c in page.label)) for page in pdf.pages]


def _separations(path: Path, folder: Path, resolution: int = 24) -> list[numpy.ndarray]:
    """Each page rendered by Ghostscript to CMYK (tiff32nc): the four inks, 0-255."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", f"-r{resolution}",
                    f"-sOutputFile={folder}/page-%04d.tif", str(path)], check=True)
    return [numpy.asarray(Image.open(tif), dtype=numpy.int32) for tif in sorted(folder.glob("page-*.tif"))]


def _text_gaps(path: Path, labels: list[int], binding: str) -> tuple[float, float]:
    """The least distance (inches) of any character from the bound edge, and from the others."""
    document = pypdfium2.PdfDocument(path)
    inner = outer = 99.0
    for index in range(len(document)):
        page = document[index]
        trim = page.get_trimbox()
        text = page.get_textpage()
        bound_right = (labels[index] % 2 == 1) == (binding == "right")
        for i in range(text.count_chars()):
            if text.get_text_range(i, 1).isspace():
                continue
            left, bottom, right, top = text.get_charbox(i)
            if right <= left:
                continue
            inner = min(inner, ((trim[2] - right) if bound_right else (left - trim[0])) / INCH)
            outer = min(outer, ((left - trim[0]) if bound_right else (trim[2] - right)) / INCH,
                        (bottom - trim[1]) / INCH, (trim[3] - top) / INCH)
    return inner, outer


def _check_rules(made: Made, tmp_path: Path) -> int:
    rules = PRINTERS[made.printer]
    with pikepdf.open(made.interior) as pdf:
        pages = len(pdf.pages)
        labels = _labels(pdf)
        # Page count: the least and the multiple
        assert pages >= rules.least and pages % rules.multiple == 0, (made.printer, pages)
        # Order: the reader's page 1 first, or (reverse) the book's last page first
        assert labels == (list(range(pages, 0, -1)) if rules.reverse else list(range(1, pages + 1)))
        # Boxes: the trim, bleed on the outer edges, on the bound edge only where the printer wants it
        for index, page in enumerate(pdf.pages):
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(TRIM)
            bound_right = (labels[index] % 2 == 1) == (rules.binding == "right")
            outer = trim[0] - bleed[0] if bound_right else bleed[2] - trim[2]
            inner = bleed[2] - trim[2] if bound_right else trim[0] - bleed[0]
            assert outer == pytest.approx(BLEED) and trim[1] - bleed[1] == pytest.approx(BLEED)
            assert inner == pytest.approx(BLEED if rules.bleed_on_bound_edge else 0), (made.printer, labels[index])
        # Bookmarks and tags only where the printer wants them, and then leading to pages of the
        # file (a reordering that copies pages leaves them pointing at pages no longer there)
        assert ("/Outlines" in pdf.Root) == rules.bookmarks and ("/StructTreeRoot" in pdf.Root) == rules.bookmarks
        in_file = {page.objgen for page in pdf.pages}
        if rules.bookmarks:
            with pdf.open_outline() as outline:
                targets = [item.destination[0] for item in outline.root if item.destination]
            targets += [(d if isinstance(d, pikepdf.Array) else d.D)[0]
                        for _, d in pikepdf.NameTree(pdf.Root.Names.Dests).items()]
            assert targets and all(target.objgen in in_file for target in targets)
        # XMP: identification, version, rendition, and Info's entries mirrored
        meta = pdf.open_metadata()
        for key in ("xmpMM:DocumentID", "xmpMM:InstanceID", "xmpMM:VersionID", "xmpMM:RenditionClass"):
            assert meta.get(key), key
        assert meta.get("{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion") == "PDF/X-4"
        assert meta.get("xmp:CreatorTool") == str(pdf.docinfo.Creator)
        assert meta.get("pdf:Producer") == str(pdf.docinfo.Producer)
    # Margins: text clear of the bound edge by the gutter the printer asks at this count, and of the others
    inner, outer = _text_gaps(made.interior, labels, rules.binding)
    assert inner >= max(rules.gutter(pages), rules.safe) - 0.01, (made.printer, inner)
    assert outer >= rules.safe - 0.01, (made.printer, outer)
    # Black ink alone in the interior, rendered by Ghostscript
    for number, inks in enumerate(_separations(made.interior, tmp_path / f"{made.printer}-interior"), start=1):
        assert inks[..., :3].max() == 0, f"{made.printer}: cyan, magenta or yellow on file page {number}"
    # The cover: its width by the printer's spine formula, its ink under the limit (Ghostscript)
    with pikepdf.open(made.cover) as cover:
        media = [float(v) for v in cover.pages[0].obj.MediaBox]
        meta = cover.open_metadata()
        assert meta.get("xmpMM:DocumentID") and meta.get("xmpMM:RenditionClass")
    spine = rules.spine(pages) * INCH
    assert media[2] - media[0] == pytest.approx(2 * TRIM[0] + spine + 2 * BLEED, abs=0.5)
    [inks] = _separations(made.cover, tmp_path / f"{made.printer}-cover", 36)
    total = inks.sum(axis=-1) * 100 / 255
    if rules.ink:
        assert total.max() <= rules.ink, (made.printer, total.max())
    # The front panel: left in a right-bound book, right in a left-bound one
    page = pypdfium2.PdfDocument(made.cover)[0]
    text = page.get_textpage()
    half = (media[2] - media[0]) / 2
    front = text.get_text_bounded(0, 0, half - spine / 2, media[3]) if rules.binding == "right" \
        else text.get_text_bounded(half + spine / 2, 0, media[2], media[3])
    assert "سوريا والعراق" in front
    spine_text = text.get_text_bounded(half - spine / 2 - 0.5, 0, half + spine / 2 + 0.5, media[3]).strip()
    assert bool(spine_text) == (pages >= rules.spine_text_from), (made.printer, pages, spine_text)
    return pages


@pytest.mark.parametrize("printer", list(PRINTERS))
def test_default_book_made_to_each_printers_rules(default_made, printer, tmp_path):
    made = default_made[printer]
    pages = _check_rules(made, tmp_path)
    own = 20  # the default book's own pages
    if pages > own:  # the padding is reported
        assert f"{pages} pages, {pages - own} of them blank at the end" in made.stdout


@pytest.mark.parametrize("printer", list(PRINTERS))
def test_a_300_page_book_made_to_each_printers_rules(long_made, printer, tmp_path):
    pages = _check_rules(long_made[printer], tmp_path)
    assert 250 <= pages <= 400, pages


def test_reverse_order_puts_the_books_last_page_first(default_made):
    """IngramSpark: the interior's first page is the book's last printed page (the generic
    press's file, in the reader's order, has it last)."""
    reversed_file = pypdfium2.PdfDocument(default_made["ingramspark"].interior)
    pages = len(reversed_file)
    first = reversed_file[0].get_textpage().get_text_range()
    last = reversed_file[pages - 1].get_textpage().get_text_range()
    assert "فهرس" in first or "يحيى" in first, first[:200]  # the index's last page
    assert "ما بعد داعش" in last  # the half-title, the book's first page, comes last


def test_check_gives_one_verdict_per_printer(default_made):
    for printer, made in default_made.items():
        result = run_build("check", "--book", made.out.parent / "book", "--out", made.out)
        assert result.returncode == 0, result.stdout + result.stderr
        verdicts = [line for line in result.stdout.splitlines() if line.startswith("info: printers: ")]
        assert len(verdicts) == 4, verdicts
        own = next(line for line in verdicts if f"({printer}, the book’s printer)" in line)
        assert "would accept these files" in own
        if printer == "ingramspark":  # the others' checks reject a reverse-ordered file, and say why
            kdp = next(line for line in verdicts if "(kdp)" in line)
            assert "would reject" in kdp and "under Amazon KDP's minimum of 24" in kdp


def test_left_binding_is_a_warning_that_says_what_the_reader_gets(default_made):
    for printer in ("kdp", "lulu"):
        made = default_made[printer]
        assert "binds on the left only" in made.stderr and "front cover on the right panel" in made.stderr
    assert "binds on the left only" not in default_made["ingramspark"].stderr


def test_screen_pdf_and_epub_unchanged_by_the_printer(default_made):
    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    for name in ("ma-bad-daesh.pdf", "ma-bad-daesh.epub"):
        assert len({digest(made.out / name) for made in default_made.values()}) == 1, name


def test_check_rejects_a_file_made_for_another_printer(default_made, tmp_path):
    """The KDP file checked as IngramSpark's: exit 3, the rule, the measured value, the page."""
    made = default_made["kdp"]
    book = made.out.parent / "book"
    copy = tmp_path / "book"
    shutil.copytree(book, copy)
    toml = copy / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('printer = "kdp"', 'printer = "ingramspark"'),
                    encoding="utf-8")
    result = run_build("check", "--book", copy, "--out", made.out)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "error: ma-bad-daesh-print.pdf: page order: the file's first page is the book's page 1" in result.stdout


def test_a_trim_the_printer_does_not_offer_is_an_error_at_its_line(tmp_path):
    book = copy_default_book(tmp_path, 'printer = "kdp"\n')
    toml = book / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('trim = "6x9in"', 'trim = "A5"'), encoding="utf-8")
    result = run_build("--book", book, "--out", tmp_path / "out", "--edition", "print")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    line = next(n for n, text in enumerate(toml.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("trim"))
    assert f"book.toml:{line}" in result.stderr and 'trim "A5" is not offered by Amazon KDP' in result.stderr
