"""`book watch`: a saved change shows in the live preview within a second; an error in the
sources shows over the last good page until it is fixed; the preview has the back matter."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from book import watch as watch_module
from book.arabic import LABELS
from book.watch import Preview
from conftest import ROOT
from test_bad_input import CHAPTER, make_book

GENEROUS = 20.0  # seconds: a shared machine may be slow; the figure itself is printed
BAD_DATE = CHAPTER.replace('date = "2020-03"', 'date = "12/2020"')  # line 3 of one.md
INDEX_TOML = '[[term]]\nheading = "المتحدث"\nkind = "topic"\n'


@contextlib.contextmanager
def watching(book: Path, out: Path):
    """`build.py watch` as a user runs it; yields the preview's URL."""
    child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "watch", "--book", str(book),
                              "--out", str(out), "--port", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = child.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            url = found.group() if found else None
        assert url, "watch never announced its preview"
        yield url, child
    finally:
        child.terminate()
        child.wait(timeout=30)


def fetch(url: str) -> str:
    return urllib.request.urlopen(url, timeout=10).read().decode()


def wait_for(condition, what: str):
    deadline = time.monotonic() + GENEROUS
    while time.monotonic() < deadline:
        if (found := condition()):
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {GENEROUS} s")


def test_watch_rebuilds_the_preview_after_a_save(tmp_path):
    book = make_book(tmp_path / "book", {})
    with watching(book, tmp_path / "out") as (url, _):
        page = fetch(url)
        assert "نص الفصل الأول" in page and 'dir="rtl"' in page
        chapter = book / "chapters" / "one.md"
        saved = time.monotonic()
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("نص الفصل الأول", "نص منقح"),
                           encoding="utf-8")
        wait_for(lambda: "نص منقح" in fetch(url), "the revised text")
        print(f"preview updated {time.monotonic() - saved:.2f} s after the save")


def test_an_error_shows_in_the_preview_until_the_sources_are_fixed(tmp_path):
    book = make_book(tmp_path / "book", {})
    chapter = book / "chapters" / "one.md"
    with watching(book, tmp_path / "out") as (url, child):
        assert json.loads(fetch(url + "status.json")) == {"version": 1, "error": None}
        chapter.write_text(BAD_DATE, encoding="utf-8")
        status = wait_for(lambda: (s := json.loads(fetch(url + "status.json")))["error"] and s, "an error")
        assert status["version"] == 1  # the last good page stays, and the page says it is stale
        assert re.search(r"chapters/one\.md:3: date \"12/2020\"", status["error"]), status
        page = fetch(url)
        assert "نص الفصل الأول" in page and "12/2020" not in page  # the script shows the error
        assert child.poll() is None
        chapter.write_text(CHAPTER.replace("نص الفصل الأول", "نص منقح"), encoding="utf-8")
        status = wait_for(lambda: (s := json.loads(fetch(url + "status.json")))["version"] == 2 and s, "a fix")
        assert status["error"] is None
        assert "نص منقح" in fetch(url)


def test_a_foreign_host_is_refused_and_only_the_preview_is_served(tmp_path):
    book = make_book(tmp_path / "book", {})
    (tmp_path / "out" / "preview").mkdir(parents=True)
    (tmp_path / "out" / "preview" / "secret").symlink_to(book / "book.toml")
    with watching(book, tmp_path / "out") as (url, _):
        port = int(url.rstrip("/").rsplit(":", 1)[1])

        def get(path: str, host: str) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", path, headers={"Host": host})
                return connection.getresponse().status
            finally:
                connection.close()

        assert get("/", f"127.0.0.1:{port}") == 200
        headers = urllib.request.urlopen(url, timeout=10).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert get("/", f"localhost:{port}") == 200
        assert get("/", f"attacker.example:{port}") == 403  # DNS rebinding to 127.0.0.1
        assert get("/status.json", "attacker.example") == 403
        for path in ("/secret", "/fonts/", "/fonts", "/../book.toml", "/%2e%2e/book/book.toml"):
            assert get(path, f"127.0.0.1:{port}") == 404, path


def test_the_preview_has_the_back_matter_with_links_inside_the_page(tmp_path):
    book = make_book(tmp_path / "book", {"index.toml": INDEX_TOML})
    preview = Preview(book, tmp_path / "preview", lambda message: None)
    preview.rebuild()
    page = preview.files["index.html"][0].decode()
    for label in ("chronology", "sayings", "index"):
        assert f">{LABELS[label]}</h1>" in page, label
    ids = set(re.findall(r' id="([^"]+)"', page))
    links = re.findall(r' href="([^"]+)"', page)
    assert links.count("preview.css") == 1
    inside = [link[1:] for link in links if link.startswith("#")]
    assert len(inside) >= 3 and set(inside) <= ids  # chronology, sayings and index reach the text
    assert f"{LABELS['in_chapter']} {LABELS['chapter']} الأول" in page  # no pages: per chapter


def test_a_stylesheet_cannot_break_out_into_the_page(tmp_path):
    hostile = "/* </style><script>window.pwned = 1</script> */\np { color: black; }\n"
    book = make_book(tmp_path / "book", {"styles/book.css": hostile})
    preview = Preview(book, tmp_path / "preview", lambda message: None)
    preview.rebuild()
    page = preview.files["index.html"][0].decode()
    assert "pwned" not in page and page.count("<script") == 1
    assert hostile in preview.files["preview.css"][0].decode()  # linked, as written


def test_a_first_build_that_fails_serves_a_page_that_shows_the_error(tmp_path):
    book = make_book(tmp_path / "book", {"chapters/one.md": BAD_DATE})
    said = []
    preview = Preview(book, tmp_path / "preview", said.append)
    preview.rebuild()
    assert said and said[0].startswith("error: ") and "one.md:3" in said[0]
    status = json.loads(preview.files["status.json"][0])
    assert status["version"] == 0 and "one.md:3" in status["error"]
    page = preview.files["index.html"][0].decode()
    assert 'data-version="0"' in page and '<script src="watch.js">' in page and 'id="build-error"' in page
    assert (tmp_path / "preview" / "status.json").read_bytes() == preview.files["status.json"][0]


def test_an_internal_error_is_shown_and_the_watch_goes_on(tmp_path, monkeypatch):
    book = make_book(tmp_path / "book", {})
    chapter = book / "chapters" / "one.md"
    broken = threading.Event()
    prepare = watch_module.prepare

    def flaky(root):  # a bug in book, not in the sources: no BookError
        if broken.is_set():
            raise KeyError("a bug")
        return prepare(root)

    monkeypatch.setattr(watch_module, "prepare", flaky)
    said, stop = [], threading.Event()
    thread = threading.Thread(target=watch_module.watch, args=(book, tmp_path / "preview", 0, said.append, stop))
    thread.start()
    try:
        url = wait_for(lambda: next((found.group() for m in said
                                     if (found := re.search(r"http://127\.0\.0\.1:\d+/", m))), None), "the URL")

        def status():
            return json.loads(fetch(url + "status.json"))

        broken.set()
        chapter.write_text(CHAPTER + "\n", encoding="utf-8")
        assert wait_for(lambda: status()["error"], "the error") == "internal error: KeyError: 'a bug'"
        assert "error: internal error: KeyError: 'a bug'" in said  # in the terminal too
        broken.clear()
        chapter.write_text(CHAPTER.replace("نص الفصل الأول", "نص منقح"), encoding="utf-8")
        wait_for(lambda: status() == {"version": 2, "error": None}, "the next good build")
        assert thread.is_alive() and "نص منقح" in fetch(url)
    finally:
        stop.set()
        thread.join(timeout=30)


def test_the_banner_is_seen_over_the_page_in_a_browser(tmp_path):
    from test_reader import CHROMIUM, _DevTools
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed")
    book = make_book(tmp_path / "book", {})
    chapter = book / "chapters" / "one.md"
    with watching(book, tmp_path / "out") as (url, _):
        chapter.write_text(BAD_DATE, encoding="utf-8")
        wait_for(lambda: json.loads(fetch(url + "status.json"))["error"], "the error")
        browser = _DevTools(tmp_path / "profile", width=900, height=1200)
        try:
            browser.call("Page.navigate", page=True, url=url)
            banner = """(() => { const b = document.getElementById("build-error");
                if (!b || b.hidden) return null; const r = b.getBoundingClientRect();
                return {text: b.innerText, top: r.top, height: r.height,
                        dir: getComputedStyle(b.querySelector("pre")).direction}; })()"""
            seen = wait_for(lambda: browser.evaluate(banner), "the banner in the browser")
            assert "one.md:3" in seen["text"] and "12/2020" in seen["text"]
            assert seen["top"] == 0 and seen["height"] > 20 and seen["dir"] == "ltr"
            assert "نص الفصل الأول" in browser.evaluate("document.body.innerText")  # the last good page
            chapter.write_text(CHAPTER.replace("نص الفصل الأول", "نص منقح"), encoding="utf-8")

            def reloaded():
                with contextlib.suppress(AssertionError):  # asked while the page was reloading
                    return "نص منقح" in (browser.evaluate("document.body.innerText") or "")

            wait_for(reloaded, "the reload")
            assert browser.evaluate(banner) is None
        finally:
            browser.close()


def test_no_script_but_the_reloader_runs_in_a_browser(tmp_path):
    """A stylesheet that tries to close the page's <style> runs nothing, and the page's policy
    stops inline script outright (an injected handler does not fire) while the reloader works."""
    from test_reader import CHROMIUM, _DevTools
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed")
    hostile = "/* </style><script>window.pwned = 1</script> */\np { color: black; }\n"
    book = make_book(tmp_path / "book", {"styles/book.css": hostile})
    with watching(book, tmp_path / "out") as (url, _):
        browser = _DevTools(tmp_path / "profile", width=900, height=1200)
        try:
            browser.call("Page.navigate", page=True, url=url)
            wait_for(lambda: "نص الفصل الأول" in (browser.evaluate("document.body && document.body.innerText") or ""),
                     "the page")
            browser.evaluate("""document.body.insertAdjacentHTML("beforeend",
                '<img src="missing.png" onerror="window.pwned = 2">'); 0""")
            time.sleep(1)  # the image has failed by now; its handler, were it allowed, has run
            assert browser.evaluate("typeof window.pwned") == "undefined"
            assert browser.evaluate("typeof poll") == "function"  # watch.js ran
            (book / "chapters" / "one.md").write_text(CHAPTER.replace("نص الفصل الأول", "نص منقح"), encoding="utf-8")

            def reloaded():
                with contextlib.suppress(AssertionError):  # asked while the page was reloading
                    return "نص منقح" in (browser.evaluate("document.body.innerText") or "")

            wait_for(reloaded, "the reload")
        finally:
            browser.close()
