"""The Kindle edition: converted by calibre when it is there, a clear way to get it when not."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from book.kindle import find_converter
from conftest import ROOT, run_build


def test_without_calibre_the_build_says_how_to_get_it(tmp_path):
    environment = {**os.environ, "BOOK_EBOOK_CONVERT": str(tmp_path / "no-such-ebook-convert")}
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path / "out"),
                             "--edition", "azw3"], capture_output=True, text=True, env=environment, timeout=300)
    assert result.returncode == 2
    assert "calibre" in result.stderr and "apt-get install calibre" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "ma-bad-daesh.azw3").exists()


@pytest.mark.skipif(not find_converter(), reason="calibre is not installed, or hidden (optional)")
def test_azw3_keeps_right_to_left_and_the_fonts(tmp_path):
    result = run_build("--out", tmp_path, "--edition", "azw3")
    assert result.returncode == 0, result.stderr
    azw3 = tmp_path / "ma-bad-daesh.azw3"
    assert azw3.read_bytes()[60:68] == b"BOOKMOBI"
    back = tmp_path / "back.epub"  # read it back through calibre, as a reader app would open it
    subprocess.run(["ebook-convert", str(azw3), str(back)], capture_output=True, timeout=300, check=True,
                   env={**os.environ, "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"})
    with zipfile.ZipFile(back) as archive:
        opf = archive.read(next(n for n in archive.namelist() if n.endswith(".opf"))).decode()
        fonts = [n for n in archive.namelist() if n.endswith((".ttf", ".otf"))]
    assert 'page-progression-direction="rtl"' in opf and "horizontal-rl" in opf
    assert len(fonts) >= 2


@pytest.mark.skipif(not find_converter(), reason="calibre is not installed, or hidden (optional)")
def test_azw3_keeps_footnotes_and_their_links(tmp_path):
    import re
    import shutil

    from conftest import copy_default_book
    root = copy_default_book(tmp_path / "book", data_files=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "notes-chapter.md", root / "chapters" / "06-notes.md")
    result = run_build("--book", root, "--out", tmp_path / "out", "--edition", "azw3")
    assert result.returncode == 0, result.stderr
    back = tmp_path / "back.epub"
    subprocess.run(["ebook-convert", str(tmp_path / "out" / "ma-bad-daesh.azw3"), str(back)], capture_output=True,
                   timeout=300, check=True, env={**os.environ, "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"})
    with zipfile.ZipFile(back) as archive:
        text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".html", ".xhtml")))
    assert "حاشية الاقتباس" in text and "حاشية خلية الجدول" in text  # every note's words
    ids = set(re.findall(r'id="([^"]+)"', text))
    targets = [t for t in re.findall(r'href="[^"#]*#([^"]+)"', text) if "note" in t]
    assert targets and all(t in ids for t in targets)  # calls still lead to their notes
