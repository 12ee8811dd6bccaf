"""The structure tree WeasyPrint writes, made lean before parts are joined.

WeasyPrint tags every line of text as a Span of its own, and leaves a NonStruct wherever an
inline box held nothing or only grouped other boxes. A Span that carries no attribute says
nothing a reader needs: its marked content belongs to the paragraph or heading around it, and
a NonStruct's children are, by definition, read as its parent's. Folding both away halves
the objects of a tagged book (which the join holds in memory all at once) and keeps every
piece of content tagged: each marked-content id moves to the element that held the Span, and
the parent tree follows.
"""

from __future__ import annotations

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


def simplify_structure(pdf: pikepdf.Pdf) -> None:
    """Fold bare Spans and NonStructs into their parents when on the same page (WeasyPrint
    opens an element per page, so they are) and holding only marked-content ids and elements
    (not an annotation or a reference to content elsewhere). The parent tree is rebuilt."""
    if "/StructTreeRoot" not in pdf.Root:
        return
    root = pdf.Root.StructTreeRoot
    holders: dict[tuple[int, int], dict[int, pikepdf.Dictionary]] = {}  # page -> id -> element
    seen: set[tuple[int, int]] = set()  # elements kept or folded away

    def folded(parent: pikepdf.Dictionary, kids: list) -> list:
        result = []
        for kid in kids:
            if _is_element(kid) and (_bare(kid, "/Span") or _bare(kid, "/NonStruct")) and _same_page(kid, parent) \
                    and all(isinstance(item, int) or _is_element(item) for item in _kids(kid)):
                seen.add(kid.objgen)
                result += folded(parent, _kids(kid))
            else:
                result.append(rewrite(kid) if _is_element(kid) else kid)
        return result

    def rewrite(element: pikepdf.Dictionary) -> pikepdf.Dictionary:
        seen.add(element.objgen)
        kids = folded(element, _kids(element))
        for kid in kids:
            if _is_element(kid):
                kid.P = element
            elif isinstance(kid, int):
                holders.setdefault(element.Pg.objgen, {})[kid] = element
        element.K = pikepdf.Array(kids)
        return element

    for top in _kids(root):
        rewrite(top)
    keys = {int(page.StructParents): page.objgen for page in pdf.pages if "/StructParents" in page}
    nums = list(root.ParentTree.Nums)
    # A page's margin boxes (folio, running head) hang from the Document without being among
    # its kids: reached only from the parent tree, and folded the same way.
    for position in range(0, len(nums), 2):
        if int(nums[position]) in keys and isinstance(nums[position + 1], pikepdf.Array):
            for held in nums[position + 1]:
                if _is_element(held) and held.objgen not in seen and _is_element(held.get("/P")) \
                        and held.P.objgen not in seen and held.P.S != "/Document":
                    rewrite(held.P)
    for position in range(0, len(nums), 2):
        objgen = keys.get(int(nums[position]))
        if objgen is not None and isinstance(nums[position + 1], pikepdf.Array):
            by_id = holders.get(objgen, {})
            nums[position + 1] = pikepdf.Array(
                [by_id.get(mcid, held) for mcid, held in enumerate(nums[position + 1])])
    root.ParentTree.Nums = pikepdf.Array(nums)
