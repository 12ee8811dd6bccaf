"""The chronology preprocessor: dated events extracted from the chapters, anchored, ordered.

Each date the text gives becomes an event with the sentence or clause that narrates it.
`chronology.toml` in the book folder may retitle, merge or drop events by id; without it
the extraction alone gives the chronology. A pure function of the model and those edits.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import replace
from pathlib import Path
from typing import Mapping

from . import arabic
from .dates import DateMention, find_dates
from .errors import BookError
from .matching import fold, tokens
from .model import Book, Chapter, ChronologyEdits, Chronology, Event, Override, PartialDate, YearGroup

_SENTENCE_END = re.compile(r"[.!?؟]+(?=\s|$)|\n")
_CLAUSE_END = re.compile(r"[،؛;:]")
_LEADS = {fold(w) for w in arabic.LEADING_WORDS}
_BACK = {fold(w) for w in arabic.BACK_REFERENCES}
RESTATED_WITHIN = 2   # words between a relative date and the explicit date that restates it
LONG_SENTENCE = 30    # words: past this, an event is told by its clause, not its sentence


def _ranges(text: str, boundary: re.Pattern, start: int, end: int) -> list[tuple[int, int]]:
    found, cursor = [], start
    for match in boundary.finditer(text, start, end):
        found.append((cursor, match.end()))
        cursor = match.end()
    if cursor < end:
        found.append((cursor, end))
    return found


def _segments(text: str, mentions: list[tuple[int, DateMention]]) -> dict[int, tuple[int, int]]:
    """For each mention (by its offset), the stretch of text that narrates it.

    A sentence with one date is its own event text. A sentence with several is cut at
    its clause breaks: clauses before the first date go with it, later ones with the
    date before them.
    """
    result = {}
    for sentence in _ranges(text, _SENTENCE_END, 0, len(text)):
        inside = [offset for offset, _ in mentions if sentence[0] <= offset < sentence[1]]
        if len(inside) == 1 and len(text[sentence[0]:sentence[1]].split()) <= LONG_SENTENCE:
            result[inside[0]] = sentence
            continue
        clauses = _ranges(text, _CLAUSE_END, *sentence)
        owner = {}
        current = None
        for clause in clauses:
            dated = [o for o in inside if clause[0] <= o < clause[1]]
            if dated:
                current = dated[0]
                for o in dated:
                    owner.setdefault(o, []).append(clause)
            elif current is not None:
                owner[current].append(clause)
        if inside and clauses and clauses[0] not in owner.get(inside[0], []):
            leading = [c for c in clauses if c[1] <= min(c2[0] for c2 in owner[inside[0]])]
            owner[inside[0]] = leading + owner[inside[0]]
        for offset, pieces in owner.items():
            if len(inside) == 1:  # a long sentence: the date's clause and the one it leans on
                own = next(p for p in pieces if p[0] <= offset < p[1])
                pieces = [own]
                first_word = fold(text[own[0]:own[1]].split()[0]) if text[own[0]:own[1]].split() else ""
                later = [c for c in clauses if c[0] >= own[1]]
                earlier = [c for c in clauses if c[1] <= own[0]]
                if later and (first_word in _LEADS or first_word.lstrip("و") in _LEADS):
                    pieces.append(later[0])
                if earlier and (first_word in _BACK or first_word.lstrip("و") in _BACK):
                    pieces.append(earlier[-1])
            result[offset] = (min(p[0] for p in pieces), max(p[1] for p in pieces))
    return result


def _tidy(text: str) -> str:
    return text.strip().strip("،؛,;:").strip()


def _order(event: Event) -> tuple:
    part = arabic.YEAR_PARTS.get(event.qualifier, 6.5)
    return (event.date.year, event.date.month or part, event.date.day or 0)


def chronologize(book: Book, edits: ChronologyEdits = ChronologyEdits()) -> Book:
    """Anchor every dated event in the chapters and attach the ordered chronology to the book,
    with the book's edits (chronology.toml, read by book/load/overrides.py) applied."""
    overrides = edits.overrides
    events: list[Event] = []
    doubts: list[tuple[str, str]] = []  # (event id, warning)
    used_ids: set[str] = set()
    chapters = []
    for chapter in book.chapters:
        previous: list[PartialDate | None] = [None]

        def anchor(key, text, chapter=chapter, previous=previous):
            words = tokens(text.plain)
            mentions = find_dates(words, chapter.date, previous[0])
            # A relative date that an explicit one follows at once only restates it:
            # "قبل عام، في 23 آذار/مارس 2019".
            kept = []
            for mention, following in zip(mentions, [*mentions[1:], None]):
                if (mention.relative and mention.date.month is None and following is not None
                        and not following.relative and following.first - mention.last <= RESTATED_WITHIN
                        and not _SENTENCE_END.search(text.plain, words[mention.last - 1].end,
                                                     words[following.first].start)):
                    continue
                kept.append((words[mention.first].start, mention))
            for _, mention in kept:
                if not mention.relative or mention.date.month is not None:
                    previous[0] = mention.date
            segments = _segments(text.plain, kept)
            places = {}
            for offset, mention in kept:
                base = f"{chapter.slug}-{mention.date.iso()}"
                event_id = base if base not in used_ids else next(
                    f"{base}-{n}" for n in itertools.count(2) if f"{base}-{n}" not in used_ids)
                used_ids.add(event_id)
                anchor_id = f"ev-{event_id}"
                places.setdefault(offset, []).append(anchor_id)
                start, end = segments[offset]
                expression = text.plain[offset:words[mention.last - 1].end]
                events.append(Event(event_id, mention.date, _tidy(text.plain[start:end]), expression,
                                    chapter.slug, anchor_id, mention.qualifier, mention.relative))
                if mention.doubt:
                    doubts.append((event_id, _warning(chapter, key, expression, mention.doubt)))
            return text.with_anchors(places)

        chapters.append(chapter.map_texts(anchor))

    events = _apply(events, overrides, edits.path)
    ordered = sorted(events, key=_order)
    years = tuple(YearGroup(year, tuple(group))
                  for year, group in itertools.groupby(ordered, key=lambda e: e.date.year))
    # An event chronology.toml drops or merges away no longer shows its doubtful date.
    listed = {e.id for e in events}
    warnings = tuple(message for event_id, message in doubts if event_id in listed)
    return replace(book, chapters=tuple(chapters), chronology=Chronology(years, warnings))


def _warning(chapter: Chapter, key: str, expression: str, doubt: str) -> str:
    """`path:line: «expression»: doubt`, the line being the block's (its key, see map_texts)."""
    line = chapter.line_of(key)
    where = f"{chapter.path}:{line}" if line else f"{chapter.path}"
    return f"{where}: «{expression}»: {doubt}"


def _apply(events: list[Event], overrides: Mapping[str, Override], path: Path | None) -> list[Event]:
    known = {e.id for e in events}
    for override in overrides.values():
        if override.id not in known:
            close = difflib.get_close_matches(override.id, sorted(known), n=1)
            hint = f'did you mean "{close[0]}"?' if close else "ids are listed in <slug>.chronology.json"
            raise BookError(f'no event "{override.id}" ({hint})', path, override.line)
        if override.merge_into and override.merge_into not in known:
            raise BookError(f'event "{override.id}" merges into unknown "{override.merge_into}"', path, override.line)
    result = []
    for event in events:
        override = overrides.get(event.id)
        if override and (override.drop or override.merge_into):
            continue
        if override and override.title:
            event = replace(event, text=override.title)
        result.append(event)
    return result
