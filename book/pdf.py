"""PDF editions: the model through HTML templates into WeasyPrint, then finished with pikepdf.

The book is laid out in parts, each written as a PDF of its own and joined at the end
(pdf_join.py): the front matter's first pass counts its pages; the chapters are laid out
once, in parts side by side in forked workers (pdf_body.py), or taken from the parts an
earlier build kept; the back matter (chronology, sayings) then has the page numbers the
chapters actually got; the index (pdf_index.py) is laid out in a forked process of its own
while this one lays out the front matter again, its contents now knowing every page.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from multiprocessing import Pipe
from pathlib import Path
from typing import Callable

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from . import arabic, part_cache, pdfx
from .backmatter import back_sections
from .folios import renumber
from .forked import Forked
from .locators import page_ranges
from .model import Book, PageBreak
from .part_cache import LaidPart, PartCache
from .pdf_anchors import first_pages
from .pdf_body import PROVISIONAL_PAGE, lay_out_chapters
from .pdf_finish import finish
from .pdf_index import lay_out_index
from .pdf_join import PartFile
from .pdf_links import LocatorRuns, link_locators
from .resources import ConfinedFetcher
from .stamp import layout_digest
from .templating import render
from .weasy import stylesheets

PLACEHOLDER_PAGE = 88  # sets the contents' first pass at a typical width
# A page with nothing on it: what a part ends with when the next must open on a recto.
_FILLER_CSS = "@page { @top-center { content: none; } @bottom-center { content: none; } }"


@dataclass(frozen=True)
class PdfDesign:
    """How an edition lays out pages: its stylesheets, page geometry, and recto rule."""

    name: str  # of the edition: its parts are cached apart
    stylesheets: tuple[str, ...]
    page_css: str
    parts_open_on_recto: bool = False
    write_options: tuple[tuple[str, object], ...] = ()  # WeasyPrint's write_pdf arguments


def screen_design(book: Book) -> PdfDesign:
    # PDF/UA-1: structure tree, tab order by structure, title shown, XMP identification.
    return PdfDesign("screen", ("book.css", "pdf.css"), f"@page {{ size: {book.meta.page_size}; }}",
                     write_options=(("pdf_variant", "pdf/ua-1"),))


def print_design(book: Book) -> PdfDesign:
    spec = book.meta.printing
    width, height = spec.trim_size
    return PdfDesign("print", ("book.css", "pdf.css", "print.css"),
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
        self.pages: dict[str, int] = {}  # anchor id -> page number
        self.locators = LocatorRuns()

    def html(self, template: str, **context) -> str:
        """A part's HTML, with the page numbers known so far."""
        book = self.book
        return render(template, book, part=template.split("_")[1].split(".")[0],
                      folio=lambda anchor: arabic.number(self.pages.get(anchor, PLACEHOLDER_PAGE), book.meta.digits),
                      page_of=lambda anchor: self.pages[anchor],
                      page_ranges=lambda occurrences: page_ranges(occurrences, self.pages),
                      back_sections=back_sections(book),
                      locators=lambda ranges: self.locators.add(ranges, book.meta.digits), **context)

    def lay_out_html(self, template: str, html: str, first_page: int, extra_css: str = "") -> Document:
        book = self.book
        if self.keep_html:
            self.keep_html(template, html)
        start = CSS(string=f"@page :first {{ counter-reset: page {first_page}; }}{extra_css}", font_config=self.fonts)
        document = HTML(string=html, base_url=book.root.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[*self.sheets, start], font_config=self.fonts, pdf_tags=True)
        return document

    def filler(self):
        """A blank page (no folio, no running head) to end a part on a verso."""
        return self.blank().pages[0]

    def blank(self) -> Document:
        """A document of one blank page: fillers are written as its copies."""
        if self._filler is None:
            self._filler = HTML(string='<html dir="rtl"><body></body></html>').render(
                stylesheets=[*self.sheets, CSS(string=_FILLER_CSS, font_config=self.fonts)],
                font_config=self.fonts)
        return self._filler

    def pages_of(self, document: Document) -> list:
        """The part's pages, ending on a verso when the next part must open on a recto."""
        pages = list(document.pages)
        if self.design.parts_open_on_recto and len(pages) % 2:
            pages.append(self.filler())
        return pages

    def write(self, document: Document, target: Path) -> PartFile:
        """Write one part. Links into other parts keep stand-in anchors on its first page,
        which the join replaces with the real ones (WeasyPrint drops a link whose anchor it
        cannot see)."""
        present = {anchor for page in document.pages for anchor in page.anchors}
        borrowed = {name for page in document.pages for kind, name, _, _ in page.links
                    if kind == "internal" and name not in present}
        if borrowed:
            document.pages[0].anchors.update({anchor: (0, 0, 0, 0) for anchor in borrowed})
        document.write_pdf(target, **dict(self.design.write_options))
        return PartFile(target, frozenset(borrowed))


@dataclass(frozen=True)
class LaidOut:
    parts: tuple[PartFile, ...]         # the written PDFs, in order, to be joined (none if not asked)
    page_count: int
    anchor_pages: dict[str, int]        # anchor id -> page number
    page_breaks: tuple[PageBreak, ...]  # where each page begins, for the EPUB's page-list
    parts_folder: tempfile.TemporaryDirectory | None = field(default=None, repr=False, compare=False)  # holds parts


def _kept(cache: PartCache | None, key: str, first_page: int, writing: bool) -> LaidPart | None:
    return cache.find(key, first_page, writing) if cache else None


def _keep(cache: PartCache | None, key: str, first_page: int, part: LaidPart) -> None:
    if cache:
        cache.keep_part(key, first_page, part)


def _page_breaks(book: Book, layout: "_Layout", front: LaidPart, front_pages: int, body_pages: int,
                 total: int, starts: dict[int, tuple[str, str | None, int | None]]) -> tuple[PageBreak, ...]:
    digits = book.meta.digits
    toc_page = front.anchor_pages.get("toc", front_pages)
    sections = sorted((layout.pages[s.id], s.id) for s in back_sections(book) if s.id in layout.pages)
    breaks, last = [], None
    for number in range(1, total + 1):
        label = arabic.number(number, digits)
        if number <= front_pages:
            breaks.append(PageBreak(number, label, "toc" if number >= toc_page else "titlepage"))
        elif number <= front_pages + body_pages:
            start = starts.get(number)
            if start is None:  # a blank page: it begins where the next page does
                start = next((starts[n] for n in range(number + 1, front_pages + body_pages + 1) if n in starts), last)
            last = start
            chapter, block, offset = start if start else (book.chapters[-1].slug, None, None)
            breaks.append(PageBreak(number, label, "chapter", chapter, block, offset))
        else:
            section = [s for first, s in sections if first <= number] or [s for _, s in sections[:1]]
            breaks.append(PageBreak(number, label, section[-1] if section else "index"))
    return tuple(breaks)


def _whole_part(layout: _Layout, template: str, first_page: int, target: Path | None,
                cache: PartCache | None) -> LaidPart:
    """A part laid out in one piece at its place (front matter with every page number known;
    chronology and sayings with the pages their events and quotations landed on)."""
    html = layout.html(template)
    key = cache.key(template, html, str(first_page)) if cache else ""
    kept = _kept(cache, key, first_page, target is not None)
    if kept:
        return kept
    document = layout.lay_out_html(template, html, first_page)
    pages = layout.pages_of(document)
    part = LaidPart(len(pages), first_pages(document, first_page),
                      layout.write(document.copy(pages), target) if target else None)
    _keep(cache, key, first_page, part)
    return part


def _index_part(layout: _Layout, first_page: Callable[[], int], page_multiple: int, target: Path | None,
                cache: PartCache | None) -> LaidPart:
    """The index laid out, linked and written; it ends the book, so it takes the last fillers.
    In a process of its own it is laid out while the back matter before it still is, so with
    a provisional first page; `first_page()` gives the real one when it is known."""
    template = "pdf_index.html.j2"
    columns = layout.html(template, mode="columns", frames=0)
    runs = repr(layout.locators.runs)  # where each locator links: not all of it is in the HTML
    key = cache.key(template, columns, runs, str(page_multiple)) if cache else ""
    facts = cache.facts(key) if cache else None

    def render(mode: str, frames: int, page_css: str = "") -> Document:
        html = columns if mode == "columns" else layout.html(template, mode=mode, frames=frames)
        return layout.lay_out_html(template, html, PROVISIONAL_PAGE, page_css)

    # Nothing kept: lay it out now, while the first page is being found.
    index = lay_out_index(render) if facts is None else None
    start = first_page()
    if index is None:
        kept = _kept(cache, key, start, target is not None)
        if kept:
            return kept
        index = lay_out_index(render)
    renumber(index, start)
    anchors = first_pages(index, start)
    link_locators(index, layout.locators)
    pages = layout.pages_of(index)
    while (start - 1 + len(pages)) % page_multiple:
        pages.append(layout.filler())
    part = LaidPart(len(pages), anchors, layout.write(index.copy(pages), target) if target else None)
    _keep(cache, key, start, part)
    return part


def lay_out(book: Book, design: PdfDesign, page_multiple: int = 1,
            keep_html: Callable[[str, str], None] | None = None,
            write: bool = True, workers: int | None = None, scratch: Path | None = None,
            cache: Path | None = None, reuse: bool = True) -> LaidOut:
    """The book laid out (and, if `write`, written in parts to join), the page each anchor
    landed on, and where each page begins. With `workers` > 1 (default: one per core), the
    chapters are laid out in forked workers (pdf_body.py), and the index in a forked process
    while this one lays out the back matter and the front matter. The parts are written in a folder made in `scratch` (a build's scratch
    folder, which an interrupted build clears), else in the system's temporary folder. With
    `cache` (a folder), parts laid out by an earlier build from the same HTML are reused
    (unless `reuse` is false) and this build's parts are kept there."""
    layout = _Layout(book, design, keep_html)
    started = part_cache.now()
    parts_cache = PartCache(cache / design.name, f"{layout_digest(book.root)}\0{design!r}", reuse) if cache else None
    if write and scratch:
        scratch.mkdir(parents=True, exist_ok=True)
    parts_folder = tempfile.TemporaryDirectory(prefix="parts-", dir=scratch) if write else None
    folder = Path(parts_folder.name) if parts_folder else None
    workers = workers or os.cpu_count() or 1
    parallel = workers > 1
    front_pages = 0

    def count_front_pages() -> int:  # the front matter's first pass: how long it is
        nonlocal front_pages
        html = layout.html("pdf_front.html.j2")
        key = parts_cache.key("front pages", html) if parts_cache else ""
        counted = _kept(parts_cache, key, 1, writing=False)
        if counted is None:
            counted = LaidPart(len(layout.pages_of(layout.lay_out_html("pdf_front.html.j2", html, 1))), {}, None)
            _keep(parts_cache, key, 1, counted)
        front_pages = counted.pages
        return front_pages + 1

    body = lay_out_chapters(layout, count_front_pages, folder, workers, parts_cache)
    starts = {}
    for part in body:
        starts.update(part.starts)
        for anchor, number in part.anchor_pages.items():
            layout.pages.setdefault(anchor, number)
    body_pages = sum(part.pages for part in body)
    written = [part.written for part in body if part.written]
    sections = {section.id for section in back_sections(book)}
    back_start = front_pages + body_pages + 1
    index = None
    index_file = folder / "index.pdf" if folder else None
    if "index" in sections and parallel:  # laid out beside the back matter, placed once that is
        receive, send = Pipe(duplex=False)
        index = Forked(lambda: _index_part(layout, receive.recv, page_multiple, index_file, parts_cache))
    back: LaidPart | None = None
    if sections - {"index"}:  # here, while the index's process lays the index out
        back = _whole_part(layout, "pdf_back.html.j2", back_start, folder / "back.pdf" if folder else None,
                           parts_cache)
        for anchor, number in back.anchor_pages.items():
            layout.pages.setdefault(anchor, number)
    index_start = back_start + (back.pages if back else 0)
    if "index" in sections:
        layout.pages["index"] = index_start  # the index's heading opens its first page
        if index is None:  # the same work in this process, its first page known already
            index = Forked(lambda: _index_part(layout, lambda: index_start, page_multiple, index_file,
                                               parts_cache), fork=False)
        else:
            send.send(index_start)
    front = _whole_part(layout, "pdf_front.html.j2", 1, folder / "front.pdf" if folder else None, parts_cache)
    if front.pages != front_pages:
        raise RuntimeError("the front matter changed length once page numbers were known")
    fillers = []
    while index is None and (index_start - 1) % page_multiple:  # printers want an even count, or a multiple of 4
        fillers.append(layout.filler())
        index_start += 1
    if folder:
        written.insert(0, front.written)
        if back and back.written:
            written.append(back.written)
        if fillers:
            written.append(layout.write(layout.blank().copy(fillers), folder / "end.pdf"))
    total = index_start - 1
    if index is not None:
        index_part = index.result()
        total += index_part.pages
        for anchor, number in index_part.anchor_pages.items():
            layout.pages.setdefault(anchor, number)
        written += [index_part.written] if index_part.written else []
    breaks = _page_breaks(book, layout, front, front_pages, body_pages, total, starts)
    if parts_cache and write:  # what this edition's build did not use is of no more use
        parts_cache.prune(started)
    return LaidOut(tuple(written), total, layout.pages, breaks, parts_folder)


def write_screen_pdf(book: Book, target: Path, workers: int | None = None, scratch: Path | None = None,
                     cache: Path | None = None, reuse: bool = True) -> tuple[int, dict[str, int]]:
    """Render the screen edition to `target`; returns its page count and the anchors' pages."""
    laid_out = lay_out(book, screen_design(book), workers=workers, scratch=scratch, cache=cache, reuse=reuse)
    return finish(laid_out.parts, target, book.meta.language, book.meta.digits), laid_out.anchor_pages


def lay_out_print(book: Book, write: bool = True, workers: int | None = None, scratch: Path | None = None,
                  cache: Path | None = None, reuse: bool = True) -> LaidOut:
    return lay_out(book, print_design(book), book.meta.printing.page_multiple, write=write,
                   workers=workers, scratch=scratch, cache=cache, reuse=reuse)


def write_print_pdf(book: Book, target: Path, laid_out: LaidOut | None = None) -> LaidOut:
    """Render the print interior to `target`: trim and bleed boxes, bound on the right."""
    laid_out = laid_out or lay_out_print(book)
    if not laid_out.parts:
        raise ValueError("the print layout was made without writing its parts")
    finish(laid_out.parts, target, book.meta.language, book.meta.digits, bound_on_right=True,
           crop_marks=book.meta.printing.crop_marks, pdfx=pdfx.finisher(book))
    return laid_out
