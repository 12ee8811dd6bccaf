"""The structure tree WeasyPrint writes, made lean before parts are joined.

WeasyPrint tags every line of text as a Span of its own, and leaves a NonStruct wherever an
inline box held nothing or only grouped other boxes. A Span that carries no attribute says
nothing a reader needs: its marked content belongs to the paragraph or heading around it, and
a NonStruct's children are, by definition, read as its parent's. Folding both away halves
the objects of a tagged book (which the join holds in memory all at once) and keeps every
piece of content tagged: each marked-content id moves to the element that held the Span, and
the parent tree follows.

Lists are put in the shape PDF/UA-1 asks for (ISO 14289-1 7.2, veraPDF's 7.2-20: an LI holds
only Lbl and LBody). WeasyPrint makes an LBody only of an item's anonymous block (a tight
item, <li>text</li>); an item of paragraphs (<li><p>…</p></li>, which the templates write for
every list) comes out as LI holding Lbl and P. And it hangs a nested list beside its item, in
the outer L (allowed by 7.2-19), where a reader learns from the nesting whose sub-list it is.
Here whatever an LI holds besides its Lbl goes, in order, into one LBody, and a nested L goes
into the LBody of the item before it.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import pikepdf

_BARE = {"/Type", "/S", "/P", "/Pg", "/K"}  # a structure element's keys that are not attributes


def _bare(element: pikepdf.Object, kind: str) -> bool:
    return isinstance(element, pikepdf.Dictionary) and element.get("/S") == kind \
        and set(element.keys()) <= _BARE


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(kid: object) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem


def _same_page(kid: pikepdf.Dictionary, parent: pikepdf.Dictionary) -> bool:
    return "/Pg" in kid and "/Pg" in parent and kid.Pg.objgen == parent.Pg.objgen


def _is_kind(kid: object, kind: str) -> bool:
    return _is_element(kid) and kid.get("/S") == kind


def _is_annotation(kid: object) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"


def _direct(reference: pikepdf.Dictionary, element: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """An object reference held in its element rather than as an object of its own: an index
    has thousands (one per locator), and the join holds every object of the book at once. Its
    page is its element's unless it says otherwise."""
    kept = pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=reference.Obj)
    if "/Pg" in reference and not ("/Pg" in element and reference.Pg.objgen == element.Pg.objgen):
        kept.Pg = reference.Pg
    return kept


def _new_element(pdf: pikepdf.Pdf, kind: str, parent: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """An empty indirect structure element in `parent`, on its page."""
    element = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(kind), P=parent, K=pikepdf.Array())
    if "/Pg" in parent:
        element.Pg = parent.Pg
    return pdf.make_indirect(element)


def _nest_sublists(kids: list) -> list:
    """An L's kids with each L that follows an LI moved to the end of that LI. WeasyPrint puts a
    nested list right after the item that holds it in HTML; on a page the item continues onto,
    the item may be empty but is there. An L with no LI before it stays where it is."""
    result: list = []
    for kid in kids:
        if _is_kind(kid, "/L") and result and _is_kind(result[-1], "/LI"):
            result[-1].K = pikepdf.Array([*_kids(result[-1]), kid])
        else:
            result.append(kid)
    return result


def _one_body(pdf: pikepdf.Pdf, item: pikepdf.Dictionary, kids: list) -> list:
    """An LI's kids as its Lbls, then one new LBody holding the rest in order. An LBody among
    the rest (a tight item's text, or text around a nested list) gives its kids instead: an
    LBody belongs in an LI only (7.2-18). An OBJR stays: it is no element, and its annotation's
    parent-tree entry names the LI. An LI already holding nothing but one LBody is left as is."""
    labels = [kid for kid in kids if _is_kind(kid, "/Lbl")]
    links = [kid for kid in kids if _is_annotation(kid)]
    rest = [kid for kid in kids if not _is_kind(kid, "/Lbl") and not _is_annotation(kid)]
    if not rest or len(rest) == 1 and _is_kind(rest[0], "/LBody"):
        return kids
    body = _new_element(pdf, "/LBody", item)
    held: list = []
    for kid in rest:
        # Its marked content is on the LI's page, so the new LBody's /Pg still finds it.
        held += _kids(kid) if _bare(kid, "/LBody") and _same_page(kid, item) else [kid]
    body.K = pikepdf.Array(held)
    return [*labels, body, *links]


def simplify_structure(pdf: pikepdf.Pdf) -> None:
    """Fold bare Spans and NonStructs into their parents when on the same page (WeasyPrint
    opens an element per page, so they are) and holding only marked-content ids and elements
    (not an annotation or a reference to content elsewhere); give each LI one LBody and each
    nested list a place in it (see the module's note). The parent tree is rebuilt: each
    marked-content id maps to the element that holds it now (an LBody, for one an LI held)."""
    if "/StructTreeRoot" not in pdf.Root:
        return
    root = pdf.Root.StructTreeRoot
    holders: dict[tuple[int, int], dict[int, pikepdf.Dictionary]] = {}  # page -> id -> element

    def folded(parent: pikepdf.Dictionary, kids: list) -> list:
        result = []
        for kid in kids:
            if _is_element(kid) and (_bare(kid, "/Span") or _bare(kid, "/NonStruct")) and _same_page(kid, parent) \
                    and all(isinstance(item, int) or _is_element(item) for item in _kids(kid)):
                result += folded(parent, _kids(kid))
            else:
                result.append(rewrite(kid) if _is_element(kid) else kid)
        return result

    def rewrite(element: pikepdf.Dictionary) -> pikepdf.Dictionary:
        kids = _kids(element)
        # Regrouped before folding, so the LBody, not the LI, takes in a bare Span's content
        # and is what `holders` records.
        if element.get("/S") == "/L":
            kids = _nest_sublists(kids)
        elif element.get("/S") == "/LI":
            kids = _one_body(pdf, element, kids)
        kids = [_direct(kid, element) if _is_annotation(kid) and kid.is_indirect else kid
                for kid in folded(element, kids)]
        for kid in kids:
            if _is_element(kid):
                kid.P = element
            elif isinstance(kid, int):
                holders.setdefault(element.Pg.objgen, {})[kid] = element
        element.K = pikepdf.Array(kids)
        return element

    for top in _kids(root):
        rewrite(top)
    keys = {int(page.StructParents): page for page in pdf.pages if "/StructParents" in page}
    nums = list(root.ParentTree.Nums)
    for position in range(0, len(nums), 2):
        page = keys.get(int(nums[position]))
        if page is None or not isinstance(nums[position + 1], pikepdf.Array):
            continue
        by_id = holders.get(page.obj.objgen, {})
        # Every id has an element the tree reaches: the margin boxes, which WeasyPrint hung from
        # no element, are drawn as artifacts (margins_as_pagination); anything else left out
        # is a fault the PDF/UA check reports (tests/test_pdfua.py), not hidden as an artifact.
        nums[position + 1] = pikepdf.Array([by_id.get(mcid, element) for mcid, element in enumerate(nums[position + 1])])
    root.ParentTree.Nums = pikepdf.Array(nums)


@contextlib.contextmanager
def margins_as_pagination() -> Iterator[None]:
    """While a tagged document is written, its pages' margin boxes (running heads, folios) are
    drawn as pagination artifacts from the start, no marked-content id given and no element
    made for them: WeasyPrint would tag them as content hung from no element, which
    `simplify_structure` then had to find and rewrite in every page's content stream (about 4%
    of a long book's build)."""
    import pydyf
    from weasyprint import draw
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.pdf import tags

    plain_draw, plain_tree = draw.draw_stacking_context, tags._build_box_tree

    def draw_stacking_context(stream, stacking_context):
        if not isinstance(stacking_context.box, MarginBox) or stream._tags is None:
            return plain_draw(stream, stacking_context)
        held, stream._tags = stream._tags, None  # nothing inside marked as content
        stream.begin_marked_content("Artifact", pydyf.Dictionary({"Type": "/Pagination"}))
        try:
            return plain_draw(stream, stacking_context)
        finally:
            stream.end_marked_content()
            stream._tags = held

    def build_box_tree(box, *rest):
        if not isinstance(box, MarginBox):  # a margin box: no element, nothing of it marked
            yield from plain_tree(box, *rest)

    draw.draw_stacking_context, tags._build_box_tree = draw_stacking_context, build_box_tree
    try:
        yield
    finally:
        draw.draw_stacking_context, tags._build_box_tree = plain_draw, plain_tree
