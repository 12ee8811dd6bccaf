"""The text layer repair, shown on WeasyPrint's own output before and after."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from weasyprint import HTML

from book.fidelity import coverage, words
from book.fonts import FACES, files_by_postscript_name
from book.pdf.textlayer import JOINER, choose_reading, glyph_readings, repair_to_unicode
from conftest import ARTICLES

AMIRI = FACES[0].file


def _text(pdf_bytes: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


@pytest.fixture(scope="module")
def raw_pdf() -> bytes:
    lines = [line for path in ARTICLES.values() for line in path.read_text(encoding="utf-8").splitlines()]
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    html = (f'<html lang="ar" dir="rtl"><style>@font-face {{ font-family: A; src: url("{AMIRI.as_uri()}"); }}'
            f"@page {{ size: A5; }} body {{ font-family: A; font-size: 12pt; text-align: justify; }}</style><body>{paragraphs}</body></html>")
    return HTML(string=html).write_pdf()


def test_plain_weasyprint_garbles_words_and_the_repair_restores_them(raw_pdf):
    source = words(" ".join(path.read_text(encoding="utf-8") for path in ARTICLES.values()))
    before = coverage(source, words(_text(raw_pdf)))
    print("plain WeasyPrint:", before.describe())
    assert before.missing, "WeasyPrint no longer garbles words here: is the repair still needed?"
    with pikepdf.open(io.BytesIO(raw_pdf)) as pdf:
        changed = repair_to_unicode(pdf, files_by_postscript_name())
        out = io.BytesIO()
        pdf.save(out)
    after = coverage(source, words(_text(out.getvalue())))
    print("repaired:", after.describe())
    assert changed > 0
    assert not after.missing, after.describe()


def test_readings_come_from_the_font():
    readings = glyph_readings(Path(AMIRI))
    assert len(readings) > 1000
    assert all(isinstance(r, frozenset) for r in readings.values())
    # Nominal glyphs read as their character.
    from fontTools.ttLib import TTFont
    font = TTFont(AMIRI, lazy=True)
    gid = font.getGlyphID(font.getBestCmap()[ord("ح")])
    assert readings[gid] == {"ح"}


def test_choose_reading_prefers_what_was_drawn_when_the_font_agrees():
    assert choose_reading("ي", frozenset({"ي", "ې"})) == "ي"
    assert choose_reading("", frozenset({"ح"})) == "ح"
    assert choose_reading("لك", frozenset({"ك"})) == "ك"
    assert choose_reading("ل", frozenset({"", "ـ"})) == JOINER  # never an empty mapping
    assert choose_reading("", frozenset({""})) == JOINER
    assert choose_reading("x", frozenset()) == "x"


def test_readings_learnt_in_a_child_process_are_the_fonts_own():
    """The join takes the fonts' readings worked out in a child during the layout."""
    from book.pdf import textlayer
    take = textlayer.learn_readings([Path(AMIRI)])
    take()
    assert Path(AMIRI) in textlayer._LEARNT
    assert textlayer.readings_of(Path(AMIRI)) == glyph_readings(Path(AMIRI))
    assert len(textlayer._LEARNT[Path(AMIRI)]) > 1000
