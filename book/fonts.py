"""The book's typefaces: which files, from which packages, under which CSS names."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import fontpkg_amiri
import fontpkg_ibm_plex_sans_arabic
import uharfbuzz as hb

BODY_FAMILY = "Amiri"
# Headings: a sans whose letters are whole glyphs. The Noto Kufi and Noto Sans Arabic fonts
# build letters from dotless skeletons plus dot glyphs, which no per-glyph ToUnicode map
# can read back (ب ت ث ن share one skeleton), so their headings would not search or copy.
HEADING_FAMILY = "IBM Plex Sans Arabic"


@dataclass(frozen=True)
class Face:
    family: str
    file: Path
    weight: str | None  # None: a variable font, whose axis gives every weight
    media_type: str = "font/ttf"

    @cached_property
    def _face(self) -> hb.Face:
        return hb.Face(hb.Blob.from_file_path(str(self.file)))

    @cached_property
    def postscript_name(self) -> str:
        return self._face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)

    @cached_property
    def characters(self) -> frozenset[str]:
        """The characters its cmap maps (HarfBuzz reads it in C: fontTools took a tenth of a
        second for the five faces, at every build's start)."""
        return frozenset(map(chr, self._face.unicodes))


FACES: tuple[Face, ...] = (
    Face(BODY_FAMILY, fontpkg_amiri.ROOT / "files" / "Amiri-Regular.ttf", "400"),
    Face(BODY_FAMILY, fontpkg_amiri.ROOT / "files" / "Amiri-Bold.ttf", "700"),
    Face(HEADING_FAMILY, fontpkg_ibm_plex_sans_arabic.ROOT / "files" / "IBMPlexSansArabic-Regular.ttf", "400"),
    Face(HEADING_FAMILY, fontpkg_ibm_plex_sans_arabic.ROOT / "files" / "IBMPlexSansArabic-SemiBold.ttf", "600"),
    Face(HEADING_FAMILY, fontpkg_ibm_plex_sans_arabic.ROOT / "files" / "IBMPlexSansArabic-Bold.ttf", "700"),
)


def files_by_postscript_name() -> dict[str, Path]:
    return {face.postscript_name: face.file for face in FACES}


def font_face_css(url_for) -> str:
    """@font-face rules for every face; `url_for(face)` says where the renderer finds the file."""
    rules = []
    for face in FACES:
        weight = f"\n  font-weight: {face.weight};" if face.weight else ""
        rules.append(
            f'@font-face {{\n  font-family: "{face.family}";\n  src: url("{url_for(face)}");{weight}\n'
            f"  font-style: normal;\n}}")
    return "\n".join(rules) + "\n"


# Format characters and a space that are drawn all the same: the Arabic number and year signs
# (prepended concatenation marks), the end of an ayah, the Ogham space mark.
_DRAWN_ANYWAY = frozenset([*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD,
                           0x1680])


def _invisible(char: str) -> bool:
    """Characters no glyph is drawn for: line ends and tabs, spaces (HarfBuzz makes any space
    the font lacks), format characters (ZWJ, ZWNJ, direction marks) and variation selectors."""
    code = ord(char)
    if code in _DRAWN_ANYWAY:
        return False
    return (unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp") or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F or code == 0x034F)


@lru_cache(maxsize=None)
def _drawn() -> frozenset[str]:
    """Every character some face of the book has a glyph for."""
    return frozenset().union(*(face.characters for face in FACES))


def undrawable(text: str) -> str | None:
    """The first character of `text` that none of the book's fonts can draw, or None.

    The renderer would print such a character as an empty box (.notdef), under a font encoding
    of its own that pypdf and others cannot read back: every word set in that font on those
    pages is lost from their text layer. A fallback from the machine's fonts would differ from
    machine to machine, and the EPUB carries only the book's fonts. The house styles name both
    families in every font stack, so a character either has is drawn by it wherever it stands;
    one that neither has is refused in the sources with its line (book/load/)."""
    missing = {char for char in set(text) - _drawn() if not _invisible(char)}  # a long text is read once, in C
    return next((char for char in text if char in missing), None) if missing else None


def undrawable_message(char: str) -> str:
    name = unicodedata.name(char, "")
    families = ", ".join(dict.fromkeys(face.family for face in FACES))
    return (f'the character "{char}" (U+{ord(char):04X}{" " + name if name else ""}) is in none of the book\'s '
            f"fonts ({families}): it would print as an empty box and drop words from the PDF's text layer; "
            "remove it or say it in words")
