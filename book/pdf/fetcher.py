"""What WeasyPrint may load: the house styles and the font packages from disk, and from the book
folder only the files the load stage read into the model (book.files), from memory.

Nothing a source says can make a build read elsewhere, or read a book file at render time.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..fonts import FACES
from ..load.styles import HOUSE_STYLES
from ..model import Book


class _LoadedFile(URLFetcherResponse):
    """A book file served from memory. It has no path: given one, WeasyPrint would read the
    image from disk again when it writes the PDF (images.LazyLocalImage)."""

    path = None


def allowed_roots() -> tuple[Path, ...]:
    """Folders read from disk: ours, never the book's."""
    return (HOUSE_STYLES, *{face.file.parent.resolve() for face in FACES})


class ConfinedFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves the book's loaded files, opens local files under the
    allowed roots, and nothing else."""

    def __init__(self, book: Book):
        super().__init__(allowed_protocols={"file"})
        self.roots = allowed_roots()
        self.book_files = {(book.root / name).resolve(): data for name, data in book.files.items()}

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
        if path in self.book_files:
            return _LoadedFile(url, self.book_files[path],
                                      {"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream"})
        if path is None or not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"refused {url}: only the files book.toml names are loaded from the book folder")
        return super().fetch(url, headers)
