"""Font subsets for the EPUB: every character the book uses, every OpenType feature kept.

Glyph ids are retained, so a subset shapes exactly as the full font does (a test shapes every
line of the book through both with HarfBuzz and compares the glyph runs).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import tempfile
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


CACHE_VERSION = "1"  # bump when the subsetting options below change
CACHE_KEEP = 24      # subsets kept in a cache folder: recent texts of recent builds


def subset_font(path: Path, text: str, cache: Path | None = None) -> bytes:
    """The subset, from `cache` when this font and text were subset before (by this build's
    other process or an earlier build); subsetting is most of what an EPUB costs."""
    if cache is None:
        return _subset(path, text)
    key = hashlib.sha256(f"{CACHE_VERSION}\0{path}\0{path.stat().st_size}\0{text}".encode()).hexdigest()
    stored = cache / f"{key}.otf"
    if stored.is_file():
        return stored.read_bytes()
    data = _subset(path, text)
    cache.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=cache, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(scratch, stored)  # whole or not at all, whichever process gets here first
    for old in sorted(cache.glob("*.otf"), key=lambda f: f.stat().st_mtime)[:-CACHE_KEEP]:
        old.unlink(missing_ok=True)
    return data


def _subset(path: Path, text: str) -> bytes:
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
