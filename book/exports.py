"""The index and the chronology as data: dist/<slug>.index.json and dist/<slug>.chronology.json."""

from __future__ import annotations

import json
from typing import Mapping

from . import collation
from .hijri import hijri_equivalent
from .model import Book, IndexEntry


def _entry(entry: IndexEntry, pages: Mapping[str, int] | None) -> dict:
    return {
        "heading": entry.heading,
        "kind": entry.kind,
        "note": entry.note,
        "letter": collation.letter(entry.heading),
        "see": entry.see or None,
        "see_also": list(entry.see_also),
        "occurrences": [{"chapter": o.chapter, "anchor": o.anchor,
                         "page": pages.get(o.anchor) if pages else None} for o in entry.occurrences],
        "quotations": list(entry.quotations),
        "subentries": [_entry(sub, pages) for sub in entry.subentries],
    }


def index_json(book: Book, pages: Mapping[str, int] | None = None) -> str:
    entries = [_entry(e, pages) for e in book.index.entries] if book.index else []
    return json.dumps({"book": book.meta.slug, "entries": entries,
                       "unmatched": list(book.index.unmatched) if book.index else []},
                      ensure_ascii=False, indent=2) + "\n"


def chronology_json(book: Book, pages: Mapping[str, int] | None = None) -> str:
    events = [{
        "id": e.id,
        "date": e.date.iso(),
        "precision": e.date.precision,
        "circa": e.date.circa,
        "qualifier": e.qualifier or None,
        "relative": e.relative,
        "when": e.when(book.meta.digits),
        "hijri": hijri_equivalent(e.date, book.meta.digits) if book.meta.hijri else None,
        "text": e.text,
        "expression": e.expression,
        "chapter": e.chapter,
        "anchor": e.anchor,
        "page": pages.get(e.anchor) if pages else None,
    } for e in (book.chronology.events if book.chronology else ())]
    return json.dumps({"book": book.meta.slug, "events": events}, ensure_ascii=False, indent=2) + "\n"
