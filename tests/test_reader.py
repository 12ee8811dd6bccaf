"""The EPUB in a real reading system: foliate-js in headless Chromium, as a reader would open it."""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import ROOT

FOLIATE = ROOT / "tools" / "node_modules" / "foliate-js"
HARNESS = Path(__file__).resolve().parent / "reader" / "reader.html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
# Chromium dumps the page once this much virtual time has passed; loading a book can take
# longer on a busy machine, so a run that ends before the harness reports is tried again.
BUDGETS = (20_000, 45_000, 90_000)


@pytest.fixture(scope="module")
def reader(built, tmp_path_factory):
    """A loopback server with the harness, foliate-js and the book; yields its base URL."""
    if not FOLIATE.exists() or not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("foliate-js or Chromium missing: scripts/setup.sh installs them")
        pytest.skip("foliate-js or Chromium not installed")
    root = tmp_path_factory.mktemp("reader")
    shutil.copy(HARNESS, root / "reader.html")
    shutil.copy(built.epub, root / "book.epub")
    (root / "foliate-js").symlink_to(FOLIATE)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/reader.html", root
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _open(url: str, section: str, profile: Path) -> dict:
    for attempt, budget in enumerate(BUDGETS):
        result = subprocess.run([CHROMIUM, *FLAGS, f"--virtual-time-budget={budget}",
                                 f"--user-data-dir={profile}-{attempt}", "--dump-dom", f"{url}?section={section}"],
                                capture_output=True, text=True, timeout=180)
        title = re.search(r"<title>RESULT:(.*?)</title>", result.stdout, re.S)
        if title:
            return json.loads(html.unescape(title.group(1)))
    raise AssertionError("the reader never reported: " + result.stdout[-300:] + result.stderr[-300:])


def _screenshot(url: str, section: str, target: Path, profile: Path) -> None:
    for attempt, budget in enumerate(BUDGETS):
        subprocess.run([CHROMIUM, *FLAGS, f"--virtual-time-budget={budget}", f"--user-data-dir={profile}-{attempt}",
                        "--window-size=600,900", f"--screenshot={target}", f"{url}?section={section}"],
                       capture_output=True, timeout=180)
        if target.exists() and target.stat().st_size > 10_000:  # a blank page is ~3 KB
            return


@pytest.mark.parametrize("section", ["baghouz.xhtml", "index.xhtml"])
def test_the_reader_opens_the_book_right_to_left_in_amiri(reader, section, built):
    url, root = reader
    found = _open(url, section, root / f"profile-{section}")
    assert "error" not in found, found.get("error")
    assert found["dir"] == "rtl"
    assert found["htmlDir"] == "rtl"
    assert found["amiri"] and "Amiri" in found["fonts"], found
    shot = built.out / f"reader-{section.split('.')[0]}.png"
    _screenshot(url, section, shot, root / f"profile-shot-{section}")
    assert shot.stat().st_size > 10_000
