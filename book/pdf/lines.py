"""The laid-out lines of a book's chapters, measured (issue 21): how loose each justified line's
word spaces are, the kashidas on it, widows, orphans, lonely headings and runts.

Read from WeasyPrint's laid-out boxes, not the PDF: `body_documents` lays out the chapters as
the screen PDF does (its design, its body template, its parts, each at its real first page);
`measure_document` measures one laid-out document. benchmarks/quality.py prints the figures
for a book and a long synthetic one; tests/test_kashida.py holds the kashida justification to
them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import create_layout, line_size

from ..model import Book
from .body import TEMPLATE as BODY
from .body import group_chapters
from .design import parts_set_in_place, screen_design
from .front import front_pieces
from .justify import STACK_DISTANCE, inserted
from .plan import Plan
from .typesetter import Typesetter

# How lines are justified: the book's `[layout] justify` ("spaces": WeasyPrint's own, extra
# width shared by the spaces; "kashida": tatweels first, book/pdf/justify.py); a book is
# measured in either (`with_justify`), and benchmarks/quality.py prints both side by side.
JUSTIFY_MODES = ("spaces", "kashida")
EXPANDABLE = (" ", "\u00a0")  # what WeasyPrint stretches (layout/inline.py count_expandable_spaces)
LOOSE = 1.5  # a space half again as wide as the font's is loose to a typesetter's eye
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
FORCED_BREAKS = {"page", "left", "right", "recto", "verso"}


@dataclass
class Line:
    page: int  # the screen PDF's page number
    text: str
    spaces: int = 0
    ratio: float = 1.0  # the mean word space over the natural one (justified lines only)
    tatweels: int = 0   # inserted by the kashida justification


@dataclass
class Quality:
    """What the measure found in one or more laid-out documents."""

    pages: int = 0
    justified: list[Line] = field(default_factory=list)
    unstretchable: int = 0  # justified lines without a space: WeasyPrint cannot stretch them
    tatweels: int = 0
    stacked: int = 0  # lines with a kashida (nearly) under one on the line above
    widows: list[Line] = field(default_factory=list)
    orphans: list[Line] = field(default_factory=list)
    lonely_headings: list[Line] = field(default_factory=list)
    runts: list[Line] = field(default_factory=list)

    def add(self, other: Quality) -> None:
        self.pages += other.pages
        self.unstretchable += other.unstretchable
        self.tatweels += other.tatweels
        self.stacked += other.stacked
        for name in ("justified", "widows", "orphans", "lonely_headings", "runts"):
            getattr(self, name).extend(getattr(other, name))


_natural: dict[tuple, float] = {}


def natural_space(style, character: str) -> float:
    """The advance of one space in the text's font and size, as Pango shapes it for WeasyPrint
    (the same font selection and features; CSS px, as justification_spacing)."""
    key = (character, tuple(style["font_family"]), style["font_size"], style["font_weight"], style["font_style"],
           style["font_stretch"], repr(style["font_feature_settings"]), repr(style["font_variant_numeric"]),
           style["lang"])
    if key not in _natural:
        layout = create_layout(character, style, None, None, 0)  # held: its line lives in it
        line, _ = layout.get_first_line()
        _natural[key] = line_size(line, style)[0]
    return _natural[key]


def stretched_boxes(box) -> Iterator[boxes.TextBox]:
    """The text boxes whose spaces WeasyPrint stretches on a line: through inline boxes, not
    into inline-blocks (as count_expandable_spaces walks)."""
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            yield from stretched_boxes(child)


def space_ratio(line: boxes.LineBox) -> tuple[int, float]:
    """Spaces on the line and their mean width over the natural one. WeasyPrint gives every
    space of a justified line the same extra `justification_spacing` (set on each text box);
    a line with boxes in several sizes weighs each space by its own natural width."""
    spaces, natural, drawn = 0, 0.0, 0.0
    for text in stretched_boxes(line):
        for character in EXPANDABLE:
            count = text.text.count(character)
            if count:
                width = natural_space(text.style, character)
                spaces += count
                natural += count * width
                drawn += count * (width + text.justification_spacing)
    return spaces, (drawn / natural if natural else 1.0)


def line_text(line: boxes.LineBox) -> str:
    return "".join(box.text for box in line.descendants() if isinstance(box, boxes.TextBox)).strip()


def content(box, forced: bool = False) -> Iterator[tuple[object, bool]]:
    """Lines and block images in the order they are read, each with whether a box around it
    forces a page break after it (a part title's page: a heading left there is meant to be)."""
    if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
        yield box, forced
        return
    forced = forced or box.style["break_after"] in FORCED_BREAKS
    for child in getattr(box, "children", ()):
        yield from content(child, forced)


def measure_document(document: Document, first_page: int) -> Quality:
    """The hook: the measures of one laid-out document whose first page is `first_page`.
    Blocks are told apart by their element, so a paragraph split over pages is one block
    (a part holds whole chapters: no block goes on into the next document)."""
    quality = Quality(pages=len(document.pages))
    blocks: dict[object, list[tuple[Line, boxes.LineBox]]] = {}
    last_page = len(document.pages) - 1
    for index, page in enumerate(document.pages):
        number = first_page + index
        last: tuple[object, bool] | None = None
        for area in page._page_box.children:  # WeasyPrint keeps the laid-out boxes here
            if isinstance(area, boxes.MarginBox):
                continue  # running heads and folios
            for box, forced in content(area):
                if not isinstance(area, boxes.FootnoteAreaBox):
                    last = (box, forced)
                if isinstance(box, boxes.LineBox) and box.element is not None:
                    blocks.setdefault(box.element, []).append((Line(number, line_text(box)), box))
        if last and index < last_page and not last[1] and isinstance(last[0], boxes.LineBox) \
                and last[0].element is not None and last[0].element.tag in HEADINGS:
            quality.lonely_headings.append(Line(number, line_text(last[0])))
    for element, lines in blocks.items():
        style = lines[0][1].style
        justify = style["text_align_all"] == "justify" and style["white_space"] in ("normal", "nowrap", "pre-line")
        above: list[float] = []
        above_page = None
        for line, box in lines[:-1]:  # the last line is set by text-align-last, not justified
            if justify:
                line.spaces, line.ratio = space_ratio(box)
                if line.spaces:
                    quality.justified.append(line)
                else:
                    quality.unstretchable += 1
                line.tatweels = sum(inserted(text) for text in stretched_boxes(box))
                quality.tatweels += line.tatweels
                # Where justify.py put them, as a share of the line (its own estimate); the line
                # above on the same page only (a paragraph's first line on a page stacks on nothing).
                places = getattr(box, "kashida_places", [])
                if above_page == line.page:
                    quality.stacked += any(abs(a - b) <= STACK_DISTANCE for a in places for b in above)
                above, above_page = places, line.page
        pages = [line.page for line, _ in lines]
        if pages[0] != pages[-1]:
            if pages.count(pages[-1]) == 1:
                quality.widows.append(lines[-1][0])
            if pages.count(pages[0]) == 1:
                quality.orphans.append(lines[0][0])
        if element.tag == "p" and justify and len(lines) > 1 and len(lines[-1][0].text.split()) == 1:
            quality.runts.append(lines[-1][0])
    return quality


def with_justify(book: Book, mode: str) -> Book:
    """The book set to justify by `mode`, whatever its book.toml says."""
    return replace(book, meta=replace(book.meta, justify=mode))


def body_documents(book: Book) -> Iterator[tuple[int, Document]]:
    """The chapters laid out as the screen PDF's body: in its parts (body.group_chapters),
    each at the page it opens in the PDF, after the front matter (counted as plan.py counts
    it), so the page numbers printed are the PDF's. One part at a time: an 800-page book's
    boxes are never all held at once."""
    design = screen_design(book)
    layout = Typesetter(book, design)
    split = not design.parts_open_on_recto and not parts_set_in_place(book, design)
    page = 1 + sum(layout.length(layout.typeset(Plan.FRONT, layout.html(Plan.FRONT, {}, piece=piece), 1))
                   for piece in front_pieces(book, split))
    for group in group_chapters(book):
        # With no pages known yet, as plan.py's first layout of a part: cross-references
        # show a placeholder folio, of the width a real one has.
        document = layout.typeset(BODY, layout.html(BODY, {}, place_anchors=True, chapters=group), page)
        yield page, document
        page += layout.length(document)
