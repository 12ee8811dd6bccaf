"""Nothing a book's sources say makes the build reach the network or read outside the book."""

from __future__ import annotations

import http.server
import threading

import pytest

from conftest import run_build
from test_bad_input import CHAPTER, make_book


@pytest.fixture
def listener():
    """A loopback HTTP server that counts what it is asked for."""
    requests: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


CASES = {
    "remote image": lambda url: {"chapters/one.md": CHAPTER + f"\n![صورة]({url}/image.png)\n"},
    "remote stylesheet import": lambda url: {"styles/book.css": f'@import url("{url}/style.css");\n'},
    "remote font": lambda url: {"styles/book.css": f'@font-face {{ font-family: X; src: url({url}/f.ttf); }}\n'},
    "remote background": lambda url: {"styles/pdf.css": f"body {{ background: url('{url}/bg.png'); }}\n"},
    "image outside the book": lambda url: {"chapters/one.md": CHAPTER + "\n![x](../../etc/passwd)\n"},
    "absolute image path": lambda url: {"chapters/one.md": CHAPTER + "\n![x](/etc/passwd)\n"},
    "stylesheet reading a local file": lambda url: {"styles/book.css": "p { background: url(file:///etc/passwd); }\n"},
    "url() spelt with a CSS escape": lambda url: {"styles/book.css": f"p {{ background: \\75rl({url}/bg.png); }}\n"},
    "url() split over lines": lambda url: {"styles/book.css": f"p {{ background:\n  url(\n'{url}/bg.png'\n); }}\n"},
    "image-set with a string": lambda url: {"styles/pdf.css": f'p {{ background: image-set("{url}/bg.png" 1x); }}\n'},
    "page size pasted into CSS": lambda url: {"book.toml": __import__("test_bad_input").BOOK_TOML
                                              + f'[layout]\npage-size = "A5; }} @import url({url}/x.css); @page {{ size: A5"\n'},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_references_fail_cleanly_and_nothing_is_fetched(tmp_path, listener, case):
    url, requests = listener
    book = make_book(tmp_path / "book", CASES[case](url))
    result = run_build("--book", book, "--out", tmp_path / "out")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert requests == []
    assert not (tmp_path / "out" / "test-book.epub").exists()


def test_a_link_to_the_listener_is_a_link_not_a_fetch(tmp_path, listener):
    url, requests = listener
    book = make_book(tmp_path / "book", {"chapters/one.md": CHAPTER + f"\nانظر [الموقع]({url}/page).\n"})
    result = run_build("--book", book, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert requests == []


def test_raw_html_in_a_chapter_is_refused_at_its_line_and_never_fetched(tmp_path, listener):
    """Raw HTML is read as HTML (so that it is never printed as syntax either) and refused:
    nothing it names is fetched, no edition is made."""
    url, requests = listener
    hostile = (f'<script>alert(1)</script> <img src="{url}/x.png" onerror="alert(2)"> '
               f'<iframe src="{url}/frame"></iframe> <object data="{url}/o"></object>')
    from test_bad_input import BOOK_TOML
    book = make_book(tmp_path / "book", {"chapters/one.md": CHAPTER + "\n" + hostile + "\n",
                                         "book.toml": BOOK_TOML.replace('["epub"]', '["epub", "pdf"]')})
    result = run_build("--book", book, "--out", tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert "one.md:15: HTML is not allowed in chapters" in result.stderr
    assert not (tmp_path / "out" / "test-book.epub").exists()
    assert requests == []
