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

One glyph, one reading: the tatweel's glyph is drawn for three things, a tatweel the author
typed (the chronology's «هـ»), one the kashida justification inserted (book/pdf/justify.py) and
Amiri's joining strokes, and only the first is text. So where the author typed one it is drawn
with a copy of the glyph, added to the font after its last glyph (`TypedTatweels`): the copy
reads as a tatweel, the glyph itself as a joiner. Tried and measured against it (PDFium,
pypdf, poppler's pdftotext): /ActualText spans around the inserted glyphs (PDFium ignores an
empty one and pypdf any, poppler cuts the word there), around whole widened words (pypdf
ignores them; PDFium and poppler honour them but read the word backwards in a right-to-left
line), a second font resource for the inserted glyphs (read as this does, but pypdf then cuts
words at the font switch, and every page's content must be rewritten).
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pikepdf
import uharfbuzz as hb
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


@dataclass(frozen=True)
class TypedTatweels:
    """The glyphs a face draws typed tatweels with: for each glyph that stands for tatweels
    alone (Amiri has one for each run of one to seven), and each count of them the author may
    have typed there (the rest inserted), a copy of the glyph, at `glyph_count` and after. The
    same ids in every process that lays out a part (the faces' files decide them), so the join
    adds each copy once to the face's one program (font_programs.share_font_programs)."""

    glyph_count: int
    copies: tuple[tuple[int, int], ...]  # (glyph, tatweels typed) for each copy, in id order

    def copy(self, glyph: int, typed: int) -> int:
        return self.glyph_count + self.copies.index((glyph, typed))

    def source(self, copy: int) -> tuple[int, int] | None:
        """(glyph, tatweels typed) that `copy` stands for, or None if it is no copy."""
        index = copy - self.glyph_count
        return self.copies[index] if 0 <= index < len(self.copies) else None

    @cached_property
    def forms(self) -> dict[int, int]:
        """Glyph -> how many tatweels it stands for."""
        return {glyph: typed for glyph, typed in self.copies}  # the last (largest) count wins


@lru_cache(maxsize=None)
def typed_tatweels(font_path: Path) -> TypedTatweels:
    runs = {glyph: len(text) for glyph, texts in readings_of(font_path).items()
            for text in texts if text and text == TATWEEL * len(text)}
    count = hb.Face(hb.Blob.from_file_path(str(font_path))).glyph_count
    return TypedTatweels(count, tuple((glyph, typed) for glyph in sorted(runs) for typed in range(1, runs[glyph] + 1)))


@dataclass(frozen=True)
class WidenedLetters:
    """The glyphs a face draws inserted tatweels with, each within a letter beside it: for every
    letter glyph in `letters` and every glyph that stands for tatweels alone, a copy that draws
    both and reads as the letter: the letter, then the tatweel after the letter's advance (the
    letter after the tatweel: widened_letters, every glyph that reads as one Arabic letter), or
    with `tatweel_first` the other way round (the letter before it: letters_before). Ids after
    the typed tatweels' copies, the same in every process (the face's file decides them); the
    join makes the copies that a part draws (font_programs)."""

    first: int  # the first copy's id
    letters: tuple[int, ...]
    tatweels: tuple[int, ...]
    tatweel_first: bool = False  # the other way round: the tatweel, then the letter (letters_before)

    @property
    def end(self) -> int:
        """The id after its last copy."""
        return self.first + len(self.letters) * len(self.tatweels)

    @cached_property
    def _letter_at(self) -> dict[int, int]:
        return {glyph: index for index, glyph in enumerate(self.letters)}

    @cached_property
    def _tatweel_at(self) -> dict[int, int]:
        return {glyph: index for index, glyph in enumerate(self.tatweels)}

    def copy(self, letter: int, tatweel: int) -> int | None:
        at, form = self._letter_at.get(letter), self._tatweel_at.get(tatweel)
        return None if at is None or form is None else self.first + at * len(self.tatweels) + form

    def source(self, copy: int) -> tuple[int, int] | None:
        """(letter, tatweel) that `copy` joins, or None if it is no such copy."""
        at, form = divmod(copy - self.first, len(self.tatweels) or 1)
        return (self.letters[at], self.tatweels[form]) if copy >= self.first and at < len(self.letters) else None


@lru_cache(maxsize=None)
def widened_letters(font_path: Path) -> WidenedLetters:
    typed = typed_tatweels(font_path)
    first, tatweels = typed.glyph_count + len(typed.copies), tuple(sorted(typed.forms))
    letters = tuple(sorted(glyph for glyph, texts in readings_of(font_path).items()
                           if any(_one_letter(text) for text in texts)))
    if not tatweels or first + len(letters) * len(tatweels) > 0xFFFF:  # glyph ids are 16 bits
        letters = ()  # no copies: inserted tatweels stay glyphs of their own
    return WidenedLetters(first, letters, tatweels)


@lru_cache(maxsize=None)
def letters_before(font_path: Path) -> WidenedLetters:
    """The copies for a tatweel whose following letter is moved or carries a mark: drawn within
    the letter before it instead (the tatweel, then the letter after the tatweel's advance). Only
    the letter glyphs the face puts before a tatweel (HarfBuzz shapes each Arabic letter after
    each, before one to three tatweels): every letter glyph, twice over, would pass 16-bit ids."""
    after = widened_letters(font_path)
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_path))))
    arabic = [chr(code) for code in range(0x0621, 0x064B) if code != 0x0640] + list("پچژکگی")
    found: set[int] = set()
    for before in ("", *arabic):
        for letter in arabic:
            for count in (1, 2, 3):
                buffer = hb.Buffer()
                buffer.add_str(before + letter + TATWEEL * count + "\u0627")
                buffer.guess_segment_properties()
                hb.shape(font, buffer, {})
                found.update(info.codepoint for info in buffer.glyph_infos if info.cluster == len(before))
    letters = tuple(sorted(found & set(after.letters)))
    if not after.letters or after.end + len(letters) * len(after.tatweels) > 0xFFFF:
        letters = ()
    return WidenedLetters(after.end, letters, after.tatweels, tatweel_first=True)


def _one_letter(text: str) -> bool:
    """Whether `text` is one Arabic letter (of any of Unicode's Arabic blocks), with its marks."""
    return bool(text) and unicodedata.category(text[0]) == "Lo" and "ARABIC" in unicodedata.name(text[0], "") \
        and all(unicodedata.category(char) == "Mn" for char in text[1:])


def _typed_offsets(text: str, inserted: set[int], layout_text: str) -> set[int] | None:
    """UTF-8 offsets, in the text a box's layout holds, of the tatweels the author typed in the
    box's `text` (the others are `inserted`, by offset in `text`; None: those no longer match
    the layout, so none is trusted)."""
    if not layout_text.startswith(text):
        return None
    if any(index >= len(text) or text[index] != TATWEEL for index in inserted):
        return None
    return _byte_offsets(text, {index for index, char in enumerate(text) if char == TATWEEL and index not in inserted})


def _byte_offsets(text: str, indices: set[int]) -> set[int]:
    """Where the characters at `indices` of `text` begin in its UTF-8 bytes (Pango's offsets)."""
    offsets, at = set(), 0
    for index, char in enumerate(text):
        if index in indices:
            offsets.add(at)
        at += len(char.encode())
    return offsets


def _draw_typed_apart(stream, box, inserted: set[int], faces: dict[bytes, Path]) -> list:
    """Give the glyphs drawn for the author's tatweels in `box`'s first line their copies
    (TypedTatweels), as WeasyPrint is about to draw it; returns (glyph info, glyph) to put back."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    layout = box.pango_layout
    # WeasyPrint's drawing sets this, which would shape the line again and lose the copies: set
    # here first, its own setting then changes nothing.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    typed = _typed_offsets(box.text, inserted, layout.text)
    if not typed:
        return []
    line, _ = layout.get_first_line()
    put_back = []
    run = line.runs
    while run != ffi.NULL:
        item, run = run.data, run.next
        pango_font = item.item.analysis.font
        font, font_size = stream.add_font(pango_font)
        table = _face_table(font, faces)
        if table is None:
            continue
        forms, glyphs, base = table.forms, item.glyphs, item.item.offset
        starts = sorted({glyphs.log_clusters[i] for i in range(glyphs.num_glyphs)})
        ends = dict(zip(starts, starts[1:] + [item.item.length]))
        for i in range(glyphs.num_glyphs):
            info = glyphs.glyphs[i]
            stands_for = forms.get(info.glyph)
            if not stands_for:
                continue
            start = glyphs.log_clusters[i]
            count = sum(1 for at in typed if base + start <= at < base + ends[start])
            if not count:
                continue  # inserted, or a joining stroke: the glyph itself, a joiner
            copy = table.copy(info.glyph, min(count, stands_for))
            if copy not in font.widths:  # the glyph's own width, as WeasyPrint reads it
                pango.pango_font_get_glyph_extents(pango_font, info.glyph, stream.ink_rect, stream.logical_rect)
                size = box.style["font_size"] if pango.pango_version() < 14802 else font_size
                font.widths[copy] = round(stream.logical_rect.width * 1000 * FROM_UNITS / size)
            font.to_unicode[copy] = TATWEEL * min(count, stands_for)
            put_back.append((info, info.glyph))
            info.glyph = copy
    return put_back


def _draw_widened(stream, box, inserted: set[int], faces: dict[bytes, Path]) -> list:
    """Draw each tatweel inserted in `box`'s first line within a copy of the letter that follows
    it (WidenedLetters), as WeasyPrint is about to draw it: that letter's glyph, to the tatweel's
    left (the glyph before it in Pango's visual order; its marks stand on its other side), becomes
    the copy, as wide as both; the tatweel's, an empty glyph of no width. So no glyph of its own
    reads as anything: every extractor reads the word as typed, with nothing inside it and no gap
    in it. A tatweel Pango moved or resized, beside a letter Pango moved or one with a mark, or
    beside no letter the table knows, stays a glyph of its own (reading as a joiner). Returns
    (glyph info, glyph, width) to put back."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    layout = box.pango_layout
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)  # as _draw_typed_apart
    if not layout.text.startswith(box.text):
        return []
    offsets = _byte_offsets(box.text, inserted)
    line, _ = layout.get_first_line()
    put_back = []
    run = line.runs
    while run != ffi.NULL:
        item, run = run.data, run.next
        if not item.item.analysis.level % 2:  # a right-to-left run: tatweels join Arabic letters
            continue
        pango_font = item.item.analysis.font
        font, font_size = stream.add_font(pango_font)
        table = _widened_table(font, faces)
        if table is None:
            continue
        before = letters_before(faces[font.file_content])
        glyphs, base = item.glyphs, item.item.offset
        size = box.style["font_size"] if pango.pango_version() < 14802 else font_size
        count = glyphs.num_glyphs
        for i in range(count):
            tatweel = glyphs.glyphs[i]
            if base + glyphs.log_clusters[i] not in offsets or tatweel.geometry.x_offset or tatweel.geometry.y_offset:
                continue
            advance = _advance(stream, pango_font, tatweel.glyph, size)
            if abs(tatweel.geometry.width * FROM_UNITS - advance * size / 1000) > 0.01:
                continue
            # The letter after it (to its left), unless Pango moved it or it carries a mark (the
            # glyph left of it, of no width: PDFium then reads the mark apart, at the line's
            # start, once the letter's glyph is the copy); else the letter before it, right next
            # to it (no mark between) and unmoved.
            sides = ((table, i - 1, i > 1 and glyphs.glyphs[i - 2].geometry.width == 0),
                     (before, i + 1, False))
            for copies, at, marked in sides:
                if not 0 <= at < count or marked or (glyphs.log_clusters[at] > glyphs.log_clusters[i]) != (at < i):
                    continue
                letter = glyphs.glyphs[at]
                copy = copies.copy(letter.glyph, tatweel.glyph)
                if copy is None or letter.geometry.x_offset or letter.geometry.y_offset or letter.geometry.width == 0:
                    continue
                if copy not in font.widths:
                    font.widths[copy] = _advance(stream, pango_font, letter.glyph, size) + advance
                put_back += [(info, info.glyph, info.geometry.width) for info in (tatweel, letter)]
                letter.glyph, letter.geometry.width = copy, letter.geometry.width + tatweel.geometry.width
                tatweel.glyph, tatweel.geometry.width = pango.PANGO_GLYPH_EMPTY, 0
                break
    return put_back


def _advance(stream, pango_font, glyph: int, size: float) -> int:
    """A glyph's advance in thousandths of the font size, as WeasyPrint writes widths."""
    from weasyprint.text.ffi import FROM_UNITS, pango

    pango.pango_font_get_glyph_extents(pango_font, glyph, stream.ink_rect, stream.logical_rect)
    return round(stream.logical_rect.width * 1000 * FROM_UNITS / size)


def _widened_table(font, faces: dict[bytes, Path]) -> WidenedLetters | None:
    """The widened letters of a WeasyPrint font, where its typed tatweels have copies too."""
    if _face_table(font, faces) is None:
        return None
    if not hasattr(font, "widened_letters"):
        font.widened_letters = widened_letters(faces[font.file_content])
    return font.widened_letters


def _face_table(font, faces: dict[bytes, Path]) -> TypedTatweels | None:
    """The copies for a WeasyPrint font, if it is one of the book's faces whose program the join
    makes (a TrueType outline font), and has drawn no character it lacks (WeasyPrint numbers
    those after the face's last glyph too; the sources refuse them: fonts.undrawable)."""
    if not hasattr(font, "typed_tatweels"):
        path = faces.get(font.file_content) if font.index == 0 else None
        usable = path is not None and "glyf" in font.tables and "gvar" not in font.tables and not font.bitmap
        font.typed_tatweels = typed_tatweels(path) if usable else None
    table = font.typed_tatweels
    if table is None or font.missing or font.glyph_count != table.glyph_count:
        return None
    return table


@contextlib.contextmanager
def typed_tatweels_apart(faces: dict[bytes, Path]) -> Iterator[None]:
    """While a part is written (font_programs.programs_left_to_the_join, whose join adds the
    copies to the programs), the author's tatweels in the faces `faces` (file content -> path)
    are drawn with their copies."""
    from weasyprint.draw import text as drawing

    from .justify import inserted_at  # the layout's side only

    plain = drawing.draw_first_line

    def draw_first_line(stream, box, text_overflow, block_ellipsis, matrix):
        put_back, widened = [], []
        inserted = inserted_at(box)
        if text_overflow != "ellipsis" and block_ellipsis == "none":
            if box.text.count(TATWEEL) > len(inserted):
                put_back = _draw_typed_apart(stream, box, set(inserted), faces)
            if inserted:
                widened = _draw_widened(stream, box, set(inserted), faces)
        try:
            return plain(stream, box, text_overflow, block_ellipsis, matrix)
        finally:  # the layout as it was, for whatever reads it next
            for info, glyph in put_back:
                info.glyph = glyph
            for info, glyph, width in widened:
                info.glyph, info.geometry.width = glyph, width

    drawing.draw_first_line = draw_first_line
    try:
        yield
    finally:
        drawing.draw_first_line = plain


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
    a joiner, like Amiri's joining strokes: a copied or searched word never holds an inserted
    one (most are drawn within copies of the letters after them, WidenedLetters, which read as
    those letters read). The author's tatweels, drawn with copies of the glyph (TypedTatweels),
    read as tatweels.

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
            readings, typed, widened = readings_of(path), typed_tatweels(path), widened_letters(path)
            copying = font.get("/Encoding") == "/Identity-H"  # else WeasyPrint drew a character the face lacks

            before = letters_before(path)

            def glyph_of(cid: int) -> int:  # a letter drawn with an inserted tatweel reads as the letter
                joined = (widened.source(cid) or before.source(cid)) if copying else None
                return joined[0] if joined else cid
            current = _read_cmap(font.ToUnicode.read_bytes())
            fixed = {cid: choose_reading(text, readings.get(glyph_of(cid), frozenset()))
                     for cid, text in current.items()}
            for cid in fixed:
                source = typed.source(cid) if copying else None
                if source:
                    fixed[cid] = TATWEEL * source[1]
                elif kashida and fixed[cid] == TATWEEL:
                    fixed[cid] = JOINER
            changed += sum(1 for cid in current if fixed[cid] != current[cid])
            font.ToUnicode = pdf.make_stream(_cmap_stream(fixed))
    return changed
