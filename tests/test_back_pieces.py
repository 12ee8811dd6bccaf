"""A long chronology and list of sayings laid out in pieces (book/pdf/back.py), read back from
built screen PDFs: no page before a piece boundary is left more than a quarter empty, the pieces
give the very pages one layout of the back matter gives, and a rebuild after an edit gives a
cold build's bytes.

The book is the default one six times over (benchmarks/synthetic.py): 84 dated events, 12
sayings. Pieces are made short (PIECE_EVENTS, PIECE_SAYINGS, set here as test_parts does) so
that the chronology goes in four pieces of about three pages and the sayings in two of about a
page and a half: a piece cut where it was planned ended on a page as empty as chance left it
(half, on average; 50% and 62% full here before this was fixed).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from back_fill import fill  # noqa: E402
from synthetic import make_book  # noqa: E402

REPEAT = 6
PIECES = (20, 6)  # events, sayings a piece
ONE_PIECE = (10**6, 10**6)
EVENT_SENTENCE = ("تم تشكيل التحالف الدولي", "جرى تشكيل التحالف الدولي")  # in the last chapter, dated


def build(book_dir: Path, target: Path, pieces: tuple[int, int], cache: Path | None = None,
          log: Path | None = None) -> list[tuple[str, int]]:
    """The screen PDF of the book at `book_dir`, its back matter in pieces of `pieces` (events,
    sayings), in workers; returns its parts' names and lengths, in order. With `log`, every
    layout's template is written there (from the children that make them)."""
    from book.build import prepare
    from book.pdf import back, editions, typesetter
    laid: list = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(back, "PIECE_EVENTS", pieces[0])
        patch.setattr(back, "PIECE_SAYINGS", pieces[1])
        paginate = editions.paginate

        def kept(*args, **kwargs):  # the layout the PDF is joined from: its parts, in order
            laid.append(paginate(*args, **kwargs))
            return laid[-1]
        patch.setattr(editions, "paginate", kept)
        if log is not None:
            typeset = typesetter.Typesetter.typeset

            def heard(self, template, html, first_page, extra_css=""):
                with log.open("a", encoding="utf-8") as file:
                    file.write(template + "\n")
                return typeset(self, template, html, first_page, extra_css)
            patch.setattr(typesetter.Typesetter, "typeset", heard)
        editions.write_screen_pdf(prepare(book_dir), target, workers=2, cache=cache)
    lengths = []
    for part in laid[0].parts:
        with pikepdf.open(part.path) as pdf:
            lengths.append((part.path.stem, len(pdf.pages)))
    return lengths


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("back-pieces")
    make_book(ROOT, folder / "book", REPEAT, blocks=False)
    return folder


@pytest.fixture(scope="module")
def in_pieces(folder) -> tuple[Path, list[tuple[str, int]]]:
    """The book built in pieces, with a cache (the rebuild's first build)."""
    parts = build(folder / "book", folder / "pieces.pdf", PIECES, cache=folder / "cache")
    return folder / "pieces.pdf", parts


def boundaries(parts: list[tuple[str, int]]) -> dict[str, int]:
    """The page (of the book) that ends each back piece followed by a piece of its section."""
    found, page = {}, 0
    for (name, pages), (following, _) in zip(parts, [*parts[1:], ("", 0)]):
        page += pages
        section = name.split("-")[0]
        if section in ("chronology", "sayings") and following.split("-")[0] == section:
            found[name] = page
    return found


def texts(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    found = [document[number].get_textpage().get_text_range() for number in range(len(document))]
    document.close()
    return found


def test_no_page_before_a_piece_boundary_is_a_quarter_empty(in_pieces):
    path, parts = in_pieces
    names = [name for name, _ in parts]
    assert len([name for name in names if name.startswith("chronology-")]) >= 4
    assert len([name for name in names if name.startswith("sayings-")]) >= 2
    ends = boundaries(parts)
    assert len(ends) >= 4
    document = pypdfium2.PdfDocument(path)
    fills = {name: fill(document[page - 1]) for name, page in ends.items()}
    document.close()
    print({name: f"page {ends[name]}: {value:.0%}" for name, value in fills.items()})
    assert all(value >= 0.75 for value in fills.values()), ", ".join(
        f"{name} ends on page {ends[name]}, {value:.0%} full" for name, value in fills.items() if value < 0.75)


def test_the_pieces_give_the_pages_one_layout_gives(in_pieces, folder):
    """Every page of the book, the back matter's too, reads the same (words, locators, folios)
    as when the back matter is laid out in one part: a piece opens where one layout turns the
    page, and a year going on in it opens no heading of its own."""
    path, parts = in_pieces
    whole = build(folder / "book", folder / "whole.pdf", ONE_PIECE)
    assert "back" in [name for name, _ in whole] and "chronology-2" in [name for name, _ in parts]
    split, one = texts(path), texts(folder / "whole.pdf")
    assert len(split) == len(one)
    assert [number for number, (a, b) in enumerate(zip(split, one), start=1) if a != b] == []


def test_a_rebuild_after_an_edit_gives_a_cold_builds_bytes(in_pieces, folder, tmp_path):
    """An edited event's words: the pieces are laid out again only where their HTML changed
    (from the last build's pages and where its pieces opened, beside the edited chapter), and
    where each piece opens comes out as in a cold build (`in_pieces`: the first build, its cache)."""
    book, cache = tmp_path / "book", tmp_path / "cache"
    shutil.copytree(folder / "book", book)
    shutil.copytree(folder / "cache", cache)
    chapter = sorted((book / "chapters").glob("*.md"))[-1]
    text = chapter.read_text(encoding="utf-8")
    assert EVENT_SENTENCE[0] in text
    chapter.write_text(text.replace(*EVENT_SENTENCE), encoding="utf-8")
    log = tmp_path / "typeset.log"
    again = build(book, tmp_path / "again.pdf", PIECES, cache=cache, log=log)
    build(book, tmp_path / "cold.pdf", PIECES)
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    laid = log.read_text(encoding="utf-8").splitlines()
    pieces = len([name for name, _ in in_pieces[1] if name.startswith(("chronology-", "sayings-"))])
    assert 1 <= laid.count("pdf_back.html.j2") < pieces  # the edited piece (here: one), not all
    assert [name for name, _ in again if name.startswith("chronology-")]  # some laid out again, here
