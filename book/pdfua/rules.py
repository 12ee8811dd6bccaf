"""The rules of veraPDF's PDF/UA-1 profile this checker covers, those it leaves out and why."""

from __future__ import annotations

import re
from dataclasses import dataclass


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



_GRID = "needs the table grid with row/column spans; our tables (pipe tables) have no spans; run veraPDF for a table that does"



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



LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")



def check_lang(violations, lang, where):
    if not LANGUAGE_TAG.match(str(lang)):
        violations.append(Violation("7.2-29", f"{where}: /Lang {str(lang)!r} is not a language tag"))
