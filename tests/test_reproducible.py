"""The same sources give the same bytes: a proof or a download can be traced to a commit."""

from __future__ import annotations

import hashlib

from conftest import run_build

REPORT = "build-report.json"  # holds timings, by design


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != REPORT and not p.name.startswith(".")}  # the stamp records the report


def test_two_builds_give_byte_identical_outputs(built, tmp_path):
    again = tmp_path / "again"
    result = run_build("--out", again)
    assert result.returncode == 0, result.stderr
    second = _digests(again)
    first = {name: digest for name, digest in _digests(built.out).items() if name in second}
    assert set(second) >= {"ma-bad-daesh.pdf", "ma-bad-daesh.epub", "ma-bad-daesh-print.pdf", "ma-bad-daesh-cover.pdf"}
    assert first == second, [name for name in second if first.get(name) != second[name]]
