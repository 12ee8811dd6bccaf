"""Screen PDF: the model through HTML templates into WeasyPrint, then finished with pikepdf.

The book is laid out in parts joined at the end: the chapters once, then the back matter
(chronology and sayings, then the index, see pdf_index.py) with the page numbers the
chapters actually got, then the front matter with every page number known for its contents. The front matter is laid
out twice (a first pass only counts its pages); the chapters, the bulk, only once.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
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
from .pdf_finish import finish
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


def screen_design(book: Book) -> PdfDesign:
    return PdfDesign(("book.css", "pdf.css"), f"@page {{ size: {book.meta.page_size}; }}")


def print_design(book: Book) -> PdfDesign:
    spec = book.meta.printing
    width, height = spec.trim_size
    return PdfDesign(("book.css", "pdf.css", "print.css"),
                     f"@page {{ size: {width}pt {height}pt; bleed: {spec.bleed}pt; }}",
                     parts_open_on_recto=True)


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
    document: Document
    anchor_pages: dict[str, int]        # anchor id -> page number
    page_breaks: tuple[PageBreak, ...]  # where each page begins, for the EPUB's page-list


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


def lay_out(book: Book, design: PdfDesign, page_multiple: int = 1,
            keep_html: Callable[[str, str], None] | None = None) -> LaidOut:
    """The joined document, the page each anchor landed on, and where each page begins."""
    layout = _Layout(book, design, keep_html)
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
    if "index" in sections:
        index_start = front_pages + sum(map(len, parts)) + 1
        index = lay_out_index(lambda mode, frames, page_css="": layout.part(
            "pdf_index.html.j2", index_start, extra_css=page_css, mode=mode, frames=frames))
        layout.record(index, index_start)
        link_locators(index, layout.locators)
        parts.append(layout.pages_of(index))
    front = layout.part("pdf_front.html.j2", 1)
    front_part = layout.pages_of(front)
    if len(front_part) != front_pages:
        raise RuntimeError("the front matter changed length once page numbers were known")
    pages = [page for part in (front_part, *parts) for page in part]
    while len(pages) % page_multiple:  # printers want an even count, or a multiple of 4
        pages.append(layout.filler())
    breaks = _page_breaks(book, layout, front, front_pages, len(parts[0]), len(pages))
    return LaidOut(front.copy(pages), layout.pages, breaks)


def write_screen_pdf(book: Book, target: Path) -> tuple[int, dict[str, int]]:
    """Render the screen edition to `target`; returns its page count and the anchors' pages."""
    laid_out = lay_out(book, screen_design(book))
    document, anchor_pages = laid_out.document, laid_out.anchor_pages
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw.pdf"
        # PDF/UA-1: structure tree, tab order by structure, title shown, XMP identification.
        document.write_pdf(raw, pdf_variant="pdf/ua-1")
        return finish(raw, target, book.meta.language, book.meta.digits), anchor_pages


def lay_out_print(book: Book) -> LaidOut:
    return lay_out(book, print_design(book), book.meta.printing.page_multiple)


def write_print_pdf(book: Book, target: Path, laid_out: LaidOut | None = None) -> LaidOut:
    """Render the print interior to `target`: trim and bleed boxes, bound on the right."""
    laid_out = laid_out or lay_out_print(book)
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw.pdf"
        laid_out.document.write_pdf(raw, pdf_tags=True)
        finish(raw, target, book.meta.language, book.meta.digits, bound_on_right=True,
               crop_marks=book.meta.printing.crop_marks, pdfx=pdfx.finisher(book))
    return laid_out
