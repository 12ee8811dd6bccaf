"""The EPUB's font subsets: smaller, and shaping every line of the book exactly as the full fonts."""

from __future__ import annotations

import re
import zipfile
import zlib

import pytest
import uharfbuzz as hb

from book.epub import font_href
from book.fonts import FACES


@pytest.fixture(scope="module")
def package(built):
    with zipfile.ZipFile(built.epub) as archive:
        yield archive


def _lines(package) -> list[str]:
    lines = []
    for name in package.namelist():
        if name.endswith(".xhtml"):
            text = re.sub(r"<[^>]+>", "\n", package.read(name).decode("utf-8"))
            lines += [line.strip() for line in text.splitlines() if line.strip()]
    return lines


def _shape(font: hb.Font, text: str) -> list[tuple]:
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return [(info.codepoint, info.cluster, pos.x_advance, pos.x_offset, pos.y_offset)
            for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions)]


@pytest.mark.parametrize("face", FACES, ids=lambda f: f.file.stem)
def test_subset_shapes_every_line_like_the_full_font(package, face):
    full = hb.Font(hb.Face(hb.Blob.from_file_path(str(face.file))))
    subset = hb.Font(hb.Face(hb.Blob(package.read("EPUB/" + font_href(face)))))
    lines = _lines(package)
    assert len(lines) > 100
    for line in lines:
        assert _shape(subset, line) == _shape(full, line), line


def test_epub_is_at_most_40_percent_of_its_size_with_full_fonts(built, package):
    subset_bytes = sum(package.getinfo("EPUB/" + font_href(face)).compress_size for face in FACES)
    full_bytes = sum(len(zlib.compress(face.file.read_bytes(), 6)) for face in FACES)
    size = built.epub.stat().st_size
    with_full_fonts = size - subset_bytes + full_bytes
    print(f"EPUB {size} bytes; with full fonts about {with_full_fonts} ({size / with_full_fonts:.0%})")
    assert size <= 0.40 * with_full_fonts
