"""DAISY Ace, the accessibility checker of record for EPUB, finds no violation in the default book."""

from __future__ import annotations

import os
import shutil

import pytest

from book.checks import ACE, ace_findings


def test_ace_reports_no_violations(built):
    if not ACE.exists() or not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Ace or Chromium is missing: scripts/setup.sh installs them (unless BOOK_NO_CHECK_TOOLS is set)")
        pytest.skip("Ace not installed (BOOK_NO_CHECK_TOOLS set for scripts/setup.sh)")
    findings = ace_findings(built.epub)  # the same run `book check` makes
    assert [str(f) for f in findings] == ["info: ma-bad-daesh.epub: DAISY Ace: no violations"]
