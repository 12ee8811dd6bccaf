"""The same sources give the same bytes: a proof or a download can be traced to a commit."""

from __future__ import annotations

import hashlib

from conftest import run_build

REPORT = "build-report.json"  # holds timings, by design


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != REPORT}


def test_two_builds_give_byte_identical_outputs(built, tmp_path):
    again = tmp_path / "again"
    result = run_build("--out", again)
    assert result.returncode == 0, result.stderr
    first, second = _digests(built.out), _digests(again)
    assert set(first) >= {"ma-bad-daesh.pdf", "ma-bad-daesh.epub", "ma-bad-daesh-print.pdf", "ma-bad-daesh-cover.pdf"}
    assert first == second, [name for name in first if first[name] != second.get(name)]
