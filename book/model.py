"""The book as one typed model: loaded once, read by every renderer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

from . import arabic

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
class Text:
    """A run of inline content: safe (X)HTML for renderers, plain text for checks."""

    html: str
    plain: str


@dataclass(frozen=True)
class Paragraph:
    text: Text


@dataclass(frozen=True)
class Heading:
    """A section heading inside a chapter (the articles' own subheadings)."""

    id: str
    level: int
    text: Text


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


Block = Union[Paragraph, Heading, Quotation]


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    date: PartialDate
    source: str
    order: int
    path: Path
    blocks: tuple[Block, ...]

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))

    @property
    def quotations(self) -> tuple[Quotation, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Quotation))

    def body_text(self) -> str:
        """The author's words in reading order: what fidelity checks compare."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Quotation):
                parts.extend(p.text.plain for p in block.paragraphs)
            else:
                parts.append(block.text.plain)
        return "\n".join(parts)


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


@dataclass(frozen=True)
class Book:
    root: Path
    meta: Metadata
    chapters: tuple[Chapter, ...]
    styles: dict[str, Path] = field(default_factory=dict)  # file name -> stylesheet
    # When this build ran, in UTC: the imprint's date and the EPUB's dcterms:modified.
    built: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
