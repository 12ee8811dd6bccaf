"""The index preprocessor: a curated term list in, every occurrence found and anchored.

The term list (`index.toml` in the book folder, read by book/load/terms.py) is the source of
truth for what is indexed; where each term stands is found in the text, never typed by hand.
A pure function of the model and the term list.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from . import collation, matching
from .model import Book, Index, IndexEntry, IndexGroup, Occurrence, Term, TermList


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
