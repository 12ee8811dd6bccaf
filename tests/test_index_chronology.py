"""The generated index and chronology, checked against the built editions."""

from __future__ import annotations

import json
import re
import zipfile

import pikepdf
import pypdfium2
import pytest
from pypdf import PdfReader

from book.load.terms import load_terms
from book.matching import find, tokens
from conftest import ROOT, named_page, structure_elements


@pytest.fixture(scope="module")
def index(built):
    return json.loads((built.out / "ma-bad-daesh.index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chronology(built):
    return json.loads((built.out / "ma-bad-daesh.chronology.json").read_text(encoding="utf-8"))


HEAD_ZONE = 19 * 72 / 25.4  # the top margin, where the running head stands (pdf.css)
FOOT_ZONE = 20 * 72 / 25.4  # the bottom margin, where the folio stands


@pytest.fixture(scope="module")
def body_pages(built) -> dict[int, tuple[str, str]]:
    """Text of each chapter page (page number -> (pypdf text, PDFium text)), no running head.

    Two readers, because each misreads where the other does not: pypdf glues a word to a
    number where a line changes direction, PDFium reverses ligatures in RTL runs.
    """
    from book.load import load_book
    book = load_book(ROOT)
    with pikepdf.open(built.pdf) as pdf:
        first, after = named_page(pdf, book.chapters[0].slug), named_page(pdf, "chronology")
    reader = PdfReader(built.pdf)
    document = pypdfium2.PdfDocument(built.pdf)
    heads = {c.title for c in book.chapters}
    # A quotation's attribution is not indexed text: the speaker's entry links to the quotation.
    attributions = {_words(f"{q.speaker.full_name}، {q.speaker.role}") for _, q in book.quotations}

    def kept(text: str) -> str:
        return "\n".join(line for line in text.splitlines()
                         if line.strip() not in heads and not line.strip().isdigit() and _words(line) not in attributions)
    pages = {}
    for number in range(first, after):
        page = document[number - 1]
        width, height = page.get_size()
        by_pdfium = page.get_textpage().get_text_bounded(0, FOOT_ZONE, width, height - HEAD_ZONE)
        pages[number] = (kept(reader.pages[number - 1].extract_text()), kept(by_pdfium))
    return pages


def _words(text: str) -> tuple[str, ...]:
    return tuple(token.word for token in tokens(text))


def _all(entries):
    for entry in entries:
        yield entry
        yield from _all(entry["subentries"])


def test_every_listed_page_has_the_term_and_every_page_with_the_term_is_listed(index, body_pages):
    terms = load_terms(ROOT)
    spellings = []
    def walk(items):
        for term in items:
            spellings.extend((term.heading, words) for words in term.spellings)
            walk(term.subterms)
    walk(terms.terms)
    found: list[dict[str, set[int]]] = [{}, {}]  # per reader: heading -> pages
    for page, texts in body_pages.items():
        for reader, text in enumerate(texts):
            # A term that starts at the foot of a page may end on the next one.
            following = body_pages.get(page + 1, ("", ""))[reader]
            words = tokens(text + "\n" + " ".join(following.split()[:8]))
            own = len(tokens(text))
            for match in find(words, spellings):
                if match.first < own:
                    found[reader].setdefault(match.key, set()).add(page)
    checked = 0
    for entry in _all(index["entries"]):
        heading = entry["heading"]
        listed = {o["page"] for o in entry["occurrences"]}
        in_either = found[0].get(heading, set()) | found[1].get(heading, set())
        in_both = found[0].get(heading, set()) & found[1].get(heading, set())
        assert listed <= in_either, f"{heading}: listed {sorted(listed - in_either)} but not there"
        assert in_both <= listed, f"{heading}: on pages {sorted(in_both - listed)} but not listed"
        checked += len(listed)
    assert checked > 50


def test_index_locators_in_the_pdf_link_to_their_pages(built, index):
    listed = {o["anchor"]: o["page"] for e in _all(index["entries"]) for o in e["occurrences"]}
    links = 0
    with pikepdf.open(built.pdf) as pdf:
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                name = str(annotation.get("/Dest", ""))
                if name.startswith("ix-"):
                    assert named_page(pdf, name) == listed[name], name  # lands on the page it says
                    links += 1
    assert links >= len(set(listed.values()))


def _marked_text(document: pypdfium2.PdfDocument, page: int) -> dict[int, str]:
    """Each marked-content id's text on a page, as PDFium reads its text objects."""
    import pypdfium2.raw as raw
    texts: dict[int, str] = {}
    handle = document[page]
    textpage = handle.get_textpage()  # of the same page object: PDFium finds the text by object
    for obj in handle.get_objects():
        mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
        if mcid < 0 or obj.type != raw.FPDF_PAGEOBJ_TEXT:
            continue
        size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)  # in bytes, with a final NUL
        buffer = (raw.FPDF_WCHAR * (size // 2))()
        raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
        texts[mcid] = texts.get(mcid, "") + bytes(buffer)[:size - 2].decode("utf-16-le")
    return texts


def test_index_links_hold_the_numbers_they_stand_for(built, index):
    """PDF/UA 7.18.5: each index locator's Link element holds its annotation and the marked
    content of the number drawn under it, which is the page the link leads to."""
    from book import arabic
    from book.load import load_book
    digits = load_book(ROOT).meta.digits  # the default book, which `built` is
    pages = {o["anchor"]: o["page"] for e in _all(index["entries"]) for o in e["occurrences"]}
    document = pypdfium2.PdfDocument(built.pdf)
    checked = 0
    with pikepdf.open(built.pdf) as pdf:
        page_index = {page.objgen: number for number, page in enumerate(pdf.pages)}
        texts: dict[int, dict[int, str]] = {}
        for element in structure_elements(pdf, "Link"):
            kids = list(element.K) if isinstance(element.K, pikepdf.Array) else [element.K]
            annotations = [kid.Obj for kid in kids if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]
            if not annotations or not str(annotations[0].get("/Dest", "")).startswith("ix-"):
                continue
            page = page_index[element.Pg.objgen]
            if page not in texts:
                texts[page] = _marked_text(document, page)
            # PDFium adds a space where the next text object stands apart: not the number's.
            held = "".join(texts[page].get(int(kid), "") for kid in kids if isinstance(kid, int)).strip()
            anchor = str(annotations[0].Dest)
            assert held == arabic.number(pages[anchor], digits), (anchor, held)
            checked += 1
    assert checked >= len(set(pages.values()))


def test_index_is_sorted_and_grouped_by_letter(index):
    letters = [entry["letter"] for entry in index["entries"]]
    order = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    assert letters == sorted(letters, key=order.index)
    headings = [e["heading"] for e in index["entries"]]
    assert headings.index("الباغوز") < headings.index("أبو بكر البغدادي") < headings.index("التحالف الدولي")
    assert not index["unmatched"]


def test_speakers_link_to_their_quotations(index):
    entries = {e["heading"]: e for e in index["entries"]}
    assert entries["يحيى رسول"]["quotations"] == ["iraq-q1"]
    assert entries["تحسين الخفاجي"]["quotations"] == ["iraq-q2"]
    assert entries["قسد"]["see"] == "قوات سوريا الديمقراطية"


def test_chronology_has_the_years_in_order(chronology):
    events = chronology["events"]
    years = [int(e["date"][:4]) for e in events]
    assert years == sorted(years)
    assert {2014, 2015, 2017, 2019, 2021} <= set(years)


def test_chronology_reads_each_date_form_right(chronology):
    events = {e["id"]: e for e in chronology["events"]}
    baghouz = events["baghouz-2019-03-23"]
    assert baghouz["precision"] == "day" and not baghouz["circa"]
    assert "تحرير بلدة الباغوز" in baghouz["text"]
    raqqa = next(e for e in events.values() if "الرقة" in e["text"] and e["date"].startswith("2017"))
    assert raqqa["date"] == "2017-10" and raqqa["precision"] == "month"
    five_years = next(e for e in events.values() if e["expression"] == "قبل خمس سنوات")
    assert five_years["date"] == "2017" and five_years["precision"] == "year" and five_years["circa"]
    assert five_years["when"] == "نحو ٢٠١٧"
    late_2015 = next(e for e in events.values() if e["qualifier"] == "أواخر")
    assert late_2015["date"] == "2015" and late_2015["when"] == "أواخر ٢٠١٥"
    assert all(e["page"] for e in events.values())


def test_chronology_and_index_are_in_the_epub(built):
    with zipfile.ZipFile(built.epub) as archive:
        chronology = archive.read("EPUB/chronology.xhtml").decode()
        index = archive.read("EPUB/index.xhtml").decode()
    assert "نحو ٢٠١٧" in chronology and 'href="baghouz.xhtml#ev-baghouz-2019-03-23"' in chronology
    assert 'epub:type="index"' in index and 'epub:type="index-entry"' in index
    locators = re.findall(r'epub:type="index-locator" href="(\w+)\.xhtml#(ix-\d+)"', index)
    assert locators
    with zipfile.ZipFile(built.epub) as archive:
        for chapter, anchor in locators:
            assert f'id="{anchor}"' in archive.read(f"EPUB/{chapter}.xhtml").decode()


def test_hijri_equivalents_are_exact_for_days_and_marked_approximate_otherwise(chronology):
    events = {e["id"]: e for e in chronology["events"]}
    assert events["baghouz-2019-03-23"]["hijri"] == "١٦ رجب ١٤٤٠ هـ"
    assert events["iraq-2014-09"]["hijri"] == "نحو ذو القعدة ١٤٣٥ هـ"
    assert events["iraq-2014"]["hijri"] == "نحو ١٤٣٥–١٤٣٦ هـ"
