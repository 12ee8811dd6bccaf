"""Preflight: the default book's print files pass; a 72 dpi cover image fails, clearly."""

from __future__ import annotations

import pikepdf
from PIL import Image

from conftest import copy_default_book, run_build


def test_check_passes_the_default_book_in_one_report(built):
    result = run_build("check", "--out", built.out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check: 0 errors" in result.stdout
    for line in ("fonts, all embedded", "EPUBCheck: no errors, no warnings", "every chapter's words, in order",
                 "text layer: 100.00%"):
        assert line in result.stdout, line


def test_a_72_dpi_cover_image_fails_with_what_to_change(tmp_path):
    book = copy_default_book(tmp_path, 'cover-image = "images/art.png"\n')
    (book / "images").mkdir()
    # 6.25 x 9.25 in of front panel with bleed, at 72 dpi
    Image.new("RGB", (450, 666), (90, 120, 140)).save(book / "images" / "art.png", dpi=(72, 72))
    out = tmp_path / "out"
    built = run_build("--book", book, "--out", out, "--edition", "print")
    assert built.returncode == 0, built.stderr
    assert "dpi" in built.stderr  # the build already warns
    result = run_build("check", "--book", book, "--out", out)
    assert result.returncode == 3, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if "dpi" in line)
    assert line.startswith("error: ma-bad-daesh-cover.pdf:") and "72 dpi" in line and "supply at least" in line
    with pikepdf.open(out / "ma-bad-daesh-cover.pdf") as cover:  # the RGB art, separated for the press
        images = [x for _, x in cover.pages[0].Resources.XObject.items() if x.Subtype == "/Image"]
        assert images and all(image.ColorSpace == "/DeviceCMYK" for image in images)


def test_check_without_a_build_says_what_to_do(tmp_path):
    result = run_build("check", "--out", tmp_path)
    assert result.returncode == 2 and "build them first" in result.stderr
