"""The command line as an author meets it: choosing editions, and clear errors on bad input."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

from conftest import ROOT, copy_default_book, run_build


def test_edition_option_builds_only_that_edition(tmp_path):
    book = copy_default_book(tmp_path)
    result = run_build("--book", book, "--out", tmp_path / "out", "--edition", "epub")
    assert result.returncode == 0, result.stderr
    outputs = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert [name for name in outputs if not name.startswith(".")] == [
        "build-report.json", "ma-bad-daesh.chronology.json", "ma-bad-daesh.epub"]
    assert set(outputs) - {"build-report.json", "ma-bad-daesh.chronology.json", "ma-bad-daesh.epub"} \
        <= {".book-stamp.json", ".book-cache", ".book-lock", ".book-editions"}  # reused; the lock; the sets
    assert "ma-bad-daesh.epub" in result.stdout


def test_bad_front_matter_names_file_and_line_and_keeps_the_last_good_output(tmp_path):
    book = copy_default_book(tmp_path)
    out = tmp_path / "out"
    assert run_build("--book", book, "--out", out, "--edition", "epub").returncode == 0
    good = (out / "ma-bad-daesh.epub").read_bytes()
    chapter = book / "chapters" / "02-iraq.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('date = "2022-12"', 'date = "12/2022"'),
                       encoding="utf-8")
    result = run_build("--book", book, "--out", out, "--edition", "epub")
    assert result.returncode == 2
    assert f"{chapter}:3:" in result.stderr and "12/2022" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "ma-bad-daesh.epub").read_bytes() == good
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_a_folder_without_book_toml_is_refused_clearly(tmp_path):
    result = run_build("--book", tmp_path, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "book.toml" in result.stderr and "Traceback" not in result.stderr


def test_help_reads_well():
    result = run_build("build", "--help")
    assert result.returncode == 0
    for option in ("--book", "--out", "--edition"):
        assert option in result.stdout


def test_new_then_the_command_it_prints_builds_clean_under_strict(tmp_path):
    folder = tmp_path / "my-book"
    created = run_build("new", folder)
    assert created.returncode == 0, created.stderr
    assert (folder / "book.toml").is_file() and list((folder / "chapters").glob("*.md"))
    command = shlex.split(created.stdout.strip().splitlines()[-1].removeprefix("now: "))
    ran = [os.path.join(ROOT, part) for part in command[:2]]  # run_build runs from ROOT
    assert ran == [sys.executable, str(ROOT / "build.py")], command  # the command as the user ran it
    built = subprocess.run([*command, "--strict"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr and "error" not in built.stderr, built.stderr
    for name in ("my-book.pdf", "my-book.epub", "my-book-print.pdf", "my-book-cover.pdf"):
        assert (folder / "dist" / name).stat().st_size > 5_000
    again = run_build("new", folder)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_new_names_its_templates_and_refuses_an_unknown_one_clearly(tmp_path):
    helped = run_build("new", "--help")
    assert helped.returncode == 0 and "--template" in helped.stdout and "report" in helped.stdout
    folder = tmp_path / "my-book"
    result = run_build("new", folder, "--template", "memoir")
    assert result.returncode == 2, result.stderr
    assert 'error: unknown template "memoir" (known: starter, report)' in result.stderr
    assert "Traceback" not in result.stderr and not folder.exists()  # refused before anything is written
    starter = run_build("new", folder, "--template", "starter")  # the default, by its name
    assert starter.returncode == 0 and sorted(p.name for p in folder.rglob("*.*")) == [
        "01-first.md", "book.toml", "index.toml"]


def test_strict_turns_warnings_into_errors(tmp_path):
    book = copy_default_book(tmp_path)
    (book / "index.toml").write_text('[[term]]\nheading = "المريخ"\nkind = "place"\n', encoding="utf-8")
    relaxed = run_build("--book", book, "--out", tmp_path / "out", "--edition", "epub")
    assert relaxed.returncode == 0 and 'warning: index.toml: no occurrence of "المريخ"' in relaxed.stderr
    strict = run_build("--book", book, "--out", tmp_path / "out", "--edition", "epub", "--strict")
    assert strict.returncode == 2 and 'error: index.toml: no occurrence of "المريخ"' in strict.stderr


def test_output_modes(tmp_path):
    book = copy_default_book(tmp_path)
    plain = run_build("--book", book, "--out", tmp_path / "a", "--edition", "epub")
    assert "\r" not in plain.stderr and "…" not in plain.stderr  # no status line off a terminal
    verbose = run_build("--book", book, "--out", tmp_path / "b", "--edition", "epub", "--verbose")
    assert "2 chapters" in verbose.stdout and "chronology" in verbose.stdout
    quiet = run_build("--book", book, "--out", tmp_path / "c", "--edition", "epub", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == ""
