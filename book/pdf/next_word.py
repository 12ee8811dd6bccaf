"""A line's next word found too wide for it without laying the line out a second time.

WeasyPrint 70 breaks a line with Pango, then lays it out again with the next line's first word
added (split_first_line's step 3), in case Pango broke too early; where that word does not
fit, the second layout changes nothing. On the 800-page book it never fitted (26,382 of
26,382) and took a quarter of the time Pango spent breaking lines: 3.9 s of CPU. So the second
layout is skipped where the word cannot fit: the line as Pango laid it (its trailing space not
counted) and the word's width as Pango drew it at the start of the next line already pass the
line's width, and the line with the word would be wider still, by the space between them.
Where the word might fit, WeasyPrint lays the line out again as before. Lines come out the
same (tests/test_next_word.py compares every box on every page with and without this; the
default and 800-page books' PDFs are byte-identical).

Installed once, by book/pdf/weasy.py, before any layout; `installed()` says whether it took.
"""

from __future__ import annotations

import weasyprint
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from .positions import advance

_weasy_set_text = line_break.Layout.set_text
_weasy_get_first_line = line_break.Layout.get_first_line


def narrowest(layout, text: str, line, next_line_start: int) -> float | None:
    """How wide `text` would be on one line at least, if it is the layout's text cut after the
    first word of its second line (a line's re-layout of step 3; None for any other text, such
    as the first line's own text that first_line_metrics sets, which ends before the second
    line): the first line without its trailing space, and the word as drawn on the second."""
    old = layout.text
    if "\n" in old or len(text) >= len(old) or not old.startswith(text):
        return None
    word = text.encode()[next_line_start:]
    if not word:
        return None
    second = pango.pango_layout_get_line_readonly(layout.layout, 1)
    if second == ffi.NULL:
        return None
    width, _ = line_break.line_size(line, layout.style)
    return width + advance(second, next_line_start, word.decode())


def _cannot_fit(layout, text: str, line, next_line_start: int) -> bool:
    if layout.max_width is None:
        return False
    width = narrowest(layout, text, line, next_line_start)
    return width is not None and width > layout.max_width


def set_text(layout, text, justify=False):
    """WeasyPrint's, unless it is step 3's re-layout for a word that cannot fit: then the
    layout keeps its text and lines, and its next get_first_line says what they say."""
    first_line = getattr(layout, "_first_line", None)  # the last get_first_line's, if still valid
    if not justify and first_line is not None and first_line[1] is not None \
            and _cannot_fit(layout, text, *first_line):
        layout._kept = first_line
        return
    layout._first_line = layout._kept = None
    _weasy_set_text(layout, text, justify)


def get_first_line(layout):
    kept = getattr(layout, "_kept", None)
    if kept is not None:
        layout._kept = None
        return kept
    layout._first_line = _weasy_get_first_line(layout)
    return layout._first_line


def install() -> None:
    if not weasyprint.__version__.startswith("70."):
        return  # written against 70's split_first_line; another version keeps its own
    line_break.Layout.set_text = set_text
    line_break.Layout.get_first_line = get_first_line


def installed() -> bool:
    return line_break.Layout.set_text is set_text
