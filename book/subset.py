"""Font subsets for the EPUB: every character the book uses, every OpenType feature kept.

Glyph ids are retained, so a subset shapes exactly as the full font does (a test shapes every
line of the book through both with HarfBuzz and compares the glyph runs).
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# Always kept: both digit systems, Arabic punctuation and the joiners and marks that text
# pasted later (or a reading system's own furniture, such as page numbers) may need.
ALWAYS = "0123456789٠١٢٣٤٥٦٧٨٩،؛؟«»()[]:.,-–—/%\u00a0\u200c\u200d\u200e\u200f\u061c "
_TAG = re.compile(r"<[^>]+>")
# The subsetter reports each table it drops (Amiri's "meta"): expected, not worth a warning.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def characters(documents: list[str]) -> str:
    """The characters of the (X)HTML documents' text, plus ALWAYS."""
    used = set(ALWAYS)
    for document in documents:
        used.update(_TAG.sub(" ", document))
    return "".join(sorted(c for c in used if c.isprintable() or c in ALWAYS))


def subset_font(path: Path, text: str) -> bytes:
    options = subset.Options()
    options.layout_features = ["*"]     # keep every feature: Amiri's shaping lives there
    options.retain_gids = True          # same glyph ids as the full font
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables = [t for t in options.drop_tables if t not in ("DSIG",)]
    font = TTFont(path, recalcTimestamp=False)  # keep head.modified: same input, same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
