"""PDF editions: the model through HTML templates into WeasyPrint, then finished with pikepdf.

The book is laid out in parts: the chapters once, then the back matter (chronology and
sayings) with the page numbers the chapters actually got, then the index (see pdf_index.py)
in a forked process of its own while this one lays out the front matter, whose contents now
know every page number, and writes front, chapters and back matter as one PDF. The index's
PDF is joined to it at the end (pdf_join.py). The front matter is laid out twice (a first
pass only counts its pages); the chapters, the bulk, only once.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from . import arabic, pdfx
from .backmatter import back_sections
from .locators import page_ranges
from .model import Book, PageBreak
from .pdf_anchors import block_lines, chapter_page_starts, place_anchors
from .forked import Forked
from .pdf_finish import finish
from .pdf_join import PartFile
from .pdf_index import lay_out_index
from .pdf_links import LocatorRuns, link_locators
from .resources import ConfinedFetcher
from .templating import render
from .weasy import stylesheets

PLACEHOLDER_PAGE = 88  # sets the contents' first pass at a typical width
# A page with nothing on it: what a part ends with when the next must open on a recto.
_FILLER_CSS = "@page { @top-center { content: none; } @bottom-center { content: none; } }"


@dataclass(frozen=True)
class PdfDesign:
    """How an edition lays out pages: its stylesheets, page geometry, and recto rule."""

    stylesheets: tuple[str, ...]
    page_css: str
    parts_open_on_recto: bool = False
    write_options: tuple[tuple[str, object], ...] = ()  # WeasyPrint's write_pdf arguments


def screen_design(book: Book) -> PdfDesign:
    # PDF/UA-1: structure tree, tab order by structure, title shown, XMP identification.
    return PdfDesign(("book.css", "pdf.css"), f"@page {{ size: {book.meta.page_size}; }}",
                     write_options=(("pdf_variant", "pdf/ua-1"),))


def print_design(book: Book) -> PdfDesign:
    spec = book.meta.printing
    width, height = spec.trim_size
    return PdfDesign(("book.css", "pdf.css", "print.css"),
                     f"@page {{ size: {width}pt {height}pt; bleed: {spec.bleed}pt; }}",
                     parts_open_on_recto=True, write_options=(("pdf_tags", True),))


class _Layout:
    """Lays out parts of one book with shared fonts and stylesheets, tracking anchor pages."""

    def __init__(self, book: Book, design: PdfDesign, keep_html: Callable[[str, str], None] | None = None):
        self.book = book
        self.keep_html = keep_html  # hears (part, html) of every part laid out: benchmarks' floor
        self.design = design
        self.fonts = FontConfiguration()
        self.fetcher = ConfinedFetcher(book.root)
        self.sheets = stylesheets(book, self.fonts, self.fetcher, design.stylesheets, design.page_css)
        self._filler = None
        self.lines = {}                  # the chapters' lines, set by place()
        self.pages: dict[str, int] = {}  # anchor id -> page number
        self.locators = LocatorRuns()

    def part(self, template: str, first_page: int, extra_css: str = "", **context) -> Document:
        book = self.book
        html = render(template, book, part=template.split("_")[1].split(".")[0],
                      folio=lambda anchor: arabic.number(self.pages.get(anchor, PLACEHOLDER_PAGE), book.meta.digits),
                      page_of=lambda anchor: self.pages[anchor],
                      page_ranges=lambda occurrences: page_ranges(occurrences, self.pages),
                      back_sections=back_sections(book),
                      locators=lambda ranges: self.locators.add(ranges, book.meta.digits), **context)
        if self.keep_html:
            self.keep_html(template, html)
        start = CSS(string=f"@page :first {{ counter-reset: page {first_page}; }}{extra_css}", font_config=self.fonts)
        document = HTML(string=html, base_url=book.root.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[*self.sheets, start], font_config=self.fonts, pdf_tags=True)
        return document

    def record(self, document: Document, first_page: int) -> None:
        for number, page in enumerate(document.pages, start=first_page):
            for anchor in page.anchors:
                self.pages.setdefault(anchor, number)

    def filler(self):
        """A blank page (no folio, no running head) to end a part on a verso."""
        if self._filler is None:
            blank = HTML(string='<html dir="rtl"><body></body></html>').render(
                stylesheets=[*self.sheets, CSS(string=_FILLER_CSS, font_config=self.fonts)],
                font_config=self.fonts)
            self._filler = blank.pages[0]
        return self._filler

    def pages_of(self, document: Document) -> list:
        """The part's pages, ending on a verso when the next part must open on a recto."""
        pages = list(document.pages)
        if self.design.parts_open_on_recto and len(pages) % 2:
            pages.append(self.filler())
        return pages

    def place(self, document: Document, first_page: int) -> None:
        """The chapters' index and chronology anchors, found in the layout (its lines kept
        for where each page begins)."""
        self.lines = block_lines(document)
        for anchor, index in place_anchors(self.book, document, self.lines).items():
            self.pages[anchor] = first_page + index


@dataclass(frozen=True)
class LaidOut:
    parts: tuple[PartFile, ...]         # the written PDFs, in order, to be joined (none if not asked)
    page_count: int
    anchor_pages: dict[str, int]        # anchor id -> page number
    page_breaks: tuple[PageBreak, ...]  # where each page begins, for the EPUB's page-list
    scratch: tempfile.TemporaryDirectory | None = field(default=None, repr=False, compare=False)  # holds parts


@dataclass(frozen=True)
class _IndexPart:
    pages: int
    anchor_pages: dict[str, int]
    written: PartFile | None


def _page_breaks(book: Book, layout: "_Layout", front: Document, front_pages: int,
                 body_pages: int, total: int) -> tuple[PageBreak, ...]:
    digits = book.meta.digits
    toc_page = next((i + 1 for i, p in enumerate(front.pages) if "toc" in p.anchors), front_pages)
    starts = chapter_page_starts(book, layout.lines)
    sections = sorted((layout.pages[s.id], s.id) for s in back_sections(book) if s.id in layout.pages)
    breaks, last = [], None
    for number in range(1, total + 1):
        label = arabic.number(number, digits)
        if number <= front_pages:
            breaks.append(PageBreak(number, label, "toc" if number >= toc_page else "titlepage"))
        elif number <= front_pages + body_pages:
            start = starts.get(number - front_pages - 1)
            if start is None:  # a blank page: it begins where the next page does
                start = next((starts[i] for i in range(number - front_pages, body_pages) if i in starts), last)
            last = start
            chapter, block, offset = start if start else (book.chapters[-1].slug, None, None)
            breaks.append(PageBreak(number, label, "chapter", chapter, block, offset))
        else:
            section = [s for first, s in sections if first <= number] or [s for _, s in sections[:1]]
            breaks.append(PageBreak(number, label, section[-1] if section else "index"))
    return tuple(breaks)


def _write(document: Document, target: Path, design: PdfDesign) -> PartFile:
    """Write one part. Links into other parts keep stand-in anchors on its first page, which
    the join replaces with the real ones (WeasyPrint drops a link whose anchor it cannot see)."""
    present = {anchor for page in document.pages for anchor in page.anchors}
    borrowed = {target for page in document.pages for kind, target, _, _ in page.links
                if kind == "internal" and target not in present}
    if borrowed:
        document.pages[0].anchors.update({anchor: (0, 0, 0, 0) for anchor in borrowed})
    document.write_pdf(target, **dict(design.write_options))
    return PartFile(target, frozenset(borrowed))


def _index_part(layout: _Layout, first_page: int, page_multiple: int, target: Path | None) -> _IndexPart:
    """The index laid out, linked and written (in a process of its own while the front
    matter is laid out and the rest written); it ends the book, so it takes the last fillers."""
    index = lay_out_index(lambda mode, frames, page_css="": layout.part(
        "pdf_index.html.j2", first_page, extra_css=page_css, mode=mode, frames=frames))
    anchors: dict[str, int] = {}
    for number, page in enumerate(index.pages, start=first_page):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    link_locators(index, layout.locators)
    pages = layout.pages_of(index)
    while (first_page - 1 + len(pages)) % page_multiple:
        pages.append(layout.filler())
    written = _write(index.copy(pages), target, layout.design) if target else None
    return _IndexPart(len(pages), anchors, written)


def lay_out(book: Book, design: PdfDesign, page_multiple: int = 1,
            keep_html: Callable[[str, str], None] | None = None,
            write: bool = True, parallel: bool = True) -> LaidOut:
    """The book laid out (and, if `write`, written in parts to join), the page each anchor
    landed on, and where each page begins. With `parallel`, the index is laid out in a
    forked process while this one lays out the front matter and writes the rest."""
    layout = _Layout(book, design, keep_html)
    scratch = tempfile.TemporaryDirectory(prefix="book-parts-") if write else None
    folder = Path(scratch.name) if scratch else None
    front_pages = len(layout.pages_of(layout.part("pdf_front.html.j2", 1)))
    body = layout.part("pdf_body.html.j2", front_pages + 1, place_anchors=True)
    layout.record(body, front_pages + 1)
    layout.place(body, front_pages + 1)
    parts = [layout.pages_of(body)]
    sections = {section.id for section in back_sections(book)}
    if sections - {"index"}:
        back_start = front_pages + len(parts[0]) + 1
        back = layout.part("pdf_back.html.j2", back_start)
        layout.record(back, back_start)
        parts.append(layout.pages_of(back))
    index = None
    if "index" in sections:
        index_start = front_pages + sum(map(len, parts)) + 1
        layout.pages["index"] = index_start  # the index's heading opens its first page
        index = Forked(lambda: _index_part(layout, index_start, page_multiple,
                                           folder / "index.pdf" if folder else None), fork=parallel)
    front = layout.part("pdf_front.html.j2", 1)
    front_part = layout.pages_of(front)
    if len(front_part) != front_pages:
        raise RuntimeError("the front matter changed length once page numbers were known")
    pages = [page for part in (front_part, *parts) for page in part]
    while index is None and len(pages) % page_multiple:  # printers want an even count, or a multiple of 4
        pages.append(layout.filler())
    written = [_write(front.copy(pages), folder / "main.pdf", design)] if folder else []
    total = len(pages)
    if index is not None:
        index_part = index.result()
        total += index_part.pages
        for anchor, number in index_part.anchor_pages.items():
            layout.pages.setdefault(anchor, number)
        written += [index_part.written] if index_part.written else []
    breaks = _page_breaks(book, layout, front, front_pages, len(parts[0]), total)
    return LaidOut(tuple(written), total, layout.pages, breaks, scratch)


def write_screen_pdf(book: Book, target: Path, parallel: bool = True) -> tuple[int, dict[str, int]]:
    """Render the screen edition to `target`; returns its page count and the anchors' pages."""
    laid_out = lay_out(book, screen_design(book), parallel=parallel)
    return finish(laid_out.parts, target, book.meta.language, book.meta.digits), laid_out.anchor_pages


def lay_out_print(book: Book, write: bool = True, parallel: bool = True) -> LaidOut:
    return lay_out(book, print_design(book), book.meta.printing.page_multiple, write=write, parallel=parallel)


def write_print_pdf(book: Book, target: Path, laid_out: LaidOut | None = None) -> LaidOut:
    """Render the print interior to `target`: trim and bleed boxes, bound on the right."""
    laid_out = laid_out or lay_out_print(book)
    if not laid_out.parts:
        raise ValueError("the print layout was made without writing its parts")
    finish(laid_out.parts, target, book.meta.language, book.meta.digits, bound_on_right=True,
           crop_marks=book.meta.printing.crop_marks, pdfx=pdfx.finisher(book))
    return laid_out
