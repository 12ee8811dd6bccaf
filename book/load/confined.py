"""The files a book folder supplies, found inside it and nowhere else.

Every file a book's sources lead the build to (book.toml, chapters, stylesheets, index.toml,
chronology.toml, the cover image, the output profile, the folders that hold them) is resolved
here, symlinks followed, and refused with its file and line before it is opened when it leads
outside the book folder or is not a regular file (a FIFO would hang the build). Hidden files
(an editor's `.#chapter.md` lock, a `._chapter.md` from macOS) are not the book's.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BookError


def _outside(root: Path, shown: str | Path, resolved: Path) -> str:
    return f"{shown} leads outside the book folder (to {resolved}); a book is read only from {root}"


def book_file(root: Path, relative: str | Path, named_in: Path | None = None, line: int | None = None,
              what: str = "") -> Path:
    """`relative` (a path in the book folder, as the sources give it) resolved, or a BookError
    at `named_in`:`line` (the file that names it; by default the file itself)."""
    root = root.resolve()
    path = root / relative
    where = named_in or path
    label = f'{what} "{relative}"' if what else str(relative)
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise BookError(_outside(root, label, resolved), where, line)
    if not resolved.exists():
        raise BookError(f"{label} does not exist", where, line)
    if not resolved.is_file():
        raise BookError(f"{label} is not a regular file", where, line)
    return resolved


def book_folder(root: Path, name: str) -> Path | None:
    """A folder of the book (chapters/, styles/ …) resolved inside it; None when there is none."""
    root = root.resolve()
    path = root / name
    if not path.exists() and not path.is_symlink():
        return None
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise BookError(_outside(root, f"{name}/", resolved), path)
    if not resolved.is_dir():
        raise BookError(f"{name} should be a folder", path)
    return resolved


def files_in(root: Path, name: str, pattern: str = "*", recursive: bool = False) -> list[Path]:
    """The book's files in its folder `name` matching `pattern`, in name order, each checked to
    lead to a regular file inside the book (a link to a file outside is refused, never opened).
    The paths are as listed in the folder, so a chapter keeps the name it has there."""
    folder = book_folder(root, name)
    if folder is None:
        return []
    found = sorted(folder.rglob(pattern) if recursive else folder.glob(pattern))
    files = [p for p in found if not p.is_dir()
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    for path in files:
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 in its name: no message could print it
            shown = str(path.relative_to(folder)).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise BookError(f"the file name {shown!r} is not UTF-8: rename it", folder) from None
        book_file(root, path.relative_to(root.resolve()))
    return files


def read_bytes(path: Path) -> bytes:
    """A book file's bytes (found by book_file or files_in), or an error naming it."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise BookError(f"cannot read: {error.strerror}", path) from None
