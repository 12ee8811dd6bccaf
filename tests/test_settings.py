"""book.toml's settings: every value checked (type, known values, "did you mean"), and what a
setting says holds in every edition."""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pypdfium2
import pytest
from lxml import etree

from conftest import copy_default_book, run_build
from test_bad_input import BOOK_TOML, make_book

PRINT = "[print]\n"
XHTML, OPS = "http://www.w3.org/1999/xhtml", "http://www.idpf.org/2007/ops"
CASES = {
    # setting: (book.toml, what the message must say, the line it names)
    "digits misspelt": (BOOK_TOML + '[layout]\ndigits = "westren"\n', 'did you mean "western"', 10),
    "digits unknown": (BOOK_TOML + '[layout]\ndigits = "bogus"\n', "arabic-indic, western, persian", 10),
    "page size pasted into CSS": (BOOK_TOML + '[layout]\npage-size = "A5; } @page { margin: 0"\n', "page size", 10),
    "language not Arabic": (BOOK_TOML.replace('language = "ar"', 'language = "en"'), "Arabic books", 3),
    "language misspelt": (BOOK_TOML.replace('language = "ar"', 'language = "arabic"'), '"ar"', 3),
    "edition misspelt": (BOOK_TOML.replace('["epub"]', '["epbu"]'), 'did you mean "epub"', 8),
    "editions a string": (BOOK_TOML.replace('["epub"]', '"pdf"'), "a list of strings", 8),
    "title a number": (BOOK_TOML.replace('title = "كتاب الاختبار"', "title = 5"), "a string", 2),
    "title with a control character": (BOOK_TOML.replace("كتاب الاختبار", "كتاب\\u0001"), "control character", 2),
    "creators a string": (BOOK_TOML + 'creators = "abc"\n', "a list of strings", 9),
    "slug leads elsewhere": (BOOK_TOML.replace('slug = "test-book"', 'slug = "../../x"'), "ASCII letters", 7),
    "trim misspelt": (BOOK_TOML + PRINT + 'trim = "6x9"\n', 'did you mean "6x9in"', 10),
    "paper unknown": (BOOK_TOML + PRINT + 'paper = "glossy"\n', "white, cream", 10),
    "pdf-x misspelt": (BOOK_TOML + PRINT + 'pdf-x = "x4"\n', 'did you mean "x-4"', 10),
    "spine direction": (BOOK_TOML + PRINT + 'spine-direction = "up"\n', "top-to-bottom", 10),
    "page multiple a word": (BOOK_TOML + PRINT + 'page-multiple = "two"\n', "a whole number", 10),
    "page multiple three": (BOOK_TOML + PRINT + "page-multiple = 3\n", "2 (an even page count) or 4", 10),
    "crop marks a word": (BOOK_TOML + PRINT + 'crop-marks = "no"\n', "true or false", 10),
    "print not a table": ("print = 5\n" + BOOK_TOML, "must be a table", 1),
    "table misspelt": (BOOK_TOML + "[chronolgy]\nhijri = true\n", 'did you mean "chronology"', 9),
    "chronology key unknown": (BOOK_TOML + "[chronology]\nhijiri = true\n", 'did you mean "hijri"', 10),
    "hijri a word": (BOOK_TOML + '[chronology]\nhijri = "yes"\n', "true or false", 10),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_setting_is_refused_with_its_line_and_a_suggestion(tmp_path, case):
    toml, says, line = CASES[case]
    book = make_book(tmp_path / "book", {"book.toml": toml})
    result = run_build("--book", book, "--out", tmp_path / "out")
    assert result.returncode == 2, f"{case}: exit {result.returncode}\n{result.stderr}"
    assert f"book.toml:{line}:" in result.stderr, result.stderr
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.epub"))


def test_a_regional_arabic_language_tag_is_accepted(tmp_path):
    book = make_book(tmp_path / "book", {"book.toml": BOOK_TOML.replace('language = "ar"', 'language = "ar-IQ"')})
    result = run_build("--book", book, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "test-book.epub") as epub:
        assert 'xml:lang="ar-IQ"' in epub.read("EPUB/content.opf").decode()


FOLIO = {"western": re.compile(r"^[0-9]+$"), "persian": re.compile(r"^[۰-۹]+$")}


@pytest.fixture(scope="module", params=["western", "persian"])
def digits_book(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"digits-{request.param}")
    book = copy_default_book(folder, data_files=True)
    toml = book / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('digits = "arabic-indic"', f'digits = "{request.param}"'),
                    encoding="utf-8")
    result = run_build("--book", book, "--out", folder / "out")
    assert result.returncode == 0, result.stderr
    return request.param, folder / "out"


@pytest.mark.parametrize("edition", ["ma-bad-daesh.pdf", "ma-bad-daesh-print.pdf"])
def test_digits_set_the_folios_and_the_page_labels_alike(digits_book, edition):
    digits, out = digits_book
    document = pypdfium2.PdfDocument(out / edition)
    with pikepdf.open(out / edition) as pdf:
        nums = pdf.Root.PageLabels.Nums
        labels = {int(nums[i]): str(nums[i + 1].P) for i in range(0, len(nums), 2)}
    folios = 0
    for index in range(len(document)):
        assert FOLIO[digits].match(labels[index]), labels[index]
        text = document[index].get_textpage().get_text_range().strip()
        if text and text.splitlines()[-1].strip() == labels[index]:
            folios += 1  # the folio printed at the page's foot is its label
    assert folios >= len(document) // 2, f"only {folios} of {len(document)} pages end with their label"


def test_digits_set_the_contents_index_and_epub_page_list(digits_book):
    digits, out = digits_book
    document = pypdfium2.PdfDocument(out / "ma-bad-daesh.pdf")
    contents = document[3].get_textpage().get_text_range()
    index = document[len(document) - 1].get_textpage().get_text_range()
    other = "٠١٢٣٤٥٦٧٨٩"  # the default digits must not show where the book chose others
    assert not set(contents) & set(other) and not set(index) & set(other)
    with zipfile.ZipFile(out / "ma-bad-daesh.epub") as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
    page_list = nav.find(f".//{{{XHTML}}}nav[@{{{OPS}}}type='page-list']")
    labels = [link.text for link in page_list.iter(f"{{{XHTML}}}a")]
    assert labels and all(FOLIO[digits].match(label) for label in labels), labels
