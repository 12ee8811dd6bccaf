"""Folios set again after layout, so a part can be laid out before its first page is known.

A chapter's layout does not depend on the pages before it (it opens a page of its own, on a
recto in print), except for the folio, which CSS draws from the page counter. So parts are laid
out with a provisional first page, side by side, and once the pages before each part are
counted, every margin box that shows the page counter is given its real number: the text set
again with Pango in the box's own style, keeping its alignment in the box.
"""

from __future__ import annotations

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import split_first_line

from . import arabic

# The counter styles a folio may use here: the book's own (arabic.counter_style_css), and the
# predefined styles of the digit systems it knows.
BOOK_COUNTER = "book-digits"
COUNTER_DIGITS: dict[str, arabic.Digits] = {style: digits for digits, style in arabic.COUNTER_STYLES.items()}


def _counter_style(margin: boxes.MarginBox) -> str | None:
    """The style of the page counter a margin box shows, if it shows one; '' if it shows it
    among other content (which cannot be renumbered here)."""
    content = margin.style["content"]
    if not isinstance(content, (tuple, list)):
        return None
    counters = [value for kind, value in content if kind in ("counter()", "counters()") and value[0] == "page"]
    if not counters:
        return None
    if len(content) != 1 or content[0][0] != "counter()":
        return ""
    return counters[0][1] if len(counters[0]) > 1 else "decimal"


def _folio_boxes(document: Document):
    for index, page in enumerate(document.pages):
        for margin in page._page_box.children:  # WeasyPrint keeps the laid-out boxes here
            if isinstance(margin, boxes.MarginBox) and margin.is_generated:
                style = _counter_style(margin)
                if style is not None:
                    yield index, margin, style


def can_renumber(document: Document) -> bool:
    """Whether every folio of `document` is a lone page counter in a style known here."""
    return all(style in COUNTER_DIGITS or style == BOOK_COUNTER for _, _, style in _folio_boxes(document))


def renumber(document: Document, first_page: int, digits: arabic.Digits) -> None:
    """Give every folio of `document` its number when the document's first page is
    `first_page` (`digits`: the book's, what its own counter style writes)."""
    for index, margin, style in _folio_boxes(document):
        text = arabic.number(first_page + index, digits if style == BOOK_COUNTER else COUNTER_DIGITS[style])
        text_boxes = [box for box in margin.descendants() if isinstance(box, boxes.TextBox)]
        if len(text_boxes) != 1:
            raise ValueError(f"a folio of {len(text_boxes)} text boxes cannot be renumbered")
        text_box = text_boxes[0]
        if text_box.text == text:
            continue
        layout, _, _, width, _, _ = split_first_line(text, text_box.style, None, None, 0)
        old_width = text_box.width
        text_box.text, text_box.pango_layout = text, layout
        # The text keeps its alignment in the margin box: its centre, or the side it touches.
        left = text_box.position_x - margin.content_box_x()
        right = margin.content_box_x() + margin.width - (text_box.position_x + old_width)
        if abs(left - right) < 0.5:
            shift = (old_width - width) / 2
        elif abs(right) < 0.5:
            shift = old_width - width
        else:
            shift = 0
        line = next(box for box in margin.descendants() if isinstance(box, boxes.LineBox))
        line.translate(dx=shift)
        text_box.width = width
