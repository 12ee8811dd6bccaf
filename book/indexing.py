"""The index preprocessor: a curated term list in, every occurrence found and anchored.

The term list (`index.toml` in the book folder) is the source of truth for what is indexed;
where each term stands is found in the text, never typed by hand.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, get_args

from . import collation, matching
from .errors import BookError
from .model import Book, Index, IndexEntry, IndexGroup, IndexKind, Occurrence
from .sources import data_file, line_of_key, parse_toml_file, unknown_key_message

INDEX_FILE = "index.toml"
KINDS = get_args(IndexKind)
_TERM_KEYS = {"heading", "kind", "note", "match", "see", "see-also", "sub"}


@dataclass(frozen=True)
class Term:
    heading: str
    kind: str
    note: str = ""
    spellings: tuple[tuple[str, ...], ...] = ()  # each split into folded words
    see: str = ""
    see_also: tuple[str, ...] = ()
    subterms: tuple["Term", ...] = ()


@dataclass(frozen=True)
class TermList:
    terms: tuple[Term, ...]
    ignored_prefixes: tuple[str, ...] = collation.DEFAULT_IGNORED_PREFIXES


def _term(data: dict[str, Any], path: Path, text: str, parent_kind: str | None = None) -> Term:
    heading = data.get("heading")
    if not isinstance(heading, str) or not heading.strip():
        raise BookError('every [[term]] needs heading = "..."', path)
    line = line_of_key(text, "heading", heading)
    unknown = set(data) - _TERM_KEYS
    if unknown:
        raise BookError(f'term "{heading}": ' + unknown_key_message(sorted(unknown)[0], _TERM_KEYS), path, line)
    kind = data.get("kind", parent_kind or "topic")
    if kind not in KINDS:
        raise BookError(f'term "{heading}": kind "{kind}" is not one of {", ".join(KINDS)}', path, line)
    see = data.get("see", "")
    spellings = data.get("match", [] if see else [heading])
    if isinstance(spellings, str):
        spellings = [spellings]
    words = tuple(matching.spelling_words(s) for s in spellings)
    if any(not w for w in words):
        raise BookError(f'term "{heading}": a spelling has no words', path, line)
    subterms = tuple(_term(sub, path, text, kind) for sub in data.get("sub", []))
    see_also = data.get("see-also", [])
    return Term(heading, kind, data.get("note", ""), words, see,
                tuple([see_also] if isinstance(see_also, str) else see_also), subterms)


def load_terms(root: Path) -> TermList | None:
    """The book's term list, or None when the book has none."""
    path = data_file(root, INDEX_FILE)
    if path is None:
        return None
    data, text = parse_toml_file(path)
    terms = tuple(_term(entry, path, text) for entry in data.get("term", []))
    headings = {t.heading for t in terms}
    for term in terms:
        for target in (term.see, *term.see_also):
            if target and target not in headings:
                raise BookError(f'term "{term.heading}" refers to "{target}", which is not a heading',
                                path, line_of_key(text, "heading", term.heading))
    _refuse_see_cycles(terms, path, text)
    prefixes = tuple(data.get("sorting", {}).get("ignore-prefixes", collation.DEFAULT_IGNORED_PREFIXES))
    return TermList(terms, prefixes)


def _refuse_see_cycles(terms: tuple[Term, ...], path: Path, text: str) -> None:
    """A reader sent from term to term by `see` must reach one with pages: a chain that comes
    back to where it started (أ see ب, ب see أ; or a term that sees itself) is refused."""
    sees = {term.heading: term.see for term in terms if term.see}
    for term in terms:
        chain = [term.heading]
        while chain[-1] in sees and sees[chain[-1]] not in chain:
            chain.append(sees[chain[-1]])
        if sees.get(chain[-1]) == term.heading:
            raise BookError(f'term "{term.heading}": see leads round ({" → ".join([*chain, term.heading])}), never to '
                            "pages; give one of them its own (match) or point it elsewhere", path,
                            line_of_key(text, "heading", term.heading))


def _all_terms(terms: tuple[Term, ...]):
    for term in terms:
        yield term
        yield from _all_terms(term.subterms)


def index_book(book: Book, term_list: TermList) -> Book:
    """Anchor every occurrence of every term and attach the sorted index to the book."""
    spellings = matching.Terms((term, words) for term in _all_terms(term_list.terms) for words in term.spellings)
    found: dict[int, list[Occurrence]] = {}
    numbers = itertools.count(1)
    chapters = []
    for chapter in book.chapters:
        def anchor(_key, text, chapter=chapter):
            words = matching.tokens(text.plain)
            places: dict[int, list[str]] = {}
            for match in matching.find(words, spellings):
                anchor_id = f"ix-{next(numbers)}"
                places.setdefault(words[match.first].start, []).append(anchor_id)
                found.setdefault(id(match.key), []).append(Occurrence(anchor_id, chapter.slug))
            return text.with_anchors(places)
        chapters.append(chapter.map_texts(anchor))

    speakers = {}
    for _chapter, quotation in book.quotations:
        for name in (quotation.speaker.name, quotation.speaker.full_name):
            speakers.setdefault(matching.spelling_words(name), []).append(quotation.id)

    def entry(term: Term) -> IndexEntry:
        quotations = tuple(dict.fromkeys(q for words in term.spellings for q in speakers.get(words, ())))
        subentries = tuple(sorted((entry(s) for s in term.subterms),
                                  key=lambda e: collation.sort_key(e.heading, term_list.ignored_prefixes)))
        return IndexEntry(term.heading, term.kind, term.note, tuple(found.get(id(term), ())), subentries,
                          term.see, term.see_also, quotations)

    entries = sorted((entry(t) for t in term_list.terms),
                     key=lambda e: collation.sort_key(e.heading, term_list.ignored_prefixes))
    groups = [IndexGroup(letter, tuple(group)) for letter, group in itertools.groupby(
        entries, key=lambda e: collation.letter(e.heading, term_list.ignored_prefixes))]
    unmatched = tuple(t.heading for t in _all_terms(term_list.terms)
                      if t.spellings and not found.get(id(t)))
    return replace(book, chapters=tuple(chapters), index=Index(tuple(groups), unmatched))
