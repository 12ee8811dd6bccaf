"""Index locators as plain text, made live links after layout.

A page number wrapped in its own <a> is an inline box, and WeasyPrint's line breaking
pays for every inline box: a long book's index cost more to lay out than its chapters.
So the PDF sets each entry's locators as one run of text, and once the run is laid out
asks Pango where each number landed and adds a link there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from cffi import FFI
from markupsafe import Markup, escape
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import ffi as weasy_ffi

from . import arabic
from .locators import PageRange

_ffi = FFI()
_ffi.cdef("void pango_layout_line_index_to_x (void *line, int index_, int trailing, int *x_pos);")
_pango = None  # opened on first use
PANGO_SCALE = 1024
RANGE_DASH = "–"
SEPARATOR = "، "


def _library():
    global _pango
    if _pango is None:
        for name in ("libpango-1.0.so.0", "pango-1.0", "libpango-1.0-0.dll", "libpango-1.0.dylib"):
            try:
                _pango = _ffi.dlopen(name)
                break
            except OSError:
                continue
    return _pango


@dataclass(frozen=True)
class Token:
    start: int  # character offsets in the run's text
    end: int
    anchor: str


@dataclass
class LocatorRuns:
    """Every locator run of a part: its text, and where each number in it points."""

    runs: list[tuple[str, list[Token]]] = field(default_factory=list)

    def add(self, ranges: Sequence[PageRange], digits: arabic.Digits) -> Markup:
        text, tokens = "", []
        for position, page_range in enumerate(ranges):
            if position:
                text += SEPARATOR
            for ref in (page_range.first, page_range.last):
                if ref is None:
                    continue
                if ref is page_range.last:
                    text += RANGE_DASH
                number = arabic.number(ref.page, digits)
                tokens.append(Token(len(text), len(text) + len(number), ref.anchor))
                text += number
        self.runs.append((text, tokens))
        return Markup(f'<span class="locators" data-locators="{len(self.runs) - 1}">{escape(text)}</span>')


class _LinkBox:
    """Stands in for a box in WeasyPrint's link list: it only holds the annotation."""

    link_annotation = None


def _x_range(box: boxes.TextBox, start: int, end: int) -> tuple[float, float] | None:
    """Where characters start..end of `box.text` were drawn, in CSS px from the page's left."""
    layout = box.pango_layout
    if not layout.text.startswith(box.text):
        return None
    layout.reactivate(box.style)  # as WeasyPrint's own drawing does: layouts sleep after layout
    try:
        line, _ = layout.get_first_line()
        pango = _library()
        pointer = _ffi.cast("void *", int(weasy_ffi.cast("uintptr_t", line)))
        edges = []
        position = _ffi.new("int *")
        for index in range(start, end):
            byte = len(box.text[:index].encode("utf-8"))
            for trailing in (0, 1):
                pango.pango_layout_line_index_to_x(pointer, byte, trailing, position)
                edges.append(position[0] / PANGO_SCALE)
    finally:
        layout.deactivate()
    return box.position_x + min(edges), box.position_x + max(edges)


def link_locators(document: Document, runs: LocatorRuns) -> int:
    """Add a link over every number of every run laid out in `document`; returns their count."""
    cursors: dict[int, int] = {}
    added = 0
    for page in document.pages:
        for box in page._page_box.descendants():  # WeasyPrint keeps the laid-out boxes here
            if not isinstance(box, boxes.TextBox) or box.element is None:
                continue
            key = box.element.get("data-locators")
            if key is None:
                continue
            text, tokens = runs.runs[int(key)]
            begin = text.find(box.text.strip(), cursors.get(int(key), 0))
            if begin < 0:
                continue
            offset = begin - (len(box.text) - len(box.text.lstrip()))
            finish = begin + len(box.text.strip())
            cursors[int(key)] = finish
            for token in tokens:
                if begin <= token.start and token.end <= finish:
                    span = _x_range(box, token.start - offset, token.end - offset)
                    if span:
                        rect = (span[0], box.position_y, span[1], box.position_y + box.height)
                        page.links.append(("internal", token.anchor, rect, _LinkBox()))
                        added += 1
    return added
