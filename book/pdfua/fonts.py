"""The fonts the content streams draw with, and the profile's font rules (7.21) on them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf

from .objects import name_of, read_cmap
from .rules import Violation

_PREDEFINED_CMAP = re.compile(
    r"Identity-[HV]|(GB|GBpc|GBK|GBKp|CNS|KSC|KSCpc)-EUC-[HV]|GBK2K-[HV]|Uni(GB|CNS|KS)-(UCS2|UTF16)-[HV]|"
    r"(B5pc|HKscs-B5|ETen-B5|ETenms-B5)-[HV]|83pv-RKSJ-H|90ms-RKSJ-[HV]|90msp-RKSJ-[HV]|90pv-RKSJ-H|"
    r"(Add|Ext)-RKSJ-[HV]|EUC-[HV]|[HV]|UniJIS-(UCS2|UCS2-HW|UTF16)-[HV]|KSCms-UHC(-HW)?-[HV]")



@dataclass
class Font:
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
            self._unicode = read_cmap(stream.read_bytes()) if isinstance(stream, pikepdf.Stream) else {}
        return self._unicode



def check_font(font: Font) -> list[Violation]:
    obj, found = font.obj, []
    name, kind = name_of(obj.get("/BaseFont")), name_of(obj.get("/Subtype"))
    flag = lambda rule, text: found.append(Violation(rule, f"font {name}: {text}"))  # noqa: E731
    cid = obj.DescendantFonts[0] if font.composite else None
    descriptor = (cid or obj).get("/FontDescriptor", {})
    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    if font.rendered and kind != "Type3" and not embedded:
        flag("7.21.4.1-1", "font program not embedded")
    encoding, identity = obj.get("/Encoding"), False
    if cid is not None:
        identity = name_of(encoding) in ("Identity-H", "Identity-V")
        _check_cmap(cid, encoding, flag)
        if cid.get("/Subtype") == "/CIDFontType2" and embedded and "/CIDToGIDMap" not in cid:
            flag("7.21.3.2-1", "CIDFontType2 without CIDToGIDMap")
    elif kind == "TrueType":
        symbolic = int(descriptor.get("/Flags", 0)) & 4
        base = encoding.get("/BaseEncoding") if isinstance(encoding, pikepdf.Dictionary) else encoding
        if symbolic and encoding is not None:
            flag("7.21.6-3", "symbolic TrueType font with an Encoding")
        if not symbolic and name_of(base) not in ("MacRomanEncoding", "WinAnsiEncoding"):
            flag("7.21.6-2", f"non-symbolic TrueType font with encoding {name_of(base)!r}")
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
        if used is not None and not (isinstance(used, pikepdf.Name) and _PREDEFINED_CMAP.fullmatch(name_of(used))):
            flag("7.21.3.3-3", "embedded CMap uses a CMap that is not predefined")
        mine, theirs = cid.get("/CIDSystemInfo", {}), encoding.get("/CIDSystemInfo", {})
        same = all(str(mine.get(k, "")) == str(theirs.get(k, "-")) for k in ("/Registry", "/Ordering"))
        if not same or int(mine.get("/Supplement", 0)) > int(theirs.get("/Supplement", -1)):
            flag("7.21.3.1-1", "CIDSystemInfo of CIDFont and CMap disagree")
    elif not _PREDEFINED_CMAP.fullmatch(name_of(encoding)):
        flag("7.21.3.3-1", f"CMap {name_of(encoding)!r} neither predefined nor embedded")
    elif name_of(encoding) not in ("Identity-H", "Identity-V") and \
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
    return not symbolic and name_of(base) in ("MacRomanEncoding", "WinAnsiEncoding", "MacExpertEncoding")



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
