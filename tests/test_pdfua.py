"""The PDF/UA-1 checker (book/pdfua/): every profile rule accounted for, each check able to
fail on a small PDF broken on purpose, and the real screen PDF passing."""

from __future__ import annotations

import base64
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pikepdf
import pytest

from book.exact_text import compare, exact_words
from book.fidelity import reading_orders
from book.load import load_book
from book.model import Quotation
from book.pdfua import COVERED, NOT_COVERED, check_pdfua, reading_order
from conftest import ROOT, run_build, structure_elements
from test_structure import report  # noqa: F401  (the report book, a fixture)

PROFILE = Path("/work/shared/reference/verapdf-PDFUA-1.xml")
NS = "{http://www.verapdf.org/ValidationProfile}"


def _profile_rules() -> set[str]:
    ids = ET.parse(PROFILE).getroot().iter(f"{NS}id")
    return {f"{i.get('clause')}-{i.get('testNumber')}" for i in ids}


@pytest.mark.skipif(not PROFILE.is_file(), reason="veraPDF profile not at hand")
def test_every_profile_rule_is_covered_or_said_why_not():
    rules = _profile_rules()
    assert len(rules) == 106
    assert not set(COVERED) & set(NOT_COVERED)
    assert set(COVERED) | set(NOT_COVERED) == rules, (rules ^ (set(COVERED) | set(NOT_COVERED)))
    assert all(text.strip() for text in [*COVERED.values(), *NOT_COVERED.values()])


def _png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """A small PDF/UA-1 file from WeasyPrint: headings, a link, a figure with alt text, a list."""
    from weasyprint import HTML
    image = "data:image/png;base64," + base64.b64encode(_png()).decode()
    html = f"""<html lang="en"><head><title>Tiny</title></head><body>
      <h1>Title</h1><p>Hello <a href="#end">world</a></p>
      <img src="{image}" alt="A dot" style="width:20px"><ul><li>one</li><li>two</li></ul>
      <h2 id="end">End</h2></body></html>"""
    path = tmp_path_factory.mktemp("pdfua") / "tiny.pdf"
    HTML(string=html).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


def test_the_small_pdf_passes_and_reads_in_order(tiny):
    assert check_pdfua(tiny) == []
    order = reading_order(tiny)
    assert [text for _, text in order][:3] == ["Title", "Hello ", "world"]
    assert ("Link", "world") in order and ("Figure", "[A dot]") in order


def _append_content(pdf, data: bytes):
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(page.Contents.read_bytes() + b"\n" + data)


def _font_name(pdf) -> str:
    return str(next(iter(pdf.pages[0].obj.Resources.Font.keys())))


def _edit_xmp(pdf, pattern: bytes, replacement: bytes):
    pdf.Root.Metadata.write(re.sub(pattern, replacement, pdf.Root.Metadata.read_bytes(), flags=re.S))


def _unhook_first_heading(pdf):
    heading = structure_elements(pdf, "H1")[0]
    heading.P.K = pikepdf.Array([kid for kid in heading.P.K if kid.objgen != heading.objgen])


def _text_only_link(pdf):
    link = structure_elements(pdf, "Link")[0]
    link.K = pikepdf.Array([kid for kid in link.K if isinstance(kid, pikepdf.Dictionary)])


def _misdirect_parent_tree(pdf):
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    nums[1][0] = structure_elements(pdf, "Figure")[0]


def _circular_roles(pdf):
    pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Odd=pikepdf.Name.Even, Even=pikepdf.Name.Odd)
    structure_elements(pdf, "Span")[0].S = pikepdf.Name.Odd


BREAKAGES = {
    "6.2-1": lambda pdf: pdf.Root.__delattr__("MarkInfo"),
    "7.1-10": lambda pdf: setattr(pdf.Root.ViewerPreferences, "DisplayDocTitle", False),
    "7.1-11": lambda pdf: pdf.Root.__delattr__("StructTreeRoot"),
    "5-1": lambda pdf: _edit_xmp(pdf, rb'pdfuaid:part="1"', b""),
    "5-2": lambda pdf: _edit_xmp(pdf, rb'pdfuaid:part="1"', b'pdfuaid:part="2"'),
    "7.1-9": lambda pdf: _edit_xmp(pdf, rb"<dc:title>.*?</dc:title>", b""),
    "7.3-1": lambda pdf: structure_elements(pdf, "Figure")[0].__delattr__("Alt"),
    "link-text": _text_only_link,
    "mcid-reachable": _unhook_first_heading,
    "parent-tree": _misdirect_parent_tree,
    "7.4.2-1": lambda pdf: setattr(structure_elements(pdf, "H1")[0], "S", pikepdf.Name.H2),
    "7.4.4-2": lambda pdf: setattr(structure_elements(pdf, "H1")[0], "S", pikepdf.Name.H),
    "7.1-3": lambda pdf: _append_content(pdf, b"0 0 5 5 re f"),
    "7.1-1": lambda pdf: _append_content(pdf, b"/P <</MCID 90>> BDC /Artifact BMC 0 0 5 5 re f EMC EMC"),
    "7.1-2": lambda pdf: _append_content(pdf, b"/Artifact BMC /P <</MCID 91>> BDC 0 0 5 5 re f EMC EMC"),
    "7.1-5": lambda pdf: setattr(structure_elements(pdf, "Span")[0], "S", pikepdf.Name.Fancy),
    "7.1-6": _circular_roles,
    "7.1-7": lambda pdf: setattr(pdf.Root.StructTreeRoot, "RoleMap", pikepdf.Dictionary(Span=pikepdf.Name.P)),
    "7.2-17": lambda pdf: setattr(structure_elements(pdf, "L")[0], "S", pikepdf.Name.Div),
    "7.2-29": lambda pdf: setattr(pdf.Root, "Lang", pikepdf.String("en_GB!")),
    "7.2-34": lambda pdf: pdf.Root.__delattr__("Lang"),
    "7.9-1": lambda pdf: setattr(structure_elements(pdf, "Span")[0], "S", pikepdf.Name.Note),
    "7.18.3-1": lambda pdf: pdf.pages[0].obj.__delattr__("Tabs"),
    "7.18.5-1": lambda pdf: pdf.pages[0].obj.Annots[0].__delattr__("StructParent"),
    "7.18.5-2": lambda pdf: pdf.pages[0].obj.Annots[0].__delattr__("Contents"),
    "7.21.7-1": lambda pdf: pdf.pages[0].obj.Resources.Font[_font_name(pdf)].__delattr__("ToUnicode"),
    "7.21.4.1-1": lambda pdf: pdf.pages[0].obj.Resources.Font[_font_name(pdf)]
                                 .DescendantFonts[0].FontDescriptor.__delattr__("FontFile2"),
    "7.21.8-1": lambda pdf: _append_content(
        pdf, f"/Span <</MCID 92>> BDC BT {_font_name(pdf)} 12 Tf <0000> Tj ET EMC".encode()),
}


@pytest.mark.parametrize("rule", sorted(BREAKAGES))
def test_each_check_fails_on_a_pdf_broken_for_it(tiny, tmp_path, rule):
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(tiny) as pdf:
        BREAKAGES[rule](pdf)
        pdf.save(broken)
    violations = check_pdfua(broken)
    assert rule in {v.rule for v in violations}, violations
    assert all(v.message for v in violations)


def test_header_and_encryption_without_accessibility_fail(tiny, tmp_path):
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(tiny) as pdf:
        # qpdf keeps the accessibility bit off only for R3 (it forces it on for R4 and R6).
        locked = pikepdf.Encryption(owner="o", user="", R=3, aes=False, metadata=False,
                                    allow=pikepdf.Permissions(accessibility=False))
        pdf.save(broken, force_version="2.0", encryption=locked)
    assert {"6.1-1", "7.16-1"} <= {v.rule for v in check_pdfua(broken)}


def test_real_book_screen_pdf_passes(built):
    """The screen PDF passes every covered rule and the checks beside the profile; the
    structure tree read in order is printed: a screen reader's view."""
    for kind, text in reading_order(built.pdf)[:60]:
        print(f"{kind:>10}  {text}")
    violations = check_pdfua(built.pdf)
    assert not violations, "\n".join(f"{v.rule}: {v.message}" for v in violations[:30])
    headings = [kind for kind, _ in reading_order(built.pdf) if kind.startswith("H")]
    assert headings[0] == "H1"


def test_the_structure_tree_reads_the_articles_words_in_order(built):
    """What a screen reader walks (the structure tree, its marked content read through the
    fonts' ToUnicode maps) gives each article's words, in order, exact: lines joined with the
    space their break took, each line's runs in logical order. What is left: two glyphs of
    Amiri's that stand for no letter read as a joiner (U+200D) inside «الحين» and «الكهرباء»."""
    book = load_book(ROOT)
    read = reading_order(built.pdf)
    found = exact_words(" ".join(text for _, text in read))
    for chapter in book.chapters:
        for order in reading_orders(book, chapter, exact_words):
            matched, differing = compare(order, found)
            assert matched / len(order) >= 0.99, (chapter.slug, matched, len(order), differing[:10])
    # Each quotation is announced as one, with its words.
    quoted = [text for kind, text in read if kind == "BlockQuote P"]
    quotations = [block for chapter in book.chapters for block in chapter.blocks if isinstance(block, Quotation)]
    assert len(quoted) == sum(len(quotation.paragraphs) for quotation in quotations) > 0
    for quotation in quotations:
        words = exact_words(" ".join(paragraph.text.plain for paragraph in quotation.paragraphs))
        assert compare(words, exact_words(" ".join(quoted)))[0] == len(words)


def test_real_report_pdf_passes(report, tmp_path):  # noqa: F811  (the fixture imported above)
    """A report with a front-matter preface, parts, a table and figure appendix and footnotes
    (the book of tests/test_structure.py)."""
    out = tmp_path / "out"
    result = run_build("--book", report, "--out", out, "--edition", "pdf")
    assert result.returncode == 0, result.stderr
    pdf = next(out.glob("*.pdf"))
    kinds = {kind for kind, _ in reading_order(pdf)}
    assert {"TD", "Note", "Figure", "LBody", "Caption"} <= kinds, kinds
    violations = check_pdfua(pdf)
    # Its lists' items (<li><p>…</p></li>, loose or tight) hold Lbl and LBody only (7.2-20):
    # book/pdf/tags.py puts what WeasyPrint leaves beside the label into one LBody.
    assert not violations, "\n".join(f"{v.rule}: {v.message}" for v in violations[:30])
