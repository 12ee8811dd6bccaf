"""WeasyPrint set up once for a book's edition (fonts, stylesheets, the confined fetcher): a part's
HTML from its template, set into pages, ended on a verso where parts open on rectos, written.
"""

from __future__ import annotations

import copy
import io
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Callable, Mapping

import pikepdf
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from .. import arabic
from ..backmatter import back_sections
from ..fonts import files_by_postscript_name
from ..forked import give_back_memory
from ..locators import page_ranges
from ..model import Book, Paragraph, Span, Text, block_texts
from ..templating import render
from .body import TEMPLATE as BODY
from .design import PdfDesign
from .fetcher import ConfinedFetcher
from .fixups import LocatorRuns
from .justify import justifying
from .font_programs import programs_left_to_the_join
from .parts import PartFile
from .tags import margins_as_pagination, simplify_structure
from .weasy import stylesheets

INDEX = "pdf_index.html.j2"
PLACEHOLDER_PAGE = 88  # sets the contents' first pass at a typical width
WARM_UP_BLOCKS = 4  # the chapter's opening laid out before the parts: its heading, a paragraph or three
WARM_UP_CHARACTERS = 3_000  # and no more of its text: a chapter of long paragraphs is not laid out twice
# A page with nothing on it: what a part ends with when the next must open on a recto.
_FILLER_CSS = "@page { @top-center { content: none; } @bottom-center { content: none; } }"


class Typesetter:
    """Lays out parts of one book with shared fonts and stylesheets. Holds no page numbers: a
    part's HTML is made with the anchors' pages its caller gives (plan.py keeps them)."""

    def __init__(self, book: Book, design: PdfDesign, keep_html: Callable[[str, str], None] | None = None):
        self.book = book
        self.keep_html = keep_html  # hears (part, html) of every part laid out: benchmarks' floor
        self.design = design
        self.fonts = FontConfiguration()
        self.counters = CounterStyle()  # the book's counter style (its digits) is defined in page_css
        self.fetcher = ConfinedFetcher(book)
        self.sheets = stylesheets(book, self.fonts, self.fetcher, design.stylesheets, design.page_css, self.counters)
        self._filler = None

    def html(self, template: str, pages: Mapping[str, int], runs: LocatorRuns | None = None, **context) -> str:
        """A part's HTML, with the anchors' `pages` known so far (anchor id -> page number); the
        locator runs it sets (the index's) are added to `runs`."""
        book = self.book
        return render(template, book, part=template.split("_")[1].split(".")[0],
                      folio=lambda anchor: arabic.number(pages.get(anchor, PLACEHOLDER_PAGE), book.meta.digits),
                      page_of=lambda anchor: pages[anchor],
                      page_ranges=lambda occurrences: page_ranges(occurrences, pages),
                      back_sections=back_sections(book),
                      locators=lambda ranges: runs.add(ranges, book.meta.digits), **context)

    def index_html(self, pages: Mapping[str, int]) -> tuple[str, LocatorRuns]:
        """The index's entries (its columns' HTML) and where each of their locators links."""
        runs = LocatorRuns()
        return self.html(INDEX, pages, runs, mode="columns", frames=0), runs

    def typeset(self, template: str, html: str, first_page: int, extra_css: str = "") -> Document:
        if self.keep_html:
            self.keep_html(template, html)
        return self._render(html, first_page, extra_css)

    def _render(self, html: str, first_page: int, extra_css: str = "") -> Document:
        book = self.book
        start = CSS(string=f"@page :first {{ counter-reset: page {first_page}; }}{extra_css}", font_config=self.fonts,
                    url_fetcher=self.fetcher)
        kashida = book.meta.kashida_strength if book.meta.justify == "kashida" else None
        with justifying(kashida):
            return HTML(string=html, base_url=book.root.as_uri() + "/", url_fetcher=self.fetcher).render(
                stylesheets=[*self.sheets, start], font_config=self.fonts, counter_style=self.counters, pdf_tags=True)

    def warm_up(self) -> None:
        """Lay out and write the opening of the book's first chapter, to no file: what a first
        layout sets up (shaping, the renderer's C types and caches) is then done once, in the
        process that forks the parts' children, for every child forked after (each paid for it
        on its own)."""
        if not self.book.chapters:
            return
        chapter = self.book.chapters[0]
        blocks, room = [], WARM_UP_CHARACTERS
        for block in chapter.blocks[:WARM_UP_BLOCKS]:
            texts = [text for _, text in block_texts(block)]
            size = sum(len(text.plain) for text in texts)
            if size > room:  # a long paragraph's opening words, to warm up on; nothing more
                if isinstance(block, Paragraph):
                    blocks.append(replace(block, text=Text((Span(block.text.plain[:room]),))))
                break
            blocks.append(block)
            room -= size
        opening = replace(chapter, blocks=tuple(blocks))
        document = self._render(self.html(BODY, {}, place_anchors=True, chapters=[(1, opening)]), 1)
        document.write_pdf(io.BytesIO(), **dict(self.design.write_options))

    def filler(self):
        """A blank page (no folio, no running head) to end a part on a verso."""
        return self.blank().pages[0]

    def blank(self) -> Document:
        """A document of one blank page: fillers are written as its copies."""
        if self._filler is None:
            self._filler = HTML(string=f'<html dir="rtl" lang="{escape(self.book.meta.language)}"><body></body></html>',
                                url_fetcher=self.fetcher).render(
                stylesheets=[*self.sheets, CSS(string=_FILLER_CSS, font_config=self.fonts, url_fetcher=self.fetcher)],
                font_config=self.fonts, counter_style=self.counters)
        return self._filler

    def length(self, document: Document) -> int:
        """How many pages the part will take: its own, and the blank that may end it."""
        return len(document.pages) + (1 if self.design.parts_open_on_recto and len(document.pages) % 2 else 0)

    def pages_of(self, document: Document) -> list:
        """The part's pages, ending on a verso when the next part must open on a recto."""
        pages = list(document.pages)
        if self.design.parts_open_on_recto and len(pages) % 2:
            pages.append(self.filler())
        return pages

    def write(self, document: Document, target: Path, file_pages: int | None = None,
              continues: bool = False) -> tuple[PartFile, ...]:
        """Write one part (that `continues` the section of the part before it, or not), in
        files of at most `file_pages` pages if given (target.1.pdf, … after the first). A file
        after the first goes on with the section the one before it ended in: it opens with that
        section's top-level bookmark, which the join takes for the section's (join.py)."""
        size = file_pages or len(document.pages) or 1
        files, section = [], None
        for start in range(0, len(document.pages), size):
            pages = document.pages[start:start + size]
            if section:
                opening = copy.copy(pages[0])
                opening.bookmarks = [section, *pages[0].bookmarks]
                pages = [opening, *pages[1:]]
            section = next((mark for page in reversed(pages) for mark in reversed(page.bookmarks) if mark[0] == 1),
                           section)
            name = target if not start else target.with_name(f"{target.stem}.{start // size}{target.suffix}")
            files.append(self._write_file(document.copy(pages), name, continues or bool(start)))
            if start + size < len(document.pages):
                give_back_memory()  # before the part's next file (a long index is written in several)
        return tuple(files)

    def _write_file(self, document: Document, target: Path, continues: bool) -> PartFile:
        """Links into other files keep stand-in anchors on its first page, which the join
        replaces with the real ones (WeasyPrint drops a link whose anchor it cannot see)."""
        present = {anchor for page in document.pages for anchor in page.anchors}
        borrowed = {name for page in document.pages for kind, name, _, _ in page.links
                    if kind == "internal" and name not in present}
        if borrowed:
            document.pages[0].anchors.update({anchor: (0, 0, 0, 0) for anchor in borrowed})
        written = io.BytesIO()
        with programs_left_to_the_join(files_by_postscript_name()), margins_as_pagination():
            document.write_pdf(written, **dict(self.design.write_options))
        with pikepdf.open(written) as pdf:  # its structure tree made lean: the join holds all of them
            simplify_structure(pdf)
            pdf.save(target, deterministic_id=True)
        return PartFile(target, frozenset(borrowed), continues)
