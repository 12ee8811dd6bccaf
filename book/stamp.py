"""Whether a build would change anything: a digest of everything the editions are made from.

A build records the digest of its inputs and of each output it wrote in OUT/.book-stamp.json.
The next build with the same digest, its outputs untouched, has nothing to do and says so
without importing the renderers (a rebuild with no change takes a fraction of a second).
The stamp is one of the outputs: made beside the others before they are switched in together
(files.publish), it always belongs to the set in place. It vouches only for outputs whose bytes
it records: one changed by hand since is seen, and built again.
Kept light: this module imports nothing that lays out pages.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
import json
import os
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__
from .confined import book_file, files_in, read_bytes
from .settings import TomlText
from .sources import HOUSE_STYLES, data_file  # the command line has loaded it already

STAMP_NAME = ".book-stamp.json"
PACKAGE = Path(__file__).resolve().parent
# What a book folder's editions are made from, besides files its book.toml names.
BOOK_FILES = ("book.toml", "index.toml", "chronology.toml")
BOOK_FOLDERS = ("chapters", "styles", "images")


@dataclass
class Stamp:
    inputs: str
    outputs: dict[str, str] = field(default_factory=dict)  # path -> sha256
    warnings: list[str] = field(default_factory=list)
    preflight: list[str] = field(default_factory=list)


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
    from .fonts import FACES  # file paths only; no renderer import
    from .printing import DEFAULT_CONDITION, find_profile
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


def layout_digest(root: Path) -> str:
    """Everything a laid-out part depends on besides its own HTML and place: our code and the
    house styles, the book's styles and images, the fonts, the renderer's version."""
    # The version from the package's metadata: importing the renderer here would load it into
    # the process that only joins the parts.
    digest = hashlib.sha256(f"weasyprint {metadata.version('weasyprint')}".encode())
    for path in [*_files(PACKAGE), *_files(HOUSE_STYLES), *files_in(root, "styles", recursive=True),
                 *files_in(root, "images", recursive=True)]:
        digest.update(f"\0{path.name}\0".encode() + path.read_bytes())
    for path in _fonts_and_profiles():
        digest.update(f"\0{path}\0{path.stat().st_size}".encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read(out: Path) -> Stamp | None:
    try:
        return Stamp(**json.loads((out / STAMP_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def up_to_date(out: Path, inputs: str) -> Stamp | None:
    """The recorded stamp when the inputs are the same and every output is as it was written."""
    stamp = read(out)
    if stamp is None or stamp.inputs != inputs or not stamp.outputs:
        return None
    for name, expected in stamp.outputs.items():
        path = out / name
        if not path.is_file() or file_digest(path) != expected:
            return None
    return stamp


def write(folder: Path, stamp: Stamp) -> None:
    """The stamp in `folder`: a build's stage, published with the outputs it vouches for
    (files.publish), never the output folder itself, whose OUT/.book-stamp.json is a link."""
    (folder / STAMP_NAME).write_text(json.dumps(asdict(stamp), ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")

