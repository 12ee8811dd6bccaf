"""Publishing: a build's outputs go into place all together or not at all, one build at a time
in an output folder."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

from book.files import LOCK_NAME
from conftest import ROOT, run_build
from test_bad_input import BOOK_TOML, make_book

ALL = BOOK_TOML.replace('["epub"]', '["pdf", "epub", "print"]')


def _outputs(out) -> dict[str, str]:
    """Every file in the output folder but the lock (which only says who holds it), digested."""
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != LOCK_NAME}


def _editions(out) -> dict[str, str]:
    return {name: digest for name, digest in _outputs(out).items() if not name.startswith(".")}


def test_strict_with_warnings_writes_nothing(tmp_path):
    book = make_book(tmp_path / "book", {"book.toml": ALL})
    out = tmp_path / "out"
    assert run_build("--book", book, "--out", out).returncode == 0
    before = _editions(out)
    chapter = book / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nفقرة جديدة.\n", encoding="utf-8")
    (book / "index.toml").write_text('[[term]]\nheading = "المريخ"\nkind = "place"\n', encoding="utf-8")
    strict = run_build("--book", book, "--out", out, "--strict")
    assert strict.returncode == 2, strict.stderr
    assert 'error: index.toml: no occurrence of "المريخ"' in strict.stderr
    assert "nothing was written" in strict.stderr and "Traceback" not in strict.stderr
    assert _editions(out) == before  # not one edition new, the report and exports included
    assert not (out / ".book-tmp").exists()
    fresh = tmp_path / "fresh"
    assert run_build("--book", book, "--out", fresh, "--strict").returncode == 2
    assert not _editions(fresh)  # a first build under --strict with warnings: no file at all


def test_a_failed_edition_publishes_none_of_the_others(tmp_path):
    """The Kindle file fails (calibre hidden) after the PDFs and the EPUB are made: none of them
    replaces the last good set."""
    book = make_book(tmp_path / "book", {"book.toml": ALL})
    out = tmp_path / "out"
    assert run_build("--book", book, "--out", out).returncode == 0
    before = _editions(out)
    chapter = book / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nفقرة جديدة.\n", encoding="utf-8")
    hidden = {**os.environ, "BOOK_EBOOK_CONVERT": str(tmp_path / "no-ebook-convert")}
    failed = subprocess.run([sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out),
                             *[arg for edition in ("pdf", "epub", "print", "azw3") for arg in ("--edition", edition)]],
                            capture_output=True, text=True, env=hidden, timeout=600)
    assert failed.returncode == 2 and "calibre" in failed.stderr, failed.stderr
    assert _editions(out) == before


def test_two_builds_at_once_both_end_well_with_a_lone_builds_bytes(tmp_path):
    book = make_book(tmp_path / "book", {"book.toml": ALL})
    lone = tmp_path / "lone"
    assert run_build("--book", book, "--out", lone).returncode == 0
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out)]
    first, second = (subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2))
    results = [(child.wait(timeout=600), *child.communicate()) for child in (first, second)]
    assert [code for code, _, _ in results] == [0, 0], results
    said = "".join(out_text + err for _, out_text, err in results)
    assert "waiting: another build (process" in said  # the second waited for the first, and said so
    timed = "build-report.json"  # paths and seconds: the rest is the lone build's, byte for byte
    assert {k: v for k, v in _editions(out).items() if k != timed} == \
        {k: v for k, v in _editions(lone).items() if k != timed}
    report = json.loads((out / timed).read_text(encoding="utf-8"))
    assert [e["edition"] for e in report["editions"]] == ["pdf", "print", "print-cover", "epub"]
    assert not (out / ".book-tmp").exists()


def test_a_killed_builds_lock_is_taken_over(tmp_path):
    book = make_book(tmp_path / "book", {})
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text("4194303", encoding="utf-8")  # what a build killed -9 leaves: its pid
    (out / ".book-tmp").mkdir()
    (out / ".book-tmp" / "half-written.pdf").write_bytes(b"%PDF-1.7 half")
    result = run_build("--book", book, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "(process 4194303) did not finish" in result.stderr
    assert (out / "test-book.epub").is_file() and not (out / ".book-tmp").exists()
    assert (out / LOCK_NAME).read_text(encoding="utf-8") == ""  # a build that ended leaves no pid
