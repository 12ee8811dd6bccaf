"""The EPUB's page-list: the print edition's pages, each marker where that page's first word is."""

from __future__ import annotations

import re
import zipfile

import pytest
from pypdf import PdfReader

from book.fidelity import words
from book.load import load_book
from conftest import ROOT, in_reading_order, named_page


@pytest.fixture(scope="module")
def package(built):
    with zipfile.ZipFile(built.epub) as archive:
        yield archive


def test_one_entry_per_page_of_the_print_edition(built, package):
    nav = package.read("EPUB/nav.xhtml").decode()
    page_list = re.search(r'<nav epub:type="page-list".*?</nav>', nav, re.S).group()
    entries = re.findall(r'<a href="([^"]+)#page-(\d+)">', page_list)
    pages = len(PdfReader(built.interior).pages)
    assert [int(n) for _, n in entries] == list(range(1, pages + 1))
    for document, number in entries:  # every entry lands on a marker that exists
        assert f'id="page-{number}"' in package.read(f"EPUB/{document}").decode()
    opf = package.read("EPUB/content.opf").decode()
    assert "<dc:source" in opf and 'property="source-of">pagination<' in opf


def test_markers_stand_before_the_first_words_of_their_print_page(built, package):
    book = load_book(ROOT)
    titles = {c.title for c in book.chapters}
    pages = in_reading_order(built.interior)
    checked = 0
    for chapter in book.chapters:
        xhtml = package.read(f"EPUB/{chapter.slug}.xhtml").decode()
        for match in re.finditer(r'id="page-(\d+)"', xhtml):
            after = re.sub(r"<[^>]+>", " ", xhtml[xhtml.index(">", match.end()) + 1:])
            following = words(after)[:3]
            lines = [line for line in pages[int(match.group(1)) - 1].extract_text().splitlines()
                     if line.strip() and line.strip() not in titles and not line.strip().isdigit()]
            if not lines or "الفصل" in lines[0]:  # a blank page or a chapter's opening page
                continue
            top = set(words(" ".join(lines[:2])))
            assert set(following) <= top, (match.group(1), following, lines[:2])
            checked += 1
    assert checked >= 4


def test_epub_index_cites_the_print_pages(built, package):
    import pikepdf
    index = package.read("EPUB/index.xhtml").decode()
    locators = re.findall(r'epub:type="index-locator" href="\w+\.xhtml#(ix-\d+)">([٠-٩]+)<', index)
    assert len(locators) > 20
    with pikepdf.open(built.interior) as pdf:
        for anchor, number in locators:
            assert named_page(pdf, anchor) == int(number.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))
