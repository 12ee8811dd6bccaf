"""Jinja2 environment shared by the renderers: templates hold the presentation."""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup

from . import __version__, arabic
from .hijri import hijri_equivalent
from .inline import page_mark, to_html
from .locators import RANGE_DASH
from .model import (
    BlockQuote,
    Book,
    Heading,
    ListBlock,
    Paragraph,
    Quotation,
    Figure,
    SectionBreak,
    Table,
    Verse,
    block_key,
    block_mark,
    item_key,
    note_key,
    table_key,
    verse_key,
)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("book", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(labels=arabic.LABELS, version=__version__, month_name=arabic.month_name,
                       block_key=block_key, block_mark=block_mark, item_key=item_key, note_key=note_key,
                       verse_key=verse_key, table_key=table_key, range_dash=RANGE_DASH)
    env.filters.update(number=arabic.number, ordinal=arabic.ordinal, inline=to_html, hijri=hijri_equivalent, page_mark=page_mark,
                       isolate=_isolate, isolate_phrase=arabic.isolate_phrase)
    env.tests.update(
        paragraph=lambda b: isinstance(b, Paragraph),
        heading=lambda b: isinstance(b, Heading),
        quotation=lambda b: isinstance(b, Quotation),
        list=lambda b: isinstance(b, ListBlock),
        block_quote=lambda b: isinstance(b, BlockQuote),
        section_break=lambda b: isinstance(b, SectionBreak),
        verse=lambda b: isinstance(b, Verse),
        table=lambda b: isinstance(b, Table),
        figure=lambda b: isinstance(b, Figure),
    )
    return env


def _isolate(value: object) -> str:
    """A generated number as one bidi unit (arabic.isolate); markup, such as a range of two
    locator links, keeps its tags, the isolate chosen by its text's digits."""
    if isinstance(value, Markup):
        return Markup(arabic.isolate(value, value.striptags()))
    return arabic.isolate(value)


def render(template: str, book: Book, **context: object) -> str:
    return environment().get_template(template).render(
        book=book, meta=book.meta, digits=book.meta.digits, **context)
