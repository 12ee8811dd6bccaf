"""The chapters laid out in parts side by side give the book one layout in one piece gives."""

from __future__ import annotations

import pikepdf
import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from book.pdf import body as pdf_body
from book.build import prepare
from book.pdf.fixups import can_renumber, renumber
from book.pdf.design import print_design, screen_design
from book.pdf.typesetter import Typesetter
from book.pdf.editions import write_screen_pdf
from conftest import ROOT


@pytest.fixture(scope="module")
def book():
    return prepare(ROOT)


def _folios(document):
    found = []
    for page in document.pages:
        for margin in page._page_box.children:
            if isinstance(margin, boxes.MarginBox):
                found += [(margin.at_keyword, box.text, round(box.position_x, 3), round(box.width, 3))
                          for box in margin.descendants() if isinstance(box, boxes.TextBox)]
    return found


@pytest.mark.parametrize("design", [screen_design, print_design])
def test_a_part_renumbered_after_layout_matches_one_laid_out_in_place(book, design):
    layout = Typesetter(book, design(book))
    chapters = list(enumerate(book.chapters, start=1))
    html = layout.html(pdf_body.TEMPLATE, {}, place_anchors=True, chapters=chapters)
    in_place = layout.typeset(pdf_body.TEMPLATE, html, 97)
    provisional = layout.typeset(pdf_body.TEMPLATE, html, 1)
    assert can_renumber(provisional) and _folios(provisional) != _folios(in_place)
    renumber(provisional, 97, book.meta.digits)
    folios = _folios(provisional)
    assert folios == _folios(in_place)
    assert any(text == "٩٨" for _, text, _, _ in folios)  # two digits now, still centred as laid out


def _facts(path):
    reader = PdfReader(path)
    with pikepdf.open(path) as pdf:
        numbers = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as outline:
            bookmarks = [(item.title, numbers[item.destination[0].objgen], [c.title for c in item.children])
                         for item in outline.root]
        programs = {d.FontDescriptor.FontFile2.objgen for page in pdf.pages
                    for _, font in page.obj.Resources.get("/Font", {}).items() for d in font.DescendantFonts}
        faces = {str(font.BaseFont) for page in pdf.pages for _, font in page.obj.Resources.get("/Font", {}).items()}
    return {"pages": len(reader.pages), "labels": reader.page_labels, "outline": bookmarks,
            "text": [page.extract_text() for page in reader.pages]}, programs, faces


def test_parts_side_by_side_give_the_book_one_piece_gives(book, tmp_path, monkeypatch):
    """Page count, labels, outline (index included), and every page's text, folios too."""
    assert len(pdf_body.group_chapters(book)) == len(book.chapters) == 2
    write_screen_pdf(book, tmp_path / "parts.pdf", workers=2)
    monkeypatch.setattr(pdf_body, "MIN_PARTS", 1)
    assert len(pdf_body.group_chapters(book)) == 1
    write_screen_pdf(book, tmp_path / "one.pdf", workers=1)
    parts, programs, faces = _facts(tmp_path / "parts.pdf")
    one, _, _ = _facts(tmp_path / "one.pdf")
    assert parts == one
    assert parts["outline"][-1][0].startswith("فهرس") and parts["outline"][-1][1] == parts["pages"] - 1
    assert len(programs) == len(faces)  # one font program per face, however many parts used it


def test_chapters_group_into_parts_by_length_in_book_order(book, monkeypatch):
    monkeypatch.setattr(pdf_body, "PART_CHARACTERS", 1)
    groups = pdf_body.group_chapters(book)
    assert [[number for number, _ in group] for group in groups] == [[1], [2]]
    monkeypatch.setattr(pdf_body, "PART_CHARACTERS", 10**9)
    monkeypatch.setattr(pdf_body, "MIN_PARTS", 1)
    assert [[number for number, _ in group] for group in pdf_body.group_chapters(book)] == [[1, 2]]


def test_a_rebuild_lays_out_only_the_edited_part_and_gives_a_cold_builds_bytes(tmp_path, monkeypatch):
    from conftest import copy_default_book
    from book.pdf import typesetter
    root = copy_default_book(tmp_path, data_files=True)
    cache = tmp_path / "cache"
    typeset_parts = []
    original = typesetter.Typesetter.typeset

    def spy(self, template, html, first_page, extra_css=""):
        typeset_parts.append(template)
        return original(self, template, html, first_page, extra_css)

    monkeypatch.setattr(typesetter.Typesetter, "typeset", spy)
    write_screen_pdf(prepare(root), tmp_path / "first.pdf", workers=1, cache=cache)
    assert typeset_parts.count(pdf_body.TEMPLATE) == 2
    chapter = sorted((root / "chapters").glob("*.md"))[-1]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nجملة أضيفت للاختبار.\n", encoding="utf-8")
    typeset_parts.clear()
    write_screen_pdf(prepare(root), tmp_path / "again.pdf", workers=1, cache=cache)
    assert typeset_parts.count(pdf_body.TEMPLATE) == 1  # the edited chapter's part alone
    # Nothing it moved: contents, chronology, sayings and index come from the first build as they were.
    assert typeset_parts == [pdf_body.TEMPLATE]
    write_screen_pdf(prepare(root), tmp_path / "cold.pdf", workers=2)  # no cache, in workers
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    assert (tmp_path / "again.pdf").read_bytes() != (tmp_path / "first.pdf").read_bytes()


def _chronology_outline(path):
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        items = [item for item in outline.root if str(item.title).startswith("التسلسل")]
        return len(items), [str(child.title) for item in items for child in item.children], len(outline.root)


def test_a_long_chronology_goes_on_in_pieces_with_one_outline_entry(book, tmp_path, monkeypatch):
    from book.pdf import back as pdf_back
    write_screen_pdf(book, tmp_path / "whole.pdf", workers=2)
    assert [len(year.events) for year in book.chronology.years] == [2, 2, 3, 6, 1]  # 2014 2015 2017 2019 2021
    monkeypatch.setattr(pdf_back, "PIECE_EVENTS", 4)
    # Between years once long enough; 2019 would make the second run half as long again, so it
    # opens a run; a short tail (2021) goes with the run before it.
    assert [[y.year for y in piece.years] for piece in pdf_back.back_pieces(book, split=True) if piece.years] \
        == [[2014, 2015], [2017], [2019, 2021]]
    monkeypatch.setattr(pdf_back, "PIECE_EVENTS", 2)
    pieces = [piece for piece in pdf_back.back_pieces(book, split=True) if piece.years]
    # 2019 (six events) is too long for one piece: cut inside, two events a piece.
    assert [[(year.year, len(year.events)) for year in piece.years] for piece in pieces] == \
        [[(2014, 2)], [(2015, 2)], [(2017, 3)], [(2019, 2)], [(2019, 2)], [(2019, 2)], [(2021, 1)]]
    assert [piece.continues_year for piece in pieces] == [False] * 4 + [True, True, False]
    assert [piece.opens_chronology for piece in pieces] == [True] + [False] * (len(pieces) - 1)
    assert [e for piece in pieces for y in piece.years for e in y.events] == list(book.chronology.events)
    assert len([p for p in pdf_back.back_pieces(book, split=False) if p.years]) == 1  # print: one flow
    monkeypatch.setattr(pdf_back, "PIECE_SAYINGS", 1)  # the two sayings in two pieces too
    sayings = [piece for piece in pdf_back.back_pieces(book, split=True) if piece.sayings]
    assert [piece.sayings for piece in sayings] == [(0, 1), (1, 2)] and [p.opens_sayings for p in sayings] == [True, False]
    write_screen_pdf(book, tmp_path / "pieces.pdf", workers=2)
    whole, split = _chronology_outline(tmp_path / "whole.pdf"), _chronology_outline(tmp_path / "pieces.pdf")
    assert split == whole  # one chronology entry, every year under it, in order; nothing else added
    with pikepdf.open(tmp_path / "pieces.pdf") as one, one.open_outline() as outline:
        with pikepdf.open(tmp_path / "whole.pdf") as other, other.open_outline() as whole_outline:
            assert [i.title for i in outline.root] == [i.title for i in whole_outline.root]  # one sayings entry
    assert whole[0] == 1 and len(whole[1]) == len(book.chronology.years)
    reader, one = PdfReader(tmp_path / "pieces.pdf"), PdfReader(tmp_path / "whole.pdf")
    # Pieces shorter than a page open pages of their own (a piece leaves its last page to the
    # next only when it has more than one: tests/test_back_pieces.py).
    assert len(reader.pages) >= len(one.pages) + 1
    # The running head names the chronology on a piece's first page too (not on its opening page).
    heads = [page.extract_text() for page in reader.pages if "التسلسل" in (page.extract_text() or "")]
    assert len(heads) >= len(pieces)
    # A year cut inside goes on in the next piece without a heading of its own, as on any page
    # of one layout (and without a bookmark: above).
    assert not any("تابع" in text for text in heads)


def _outline(path):
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        return [(str(item.title), [str(child.title) for child in item.children]) for item in outline.root]


def test_a_long_contents_goes_on_in_pieces_and_the_index_in_files_one_outline_entry_each(
        book, tmp_path, monkeypatch):
    from book.pdf import front as pdf_front, plan, typesetter
    from book.pdf.editions import paginate
    write_screen_pdf(book, tmp_path / "whole.pdf", workers=2)
    assert len(pdf_front.front_pieces(book, split=True)) == 1  # short: one piece
    monkeypatch.setattr(pdf_front, "PIECE_ENTRIES", 1)  # the title pages apart, then a piece per chapter
    pieces = pdf_front.front_pieces(book, split=True)
    assert [(p.chapters, p.title_pages, p.heading, p.closes) for p in pieces] == [
        ((0, 0), True, False, False), ((0, 1), False, True, False), ((1, 2), False, False, True)]
    assert [p.chapters for p in pdf_front.front_pieces(book, split=False)] == [(0, 2)]  # print: one flow
    monkeypatch.setattr(plan, "INDEX_FILE_PAGES", 1)
    layout = paginate(book, "screen", workers=2, scratch=tmp_path / "scratch")
    names = [part.path.name for part in layout.parts]
    assert names[:3] == ["front.pdf", "front-2.pdf", "front-3.pdf"] and names[-2:] == ["index.pdf", "index.1.pdf"]
    cache = tmp_path / "cache"
    write_screen_pdf(book, tmp_path / "pieces.pdf", workers=2, cache=cache)
    whole, split = _outline(tmp_path / "whole.pdf"), _outline(tmp_path / "pieces.pdf")
    # One contents entry, one index entry with every letter under it: the files joined as one.
    assert split == whole and whole[-1][0].startswith("فهرس") and len(whole[-1][1]) == len(book.index.groups)
    reader, one = PdfReader(tmp_path / "pieces.pdf"), PdfReader(tmp_path / "whole.pdf")
    assert len(reader.pages) == len(one.pages) + 1  # the second piece of the contents opens a page
    contents = [page.extract_text() for page in reader.pages[:6]]
    for chapter in book.chapters:  # each chapter's entry once, in one piece or the other
        assert sum(chapter.title.split()[0] in text for text in contents) >= 1
    # Kept and found again, every file of every part: a rebuild lays out nothing, gives the same bytes.
    laid = []
    monkeypatch.setattr(typesetter.Typesetter, "typeset", lambda *args, **kwargs: laid.append(args[1]))
    write_screen_pdf(book, tmp_path / "again.pdf", workers=1, cache=cache)  # here: the spy hears it
    assert laid == [] and (tmp_path / "again.pdf").read_bytes() == (tmp_path / "pieces.pdf").read_bytes()


def test_chapters_that_share_a_title_keep_an_outline_entry_each(tmp_path):
    """The join merges a part's first outline entry into the one before only where the part
    says it goes on with that section, not because the titles are the same."""
    import re
    from conftest import copy_default_book
    root = copy_default_book(tmp_path)
    first, second = sorted((root / "chapters").glob("*.md"))
    title = re.search(r'(?m)^title = ".*"$', first.read_text(encoding="utf-8")).group()
    second.write_text(re.sub(r'(?m)^title = ".*"$', title, second.read_text(encoding="utf-8")), encoding="utf-8")
    book = prepare(root)
    assert book.chapters[0].title == book.chapters[1].title
    assert len(pdf_body.group_chapters(book)) == 2  # a part each: the join meets the title twice
    write_screen_pdf(book, tmp_path / "same.pdf", workers=2)
    entries = [(title, children) for title, children in _outline(tmp_path / "same.pdf") if title == book.chapters[0].title]
    assert [children for _, children in entries] == [[h.text.plain for h in c.headings] for c in book.chapters]


def test_the_plan_prints_as_a_table_of_its_parts(book, monkeypatch):
    """The plan's state is data a reader can print: every part, its first page, length, state."""
    from book.pdf import plan as plan_module
    seen = []
    original = plan_module.Plan.run

    def run(self):
        original(self)
        seen.append(str(self))

    monkeypatch.setattr(plan_module.Plan, "run", run)
    paged = plan_module.set_in_parts(book, screen_design(book), workers=1)
    lines = seen[0].splitlines()
    print(seen[0])
    assert lines[0].startswith("front") and lines[0].endswith("counted, set again below")
    assert lines[-1].startswith("front") and lines[-1].endswith("placed")
    body = next(line for line in lines if line.startswith("body-000"))
    assert body.endswith("placed") and "first page" in body
    first_chapter_page = int(body.split("first page")[1].split()[0])
    assert first_chapter_page <= min(page for anchor, page in paged.anchor_pages.items() if anchor.startswith("ix-"))


def test_page_rules_by_number_or_side_set_the_parts_in_place(book):
    """Read with CSS's tokenizer: @page rules with :nth() set every edition's parts in place,
    :left/:right/:recto/:verso the screen edition's (its parts may open on either side); the
    same words in a comment or a string do not."""
    from dataclasses import replace

    from book.model import Stylesheet
    from book.pdf.design import parts_set_in_place

    def with_pdf_css(extra: str):
        sheet = book.styles["pdf.css"]
        return replace(book, styles={**book.styles, "pdf.css": Stylesheet("pdf.css", sheet.path, sheet.text + extra)})

    for extra, screen, printed in [
        ("", False, False),
        ("@page :nth(3) { margin: 1cm }", True, True),
        ("@media print { @page chapter:LEFT { margin: 1cm } }", True, False),
        ("@page :verso { margin: 1cm }", True, False),
        ('/* @page :nth(2) {} */ p::before { content: "@page :left" }', False, False),
    ]:
        changed = with_pdf_css(extra)
        assert parts_set_in_place(changed, screen_design(changed)) is screen, extra
        assert parts_set_in_place(changed, print_design(changed)) is printed, extra


def _rebuild_with_guesses(tmp_path, monkeypatch, edit):
    """The default book built with a cache, edited by `edit(text) -> text` (its last chapter),
    built again, both with workers (guesses are made beside forked layouts); returns the
    rebuild's typesetting log (what each child began and ended, in order) and whether its bytes
    are a cold build's."""
    from conftest import copy_default_book
    from book.pdf import typesetter
    root = copy_default_book(tmp_path, data_files=True)
    cache, log = tmp_path / "cache", tmp_path / "typeset.log"
    original = typesetter.Typesetter.typeset

    def spy(self, template, html, first_page, extra_css=""):  # runs in the children: a file hears it
        with log.open("a", encoding="utf-8") as heard:
            heard.write(f"begin {template}\n")
        try:
            return original(self, template, html, first_page, extra_css)
        finally:
            with log.open("a", encoding="utf-8") as heard:
                heard.write(f"end {template}\n")

    monkeypatch.setattr(typesetter.Typesetter, "typeset", spy)
    write_screen_pdf(prepare(root), tmp_path / "first.pdf", workers=2, cache=cache)
    chapter = sorted((root / "chapters").glob("*.md"))[-1]
    chapter.write_text(edit(chapter.read_text(encoding="utf-8")), encoding="utf-8")
    log.unlink()
    write_screen_pdf(prepare(root), tmp_path / "again.pdf", workers=2, cache=cache)
    heard = log.read_text(encoding="utf-8").split("\n")[:-1]
    write_screen_pdf(prepare(root), tmp_path / "cold.pdf", workers=2)
    lengths = tuple(len(PdfReader(tmp_path / name).pages) for name in ("first.pdf", "again.pdf"))
    return heard, (tmp_path / "again.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes(), lengths


BACK = "pdf_back.html.j2"
EVENT_SENTENCE = ("تم تشكيل التحالف الدولي", "جرى تشكيل التحالف الدولي")  # quoted by the chronology


def test_a_rebuild_sets_the_chronology_beside_the_edited_chapter_when_its_pages_hold(tmp_path, monkeypatch):
    """An edit to a dated sentence changes the chronology's words, not its page numbers: the
    back matter, laid out from the last build's pages beside the edited chapter, is kept."""
    heard, same_as_cold, (before, after) = _rebuild_with_guesses(
        tmp_path, monkeypatch, lambda text: text.replace(*EVENT_SENTENCE))
    assert same_as_cold and before == after
    assert heard.count(f"begin {BACK}") == 1
    assert heard.index(f"begin {BACK}") < heard.index(f"end {pdf_body.TEMPLATE}")  # beside, not after


def test_a_wrong_guess_is_dropped_and_the_back_matter_set_again(tmp_path, monkeypatch):
    """A long paragraph before the chapter's dates moves them to later pages: the guess, made
    from the last build's pages, is dropped; the back matter comes out as a cold build's."""
    opening = "\n\n" + "هذه فقرة طويلة أضيفت في أول الفصل لتنقل ما بعدها إلى صفحات لاحقة. " * 60 + "\n\n"

    def edit(text):
        header, fence, body = text.rpartition("+++\n")
        return header + fence + opening + body.replace(*EVENT_SENTENCE)
    heard, same_as_cold, _ = _rebuild_with_guesses(tmp_path, monkeypatch, edit)
    assert same_as_cold
    assert heard.count(f"begin {BACK}") == 2  # the guess, then the back matter from this build's pages


def test_a_guess_follows_the_chapters_new_length(tmp_path, monkeypatch):
    """Pages added after the chapter's last date move where the back matter opens, not what it
    says: the guess is placed where the edited chapter now ends."""
    closing = "\n\n" + "وهذه فقرة أضيفت في آخر الفصل لتزيد صفحاته من غير أن تغير ما قبلها. " * 60 + "\n"
    heard, same_as_cold, (before, after) = _rebuild_with_guesses(
        tmp_path, monkeypatch, lambda text: text.replace(*EVENT_SENTENCE).rstrip("\n") + closing)
    assert same_as_cold and after > before
    assert heard.count(f"begin {BACK}") == 1


def test_an_edit_that_adds_a_dated_event_is_built_without_a_guess(tmp_path, monkeypatch):
    """A new date in the edited chapter: the chronology links to a place the last build's pages
    do not hold, so nothing is guessed from them (it failed with a KeyError), and the rebuild
    comes out as a cold build."""
    added = "\n\nوفي أيار/مايو 2022 ارتفعت أسعار مواد البناء.\n"
    heard, same_as_cold, _ = _rebuild_with_guesses(tmp_path, monkeypatch, lambda text: text.rstrip("\n") + added)
    assert same_as_cold
    assert heard.count(f"begin {BACK}") == 1  # set once, from this build's pages
