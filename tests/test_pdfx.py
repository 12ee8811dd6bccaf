"""PDF/X print files: only CMYK colour, an output intent from the installed profile, the XMP
that names the version; X-1a when the book asks for it."""

from __future__ import annotations

import shutil
from collections import Counter

import pikepdf
import pytest

from conftest import copy_default_book, run_build

PDFX_ID = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"


def _colour_operators(pdf: pikepdf.Pdf) -> Counter:
    """Every colour operator with its operands, in pages and the forms they draw."""
    found: Counter = Counter()

    def walk(content, resources, seen):
        for operands, operator in pikepdf.parse_content_stream(content):
            if str(operator) in ("rg", "RG", "k", "K", "g", "G", "cs", "CS", "sc", "scn", "SC", "SCN"):
                found[(str(operator), tuple(str(v) for v in operands))] += 1
        for _, xobject in (resources or {}).get("/XObject", {}).items():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                walk(xobject, xobject.get("/Resources"), seen)

    for page in pdf.pages:
        walk(page, page.obj.get("/Resources"), set())
    return found


@pytest.mark.parametrize("which", ["interior", "cover"])
def test_print_files_are_pdfx4_in_cmyk(built, which):
    with pikepdf.open(getattr(built, which)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[12:16] == b"prtr" and profile[16:20] == b"CMYK"  # an output profile, CMYK
        assert int(intent.DestOutputProfile.N) == 4
        xmp = pdf.open_metadata()
        assert xmp[PDFX_ID] == "PDF/X-4" and xmp["pdf:Trapped"] == "False" and xmp["dc:title"]
        assert pdf.docinfo.Trapped == "/False" and pdf.pdf_version == "1.6"
        operators = _colour_operators(pdf)
        assert operators and {op for op, _ in operators} <= {"k", "K", "g", "G"}, operators
        assert not any(page.obj.get("/Annots") for page in pdf.pages)  # nothing clickable on a press sheet


def test_text_is_black_ink_alone(built):
    """Greys become black ink only, so body text prints on one plate, sharp."""
    with pikepdf.open(built.interior) as pdf:
        fills = Counter({operands: n for (op, operands), n in _colour_operators(pdf).items() if op == "k"})
    (most_used, _), *_ = fills.most_common(1)
    assert most_used == ("0", "0", "0", "1")
    greys = [operands for operands in fills if operands[:3] == ("0", "0", "0")]
    assert len(greys) >= 3  # the running head, captions and dates: greys on the black plate too


def test_x1a_when_the_book_asks(tmp_path):
    book = copy_default_book(tmp_path, 'pdf-x = "x-1a"\n')
    out = tmp_path / "out"
    result = run_build("--book", book, "--out", out, "--edition", "print")
    assert result.returncode == 0, result.stderr
    for name in ("ma-bad-daesh-print.pdf", "ma-bad-daesh-cover.pdf"):
        with pikepdf.open(out / name) as pdf:
            assert pdf.pdf_version == "1.4"
            assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"
            assert pdf.open_metadata()[PDFX_ID] == "PDF/X-1a:2003"
            for page in pdf.pages:  # no colour-managed spaces and no transparency in X-1a
                resources = page.obj.Resources
                assert "/ColorSpace" not in resources
                for _, state in resources.get("/ExtGState", {}).items():
                    assert float(state.get("/CA", 1)) == 1 and float(state.get("/ca", 1)) == 1
    check = run_build("check", "--book", book, "--out", out)
    assert "PDF/X-1a:2003, output intent FOGRA39, PDF 1.4" in check.stdout, check.stdout


def test_rgb_files_on_request_and_preflight_says_so(tmp_path):
    book = copy_default_book(tmp_path, 'pdf-x = "none"\n')
    out = tmp_path / "out"
    assert run_build("--book", book, "--out", out, "--edition", "print").returncode == 0
    with pikepdf.open(out / "ma-bad-daesh-print.pdf") as pdf:
        assert "/OutputIntents" not in pdf.Root
        assert any(op == "rg" for op, _ in _colour_operators(pdf))
    check = run_build("check", "--book", book, "--out", out)
    assert "warning: ma-bad-daesh-print.pdf: not PDF/X" in check.stdout, check.stdout


def test_a_book_may_bring_its_own_press_profile(tmp_path):
    from book.pdf.profiles import find_profile
    from book.print_spec import DEFAULT_CONDITION
    book = copy_default_book(tmp_path, 'output-profile = "press.icc"\noutput-condition = "Our press, coated"\n')
    shutil.copy(find_profile(DEFAULT_CONDITION.profile), book / "press.icc")
    out = tmp_path / "out"
    assert run_build("--book", book, "--out", out, "--edition", "print").returncode == 0
    with pikepdf.open(out / "ma-bad-daesh-print.pdf") as pdf:
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "Our press, coated"
