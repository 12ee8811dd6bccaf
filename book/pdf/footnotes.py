"""Footnotes in WeasyPrint: kept on the page of their call, tagged Note and Reference.

A note on its call's page. When a paragraph's line does not fit at a page's foot and the
paragraph may not break before it (orphans), WeasyPrint moves the page's last footnotes, called
by earlier lines, to the next page to make room for the line (layout/block.py, _linebox_layout:
`report = …`). Their calls stay behind. Here that choice is never made: the paragraph breaks
as it would without notes (its lines go on to the next page), and a note leaves its call's page
only with its call's line (`footnote-policy: line`). The one statement is changed in the
function's own source, checked to be there: a WeasyPrint that no longer has it fails loudly.

Tags. WeasyPrint tags elements by their HTML name and calls every other name NonStruct. The
templates set a note as <book-note> and its call as <book-ref> (names HTML's parser leaves
inside a paragraph, where <aside> would end it); this module names their elements, and gives
each Note the ID PDF/UA asks for (ISO 14289-1 7.9): the note's own id, unique in the book.
"""

from __future__ import annotations

import inspect
import textwrap

import pydyf
from weasyprint.layout import block as weasy_block
from weasyprint.pdf import tags as weasy_tags

ELEMENTS = {"book-note": "Note", "book-ref": "Reference"}
_REPORT = "report = not context.in_column and can_break_now and not could_break_before"


def install() -> None:
    """Keep notes with their calls, and name their elements; once per process."""
    if getattr(weasy_tags._build_box_tree, "names_notes", False):
        return
    _keep_notes_with_calls()
    _tag_notes()


def _keep_notes_with_calls() -> None:
    source = textwrap.dedent(inspect.getsource(weasy_block._linebox_layout))
    if source.count(_REPORT) != 1:
        raise RuntimeError("WeasyPrint's _linebox_layout has changed: book/pdf/footnotes.py must be looked at again")
    namespace: dict = {}
    code = compile(source.replace(_REPORT, "report = False"), inspect.getsourcefile(weasy_block), "exec")
    exec(code, weasy_block.__dict__, namespace)  # noqa: S102 - WeasyPrint's own function, one statement changed
    weasy_block._linebox_layout = namespace["_linebox_layout"]


def _tag_notes() -> None:
    name, build = weasy_tags._get_pdf_tag, weasy_tags._build_box_tree

    def pdf_tag(tag):
        return ELEMENTS.get(tag) or name(tag)

    def build_box_tree(box, parent, *rest):
        # Called again for each child (the module's own name): every box passes here.
        for element in build(box, parent, *rest):
            if element["S"] == "/Note":
                if parent["S"] == "/Note":  # an anonymous box in the note: read as the note's
                    element["S"] = "/NonStruct"
                elif box.element is not None and box.element.get("id"):
                    element["ID"] = pydyf.String(box.element.get("id"))
            yield element

    build_box_tree.names_notes = True
    weasy_tags._get_pdf_tag, weasy_tags._build_box_tree = pdf_tag, build_box_tree
