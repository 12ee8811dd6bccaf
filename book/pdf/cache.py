"""Laid-out parts of a PDF kept between builds, found again by what they are made from.

A part is known by the digest of its HTML and of everything else its layout reads (our code,
the stylesheets, the book's styles and images, the fonts, the page design: the `salt`). What
does not depend on where the part stands (its page count, where its anchors and pages fall
within it) is kept by that digest alone; the written PDF, whose folios do depend on it, by
digest and first page. So a rebuild after an edit lays out the edited part only, and the
parts after it too only where the edit changed its page count.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from .parts import PartFile, PlacedPart

CACHE_VERSION = "4"  # bump when what is kept, or how, changes
BODY_ANCHORS = "body-anchors.json"  # where the last build's chapters put their anchors
BACK_STARTS = "back-starts.json"  # the entry each of the last build's back pieces opened with


class PartCache:
    def __init__(self, folder: Path, salt: str, reuse: bool = True):
        self.folder = folder
        self.salt = salt
        self.reuse = reuse  # false: nothing is found, everything made is kept

    def key(self, kind: str, *texts: str) -> str:
        digest = hashlib.sha256(f"{CACHE_VERSION}\0{self.salt}\0{kind}".encode())
        for text in texts:
            digest.update(b"\0" + text.encode("utf-8"))
        return digest.hexdigest()

    def _used(self, path: Path) -> Path | None:
        """The path if it is kept, marked used by this build (see `prune`)."""
        if not self.reuse:
            return None
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def facts(self, key: str) -> dict | None:
        path = self._used(self.folder / f"{key}.json")
        try:
            return json.loads(path.read_text(encoding="utf-8")) if path else None
        except (OSError, ValueError):
            return None

    def _file(self, key: str, first_page: int, number: int) -> Path:
        return self.folder / (f"{key}-{first_page}.pdf" if number == 0 else f"{key}-{first_page}.{number}.pdf")

    def written(self, key: str, first_page: int, facts: dict) -> tuple[PartFile, ...] | None:
        """The part's files written at `first_page`, if every one of them is kept."""
        files = list(zip(facts["borrowed"], facts["continues"]))
        paths = [self._used(self._file(key, first_page, number)) for number in range(len(files))]
        if not paths or None in paths:
            return None
        return tuple(PartFile(path, frozenset(names), continues)
                     for path, (names, continues) in zip(paths, files))

    def _store(self, target: Path, write) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(dir=self.folder, suffix=".part")
        os.close(handle)
        try:
            write(Path(scratch))
            os.replace(scratch, target)  # whole or not at all, whichever process gets here first
        finally:
            if os.path.exists(scratch):
                os.unlink(scratch)

    def keep(self, key: str, first_page: int, facts: dict, files: tuple[PartFile, ...]) -> None:
        self._store(self.folder / f"{key}.json",
                    lambda path: path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8"))
        for number, file in enumerate(files):
            self._store(self._file(key, first_page, number), lambda path, file=file: shutil.copyfile(file.path, path))

    def find(self, key: str, first_page: int, writing: bool, facts: dict | None = None) -> PlacedPart | None:
        """The part an earlier build laid out from the same sources, placed at `first_page`;
        when `writing`, only if its PDF was written at that page. `facts` if already read."""
        facts = facts if facts is not None else self.facts(key)
        if facts is None:
            return None
        written = self.written(key, first_page, facts) if writing else ()
        if written is None:
            return None
        return PlacedPart.placed(facts, first_page, written)

    def keep_part(self, key: str, first_page: int, part: PlacedPart) -> None:
        self.keep(key, first_page, part.facts(first_page), part.written)

    def _keep_json(self, name: str, data: dict) -> None:
        self._store(self.folder / name,
                    lambda path: path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8"))

    def _json(self, name: str) -> dict | None:
        path = self._used(self.folder / name)
        try:
            return json.loads(path.read_text(encoding="utf-8")) if path else None
        except (OSError, ValueError):
            return None

    def keep_body_anchors(self, pages: dict[str, int]) -> None:
        self._keep_json(BODY_ANCHORS, pages)

    def body_anchors(self) -> dict[str, int] | None:
        """The pages the last build's chapters put their anchors on: a rebuild's best guess of
        this one's, while its edited parts are laid out again."""
        return self._json(BODY_ANCHORS)

    def keep_back_starts(self, starts: dict[str, int]) -> None:
        self._keep_json(BACK_STARTS, starts)

    def back_starts(self) -> dict[str, int] | None:
        """The entry each back piece of the last build opened with (a piece's opening depends
        on the layout of the one before): with body_anchors, what a rebuild guesses them from."""
        return self._json(BACK_STARTS)

    def prune(self, since: float) -> None:
        """Remove what no build since `since` (a time.time()) has used or made."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            try:
                if path.stat().st_mtime < since:
                    path.unlink()
            except OSError:
                continue


def now() -> float:
    """A moment to prune against later (file times have coarse resolution on some systems)."""
    return time.time() - 1
