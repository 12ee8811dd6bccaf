"""The EPUB in a real reading system: foliate-js in headless Chromium, as a reader would open it."""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import select
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT

FOLIATE = ROOT / "tools" / "node_modules" / "foliate-js"
HARNESS = Path(__file__).resolve().parent / "reader" / "reader.html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
REPORT_WITHIN = 120  # seconds for foliate-js to open the book, even on a busy machine


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


class _DevTools:
    """Chromium driven over its DevTools pipe (fds 3 and 4, NUL-separated JSON): the test waits for
    the harness's report in real time and then takes the screenshot, instead of guessing a
    virtual-time budget that can run out before foliate-js has drawn the page."""

    def __init__(self, profile: Path, width: int = 600, height: int = 900):
        to_browser, self._browser_in = os.pipe()
        self._browser_out, from_browser = os.pipe()

        def plumb():
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self._process = subprocess.Popen([CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
                                          "about:blank"], pass_fds=(3, 4), preexec_fn=plumb,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._pending = b""
        self._calls = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Emulation.setDeviceMetricsOverride", page=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def call(self, method: str, page: bool = False, **params) -> dict:
        self._calls += 1
        message = {"id": self._calls, "method": method, "params": params}
        if page:
            message["sessionId"] = self._session
        os.write(self._browser_in, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._pending:
                ready, _, _ = select.select([self._browser_out], [], [], 60)
                chunk = os.read(self._browser_out, 1 << 16) if ready else b""
                if not chunk:
                    raise AssertionError(f"Chromium stopped answering during {method}")
                self._pending += chunk
            raw, self._pending = self._pending.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._calls:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply["result"]

    def evaluate(self, expression: str, wait: bool = False):
        return self.call("Runtime.evaluate", page=True, expression=expression, returnByValue=True,
                         awaitPromise=wait)["result"].get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except AssertionError:
            pass  # it may close the pipe before answering
        finally:
            os.close(self._browser_in)
            os.close(self._browser_out)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()


def _read_and_shoot(url: str, section: str, profile: Path, shot: Path) -> dict:
    """Open the section in the harness, wait (real time) for its report, then screenshot it."""
    browser = _DevTools(profile)
    try:
        browser.call("Page.navigate", page=True, url=f"{url}?section={section}")
        deadline = time.monotonic() + REPORT_WITHIN
        while not (title := browser.evaluate("document.title") or "").startswith("RESULT:"):
            if time.monotonic() > deadline:
                raise AssertionError(f"the reader never reported within {REPORT_WITHIN} s")
            time.sleep(0.1)
        # Two animation frames: the section the harness went to has been painted.
        browser.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))", wait=True)
        shot.write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", page=True, format="png")["data"]))
    finally:
        browser.close()
    return json.loads(title.removeprefix("RESULT:"))


def _inked_share(shot: Path) -> float:
    """Share of the screenshot's pixels that are dark: text on the page, not a blank frame."""
    with Image.open(shot) as image:
        histogram = image.convert("L").histogram()
    return sum(histogram[:128]) / sum(histogram)


@pytest.mark.parametrize("section", ["baghouz.xhtml", "index.xhtml"])
def test_the_reader_opens_the_book_right_to_left_in_amiri(reader, section, built):
    url, root = reader
    shot = built.out / f"reader-{section.split('.')[0]}.png"
    found = _read_and_shoot(url, section, root / f"profile-{section}", shot)
    assert "error" not in found, found.get("error")
    assert found["dir"] == "rtl"
    assert found["htmlDir"] == "rtl"
    assert found["amiri"] and "Amiri" in found["fonts"], found
    assert _inked_share(shot) > 0.01, "the reader's page is blank"


def test_a_long_table_goes_on_over_the_readers_pages_none_of_its_rows_cut_off(reader, tmp_path):
    """A table longer than a page is split over the reader's pages (a scrolling box around it
    could not be: foliate-js, in columns, cut it at the first page's foot)."""
    import re

    from conftest import copy_default_book, run_build
    url, root = reader
    book = copy_default_book(tmp_path)
    shutil.copy(ROOT / "tests" / "fixtures" / "tables-chapter.md", book / "chapters" / "05-tables.md")
    (book / "images").mkdir()
    from PIL import Image
    Image.new("RGB", (1400, 800), (235, 228, 210)).save(book / "images" / "chart.png")
    result = run_build("--book", book, "--out", tmp_path / "out", "--edition", "epub")
    assert result.returncode == 0, result.stderr
    shutil.copy(tmp_path / "out" / "ma-bad-daesh.epub", root / "tables.epub")
    found = _read_and_shoot(url, "tables.xhtml&book=tables.epub&pages=5", root / "profile-tables",
                            tmp_path / "tables.png")
    assert "error" not in found, found.get("error")
    assert found["beyond"] == [], found["beyond"][:5]  # nothing set past a page's foot
    shown = " ".join(found["pages"])
    rows = {int(n) for n in re.findall(r"البند رقم (\d+) في القائمة الطويلة", shown)}
    assert rows == set(range(1, 61)), sorted(set(range(1, 61)) - rows)
