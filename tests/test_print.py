"""The print edition: interior boxes and pagination for a right-bound book, and its cover."""

from __future__ import annotations

import pikepdf
import pypdfium2
import pytest
from pypdf import PdfReader

from book.build import prepare
from book.pdf.covers import cover_geometry, write_cover
from book.preflight import reader_numbers
from conftest import ROOT, in_reading_order, named_page

INCH = 72.0
TRIM = (6 * INCH, 9 * INCH)
BLEED = 0.125 * INCH


@pytest.fixture(scope="module")
def interior(built):
    with pikepdf.open(built.interior) as pdf:
        yield pdf


@pytest.fixture(scope="module")
def book():
    return prepare(ROOT)


def _box(page, name):
    return [float(v) for v in page.obj[name]]


def test_trim_is_the_trim_size_and_bleed_is_on_the_outer_edges_only(interior):
    for number, page in zip(reader_numbers(interior), interior.pages):
        trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        assert trim[2] - trim[0] == pytest.approx(TRIM[0]) and trim[3] - trim[1] == pytest.approx(TRIM[1])
        assert trim[1] - bleed[1] == pytest.approx(BLEED) and bleed[3] - trim[3] == pytest.approx(BLEED)
        recto = number % 2 == 1  # bound on the right: a recto's binding edge is its right edge
        outer, inner = (trim[0] - bleed[0], bleed[2] - trim[2]) if recto else (bleed[2] - trim[2], trim[0] - bleed[0])
        assert outer == pytest.approx(BLEED), f"page {number}: no bleed on the outer edge"
        assert inner == pytest.approx(0), f"page {number}: bleed on the binding edge"
        assert _box(page, "/MediaBox") == bleed


def test_page_count_is_what_the_printer_needs(interior, book):
    assert len(interior.pages) % book.meta.printing.page_multiple == 0


def test_chapters_and_back_matter_open_on_a_recto(interior, book):
    for name in [c.slug for c in book.chapters] + ["chronology", "sayings", "index", "toc"]:
        assert named_page(interior, name) % 2 == 1, f"{name} opens on a verso"


def test_blank_pages_carry_no_folio_or_running_head(built, book):
    texts = [page.extract_text().strip() for page in in_reading_order(built.interior)]
    furniture = {c.title for c in book.chapters}
    blank = 0
    for number, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            blank += 1
            continue
        only_furniture = all(line.isdigit() or line in furniture for line in lines)
        assert not only_furniture, f"page {number} has only a folio or running head: {lines}"
    assert blank >= 2  # the verso after the half-title, and versos before recto openings


def test_direction_and_labels(built, interior):
    """The default printer (IngramSpark) takes a right-bound interior last page first: each
    page is still labelled with the folio its reader sees."""
    assert interior.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
    labels = PdfReader(built.interior).page_labels
    assert len(labels) == len(interior.pages) and labels[-1] == "١" \
        and labels[0] == "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in str(len(interior.pages)))


def test_cover_width_follows_the_interior_page_count(built, interior, book):
    with pikepdf.open(built.cover) as cover:
        page = cover.pages[0]
        media, trim = _box(page, "/MediaBox"), _box(page, "/TrimBox")
    spine = len(interior.pages) / 444 * INCH  # IngramSpark's 50# white: 444 pages an inch
    assert media[2] - media[0] == pytest.approx(2 * TRIM[0] + spine + 2 * BLEED, abs=0.5)
    assert media[3] - media[1] == pytest.approx(TRIM[1] + 2 * BLEED, abs=0.5)
    assert trim == pytest.approx([BLEED, BLEED, media[2] - BLEED, media[3] - BLEED], abs=0.01)


def _spine_text(path, book, pages) -> str:
    g = cover_geometry(book, pages)
    page = pypdfium2.PdfDocument(path)[0]
    return page.get_textpage().get_text_bounded(g["spine_x"] - 0.5, 0, g["spine_end"] + 0.5, g["sheet_height"]).strip()


def test_spine_text_only_above_the_threshold(built, interior, book, tmp_path):
    assert book.meta.printing.spine_text_min_pages > len(interior.pages)
    assert _spine_text(built.cover, book, len(interior.pages)) == ""
    thick = tmp_path / "thick-cover.pdf"
    write_cover(book, thick, 300)  # a synthetic 300-page interior
    g = cover_geometry(book, 300)
    assert g["spine"] == pytest.approx(300 / 444 * INCH)
    with pikepdf.open(thick) as cover:
        width = float(cover.pages[0].obj.MediaBox[2])
    assert width == pytest.approx(2 * TRIM[0] + g["spine"] + 2 * BLEED, abs=0.5)
    assert book.meta.title in _spine_text(thick, book, 300)


def test_front_cover_is_the_left_panel(built, interior, book):
    g = cover_geometry(book, len(interior.pages))
    page = pypdfium2.PdfDocument(built.cover)[0]
    text = page.get_textpage()
    front = text.get_text_bounded(0, 0, g["spine_x"], g["sheet_height"])
    back = text.get_text_bounded(g["back_x"], 0, g["sheet_width"], g["sheet_height"])
    assert book.meta.subtitle.split()[0] in front  # the title page's subtitle is on the front
    assert book.meta.printing.blurb.split()[0] in back  # the blurb is on the back


def test_crop_marks_only_when_asked_and_outside_the_bleed(tmp_path):
    from conftest import copy_default_book, run_build
    book_dir = copy_default_book(tmp_path, "crop-marks = true\n")
    result = run_build("--book", book_dir, "--out", tmp_path / "out", "--edition", "print")
    assert result.returncode == 0, result.stderr
    with pikepdf.open(tmp_path / "out" / "ma-bad-daesh-print.pdf") as pdf:
        for page in pdf.pages:
            media, bleed = _box(page, "/MediaBox"), _box(page, "/BleedBox")
            assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]
            marks = [[float(v) for v in ops] for ops, op in pikepdf.parse_content_stream(page.obj.Contents[-1])
                     if str(op) in ("m", "l")]
            assert len(marks) == 16  # 8 lines, each a move and a line
            for x, y in marks:  # every end of every mark lies outside the bleed
                assert not (bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3])
