"""Inline content to (X)HTML: the one place where spans and anchors become markup."""

from __future__ import annotations

from markupsafe import Markup, escape

from typing import Any, Callable

from .model import Anchor, NoteCall, PageMark, Span, Text

_TAGS = {"em": "em", "strong": "strong", "code": "code"}


def _span(span: Span) -> str:
    if "break" in span.marks:  # a hard line break; the newline after it keeps the words apart as text
        return "<br/>\n" * len(span.text)
    html = str(escape(span.text))
    for mark in reversed(span.marks):
        tag = _TAGS[mark]
        html = f"<{tag}>{html}</{tag}>"
    if span.href is not None:
        html = f'<a href="{escape(span.href)}">{html}</a>'
    return html


def to_html(text: Text, anchors: bool = True, call: Callable[[Any, NoteCall], str] | None = None,
            chapter: Any = None) -> Markup:
    """Spans as escaped text in their tags; anchors as empty, id-carrying spans between words;
    note calls as `call(chapter, note_call)` makes them (a template's macro).

    With `anchors=False` the anchors are left out: the PDF places them from the layout
    instead (book/pdf/fixups.py), since every empty span costs WeasyPrint a text split.
    """
    return Markup("".join(str(call(chapter, part)) if isinstance(part, NoteCall) else _part(part, anchors)
                          for part in text.parts))


def page_mark(mark: PageMark) -> Markup:
    return Markup(f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{mark.number}" '
                  f'aria-label="{escape(mark.label)}"></span>')


def _part(part, anchors: bool) -> str:
    if isinstance(part, Anchor):
        return f'<span class="anchor" id="{escape(part.id)}"></span>' if anchors else ""
    if isinstance(part, PageMark):
        return page_mark(part)
    return _span(part)
