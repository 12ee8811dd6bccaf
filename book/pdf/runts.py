"""Runts: a justified paragraph's last line of one word, re-flowed away after layout (issue 21).

WeasyPrint breaks lines greedily, one at a time (layout/inline.py `iter_line_boxes`), and only
learns that a paragraph ends in a single word once that word is set on a line of its own. The
line above is already set and justified by then; tying the last two words with a no-break
space before layout moved a word down blindly and left the line above up to 4.6 times its
natural word space. So the re-flow is done here, as the paragraph's lines come out of
WeasyPrint and before its last line is handed on, with every width known: a *chain* of lines
ending at the runt each hand their last word down to the next line's start. The line the
chain starts at loses a word, the lines after it trade one (the word from above in, their own
last word out), the runt line gains one: no line is added or taken away, so lines keep their
heights and the page breaks WeasyPrint chose (widows, orphans, headings kept with their text)
stay where they are. Of the chains starting within `REACH` lines of the runt, the one whose
loosest changed line is tightest is taken, if no changed line ends with word spaces wider than
`LOOSE` times natural or than the paragraph's loosest line already has, whichever is more: a
line may loosen up to 1.5x, and past it only up to what the paragraph already shows, so its
worst line never gets worse. Otherwise the runt stays: the cure must not be worse than the runt.
(Moving the one word above down alone, as the no-break space did, left 3.6x, 4.6x and 2.9x on
the default book; a chain spreads the word's width over several lines.)

Widths are measured as if set with spaces alone (a kashida line's tatweels left out), so a
kashida book breaks its lines where the spaces book does; the changed lines are then justified
again by the installed `justify_line` (book/pdf/justify.py's where a book asks for kashida).
A word moves only between plain text of one text box broken at a space: a line ending in a
link, a note call, emphasis or a break inside a word (a slash) stops the chain there. Each line
handed a word is given a new `resume_at` (where the next line starts), so a page broken after
it later (widows, an earlier break found for a heading) resumes at the right word.

Installed once, by book/pdf/weasy.py; `reflowing(False)` sets layouts as WeasyPrint would
(the benchmark's and tests' side-by-side).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Iterator

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block as weasy_block
from weasyprint.layout import inline as weasy_inline
from weasyprint.text.line_break import create_layout, line_size, split_first_line

from .justify import advance, forget_places, forget_tatweels, inserted

LOOSE = 1.5  # a word space half again as wide as the font's is loose to a typesetter's eye
REACH = 8  # lines back from the runt a chain may start at: the re-flow stays local and cheap
EXPANDABLE = (" ", "\u00a0")  # what WeasyPrint stretches (count_expandable_spaces)
TOLERANCE = 0.01  # CSS px: widths equal within this are equal

_enabled = True


@contextlib.contextmanager
def reflowing(enabled: bool) -> Iterator[None]:
    """Re-flow runts in the layouts run inside, or not (WeasyPrint's lines as it set them)."""
    global _enabled
    saved, _enabled = _enabled, enabled
    try:
        yield
    finally:
        _enabled = saved


@dataclass(frozen=True)
class Edge:
    """Where a line ends, when its last word can go down to the next line's start."""
    word: str       # the line's last word, as set with spaces alone
    resume_at: dict  # the skip stack that starts the next line at that word


@dataclass(frozen=True)
class Measure:
    """A line as it would be set with spaces alone."""
    width: float  # its content's natural width
    space: float  # the natural width of its stretchable spaces

    def ratio(self, available: float) -> float:
        """Its mean word space over the natural one once justified to `available`."""
        extra = available - self.width
        if self.space <= 0:
            return 1.0 if abs(extra) <= TOLERANCE else float("inf")
        return 1 + extra / self.space


@dataclass(frozen=True)
class Chain:
    """Lines from `start` to the runt each handing their last word to the next line."""
    start: int  # the line that loses a word (an index in the paragraph's lines)
    ratios: tuple[tuple[float, float], ...]  # (before, after) for each justified line changed

    @property
    def loosest(self) -> float:
        return max(after for _, after in self.ratios)


def acceptable(ratios: tuple[tuple[float, float], ...], loose: float = LOOSE) -> bool:
    """No changed line looser than `loose`, unless it is no looser than it was. The re-flow
    asks for max(LOOSE, the paragraph's loosest line): a line may go up to 1.5 times its
    natural word space, or up to what the paragraph already shows, never past it."""
    return all(after <= max(loose, before) + 1e-9 for before, after in ratios)


def choose(chains: list[Chain], loose: float = LOOSE) -> Chain | None:
    """The acceptable chain whose loosest line is tightest; the shortest of equals."""
    allowed = [chain for chain in chains if acceptable(chain.ratios, loose)]
    return min(allowed, key=lambda chain: (round(chain.loosest, 6), -chain.start), default=None)


def spaces(text: str) -> int:
    return sum(text.count(character) for character in EXPANDABLE)


def natural_text(box: boxes.TextBox) -> str:
    """A text box's text as set, before justify.py widened any word with tatweels."""
    return box.unwidened if inserted(box) else box.text


def text_boxes(box) -> Iterator[boxes.TextBox]:
    """A line's text boxes in logical order, through inline boxes (as WeasyPrint justifies)."""
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            yield from text_boxes(child)


def is_runt(line: boxes.LineBox) -> bool:
    return len("".join(box.text for box in text_boxes(line)).split()) == 1


def edge(paragraph: boxes.LineBox, line: boxes.LineBox, following: boxes.LineBox, resume_at) -> Edge | None:
    """The edge between `line` and `following` (which starts at `resume_at` in `paragraph`,
    the box WeasyPrint cuts lines from), if the word before it can cross: the line ends in,
    and the next begins with, plain text of one of the paragraph's text boxes, broken at a
    space, and the line keeps a word of that text."""
    if not line.children or not following.children:
        return None
    last, first = line.children[-1], following.children[0]
    if type(last) is not boxes.TextBox or type(first) is not boxes.TextBox:
        return None
    if not isinstance(resume_at, dict) or len(resume_at) != 1:
        return None
    (index, inner), = resume_at.items()
    if not isinstance(inner, dict) or len(inner) != 1 or not 0 <= index < len(paragraph.children):
        return None
    (offset, deeper), = inner.items()
    source = paragraph.children[index]
    if deeper is not None or type(source) is not boxes.TextBox or not offset:
        return None
    encoded = source.text.encode()
    before, after = encoded[:offset].decode(), encoded[offset:].decode()
    kept, _, word = natural_text(last).rpartition(" ")
    stem = before.rstrip(" ")
    if not word or not kept.strip() or stem == before or not stem.endswith(" " + word):
        return None  # a break inside a word (after a slash, a dash), or nothing left behind
    if not after.lstrip(" ").startswith(natural_text(first)):
        return None
    return Edge(word, {index: {len(stem[:-len(word)].encode()): None}})


@dataclass(frozen=True)
class Shaped:
    layout: object  # a Pango layout of the text, set on one line
    width: float
    height: float  # a box whose height would change is not set again: its line keeps its height


class Paragraph:
    """The last lines of one paragraph, measured as they are and with words moved down."""

    def __init__(self, context, lines: list[boxes.LineBox], edges: list[Edge | None], available: float):
        self.context = context
        self.lines, self.edges, self.available = lines, edges, available
        self._shaped: dict[tuple[int, str], Shaped] = {}

    def shaped(self, box: boxes.TextBox, text: str) -> Shaped:
        key = (id(box), text)
        if key not in self._shaped:
            layout, _, _, width, height, _ = split_first_line(text, box.style, self.context, None, 0)
            self._shaped[key] = Shaped(layout, width, height)
        return self._shaped[key]

    def texts(self, start: int, index: int) -> dict[int, str]:
        """The text boxes of line `index` whose text changes in a chain from `start`: its
        first takes the word from above, its last hands its own down (one box may do both)."""
        line, texts = self.lines[index], {}
        if index > start:
            first = line.children[0]
            texts[id(first)] = self.edges[index - 1].word + " " + natural_text(first)
        if index < len(self.lines) - 1:
            last = line.children[-1]
            text = texts.get(id(last), natural_text(last))
            texts[id(last)] = text[:-len(self.edges[index].word)].rstrip(" ")
        return texts

    def measure(self, index: int, texts: dict[int, str]) -> Measure | None:
        """Line `index` set with spaces alone and `texts` in place (None: a box would change height)."""
        line = self.lines[index]
        width, space = line.width, 0.0
        for box in text_boxes(line):
            text = texts.get(id(box), natural_text(box))
            if text == box.text:  # as set: what justification added comes off
                natural = box.width - box.justification_spacing * spaces(text)
            else:
                shaped = self.shaped(box, text)
                if abs(shaped.height - box.height) > TOLERANCE:
                    return None
                natural = shaped.width
            width += natural - box.width
            space += spaces(text) * space_width(box.style)
        return Measure(width, space)

    def loosest(self) -> float:
        """The loosest of the lines above the runt as WeasyPrint set them (with spaces alone)."""
        ratios = [self.measure(index, {}) for index in range(len(self.lines) - 1)
                  if abs(self.lines[index].width - self.available) <= TOLERANCE]
        return max((measure.ratio(self.available) for measure in ratios if measure), default=1.0)

    def chains(self) -> Iterator[Chain]:
        """Every chain that fits: each start from the line above the runt up, while edges allow."""
        last = len(self.lines) - 1
        for start in range(last - 1, max(-1, last - 1 - REACH), -1):
            if self.edges[start] is None or abs(self.lines[start].width - self.available) > TOLERANCE:
                return  # no word can cross here; or a line narrower than the column (an indent, a float)
            ratios, fits = [], True
            for index in range(start, last):
                before = self.measure(index, {})
                after = self.measure(index, self.texts(start, index))
                if before is None or after is None or after.width > self.available + TOLERANCE:
                    fits = False
                    break
                ratios.append((before.ratio(self.available), after.ratio(self.available)))
            grown = self.measure(last, self.texts(start, last))
            if fits and grown is not None and grown.width <= self.available + TOLERANCE:
                yield Chain(start, tuple(ratios))

    def apply(self, chain: Chain) -> None:
        """Set the chain's lines with their new words: each reset to its natural widths, moved
        as WeasyPrint's add_word_spacing moves a line's boxes, then justified again; the last
        line keeps its start edge."""
        last = len(self.lines) - 1
        for index in range(chain.start, last + 1):
            line = self.lines[index]
            texts, growth = self.texts(chain.start, index), {}
            for box in text_boxes(line):
                text = texts.get(id(box), natural_text(box))
                if text == box.text and not box.justification_spacing:
                    continue
                shaped = self.shaped(box, text)
                growth[id(box)] = shaped.width - box.width
                box.text, box.pango_layout, box.justification_spacing = text, shaped.layout, 0
                forget_tatweels(box)
            forget_places(line)
            grown = advance(line, growth, 0.0)
            if index < last:
                weasy_inline.justify_line(self.context, line, self.available - line.width)
                line.resume_at = self.edges[index].resume_at
            elif line.style["direction"] == "rtl":
                line.translate(-grown, 0)  # its start is on the right


_space_widths: dict[tuple, float] = {}


def space_width(style) -> float:
    """A space's advance in the style's font and size, as Pango sets it for WeasyPrint."""
    key = (tuple(style["font_family"]), style["font_size"], style["font_weight"], style["font_style"],
           style["font_stretch"], repr(style["font_feature_settings"]), repr(style["font_variant_numeric"]),
           style["lang"])
    if key not in _space_widths:
        layout = create_layout(" ", style, None, None, 0)  # held: its line lives in it
        line, _ = layout.get_first_line()
        _space_widths[key] = line_size(line, style)[0]
    return _space_widths[key]


def _last_line_at_start(paragraph: boxes.LineBox) -> bool:
    """Whether the paragraph's last line is set at its start (right in RTL, left in LTR)."""
    align = paragraph.style["text_align_last"]
    rtl = paragraph.style["direction"] == "rtl"
    return align == "start" or (align == "right" and rtl) or (align == "left" and not rtl)


def _reflowed(paragraph: boxes.LineBox) -> bool:
    """A justified paragraph (`p`: list items, an index's entries and the like keep their
    lines) whose last line is set at its start."""
    style = paragraph.style
    return (paragraph.element is not None and paragraph.element.tag == "p"
            and style["text_align_all"] == "justify" and style["white_space"] in ("normal", "nowrap", "pre-line")
            and _last_line_at_start(paragraph))


def reflow(context, paragraph: boxes.LineBox, lines: list[tuple[boxes.LineBox, object]], available: float) -> None:
    """Take the runt ending `lines` ((line, resume_at) of one paragraph, the last one's last)
    away if a chain allows."""
    boxes_ = [line for line, _ in lines]
    if len(boxes_) < 2 or not is_runt(boxes_[-1]):
        return
    edges = [edge(paragraph, line, following, resume_at)
             for (line, resume_at), following in zip(lines, boxes_[1:])]
    measured = Paragraph(context, boxes_, edges, available)
    chain = choose(list(measured.chains()), max(LOOSE, measured.loosest()))
    if chain is not None:
        measured.apply(chain)


def install() -> None:
    """Re-flow runts as WeasyPrint's block layout takes a paragraph's lines; once per process."""
    if not weasyprint.__version__.startswith("70.") or getattr(weasy_block.iter_line_boxes, "runts", False):
        return  # written against 70's line boxes and skip stacks
    plain = weasy_block.iter_line_boxes

    def iter_line_boxes(context, box, position_y, bottom_space, skip_stack, containing_block, *rest):
        lines = plain(context, box, position_y, bottom_space, skip_stack, containing_block, *rest)
        if not _enabled or not _reflowed(box):
            yield from lines
            return
        held: list[tuple[boxes.LineBox, object]] = []  # the paragraph's last lines, in order
        decoration = containing_block.border_bottom_width + containing_block.padding_bottom
        for line, resume_at in lines:
            # Not where the last line overflows the page: the block then sends the lines it
            # reads ahead to the next page, to be set again there (and re-flowed there).
            if resume_at is None and held and not context.excluded_shapes \
                    and not context.overflows_page(bottom_space, line.position_y + line.height + decoration):
                reflow(context, box, [*held, (line, resume_at)], containing_block.width)
            held = [*held[-REACH:], (line, resume_at)]
            yield line, resume_at

    iter_line_boxes.runts = True
    weasy_block.iter_line_boxes = iter_line_boxes
