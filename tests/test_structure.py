"""A report's structure: front matter (unnumbered, before chapter one), appendices (lettered,
after the chapters) and parts (a title page, a level in the contents, the outline and the
EPUB's navigation). The default book with an undated preface as front matter, the tables and
notes fixtures as appendices, and each article opening a part of its own."""

from __future__ import annotations

import re
import shutil
import zipfile

import pypdfium2
import pytest
from lxml import etree

from book.load import load_book
from conftest import ROOT, copy_default_book, run_build

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _set(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = copy_default_book(tmp_path_factory.mktemp("report"), data_files=True)
    chapters, fixtures = root / "chapters", ROOT / "tests" / "fixtures"
    for name, target in (("undated-chapter.md", "00-preface.md"), ("tables-chapter.md", "05-tables.md"),
                         ("notes-chapter.md", "06-notes.md")):
        shutil.copy(fixtures / name, chapters / target)
    _set(chapters / "00-preface.md", "order = 0", 'kind = "front"')
    _set(chapters / "05-tables.md", "order = 5", 'kind = "appendix"')
    _set(chapters / "06-notes.md", "order = 6", 'kind = "appendix"')
    _set(chapters / "01-baghouz.md", "order = 1\n", 'order = 1\npart = "سوريا"\n')
    _set(chapters / "02-iraq.md", "order = 2\n", 'order = 2\npart = "العراق"\n')
    from PIL import Image
    (root / "images").mkdir()
    Image.new("RGB", (1400, 800), (235, 228, 210)).save(root / "images" / "chart.png")
    return root


@pytest.fixture(scope="module")
def built(report, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run_build("--book", report, "--out", out, "--edition", "pdf", "--edition", "epub")
    assert result.returncode == 0, result.stderr
    return out


def test_front_matter_comes_first_unnumbered_and_appendices_last_lettered(report):
    book = load_book(report)
    assert [c.slug for c in book.chapters] == ["preface", "baghouz", "iraq", "tables", "notes"]
    labels = [book.designations[c.slug].label() for c in book.chapters]
    assert labels == ["", "الفصل الأول", "الفصل الثاني", "ملحق أ", "ملحق ب"]
    assert [book.designations[c.slug].prefix() for c in book.chapters] == ["", "١-", "٢-", "أ-", "ب-"]
    assert [(p.title, p.ordinal, p.opens) for p in dict.fromkeys(book.parts.values())] == [
        ("سوريا", 1, "baghouz"), ("العراق", 2, "iraq")]
    assert "tables" not in book.parts and "preface" not in book.parts  # appendices are in no part


def _pages(pdf) -> list[str]:
    return [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(str(pdf))]


def test_the_pdf_names_each_chapter_by_its_kind_and_sets_each_part_on_a_page_of_its_own(built):
    pages = _pages(built / "ma-bad-daesh.pdf")
    preface = next(text for text in pages if "يجمع هذا الكتاب مقالين" in text)
    assert "الفصل" not in preface  # front matter: no number
    assert re.search(r"الفصل األول|الفصل الأول", next(t for t in pages if "الباغوز بعد عام" in t and "قبل عام" in t))
    tables = next(text for text in pages if "يعرض الجدول التالي" in text)
    assert "ملحق أ" in tables and "جدول أ" in tables  # the appendix's letter numbers its tables
    document = pypdfium2.PdfDocument(str(built / "ma-bad-daesh.pdf"))
    part = next(b.get_dest().get_index() for b in document.get_toc() if b.get_title() == "سوريا")
    assert len(pages[part].split()) <= 4  # «القسم الأول» and the part's title, nothing else (no folio)
    assert "الباغوز بعد عام" in pages[part + 1]  # then its first chapter
    contents = next(text for text in pages if text.startswith("المحتويات"))
    assert contents.index("تمهيد") < contents.index("الباغوز") < contents.index("جداول")


def test_the_outline_holds_parts_a_level_above_their_chapters(built):
    outline = [(b.level, b.get_title()) for b in pypdfium2.PdfDocument(str(built / "ma-bad-daesh.pdf")).get_toc()]
    top = [title for level, title in outline if level == 0]
    assert top[:6] == ["المحتويات", "تمهيد", "سوريا", "العراق", "جداول", "ملحق: حواش للاختبار"]
    assert (1, "الباغوز بعد عام: من التحرير إلى إعادة البناء") in outline
    assert outline[outline.index((0, "سوريا")) + 1] == (1, "الباغوز بعد عام: من التحرير إلى إعادة البناء")
    assert (2, "العودة إلى الحياة الطبيعية") in outline  # a section of a chapter in a part: a level lower


def test_the_epub_nests_chapters_in_their_parts_and_marks_front_matter_and_appendices(built):
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        nav = etree.fromstring(package.read("EPUB/nav.xhtml"))
        appendix = etree.fromstring(package.read("EPUB/tables.xhtml"))
        preface = etree.fromstring(package.read("EPUB/preface.xhtml"))
        chapter = etree.fromstring(package.read("EPUB/baghouz.xhtml"))
    toc = nav.find(f".//{XHTML}nav[@id='toc']/{XHTML}ol")
    entries = [li.find(f"{XHTML}a").text for li in toc.findall(f"{XHTML}li")]
    assert entries[:5] == ["تمهيد", "سوريا", "العراق", "جداول", "ملحق: حواش للاختبار"]
    syria = toc.findall(f"{XHTML}li")[1]
    assert [a.text for a in syria.findall(f"{XHTML}ol/{XHTML}li/{XHTML}a")] == ["الباغوز بعد عام: من التحرير إلى إعادة البناء"]
    landmarks = {a.get(EPUB_TYPE): a.get("href") for a in nav.iter(f"{XHTML}a") if a.get(EPUB_TYPE)}
    assert landmarks["bodymatter"] == "baghouz.xhtml"  # the first chapter, not the preface
    assert appendix.find(f".//{XHTML}section").get(EPUB_TYPE) == "appendix"
    assert preface.find(f".//{XHTML}section").get(EPUB_TYPE) == "frontmatter"
    part = chapter.find(f".//{XHTML}section")
    assert part.get(EPUB_TYPE) == "part" and part.get("role") == "doc-part"
    assert "".join(part.itertext()).split() == ["القسم", "الأول", "سوريا"]


@pytest.mark.parametrize("front, message", [
    ('kind = "epilogue"', 'kind is "front"'),
    ('kind = "appendix"\npart = "قسم"', "part"),
])
def test_a_wrong_kind_or_a_part_outside_the_chapters_is_refused_at_its_line(tmp_path, front, message):
    from test_bad_input import CHAPTER, make_book
    root = make_book(tmp_path / "book", {"chapters/one.md": CHAPTER.replace("order = 1", f"order = 1\n{front}")})
    result = run_build("--book", root, "--out", tmp_path / "out")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"one\.md:\d+: ", result.stderr) and message in result.stderr, result.stderr
