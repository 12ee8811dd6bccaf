"""chapters/*.md: front matter (TOML between +++ fences) and Markdown (markdown-it-py) read
into the model's chapters and blocks; anything the model cannot hold is refused at its line."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import BookError
from ..model import (
    KINDS,
    Block,
    BlockQuote,
    Figure,
    Chapter,
    Heading,
    ListBlock,
    ListItem,
    Note,
    NoteCall,
    Paragraph,
    PartialDate,
    Quotation,
    SectionBreak,
    Span,
    Speaker,
    Table,
    Text,
    Verse,
    VerseLine,
)
from .confined import book_file, files_in
from .limits import check_chapter_size, check_image, check_text
from .text_files import check_characters, parse_toml, read_text, line_of_key, unknown_key_message


CHAPTERS_DIR = "chapters"
FRONT_MATTER_FENCE = "+++"

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ATTRIBUTE = re.compile(r'([a-z][a-z-]*)="([^"]*)"')
_QUOTE_KEYS = {"speaker", "rank", "role"}


def parse_partial_date(value: Any, path: Path, line: int | None, circa: bool = False) -> PartialDate:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    match = _DATE.match(text)
    if not match:
        raise BookError(f'date "{text}" is not YYYY, YYYY-MM or YYYY-MM-DD', path, line)
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as error:
        raise BookError(f'date "{text}": {error}', path, line) from None
    return PartialDate(year, month, day, circa)


# What an author may write in Markdown that the model has no block for yet: refused at its
# line, never shown with its syntax (a pipe table printed as running text, "[^1]" as words).
_NOT_YET = {
    "fence": "code blocks are not supported in chapters",
    "code_block": "indented code blocks are not supported in chapters (an indented line is read as code)",
    "s_open": "struck-through text (~~) is not supported",
    "html_block": "HTML is not allowed in chapters: say it in Markdown",
    "html_inline": "HTML is not allowed in chapters: say it in Markdown",
}
_LISTS = ("bullet_list_open", "ordered_list_open")
_IN_ITEMS = {"heading_open": "headings", "container_quote_open": "quotations", "container_other_open": "::: blocks",
             "blockquote_open": "quotations", "bullet_list_open": "lists", "ordered_list_open": "lists",
             "hr": "section breaks"}
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")  # a pipe not escaped with a backslash
_CAPTION_PREFIXES = ("Table:", "جدول:")  # a table's caption: the paragraph right after it
_HEMISTICHS = re.compile(r"\t+| (?:…|\.\.\.) ")  # what parts a verse line's two halves
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
# What is left of a link Markdown could not read ("[words] (https://…)", a call inside the words).
_BROKEN_LINK = re.compile(r"\]\((?=\S)|\]\s+\((?:https?://|mailto:)")
# A footnote call the parser did not take for one (its note is missing): "[^1]".
_FOOTNOTE_CALL = re.compile(r"\[\^[^\]\s]+\]")


def _markdown() -> MarkdownIt:
    # Everything CommonMark and GFM can say is parsed (tables, footnotes, struck text, raw HTML,
    # any ::: block), so that what the model cannot hold is refused, never shown as syntax.
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    footnote_plugin(md)
    # Every link is read as a link (markdown-it would leave a javascript:, file: or data: one
    # as bracketed text), to be refused with its line unless it leads to the web (_check_link).
    md.validateLink = lambda url: True
    container_plugin(md, "quote")
    container_plugin(md, "verse")
    container_plugin(md, "other", validate=lambda params, markup: True)  # any other ::: name: refused
    return md


_MARKS = {"em_open": "em", "strong_open": "strong"}


def _spans(children: list[Token]) -> tuple[Span | NoteCall, ...]:
    """markdown-it inline tokens as spans: text with its emphasis and link; and note calls."""
    spans: list[Span | NoteCall] = []
    marks: list[str] = []
    href: str | None = None
    for child in children:
        kind = child.type
        if kind == "text":
            spans.append(Span(child.content, tuple(marks), href))
        elif kind == "code_inline":
            spans.append(Span(child.content, (*marks, "code"), href))
        elif kind == "softbreak":
            spans.append(Span(" ", tuple(marks), href))
        elif kind == "hardbreak":  # a line ended with two spaces or a backslash: kept as a line break
            spans.append(Span("\n", (*marks, "break"), href))
        elif kind in _MARKS:
            marks.append(_MARKS[kind])
        elif kind in ("em_close", "strong_close"):
            marks.pop()
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            href = None
        elif kind == "footnote_ref":  # markdown-it numbers a chapter's notes from 0, by first call
            spans.append(NoteCall(child.meta["id"] + 1, child.meta.get("subId", 0)))
    # Adjacent spans alike are one span: fewer elements, and nothing inside a word (joined
    # once: adding each to the last would copy a hard-wrapped paragraph once per line).
    joined: list[Span | NoteCall] = []
    for key, alike in itertools.groupby(spans, key=lambda span: (span.marks, span.href)
                                        if isinstance(span, Span) else span):
        joined.append(Span("".join(span.text for span in alike), *key) if isinstance(key, tuple) else key)
    return tuple(joined)


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise BookError(f"a chapter starts with front matter between {FRONT_MATTER_FENCE} lines", path, 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise BookError(f"front matter is not closed with {FRONT_MATTER_FENCE}", path, 1) from None
    front = parse_toml("\n".join(lines[1:end]), path, first_line=2)
    return front, "\n".join(lines[end + 1:]), end + 1


class _ChapterParser:
    def __init__(self, md: MarkdownIt, path: Path, slug: str, line_offset: int, body: str = "",
                 root: Path | None = None):
        self.md = md
        self.root = root or path.parent.parent  # the book folder: chapters/ is in it
        self.numbered: dict[type, int] = {}  # tables and figures counted so far (numbered in the chapter)
        # The blocks read from their opening token to their end: what they are called in a
        # message, and their reader (tokens, index of the opening) -> (block, index after it).
        self.readers: dict[str, tuple[str, Callable[[list[Token], int], tuple[Block, int]]]] = {
            "bullet_list_open": ("a list", self.list_block),
            "ordered_list_open": ("a list", self.list_block),
            "blockquote_open": ("a > quotation", self.block_quote),
            "table_open": ("a table", self.table),
            "container_verse_open": ("verse", self.verse),
            "hr": ("a section break (---)", lambda tokens, index: (SectionBreak(self.line(tokens[index])), index + 1)),
        }
        self.source_lines = body.splitlines()  # the chapter's Markdown, for what tokens do not keep
        self.env: dict[str, Any] = {}  # markdown-it's environment for the chapter: its notes' labels
        self.call_lines: dict[int, int | None] = {}  # note number -> the line of its first call
        self.notes: list[Note] = []
        self.path = path
        self.slug = slug
        self.offset = line_offset

    def line(self, token: Token) -> int | None:
        return token.map[0] + 1 + self.offset if token.map else None

    def line_of(self, token: Token, found: str) -> int | None:
        """The line of `found` in a paragraph or heading (its first line when not found as written)."""
        first = self.line(token)
        at = token.content.find(found)
        return first + token.content.count("\n", 0, at) if first is not None and at >= 0 else first

    def text(self, inline: Token, calls: str | None = None) -> Text:
        """An inline token's text; `calls` says why it may not call a note (a heading's words
        are also the contents' and bookmarks'), None where it may."""
        row = next((line for line in inline.content.splitlines() if _TABLE_ROW.match(line)), None)
        if row is not None:  # a table's row without the table: its pipes would print as text
            raise BookError("this line looks like a table row (| … |), but a pipe table needs a |---| line under "
                            "its first row (|---|---|)", self.path, self.line_of(inline, row))
        linked = False
        for child in inline.children or []:
            linked = child.type == "link_open" or linked and child.type != "link_close"
            if child.type == "footnote_ref" and linked:
                raise BookError("a footnote call inside a link's words is not supported: put it after the link",
                                self.path, self.line(inline))
            if child.type in _NOT_YET:
                shown = child.content or child.markup or ""
                raise BookError(_NOT_YET[child.type], self.path, self.line_of(inline, shown) if shown else self.line(inline))
            if child.type == "image":
                raise BookError(f'image "{child.attrs.get("src", "")}": a figure stands in a paragraph of its own '
                                "(a blank line before and after it), not among words", self.path, self.line(inline))
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                _check_link(href, self.path, self.line_of(inline, href))
        text = Text(_spans(inline.children or []))
        self.check_calls(text, inline, calls)
        broken = _BROKEN_LINK.search(text.plain)
        if broken:
            raise BookError("this looks like a link Markdown could not read ([words](https://…), with nothing between "
                            "] and ( and no footnote call inside the brackets)", self.path,
                            self.line_of(inline, broken.group()))
        call = _FOOTNOTE_CALL.search(text.plain)
        if call:
            raise BookError(f'"{call.group()}" calls a footnote that has no note: write the note on a line of its '
                            f'own, "{call.group()}: …"', self.path, self.line_of(inline, call.group()))
        check_text(text, self.path, self.line(inline))
        check_characters(text.plain, self.path, lambda char: self.line_of(inline, char))
        return text

    def check_calls(self, text: Text, inline: Token, calls: str | None) -> None:
        """Note calls only where a note can be set, each note's first call's line kept."""
        found = text.calls
        if not found:
            return
        line = self.line_of(inline, "^") or self.line(inline)
        if calls is not None:
            raise BookError(f"a footnote call in {calls} is not supported: call the note from the text", self.path, line)
        for call in found:
            self.call_lines.setdefault(call.number, line)

    def inline_text(self, source: str, lines: list[int] | None, calls: str | None = None) -> Text:
        """Inline Markdown that is part of a larger line (a caption, a hemistich) read as text,
        its messages at `lines` (a token's map)."""
        inline = self.md.parseInline(source, self.env)[0]
        inline.map = lines
        return self.text(inline, calls)

    def speaker(self, token: Token) -> Speaker:
        info = token.info.strip()[len("quote"):]
        attributes = dict(_ATTRIBUTE.findall(info))
        unknown = set(attributes) - _QUOTE_KEYS
        if unknown:
            raise BookError(f'unknown quotation attribute "{sorted(unknown)[0]}" (known: speaker, rank, role)',
                            self.path, self.line(token))
        if _blank(attributes.get("speaker", "")):
            raise BookError('a quotation needs speaker="..."', self.path, self.line(token))
        check_characters(info, self.path, lambda char: self.line(token))
        return Speaker(attributes["speaker"], attributes.get("rank", ""), attributes.get("role", ""))

    def blocks(self, tokens: list[Token]) -> tuple[Block, ...]:
        blocks: list[Block] = []
        quote: tuple[Speaker, list[Paragraph], int | None] | None = None
        headings = quotes = 0
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "heading_open":
                level = int(token.tag[1])
                if level < 2:
                    raise BookError("use ## for section headings: the chapter title comes from front matter",
                                    self.path, self.line(token))
                headings += 1
                text = self.text(tokens[index + 1], calls="a heading")
                if _blank(text.plain):  # an empty entry in the contents, a heading no reader hears
                    raise BookError("an empty heading: give it its words, or remove the line", self.path,
                                    self.line(token))
                blocks.append(Heading(f"{self.slug}-s{headings}", level, text, self.line(token)))
            elif token.type == "paragraph_open" and _lone_image(tokens[index + 1]) and not quote:
                blocks.append(self.figure(tokens[index + 1]))
            elif token.type == "paragraph_open":
                paragraph = Paragraph(self.text(tokens[index + 1]), self.line(token))
                if quote:
                    quote[1].append(paragraph)
                else:
                    blocks.append(paragraph)
            elif token.type in self.readers:  # a block of its own kind, read to its end
                what, read = self.readers[token.type]
                if quote:
                    raise BookError(f"{what} inside a ::: quotation is not supported", self.path, self.line(token))
                block, index = read(tokens, index)
                blocks.append(block)
                continue
            elif token.type == "container_quote_open":
                quote = (self.speaker(token), [], self.line(token))
            elif token.type == "container_quote_close":
                assert quote is not None
                if not quote[1]:
                    raise BookError("a quotation without words: put them between its ::: lines", self.path, quote[2])
                quotes += 1
                blocks.append(Quotation(f"{self.slug}-q{quotes}", quote[0], tuple(quote[1]), quote[2]))
                quote = None
            elif token.type == "footnote_block_open":  # markdown-it gathers the notes at the end
                index = self.note_block(tokens, index)
                continue
            elif token.type == "container_other_open":
                raise BookError(f'unknown block "::: {token.info.strip()}" (known: quote, verse)', self.path,
                                self.line(token))
            elif token.type in ("inline", "paragraph_close", "heading_close"):
                pass
            elif token.type in _NOT_YET:
                raise BookError(_NOT_YET[token.type], self.path, self.line(token) or self._note_line(tokens, index))
            else:
                raise BookError(f"{token.type.split('_')[0]} blocks are not supported in chapters",
                                self.path, self.line(token))
            index += 1
        return tuple(blocks)

    def note_block(self, tokens: list[Token], index: int) -> int:
        """The notes gathered at tokens[index] into self.notes (paragraphs only), by number; the
        index after them."""
        index += 1
        while tokens[index].type != "footnote_block_close":
            opening = tokens[index]
            assert opening.type == "footnote_open", opening.type
            number, paragraphs = opening.meta["id"] + 1, []
            index += 1
            while tokens[index].type != "footnote_close":
                token = tokens[index]
                if token.type == "paragraph_open":
                    paragraphs.append(Paragraph(self.text(tokens[index + 1], calls="a note"), self.line(token)))
                    index += 2
                    continue
                if token.type not in ("footnote_anchor", "paragraph_close"):
                    what = _named(token)
                    raise BookError(f"a footnote holds paragraphs only, not {what}", self.path,
                                    self.line(token) or self.call_lines.get(number))
                index += 1
            line = paragraphs[0].line if paragraphs and paragraphs[0].line else self.call_lines.get(number)
            if not paragraphs or all(_blank(p.text.plain) for p in paragraphs):
                raise BookError("an empty footnote: give it its words, or remove its call", self.path, line)
            self.notes.append(Note(number, tuple(paragraphs), line))
            index += 1
        self.notes.sort(key=lambda note: note.number)
        return index + 1

    def _number(self, kind: type) -> int:
        self.numbered[kind] = self.numbered.get(kind, 0) + 1
        return self.numbered[kind]

    def table(self, tokens: list[Token], index: int) -> tuple[Table, int]:
        """The pipe table opened at tokens[index], with the caption a "Table: …" or "جدول: …"
        paragraph right after it gives; and the index after both."""
        opening = tokens[index]
        header: list[Text] = []
        rows: list[list[Text]] = []
        align: list[str] = []
        in_body = False
        index += 1
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tbody_open":
                in_body = True
            elif token.type == "tr_open" and in_body:
                rows.append([])
                self._check_row_length(token, len(header))
            elif token.type in ("th_open", "td_open"):
                style = str(token.attrs.get("style", ""))
                text = self.text(tokens[index + 1])
                if token.type == "th_open":
                    header.append(text)
                    align.append(style.removeprefix("text-align:") if style.startswith("text-align:") else "")
                else:
                    rows[-1].append(text)
                index += 2
            index += 1
        index += 1
        caption = None
        if index + 1 < len(tokens) and tokens[index].type == "paragraph_open":
            content = tokens[index + 1].content
            prefix = next((p for p in _CAPTION_PREFIXES if content.startswith(p)), None)
            if prefix is not None:
                caption = self.inline_text(content[len(prefix):].strip(), tokens[index + 1].map, "a caption")
                if _blank(caption.plain):
                    raise BookError(f'an empty caption: give it its words after "{prefix}", or remove the line',
                                    self.path, self.line(tokens[index]))
                index += 3
        return Table(tuple(header), tuple(tuple(row) for row in rows), tuple(align), caption, self._number(Table),
                     self.line(opening)), index

    def figure(self, inline: Token) -> Figure:
        """An image alone in its paragraph: a file in the book folder (PNG or JPEG), with its
        alternative text (required: a reader who cannot see it hears it) and a caption (its title)."""
        from PIL import Image

        image = next(child for child in inline.children if child.type == "image")
        src, line = str(image.attrs.get("src", "")), self.line(inline)
        if urlsplit(src).scheme or src.startswith(("/", "\\")):
            raise BookError(f'image "{src[:80]}": a figure is a file in the book folder, named by its path there '
                            '(images/chart.png)', self.path, line)
        found = book_file(self.root, src, self.path, line, "image")
        check_image(found, self.path, line, "image")
        try:
            with Image.open(found) as opened:
                kind, (width, height) = opened.format, opened.size
        except Exception:  # noqa: BLE001 - whatever Pillow cannot read is not an image we set
            kind = None
        if kind not in ("PNG", "JPEG"):
            raise BookError(f'image "{src}" is not a PNG or JPEG file', self.path, line)
        alt = image.content.strip()
        if _blank(alt):
            raise BookError(f'image "{src}" has no alternative text: write what it shows between ![ and ]',
                            self.path, line)
        check_characters(alt, self.path, lambda char: line)
        caption = None
        title = str(image.attrs.get("title") or "").strip()
        if title:
            caption = self.inline_text(title, inline.map, "a caption")
        return Figure(src, alt, caption, self._number(Figure), width, height, line)

    def _check_row_length(self, row: Token, columns: int) -> None:
        """A row with more cells than the header: markdown-it drops the extra cells, and their
        words with them (fewer cells are filled with empty ones, as GFM says)."""
        if not row.map or row.map[0] >= len(self.source_lines):
            return
        cells = _CELL_SEPARATOR.split(self.source_lines[row.map[0]].strip().strip("|"))
        if len(cells) > columns:
            raise BookError(f"this row has {len(cells)} cells and the table's header {columns}: "
                            "the extra cells would be lost; add a column to the header, or join the cells",
                            self.path, self.line(row))

    def verse(self, tokens: list[Token], index: int) -> tuple[Verse, int]:
        """The `::: verse` block opened at tokens[index]: a stanza per paragraph, a line per source
        line, its hemistichs parted by a tab or " … "; and the index after it."""
        opening, stanzas = tokens[index], []
        if opening.info.strip() != "verse":
            raise BookError(f'"::: {opening.info.strip()}": a verse block takes no attributes', self.path,
                            self.line(opening))
        index += 1
        while tokens[index].type != "container_verse_close":
            token = tokens[index]
            if token.type != "paragraph_open":
                what = _named(token)
                raise BookError(f"a verse block holds lines of verse, not {what}", self.path,
                                self.line(token) or self.line(opening))
            inline = tokens[index + 1]
            stanza = [self.verse_line(text, inline.map[0] + number) for number, text in
                      enumerate(inline.content.split("\n"))]
            stanzas.append(tuple(stanza))
            index += 3
        if not stanzas:
            raise BookError("a verse block without lines: put them between its ::: lines", self.path,
                            self.line(opening))
        return Verse(tuple(stanzas), self.line(opening)), index + 1

    def verse_line(self, source: str, line: int) -> VerseLine:
        halves = [half.strip() for half in _HEMISTICHS.split(source)]
        where = line + 1 + self.offset
        if len(halves) > 2:
            raise BookError("a verse line holds two hemistichs: one tab or \" … \" between them, no more",
                            self.path, where)
        texts = []
        for half in halves:
            text = self.inline_text(half, [line, line + 1], "a line of verse")
            if _blank(text.plain):
                raise BookError("an empty hemistich: give it its words, or remove the tab or \" … \"",
                                self.path, where)
            texts.append(text)
        return VerseLine(texts[0], texts[1] if len(texts) > 1 else None, where)

    def block_quote(self, tokens: list[Token], index: int) -> tuple[BlockQuote, int]:
        """The `>` quotation opened at tokens[index] (paragraphs only), and the index after it."""
        opening, paragraphs = tokens[index], []
        index += 1
        while tokens[index].type != "blockquote_close":
            token = tokens[index]
            if token.type != "paragraph_open":
                what = _named(token)
                raise BookError(f"a > quotation holds paragraphs only, not {what}", self.path,
                                self.line(token) or self.line(opening))
            paragraphs.append(Paragraph(self.text(tokens[index + 1]), self.line(token)))
            index += 3
        if not paragraphs or all(_blank(p.text.plain) for p in paragraphs):
            raise BookError("a quotation without words", self.path, self.line(opening))
        return BlockQuote(tuple(paragraphs), self.line(opening)), index + 1

    def list_block(self, tokens: list[Token], index: int) -> tuple[ListBlock, int]:
        """The list opened at tokens[index] (its items' paragraphs and nested lists), and the
        index after its end."""
        opening = tokens[index]
        closing = opening.type.replace("_open", "_close")
        items: list[ListItem] = []
        item_lines: list[int | None] = []
        tight = True
        index += 1
        while tokens[index].type != closing:
            token = tokens[index]
            if token.type == "list_item_open":
                items.append(ListItem(()))
                item_lines.append(self.line(token))
            elif token.type == "paragraph_open":
                tight = tight and token.hidden  # markdown-it hides the paragraphs of a tight list
                paragraph = Paragraph(self.text(tokens[index + 1]), self.line(token))
                items[-1] = ListItem((*items[-1].blocks, paragraph))
                index += 3  # its inline and its close
                continue
            elif token.type in _LISTS:
                nested, index = self.list_block(tokens, index)
                items[-1] = ListItem((*items[-1].blocks, nested))
                continue
            elif token.type != "list_item_close":
                what = _named(token)
                raise BookError(f"in a list item: {_NOT_YET[token.type]}" if token.type in _NOT_YET else
                                f"a list item holds paragraphs and lists, not {what}",
                                self.path, self.line(token) or self.line(opening))
            index += 1
        for item, line in zip(items, item_lines):
            if all(isinstance(b, Paragraph) and _blank(b.text.plain) for b in item.blocks):
                raise BookError("an empty list item: give it its words, or remove the line", self.path, line)
        start = int(opening.attrs.get("start", 1)) if opening.type == "ordered_list_open" else 1
        return ListBlock(opening.type == "ordered_list_open", tuple(items), start, tight, self.line(opening)), index + 1

    def _note_line(self, tokens: list[Token], index: int) -> int | None:
        """A footnote's line: where its first paragraph is (the block's own tokens have none)."""
        return next((self.line(token) for token in tokens[index:] if token.map), None)


def _named(token: Token) -> str:
    """What a block opened by `token` is called in a message: "lists", "headings", "fence blocks"."""
    return _IN_ITEMS.get(token.type, token.type.split("_")[0] + " blocks")


def _lone_image(inline: Token) -> bool:
    """Whether a paragraph holds an image and nothing else (white space aside)."""
    children = [c for c in inline.children or [] if not (c.type in ("text", "softbreak") and not c.content.strip())]
    return len(children) == 1 and children[0].type == "image"


def _blank(text: str) -> bool:
    """Nothing a reader sees or hears: white space and format characters (direction marks) only."""
    return all(char.isspace() or unicodedata.category(char) == "Cf" for char in text)


def _check_link(href: str, path: Path, line: int | None) -> None:
    """A chapter links to the web or to an address: a link to a file (which the PDF would
    resolve to this machine's path), to another chapter's Markdown, or to data: or javascript:
    is refused, so that no edition holds a link that goes nowhere or somewhere it should not."""
    try:
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        if scheme in ("http", "https") and parts.hostname or scheme == "mailto" and parts.path:
            return
    except ValueError:  # not a URL at all ("http://[x")
        pass
    raise BookError(f'link "{href[:80]}": a chapter may link to web addresses (https://…) and mailto: only; '
                    "a link to a file, another chapter or data is not supported", path, line)


def _check_fences(body: str, path: Path, offset: int) -> None:
    """Every `::: quote` or `::: verse` closed by a `:::` line (Markdown would quietly close it at the end)."""
    opened = None
    for number, line in enumerate(body.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(":::") and stripped[3:].strip():
            if opened is not None:
                raise BookError("a ::: block opens inside another; close the first with a ::: line",
                                path, number + offset)
            opened = number
        elif stripped == ":::":
            if opened is None:
                raise BookError("a ::: line closes no ::: block", path, number + offset)
            opened = None
    if opened is not None:
        raise BookError("this ::: block is never closed: end it with a line holding only :::",
                        path, opened + offset)


def _check_uncalled_notes(found: dict[str, Any], body: str, path: Path, offset: int) -> None:
    """A footnote's note that no call uses: markdown-it drops it, and its words with it."""
    for label, used in found.get("footnotes", {}).get("refs", {}).items():
        if used == -1:
            mark = f"[^{label[1:]}]:"
            at = body.find(mark)
            line = body.count("\n", 0, at) + 1 + offset if at >= 0 else None
            raise BookError(f'the note "{mark}" is called nowhere in the text (its words would be lost): '
                            f'call it with "[^{label[1:]}]" where it belongs, or remove it', path, line)


def _integer(value: Any, path: Path, line: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BookError(f"order must be a whole number, not {value!r}", path, line)
    return value


_FRONT_KEYS = {"title", "date", "circa", "source", "order", "slug", "kind", "part"}


def load_chapter(path: Path, md: MarkdownIt, root: Path | None = None) -> Chapter:
    check_chapter_size(path)
    text = read_text(path)
    front, body, offset = _split_front_matter(text, path)
    head = "\n".join(text.splitlines()[:offset])  # the front matter, where its keys' lines are
    unknown = set(front) - _FRONT_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise BookError("front matter: " + unknown_key_message(key, _FRONT_KEYS), path, line_of_key(head, key))
    if "title" not in front:
        raise BookError('front matter is missing "title"', path, 1)
    if "circa" in front and "date" not in front:
        raise BookError("front matter: circa says the date is approximate, but there is no date", path,
                        line_of_key(head, "circa"))
    kind = front.get("kind", "chapter")
    if kind not in KINDS:
        raise BookError(f'front matter: kind is "front" (a preface, an introduction: unnumbered, before the '
                        f'chapters), "chapter" or "appendix" (lettered, after them), not {kind!r}', path,
                        line_of_key(head, "kind"))
    if "part" in front and (kind != "chapter" or not isinstance(front["part"], str) or _blank(front["part"])):
        raise BookError('front matter: part = "…" names the part a chapter opens (a chapter\'s, not front '
                        "matter's or an appendix's): give it its title", path, line_of_key(head, "part"))
    for key in ("title", "source"):
        if key in front and not isinstance(front[key], str):
            raise BookError(f'front matter: {key} must be a string ("…"), not {front[key]!r}', path,
                            line_of_key(head, key))
    if _blank(front["title"]):
        raise BookError("front matter: title must not be empty", path, line_of_key(head, "title"))
    # "01-intro.md" is chapter "intro": the number only orders files in a folder listing.
    slug = str(front.get("slug") or re.sub(r"^[\d_.-]+", "", path.stem) or path.stem)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", slug):
        raise BookError(f'chapter slug "{slug}" must be ASCII letters, digits and hyphens, starting with a letter;'
                        ' set slug = "..." in front matter', path, line_of_key(head, "slug") or 1)
    _check_fences(body, path, offset)
    parser = _ChapterParser(md, path, slug, offset, body, root)
    tokens = md.parse(body, parser.env)
    _check_uncalled_notes(parser.env, body, path, offset)
    blocks = parser.blocks(tokens)
    if not blocks:
        raise BookError("the chapter has no text", path)
    return Chapter(
        slug=slug,
        title=str(front["title"]),
        date=parse_partial_date(front["date"], path, line_of_key(head, "date"), bool(front.get("circa", False)))
        if "date" in front else None,
        source=str(front.get("source", "")),
        order=_integer(front["order"], path, line_of_key(head, "order")) if "order" in front else None,
        path=path,
        blocks=blocks,
        notes=tuple(parser.notes),
        kind=kind,
        part=front.get("part"),
    )


def _reading_order(chapter: Chapter) -> tuple:
    """Front matter, chapters, appendices; in each, those with an `order` first, by it; then
    the others by file name (01-…, 02-…)."""
    return (KINDS.index(chapter.kind), chapter.order is None, chapter.order or 0, chapter.path.name)




def load_chapters(root: Path) -> tuple[Chapter, ...]:
    """chapters/*.md in reading order, each slug and order the book's only one."""
    files = files_in(root, CHAPTERS_DIR, "*.md")
    if not files:
        raise BookError(f"no chapters: put Markdown files in {CHAPTERS_DIR}/", root)
    md = _markdown()
    chapters = sorted((load_chapter(f, md, root) for f in files), key=_reading_order)
    slugs: dict[str, Path] = {}
    orders: dict[int, Path] = {}
    for chapter in chapters:
        if chapter.slug in slugs:
            raise BookError(f'chapter slug "{chapter.slug}" is also used by {slugs[chapter.slug]}', chapter.path)
        if chapter.order in orders:
            raise BookError(f"order = {chapter.order} is also the order of {orders[chapter.order]}; "
                            "give each chapter its own", chapter.path, line_of_key(read_text(chapter.path), "order"))
        slugs[chapter.slug] = chapter.path
        if chapter.order is not None:
            orders[chapter.order] = chapter.path
    return tuple(chapters)
