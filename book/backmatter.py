"""Which back-matter sections a book has, for every edition alike."""

from __future__ import annotations

from dataclasses import dataclass

from . import arabic
from .model import Book


@dataclass(frozen=True)
class BackSection:
    id: str
    title: str


def back_sections(book: Book) -> list[BackSection]:
    sections = []
    if book.chronology and book.chronology.events:
        sections.append(BackSection("chronology", arabic.LABELS["chronology"]))
    if book.quotations:
        sections.append(BackSection("sayings", arabic.LABELS["sayings"]))
    if book.index and book.index.groups:
        sections.append(BackSection("index", arabic.LABELS["index"]))
    return sections
