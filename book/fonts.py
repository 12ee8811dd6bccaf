"""The book's typefaces: which files, from which packages, under which CSS names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import fontpkg_amiri
import fontpkg_ibm_plex_sans_arabic
from fontTools.ttLib import TTFont

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
    def postscript_name(self) -> str:
        return TTFont(self.file, lazy=True)["name"].getDebugName(6)


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
