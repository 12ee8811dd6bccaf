"""How an edition sets its pages: its stylesheets, page geometry and recto rule, and whether
its parts can be set side by side before their places are known."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import arabic
from ..model import Book


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
    return PdfDesign("screen", ("book.css", "pdf.css"),
                     f"@page {{ size: {book.meta.page_size}; }}" + arabic.counter_style_css(book.meta.digits),
                     write_options=(("pdf_variant", "pdf/ua-1"),))


def print_design(book: Book) -> PdfDesign:
    spec = book.meta.printing
    width, height = spec.trim_size
    return PdfDesign("print", ("book.css", "pdf.css", "print.css"),
                     f"@page {{ size: {width}pt {height}pt; bleed: {spec.bleed}pt; }}"
                     + arabic.counter_style_css(book.meta.digits),
                     parts_open_on_recto=True, write_options=(("pdf_tags", True),))


# Page rules that tell pages apart by side or by number: a part laid out before its place is
# known would get them wrong, unless every part opens on a recto (then only numbers differ).
_SIDE_RULE = re.compile(r"@page[^{]*:(left|right|recto|verso)\b")
_NUMBER_RULE = re.compile(r"@page[^{]*:nth\(")


def parts_set_in_place(book: Book, design: PdfDesign) -> bool:
    """Whether parts must be laid out at their real first page (so one after another)."""
    sources = [book.styles[name].text for name in design.stylesheets]
    sources.append(design.page_css)
    if any(_NUMBER_RULE.search(source) for source in sources):
        return True
    return not design.parts_open_on_recto and any(_SIDE_RULE.search(source) for source in sources)
