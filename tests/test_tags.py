"""book/pdf/tags.py's `simplify_structure` on lists: every LI holds only Lbl and LBody (PDF/UA-1
7.2-20), a nested list sits in the LBody of its item, and the parent tree still leads every
marked-content id to the element that holds it."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from book.pdf.tags import simplify_structure
from book.pdfua import check_pdfua, reading_order
from conftest import structure_elements

# Every list shape WeasyPrint tags differently: tight (LI: Lbl, LBody), loose and the templates'
# own <li><p> (LI: Lbl, P…), text around a nested list (two LBody), a nested list alone
# (LI: Lbl, the L beside it), markers inside (a bare Span in the LI), and an item broken
# across pages (an LI with no Lbl, or empty, beside the rest of its nested list).
LISTS = """
<ul><li>tight one</li><li>tight two</li></ul>
<ol><li><p>loose one a</p><p>loose one b</p></li><li><p>loose two</p></li></ol>
<ul dir="rtl">
<li>
<p>template one</p>
<ul>
<li>
<p>template inner</p>
</li>
</ul>
</li>
</ul>
<ul><li>before<ul><li>nested tight</li></ul>after</li><li><ul><li>nested alone</li></ul></li></ul>
<ul style="list-style-position: inside"><li>inside marker</li></ul>
<ol><li><p>{long}</p><ol><li><p>{long}</p></li></ol></li><li><p>last</p></li></ol>
""".format(long="word " * 120)


@pytest.fixture(scope="module")
def lists(tmp_path_factory) -> tuple[Path, Path]:
    """The lists as WeasyPrint writes them, and the same file simplified."""
    from weasyprint import HTML
    folder = tmp_path_factory.mktemp("tags")
    raw, simple = folder / "raw.pdf", folder / "simple.pdf"
    html = f"""<html lang="en"><head><title>Lists</title>
      <style>@page {{ size: 300px 300px; margin: 20px }}</style></head><body>{LISTS}</body></html>"""
    HTML(string=html).write_pdf(raw, pdf_variant="pdf/ua-1")
    with pikepdf.open(raw) as pdf:
        simplify_structure(pdf)
        pdf.save(simple)
    return raw, simple


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K", pikepdf.Array())
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def test_weasyprint_alone_breaks_the_rule(lists):
    raw, _ = lists
    assert "7.2-20" in {v.rule for v in check_pdfua(raw)}  # else this test proves nothing


def test_every_list_item_holds_only_a_label_and_one_body(lists):
    _, simple = lists
    with pikepdf.open(simple) as pdf:
        items = structure_elements(pdf, "LI")
        assert len(items) > 10
        for item in items:
            kinds = [str(kid.get("/S")) if isinstance(kid, pikepdf.Dictionary) else kid for kid in _kids(item)]
            assert set(kinds) <= {"/Lbl", "/LBody"} and kinds.count("/LBody") <= 1, kinds
            for kid in _kids(item):
                assert kid.P.objgen == item.objgen
                assert "/Pg" not in item or kid.Pg.objgen == item.Pg.objgen
        for body in structure_elements(pdf, "LBody"):
            assert all(kid.P.objgen == body.objgen for kid in _kids(body) if isinstance(kid, pikepdf.Dictionary))


def test_a_nested_list_sits_in_its_items_body(lists):
    _, simple = lists
    with pikepdf.open(simple) as pdf:
        nested = [ul for ul in structure_elements(pdf, "L") if ul.P.get("/S") != "/Document"]
        assert len(nested) >= 4
        # An L directly in an L is allowed (7.2-19), but only where no item of its own list
        # stands before it; none does here.
        assert all(ul.P.S == "/LBody" and ul.P.P.S == "/LI" for ul in nested), [str(ul.P.S) for ul in nested]


def test_the_file_passes_pdfua_and_reads_as_before(lists):
    raw, simple = lists
    assert check_pdfua(simple) == []  # 7.2-17..20, and every MCID mapped to the element listing it
    # Folding joins the texts of Spans, so the elements differ; the words read in order do not.
    assert " ".join(text for _, text in reading_order(simple)).split() == \
        " ".join(text for _, text in reading_order(raw)).split()
