"""The PDF index in columns, its entries set once.

WeasyPrint finds where a column ends by setting the rest of the text again for every column
it tries, so an index of short lines cost it three times what its pages are worth. Here the
index is laid out in two documents that each set their text once:

- the frames: the index's own pages (heading, running head, folio) with an empty frame per
  page where the columns go; the frame's `columns` and `column-gap` in the stylesheet say how
  many columns and how far apart;
- the columns: the entries alone, on pages the size of one column (the first page's columns
  shorter by the heading),

and the laid-out column pages are then moved into the frames, first column at the start
side of the line (the right in a right-to-left book).

Where a column ends is WeasyPrint's page break in the columns document, so the entries'
breaking rules are the stylesheet's (pdf.css): a short entry whole, a long one across columns
with two lines at least on each side, a letter heading with the lines after it. An entry kept
whole (`break-inside: avoid`) however long would be pushed to the next column page with its
heading, and the heading left there alone, the columns before and after half empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes

FRAME_CLASS = "index-frame"


@dataclass(frozen=True)
class Frame:
    """Where one index page's columns go, in CSS px on that page."""

    box: boxes.BlockBox
    x: float
    top: float
    width: float
    height: float       # from the frame's top to the foot of the page area
    full_height: float  # the page area's height: a frame that opens its page
    columns: int
    gap: float
    rtl: bool

    @property
    def column_width(self) -> float:
        return (self.width - (self.columns - 1) * self.gap) / self.columns


def frames_of(document: Document) -> list[Frame]:
    frames = []
    for page in document.pages:
        page_box = page._page_box  # WeasyPrint keeps the laid-out boxes here
        for box in page_box.descendants():
            if isinstance(box, boxes.BlockBox) and box.element is not None \
                    and FRAME_CLASS in box.element.get("class", "").split():
                style = box.style
                gap = style["column_gap"]
                gap = gap.value if hasattr(gap, "value") else style["font_size"]  # "normal" is 1em
                page_top = page_box.content_box_y()
                frames.append(Frame(box, box.content_box_x(), box.content_box_y(), box.width,
                                    page_top + page_box.height - box.content_box_y(), page_box.height,
                                    style["column_count"] if style["column_count"] != "auto" else 1,
                                    gap, style["direction"] == "rtl"))
                break
    return frames


def column_page_css(first: Frame) -> str:
    """Pages one column in size; the first page's columns share their page with the heading."""
    width = first.column_width
    return (f"@page {{ size: {width}px {first.full_height}px; margin: 0 !important; bleed: 0 !important;"
            " @top-center { content: none; } @bottom-center { content: none; } }"
            f"@page :nth(-n+{first.columns}) {{ size: {width}px {first.height}px; }}"
            "html, body { margin: 0 !important; padding: 0 !important; }")


def frames_needed(columns: Document, first: Frame) -> int:
    return max(1, -(-len(columns.pages) // first.columns))


def place_columns(frames_document: Document, frames: list[Frame], columns: Document) -> Document:
    """Move each column page's boxes into its frame; the pages rebuilt so their links and
    anchors are where the boxes now are."""
    column_pages = [page._page_box for page in columns.pages]
    for number, frame in enumerate(frames):
        width = frame.column_width
        for position, column in enumerate(column_pages[number * frame.columns:(number + 1) * frame.columns]):
            offset = position * (width + frame.gap)
            x = frame.x + frame.width - width - offset if frame.rtl else frame.x + offset
            root = column.children[0]
            root.translate(x - column.content_box_x(), frame.top - column.content_box_y())
            body = next(child for child in root.children if child.element_tag == "body")
            frame.box.children.extend(body.children)
    return frames_document.copy([Page(page._page_box) for page in frames_document.pages[:len(frames)]])


def set_index_in_columns(render: Callable[..., Document]) -> Document:
    """The index pages. `render(mode, frames=…, page_css=…)` lays out the index template."""
    sample = render("frames", frames=1)
    first = frames_of(sample)[0]
    columns = render("columns", frames=0, page_css=column_page_css(first))
    needed = frames_needed(columns, first)
    frames_document = sample if needed == 1 else render("frames", frames=needed)
    return place_columns(frames_document, frames_of(frames_document), columns)
