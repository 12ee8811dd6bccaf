"""The structure tree from StructTreeRoot /K, depth first, in order."""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

from .objects import as_list, name_of
from .rules import STANDARD


@dataclass
class Element:
    """A structure element reached from StructTreeRoot, with what it inherits."""
    obj: pikepdf.Dictionary
    type: str
    std: str | None
    parent: Element | None
    page: tuple | None  # objgen of its /Pg or its nearest ancestor's
    lang: bool  # /Lang on it or an ancestor
    kids: list = field(default_factory=list)
    items: list = field(default_factory=list)  # ("mcid", container objgen, MCID) or ("objr", objgen)



def standard_type(kind: str, rolemap) -> tuple[str | None, bool]:
    """The standard type `kind` role-maps to (None if none), and whether its mapping is circular."""
    seen, standard = [], None
    while kind is not None and kind not in seen:
        seen.append(kind)
        standard = standard or (kind if kind in STANDARD else None)
        kind = name_of(rolemap["/" + kind]) if "/" + kind in rolemap else None
    return standard, kind is not None



def elements_of(pdf: pikepdf.Pdf) -> list[Element]:
    """The structure elements reachable from StructTreeRoot /K, depth first, in order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    rolemap, elements, seen = root.get("/RoleMap", {}), [], set()

    def visit(obj, parent):
        if obj.objgen in seen and obj.objgen != (0, 0):
            return
        seen.add(obj.objgen)
        page = obj.Pg.objgen if "/Pg" in obj else parent.page if parent else None
        std = standard_type(name_of(obj.get("/S")), rolemap)[0]
        element = Element(obj, name_of(obj.get("/S")), std, parent, page, "/Lang" in obj or bool(parent and parent.lang))
        elements.append(element)
        parent and parent.kids.append(element)
        for kid in as_list(obj.get("/K")):
            if isinstance(kid, int):
                element.items.append(("mcid", page, kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                where = kid.Stm.objgen if "/Stm" in kid else kid.Pg.objgen if "/Pg" in kid else page
                element.items.append(("mcid", where, int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                element.items.append(("objr", kid.Obj.objgen))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                visit(kid, element)

    for kid in as_list(root.get("/K")):
        if isinstance(kid, pikepdf.Dictionary):
            visit(kid, None)
    return elements
