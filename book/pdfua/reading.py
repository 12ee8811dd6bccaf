"""What a screen reader reads: the structure tree's text, in order, each element named."""

from __future__ import annotations

import pikepdf

from .content import scan_content
from .structure import Element, elements_of


def reading_order(path) -> list[tuple[str, str]]:
    """(structure type, text) of each element with text of its own, in structure tree order.

    The text is each MCID's glyph codes read through the font's ToUnicode map (bfchar and
    bfrange).  Lines with Arabic are drawn in visual order; `logical_order` turns each marked-content
    sequence (a line's text box, however many Tj/TJ draw it) back to logical order with a
    minimal bidi: glyphs reversed, numbers and Latin stretches kept left to right, brackets
    mirrored.  It is right for the plain lines of our books, not a full Unicode bidi.  An
    element's sequences are its lines: joined with a space, the one a line break took.
    An element with no text of its own but an /Alt gives the Alt in brackets.
    """
    with pikepdf.open(path) as pdf:
        scan, order = scan_content(pdf), []
        for element in elements_of(pdf):
            text = ""
            for mcid in (item[1:] for item in element.items if item[0] == "mcid"):
                line = scan.text(mcid)
                text += " " + line if text and line and not text[-1].isspace() and not line[0].isspace() else line
            if not text and "/Alt" in element.obj:
                text = f"[{element.obj.Alt}]"
            if text:
                order.append((_named_kind(element), text))
        return order



# Groupings a listener is told of around the text they hold (a reader says "quotation", "note").
_ANNOUNCED = ("BlockQuote", "Note", "Caption", "TOC", "Index")



def _named_kind(element: Element) -> str:
    """The element's standard type, after the nearest grouping around it a reader announces:
    "BlockQuote P" for a quotation's paragraph."""
    kind, parent = element.std or element.type, element.parent
    while parent is not None:
        if (parent.std or parent.type) in _ANNOUNCED:
            return f"{parent.std or parent.type} {kind}"
        parent = parent.parent
    return kind
