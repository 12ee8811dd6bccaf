"""The load stage: the book folder read once into the model (book.toml, chapters, index.toml,
chronology.toml, the [print] table, the stylesheets' text, the files the editions embed),
every file resolved inside the folder (confined.py) and checked, with the file and line of
anything wrong. The only reader of a book's files: the preprocessors and the renderers read
the model (tests/test_architecture.py holds them to it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model import Book
from ..print_spec import PrintSpec
from .chapters import load_chapters
from .confined import book_file, read_bytes
from .metadata import load_metadata
from .overrides import load_overrides
from .styles import load_styles
from .terms import load_terms

__all__ = ["load_book", "load_metadata"]


def _embedded_files(root: Path, spec: PrintSpec) -> dict[str, bytes]:
    """The book's files a renderer embeds, by the path book.toml gives (found inside the book
    and checked when book.toml was read)."""
    return {relative: read_bytes(book_file(root, relative))
            for relative in (spec.cover_image, spec.output_profile) if relative}


def _figure_files(root: Path, chapters) -> dict[str, bytes]:
    """The chapters' figures' images, by the path the chapters give (checked when read)."""
    return {block.src: read_bytes(book_file(root, block.src))
            for chapter in chapters for block in chapter.figures}


def load_book(root: Path, built: dt.datetime | None = None) -> Book:
    """Read the whole book folder into the model; every later stage reads only the model."""
    root = root.resolve()
    meta = load_metadata(root)
    chapters = load_chapters(root)
    return Book(root=root, meta=meta, chapters=chapters, styles=load_styles(root),
                built=built or dt.datetime.now(dt.timezone.utc), term_list=load_terms(root),
                chronology_edits=load_overrides(root),
                files={**_embedded_files(root, meta.printing), **_figure_files(root, chapters)})
