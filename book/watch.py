"""`book watch`: a live HTML preview on localhost, rebuilt as soon as a source is saved.

The preview is the book's text with its house style and fonts, rendered in well under a
second; the page reloads itself when a new version is written. Editions are built with
`book build` when wanted (a full build takes seconds, not the instant an author expects).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from pathlib import Path
from typing import Callable

from .errors import BookError
from .fonts import FACES, font_face_css
from .build import prepare
from .templating import render

WATCHED = ("book.toml", "index.toml", "chronology.toml", "chapters", "styles")
POLL_SECONDS = 0.1


def _snapshot(root: Path) -> dict[str, float]:
    stamps = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for file in files:
            if file.is_file():
                stamps[str(file)] = file.stat().st_mtime_ns
    return stamps


def write_preview(root: Path, folder: Path) -> None:
    book = prepare(root)  # the same model the editions are made from
    folder.mkdir(parents=True, exist_ok=True)
    fonts = folder / "fonts"
    fonts.mkdir(exist_ok=True)
    for face in FACES:
        if not (fonts / face.file.name).exists():
            shutil.copy(face.file, fonts / face.file.name)
    styles = font_face_css(lambda face: "fonts/" + face.file.name.replace("[", "%5B").replace("]", "%5D"))
    styles += "\n".join(book.styles[name].read_text(encoding="utf-8") for name in ("book.css", "epub.css"))
    (folder / "index.html").write_text(render("preview.html.j2", book, styles=styles), encoding="utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def watch(root: Path, folder: Path, port: int, say: Callable[[str], None],
          stop: threading.Event | None = None) -> None:
    """Serve `folder` on 127.0.0.1:`port` and rewrite the preview whenever a source changes."""
    stop = stop or threading.Event()
    version = 0

    def rebuild() -> None:
        nonlocal version
        started = time.perf_counter()
        try:
            write_preview(root, folder)
            version += 1
            (folder / "version.txt").write_text(str(version), encoding="utf-8")
            say(f"preview {version} in {time.perf_counter() - started:.2f} s")
        except BookError as error:
            say(f"error: {error}")

    rebuild()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"watching {root}; preview at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    seen = _snapshot(root)
    try:
        while not stop.wait(POLL_SECONDS):
            now = _snapshot(root)
            if now != seen:
                seen = now
                rebuild()
    finally:
        server.shutdown()
