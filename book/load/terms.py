"""index.toml: the index's term list, checked (every heading, kind, spelling and reference)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

from .. import collation, matching
from ..errors import BookError
from ..model import IndexKind, Term, TermList
from .text_files import data_file, line_of_key, parse_toml_file, unknown_key_message

KINDS = get_args(IndexKind)


INDEX_FILE = "index.toml"


_TERM_KEYS = {"heading", "kind", "note", "match", "see", "see-also", "sub"}


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
    return TermList(terms, prefixes, path)


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
