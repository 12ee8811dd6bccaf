"""One font program per face in a PDF joined from parts.

Each part WeasyPrint writes would carry its own subset of every face it uses, so a book joined
from a dozen parts would carry a dozen Amiris: the parts carry placeholders instead, and the
join puts in one subset per face. WeasyPrint subsets with the glyph ids kept (character ids are
glyph ids, CIDToGIDMap /Identity), so one subset of the face holding every glyph any part uses
serves every part's font dictionary: each keeps its own widths and ToUnicode map and points at
the shared program. A face whose author's tatweels were drawn with copies of their glyphs
(textlayer.TypedTatweels), or whose inserted tatweels were drawn within copies of the letters
they lengthen (textlayer.WidenedLetters), gets those copies added to its subset, after its last
glyph.
"""

from __future__ import annotations

import contextlib
import copy
import io
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pikepdf
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

from .textlayer import embedded_postscript_name, letters_before, typed_tatweels, typed_tatweels_apart, widened_letters

# What WeasyPrint 70 drops from the fonts it embeds (pdf/fonts.py); shaping is already done.
DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def _used_glyphs(widths: pikepdf.Array) -> set[int]:
    """The character ids a /W array gives widths for: `c [w ...]` and `c_first c_last w`."""
    used: set[int] = set()
    items = list(widths)
    position = 0
    while position < len(items):
        first = int(items[position])
        if isinstance(items[position + 1], pikepdf.Array):
            used.update(range(first, first + len(items[position + 1])))
            position += 2
        else:
            used.update(range(first, int(items[position + 1]) + 1))
            position += 3
    return used


@lru_cache(maxsize=None)
def _placeholder(path: Path) -> bytes:
    """The face with its .notdef glyph alone: what a part carries until the join puts in the
    face's subset. Its name table stays, which says which face it stands for."""
    return _subset(path, set())


@lru_cache(maxsize=None)
def _faces_by_content(paths: tuple[Path, ...]) -> dict[bytes, Path]:
    return {path.read_bytes(): path for path in paths}


@contextlib.contextmanager
def programs_left_to_the_join(font_files: dict[str, Path]) -> Iterator[None]:
    """While a part is written, WeasyPrint embeds a placeholder program for each face in
    `font_files` instead of a subset of its own: the join gives each face one subset for every
    part (share_font_programs), and the parts' own subsets, made in two passes at every write,
    were a third of a part's writing time, thrown away. The author's tatweels are drawn with
    copies of their glyphs meanwhile, which the join adds (textlayer.typed_tatweels_apart)."""
    from weasyprint.pdf.fonts import Font  # in the layout's processes only

    by_content = _faces_by_content(tuple(font_files.values()))
    clean = Font.clean

    def left_to_the_join(font: Font, to_unicode: dict, hinting: bool) -> None:
        path = by_content.get(font.file_content) if font.index == 0 else None
        if path is None:  # not one of the book's faces: WeasyPrint's own subset stays
            clean(font, to_unicode, hinting)
        else:
            font.file_content = _placeholder(path)

    Font.clean = left_to_the_join
    try:
        with typed_tatweels_apart(by_content):
            yield
    finally:
        Font.clean = clean


def _subset(path: Path, glyphs: set[int]) -> bytes:
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    wanted = hb.SubsetInput()
    for glyph in sorted(glyphs | {0}):
        wanted.glyph_set.add(glyph)
    dropped = wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROPPED_TABLES:
        dropped.add(int.from_bytes(tag.encode("ascii"), "big"))  # an OpenType tag as a number
    wanted.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                    | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE)
    subset = hb.subset(face, wanted)
    if subset is None:
        raise RuntimeError(f"HarfBuzz could not subset {path.name}")
    return bytes(subset.blob.data)


def _with_copies(program: bytes, copies: dict[int, int], joined: dict[int, tuple[int, int, bool]]) -> bytes:
    """A TrueType subset (glyph ids kept) with glyphs added after its last one: at each id of
    `copies` a copy of the glyph it names, outline and advance; at each id of `joined` a glyph
    drawing its (letter, tatweel, tatweel first): the letter, then the tatweel after the letter's
    advance, or the other way round (textlayer.WidenedLetters); empty glyphs between."""
    # As the subset is (its glyphs, bounds and side bearings), and the same bytes at every build.
    font = TTFont(io.BytesIO(program), recalcBBoxes=False, recalcTimestamp=False)
    order = font.getGlyphOrder()
    glyf, hmtx = font["glyf"], font["hmtx"]
    names = list(order)
    for glyph in range(len(order), max([*copies, *joined]) + 1):
        name = f"glyph{glyph:05d}.typed" if glyph in copies else \
            f"glyph{glyph:05d}.joined" if glyph in joined else f"glyph{glyph:05d}.unused"
        names.append(name)
        if glyph in copies:
            source = order[copies[glyph]]
            glyf.glyphs[name] = copy.deepcopy(glyf[source])
            hmtx.metrics[name] = hmtx.metrics[source]
        elif glyph in joined:
            letter, tatweel = (order[source] for source in joined[glyph][:2])
            first, second = (tatweel, letter) if joined[glyph][2] else (letter, tatweel)
            width = hmtx.metrics[first][0]
            composite = Glyph()
            composite.numberOfContours = -1
            composite.components = []
            for component, x in ((first, 0), (second, width)):
                part = GlyphComponent()
                part.glyphName, part.x, part.y, part.flags = component, x, 0, 0x0004  # ROUND_XY_TO_GRID
                composite.components.append(part)
            glyf.glyphs[name] = composite
            composite.recalcBounds(glyf)
            hmtx.metrics[name] = (width + hmtx.metrics[second][0], composite.xMin)
        else:
            glyf.glyphs[name] = Glyph()
            hmtx.metrics[name] = (0, 0)
    font.setGlyphOrder(names)
    glyf.glyphOrder = names
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def share_font_programs(pdf: pikepdf.Pdf, font_files: dict[str, Path]) -> int:
    """Give every font dictionary of a face in `font_files` one shared program, a subset of the
    face holding every glyph they use (the parts carry placeholders: programs_left_to_the_join);
    returns how many programs were dropped."""
    faces: dict[str, list[pikepdf.Dictionary]] = {}
    typing: dict[str, set[int]] = {}  # the glyphs of fonts that may draw copies (their codes are glyph ids)
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for _, font in page.obj.get("/Resources", {}).get("/Font", {}).items():
            if font.objgen in seen or font.get("/Subtype") != "/Type0":
                continue
            seen.add(font.objgen)
            descendant = font.DescendantFonts[0]
            if descendant.get("/CIDToGIDMap") != "/Identity" or "/FontFile2" not in descendant.FontDescriptor:
                continue
            name = embedded_postscript_name(font)
            if name in font_files:
                faces.setdefault(name, []).append(descendant)
                if font.get("/Encoding") == "/Identity-H" and "/W" in descendant:
                    typing.setdefault(name, set()).update(_used_glyphs(descendant.W))
    dropped = 0
    for name, descendants in faces.items():
        programs = {d.FontDescriptor.FontFile2.objgen for d in descendants}
        glyphs = set().union(*(_used_glyphs(d.W) for d in descendants if "/W" in d))
        typed, widened = typed_tatweels(font_files[name]), widened_letters(font_files[name])
        copies = {glyph: source[0] for glyph in typing.get(name, ()) if (source := typed.source(glyph))}
        joined = {glyph: (*source, table.tatweel_first) for table in (widened, letters_before(font_files[name]))
                  for glyph in typing.get(name, ()) if (source := table.source(glyph))}
        parts = {glyph for letter, tatweel, _ in joined.values() for glyph in (letter, tatweel)}
        data = _subset(font_files[name], {g for g in glyphs if g < typed.glyph_count} | set(copies.values()) | parts)
        if copies or joined:
            data = _with_copies(data, copies, joined)
        program = pdf.make_stream(data, Length1=len(data))
        for descendant in descendants:
            descendant.FontDescriptor.FontFile2 = program
        dropped += len(programs) - 1
    return dropped
