"""DAISY Ace, the accessibility checker of record for EPUB, finds no violation in the default book."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT

ACE = ROOT / "tools" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_ace_reports_no_violations(built, tmp_path):
    if not ACE.exists():
        if os.environ.get("CI"):
            pytest.fail("Ace is not installed: scripts/setup.sh installs it (unless BOOK_NO_CHECK_TOOLS is set)")
        pytest.skip("Ace not installed (BOOK_NO_CHECK_TOOLS set for scripts/setup.sh)")
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run([str(ACE), "--force", "--silent", "--outdir", str(tmp_path / "ace"), str(built.epub)],
                            env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    violations = [(document["earl:testSubject"]["url"], check["earl:test"]["dct:title"],
                   check["earl:result"].get("dct:description", "")[:200])
                  for document in report["assertions"] for check in document.get("assertions", [])]
    assert not violations, violations
