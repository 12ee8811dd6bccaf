"""A report's blocks through every stage, on the default book with one more chapter
(tests/fixtures/blocks-chapter.md), an undated preface (undated-chapter.md), verse
(verse-chapter.md), tables and a figure (tables-chapter.md) and footnotes (notes-chapter.md): lists, bulleted and numbered, nested and loose; a quotation
without a speaker; a section break; hard line breaks. The model, the index and the chronology (a
term and a date in list items, a term in the quotation), the EPUB's markup, and the screen PDF
(list markers at the right in the book's digits, tagged L/LI/Lbl/LBody, every word read back)."""

from __future__ import annotations

import json
import shutil
import zipfile

import pikepdf
import pypdfium2
import pytest
from lxml import etree
from pypdf import PdfReader

from book.fidelity import coverage, words
from book.load import load_book
from book.model import ListBlock, Paragraph
from conftest import copy_default_book, run_build

FIXTURE = "blocks-chapter.md"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def book_with_lists(tmp_path_factory):
    from conftest import ROOT
    root = copy_default_book(tmp_path_factory.mktemp("lists"), data_files=True)
    shutil.copy(ROOT / "tests" / "fixtures" / FIXTURE, root / "chapters" / "03-lists.md")
    shutil.copy(ROOT / "tests" / "fixtures" / "undated-chapter.md", root / "chapters" / "00-preface.md")
    shutil.copy(ROOT / "tests" / "fixtures" / "verse-chapter.md", root / "chapters" / "04-verse.md")
    shutil.copy(ROOT / "tests" / "fixtures" / "tables-chapter.md", root / "chapters" / "05-tables.md")
    shutil.copy(ROOT / "tests" / "fixtures" / "notes-chapter.md", root / "chapters" / "06-notes.md")
    from PIL import Image, ImageDraw
    chart = Image.new("RGB", (900, 500), (235, 228, 210))
    for number, height in enumerate((120, 260, 180, 340)):
        ImageDraw.Draw(chart).rectangle([100 + number * 190, 450 - height, 220 + number * 190, 450], fill=(176, 141, 87))
    (root / "images").mkdir()
    chart.save(root / "images" / "chart.png")
    return root


@pytest.fixture(scope="module")
def built(book_with_lists, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run_build("--book", book_with_lists, "--out", out, "--edition", "pdf", "--edition", "epub",
                       "--edition", "print")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def chapter(book_with_lists):
    return next(c for c in load_book(book_with_lists).chapters if c.slug == "lists")


def test_lists_are_typed_blocks_nested_numbered_and_loose(chapter):
    bulleted, numbered, loose = [b for b in chapter.blocks if isinstance(b, ListBlock)]
    assert not bulleted.ordered and bulleted.tight and len(bulleted.items) == 3
    nested = bulleted.items[1].blocks[1]
    assert isinstance(nested, ListBlock) and len(nested.items) == 2
    assert numbered.ordered and numbered.start == 3
    assert not loose.tight and [type(b) for b in loose.items[0].blocks] == [Paragraph, Paragraph]
    keys = [key for key, _ in chapter.texts()]
    assert len(keys) == len(set(keys))
    assert len([key for key in keys if "i" in key]) == 11  # every text of every item, nested ones too, once
    assert "بند متداخل أول" in chapter.body_text()


def _chapter_page(pdf_path, phrase: str) -> int:
    document = pypdfium2.PdfDocument(str(pdf_path))
    return next(number for number, page in enumerate(document, start=1)
                if phrase in page.get_textpage().get_text_range())


def test_a_term_and_a_date_in_list_items_are_indexed_and_dated_where_they_stand(built):
    pdf = built / "ma-bad-daesh.pdf"
    index = json.loads((built / "ma-bad-daesh.index.json").read_text(encoding="utf-8"))
    term = next(e for e in index["entries"] if e["heading"] == "الباغوز")
    in_chapter = [o["page"] for o in term["occurrences"] if o["chapter"] == "lists"]
    assert in_chapter == [_chapter_page(pdf, "بند أول"), _chapter_page(pdf, "اقتباس بلا قائل")]
    events = json.loads((built / "ma-bad-daesh.chronology.json").read_text(encoding="utf-8"))["events"]
    dated = [e for e in events if e["chapter"] == "lists"]
    assert [e["date"] for e in dated] == ["2021-04-05"]
    assert dated[0]["page"] == _chapter_page(pdf, "بند متداخل أول")


def test_the_epub_sets_lists_as_lists(built):
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        name = next(n for n in package.namelist() if "lists" in n and n.endswith(".xhtml"))
        tree = etree.fromstring(package.read(name))
    lists = tree.findall(f".//{XHTML}section//{XHTML}ul") + tree.findall(f".//{XHTML}section//{XHTML}ol")
    assert len(lists) == 4  # three lists, one nested
    numbered = [element for element in lists if element.tag == f"{XHTML}ol"]
    assert numbered[0].get("start") == "3" and numbered[1].get("class") == "loose"
    nested = tree.find(f".//{XHTML}li/{XHTML}ul")
    assert nested is not None and "بند متداخل ثان" in "".join(nested.itertext())
    text = " ".join(tree.find(f".//{XHTML}section").itertext())
    for phrase in ("بند أول يذكر", "الخطوة الخامسة", "وهذه الفقرة الثانية من البند نفسه"):
        assert phrase in text


def _structure_types(pdf: pikepdf.Pdf) -> set[str]:
    seen, todo = set(), [pdf.Root.StructTreeRoot]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                seen.add(str(node.S))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                todo.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                todo.append(kids)
    return seen


def test_the_screen_pdf_tags_lists_and_reads_back_their_words(built, chapter):
    with pikepdf.open(built / "ma-bad-daesh.pdf") as pdf:
        assert {"/L", "/LI", "/Lbl", "/LBody"} <= _structure_types(pdf)
    text = "\n".join(page.extract_text() for page in PdfReader(built / "ma-bad-daesh.pdf").pages)
    result = coverage(words(chapter.body_text()), words(text))
    assert result.ratio >= 0.995, result.describe()


def test_numbers_sit_at_the_right_of_their_items_in_the_books_digits(built):
    document = pypdfium2.PdfDocument(str(built / "ma-bad-daesh.pdf"))
    page = document[_chapter_page(built / "ma-bad-daesh.pdf", "الخطوة الثالثة") - 1]
    textpage = page.get_textpage()
    content = textpage.get_text_range()
    chars = [(content[i], textpage.get_charbox(i)) for i in range(len(content))]
    phrase = content.index("الخطوة الثالثة")
    line_box = [box for _, box in chars[phrase:phrase + len("الخطوة الثالثة")] if box[2] > box[0]]
    right, bottom, top = max(b[2] for b in line_box), min(b[1] for b in line_box), max(b[3] for b in line_box)
    markers = [box for char, box in chars if char == "٣" and box[1] < top and box[3] > bottom]
    assert markers, "no ٣ on the item's line"
    assert all(box[0] >= right for box in markers)  # the number stands at the right of the words


def test_a_quotation_without_speaker_is_set_apart_and_not_a_saying(book_with_lists, built, chapter):
    from book.model import BlockQuote
    quoted = [b for b in chapter.blocks if isinstance(b, BlockQuote)]
    assert len(quoted) == 1 and quoted[0].paragraphs[0].text.plain.startswith("اقتباس بلا قائل")
    assert all(not q.paragraphs[0].text.plain.startswith("اقتباس بلا قائل")
               for _, q in load_book(book_with_lists).quotations)
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        chapter_xhtml = package.read("EPUB/lists.xhtml").decode()
        sayings = package.read("EPUB/sayings.xhtml").decode()
    assert '<blockquote class="plain">' in chapter_xhtml and "اقتباس بلا قائل" not in sayings


def test_a_section_break_is_an_ornament_and_line_breaks_stay_lines(built, chapter):
    from book.model import SectionBreak
    assert sum(isinstance(b, SectionBreak) for b in chapter.blocks) == 1
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        tree = etree.fromstring(package.read("EPUB/lists.xhtml"))
    assert len(tree.findall(f".//{XHTML}hr[@class='section-break']")) == 1
    address = next(p for p in tree.iter(f"{XHTML}p") if "عنوان المراسلة" in "".join(p.itertext()))
    assert len(address.findall(f"{XHTML}br")) == 2
    pdf = built / "ma-bad-daesh.pdf"
    page = pypdfium2.PdfDocument(str(pdf))[_chapter_page(pdf, "الرشيد") - 1]
    textpage = page.get_textpage()
    content = textpage.get_text_range()
    assert "⁂" in content  # the ornament
    tops = [round(textpage.get_charbox(content.index(word))[3]) for word in ("المراسلة", "الرشيد", "بغداد")]
    assert tops[0] > tops[1] > tops[2]  # three lines, in order down the page


def test_an_undated_chapter_builds_without_a_date_and_dates_only_what_says_its_year(book_with_lists, built):
    chapters = load_book(book_with_lists).chapters
    assert chapters[0].slug == "preface" and chapters[0].date is None  # first: its order is 0
    events = json.loads((built / "ma-bad-daesh.chronology.json").read_text(encoding="utf-8"))["events"]
    assert [e["date"] for e in events if e["chapter"] == "preface"] == ["2019-03-23"]  # not «قبل عام»
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        head = etree.fromstring(package.read("EPUB/preface.xhtml"))
        imprint = package.read("EPUB/titlepage.xhtml").decode()
    assert not [p for p in head.iter(f"{XHTML}p") if p.get("class") == "chapter-date"]
    assert '<span class="source-title">تمهيد</span></li>' in imprint


def test_headings_to_four_levels_nest_in_the_navigation_and_outline_and_the_contents_stops_at_three(built):
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        nav = etree.fromstring(package.read("EPUB/nav.xhtml"))
    links = {"".join(a.itertext()): a for a in nav.iter(f"{XHTML}a")}
    detail = links["تفصيل داخل الفرع"]
    parents = [li.find(f"{XHTML}a").text for li in detail.iterancestors(f"{XHTML}li")][1:]
    assert parents == ["فرع أول", "قسم للاختبار", "ملحق: قوائم للاختبار"]
    assert [li.find(f"{XHTML}a").text for li in links["فرع ثان"].iterancestors(f"{XHTML}li")][1:2] == ["قسم للاختبار"]
    with pikepdf.open(built / "ma-bad-daesh.pdf") as pdf, pdf.open_outline() as outline:
        chapter = next(item for item in outline.root if item.title == "ملحق: قوائم للاختبار")
        [section] = chapter.children
        assert [c.title for c in section.children] == ["فرع أول", "فرع ثان"]
        assert [c.title for c in section.children[0].children] == ["تفصيل داخل الفرع"]
    contents = next(page.extract_text() for page in PdfReader(built / "ma-bad-daesh.pdf").pages
                    if "المحتويات" in page.extract_text())
    assert "فرع أول" in contents and "تفصيل داخل الفرع" not in contents  # [layout] contents-depth = 3


def test_verse_is_set_in_hemistichs_the_first_at_the_right(book_with_lists, built):
    from book.model import Verse
    chapter = next(c for c in load_book(book_with_lists).chapters if c.slug == "verse")
    [verse] = [b for b in chapter.blocks if isinstance(b, Verse)]
    first, second = verse.stanzas[0]  # parted by " … ", then by a tab
    assert (first.first.plain, first.second.plain) == ("على قدر أهل العزم تأتي العزائم", "وتأتي على قدر الكرام المكارم")
    assert second.second.plain == "وتصغر في عين العظيم العظائم"
    assert verse.stanzas[1][0].second is None  # a line set alone
    index = json.loads((built / "ma-bad-daesh.index.json").read_text(encoding="utf-8"))
    term = next(e for e in index["entries"] if e["heading"] == "الباغوز")
    assert [o["chapter"] for o in term["occurrences"]].count("verse") == 1  # a term in verse is indexed
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        tree = etree.fromstring(package.read("EPUB/verse.xhtml"))
    lines = [p for p in tree.iter(f"{XHTML}p") if "verse-line" in (p.get("class") or "")]
    assert [len(line.findall(f"{XHTML}span[@class='hemistich']")) for line in lines] == [2, 2, 1]
    pdf = built / "ma-bad-daesh.pdf"
    page = pypdfium2.PdfDocument(str(pdf))[_chapter_page(pdf, "المكارم") - 1]
    textpage = page.get_textpage()
    content = textpage.get_text_range()
    first_half, second_half = (textpage.get_charbox(content.index(word)) for word in ("العزائم", "المكارم"))
    assert abs(first_half[1] - second_half[1]) < 2  # one line
    assert first_half[0] > second_half[2]  # the first hemistich at the right of the second


def test_a_table_is_numbered_in_its_chapter_scoped_tagged_and_read_by_every_stage(book_with_lists, built):
    from book.model import Table
    chapter = next(c for c in load_book(book_with_lists).chapters if c.slug == "tables")
    table, long = [b for b in chapter.blocks if isinstance(b, Table)]
    assert long.number == 2 and long.caption.plain == "قائمة طويلة للاختبار"  # "جدول:" captions too
    assert table.align == ("", "right", "center") and len(table.rows) == 3
    assert table.caption.plain == "توزيع مشاريع إعادة الاستقرار"
    index = json.loads((built / "ma-bad-daesh.index.json").read_text(encoding="utf-8"))
    term = next(e for e in index["entries"] if e["heading"] == "الباغوز")
    pdf = built / "ma-bad-daesh.pdf"
    in_tables = [o["page"] for o in term["occurrences"] if o["chapter"] == "tables"]
    assert in_tables[0] == _chapter_page(pdf, "التعليم") and len(in_tables) == 2  # the cell, then a caption
    events = json.loads((built / "ma-bad-daesh.chronology.json").read_text(encoding="utf-8"))["events"]
    assert [e["date"] for e in events if e["chapter"] == "tables"] == ["2021-04-05"]  # a date in a cell
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        tree = etree.fromstring(package.read("EPUB/tables.xhtml"))
    assert [th.get("scope") for th in tree.iter(f"{XHTML}th")] == ["col"] * 5  # two tables: 3 + 2 columns
    caption = "".join(tree.find(f".//{XHTML}caption").itertext())
    # chapter 6 (after the preface), its number between bidi isolates (issue 21: arabic.isolate)
    assert caption.startswith("جدول \u2067٦-١\u2069") and "إعادة الاستقرار" in caption
    with pikepdf.open(pdf) as document:
        assert {"/Table", "/TR", "/TH", "/TD"} <= _structure_types(document)
    text = PdfReader(pdf).pages[_chapter_page(pdf, "التعليم") - 1].extract_text()
    for cell in ("الصحة في الباغوز", "عدد المشاريع", "30%"):
        assert cell in text


def test_a_long_table_repeats_its_header_on_every_page_and_never_splits_a_row(built):
    pages = [page.extract_text() for page in PdfReader(built / "ma-bad-daesh.pdf").pages]
    crossed = [text for text in pages if "في القائمة الطويلة" in text]
    assert len(crossed) >= 2, "the long table fits one page: make it longer"
    for text in crossed:
        assert "القيمة" in text  # the header row, on every page the table crosses
    rows = [line for text in crossed for line in text.splitlines() if "في القائمة الطويلة" in line]
    assert len(rows) == 60  # every row whole on one page


ALT = "مخطط أعمدة لعدد المشاريع في أربعة قطاعات، أعلاها قطاع المياه"


def test_a_figure_is_embedded_at_its_size_with_its_alternative_text_in_every_edition(book_with_lists, built):
    from book.model import Figure
    chapter = next(c for c in load_book(book_with_lists).chapters if c.slug == "tables")
    [figure] = [b for b in chapter.blocks if isinstance(b, Figure)]
    assert (figure.src, figure.alt, figure.number, figure.width, figure.height) == ("images/chart.png", ALT, 1, 900, 500)
    assert figure.caption.plain == "عدد المشاريع في الباغوز بحسب القطاع"
    index = json.loads((built / "ma-bad-daesh.index.json").read_text(encoding="utf-8"))
    term = next(e for e in index["entries"] if e["heading"] == "الباغوز")
    pdf = built / "ma-bad-daesh.pdf"
    assert _chapter_page(pdf, "بحسب القطاع") in [o["page"] for o in term["occurrences"] if o["chapter"] == "tables"]
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        tree = etree.fromstring(package.read("EPUB/tables.xhtml"))
        opf = package.read("EPUB/content.opf").decode()
        assert package.read("EPUB/figures/images/chart.png") == (book_with_lists / "images" / "chart.png").read_bytes()
    img = tree.find(f".//{XHTML}figure/{XHTML}img")
    assert img.get("src") == "figures/images/chart.png" and img.get("alt") == ALT
    assert 'href="figures/images/chart.png"' in opf and 'media-type="image/png"' in opf
    caption = "".join(tree.find(f".//{XHTML}figure/{XHTML}figcaption").itertext())
    assert caption.startswith("شكل \u2067٦-١\u2069")  # isolated, as a table's
    with pikepdf.open(pdf) as document:
        figures = [node for node in _structure_nodes(document) if node.get("/S") == "/Figure"]
        assert [str(node.Alt) for node in figures] == [ALT]
        assert [(int(i.Width), int(i.Height)) for i in _images(document)] == [(900, 500)]  # at its pixel size
    with pikepdf.open(built / "ma-bad-daesh-print.pdf") as printed:
        [image] = _images(printed)
        # IngramSpark's black-and-white interior: the figure in black ink alone, as greys
        assert image.ColorSpace == pikepdf.Name.DeviceGray
        decoded = pikepdf.PdfImage(image).as_pil_image()  # its data decodes, to the chart drawn
        assert decoded.mode == "L" and decoded.size == (900, 500)
        darkest, lightest = decoded.getextrema()
        assert darkest < lightest  # the bars and the ground, not a blank


def _images(pdf: pikepdf.Pdf) -> list:
    """Every image XObject the pages use, once (pages may share one resources dictionary)."""
    found = {}
    for page in pdf.pages:
        for _, xobject in page.obj.get("/Resources", {}).get("/XObject", {}).items():
            if xobject.get("/Subtype") == pikepdf.Name.Image:
                found[xobject.objgen] = xobject
    return list(found.values())


def _structure_nodes(pdf: pikepdf.Pdf):
    todo = [pdf.Root.StructTreeRoot]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Dictionary):
            yield node
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                todo.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                todo.append(kids)


def test_every_blocks_words_read_back_from_the_epub_in_order(book_with_lists, built):
    """`book check`'s EPUB fidelity on the book holding every block: the numbers and labels the
    templates add are not the author's words, a figure's caption is."""
    from book.build import prepare
    from book.checks import epub_fidelity
    findings = epub_fidelity(prepare(book_with_lists), built / "ma-bad-daesh.epub")
    assert [f.severity for f in findings] == ["info"], [f.message for f in findings]


def test_preflight_names_a_figures_file_when_it_prints_under_300_dpi(book_with_lists, built):
    from book.build import prepare
    from book.preflight import check_interior
    findings, _ = check_interior(prepare(book_with_lists), built / "ma-bad-daesh-print.pdf")
    [low] = [f for f in findings if "dpi" in f.message]  # 900 px over the measure: about 205 dpi
    assert low.severity == "error" and 'image "images/chart.png"' in low.message and "page " in low.message


# Footnotes (notes-chapter.md): each note's call (the words just before it) and its words.
NOTES = {1: ("تبدأ بحاشية في فقرة عادية", "ولها فقرة ثانية تكمل الشرح"),
         2: ("يستدعي حاشية مكتوبة في موضعها", "حاشية داخلية كتبت في موضع"),
         3: ("بند في قائمة يستدعي حاشية", "حاشية البند الأول من القائمة"),
         4: ("اقتباس بلا قائل يستدعي حاشية", "حاشية الاقتباس"),
         5: ("نسبة الإنجاز", "حاشية خلية الجدول"),
         6: ("بأرقام الكتاب نفسها", "حاشية طويلة نسبيا")}


@pytest.fixture(scope="module")
def notes_chapter(book_with_lists):
    return next(c for c in load_book(book_with_lists).chapters if c.slug == "notes")


def test_notes_are_numbered_by_their_first_call_and_keep_their_paragraphs(notes_chapter):
    from book.model import NoteCall
    assert [note.number for note in notes_chapter.notes] == [1, 2, 3, 4, 5, 6]
    first = notes_chapter.notes[0]
    assert len(first.paragraphs) == 2 and first.paragraphs[1].text.plain == "ولها فقرة ثانية تكمل الشرح."
    assert notes_chapter.notes[1].paragraphs[0].text.plain.startswith("حاشية داخلية")  # ^[…] written in place
    calls = [part for _, text in notes_chapter.texts() for part in text.parts if isinstance(part, NoteCall)]
    assert [(c.number, c.repeat) for c in calls] == [(1, 0), (1, 1), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0)]
    assert "[^" not in notes_chapter.body_text() and "^[" not in notes_chapter.body_text()
    assert notes_chapter.line_of("n3p0") == 29  # "[^list]: …" in the file
    # the calls are not words: the sentence reads as written
    assert "تبدأ بحاشية في فقرة عادية ثم تعود إلى النص." in notes_chapter.body_text()


def test_each_footnote_is_on_the_page_of_its_call_whole(built):
    """Read with PDFium. Notes 4 and 5 are called on a page whose last paragraph does not fit:
    WeasyPrint would move them to the next page to make room for its lines (book/pdf/footnotes.py)."""
    pdf = built / "ma-bad-daesh.pdf"
    for number, (call, words_of_note) in NOTES.items():
        assert _chapter_page(pdf, words_of_note) == _chapter_page(pdf, call), f"note {number}"
    assert _chapter_page(pdf, "حاشية طويلة نسبيا") == _chapter_page(pdf, "إذا لم يتسع لها المكان")  # never split
    page = pypdfium2.PdfDocument(str(pdf))[_chapter_page(pdf, "حاشية الاقتباس") - 1]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    call, note = (textpage.get_charbox(text.index(phrase)) for phrase in ("اقتباس بلا قائل", "حاشية الاقتباس"))
    assert note[1] < call[1]  # at the foot (PDF y grows upwards)
    assert "٤ حاشية الاقتباس" in text  # numbered in the book's digits


def test_footnotes_are_tagged_note_with_ids_and_their_calls_reference_links(built):
    with pikepdf.open(built / "ma-bad-daesh.pdf") as pdf:
        nodes = list(_structure_nodes(pdf))
        notes = [node for node in nodes if node.get("/S") == "/Note"]
        assert sorted(str(note.ID) for note in notes) == sorted(f"notes-note-{n}" for n in NOTES)
        references = [node for node in nodes if node.get("/S") == "/Reference"]
        assert len(references) == 7  # every call, the repeated one too
        for reference in references:
            kids = reference.K if isinstance(reference.K, pikepdf.Array) else [reference.K]
            assert [str(kid.S) for kid in kids if isinstance(kid, pikepdf.Dictionary)] == ["/Link"]


def test_the_epub_links_each_call_to_a_footnote_and_back(built):
    epub_type = "{http://www.idpf.org/2007/ops}type"
    with zipfile.ZipFile(built / "ma-bad-daesh.epub") as package:
        tree = etree.fromstring(package.read("EPUB/notes.xhtml"))
    ids = {element.get("id"): element for element in tree.iter() if element.get("id")}
    calls = [a for a in tree.iter(f"{XHTML}a") if a.get(epub_type) == "noteref"]
    assert len(calls) == 7 and all(a.get("role") == "doc-noteref" for a in calls)
    for call in calls:
        note = ids[call.get("href").lstrip("#")]
        assert note.tag == f"{XHTML}aside" and note.get(epub_type) == "footnote" and note.get("role") == "doc-footnote"
        back = next(a for a in note.iter(f"{XHTML}a") if a.get("role") == "doc-backlink")
        assert ids[back.get("href").lstrip("#")].get(epub_type) == "noteref"  # back to a call
    asides = [element for element in tree.iter(f"{XHTML}aside")]
    assert len(asides) == 6 and "".join(asides[3].itertext()).strip() == "\u2067٤\u2069 حاشية الاقتباس."  # number isolated


def test_a_term_and_a_date_in_a_footnote_are_indexed_and_dated_at_the_notes_page(built):
    pdf = built / "ma-bad-daesh.pdf"
    page = _chapter_page(pdf, "ولها فقرة ثانية تكمل الشرح")
    index = json.loads((built / "ma-bad-daesh.index.json").read_text(encoding="utf-8"))
    baghouz = next(e for e in index["entries"] if e["heading"] == "الباغوز")
    assert [o["page"] for o in baghouz["occurrences"] if o["chapter"] == "notes"] == [page]
    mosul = next(e for e in index["entries"] if e["heading"] == "الموصل")
    assert [o["page"] for o in mosul["occurrences"] if o["chapter"] == "notes"] == [_chapter_page(pdf, "حاشية داخلية")]
    events = json.loads((built / "ma-bad-daesh.chronology.json").read_text(encoding="utf-8"))["events"]
    dated = [e for e in events if e["chapter"] == "notes"]
    assert [(e["date"], e["page"]) for e in dated] == [("2019-03-03", page)]


def test_the_notes_words_read_back_in_order_from_the_pdf(book_with_lists, built):
    """`book check`'s PDF fidelity: the blocks' words in order, and the notes' in theirs."""
    from book.build import prepare
    from book.checks import pdf_fidelity
    findings = pdf_fidelity(prepare(book_with_lists), built / "ma-bad-daesh.pdf")
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings]
    assert not [f for f in findings if "chapter notes" in f.message and "حاشية" in f.message]


@pytest.fixture(scope="module")
def endnotes_built(tmp_path_factory):
    from conftest import ROOT
    root = copy_default_book(tmp_path_factory.mktemp("endnotes"), data_files=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "notes-chapter.md", root / "chapters" / "06-notes.md")
    toml = root / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('digits = "arabic-indic"',
                                                             'digits = "arabic-indic"\nnotes = "endnotes"'),
                    encoding="utf-8")
    out = tmp_path_factory.mktemp("endnotes-out")
    result = run_build("--book", root, "--out", out, "--edition", "pdf", "--edition", "epub")
    assert result.returncode == 0, result.stderr
    return out


def test_endnotes_follow_their_chapter_in_the_pdf_and_are_endnotes_in_the_epub(endnotes_built):
    pdf = endnotes_built / "ma-bad-daesh.pdf"
    end = _chapter_page(pdf, "بأرقام الكتاب نفسها")
    for _, words_of_note in NOTES.values():
        assert _chapter_page(pdf, words_of_note) >= end  # after the chapter's last words, not at a page's foot
    text = pypdfium2.PdfDocument(str(pdf))[_chapter_page(pdf, "حاشية الاقتباس") - 1].get_textpage().get_text_range()
    assert "الحواشي" in text and text.index("حاشية البند") < text.index("حاشية الاقتباس")
    with pikepdf.open(pdf) as document:
        notes = [node for node in _structure_nodes(document) if node.get("/S") == "/Note"]
        assert sorted(str(note.ID) for note in notes) == sorted(f"notes-note-{n}" for n in NOTES)
    epub_type = "{http://www.idpf.org/2007/ops}type"
    with zipfile.ZipFile(endnotes_built / "ma-bad-daesh.epub") as package:
        tree = etree.fromstring(package.read("EPUB/notes.xhtml"))
    asides = list(tree.iter(f"{XHTML}aside"))
    assert len(asides) == 6 and {a.get(epub_type) for a in asides} == {"endnote"}


# Every block type through every stage: the index finds a term in it, the chronology a date
# (where the fixtures date one), and the screen PDF's text layer holds its words in order.
BLOCK_TYPES = {  # type: (a term is indexed in it, a date in it reaches the chronology)
    "paragraph": (True, True), "heading": (False, False), "quotation": (True, False),
    "block quotation": (True, False), "list item": (True, True), "verse": (True, False),
    "table cell": (True, True), "table caption": (True, False), "figure caption": (True, False),
    "footnote": (True, True),
}


def _text_types(chapter) -> dict[str, str]:
    """Each text's key in `chapter`, and the type of block it belongs to."""
    from book.model import (BlockQuote, Figure, Heading, ListBlock, Quotation, Table, Verse, block_key,
                            block_texts)
    names = {Heading: "heading", Quotation: "quotation", BlockQuote: "block quotation", ListBlock: "list item",
             Verse: "verse", Figure: "figure caption"}
    found = {}
    for index, block in enumerate(chapter.blocks):
        for key, _ in block_texts(block, block_key(index)):
            if isinstance(block, Table):
                found[key] = "table caption" if key.endswith("t") else "table cell"
            else:
                found[key] = names.get(type(block), "paragraph")
    for key, _ in chapter.texts():
        found.setdefault(key, "footnote")  # what the blocks do not hold: the notes
    return found


@pytest.fixture(scope="module")
def prepared(book_with_lists):
    from book.build import prepare
    return prepare(book_with_lists)


@pytest.fixture(scope="module")
def readings(built):
    """The screen PDF's text as PDFium and pypdf read it, every page."""
    from book.checks import _Extractors
    extractors = _Extractors(built / "ma-bad-daesh.pdf")
    try:
        return extractors.read(list(range(len(extractors.pypdf.pages))))
    finally:
        extractors.close()


@pytest.mark.parametrize("kind", sorted(BLOCK_TYPES))
def test_every_block_type_is_indexed_dated_and_read_back_in_order(kind, prepared, readings):
    from book.fidelity import place
    indexed, dated = BLOCK_TYPES[kind]
    where: dict[str, str] = {}  # anchor -> the type of the text holding it
    source: list[str] = []      # the type's words, in the book's order
    for chapter in prepared.chapters:
        types = _text_types(chapter)
        for key, text in chapter.texts():
            if types[key] == kind:
                where.update((anchor, kind) for anchor in text.anchors)
                source += words(text.plain)
    assert source, f"no {kind} in the book"
    if indexed:
        assert any(where.get(o.anchor) == kind for e in prepared.index.entries for o in e.occurrences)
    if dated:
        assert any(where.get(event.anchor) == kind for event in prepared.chronology.events)
    best = max((place(source, reading) for reading in readings.values()),
               key=lambda placement: len(placement.in_order) + len(placement.out_of_order))
    read = len(best.in_order) + len(best.out_of_order)  # out of order: on its own line only
    assert read / len(source) >= 0.995, f"{kind}: {read} of {len(source)} words read"


def test_a_note_call_beside_a_number_mid_line_or_in_a_cell_reads_back_in_order(tmp_path):
    """Calls beside digits (a year before, a cell's number after) and in the middle of a line:
    the text layer keeps every word in its order in both extractors (no warning from check)."""
    from book.build import prepare
    from book.checks import pdf_fidelity
    from test_bad_input import make_book
    chapter = ("+++\ntitle = \"فصل\"\n+++\n\n"
               "زاد سعر الإسمنت بين أيار/مايو 2022 وآذار/مارس 2023[^a]. وفي عام ٢٠٢٣[^b] ارتفع مرة أخرى.\n\n"
               "أحصت الفرق نحو 77,000 وحدة في المحافظات الخمس[^c]، منها 19,000 وحدة مدمرة تدميراً كاملاً.\n\n"
               "| المؤشر | القيمة |\n|---|---|\n| نسبة الإنجاز[^d] | ٩٠٪ |\n| نسبة أخرى[^e] | 90% |\n\n"
               "[^a]: أولى.\n[^b]: ثانية.\n[^c]: ثالثة.\n[^d]: رابعة.\n[^e]: خامسة.\n")
    root = make_book(tmp_path / "book", {"chapters/one.md": chapter})
    result = run_build("--book", root, "--out", tmp_path / "out", "--edition", "pdf")
    assert result.returncode == 0, result.stderr
    findings = pdf_fidelity(prepare(root), next((tmp_path / "out").glob("*.pdf")))
    assert [f.severity for f in findings] == ["info"], [f.message for f in findings]
