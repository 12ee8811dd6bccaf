"""Publishing: a build's outputs go into place all together or not at all, one build at a time
in an output folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from book import files
from book.errors import BookError
from book.files import EDITIONS_DIR, LOCK_NAME, PAUSE_AT, SCRATCH_DIR
from conftest import ROOT, run_build
from test_bad_input import BOOK_TOML, make_book

ALL = BOOK_TOML.replace('["epub"]', '["pdf", "epub", "print"]')


def _outputs(out) -> dict[str, str]:
    """Every file in the output folder but the lock (which only says who holds it), digested."""
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != LOCK_NAME}


def _editions(out) -> dict[str, str]:
    return {name: digest for name, digest in _outputs(out).items() if not name.startswith(".")}


def _served(out) -> dict[str, str]:
    """What a reader finds under the published names (links followed, folders walked): every
    name in `out` but the lock and the tool's own folders."""
    found = {}
    for entry in sorted(out.iterdir()):
        if entry.name in (LOCK_NAME, ".book-cache", EDITIONS_DIR, SCRATCH_DIR):
            continue
        if entry.is_dir():
            for folder, _, names in os.walk(entry, followlinks=True):
                for name in names:
                    path = Path(folder) / name
                    found[str(path.relative_to(out))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif entry.exists():
            found[entry.name] = hashlib.sha256(entry.read_bytes()).hexdigest()
    return found


def _sets(out) -> list[str]:
    """The sets of outputs kept in `out` (the one in place, after a build that ended)."""
    folder = out / EDITIONS_DIR
    return sorted(p.name for p in folder.iterdir() if p.name != "current") if folder.is_dir() else []


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
    assert not (out / ".book-tmp").exists() and len(_sets(out)) == 1  # the set in place alone
    fresh = tmp_path / "fresh"
    assert run_build("--book", book, "--out", fresh, "--strict").returncode == 2
    assert not _editions(fresh) and not _sets(fresh)  # a first build under --strict with warnings: no file at all


def test_a_failed_edition_publishes_none_of_the_others(tmp_path):
    """The Kindle file fails (calibre hidden) after the PDFs and the EPUB are made: none of them
    replaces the last good set."""
    book = make_book(tmp_path / "book", {"book.toml": ALL})
    out = tmp_path / "out"
    assert run_build("--book", book, "--out", out).returncode == 0
    before, served = _editions(out), _served(out)
    chapter = book / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nفقرة جديدة.\n", encoding="utf-8")
    hidden = {**os.environ, "BOOK_EBOOK_CONVERT": str(tmp_path / "no-ebook-convert")}
    failed = subprocess.run([sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out),
                             *[arg for edition in ("pdf", "epub", "print", "azw3") for arg in ("--edition", edition)]],
                            capture_output=True, text=True, env=hidden, timeout=600)
    assert failed.returncode == 2 and "calibre" in failed.stderr, failed.stderr
    assert _editions(out) == before and _served(out) == served
    assert len(_sets(out)) == 1 and not (out / SCRATCH_DIR).exists()


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


def test_an_older_versions_files_are_taken_over_without_a_moment_of_mixing(tmp_path):
    """Regular files and a proofs folder under the published names (what this tool wrote before
    it switched sets) read the same bytes all through a build until its switch, a kill just
    before it included; the build after that puts links in their place and nothing else."""
    book = make_book(tmp_path / "book", {"book.toml": ALL})
    out = tmp_path / "out"
    assert run_build("--book", book, "--out", out, "--proofs").returncode == 0
    for entry in out.iterdir():  # the layout of an earlier version: files, no sets
        if entry.is_symlink():
            source = entry.resolve()
            entry.unlink()
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, entry)
    shutil.rmtree(out / EDITIONS_DIR)
    (out / "proofs" / "test-book-spread-99.png").write_bytes(b"a spread of a longer book")
    before = _served(out)
    chapter = book / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nفقرة جديدة.\n", encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out),
                              "--proofs"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, PAUSE_AT: "linked"})
    said = ""
    while "paused linked" not in said:
        line = child.stderr.readline()
        assert line, said
        said += line
    published = [p for p in out.iterdir() if not p.name.startswith(".") or p.name == ".book-stamp.json"]
    assert all(os.readlink(p) == f"{EDITIONS_DIR}/current/{p.name}" for p in published)  # links already
    assert _served(out) == before  # reading what the files held, the stray spread too
    child.kill()
    child.wait(timeout=60)
    assert _served(out) == before
    done = run_build("--book", book, "--out", out, "--proofs")
    assert done.returncode == 0, done.stderr
    after = _served(out)
    assert after != before and "proofs/test-book-spread-99.png" not in after  # the new proofs, whole
    assert {name for name in after if not name.startswith("proofs/")} == \
        {name for name in before if not name.startswith("proofs/")}
    assert all(p.is_symlink() and p.exists() for p in out.iterdir()
               if not p.name.startswith(".") or p.name == ".book-stamp.json")
    assert len(_sets(out)) == 1 and not (out / SCRATCH_DIR).exists()


def test_publish_keeps_outputs_a_build_did_not_make_but_not_the_stamp(tmp_path):
    """files.publish alone: an edition left out stays served (from the new set); a name in
    `never_kept` goes with its set; a folder is replaced whole; modes follow the umask."""
    out = tmp_path / "out"
    out.mkdir()

    def staged(contents: dict[str, bytes]) -> tuple[Path, list[Path]]:
        stage = files.stage_folder(out)
        for name, data in contents.items():
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            (stage / name).write_bytes(data)
        return stage, [Path(name) for name in contents]

    old = os.umask(0o027)
    try:
        for contents in ({"a.pdf": b"a1", "b.epub": b"b1", "proofs/1.png": b"p1", "proofs/2.png": b"p2",
                          ".stamp": b"s1"}, {"b.epub": b"b2", "proofs/1.png": b"q1"}):
            first = _sets(out)
            stage, names = staged(contents)
            files.publish(stage, out, names, never_kept=(".stamp",))
            files.clear_scratch(out)
    finally:
        os.umask(old)
    assert _served(out) == {name: hashlib.sha256(data).hexdigest() for name, data in
                            {"a.pdf": b"a1", "b.epub": b"b2", "proofs/1.png": b"q1"}.items()}
    assert not os.path.lexists(out / ".stamp")  # the stamp of the first set went with it
    assert len(_sets(out)) == 1 and _sets(out) != first
    folder = out / EDITIONS_DIR / _sets(out)[0]
    assert (folder.stat().st_mode & 0o777, (folder / "b.epub").stat().st_mode & 0o777) == (0o750, 0o640)
    assert os.stat(out / "a.pdf").st_ino == (folder / "a.pdf").stat().st_ino  # kept by a hard link, not copied


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "moved-aside"])
def test_publish_takes_a_folder_and_a_file_over(tmp_path, monkeypatch, exchange):
    """A real folder and a file under published names become links to the new set, the old
    bytes gone with the switch; where the kernel cannot swap two names, the folder is moved aside."""
    if not exchange:
        monkeypatch.setattr(files, "_exchange", lambda first, second: False)
    out = tmp_path / "out"
    (out / "proofs").mkdir(parents=True)
    (out / "proofs" / "old.png").write_bytes(b"old")
    (out / "a.pdf").write_bytes(b"a0")
    (out / "notes.txt").write_bytes(b"the author's")
    stage = files.stage_folder(out)
    (stage / "proofs").mkdir()
    (stage / "proofs" / "new.png").write_bytes(b"new")
    (stage / "a.pdf").write_bytes(b"a1")
    files.publish(stage, out, [Path("proofs/new.png"), Path("a.pdf")])
    files.clear_scratch(out)
    assert _served(out) == {name: hashlib.sha256(data).hexdigest() for name, data in
                            {"a.pdf": b"a1", "proofs/new.png": b"new", "notes.txt": b"the author's"}.items()}
    assert (out / "proofs").is_symlink() and (out / "a.pdf").is_symlink() and not (out / "notes.txt").is_symlink()
    assert len(_sets(out)) == 1 and not (out / SCRATCH_DIR).exists()


def test_publish_refuses_a_file_system_without_links_and_moves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.pdf").write_bytes(b"a0")
    stage = files.stage_folder(out)
    (stage / "a.pdf").write_bytes(b"a1")

    def no_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(files.os, "symlink", no_links)
    with pytest.raises(BookError, match="no symbolic links"):
        files.publish(stage, out, [Path("a.pdf")])
    files.clear_scratch(out)
    assert (out / "a.pdf").read_bytes() == b"a0" and not (out / "a.pdf").is_symlink() and not _sets(out)
