"""Where Pango drew a laid-out text box's characters, read from its line (WeasyPrint keeps no
glyph positions of its own): the index's locator links (fixups.py), kashida's sites, kept
apart from the line above's (justify.py), and the width of a line's next word (next_word.py)."""

from __future__ import annotations

from itertools import accumulate
from typing import Sequence

from cffi import FFI
from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import ffi as weasy_ffi

_ffi = FFI()
_ffi.cdef("void pango_layout_line_index_to_x (void *line, int index_, int trailing, int *x_pos);")
_pango = None  # opened on first use
PANGO_SCALE = 1024


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


def x_ranges(box: boxes.TextBox, pieces: Sequence[tuple[int, int]]) -> list[tuple[float, float]] | None:
    """Where each piece (characters start..end of `box.text`) was drawn, in CSS px from the
    page's left."""
    layout = box.pango_layout
    if not layout.text.startswith(box.text):
        return None
    layout.reactivate(box.style)  # as WeasyPrint's own drawing does: layouts sleep after layout
    try:
        line, _ = layout.get_first_line()
        pango = _library()
        pointer = _ffi.cast("void *", int(weasy_ffi.cast("uintptr_t", line)))
        position = _ffi.new("int *")
        bytes_before = list(accumulate((len(char.encode()) for char in box.text), initial=0))  # Pango counts bytes
        ranges = []
        for start, end in pieces:
            edges = []
            for index in range(start, end):
                byte = bytes_before[index]
                for trailing in (0, 1):
                    pango.pango_layout_line_index_to_x(pointer, byte, trailing, position)
                    edges.append(position[0] / PANGO_SCALE)
            ranges.append((box.position_x + min(edges), box.position_x + max(edges)))
    finally:
        layout.deactivate()
    return ranges


def advance(line, start: int, text: str) -> float:
    """How wide Pango drew `text`, which stands on `line` (WeasyPrint's PangoLayoutLine) from
    byte `start`, in CSS px: the sum of its characters' own widths (where the line's bidi order
    puts other text between them, that text is not counted)."""
    pango = _library()
    pointer = _ffi.cast("void *", int(weasy_ffi.cast("uintptr_t", line)))
    leading, trailing = _ffi.new("int *"), _ffi.new("int *")
    total, byte = 0, start
    for char in text:
        pango.pango_layout_line_index_to_x(pointer, byte, 0, leading)
        pango.pango_layout_line_index_to_x(pointer, byte, 1, trailing)
        total += abs(trailing[0] - leading[0])
        byte += len(char.encode())
    return total / PANGO_SCALE
