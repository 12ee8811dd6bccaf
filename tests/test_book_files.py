"""Every file a book folder supplies is read from inside it: a link that leads outside (to a
file, a folder, or a FIFO that would hang whoever opened it) is refused with its file and line
before anything opens it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from test_bad_input import BOOK_TOML, CHAPTER, make_book

QUICK = 120  # seconds: a refused build ends at once; one that opened a FIFO would never end


def _build(book, out):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out)],
                          capture_output=True, text=True, timeout=QUICK)


@pytest.fixture
def outside(tmp_path):
    """A folder beside the book holding a FIFO: opening it blocks until a writer comes, never."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    os.mkfifo(folder / "trap")
    (folder / "chapter.md").write_text(CHAPTER.replace("نص الفصل الأول", "نص من خارج الكتاب"), encoding="utf-8")
    return folder


LINKS = {
    # the link in the book: (what the message names, the line of book.toml it names, if any)
    "chapters/two.md": ("chapters/two.md", None),
    "styles/epub.css": ("styles/epub.css", None),
    "index.toml": ("index.toml", None),
    "chronology.toml": ("chronology.toml", None),
    "art.png": ("cover-image", 10),
    "profile.icc": ("output-profile", 10),
}


@pytest.mark.parametrize("link", sorted(LINKS))
def test_a_link_to_a_file_outside_is_refused_unopened(tmp_path, outside, link):
    names = {"art.png": "cover-image", "profile.icc": "output-profile"}
    toml = BOOK_TOML + (f'[print]\n{names[link]} = "{link}"\n' if link in names else "")
    book = make_book(tmp_path / "book", {"book.toml": toml})
    (book / link).parent.mkdir(parents=True, exist_ok=True)
    (book / link).symlink_to(outside / "trap")
    result = _build(book, tmp_path / "out")
    shown, line = LINKS[link]
    assert result.returncode == 2, result.stderr
    assert "leads outside the book folder" in result.stderr and shown in result.stderr, result.stderr
    if line:
        assert f"book.toml:{line}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_chapter_linked_from_outside_is_not_published(tmp_path, outside):
    book = make_book(tmp_path / "book", {})
    (book / "chapters" / "two.md").symlink_to(outside / "chapter.md")
    result = _build(book, tmp_path / "out")
    assert result.returncode == 2 and "leads outside the book folder" in result.stderr, result.stderr
    assert not (tmp_path / "out" / "test-book.epub").exists()


def test_a_link_to_a_system_file_is_refused_not_read_as_a_chapter(tmp_path):
    book = make_book(tmp_path / "book", {})
    (book / "chapters" / "passwd.md").symlink_to("/etc/passwd")
    result = _build(book, tmp_path / "out")
    assert result.returncode == 2 and "passwd.md leads outside the book folder" in result.stderr, result.stderr


@pytest.mark.parametrize("name", ["chapters", "styles"])
def test_a_folder_linked_from_outside_is_refused(tmp_path, outside, name):
    book = make_book(tmp_path / "book", {})
    if name == "chapters":
        os.rename(book / "chapters", tmp_path / "moved")
    (book / name).symlink_to(outside, target_is_directory=True)
    result = _build(book, tmp_path / "out")
    assert result.returncode == 2 and f"{name}/ leads outside the book folder" in result.stderr, result.stderr


def test_book_toml_linked_from_outside_is_refused(tmp_path, outside):
    book = make_book(tmp_path / "book", {})
    (book / "book.toml").unlink()
    (book / "book.toml").symlink_to(outside / "trap")
    result = _build(book, tmp_path / "out")
    assert result.returncode == 2 and "book.toml leads outside the book folder" in result.stderr, result.stderr


def test_a_fifo_in_the_book_is_not_a_chapter(tmp_path):
    book = make_book(tmp_path / "book", {})
    os.mkfifo(book / "chapters" / "two.md")
    result = _build(book, tmp_path / "out")
    assert result.returncode == 2 and "two.md is not a regular file" in result.stderr, result.stderr


def test_links_inside_the_book_and_editor_lock_files_are_fine(tmp_path):
    book = make_book(tmp_path / "book", {"drafts/two.md": CHAPTER.replace("order = 1", "order = 2")})
    (book / "chapters" / "two.md").symlink_to(book / "drafts" / "two.md")
    (book / "chapters" / ".#one.md").symlink_to("user@host.1234:1700000000")  # Emacs's lock: dangling
    result = _build(book, tmp_path / "out")
    assert result.returncode == 0, result.stderr
