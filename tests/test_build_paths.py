"""The fast paths give the same book: editions rendered in parallel processes are byte for byte
those of a build in one process, and a build with nothing changed does nothing."""

from __future__ import annotations

import hashlib
from pypdf import PdfReader

from conftest import copy_default_book, run_build

REPORT = "build-report.json"  # holds timings, by design


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix in (".pdf", ".epub", ".json") and p.name != REPORT
            and not p.name.startswith(".")}


def test_parallel_and_one_process_builds_are_byte_identical(tmp_path):
    results = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        result = run_build("--out", out, "--jobs", jobs, "--edition", "pdf", "--edition", "print",
                           "--edition", "epub")
        assert result.returncode == 0, result.stderr
        results[jobs] = _digests(out)
    assert set(results["1"]) >= {"ma-bad-daesh.pdf", "ma-bad-daesh-print.pdf", "ma-bad-daesh-cover.pdf",
                                 "ma-bad-daesh.epub", "ma-bad-daesh.index.json"}
    assert results["1"] == results["2"], [n for n in results["1"] if results["1"][n] != results["2"].get(n)]


def test_a_build_with_nothing_changed_does_nothing_and_a_change_rebuilds(tmp_path):
    book = copy_default_book(tmp_path, data_files=True)
    out = tmp_path / "out"
    first = run_build("--book", book, "--out", out, "--edition", "pdf")
    assert first.returncode == 0 and "wrote" in first.stdout, first.stderr
    pdf = out / "ma-bad-daesh.pdf"
    written = pdf.stat().st_mtime_ns

    again = run_build("--book", book, "--out", out, "--edition", "pdf")
    assert again.returncode == 0 and "up to date" in again.stdout and "wrote" not in again.stdout
    assert pdf.stat().st_mtime_ns == written

    forced = run_build("--book", book, "--out", out, "--edition", "pdf", "--force")
    assert "wrote" in forced.stdout and pdf.stat().st_mtime_ns != written

    chapter = book / "chapters" / "02-iraq.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nجملة أضيفت للاختبار.\n", encoding="utf-8")
    changed = run_build("--book", book, "--out", out, "--edition", "pdf")
    assert changed.returncode == 0 and "wrote" in changed.stdout, changed.stderr
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "أضيفت" in text

    pdf.write_bytes(pdf.read_bytes() + b"\n")  # an output changed by hand is made again
    remade = run_build("--book", book, "--out", out, "--edition", "pdf")
    assert "wrote" in remade.stdout
