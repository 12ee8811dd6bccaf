"""The screen and print PDF editions: laid out in a child process, joined and finished here.

Only the child loads the renderer (WeasyPrint, its fonts, the stylesheets) and forks the
parts' children (plan.py); this process gets back the written parts and where every
anchor landed, then joins them (pikepdf). The join of a long book holds every part's objects
at once, and the process holding them no longer holds the renderer too: the build's peak
memory is the join's, not the join's plus the renderer's. Kept light: nothing here imports
WeasyPrint.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from ..fonts import files_by_postscript_name
from ..forked import Forked
from ..model import Book
from . import pdfx
from .finish import PrintFinish, finish
from .parts import PagedBook
from .textlayer import learn_readings


def paginate(book: Book, design: str, write: bool = True, workers: int | None = None,
             scratch: Path | None = None, cache: Path | None = None, reuse: bool = True,
             warm_up: bool = False) -> PagedBook:
    """The book laid out in the `design` ("screen" or "print"), in a child process unless one
    worker is asked for; its parts written (if `write`) in a folder made in `scratch` that the
    result holds. With `warm_up`, this process loads the renderer meanwhile, for work of its
    own after the layout (a cover, an EPUB's cover image)."""
    if write and scratch:
        scratch.mkdir(parents=True, exist_ok=True)
    holder = tempfile.TemporaryDirectory(prefix="parts-", dir=scratch) if write else None
    folder = Path(holder.name) if holder else None

    def work() -> PagedBook:
        from .design import (  # in the child: they load WeasyPrint
            INNER_MARGIN,
            print_design,
            screen_design,
        )
        from .plan import set_in_parts
        if design == "screen":
            return set_in_parts(book, screen_design(book), folder=folder, workers=workers, cache=cache, reuse=reuse)
        # Print: an even count of the book's own pages (rectos open parts), then the printer's
        # multiple and least count in blank pages; laid out again with a wider gutter where the
        # printer asks for one at the page count it came to (the count only grows with it).
        spec = book.meta.printing
        gutter = max(INNER_MARGIN, spec.rules.gutter(spec.rules.min_pages))
        while True:
            paged = set_in_parts(book, print_design(book, gutter), 2, folder=folder, workers=workers, cache=cache,
                                 reuse=reuse, pad_to=(spec.multiple, spec.rules.min_pages))
            needed = spec.rules.gutter(paged.page_count)
            if needed <= gutter:
                return paged
            gutter = needed

    fork = (workers or os.cpu_count() or 1) > 1
    layout = None
    try:
        layout = Forked(work, fork=fork)
        # What the join will need, made meanwhile: the fonts' glyph readings (for the text
        # layer) in a child, and for `warm_up` the renderer here.
        learnt = learn_readings(files_by_postscript_name().values(), fork) if write else None
        if warm_up:
            importlib.import_module("weasyprint")  # while the child lays out, on another core
        if learnt:  # taken in as soon as they are made: the child that made them, a whole
            learnt()  # process (38 MiB on a long book), is gone for the rest of the layout
        return replace(layout.result(), parts_folder=holder)
    except BaseException:
        if layout:
            layout.stop()  # before its folder goes: it may be writing there
        if holder:
            holder.cleanup()
        raise


def write_screen_pdf(book: Book, target: Path, workers: int | None = None, scratch: Path | None = None,
                     cache: Path | None = None, reuse: bool = True) -> tuple[int, dict[str, int]]:
    """Render the screen edition to `target`; returns its page count and the anchors' pages."""
    layout = paginate(book, "screen", workers=workers, scratch=scratch, cache=cache, reuse=reuse)
    return finish(layout.parts, target, book.meta.language, book.meta.digits,
                  kashida=book.meta.justify == "kashida"), layout.anchor_pages


def paginate_print(book: Book, write: bool = True, workers: int | None = None, scratch: Path | None = None,
                  cache: Path | None = None, reuse: bool = True) -> PagedBook:
    return paginate(book, "print", write=write, workers=workers, scratch=scratch, cache=cache, reuse=reuse,
                    warm_up=True)


def write_print_pdf(book: Book, target: Path, layout: PagedBook | None = None) -> PagedBook:
    """Render the print interior to `target`: trim and bleed boxes, bound on the right."""
    layout = layout or paginate_print(book)
    if not layout.parts:
        raise ValueError("the print layout was made without writing its parts")
    spec = book.meta.printing
    printing = PrintFinish(binding=spec.binding, bleed_on_binding_edge=spec.rules.bleed_on_binding_edge,
                           reverse_order=spec.reverse_order,
                           navigation=spec.rules.navigation, crop_marks=spec.crop_marks)
    finish(layout.parts, target, book.meta.language, book.meta.digits, printing, pdfx=pdfx.finisher(book, "interior"),
           kashida=book.meta.justify == "kashida")
    return layout
