"""Kashida justification: a justified line's slack taken up by tatweels before its spaces.

WeasyPrint justifies by widening word spaces alone (layout/inline.py, `justify_line`, called
once a line's breaks are settled and its slack known). Here that step first inserts tatweels
(U+0640) at the sites book/kashida.py chooses (one per word at most, by the field's
priorities, spread over the line and away from the previous line's), shapes the widened
words again and moves the line's boxes by what each grew, then lets WeasyPrint spread what
slack is left over the spaces. The line's words and breaks are the ones the first layout
chose: nothing is set again, so no line can re-break. A line whose widened words would
overfill it drops sites until they fit, down to none (spaces alone).

The count of tatweels on a line: `strength` of its slack, in whole tatweels. Strength comes
from the book (`[layout] kashida-strength`), set for the span of one layout by `justifying`.
A text box remembers how many tatweels it was given (`kashidas`): what counts the model's
characters along the laid-out lines (fixups.block_lines) leaves them out; and where they went
(`kashida_at`): the text layer reads them apart from tatweels the author typed.
"""

from __future__ import annotations

import bisect
import contextlib
from dataclasses import dataclass
from typing import Iterator

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline as weasy_inline
from weasyprint.text.line_break import split_first_line

from ..kashida import TATWEEL, choose_sites, elongate
from .positions import x_ranges


@dataclass(frozen=True)
class Strength:
    slack: float  # the share of a line's slack tatweels may take
    words: float  # the share of a line's words that may take one: kashida sparingly


STRENGTHS = {"low": Strength(0.3, 0.25), "medium": Strength(0.5, 0.4), "high": Strength(0.75, 0.6)}
STACK_DISTANCE = 0.04  # a site this close (share of the line) under the line above's is a stack

_strength: Strength | None = None
# Where each line's tatweels went (paragraph -> line top -> places): the line above's are
# avoided. By place, not by order: WeasyPrint may set a paragraph's lines more than once.
_placed: dict[int, dict[float, list[float]]] = {}
_widths: dict[tuple, float] = {}


@contextlib.contextmanager
def justifying(strength: str | None) -> Iterator[None]:
    """Kashida for the layouts run inside (None: spaces alone, WeasyPrint's own way)."""
    global _strength
    saved, _strength = _strength, STRENGTHS[strength] if strength else None
    _placed.clear()
    try:
        yield
    finally:
        _strength = saved
        _placed.clear()


def inserted(box: boxes.TextBox) -> int:
    """How many tatweels the justification put in a text box (none the author typed)."""
    return getattr(box, "kashidas", 0)


def inserted_at(box: boxes.TextBox) -> tuple[int, ...]:
    """Where in the box's text the justification's tatweels stand (offsets, ascending): the
    text layer tells them from the author's (book/pdf/textlayer.py, typed_tatweels_apart).
    None where the box holds none (a box set again drops its `kashidas`: book/pdf/runts.py)."""
    return getattr(box, "kashida_at", ()) if inserted(box) else ()


def forget_tatweels(box: boxes.TextBox) -> None:
    """Drop this module's record of the tatweels it put in a text box (its text set again
    without them: book/pdf/runts.py)."""
    for name in ("kashidas", "kashida_at", "unwidened"):
        box.__dict__.pop(name, None)


def forget_places(line: boxes.LineBox) -> None:
    """Drop the line's record of where its tatweels went (the line set again)."""
    line.__dict__.pop("kashida_places", None)


def _after_insertion(before: tuple[int, ...], points: list[int]) -> tuple[int, ...]:
    """The offsets of inserted tatweels once one more has gone in before each of `points`
    (offsets in the text as it was), with those at `before` already in it."""
    points = sorted(points)
    moved = [at + bisect.bisect_right(points, at) for at in before]
    return tuple(sorted(moved + [point + rank for rank, point in enumerate(points)]))


def _text_boxes(box) -> Iterator[boxes.TextBox]:
    """A line's text boxes in logical order (the order of their characters)."""
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _width(text: str, style) -> float:
    return split_first_line(text, style, None, None, 0)[3]


def _tatweel_width(style) -> float:
    key = (tuple(style["font_family"]), style["font_size"], style["font_weight"], style["font_style"])
    if key not in _widths:
        _widths[key] = _width(TATWEEL, style)
    return _widths[key]


def _words(line) -> list[tuple[boxes.TextBox, int, str]]:
    """(text box, offset in its text, word) for each word of the line, in logical order."""
    found = []
    for box in _text_boxes(line):
        at = 0
        for word in box.text.split(" "):
            if word:
                found.append((box, at, word))
            at += len(word) + 1
    return found


def advance(box, growth: dict[int, float], moved: float) -> float:
    """Widen the text boxes by `growth` (box id -> width) and move what follows them on the
    page, left to right, as WeasyPrint's add_word_spacing walks a line; returns the total.
    (Also the runt re-flow's: book/pdf/runts.py.)"""
    if isinstance(box, boxes.TextBox):
        box.position_x += moved
        grown = growth.get(id(box), 0.0)
        box.width += grown
        return moved + grown
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += moved
        before = moved
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                moved = advance(child, growth, moved)
        box.width += moved - before
        return moved
    box.translate(moved, 0)
    return moved


def _places(line, words: list[tuple[boxes.TextBox, int, str]]) -> list[float]:
    """Each word's middle as a share of the line's width, from its start edge: where Pango drew
    it (positions.py), the spaces still natural, as they are on every line when it is justified
    (the share changes little once the line's spaces grow). Shares of the line's characters,
    tried first, put a site up to 8% of the line from where it was drawn: stacks slipped through."""
    middles: dict[int, float] = {}
    for box in {id(box): box for box, _, _ in words}.values():
        pieces = [(offset, offset + len(word)) for other, offset, word in words if other is box]
        drawn = x_ranges(box, pieces) if line.width else None
        if drawn is None:
            return _shares_of_characters(words)
        middles.update({(id(box), start): (left + right) / 2 for (start, _), (left, right) in zip(pieces, drawn)})
    shares = [(middles[(id(box), offset)] - line.position_x) / line.width for box, offset, _ in words]
    return [1 - share for share in shares] if line.style["direction"] == "rtl" else shares


def _shares_of_characters(words: list[tuple[boxes.TextBox, int, str]]) -> list[float]:
    """Each word's middle as a share of the line's characters (where Pango cannot say)."""
    total = sum(len(word) + 1 for _, _, word in words) or 1
    places, seen = [], 0
    for _, _, word in words:
        places.append((seen + len(word) / 2) / total)
        seen += len(word) + 1
    return places


def _lengthen(line, extra_width: float) -> float:
    """Insert tatweels in `line` for up to `_strength` of `extra_width`; returns the width used."""
    words = _words(line)
    if not words or _strength is None:
        return 0.0
    places = _places(line, words)
    lines = _placed.setdefault(id(line.element) if line.element is not None else 0, {})
    higher = [top for top in lines if top < line.position_y]
    above = lines[max(higher)] if higher else []
    free = [index for index, place in enumerate(places)
            if all(abs(place - other) > STACK_DISTANCE for other in above)]
    count = min(int(extra_width * _strength.slack / _tatweel_width(words[0][0].style)),
                int(len(words) * _strength.words))
    natural: dict[int, float] = {}  # box id -> its text's width as set, shaped once for every try
    while count > 0:
        sites = {free[index]: site for index, site in choose_sites([words[i][2] for i in free], count).items()}
        # box id -> (box, its new text, where in its text as set the tatweels went)
        texts: dict[int, tuple[boxes.TextBox, str, list[int]]] = {}
        for index in sorted(sites, reverse=True):  # from the end: earlier offsets stay right
            box, offset, word = words[index]
            _, text, points = texts.get(id(box), (box, box.text, []))
            texts[id(box)] = (box, text[:offset] + elongate(word, sites[index]) + text[offset + len(word):],
                              [offset + sites[index].index, *points])
        shaped = {key: split_first_line(text, box.style, None, None, 0) for key, (box, text, _) in texts.items()}
        for key, (box, _, _) in texts.items():
            if key not in natural:
                natural[key] = _width(box.text, box.style)
        growth = {key: shaped[key][3] - natural[key] for key in texts}
        used = sum(growth.values())
        if 0 < used <= extra_width:
            for key, (box, text, points) in texts.items():
                if not inserted(box):
                    box.unwidened = box.text  # the words as set: what a test holds the insertions to
                box.kashida_at = _after_insertion(inserted_at(box), points)
                box.text, box.kashidas = text, inserted(box) + len(points)
                box.pango_layout = shaped[key][0]
            advance(line, growth, 0.0)
            line.kashida_places = lines[line.position_y] = [places[index] for index in sites]
            return used
        count = min(count, len(sites)) - 1
    lines[line.position_y] = []
    return 0.0


def install() -> None:
    """Justify with kashida where `justifying` asks; once per process."""
    plain = weasy_inline.justify_line
    if getattr(plain, "kashida", False):
        return

    def justify_line(context, line, extra_width):
        if _strength is not None and extra_width > 0:
            extra_width -= _lengthen(line, extra_width)
        plain(context, line, extra_width)

    justify_line.kashida = True
    weasy_inline.justify_line = justify_line
