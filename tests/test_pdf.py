"""The screen PDF, read back from the file the command line wrote."""

from __future__ import annotations

import json

import pikepdf
import pypdfium2
import pytest
from pypdf import PdfReader

from book import arabic
from book.fidelity import coverage, words
from book.load import load_book
from conftest import ARTICLES, ROOT, named_page

MIN_COVERAGE = 0.995


@pytest.fixture(scope="module")
def pdf(built):
    with pikepdf.open(built.pdf) as document:
        yield document


@pytest.fixture(scope="module")
def page_texts(built) -> list[str]:
    """Text of each page as pypdf reads it (PDFium reverses ligatures such as في in RTL runs)."""
    return [page.extract_text() for page in PdfReader(built.pdf).pages]


@pytest.fixture(scope="module")
def book():
    return load_book(ROOT)


def test_every_font_is_embedded_and_subset(pdf):
    fonts = {}
    for page in pdf.pages:
        for _, font in page.obj.Resources.get("/Font", {}).items():
            fonts[font.objgen] = font
    assert fonts, "no fonts at all"
    families = set()
    for font in fonts.values():
        descriptor = font.DescendantFonts[0].FontDescriptor
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
        name = str(font.BaseFont)
        assert name[7] == "+", f"{name} is not subset"
        families.add(name[8:])
    assert {"Amiri", "IBM-Plex-Sans-Arabic"} <= {f.replace(" ", "-") for f in families}, families


def test_each_face_is_embedded_once_with_every_glyph_its_pages_draw(pdf):
    """Parts are written with placeholder programs (.notdef alone) and the join embeds one
    subset per face: every glyph a page draws must be there, drawn as in the face's own file."""
    import io

    from fontTools.ttLib import TTFont

    from book.fonts import files_by_postscript_name
    from book.pdf.font_programs import _used_glyphs
    from book.pdf.textlayer import typed_tatweels
    files = files_by_postscript_name()
    used: dict[tuple[int, int], set[int]] = {}
    programs = {}
    for page in pdf.pages:
        for _, font in page.obj.Resources.get("/Font", {}).items():
            descendant = font.DescendantFonts[0]
            program = descendant.FontDescriptor.FontFile2
            used.setdefault(program.objgen, set()).update(_used_glyphs(descendant.W))
            programs[program.objgen] = program
    names = {}
    for objgen, program in programs.items():
        embedded = TTFont(io.BytesIO(program.read_bytes()))
        name = embedded["name"].getDebugName(6)
        assert name in files and name not in names.values(), f"{name}: not one of the faces, or embedded twice"
        names[objgen] = name
        original = TTFont(files[name])
        order, original_order = embedded.getGlyphOrder(), original.getGlyphOrder()
        copies = typed_tatweels(files[name])  # the author's tatweels: copies of glyphs, past the face's last
        for glyph in sorted(used[objgen]):
            assert glyph < len(order), f"{name}: glyph {glyph} is not in the embedded program"
            source = copies.source(glyph)
            drawn_as = source[0] if source else glyph
            ours, theirs = embedded["glyf"][order[glyph]], original["glyf"][original_order[drawn_as]]
            assert ours.numberOfContours == theirs.numberOfContours, (name, glyph)
            if theirs.numberOfContours > 0:
                ours.expand(embedded["glyf"])
                theirs.expand(original["glyf"])
                assert ours.coordinates == theirs.coordinates, (name, glyph)
    assert len(names) >= 4, names  # regular and bold of both families at least


def test_catalog_language_direction_and_tags(pdf):
    assert str(pdf.Root.Lang) == "ar"
    assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
    assert "/StructTreeRoot" in pdf.Root, "the screen PDF is tagged"
    info = pdf.docinfo
    assert str(info.Title) == "ما بعد داعش"
    assert str(info.Author) == "منشورات المِحبرة"


def test_page_labels_match_the_printed_folios(built, page_texts):
    labels = PdfReader(built.pdf).page_labels
    assert labels == [arabic.number(i + 1) for i in range(len(labels))]
    document = pypdfium2.PdfDocument(built.pdf)
    checked = 0
    for index, label in enumerate(labels):
        page = document[index]
        width, height = page.get_size()
        folio_zone = page.get_textpage().get_text_bounded(0, 0, width, 60).strip()
        if folio_zone:  # front matter pages print no folio
            assert folio_zone == label, f"page {index + 1}: printed {folio_zone!r}, labelled {label!r}"
            checked += 1
    assert checked >= len(labels) - 3


def test_outline_has_every_chapter_and_its_sections(pdf, book):
    with pdf.open_outline() as outline:
        top = {item.title: item for item in outline.root}
    for chapter in book.chapters:
        assert chapter.title in top, f"no bookmark for {chapter.title}"
        children = [child.title for child in top[chapter.title].children]
        assert children == [h.text.plain for h in chapter.headings]


def _destination_page(pdf, name: str) -> int:
    return named_page(pdf, name) - 1  # as an index into page_texts


def test_toc_links_land_on_the_page_where_each_entry_starts(pdf, book, page_texts):
    toc_page = next(i for i, text in enumerate(page_texts) if "المحتويات" in text)
    links = {str(a.Dest) for a in pdf.pages[toc_page].obj.get("/Annots", []) if a.Subtype == "/Link"}
    assert {c.slug for c in book.chapters} <= links
    for chapter in book.chapters:
        # The chapter opens on the first page after the contents that carries its title.
        opening = next(i for i in range(toc_page + 1, len(page_texts)) if chapter.title in page_texts[i])
        assert _destination_page(pdf, chapter.slug) == opening, chapter.title
        assert "الفصل" in page_texts[opening]
        for heading in chapter.headings:
            assert heading.id in links
            assert heading.text.plain in page_texts[_destination_page(pdf, heading.id)]


def test_back_matter_laid_out_apart_is_linked_from_contents_and_outline(pdf, page_texts):
    """The index is laid out (in a process of its own) and written apart, then joined: the
    contents' links and the outline still reach it and the other back sections."""
    toc_page = next(i for i, text in enumerate(page_texts) if "المحتويات" in text)
    links = {str(a.Dest) for a in pdf.pages[toc_page].obj.get("/Annots", []) if a.Subtype == "/Link"}
    titles = {"chronology": "التسلسل", "sayings": "الأقوال", "index": "فهرس"}
    assert set(titles) <= links
    for name, title in titles.items():
        page = _destination_page(pdf, name)
        assert title in page_texts[page] and page > toc_page, name
    with pdf.open_outline() as outline:
        top = {item.title: item.destination for item in outline.root}
    index_title = next(title for title in top if title.startswith("فهرس"))
    index_page = next(i for i, page in enumerate(pdf.pages) if page.objgen == top[index_title][0].objgen)
    assert index_page == _destination_page(pdf, "index") == len(page_texts) - 2  # two index pages


def test_structure_tree_of_the_joined_parts_is_whole(pdf):
    """Every page and link has its own parent-tree key, every element's page is in the file,
    and all of them hang from one Document element."""
    root = pdf.Root.StructTreeRoot
    nums = list(root.ParentTree.Nums)
    keys = [int(k) for k in nums[::2]]
    assert keys == sorted(set(keys)) and int(root.ParentTreeNextKey) > keys[-1]
    used = [int(page.obj.StructParents) for page in pdf.pages]
    used += [int(a.StructParent) for page in pdf.pages for a in page.obj.get("/Annots", [])]
    assert len(used) == len(set(used)) and set(used) <= set(keys)
    pages = {page.objgen for page in pdf.pages}
    documents = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    assert len(documents) == 1 and documents[0].S == "/Document"
    stack, elements = [documents[0]], 0
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/StructElem":
            elements += 1
            assert "/Pg" not in item or item.Pg.objgen in pages
            assert item.P.objgen in {documents[0].objgen, root.objgen} or item.P.get("/Type") == "/StructElem"
            if "/K" in item:
                stack.append(item.K)
    assert elements > 200
    last_page_elements = [v for k, v in zip(nums[::2], nums[1::2]) if int(k) == used[len(pdf.pages) - 1]]
    assert all(e.Pg.objgen == pdf.pages[-1].objgen for e in last_page_elements[0] if e is not None and "/Pg" in e)


@pytest.mark.parametrize("slug", sorted(ARTICLES))
def test_text_layer_carries_the_articles_words(built, slug):
    text = "\n".join(page.extract_text() for page in PdfReader(built.pdf).pages)
    source = ARTICLES[slug].read_text(encoding="utf-8")
    result = coverage(words(source), words(text))
    strict = coverage(words(source, split_digits=False), words(text, split_digits=False))
    print(f"{slug}: {result.describe()}\n  whole tokens (numbers glued by pypdf count as misses): "
          f"{strict.describe()}")
    assert result.ratio >= MIN_COVERAGE, result.describe()


def test_words_amiri_used_to_garble_read_back_whole(page_texts):
    # Letters at marks and contextual forms once came out doubled (الححين, اللكهرباء).
    found = set(words("\n".join(page_texts)))
    assert {"الحين", "الكهرباء", "أحرز", "الإرهابيين", "للمدنيين"} <= found


def test_every_glyph_reads_as_what_its_font_says_it_is(pdf):
    """The ToUnicode map of each embedded font gives each glyph one of its own readings."""
    from book.fonts import files_by_postscript_name
    from book.pdf.textlayer import JOINER, embedded_postscript_name, _read_cmap, glyph_readings

    files = files_by_postscript_name()
    audited = 0
    for page in pdf.pages:
        for _, font in page.obj.Resources.get("/Font", {}).items():
            readings = glyph_readings(files[embedded_postscript_name(font)])
            for cid, text in _read_cmap(font.ToUnicode.read_bytes()).items():
                if readings.get(cid):
                    assert text in readings[cid] or (text == JOINER and "" in readings[cid]), (cid, text, readings[cid])
                    audited += 1
    assert audited > 100


def test_build_report_describes_each_edition(built):
    report = json.loads(built.report.read_text(encoding="utf-8"))
    editions = {e["edition"]: e for e in report["editions"]}
    assert set(editions) == {"pdf", "epub", "print", "print-cover"}
    assert editions["pdf"]["pages"] == len(PdfReader(built.pdf).pages)
    assert editions["pdf"]["bytes"] == built.pdf.stat().st_size
    assert editions["epub"]["bytes"] == built.epub.stat().st_size
    assert all(e["seconds"] > 0 for e in editions.values())
    assert editions["print"]["pages"] == len(PdfReader(built.interior).pages)
    for path in (built.pdf, built.epub, built.interior, built.cover):
        assert str(path) in built.stdout


def _structure_types(pdf) -> dict[str, int]:
    from collections import Counter
    counts: Counter = Counter()
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and "/S" in item:
            counts[str(item.S)] += 1
            if "/K" in item:
                stack.append(item.K)
    return counts


def test_screen_pdf_is_tagged_for_pdf_ua(pdf, book):
    types = _structure_types(pdf)
    assert types["/H1"] >= len(book.chapters) and types["/H2"] >= 3
    assert types["/P"] > 20 and types["/BlockQuote"] == 2 and types["/Caption"] == 2
    assert types["/L"] >= 1 and types["/LI"] >= 5 and types["/Link"] >= 5
    assert pdf.Root.MarkInfo.Marked is True
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert all(page.obj.get("/Tabs") == pikepdf.Name.S for page in pdf.pages)
    assert str(pdf.open_metadata().get("pdfuaid:part")) == "1"


def test_every_marked_content_is_held_by_the_element_the_parent_tree_names(pdf):
    """After the line Spans are folded into their paragraphs (book/pdf/tags.py): each marked
    content id on a page is listed by the element the parent tree names for it, on that page,
    and no attribute-less Span or NonStruct is left inside an element on its page."""
    import re
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    by_key = {int(key): value for key, value in zip(nums[::2], nums[1::2])}
    checked = 0
    for page in pdf.pages:
        streams = page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array) else [page.obj.Contents]
        ids = [int(found) for found in re.findall(rb"/MCID (\d+)", b"".join(s.read_bytes() for s in streams))]
        held = by_key[int(page.obj.StructParents)]
        for mcid in ids:
            element = held[mcid]
            kids = list(element.K) if isinstance(element.K, pikepdf.Array) else [element.K]
            assert mcid in [kid for kid in kids if isinstance(kid, int)] and element.Pg.objgen == page.objgen
            checked += 1
    assert checked > 400  # the running heads and folios are artifacts, not marked content ids
    bare = {"/Type", "/S", "/P", "/Pg", "/K"}
    stack, elements = [(pdf.Root.StructTreeRoot.K, None)], 0
    while stack:
        item, parent = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend((kid, parent) for kid in item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/StructElem":
            elements += 1
            if parent is not None and "/Pg" in parent and "/Pg" in item and parent.Pg.objgen == item.Pg.objgen:
                assert not (item.S in ("/Span", "/NonStruct") and set(item.keys()) <= bare), item.S
            stack.append((item.get("/K", pikepdf.Array()), item))
    assert elements > 100


def test_every_link_annotation_is_in_the_structure_tree_described_by_its_page(pdf):
    parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    numbers = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    destinations = {str(name): numbers[dest[0].objgen] for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
    links = 0
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            assert "/StructParent" in annotation, annotation.get("/Dest")
            element = parents[int(annotation.StructParent)]
            assert element.S == pikepdf.Name.Link
            # A screen reader says where it leads (PDF/UA 7.18.5), not the anchor's name.
            page_number = destinations[str(annotation.Dest)]
            assert str(annotation.Contents) == f"ص {page_number:d}".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
            links += 1
    assert links > 50
