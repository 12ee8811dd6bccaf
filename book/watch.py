"""`book watch`: a live HTML preview on localhost, rebuilt as soon as a source is saved.

The preview is the book's text with its house style and fonts, then its chronology, sayings
and index, rendered in well under a second. After every rebuild the watcher writes
`status.json` (the version of the last good page, and the error that stopped the rebuild or
null); the page polls it, reloads itself on a new version, and shows the error over the last
good page until the sources are fixed. Editions are built with `book build` when wanted (a
full build takes seconds, not the instant an author expects).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Callable

from .build import prepare
from .errors import BookError
from .preview import POLICY, own_files, preview_files, waiting_page

WATCHED = ("book.toml", "index.toml", "chronology.toml", "chapters", "styles")
POLL_SECONDS = 0.1
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".ttf": "font/ttf"}


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    stamps = {}
    for name in WATCHED:
        path = root / name
        # A file or folder gone between listing and reading (an editor saving) is left out:
        # the next look sees it, and the watch must not end over it.
        files = []
        with contextlib.suppress(OSError):
            files = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for file in files:
            with contextlib.suppress(OSError):
                if file.is_file():
                    stat = file.stat()
                    stamps[str(file)] = (stat.st_mtime_ns, stat.st_size)  # two saves in one clock tick
    return stamps


def status(version: int, error: str | None) -> bytes:
    return json.dumps({"version": version, "error": error}, ensure_ascii=False).encode("utf-8")


class Preview:
    """The preview's files: written to `folder`, and kept here for the server, which serves
    these and nothing else (no listing, no other file, no symlink in the folder followed)."""

    def __init__(self, root: Path, folder: Path, say: Callable[[str], None]):
        self.root, self.folder, self.say = root, folder, say
        self.version = 0  # of the last good page
        self.files: dict[str, tuple[bytes, str]] = {}
        folder.mkdir(parents=True, exist_ok=True)
        self._publish(own_files())

    def _publish(self, changed: dict[str, bytes]) -> None:
        """Serve `changed` from now on, then write it into the folder. One assignment: a request
        sees the page and the status of one rebuild, never a mix."""
        self.files = {**self.files, **{name: (data, TYPES[Path(name).suffix]) for name, data in changed.items()}}
        for name, data in changed.items():
            path = self.folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def rebuild(self) -> None:
        """Render the preview; on any error, keep the last good page and say what went wrong,
        in the terminal and in status.json. Never raises: the watch goes on after a bug too."""
        started = time.perf_counter()
        try:
            files = preview_files(prepare(self.root), self.version + 1)
            self.version += 1  # served from here on, even if writing the folder's copy fails
            self._publish({**files, "status.json": status(self.version, None)})
            self.say(f"preview {self.version} in {time.perf_counter() - started:.2f} s")
        except Exception as error:  # noqa: BLE001 - shown to the author; Ctrl-C still stops the watch
            message = str(error) if isinstance(error, BookError) else \
                f"internal error: {type(error).__name__}: {error}"
            self.say(f"error: {message}")
            failed = {"status.json": status(self.version, message)}
            if "index.html" not in self.files:
                failed = {"index.html": waiting_page(), **failed}
            with contextlib.suppress(OSError):  # the copy on disk; the server has it already
                self._publish(failed)


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of the preview's files, for pages from this machine's own names only: a
    foreign Host is another site's page reaching 127.0.0.1 through its DNS (rebinding) to read
    an unpublished book."""

    server: "_Server"

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        port = self.server.server_address[1]
        if (self.headers.get("Host") or "").lower() not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return self._send(403, b"forbidden\n", "text/plain; charset=utf-8", with_body)
        name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/") or "index.html"
        found = self.server.preview.files.get(name)
        if found is None:
            return self._send(404, b"not found\n", "text/plain; charset=utf-8", with_body)
        self._send(200, *found, with_body)

    def _send(self, code: int, body: bytes, kind: str, with_body: bool) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload shows the newest page
        self.send_header("Content-Security-Policy", POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")  # a stylesheet is never run as a script
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    preview: Preview


def watch(root: Path, folder: Path, port: int, say: Callable[[str], None],
          stop: threading.Event | None = None) -> None:
    """Serve the preview on 127.0.0.1:`port` and rewrite it whenever a source changes."""
    stop = stop or threading.Event()
    preview = Preview(root, folder, say)
    seen = _snapshot(root)  # before the first build: a save during it is not missed
    preview.rebuild()
    server = _Server(("127.0.0.1", port), _Handler)
    server.preview = preview
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"watching {root}; preview at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        while not stop.wait(POLL_SECONDS):
            now = _snapshot(root)
            if now != seen:
                seen = now
                preview.rebuild()
    finally:
        server.shutdown()
        server.server_close()
