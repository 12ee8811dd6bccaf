"""The editions a book can ask for, by name, and the files they are published as: the one list
that book.toml's `editions`, `--edition`, the renderers' registry (book/renderers.py) and the
check command read.

Those built when book.toml names none are the ones a fresh machine set up by scripts/setup.sh
can make (the Kindle file needs calibre, installed by hand).
"""

from __future__ import annotations

# In the order they are made.
FILE_NAMES = {
    "pdf": "{slug}.pdf",
    "print": "{slug}-print.pdf",
    "epub": "{slug}.epub",
    "azw3": "{slug}.azw3",
}
EDITIONS = tuple(FILE_NAMES)
DEFAULT_EDITIONS = ("pdf", "epub", "print")
COVER_NAME = "{slug}-cover.pdf"  # the print edition's companion: its full-wrap cover


def file_name(edition: str, slug: str) -> str:
    return FILE_NAMES[edition].format(slug=slug)
