"""What a build is made from, as digests: every input of the editions (the code, the house
styles, the book folder's files, the fonts and profile), read before anything is loaded so
that an up-to-date build reads nothing more (book/stamp.py keeps it with the outputs); and what
a laid-out PDF part depends on besides its HTML (the parts cache's salt)."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from pathlib import Path

from .. import __version__
from ..model import Book
from .confined import book_file, files_in, read_bytes
from .settings import TomlText
from .styles import HOUSE_STYLES
from .text_files import data_file


PACKAGE = Path(__file__).resolve().parent.parent  # book/: our code


# What a book folder's editions are made from, besides files its book.toml names.
BOOK_FILES = ("book.toml", "index.toml", "chronology.toml")


BOOK_FOLDERS = ("chapters", "styles", "images")


def _files(folder: Path):
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _book_files(root: Path) -> list[Path]:
    """The book folder's own files, each resolved inside it (confined.py): a link that leads
    outside is refused here, before anything reads it."""
    files = [path for name in BOOK_FILES if (path := data_file(root, name))]
    files += [p for folder in BOOK_FOLDERS for p in files_in(root, folder, recursive=True)]
    config = data_file(root, "book.toml")
    text = read_bytes(config).decode("utf-8", errors="replace") if config else ""
    try:  # the files [print] names; what else book.toml says is checked when it is loaded
        printing = tomllib.loads(text).get("print", {})
    except (ValueError, RecursionError):  # the loader says what is wrong, with its line
        printing = {}
    for key in ("cover-image", "output-profile") if isinstance(printing, dict) else ():
        value = printing.get(key)
        if isinstance(value, str) and value:
            files.append(book_file(root, value, config, TomlText(config, text).line("print", key), f"[print] {key}"))
    return files


def _fonts_and_profiles() -> list[Path]:
    """Font and colour-profile files by location and size: their packages' versions change them."""
    from ..fonts import FACES  # file paths only; no renderer import
    from ..pdf.profiles import find_profile
    from ..print_spec import DEFAULT_CONDITION
    profile = find_profile(DEFAULT_CONDITION.profile)
    return [face.file for face in FACES] + ([profile] if profile else [])


def inputs_digest(root: Path, editions: tuple[str, ...] | None, options: dict[str, object]) -> str:
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("version", __version__.encode())
    add("options", json.dumps({"editions": editions, **options, "epoch": os.environ.get("SOURCE_DATE_EPOCH")},
                              sort_keys=True, default=str).encode())
    for path in [*_files(PACKAGE), *_files(HOUSE_STYLES)]:  # the code and house styles themselves
        add(str(path.relative_to(PACKAGE.parent)), path.read_bytes())
    for path in _book_files(root):
        add(str(path.relative_to(root)), read_bytes(path))
    for path in _fonts_and_profiles():
        add(str(path), str(path.stat().st_size).encode())
    return digest.hexdigest()


def layout_digest(book: Book) -> str:
    """Everything a laid-out part depends on besides its own HTML and place: our code and the
    house styles, the book's stylesheets and embedded files (from the model: this runs in the
    layout's process, which reads no book file), the fonts, the renderer's version."""
    # The version from the package's metadata: importing the renderer here would load it into
    # the process that only joins the parts. (importlib.metadata is slow to import: 28 ms of
    # the build's start, for a rebuild that never needs it.)
    from importlib import metadata
    digest = hashlib.sha256(f"weasyprint {metadata.version('weasyprint')}".encode())
    # How lines are filled changes every justified part, whatever its HTML says.
    digest.update(f"\0{book.meta.justify}\0{book.meta.kashida_strength}".encode())
    for path in [*_files(PACKAGE), *_files(HOUSE_STYLES)]:
        digest.update(f"\0{path.name}\0".encode() + path.read_bytes())
    for name, sheet in sorted(book.styles.items()):
        digest.update(f"\0{name}\0{sheet.text}".encode())
    for name, data in sorted(book.files.items()):
        digest.update(f"\0{name}\0".encode() + data)
    for path in _fonts_and_profiles():
        digest.update(f"\0{path}\0{path.stat().st_size}".encode())
    return digest.hexdigest()
