"""Make the PDF text layer read back the words that were set.

WeasyPrint writes one ToUnicode entry per glyph, taken from the first
cluster the glyph was drawn in.  Amiri's contextual forms and mark
decompositions put several glyphs in one cluster, so a glyph first seen
inside such a cluster is mapped to the whole cluster (or to nothing) and
every later use of it reads wrong: ``الحين`` comes back as ``الححين``.

The cure is to map each glyph to the text it stands for on its own,
derived from the font itself: the cmap for nominal glyphs, then the GSUB
substitutions (single, alternate, ligature, multiple) closed over to a
fixed point.  Glyphs the font cannot explain keep WeasyPrint's mapping.
WeasyPrint subsets with retained glyph ids, so a CID in the PDF is the
glyph id in the original font file.
"""

from __future__ import annotations

import io
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pikepdf
from fontTools.ttLib import TTFont

from ..forked import Forked
from ..kashida import TATWEEL


def _is_presentation_form(char: str) -> bool:
    code = ord(char)
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _lookup_subtables(lookup):
    for subtable in lookup.SubTable:
        if lookup.LookupType == 7:  # extension: unwrap
            yield subtable.ExtSubTable.LookupType, subtable.ExtSubTable
        else:
            yield lookup.LookupType, subtable


_LEARNT: dict[Path, dict[int, frozenset[str]]] = {}  # worked out in another process: learn_readings


def learn_readings(font_paths: Iterable[Path], fork: bool = True) -> Callable[[], None]:
    """Work out the readings of `font_paths` in a child process, while this one waits on
    something else (a layout); the call returned takes them in. Parsing the fonts here was a
    tenth of the join's time on a long book, and its memory stayed with the join's."""
    paths = tuple(font_paths)
    work = Forked(lambda: {path: glyph_readings(path) for path in paths}, fork=fork)
    return lambda: _LEARNT.update(work.result())


def readings_of(font_path: Path) -> dict[int, frozenset[str]]:
    return _LEARNT.get(font_path) or glyph_readings(font_path)


@lru_cache(maxsize=None)
def glyph_readings(font_path: Path) -> dict[int, frozenset[str]]:
    """Map glyph id to every text the glyph can stand for in `font_path`.

    Most glyphs have one reading.  A few are shared (Amiri draws medial yeh
    and medial ې with one glyph); for those the drawn context decides.
    """
    font = TTFont(font_path, lazy=True)
    gid = {name: index for index, name in enumerate(font.getGlyphOrder())}
    readings: dict[str, set[str]] = {}
    for code, name in font.getBestCmap().items():
        if not _is_presentation_form(chr(code)):
            readings.setdefault(name, set()).add(chr(code))

    def offer(name: str, texts: set[str]) -> bool:
        have = readings.setdefault(name, set())
        grown = not texts <= have
        have |= texts
        return grown

    if "GSUB" in font:
        lookups = font["GSUB"].table.LookupList.Lookup
        for _ in range(10):  # substitutions chain; a few passes reach the fixed point
            grown = False
            for lookup in lookups:
                for kind, table in _lookup_subtables(lookup):
                    if kind == 1:
                        for source, target in table.mapping.items():
                            if source in readings:
                                grown |= offer(target, readings[source])
                    elif kind == 3:
                        for source, targets in table.alternates.items():
                            if source in readings:
                                for target in targets:
                                    grown |= offer(target, readings[source])
                    elif kind == 4:
                        for first, ligatures in table.ligatures.items():
                            for ligature in ligatures:
                                parts = [first, *ligature.Component]
                                if all(len(readings.get(p, ())) == 1 for p in parts):
                                    text = "".join(next(iter(readings[p])) for p in parts)
                                    grown |= offer(ligature.LigGlyph, {text})
                    elif kind == 2:
                        for source, targets in table.mapping.items():
                            grown |= _offer_decomposition(source, targets, readings, offer)
            if not grown:
                break
    return {gid[name]: frozenset(texts) for name, texts in readings.items() if texts and name in gid}


def _offer_decomposition(source, targets, readings, offer) -> bool:
    """One glyph split into several: `حـ` and a joining stroke, `أ` as alef and hamza.

    Each target may read as what the source's decomposed text has beyond the other
    targets, possibly nothing (a joining stroke that is also the tatweel glyph).
    """
    if len(readings.get(source, ())) != 1:
        return False
    whole = unicodedata.normalize("NFD", next(iter(readings[source])))
    grown = False
    for position, target in enumerate(targets):
        others = targets[:position] + targets[position + 1:]
        if not all(len(readings.get(o, ())) == 1 for o in others):
            continue
        rest = "".join(next(iter(readings[o])) for o in others)
        if whole.startswith(rest):
            grown |= offer(target, {whole[len(rest):]})
        elif whole.endswith(rest):
            grown |= offer(target, {whole[: len(whole) - len(rest)]})
    return grown


JOINER = "\u200d"  # ZERO WIDTH JOINER: what a joining stroke stands for


def choose_reading(drawn: str, readings: frozenset[str]) -> str:
    """The text for a glyph: what WeasyPrint saw it drawn as, if the font agrees.

    Otherwise the font's only reading. A glyph that can be a mere joining stroke (Amiri
    adds one after ل or ح before some letters) reads as a zero width joiner: a stray tatweel
    would break search as surely as a doubled letter, and an empty mapping makes PDFium
    show the glyph's code instead (ᕥ in the middle of الكهرباء); a joiner is what the stroke
    is, invisible, and dropped by search engines and by our fidelity checks.
    """
    if drawn in readings or not readings:
        text = drawn
    elif "" in readings:
        text = ""
    else:
        text = next(iter(readings)) if len(readings) == 1 else drawn
    return text or JOINER


def _cmap_stream(mapping: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <ffff>",
        "endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar")
        for cid, text in batch:
            lines.append(f"<{cid:04x}> <{text.encode('utf-16-be').hex()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CIDFont defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def _read_cmap(data: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for cid, text in _BFCHAR.findall(block):
            mapping[int(cid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return mapping


def embedded_postscript_name(font: pikepdf.Dictionary) -> str | None:
    """The PostScript name inside the embedded font program.

    BaseFont only carries the family name, which Regular and Bold share.
    """
    try:
        descriptor = font.DescendantFonts[0].FontDescriptor
        # By key: a pikepdf stream can be falsy (one made here, with a short dictionary).
        key = next(k for k in ("/FontFile2", "/FontFile3") if k in descriptor)
        program = descriptor[key]
        embedded = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
        return embedded["name"].getDebugName(6)
    except Exception:  # not a TrueType/OpenType program we can read: leave it alone
        return None


def repair_to_unicode(pdf: pikepdf.Pdf, font_files: dict[str, Path], kashida: bool = False) -> int:
    """Rewrite ToUnicode maps of fonts whose PostScript name is in `font_files`. With
    `kashida` (a book justified with tatweels, book/pdf/justify.py), the tatweel glyph reads as
    a joiner, like Amiri's joining strokes: a copied or searched word never holds one.

    Returns the number of glyph mappings changed.
    """
    changed = 0
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for _, font in fonts.items():
            if font.objgen in seen or "/ToUnicode" not in font:
                continue
            seen.add(font.objgen)
            path = font_files.get(embedded_postscript_name(font))
            if path is None:
                continue
            readings = readings_of(path)
            current = _read_cmap(font.ToUnicode.read_bytes())
            fixed = {cid: choose_reading(text, readings.get(cid, frozenset()))
                     for cid, text in current.items()}
            if kashida:
                fixed = {cid: JOINER if text == TATWEEL else text for cid, text in fixed.items()}
            changed += sum(1 for cid in current if fixed[cid] != current[cid])
            font.ToUnicode = pdf.make_stream(_cmap_stream(fixed))
    return changed
