"""The renderers: one per edition, each turning the model into its file (and companions) in
the build's stage folder, and the HTML preview among them. The registry is keyed by the
editions' names (book/editions.py); the heavy renderers are imported when an edition needs
them, not here: a screen PDF's layout loads WeasyPrint in a child process, and the process
that joins its parts stays small.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .editions import COVER_NAME, EDITIONS, FILE_NAMES
from .model import Book

if TYPE_CHECKING:
    from .pdf.parts import PagedBook

CACHE_DIR = ".book-cache"  # in the output folder: work kept between builds


@dataclass(frozen=True)
class Rendered:
    pages: int | None = None
    anchor_pages: dict[str, int] | None = None  # where index and chronology anchors landed
    companions: tuple[Path, ...] = ()           # further files the edition wrote
    padding: int = 0                            # blank pages added at the end for the printer


class Shared:
    """What one edition's work gives another in the same build: the print layout, laid out
    once, is the print interior and the EPUB's page-list alike."""

    def __init__(self, book: Book, out: Path, stage: Path, editions: list[str], workers: int, reuse: bool = True):
        self.book = book
        self.out = out  # the output folder, where the editions go once every one is made
        self.stage = stage  # where this build writes them meanwhile (files.stage_folder)
        self.editions = editions  # of this group: the print layout is written only for print
        self.parts_cache = out / CACHE_DIR / "parts"  # laid-out parts kept for the next build
        self.reuse = reuse  # whether parts kept by earlier builds are used (they are kept anyway)
        self.workers = workers  # processes a layout may use (forked workers for parts)
        self._print: PagedBook | None = None

    def print_paged(self) -> PagedBook:
        from .pdf.editions import paginate_print
        if self._print is None:
            self._print = paginate_print(self.book, write="print" in self.editions, workers=self.workers,
                                        scratch=self.stage, cache=self.parts_cache, reuse=self.reuse)
        return self._print


def _render_pdf(book: Book, target: Path, shared: Shared) -> Rendered:
    from .pdf.editions import write_screen_pdf
    return Rendered(*write_screen_pdf(book, target, workers=shared.workers, scratch=target.parent,
                                      cache=shared.parts_cache, reuse=shared.reuse))


def _render_epub(book: Book, target: Path, shared: Shared) -> Rendered:
    from .epub import write_epub
    layout = shared.print_paged()
    write_epub(book, target, layout.page_breaks, layout.anchor_pages)
    return Rendered()


def _render_print(book: Book, target: Path, shared: Shared) -> Rendered:
    """The interior, then its full-wrap cover, whose spine comes from the interior's page count."""
    from .pdf.covers import write_cover
    from .pdf.editions import write_print_pdf
    paginate = write_print_pdf(book, target, shared.print_paged())
    pages = paginate.page_count
    cover = target.with_name(COVER_NAME.format(slug=book.meta.slug))
    write_cover(book, cover, pages)
    return Rendered(pages, paginate.anchor_pages, (cover,), paginate.padding)


def _render_azw3(book: Book, target: Path, shared: Shared) -> Rendered:
    """Kindle (KF8): the EPUB converted by calibre, which keeps its right-to-left progression
    (primary-writing-mode horizontal-rl) and its embedded fonts."""
    from . import kindle
    from .epub import write_epub
    converter = kindle.converter()
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / f"{book.meta.slug}.epub"
        layout = shared.print_paged()
        write_epub(book, source, layout.page_breaks, layout.anchor_pages)
        kindle.convert(converter, source, target)
    return Rendered()



def _render_preview(book: Book, target: Path, shared: Shared) -> Rendered:
    """The HTML preview, a folder: its page, stylesheet, fonts and reloader."""
    from .preview import write_preview
    target.mkdir(parents=True, exist_ok=True)
    return Rendered(companions=tuple(write_preview(book, target)[1:]))


@dataclass(frozen=True)
class Renderer:
    edition: str
    file_name: str  # its pattern: {slug} is the book's
    render: Callable[[Book, Path, Shared], Rendered]
    print_layout: bool = False  # made from the print layout (its pages: the EPUB's page-list)


REGISTRY: dict[str, Renderer] = {renderer.edition: renderer for renderer in (
    Renderer("pdf", FILE_NAMES["pdf"], _render_pdf),
    Renderer("print", FILE_NAMES["print"], _render_print, print_layout=True),
    Renderer("epub", FILE_NAMES["epub"], _render_epub, print_layout=True),
    Renderer("azw3", FILE_NAMES["azw3"], _render_azw3, print_layout=True),
    Renderer("preview", "{slug}-preview", _render_preview),  # `book watch` serves it; not an edition
)}
assert tuple(name for name in REGISTRY if name != "preview") == EDITIONS, "an edition without its renderer"
