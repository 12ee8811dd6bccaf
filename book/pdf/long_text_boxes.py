"""A long text box set line by line in time linear in its length.

WeasyPrint 70 sets a paragraph's text box one line at a time from a byte offset into the box's
whole text, and for every line it encodes the whole text, copies the rest from the offset and
decodes it (layout/inline.py: split_inline_level, split_text_box, skip_first_whitespace), so a
paragraph cost the square of its length: 740 KB in one paragraph took nine times the same text in
paragraphs (benchmarks/shapes.py). Here each line is given only a window of the rest, a few
thousand bytes from the offset, which holds the line and the text after it that Pango looks at to
break it; the box's text is encoded once. Lines, their widths and positions come out the same
(tests/test_limits.py compares the boxes of every page with and without these; the default and
800-page books' PDFs are byte-identical).

Installed once, by book/pdf/weasy.py, before any layout; `installed()` says whether it took.
"""

from __future__ import annotations

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

# Bytes of a box's rest a line is laid out from: some forty A5 lines of Arabic, ten times the
# longest line at the smallest size a book sets. A window too short for its line (all of it fits
# on one line) falls back to WeasyPrint's own call with the whole rest, so it is never wrong.
WINDOW_BYTES = 4096

_weasy_split_inline_level = inline.split_inline_level
_weasy_skip_first_whitespace = inline.skip_first_whitespace

# The last text encoded and its bytes: a paragraph's lines come one after another, from one box.
_encoded_text: list = [None, b""]


def _encoded(text: str) -> bytes:
    if _encoded_text[0] is not text:
        _encoded_text[0], _encoded_text[1] = text, text.encode()
    return _encoded_text[1]


def _window(encoded: bytes, start: int) -> tuple[str, bool]:
    """The text from byte `start`, at most WINDOW_BYTES of it ended on a character's first byte,
    and whether it was cut short."""
    end = start + WINDOW_BYTES
    if end >= len(encoded):
        return encoded[start:].decode(), False
    while encoded[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte
        end -= 1
    return encoded[start:end].decode(), True


def split_inline_level(context, box, position_x, max_x, bottom_space, skip_stack, *rest):
    """WeasyPrint's, for a long text box handed the window of its rest from the skip."""
    if type(box) is not boxes.TextBox or len(box.text) * 4 <= WINDOW_BYTES:
        return _weasy_split_inline_level(context, box, position_x, max_x, bottom_space, skip_stack, *rest)
    skip = 0
    if skip_stack is not None:
        (skip, _), = skip_stack.items()
        skip = skip or 0
    text, cut = _window(_encoded(box.text), skip)
    new_box, resume_at, preserved_line_break, _, last_letter, float_widths = _weasy_split_inline_level(
        context, box.copy_with_text(text), position_x, max_x, bottom_space, None, *rest)
    if resume_at is None and cut:  # the whole window on one line: let WeasyPrint see the rest
        return _weasy_split_inline_level(context, box, position_x, max_x, bottom_space, skip_stack, *rest)
    if resume_at is not None:
        (resume, _), = resume_at.items()
        resume_at = {resume + skip: None}
    # WeasyPrint gives a text box's first letter whatever the skip: so do we, for equal lines.
    return new_box, resume_at, preserved_line_break, box.text[0], last_letter, float_widths


def skip_first_whitespace(box, skip_stack):
    """WeasyPrint's, reading a text box's bytes from the one encoding of its text."""
    if type(box) is not boxes.TextBox:
        return _weasy_skip_first_whitespace(box, skip_stack)  # its recursion comes back here
    index = 0 if skip_stack is None else next(iter(skip_stack))
    encoded = _encoded(box.text)
    if index == len(encoded):
        return "continue"
    if box.style["white_space"] in ("normal", "nowrap", "pre-line"):
        while index < len(encoded) and encoded[index] == 0x20:
            index += 1
    return {index: None} if index else None


def install() -> None:
    """Put these in WeasyPrint's layout module (its functions call each other by module name)."""
    if not weasyprint.__version__.startswith("70."):
        return  # written against 70's functions; another version keeps its own
    inline.split_inline_level = split_inline_level
    inline.skip_first_whitespace = skip_first_whitespace


def installed() -> bool:
    return inline.split_inline_level is split_inline_level
