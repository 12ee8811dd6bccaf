"""A PDF/UA-1 checker: the machine-checkable rules of veraPDF's PDF/UA-1 profile, with pikepdf.

`check_pdfua(path)` returns the `Violation`s of every rule in `COVERED`; `NOT_COVERED` says, for
each other rule of the profile, why it is left out (mostly: it needs the font program, the
table grid, or features our books never write).  How:

* one pass over every page content stream and every form XObject it draws (each parsed once):
  a stack of BDC/BMC marks says whether each painting operator is tagged (an enclosing /MCID)
  or an Artifact (7.1-1..3), and collects the MCIDs, the glyph codes shown per font (7.21.*)
  and the text of each MCID (`reading_order`);
* one depth-first walk of the structure tree, in order, from StructTreeRoot /K: role mapping
  (7.1-5..7), parent/kid rules of lists, tables and TOCs (7.2), headings (7.4), Figure,
  Formula and Note (7.3, 7.7, 7.9), languages (7.2);
* catalog, XMP, annotation, font and file-specification dictionaries for the rest.

Beside the profile, three checks the issue asks for: "mcid-reachable" (every MCID in content
maps through /StructParents and the ParentTree to a reachable element that lists it),
"parent-tree" (every ParentTree entry points to an element that lists that MCID or OBJR) and
"link-text" (every Link element has, besides its OBJR, an MCID in its subtree or an /Alt).
Violations are counted per rule and page where a rule could fire thousands of times.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pikepdf


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str


STANDARD = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 "
    "H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry "
    "Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form".split())

COVERED = {
    "5-1": "XMP has a pdfuaid:part property", "5-2": "pdfuaid:part is 1",
    "5-3": "pdfuaid:part has the pdfuaid prefix", "5-4": "pdfuaid:amd, if any, has the pdfuaid prefix",
    "5-5": "pdfuaid:corr, if any, has the pdfuaid prefix",
    "6.1-1": "the header is %PDF-1.[0-7] and an end of line",
    "6.2-1": "catalog /MarkInfo /Marked is true",
    "7.1-1": "no Artifact mark inside content with an MCID",
    "7.1-2": "no MCID mark inside an Artifact",
    "7.1-3": "every painting operator (text, path, image, shading, form) is tagged or Artifact",
    "7.1-4": "/MarkInfo /Suspects is not true", "7.1-5": "every non-standard type role-maps to a standard one",
    "7.1-6": "no circular role mapping", "7.1-7": "no standard type is remapped (for types used)",
    "7.1-8": "catalog /Metadata is a /Metadata /XML stream", "7.1-9": "XMP has dc:title",
    "7.1-10": "/ViewerPreferences /DisplayDocTitle is true", "7.1-11": "catalog has /StructTreeRoot",
    "7.1-12": "every structure element has /P",
    "7.2-2": "outline present: catalog /Lang set",
    "7.2-3": "Table kids: TR THead TBody TFoot Caption", "7.2-4": "TR in Table/THead/TBody/TFoot",
    "7.2-5": "THead in Table", "7.2-6": "TBody in Table", "7.2-7": "TFoot in Table",
    "7.2-8": "TH in TR", "7.2-9": "TD in TR", "7.2-10": "TR kids: TH TD",
    "7.2-11": "at most one THead", "7.2-12": "at most one TFoot", "7.2-13": "TFoot needs TBody",
    "7.2-14": "THead needs TBody", "7.2-16": "Table Caption first or last",
    "7.2-17": "LI in L", "7.2-18": "LBody in LI", "7.2-19": "L kids: L LI Caption",
    "7.2-20": "LI kids: Lbl LBody", "7.2-21": "ActualText: Lang on element, ancestor or catalog",
    "7.2-22": "Alt: Lang on element, ancestor or catalog", "7.2-23": "E: Lang on element, ancestor or catalog",
    "7.2-24": "annotation Contents: Lang on annotation or catalog",
    "7.2-25": "form field TU: Lang on field or catalog", "7.2-26": "TOCI in TOC",
    "7.2-27": "TOC kids: TOC TOCI Caption", "7.2-28": "TOC Caption only first",
    "7.2-29": "every /Lang (catalog, element, property list) is a language tag",
    "7.2-30": "Span mark ActualText: Lang determined", "7.2-31": "Span mark Alt: Lang determined",
    "7.2-32": "Span mark E: Lang determined", "7.2-33": "XMP x-default texts: catalog /Lang set",
    "7.2-34": "text: catalog /Lang, or Lang on its mark or element", "7.2-36": "THead kids: TR",
    "7.2-37": "TBody kids: TR", "7.2-38": "TFoot kids: TR", "7.2-39": "at most one Table Caption",
    "7.2-40": "L Caption only first", "7.3-1": "Figure has a non-empty Alt or an ActualText",
    "7.4.2-1": "headings in tree order: the first is H1, each at most one level below the last",
    "7.4.4-1": "at most one H kid per element", "7.4.4-2": "no H when Hn are used",
    "7.4.4-3": "no Hn when H is used", "7.7-1": "Formula has a non-empty Alt or an ActualText",
    "7.9-1": "Note has a non-empty /ID", "7.9-2": "Note IDs are unique",
    "7.10-1": "optional content configurations have a /Name", "7.10-2": "and no /AS",
    "7.11-1": "file specifications with /EF have non-empty /F and /UF",
    "7.15-1": "no XFA with dynamicRender required", "7.16-1": "encrypted: P has bit 10 set",
    "7.18.1-1": "visible annotations other than Widget/Link/PrinterMark are in Annot elements",
    "7.18.1-2": "visible non-Widget annotations have Contents or Alt on their element",
    "7.18.1-3": "visible Widgets have a field TU or Alt on their element",
    "7.18.2-1": "no visible TrapNet annotations", "7.18.3-1": "pages with annotations have /Tabs /S",
    "7.18.4-1": "visible Widgets are in Form elements",
    "7.18.4-2": "Form without Role attribute has one kid, an OBJR",
    "7.18.5-1": "visible Links are in Link elements", "7.18.5-2": "visible Links have Contents",
    "7.18.8-1": "visible PrinterMark annotations are not in the structure tree",
    "7.20-1": "no reference XObjects (/Ref)",
    "7.20-2": "a form XObject holding MCIDs is drawn once only",
    "7.21.3.1-1": "Type0 with a non-Identity CMap: CIDSystemInfo registry/ordering/supplement agree",
    "7.21.3.2-1": "embedded CIDFontType2 has /CIDToGIDMap",
    "7.21.3.3-1": "Type0 CMaps are predefined or embedded", "7.21.3.3-2": "embedded CMap WMode agrees",
    "7.21.3.3-3": "embedded CMaps /UseCMap only predefined ones",
    "7.21.4.1-1": "fonts drawn in a mode other than 3 embed FontFile/FontFile2/FontFile3",
    "7.21.6-2": "non-symbolic TrueType: MacRoman/WinAnsi encoding (Differences not audited)",
    "7.21.6-3": "symbolic TrueType: no /Encoding",
    "7.21.7-1": "every code shown maps in the font's ToUnicode (bfchar/bfrange)",
    "7.21.7-2": "no code shown maps to U+0000, U+FEFF or U+FFFE",
    "7.21.8-1": "no code shown is .notdef (CID 0 / GID 0 in CID fonts, Differences name in others)",
}
_PROGRAM = "font program checks: done by tests/test_pdf.py (fontTools on the embedded subsets)"
_GRID = "needs the table grid with row/column spans; our books write no tables (run veraPDF if they do)"
NOT_COVERED = {
    "7.2-15": _GRID, "7.2-41": _GRID, "7.2-42": _GRID, "7.2-43": _GRID, "7.5-1": _GRID, "7.5-2": _GRID,
    "7.18.6.2-1": "we embed no media clips (no Screen/Rendition annotations)",
    "7.18.6.2-2": "we embed no media clips (no Screen/Rendition annotations)",
    "7.21.4.1-2": _PROGRAM + ": every glyph drawn is in the subset",
    "7.21.4.2-1": "we embed no Type 1 fonts; a CharSet check needs the font program",
    "7.21.4.2-2": _PROGRAM + "; a CIDSet check needs the program's glyph list",
    "7.21.5-1": _PROGRAM + "; widths need the program's hmtx",
    "7.21.6-1": _PROGRAM + "; needs the program's cmap subtables (we embed CID fonts)",
    "7.21.6-4": _PROGRAM + "; needs the program's cmap subtables (we embed CID fonts)",
}
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}
_PREDEFINED_CMAP = re.compile(
    r"Identity-[HV]|(GB|GBpc|GBK|GBKp|CNS|KSC|KSCpc)-EUC-[HV]|GBK2K-[HV]|Uni(GB|CNS|KS)-(UCS2|UTF16)-[HV]|"
    r"(B5pc|HKscs-B5|ETen-B5|ETenms-B5)-[HV]|83pv-RKSJ-H|90ms-RKSJ-[HV]|90msp-RKSJ-[HV]|90pv-RKSJ-H|"
    r"(Add|Ext)-RKSJ-[HV]|EUC-[HV]|[HV]|UniJIS-(UCS2|UCS2-HW|UTF16)-[HV]|KSCms-UHC(-HW)?-[HV]")
_KIDS_ONLY = {"Table": ("7.2-3", {"TR", "THead", "TBody", "TFoot", "Caption"}), "TR": ("7.2-10", {"TH", "TD"}),
              "L": ("7.2-19", {"L", "LI", "Caption"}), "LI": ("7.2-20", {"Lbl", "LBody"}),
              "TOC": ("7.2-27", {"TOC", "TOCI", "Caption"}), "THead": ("7.2-36", {"TR"}),
              "TBody": ("7.2-37", {"TR"}), "TFoot": ("7.2-38", {"TR"})}
_PARENT = {"TR": ("7.2-4", {"Table", "THead", "TBody", "TFoot"}), "THead": ("7.2-5", {"Table"}),
           "TBody": ("7.2-6", {"Table"}), "TFoot": ("7.2-7", {"Table"}), "TH": ("7.2-8", {"TR"}),
           "TD": ("7.2-9", {"TR"}), "LI": ("7.2-17", {"L"}), "LBody": ("7.2-18", {"LI"}),
           "TOCI": ("7.2-26", {"TOC"})}


def _name(value) -> str:
    return str(value)[1:] if isinstance(value, pikepdf.Name) else str(value or "")


def _list(value) -> list:
    return list(value) if isinstance(value, pikepdf.Array) else [] if value is None else [value]


def _number_tree(node, seen=None) -> dict[int, object]:
    """A number tree's entries, from /Nums and /Kids at any depth."""
    seen = set() if seen is None else seen
    if node is None or node.objgen in seen and node.objgen != (0, 0):
        return {}
    seen.add(node.objgen)
    nums = list(node.get("/Nums", []))
    entries = {int(k): v for k, v in zip(nums[::2], nums[1::2])}
    for kid in node.get("/Kids", []):
        entries.update(_number_tree(kid, seen))
    return entries


def _read_cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's code -> text, from bfchar and both forms of bfrange."""
    text = lambda hexa: bytes.fromhex(hexa.decode()).decode("utf-16-be", "replace")  # noqa: E731
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, dest in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(code, 16)] = text(dest)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dest in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])", block):
            low, high = int(low, 16), int(high, 16)
            if dest.startswith(b"["):
                mapping.update(zip(range(low, high + 1), map(text, re.findall(rb"<([0-9a-fA-F]*)>", dest))))
            else:
                start = bytes.fromhex(dest[1:-1].decode())
                for offset in range(high - low + 1):  # the last byte counts up
                    last = bytes([start[-1] + offset & 0xFF])
                    mapping[low + offset] = (start[:-1] + last).decode("utf-16-be", "replace")
    return mapping


@dataclass
class _Font:
    """A font as drawn: its codes shown, and whether it is ever rendered (mode other than 3)."""
    obj: pikepdf.Dictionary
    codes: set = field(default_factory=set)
    rendered: bool = False
    _unicode: dict | None = None

    @property
    def composite(self) -> bool:
        return self.obj.get("/Subtype") == "/Type0"

    def split(self, data: bytes) -> list[int]:
        # Identity-H/V and our embedded CMaps use two-byte codes; simple fonts one byte.
        if not self.composite:
            return list(data)
        return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]

    @property
    def unicode(self) -> dict[int, str]:
        if self._unicode is None:
            stream = self.obj.get("/ToUnicode")
            self._unicode = _read_cmap(stream.read_bytes()) if isinstance(stream, pikepdf.Stream) else {}
        return self._unicode


@dataclass
class _Scan:
    """What the content streams hold."""
    violations: list = field(default_factory=list)
    mcids: dict = field(default_factory=dict)  # (container objgen, MCID) -> (StructParents key, where)
    text: dict = field(default_factory=lambda: defaultdict(list))  # (container objgen, MCID) -> texts
    fonts: dict = field(default_factory=dict)  # objgen -> _Font
    form_draws: Counter = field(default_factory=Counter)
    forms_with_mcids: dict = field(default_factory=dict)  # objgen -> where
    unlabelled: list = field(default_factory=list)  # text with no Lang on its marks: (container, MCID, where)
    parsed: dict = field(default_factory=dict)
    catalog_lang: bool = True


def _scan(pdf: pikepdf.Pdf) -> _Scan:
    scan = _Scan(catalog_lang=bool(str(pdf.Root.get("/Lang", ""))))
    for number, page in enumerate(pdf.pages, start=1):
        _walk(scan, page.obj, page.obj, page.obj.get("/Resources", {}), f"page {number}", [], set())
    return scan


def _walk(scan, container, source, resources, where, marks, drawing):
    """Follow one content stream; `marks` are the (tag, MCID, has Lang) marks open around it."""
    fresh = container.objgen not in scan.parsed  # a form drawn again adds no MCIDs or text
    if fresh:
        scan.parsed[container.objgen] = pikepdf.parse_content_stream(source)
    marks, state, stack, untagged = list(marks), {"font": None, "mode": 0}, [], Counter()
    for operands, operator in scan.parsed[container.objgen]:
        op = str(operator)
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" else {}
            if isinstance(props, pikepdf.Name):
                props = resources.get("/Properties", {}).get(props, {})
            _open_mark(scan, container, marks, _name(operands[0]), props, where)
        elif op == "EMC":
            marks and marks.pop()
        elif op in ("q", "Q"):
            stack.append(dict(state)) if op == "q" else stack and state.update(stack.pop())
        elif op == "Tf":
            font = resources.get("/Font", {}).get(operands[0])
            state["font"] = scan.fonts.setdefault(font.objgen, _Font(font)) if font is not None else None
        elif op == "Tr":
            state["mode"] = int(operands[0])
        if op not in _PAINT:
            continue
        if not any(m[1] is not None or m[0] == "Artifact" for m in marks):
            untagged[op] += 1
        if op == "Do":
            _draw(scan, resources.get("/XObject", {}).get(operands[0]), marks, where, drawing)
        elif op in ("Tj", "TJ", "'", '"') and state["font"] is not None:
            _show(scan, container, state, operands[-1], marks, where, fresh)
    if untagged:
        scan.violations.append(Violation("7.1-3", f"{where}: {sum(untagged.values())} content items neither "
                                                  f"tagged nor Artifact ({', '.join(untagged)})"))


def _open_mark(scan, container, marks, tag, props, where):
    mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
    lang = props.get("/Lang") if isinstance(props, pikepdf.Dictionary) else None
    tagged = any(m[1] is not None for m in marks)
    if tag == "Artifact" and (tagged or mcid is not None):
        scan.violations.append(Violation("7.1-1", f"{where}: Artifact inside tagged content"))
    if mcid is not None:
        if any(m[0] == "Artifact" for m in marks):
            scan.violations.append(Violation("7.1-2", f"{where}: MCID {mcid} inside an Artifact"))
        key = container.get("/StructParents")
        scan.mcids.setdefault((container.objgen, int(mcid)), (None if key is None else int(key), where))
        if container.get("/Type") != "/Page":
            scan.forms_with_mcids[container.objgen] = where
    if lang is not None:
        _check_lang(scan.violations, lang, f"{where}: marked content {tag}")
    for key, rule in (("/ActualText", "7.2-30"), ("/Alt", "7.2-31"), ("/E", "7.2-32")):
        if tag == "Span" and isinstance(props, pikepdf.Dictionary) and key in props and lang is None \
                and not any(m[2] for m in marks) and scan.catalog_lang is False:
            scan.violations.append(Violation(rule, f"{where}: Span mark with {key} and no language"))
    marks.append((tag, None if mcid is None else int(mcid), lang is not None))


def _draw(scan, xobject, marks, where, drawing):
    if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form":
        return
    if "/Ref" in xobject:
        scan.violations.append(Violation("7.20-1", f"{where}: reference XObject"))
    scan.form_draws[xobject.objgen] += 1
    if xobject.objgen not in drawing:  # a form that draws itself would never end
        _walk(scan, xobject, xobject, xobject.get("/Resources", {}), f"{where}, form XObject {xobject.objgen}",
              marks, drawing | {xobject.objgen})


def _show(scan, container, state, operand, marks, where, fresh):
    font = state["font"]
    strings = [s for s in operand if isinstance(s, pikepdf.String)] if isinstance(operand, pikepdf.Array) else [operand]
    codes = [code for s in strings for code in font.split(bytes(s))]
    font.codes.update(codes)
    font.rendered |= state["mode"] != 3
    mcid = next((m[1] for m in reversed(marks) if m[1] is not None), None)
    if mcid is not None and fresh:
        scan.text[container.objgen, mcid].append(_logical([font.unicode.get(code, "") for code in codes]))
    if codes and not scan.catalog_lang and not any(m[2] for m in marks):
        scan.unlabelled.append((container.objgen, mcid, where))


def _kind(glyph: str) -> str:
    """R for Arabic letters, L for Latin letters and digits (numbers run left to right), N otherwise."""
    if re.search(r"[\u0600-\u065f\u066e-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe]", glyph):
        return "R"
    return "L" if re.search(r"[0-9A-Za-z\u00c0-\u024f\u0660-\u0669\u06f0-\u06f9]", glyph) else "N"


def _logical(glyphs: list[str]) -> str:
    """One shown run's text in logical order.  Runs with Arabic are drawn in visual order: reverse
    the glyphs (not the characters: a ligature's text stays whole), turn back each stretch from
    one L glyph to another L glyph with only neutrals between (numbers, Latin words), and mirror
    brackets left outside those stretches."""
    kinds = [_kind(g) for g in glyphs]
    if "R" not in kinds:
        return "".join(glyphs)
    glyphs, kinds, out, i = glyphs[::-1], kinds[::-1], [], 0
    while i < len(glyphs):
        if kinds[i] == "L":
            end = max(j for j in range(i, len(glyphs)) if kinds[j] == "L" and "R" not in kinds[i:j])
            out += glyphs[i:end + 1][::-1]
            i = end + 1
        else:
            out.append(glyphs[i].translate(_MIRROR))
            i += 1
    return "".join(out)


_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _check_lang(violations, lang, where):
    if not _LANG.match(str(lang)):
        violations.append(Violation("7.2-29", f"{where}: /Lang {str(lang)!r} is not a language tag"))


@dataclass
class _Elem:
    """A structure element reached from StructTreeRoot, with what it inherits."""
    obj: pikepdf.Dictionary
    type: str
    std: str | None
    parent: _Elem | None
    page: tuple | None  # objgen of its /Pg or its nearest ancestor's
    lang: bool  # /Lang on it or an ancestor
    kids: list = field(default_factory=list)
    items: list = field(default_factory=list)  # ("mcid", container objgen, MCID) or ("objr", objgen)


def _standard(kind: str, rolemap) -> tuple[str | None, bool]:
    """The standard type `kind` role-maps to (None if none), and whether its mapping is circular."""
    seen, standard = [], None
    while kind is not None and kind not in seen:
        seen.append(kind)
        standard = standard or (kind if kind in STANDARD else None)
        kind = _name(rolemap["/" + kind]) if "/" + kind in rolemap else None
    return standard, kind is not None


def _tree(pdf: pikepdf.Pdf) -> list[_Elem]:
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
        std = _standard(_name(obj.get("/S")), rolemap)[0]
        element = _Elem(obj, _name(obj.get("/S")), std, parent, page, "/Lang" in obj or bool(parent and parent.lang))
        elements.append(element)
        parent and parent.kids.append(element)
        for kid in _list(obj.get("/K")):
            if isinstance(kid, int):
                element.items.append(("mcid", page, kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                where = kid.Stm.objgen if "/Stm" in kid else kid.Pg.objgen if "/Pg" in kid else page
                element.items.append(("mcid", where, int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                element.items.append(("objr", kid.Obj.objgen))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                visit(kid, element)

    for kid in _list(root.get("/K")):
        if isinstance(kid, pikepdf.Dictionary):
            visit(kid, None)
    return elements


def _where(element: _Elem, pages: dict) -> str:
    page = f" on page {pages[element.page]}" if element.page in pages else ""
    return f"{element.type} element {element.obj.objgen}{page}"


def _check_roles(pdf, elements, pages) -> list[Violation]:
    rolemap, found = pdf.Root.StructTreeRoot.get("/RoleMap", {}), []
    for element in elements:
        where = _where(element, pages)
        if "/P" not in element.obj:
            found.append(Violation("7.1-12", f"{where} has no /P"))
        standard, circular = _standard(element.type, rolemap)
        if circular:
            found.append(Violation("7.1-6", f"{where}: role mapping of {element.type} is circular"))
        elif standard is None:
            found.append(Violation("7.1-5", f"{where}: {element.type} maps to no standard type"))
        if element.type in STANDARD and "/" + element.type in rolemap:
            found.append(Violation("7.1-7", f"{where}: standard type remapped to {rolemap['/' + element.type]}"))
    return found


def _check_elements(elements, pages, catalog_lang) -> list[Violation]:
    found, notes, level = [], Counter(), 0
    uses_h = any(e.std == "H" for e in elements)
    uses_hn = any(re.fullmatch(r"H[1-6]", e.std or "") for e in elements)
    for element in elements:
        std, obj, where = element.std, element.obj, _where(element, pages)
        kids = [kid.std for kid in element.kids if kid.std]
        parent = element.parent.std if element.parent else None
        flag = lambda rule, text: found.append(Violation(rule, f"{where}: {text}"))  # noqa: E731
        if std in _PARENT and parent not in _PARENT[std][1]:
            flag(_PARENT[std][0], f"inside {parent}")
        if std in _KIDS_ONLY and set(kids) - _KIDS_ONLY[std][1]:
            flag(_KIDS_ONLY[std][0], f"holds {sorted(set(kids) - _KIDS_ONLY[std][1])}")
        if std == "Table":
            for rule, bad in (("7.2-11", kids.count("THead") > 1), ("7.2-12", kids.count("TFoot") > 1),
                              ("7.2-13", "TFoot" in kids and "TBody" not in kids),
                              ("7.2-14", "THead" in kids and "TBody" not in kids),
                              ("7.2-16", "Caption" in kids[1:-1]), ("7.2-39", kids.count("Caption") > 1)):
                bad and flag(rule, f"kids {kids}")
        if std in ("TOC", "L") and "Caption" in kids[1:]:
            flag("7.2-28" if std == "TOC" else "7.2-40", "Caption is not the first kid")
        for key, rule in (("/ActualText", "7.2-21"), ("/Alt", "7.2-22"), ("/E", "7.2-23")):
            if key in obj and not element.lang and not catalog_lang:
                flag(rule, f"{key} in no determined language")
        if "/Lang" in obj and not _LANG.match(str(obj.Lang)):
            flag("7.2-29", f"/Lang {str(obj.Lang)!r} is not a language tag")
        if std in ("Figure", "Formula") and not str(obj.get("/Alt", "")) and "/ActualText" not in obj:
            flag("7.3-1" if std == "Figure" else "7.7-1", "no Alt or ActualText")
        if kids.count("H") > 1:
            flag("7.4.4-1", f"{kids.count('H')} H kids")
        if std == "H" and uses_hn or re.fullmatch(r"H[1-6]", std or "") and uses_h:
            flag("7.4.4-2" if std == "H" else "7.4.4-3", "H and H1-H6 both used")
        if re.fullmatch(r"H[1-6]", std or ""):
            if int(std[1]) > level + 1:  # the first must be H1; no level skipped going down
                flag("7.4.2-1", f"{std} follows {'H%d' % level if level else 'no heading'}")
            level = int(std[1])
        if std == "Note":
            str(obj.get("/ID", "")) or flag("7.9-1", "no ID")
            notes[bytes(obj.get("/ID", b""))] += bool(str(obj.get("/ID", "")))
        if std == "Form" and not _has_role(obj) and [i[0] for i in element.items] + kids != ["objr"]:
            flag("7.18.4-2", "no Role attribute and not exactly one OBJR kid")
    found += [Violation("7.9-2", f"Note ID {key!r} used {n} times") for key, n in notes.items() if n > 1]
    return found


def _has_role(obj) -> bool:
    attributes = [a for a in _list(obj.get("/A")) if isinstance(a, pikepdf.Dictionary)]
    return any("/Role" in a for a in attributes)


def _visible(annotation, page) -> bool:
    """Not hidden (F bit 2) and its rectangle meets the page's crop box."""
    if int(annotation.get("/F", 0)) & 2:
        return False
    try:
        a, box = [float(v) for v in annotation.Rect], [float(v) for v in page.get("/CropBox", page.MediaBox)]
    except (AttributeError, TypeError, ValueError):
        return True
    return min(a[0], a[2]) <= max(box[0], box[2]) and max(a[0], a[2]) >= min(box[0], box[2]) \
        and min(a[1], a[3]) <= max(box[1], box[3]) and max(a[1], a[3]) >= min(box[1], box[3])


def _check_annotations(pdf, by_obj, parents, catalog_lang) -> list[Violation]:
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        annotations = [a for a in page.obj.get("/Annots", []) if isinstance(a, pikepdf.Dictionary)]
        if annotations and page.obj.get("/Tabs") != "/S":
            found.append(Violation("7.18.3-1", f"page {number} has annotations and no /Tabs /S"))
        for annotation in annotations:
            kind = _name(annotation.get("/Subtype"))
            where = f"page {number}: {kind} annotation"
            entry = parents.get(int(annotation.StructParent)) if "/StructParent" in annotation else None
            element = by_obj.get(entry.objgen) if isinstance(entry, pikepdf.Dictionary) else None
            std, alt = (element.std, str(element.obj.get("/Alt", ""))) if element else (None, "")
            if "/Contents" in annotation and "/Lang" not in annotation and not catalog_lang:
                found.append(Violation("7.2-24", f"{where}: Contents in no determined language"))
            if not _visible(annotation, page.obj):
                continue
            contents = str(annotation.get("/Contents", ""))
            field_ = annotation
            while "/TU" not in field_ and isinstance(field_.get("/Parent"), pikepdf.Dictionary):
                field_ = field_.Parent
            for rule, bad in (
                    ("7.18.1-1", kind not in ("Widget", "PrinterMark", "Link") and std != "Annot"),
                    ("7.18.1-2", kind != "Widget" and not contents and not alt),
                    ("7.18.1-3", kind == "Widget" and not str(field_.get("/TU", "")) and not alt),
                    ("7.18.2-1", kind == "TrapNet"), ("7.18.4-1", kind == "Widget" and std != "Form"),
                    ("7.18.5-1", kind == "Link" and std != "Link"), ("7.18.5-2", kind == "Link" and not contents),
                    ("7.18.8-1", kind == "PrinterMark" and entry is not None)):
                bad and found.append(Violation(rule, f"{where} {annotation.get('/Rect')} ({COVERED[rule]})"))
    return found


def _check_parent_tree(pdf, scan, elements, by_obj, parents) -> list[Violation]:
    """The three checks beside the profile: parent-tree, mcid-reachable, link-text."""
    found, listed = [], {(e.obj.objgen, item) for e in elements for item in e.items}
    containers = {int(p.obj.StructParents): p.obj.objgen for p in pdf.pages if "/StructParents" in p.obj}
    containers.update((key, objgen) for objgen, key in
                      ((o, pdf.get_object(o).get("/StructParents")) for o in scan.parsed) if key is not None)
    owners = {int(a.StructParent): a.objgen for p in pdf.pages for a in p.obj.get("/Annots", [])
              if isinstance(a, pikepdf.Dictionary) and "/StructParent" in a}
    for key, value in parents.items():
        if isinstance(value, pikepdf.Array):
            for mcid, element in enumerate(value):
                if isinstance(element, pikepdf.Dictionary) and \
                        (element.objgen, ("mcid", containers.get(key), mcid)) not in listed:
                    why = "does not list it there" if element.objgen in by_obj else "is not in the structure tree"
                    found.append(Violation("parent-tree", f"ParentTree {key}[{mcid}] (MCID {mcid}) names "
                                                          f"{_name(element.get('/S'))} {element.objgen}, which {why}"))
        elif isinstance(value, pikepdf.Dictionary) and (value.objgen, ("objr", owners.get(key))) not in listed:
            found.append(Violation("parent-tree", f"ParentTree {key} names {_name(value.get('/S'))} {value.objgen}, "
                                                  "which has no OBJR to the object with that StructParent"))
    for (container, mcid), (key, where) in scan.mcids.items():
        entry = parents.get(key) if key is not None else None
        element = entry[mcid] if isinstance(entry, pikepdf.Array) and mcid < len(entry) else None
        if not isinstance(element, pikepdf.Dictionary) or element.objgen not in by_obj \
                or (element.objgen, ("mcid", container, mcid)) not in listed:
            text = "".join(scan.text.get((container, mcid), []))[:30]
            why = "no element" if not isinstance(element, pikepdf.Dictionary) else \
                f"{_name(element.get('/S'))} {element.objgen}, " + \
                ("which does not list it" if element.objgen in by_obj else "not reachable from StructTreeRoot")
            found.append(Violation("mcid-reachable", f"{where}: MCID {mcid} ({text!r}) leads to {why}"))
    for element in elements:
        if element.std == "Link" and not str(element.obj.get("/Alt", "")) and not _has_mcid(element):
            found.append(Violation("link-text", f"Link element {element.obj.objgen}: no text (MCID) and no Alt"))
    return found


def _has_mcid(element: _Elem) -> bool:
    return any(item[0] == "mcid" for item in element.items) or any(map(_has_mcid, element.kids))


def _check_font(font: _Font) -> list[Violation]:
    obj, found = font.obj, []
    name, kind = _name(obj.get("/BaseFont")), _name(obj.get("/Subtype"))
    flag = lambda rule, text: found.append(Violation(rule, f"font {name}: {text}"))  # noqa: E731
    cid = obj.DescendantFonts[0] if font.composite else None
    descriptor = (cid or obj).get("/FontDescriptor", {})
    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    if font.rendered and kind != "Type3" and not embedded:
        flag("7.21.4.1-1", "font program not embedded")
    encoding, identity = obj.get("/Encoding"), False
    if cid is not None:
        identity = _name(encoding) in ("Identity-H", "Identity-V")
        _check_cmap(cid, encoding, flag)
        if cid.get("/Subtype") == "/CIDFontType2" and embedded and "/CIDToGIDMap" not in cid:
            flag("7.21.3.2-1", "CIDFontType2 without CIDToGIDMap")
    elif kind == "TrueType":
        symbolic = int(descriptor.get("/Flags", 0)) & 4
        base = encoding.get("/BaseEncoding") if isinstance(encoding, pikepdf.Dictionary) else encoding
        if symbolic and encoding is not None:
            flag("7.21.6-3", "symbolic TrueType font with an Encoding")
        if not symbolic and _name(base) not in ("MacRomanEncoding", "WinAnsiEncoding"):
            flag("7.21.6-2", f"non-symbolic TrueType font with encoding {_name(base)!r}")
    codes = sorted(font.codes)
    missing = [c for c in codes if c not in font.unicode]
    if missing and not _unicode_by_other_means(obj, cid, encoding):
        flag("7.21.7-1", f"{len(missing)} codes shown have no ToUnicode entry (e.g. {missing[:5]})")
    bad = [c for c in codes if set(font.unicode.get(c, "")) & {"\0", "\ufeff", "\ufffe"}]
    bad and flag("7.21.7-2", f"codes {bad[:5]} map to U+0000, U+FEFF or U+FFFE")
    notdef = [c for c in codes if _is_notdef(c, cid, encoding, identity)]
    notdef and flag("7.21.8-1", f"{len(notdef)} codes shown are .notdef (e.g. {notdef[:5]})")
    return found


def _check_cmap(cid, encoding, flag):
    if isinstance(encoding, pikepdf.Stream):
        data = encoding.read_bytes()
        written = re.search(rb"/WMode\s+(\d)\s+def", data)
        if int(encoding.get("/WMode", 0)) != (int(written.group(1)) if written else 0):
            flag("7.21.3.3-2", "CMap WMode differs from its stream's")
        used = encoding.get("/UseCMap")
        if used is not None and not (isinstance(used, pikepdf.Name) and _PREDEFINED_CMAP.fullmatch(_name(used))):
            flag("7.21.3.3-3", "embedded CMap uses a CMap that is not predefined")
        mine, theirs = cid.get("/CIDSystemInfo", {}), encoding.get("/CIDSystemInfo", {})
        same = all(str(mine.get(k, "")) == str(theirs.get(k, "-")) for k in ("/Registry", "/Ordering"))
        if not same or int(mine.get("/Supplement", 0)) > int(theirs.get("/Supplement", -1)):
            flag("7.21.3.1-1", "CIDSystemInfo of CIDFont and CMap disagree")
    elif not _PREDEFINED_CMAP.fullmatch(_name(encoding)):
        flag("7.21.3.3-1", f"CMap {_name(encoding)!r} neither predefined nor embedded")
    elif _name(encoding) not in ("Identity-H", "Identity-V") and \
            str(cid.get("/CIDSystemInfo", {}).get("/Registry", "")) != "Adobe":
        flag("7.21.3.1-1", "predefined CMap with a non-Adobe CIDFont")  # the ordering is not compared


def _unicode_by_other_means(obj, cid, encoding) -> bool:
    """ISO 14289-1 7.21.7: Adobe CJK character collections and standard Latin encodings need no ToUnicode."""
    if cid is not None:
        info = cid.get("/CIDSystemInfo", {})
        return str(info.get("/Registry", "")) == "Adobe" and \
            str(info.get("/Ordering", "")) in ("GB1", "CNS1", "Japan1", "Korea1")
    base = encoding.get("/BaseEncoding") if isinstance(encoding, pikepdf.Dictionary) else encoding
    symbolic = int(obj.get("/FontDescriptor", {}).get("/Flags", 0)) & 4
    return not symbolic and _name(base) in ("MacRomanEncoding", "WinAnsiEncoding", "MacExpertEncoding")


def _is_notdef(code, cid, encoding, identity) -> bool:
    """Whether a code shows .notdef: CID 0 (GID 0 through a CIDToGIDMap stream) under an Identity CMap, or a
    Differences entry named .notdef in a simple font.  Other CMaps are not followed."""
    if cid is not None:
        if not identity:
            return False
        mapping = cid.get("/CIDToGIDMap")
        if isinstance(mapping, pikepdf.Stream):
            data = mapping.read_bytes()
            return data[2 * code:2 * code + 2] in (b"\0\0", b"", b"\0")
        return code == 0
    differences, current = (encoding.get("/Differences", []) if isinstance(encoding, pikepdf.Dictionary) else []), 0
    for item in differences:
        if isinstance(item, int):
            current = item
        else:
            if current == code and str(item) == "/.notdef":
                return True
            current += 1
    return False


def _check_document(pdf, path) -> list[Violation]:
    root, found = pdf.Root, []
    flag = lambda rule, text: found.append(Violation(rule, text))  # noqa: E731
    with open(path, "rb") as file:
        if not re.match(rb"%PDF-1\.[0-7](\r\n|\r|\n)", file.read(12)):
            flag("6.1-1", "header is not %PDF-1.[0-7] and an end of line")
    mark = root.get("/MarkInfo", {})
    mark.get("/Marked") is True or flag("6.2-1", "catalog /MarkInfo /Marked is not true")
    mark.get("/Suspects") is True and flag("7.1-4", "/MarkInfo /Suspects is true")
    root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is True or \
        flag("7.1-10", "/ViewerPreferences /DisplayDocTitle is not true")
    "/StructTreeRoot" in root or flag("7.1-11", "no /StructTreeRoot")
    lang = root.get("/Lang")
    lang is None or _check_lang(found, lang, "catalog")
    catalog_lang = bool(str(lang or ""))
    if "/First" in root.get("/Outlines", {}) and not catalog_lang:
        flag("7.2-2", "outline and no catalog /Lang")
    metadata = root.get("/Metadata")
    if not (isinstance(metadata, pikepdf.Stream) and metadata.get("/Type") == "/Metadata"
            and metadata.get("/Subtype") == "/XML"):
        flag("7.1-8", "catalog /Metadata is not a /Metadata /XML stream")
    found += _check_xmp(pdf, metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b"", catalog_lang)
    properties = root.get("/OCProperties", {})
    for config in [properties.get("/D")] + _list(properties.get("/Configs")):
        if isinstance(config, pikepdf.Dictionary):
            str(config.get("/Name", "")) or flag("7.10-1", f"optional content config {config.objgen} has no Name")
            "/AS" in config and flag("7.10-2", f"optional content configuration {config.objgen} has AS")
    for spec in _file_specs(pdf):
        if not (str(spec.get("/F", "")) and str(spec.get("/UF", ""))):
            flag("7.11-1", f"embedded file {spec.objgen} lacks a non-empty F or UF")
    form = root.get("/AcroForm", {})
    xfa = form.get("/XFA")
    data = b"".join(s.read_bytes() for s in _list(xfa) if isinstance(s, pikepdf.Stream))
    re.search(rb"<dynamicRender>\s*required\s*</dynamicRender>", data) and flag("7.15-1", "dynamic XFA form")
    fields = list(form.get("/Fields", []))
    while fields:
        field_ = fields.pop()
        fields += list(field_.get("/Kids", []))
        if "/TU" in field_ and "/Lang" not in field_ and not catalog_lang:
            flag("7.2-25", f"form field {field_.objgen}: TU in no determined language")
    if pdf.is_encrypted and not int(pdf.encryption.P) & 512:
        flag("7.16-1", "encrypted without P bit 10 (content extraction for accessibility)")
    return found


def _check_xmp(pdf, data: bytes, catalog_lang: bool) -> list[Violation]:
    found = []
    prefixes = re.findall(rb'xmlns:([\w.-]+)\s*=\s*["\']http://www\.aiim\.org/pdfua/ns/id/["\']', data)
    # As an element (<p:part>1</p:part>) or as an attribute (p:part="1").
    pattern = rb"<([\w.-]+):%s\b[^>]*>\s*([^<]*)<|([\w.-]+):%s\s*=\s*[\"']([^\"']*)"
    uses = {key: re.findall(pattern % (key, key), data) for key in (b"part", b"amd", b"corr")}
    uses = {key: [(a or c, b or d) for a, b, c, d in hits if (a or c) in prefixes] for key, hits in uses.items()}
    if not uses[b"part"]:
        found.append(Violation("5-1", "XMP has no PDF/UA identification (pdfuaid:part)"))
    for prefix, value in uses[b"part"]:
        value.strip() == b"1" or found.append(Violation("5-2", f"pdfuaid:part is {value.decode()!r}, not 1"))
    for key, rule in ((b"part", "5-3"), (b"amd", "5-4"), (b"corr", "5-5")):
        for prefix, _ in uses[key]:
            prefix == b"pdfuaid" or found.append(Violation(rule, f"{key.decode()} has prefix {prefix.decode()!r}"))
    try:
        title = pdf.open_metadata().get("dc:title")
    except Exception:  # unreadable XMP: no title can be read either
        title = None
    title or found.append(Violation("7.1-9", "XMP has no dc:title"))
    if b'xml:lang="x-default"' in data and not catalog_lang:
        found.append(Violation("7.2-33", "XMP x-default texts and no catalog /Lang"))
    return found


def _file_specs(pdf):
    specs = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/EF" in obj:
            specs[obj.objgen] = obj
    names = pdf.Root.get("/Names", {})
    if "/EmbeddedFiles" in names:
        for _, spec in pikepdf.NameTree(names.EmbeddedFiles).items():
            specs.setdefault(spec.objgen if spec.objgen != (0, 0) else id(spec), spec)
    return specs.values()


def check_pdfua(path) -> list[Violation]:
    """The violations of every rule in COVERED and of the three checks beside the profile."""
    with pikepdf.open(path) as pdf:
        scan = _scan(pdf)
        elements, pages = _tree(pdf), {p.obj.objgen: n for n, p in enumerate(pdf.pages, start=1)}
        by_obj = {e.obj.objgen: e for e in elements}
        root = pdf.Root.get("/StructTreeRoot", {})
        parents = _number_tree(root.get("/ParentTree"))
        found = scan.violations + _check_document(pdf, path)
        if elements:
            found += _check_roles(pdf, elements, pages)
        found += _check_elements(elements, pages, scan.catalog_lang)
        found += _check_annotations(pdf, by_obj, parents, scan.catalog_lang)
        found += _check_parent_tree(pdf, scan, elements, by_obj, parents)
        for font in scan.fonts.values():
            found += _check_font(font)
        found += [Violation("7.20-2", f"form XObject {objgen} holds MCIDs and is drawn {scan.form_draws[objgen]} "
                                      f"times ({where})") for objgen, where in scan.forms_with_mcids.items()
                  if scan.form_draws[objgen] > 1]
        if not scan.catalog_lang:
            found += _unlabelled_text(scan, parents, by_obj)
        return found


def _unlabelled_text(scan, parents, by_obj) -> list[Violation]:
    """7.2-34 when the catalog has no Lang: text whose marks and elements carry none."""
    counts = Counter()
    for container, mcid, where in scan.unlabelled:
        entry = parents.get(scan.mcids.get((container, mcid), (None,))[0])
        element = entry[mcid] if isinstance(entry, pikepdf.Array) and mcid is not None and mcid < len(entry) else None
        if not (isinstance(element, pikepdf.Dictionary) and element.objgen in by_obj and by_obj[element.objgen].lang):
            counts[where] += 1
    return [Violation("7.2-34", f"{where}: {n} text items in no determined language") for where, n in counts.items()]


def reading_order(path) -> list[tuple[str, str]]:
    """(structure type, text) of each element with text of its own, in structure tree order.

    The text is each MCID's glyph codes read through the font's ToUnicode map (bfchar and
    bfrange).  Runs with Arabic are stored in visual order; `_logical` turns each shown run
    (one Tj/TJ) back to logical order with a minimal bidi: glyphs reversed, numbers and Latin
    stretches kept left to right, brackets mirrored.  It is right for the plain lines of our
    books, not a full Unicode bidi; runs are joined as shown, with no space added between lines.
    An element with no text of its own but an /Alt gives the Alt in brackets.
    """
    with pikepdf.open(path) as pdf:
        scan, order = _scan(pdf), []
        for element in _tree(pdf):
            mcids = [item[1:] for item in element.items if item[0] == "mcid"]
            text = "".join("".join(scan.text.get(mcid, [])) for mcid in mcids)
            if not text and "/Alt" in element.obj:
                text = f"[{element.obj.Alt}]"
            if text:
                order.append((element.std or element.type, text))
        return order
