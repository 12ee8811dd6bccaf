"""How an edition sets its pages: its stylesheets, page geometry and recto rule, and whether
its parts can be set side by side before their places are known."""

from __future__ import annotations

from dataclasses import dataclass

import tinycss2

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


# The print interior's side margins, inches: the inner one (the gutter) wider where the printer
# asks for more at the book's page count (book/printers.py; editions.paginate lays out again).
INNER_MARGIN = 0.85
OUTER_MARGIN = 0.6


def side_margins_css(binding: str, gutter: float) -> str:
    """The gutter on each page's bound edge. In a right-to-left document WeasyPrint sets page
    one, a recto, as a :left page: bound on its right edge in a right-bound book, on its left
    edge in a left-bound one (a printer that binds on the left only)."""
    inner = max(INNER_MARGIN, gutter)
    odd, even = ("right", "left") if binding == "right" else ("left", "right")
    return (f"@page :left {{ margin-{odd}: {inner}in; margin-{even}: {OUTER_MARGIN}in; }}"
            f"@page :right {{ margin-{even}: {inner}in; margin-{odd}: {OUTER_MARGIN}in; }}")


def print_design(book: Book, gutter: float = 0.0) -> PdfDesign:
    spec = book.meta.printing
    width, height = spec.trim_size
    return PdfDesign("print", ("book.css", "pdf.css", "print.css"),
                     f"@page {{ size: {width}pt {height}pt; bleed: {spec.bleed}pt; }}"
                     + side_margins_css(spec.binding, gutter)
                     + arabic.counter_style_css(book.meta.digits),
                     parts_open_on_recto=True, write_options=(("pdf_tags", True),))


# Page rules that tell pages apart by side or by number: a part laid out before its place is
# known would get them wrong, unless every part opens on a recto (then only numbers differ).
_SIDES = {"left", "right", "recto", "verso"}


def _page_pseudo_classes(css: str) -> set[str]:
    """The pseudo-classes of every @page rule of a stylesheet, inside @media too (read with
    CSS's own tokenizer: a comment or a string that names one does not count)."""
    found: set[str] = set()
    pending = list(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    while pending:
        rule = pending.pop()
        if rule.type != "at-rule":
            continue
        if rule.lower_at_keyword == "page":
            tokens = [token for token in rule.prelude if token.type not in ("whitespace", "comment")]
            for colon, token in zip(tokens, tokens[1:]):
                if colon.type == "literal" and colon.value == ":" and token.type in ("ident", "function"):
                    found.add(token.lower_value if token.type == "ident" else token.lower_name)
        elif rule.content is not None:
            pending += tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
    return found


def parts_set_in_place(book: Book, design: PdfDesign) -> bool:
    """Whether parts must be laid out at their real first page (so one after another)."""
    classes = set().union(*(_page_pseudo_classes(book.styles[name].text) for name in design.stylesheets),
                          _page_pseudo_classes(design.page_css))
    if "nth" in classes:
        return True
    return not design.parts_open_on_recto and bool(classes & _SIDES)
