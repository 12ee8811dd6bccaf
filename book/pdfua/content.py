"""One pass over every content stream: marks (tagged or Artifact), MCIDs, fonts and glyphs
shown, and each marked-content sequence's text."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pikepdf

from .fonts import Font
from .objects import name_of
from .rules import Violation, check_lang

_PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}



@dataclass
class Scan:
    """What the content streams hold."""
    violations: list = field(default_factory=list)
    mcids: dict = field(default_factory=dict)  # (container objgen, MCID) -> (StructParents key, where)
    glyphs: dict = field(default_factory=lambda: defaultdict(list))  # (container objgen, MCID) -> glyphs' texts

    def text(self, key) -> str:
        """A marked-content sequence's text in logical order: its glyphs, drawn in visual order
        by however many Tj/TJ, ordered as one run."""
        return logical_order(self.glyphs.get(key, []), self.right_to_left)
    fonts: dict = field(default_factory=dict)  # objgen -> Font
    form_draws: Counter = field(default_factory=Counter)
    forms_with_mcids: dict = field(default_factory=dict)  # objgen -> where
    unlabelled: list = field(default_factory=list)  # text with no Lang on its marks: (container, MCID, where)
    parsed: dict = field(default_factory=dict)
    catalog_lang: bool = True
    right_to_left: bool = False  # the document reads right to left: a line with no letters too



def scan_content(pdf: pikepdf.Pdf) -> Scan:
    scan = Scan(catalog_lang=bool(str(pdf.Root.get("/Lang", ""))),
                 right_to_left=pdf.Root.get("/ViewerPreferences", {}).get("/Direction") == "/R2L")
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
            _open_mark(scan, container, marks, name_of(operands[0]), props, where)
        elif op == "EMC":
            marks and marks.pop()
        elif op in ("q", "Q"):
            stack.append(dict(state)) if op == "q" else stack and state.update(stack.pop())
        elif op == "Tf":
            font = resources.get("/Font", {}).get(operands[0])
            state["font"] = scan.fonts.setdefault(font.objgen, Font(font)) if font is not None else None
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
        check_lang(scan.violations, lang, f"{where}: marked content {tag}")
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
        scan.glyphs[container.objgen, mcid] += [font.unicode.get(code, "") for code in codes]
    if codes and not scan.catalog_lang and not any(m[2] for m in marks):
        scan.unlabelled.append((container.objgen, mcid, where))



def _kind(glyph: str) -> str:
    """R for Arabic letters, L for Latin letters and digits (numbers run left to right), N otherwise."""
    if re.search(r"[\u0600-\u065f\u066e-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe]", glyph):
        return "R"
    return "L" if re.search(r"[0-9A-Za-z\u00c0-\u024f\u0660-\u0669\u06f0-\u06f9]", glyph) else "N"



def logical_order(glyphs: list[str], right_to_left: bool = False) -> str:
    """One line's text in logical order.  Lines with Arabic (any line of a right-to-left
    document: a list's «١.» has no letter) are drawn in visual order: reverse
    the glyphs (not the characters: a ligature's text stays whole), turn back each stretch from
    one L glyph to another L glyph with only neutrals between (numbers, Latin words), and mirror
    brackets left outside those stretches."""
    kinds = [_kind(g) for g in glyphs]
    if "R" not in kinds and not right_to_left:
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
