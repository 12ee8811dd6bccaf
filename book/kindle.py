"""Kindle editions through calibre's ebook-convert, when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import BookError

INSTALL_HINT = ("the azw3 edition needs calibre's ebook-convert: install it with "
                "`sudo apt-get install calibre` (Debian) or from calibre-ebook.com, then build again")


def find_converter() -> str | None:
    """The ebook-convert command, if installed (BOOK_EBOOK_CONVERT overrides where it is looked
    for; a path that does not exist hides an installed calibre, as on a fresh machine)."""
    return shutil.which(os.environ.get("BOOK_EBOOK_CONVERT", "ebook-convert"))


def converter() -> str:
    found = find_converter()
    if not found:
        raise BookError(INSTALL_HINT)
    return found


def convert(command: str, epub: Path, target: Path) -> None:
    # ebook-convert picks the output format from the file name's extension.
    output = target.with_name(target.name + ".azw3")
    result = subprocess.run([command, str(epub), str(output)], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"})
    if result.returncode != 0 or not output.is_file():
        raise RuntimeError(f"ebook-convert failed: {result.stderr.strip()[-500:] or result.stdout.strip()[-500:]}")
    output.replace(target)
