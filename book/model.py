"""The book as one typed model: loaded once, read by every renderer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Callable, Literal, Mapping, Sequence, Union

from . import arabic, collation
from .print_spec import PrintSpec

Precision = Literal["year", "month", "day"]


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month or a year, possibly only approximately."""

    year: int
    month: int | None = None
    day: int | None = None
    circa: bool = False

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def arabic(self, digits: arabic.Digits = "arabic-indic") -> str:
        """``نحو آذار/مارس ٢٠٢٠``: the form the articles themselves use."""
        words = []
        if self.day is not None:
            words.append(arabic.number(self.day, digits))
        if self.month is not None:
            words.append(arabic.month_name(self.month))
        words.append(arabic.number(self.year, digits))
        text = " ".join(words)
        return f"{arabic.CIRCA} {text}" if self.circa else text


@dataclass(frozen=True)
class Span:
    """Words with the same emphasis and link."""

    text: str
    marks: tuple[str, ...] = ()  # "em", "strong", "code", outermost first
    href: str | None = None


@dataclass(frozen=True)
class Anchor:
    """A place in the text that the index or the chronology links to. Set between words."""

    id: str


@dataclass(frozen=True)
class PageMark:
    """Where a page of the print edition begins (EPUB pagebreak marker)."""

    number: int
    label: str


@dataclass(frozen=True)
class NoteCall:
    """Where the text calls its chapter's note `number` (a footnote's mark); `repeat` counts the
    calls of the same note before this one. Not among the words: `plain` leaves it out."""

    number: int
    repeat: int = 0


Inline = Union[Span, Anchor, PageMark, NoteCall]


@dataclass(frozen=True)
class Text:
    """Inline content: spans of words and the anchors placed among them."""

    parts: tuple[Inline, ...]

    @property
    def plain(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, Span))

    @staticmethod
    def _part(item: "str | Inline") -> "Inline":
        return Anchor(item) if isinstance(item, str) else item

    @property
    def calls(self) -> tuple[NoteCall, ...]:
        return tuple(p for p in self.parts if isinstance(p, NoteCall))

    @property
    def anchors(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parts if isinstance(p, Anchor))

    def anchor_offsets(self) -> list[tuple[int, str]]:
        """(offset in `plain`, anchor id) for every anchor, in order."""
        found, offset = [], 0
        for part in self.parts:
            if isinstance(part, Anchor):
                found.append((offset, part.id))
            elif isinstance(part, Span):
                offset += len(part.text)
        return found

    def with_anchors(self, places: Mapping[int, Sequence["str | Inline"]]) -> Text:
        """A copy with anchors (ids, or marks) inserted at offsets of `plain`, between words."""
        if not places:
            return self
        parts: list[Inline] = []
        offset = 0
        pending = sorted(places.items())
        next_place = 0  # into pending (not popped from its front: a long paragraph has thousands)
        for part in self.parts:
            if not isinstance(part, Span):
                parts.append(part)
                continue
            end = offset + len(part.text)
            cut = 0
            while next_place < len(pending) and pending[next_place][0] < end:
                at, ids = pending[next_place]
                next_place += 1
                if at - offset > cut:
                    parts.append(Span(part.text[cut:at - offset], part.marks, part.href))
                    cut = at - offset
                parts.extend(self._part(i) for i in ids)
            if cut < len(part.text):
                parts.append(Span(part.text[cut:], part.marks, part.href))
            offset = end
        parts.extend(self._part(i) for _, ids in pending[next_place:] for i in ids)
        return Text(tuple(parts))


@dataclass(frozen=True)
class Paragraph:
    text: Text
    line: int | None = field(default=None, compare=False, repr=False)  # in its chapter's file, for messages


@dataclass(frozen=True)
class Heading:
    """A section heading inside a chapter (the articles' own subheadings)."""

    id: str
    level: int
    text: Text
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class HeadingNode:
    """A heading with the headings under it (a ### under the ## before it)."""

    heading: Heading
    children: tuple["HeadingNode", ...] = ()


def heading_tree(headings: Sequence[Heading], deepest: int = 6) -> tuple[HeadingNode, ...]:
    """`headings` nested by level, those deeper than `deepest` left out; a heading deeper than
    the one before by more than a level is its child all the same."""
    root: list = []
    stack: list[tuple[int, list]] = [(1, root)]  # (level, the list its children go into)
    for heading in (h for h in headings if h.level <= deepest):
        while stack[-1][0] >= heading.level:
            stack.pop()
        node: tuple[Heading, list] = (heading, [])
        stack[-1][1].append(node)
        stack.append((heading.level, node[1]))

    def frozen(nodes: list) -> tuple[HeadingNode, ...]:
        return tuple(HeadingNode(heading, frozen(children)) for heading, children in nodes)
    return frozen(root)


@dataclass(frozen=True)
class Speaker:
    name: str
    rank: str = ""
    role: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.rank} {self.name}".strip()


@dataclass(frozen=True)
class Quotation:
    """Quoted words, set as a block quotation with attribution; they stay in the text."""

    id: str
    speaker: Speaker
    paragraphs: tuple[Paragraph, ...]
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class BlockQuote:
    """Quoted words set apart without a speaker (`>` in the source): not one of the sayings."""

    paragraphs: tuple[Paragraph, ...]
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SectionBreak:
    """A pause between sections of a chapter (`---` in the source), drawn as an ornament."""

    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class VerseLine:
    """A line of classical verse: its two hemistichs (شطران), or one set alone."""

    first: "Text"
    second: "Text | None" = None
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Verse:
    """Poetry (`::: verse`), in stanzas of lines."""

    stanzas: tuple[tuple[VerseLine, ...], ...]
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Table:
    """A table (GFM pipes): its header row, its rows, each column's alignment ("" for the line's
    start, the right; or "left", "right", "center"), an optional caption; numbered in its
    chapter (جدول <chapter>-<number>)."""

    header: tuple["Text", ...]
    rows: tuple[tuple["Text", ...], ...]
    align: tuple[str, ...]
    caption: "Text | None"
    number: int
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Figure:
    """An image from the book folder (`![alt](images/x.png "caption")` alone in its paragraph):
    its path as the source gives it (its bytes in Book.files), its alternative text, an optional
    caption; numbered in its chapter (شكل <chapter>-<number>)."""

    src: str
    alt: str
    caption: "Text | None"
    number: int
    width: int   # pixels
    height: int
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its paragraphs, and the lists nested in it."""

    blocks: tuple["Paragraph | ListBlock", ...]


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list (numbered from `start`, in the book's digits). A tight list's
    items are set close together; a loose one's (blank lines between items in the source) are
    spaced as paragraphs."""

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Note:
    """A footnote of a chapter (`[^label]: …` or `^[…]` in the source): its number in the chapter
    (the order of first calls) and its paragraphs. Set at the foot of the page that calls it in
    the PDF (or at the chapter's end: `[layout] notes = "endnotes"`), as a pop-up note in the EPUB."""

    number: int
    paragraphs: tuple[Paragraph, ...]
    line: int | None = field(default=None, compare=False, repr=False)


Block = Union[Paragraph, Heading, Quotation, BlockQuote, ListBlock, SectionBreak, Verse, Table, Figure]


def block_key(index: int, paragraph: int | None = None) -> str:
    """The key of a block's text within its chapter, the one name every stage gives it (the
    preprocessors' anchors, the templates' marks, the PDF's anchor placing, the page-list):
    "b3" for block 3, "b5p0" for paragraph 0 of the block 5 that holds paragraphs (a list's
    texts: item_key)."""
    return f"b{index}" if paragraph is None else f"b{index}p{paragraph}"


def item_key(key: str, item: int, child: int) -> str:
    """The key of the `child`-th block of item `item` of the list whose key is `key`:
    "b3i0c1" (a list nested there gives its own items' keys from it, "b3i0c1i2c0")."""
    return f"{key}i{item}c{child}"


def verse_key(key: str, stanza: int, line: int, half: str) -> str:
    """The key of a hemistich ("a" the first, "b" the second) of the verse whose key is `key`."""
    return f"{key}s{stanza}l{line}{half}"


def table_key(key: str, part: str) -> str:
    """The key of a table's caption ("t"), a header cell ("h2") or a body cell ("r0c2")."""
    return f"{key}{part}"


def note_key(number: int, paragraph: int) -> str:
    """The key of a paragraph of note `number`: "n2p0"."""
    return f"n{number}p{paragraph}"


def is_note_key(key: str) -> bool:
    return key.startswith("n")


def _map_block(block: Block, key: str, change: Callable[[str, "Text"], "Text"]) -> Block:
    if isinstance(block, SectionBreak):
        return block
    if isinstance(block, Figure):
        return replace(block, caption=change(f"{key}f", block.caption)) if block.caption else block
    if isinstance(block, Table):  # in reading order: the caption above, the header, the rows
        caption = change(table_key(key, "t"), block.caption) if block.caption else None
        return replace(block, caption=caption,
                       header=tuple(change(table_key(key, f"h{c}"), cell) for c, cell in enumerate(block.header)),
                       rows=tuple(tuple(change(table_key(key, f"r{r}c{c}"), cell) for c, cell in enumerate(row))
                                  for r, row in enumerate(block.rows)))
    if isinstance(block, Verse):
        return replace(block, stanzas=tuple(
            tuple(replace(line, first=change(verse_key(key, s, n, "a"), line.first),
                          second=change(verse_key(key, s, n, "b"), line.second) if line.second else None)
                  for n, line in enumerate(stanza))
            for s, stanza in enumerate(block.stanzas)))
    if isinstance(block, (Quotation, BlockQuote)):
        return replace(block, paragraphs=tuple(replace(p, text=change(f"{key}p{n}", p.text))
                                               for n, p in enumerate(block.paragraphs)))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(
            ListItem(tuple(_map_block(child, item_key(key, i, j), change) for j, child in enumerate(item.blocks)))
            for i, item in enumerate(block.items)))
    return replace(block, text=change(key, block.text))


def block_texts(block: Block, key: str = "b") -> list[tuple[str, "Text"]]:
    """A block's texts, nested ones too, with their keys under `key`, in reading order."""
    found: list[tuple[str, Text]] = []
    _map_block(block, key, lambda key, text: found.append((key, text)) or text)
    return found


def _lines(block: Block, key: str, line: int | None, found: dict[str, int | None]) -> None:
    """Each text's source line under `key`, for messages (a block's own where it has none)."""
    line = block.line or line
    if isinstance(block, SectionBreak):
        return
    if isinstance(block, (Table, Figure)):
        for cell_key, _ in block_texts(block, key):
            found[cell_key] = line
        return
    if isinstance(block, Verse):
        for s, stanza in enumerate(block.stanzas):
            for n, verse_line in enumerate(stanza):
                found[verse_key(key, s, n, "a")] = verse_line.line or line
                if verse_line.second:
                    found[verse_key(key, s, n, "b")] = verse_line.line or line
        return
    if isinstance(block, (Quotation, BlockQuote)):
        found.update((f"{key}p{n}", p.line or line) for n, p in enumerate(block.paragraphs))
    elif isinstance(block, ListBlock):
        for i, item in enumerate(block.items):
            for j, child in enumerate(item.blocks):
                _lines(child, item_key(key, i, j), line, found)
    else:
        found[key] = line


def block_mark(chapter_slug: str, key: str) -> str:
    """A block text's name in the book: what the PDF's HTML marks it with (data-block)."""
    return f"{chapter_slug}-{key}"


ChapterKind = Literal["front", "chapter", "appendix"]
KINDS: tuple[ChapterKind, ...] = ("front", "chapter", "appendix")  # in the book's order


@dataclass(frozen=True)
class Designation:
    """What the book calls a chapter: «الفصل الثالث», «ملحق أ», or nothing (a preface, an
    introduction, a summary: front matter is not numbered); its tables and figures are numbered
    after it (جدول ٣-١، جدول أ-١، جدول ١)."""

    kind: ChapterKind
    ordinal: int  # among the chapters of its kind, from 1

    def label(self, digits: arabic.Digits = "arabic-indic") -> str:
        if self.kind == "chapter":
            return f"{arabic.LABELS['chapter']} {arabic.ordinal(self.ordinal, digits)}"
        return f"{arabic.LABELS['appendix']} {arabic.abjad(self.ordinal)}" if self.kind == "appendix" else ""

    def prefix(self, digits: arabic.Digits = "arabic-indic") -> str:
        """What a table's or figure's number starts with: "٣-" in chapter three, "أ-" in appendix أ."""
        if self.kind == "chapter":
            return f"{arabic.number(self.ordinal, digits)}-"
        return f"{arabic.abjad(self.ordinal)}-" if self.kind == "appendix" else ""


def designations(chapters: Sequence["Chapter"]) -> dict[str, Designation]:
    """Each chapter's designation by slug: chapters and appendices counted apart, in order."""
    counted: dict[str, int] = {}
    found = {}
    for chapter in chapters:
        counted[chapter.kind] = counted.get(chapter.kind, 0) + 1
        found[chapter.slug] = Designation(chapter.kind, counted[chapter.kind])
    return found


@dataclass(frozen=True)
class Part:
    """A part of the book (`part = "…"` on the chapter that opens it): its title, its number
    (القسم الأول), and the chapter it opens; it holds the chapters up to the next part."""

    title: str
    ordinal: int
    opens: str  # the slug of its first chapter

    def label(self, digits: arabic.Digits = "arabic-indic") -> str:
        return f"{arabic.LABELS['part']} {arabic.ordinal(self.ordinal, digits)}"


def parts(chapters: Sequence["Chapter"]) -> dict[str, Part]:
    """The part of each chapter in one, by slug: from the chapter that names it to the one
    before the next that names one; front matter and appendices are in none."""
    found: dict[str, Part] = {}
    current: Part | None = None
    for chapter in chapters:
        if chapter.part:
            current = Part(chapter.part, current.ordinal + 1 if current else 1, chapter.slug)
        if current and chapter.kind == "chapter":
            found[chapter.slug] = current
    return found


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    date: PartialDate | None  # None: a preface, an appendix, a report's chapter that is not dated
    source: str
    order: int | None  # where the book places it; None: after those with one, by file name
    path: Path
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...] = ()  # by number: notes[0] is note 1
    kind: ChapterKind = "chapter"  # front matter before the chapters, appendices after them
    part: str | None = None  # the title of the part this chapter opens (the ones after it are in it)

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))

    def heading_tree(self, deepest: int = 6) -> tuple[HeadingNode, ...]:
        return heading_tree(self.headings, deepest)

    @property
    def quotations(self) -> tuple[Quotation, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Quotation))

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Figure))

    def map_texts(self, change: Callable[[str, Text], Text]) -> Chapter:
        """A copy with every block's text, nested ones too, then every note's, passed through
        `change(key, text)` in reading order (keys: block_key, item_key, note_key …)."""
        blocks = tuple(_map_block(block, block_key(index), change) for index, block in enumerate(self.blocks))
        notes = tuple(replace(note, paragraphs=tuple(replace(p, text=change(note_key(note.number, n), p.text))
                                                     for n, p in enumerate(note.paragraphs)))
                      for note in self.notes)
        return replace(self, blocks=blocks, notes=notes)

    def texts(self) -> list[tuple[str, Text]]:
        """Every block's text with its key, in reading order (see `map_texts`)."""
        found: list[tuple[str, Text]] = []
        self.map_texts(lambda key, text: found.append((key, text)) or text)
        return found

    def line_of(self, key: str) -> int | None:
        """The source line of the block text with `key` (see `map_texts`), for messages."""
        found: dict[str, int | None] = {}
        for index, block in enumerate(self.blocks):
            _lines(block, block_key(index), None, found)
        for note in self.notes:
            found.update((note_key(note.number, n), p.line or note.line) for n, p in enumerate(note.paragraphs))
        return found.get(key)

    def body_text(self, notes: bool = True) -> str:
        """The author's words in reading order, every block's, then (unless `notes` is false)
        every note's: what fidelity checks compare."""
        return "\n".join(text.plain for key, text in self.texts() if notes or not is_note_key(key))

    def notes_text(self) -> str:
        """The notes' words, in order (a PDF sets them at its pages' feet, among the blocks)."""
        return "\n".join(text.plain for key, text in self.texts() if is_note_key(key))


@dataclass(frozen=True)
class Metadata:
    """What `book.toml` says about the book as a whole."""

    title: str
    subtitle: str
    language: str
    publisher: str
    date: dt.date
    identifier: str
    slug: str
    editions: tuple[str, ...]
    creators: tuple[str, ...] = ()
    description: str = ""
    rights: str = ""
    digits: arabic.Digits = "arabic-indic"
    page_size: str = "A5"
    contents_depth: int = 3  # the deepest heading level the PDF's contents lists (## is 2)
    notes: Literal["footnotes", "endnotes"] = "footnotes"  # where the PDF sets a chapter's notes
    justify: Literal["spaces", "kashida"] = "spaces"  # how the PDF editions fill a justified line
    kashida_strength: Literal["low", "medium", "high"] = "medium"  # how much of its slack tatweels take
    hijri: bool = False  # show Hijri equivalents in the chronology
    printing: "PrintSpec" = field(default_factory=lambda: PrintSpec())


# --- What the book folder says besides its chapters: read by the load stage (book/load/) --


@dataclass(frozen=True)
class Stylesheet:
    """A stylesheet's text, and its file (its URL is the base of what it names)."""

    name: str
    path: Path
    text: str


@dataclass(frozen=True)
class Term:
    """One term of the index's term list (index.toml)."""

    heading: str
    kind: str
    note: str = ""
    spellings: tuple[tuple[str, ...], ...] = ()  # each split into folded words
    see: str = ""
    see_also: tuple[str, ...] = ()
    subterms: tuple["Term", ...] = ()


@dataclass(frozen=True)
class TermList:
    """The index preprocessor's configuration: the curated terms, and the prefixes the order ignores."""

    terms: tuple[Term, ...]
    ignored_prefixes: tuple[str, ...] = collation.DEFAULT_IGNORED_PREFIXES
    path: Path | None = None  # index.toml, for messages


@dataclass(frozen=True)
class Override:
    """An edit of one extracted event (chronology.toml): retitled, dropped or merged into another."""

    id: str
    title: str = ""
    drop: bool = False
    merge_into: str = ""
    line: int | None = None


@dataclass(frozen=True)
class ChronologyEdits:
    """The chronology preprocessor's configuration: the edits by event id, and their file."""

    overrides: Mapping[str, Override] = field(default_factory=dict)
    path: Path | None = None  # chronology.toml, for messages


@dataclass(frozen=True)
class Book:
    root: Path
    meta: Metadata
    chapters: tuple[Chapter, ...]
    styles: Mapping[str, Stylesheet] = field(default_factory=dict)  # file name -> the house's or the book's
    # When this build ran, in UTC: the imprint's date and the EPUB's dcterms:modified.
    built: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    term_list: TermList | None = None   # index.toml: the index preprocessor's input
    chronology_edits: ChronologyEdits = field(default_factory=ChronologyEdits)  # chronology.toml
    # The book's files a renderer embeds ([print] cover-image, output-profile), by the path
    # book.toml gives: read by the load stage, so no renderer opens a book file.
    files: Mapping[str, bytes] = field(default_factory=dict)
    index: "Index | None" = None            # set by the index preprocessor
    chronology: "Chronology | None" = None  # set by the chronology preprocessor

    @property
    def quotations(self) -> tuple[tuple["Chapter", "Quotation"], ...]:
        return tuple((c, q) for c in self.chapters for q in c.quotations)

    @cached_property
    def designations(self) -> dict[str, Designation]:
        return designations(self.chapters)

    @cached_property
    def parts(self) -> dict[str, "Part"]:
        """The part each chapter is in, by slug (chapters outside parts are not listed)."""
        return parts(self.chapters)


# --- What the preprocessors add: the index and the chronology -------------------------

IndexKind = Literal["person", "place", "organization", "event", "topic"]


@dataclass(frozen=True)
class Occurrence:
    """One place a term stands: the anchor set before it, and its chapter."""

    anchor: str
    chapter: str  # slug


@dataclass(frozen=True)
class IndexEntry:
    heading: str
    kind: IndexKind
    note: str = ""
    occurrences: tuple[Occurrence, ...] = ()
    subentries: tuple["IndexEntry", ...] = ()
    see: str = ""
    see_also: tuple[str, ...] = ()
    quotations: tuple[str, ...] = ()  # ids of the quotations this person speaks


@dataclass(frozen=True)
class IndexGroup:
    letter: str
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class Index:
    groups: tuple[IndexGroup, ...]
    unmatched: tuple[str, ...] = ()  # headings whose spellings the text never uses

    @property
    def entries(self) -> tuple[IndexEntry, ...]:
        return tuple(e for g in self.groups for e in g.entries)


@dataclass(frozen=True)
class Event:
    """A dated happening the text narrates, with the words that narrate it."""

    id: str
    date: PartialDate
    text: str          # the sentence or clause
    expression: str    # the date as the text writes it
    chapter: str       # slug
    anchor: str
    qualifier: str = ""  # أواخر, مطلع, أواسط ...: where in the year, when the text says so
    relative: bool = False  # resolved from قبل خمس سنوات, العام السابق ...

    def when(self, digits: arabic.Digits = "arabic-indic") -> str:
        """The date as the chronology shows it: أواخر ٢٠١٥, نحو ٢٠١٧, ٢٣ آذار/مارس ٢٠١٩."""
        if self.qualifier:
            return f"{self.qualifier} {arabic.number(self.date.year, digits)}"
        return self.date.arabic(digits)


@dataclass(frozen=True)
class YearGroup:
    year: int
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Chronology:
    years: tuple[YearGroup, ...]
    warnings: tuple[str, ...] = ()  # file:line: dates read with doubt (errors under --strict)

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for y in self.years for e in y.events)


@dataclass(frozen=True)
class PageBreak:
    """Where a page of the print edition begins, for the EPUB's page-list.

    In a chapter the place is a block and an offset in its text (None: the chapter's start);
    elsewhere it is the start of the front- or back-matter section (`section`).
    """

    number: int
    label: str
    section: str                 # "chapter", "titlepage", "toc", "chronology", "sayings", "index"
    chapter: str | None = None
    block: str | None = None
    offset: int | None = None
