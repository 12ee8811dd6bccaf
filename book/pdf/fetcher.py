"""What a renderer may load: files in the book folder, the house styles and the font packages.

Nothing a source says can make a build read elsewhere or reach the network.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher

from ..fonts import FACES
from ..sources import HOUSE_STYLES


def allowed_roots(book_root: Path) -> tuple[Path, ...]:
    return (book_root.resolve(), HOUSE_STYLES, *{face.file.parent.resolve() for face in FACES})


class ConfinedFetcher(URLFetcher):
    """A WeasyPrint fetcher that opens local files under the allowed roots, and nothing else."""

    def __init__(self, book_root: Path):
        super().__init__(allowed_protocols={"file"})
        self.roots = allowed_roots(book_root)

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
        if path is None or not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"refused {url}: only files inside the book folder are loaded")
        return super().fetch(url, headers)
