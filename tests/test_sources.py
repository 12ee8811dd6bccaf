"""The model: chapters loaded from Markdown carry every word of the articles, once, in order."""

from __future__ import annotations

import pytest

from book.fidelity import first_difference, words
from book.model import Heading, Quotation
from book.load import load_book
from conftest import ARTICLES, ROOT
from test_bad_input import make_book


@pytest.fixture(scope="module")
def book():
    return load_book(ROOT)


@pytest.mark.parametrize("slug", sorted(ARTICLES))
def test_chapter_body_is_the_article_word_for_word(book, slug):
    chapter = next(c for c in book.chapters if c.slug == slug)
    expected = words(ARTICLES[slug].read_text(encoding="utf-8"))
    actual = words(chapter.body_text())
    assert first_difference(expected, actual) is None, first_difference(expected, actual)


def test_chapters_are_in_their_order_with_their_dates(book):
    assert [c.slug for c in book.chapters] == ["baghouz", "iraq"]
    dates = [c.date for c in book.chapters]
    assert dates[0].sort_key < dates[1].sort_key
    assert (dates[0].year, dates[0].month, dates[0].precision, dates[0].circa) == (2020, 3, "month", True)
    assert (dates[1].year, dates[1].month, dates[1].precision, dates[1].circa) == (2022, 12, "month", True)
    assert dates[0].arabic() == "نحو آذار/مارس ٢٠٢٠"


def test_subheadings_become_section_headings(book):
    baghouz = next(c for c in book.chapters if c.slug == "baghouz")
    assert [h.text.plain for h in baghouz.headings] == [
        "العودة إلى الحياة الطبيعية", "معالجة التحديات الأمنية العالقة", "المضي قدماً"]
    assert all(isinstance(h, Heading) and h.level == 2 for h in baghouz.headings)


def test_quotations_are_structured_with_speaker_rank_and_role(book):
    iraq = next(c for c in book.chapters if c.slug == "iraq")
    quotations = iraq.quotations
    assert [(q.speaker.rank, q.speaker.name) for q in quotations] == [
        ("اللواء", "يحيى رسول"), ("اللواء", "تحسين الخفاجي")]
    assert quotations[0].speaker.role == "المتحدث باسم القائد العام للقوات المسلحة العراقية"
    assert quotations[1].speaker.role == "المتحدث باسم قيادة العمليات المشتركة"
    assert quotations[0].paragraphs[0].text.plain.startswith("“خلال معارك التحرير")
    assert quotations[1].paragraphs[0].text.plain.endswith("الإعمار والتطوير”.")
    # The words stay where they stand: each quotation follows the sentence that introduces it.
    blocks = list(iraq.blocks)
    for quotation in quotations:
        before = blocks[blocks.index(quotation) - 1]
        assert quotation.speaker.name in before.text.plain
    assert all(isinstance(q, Quotation) for q in quotations)


def _chapter(title: str, date: str, order: str = "") -> str:
    return f'+++\ntitle = "{title}"\ndate = "{date}"\n{order}+++\n\nنص {title}.\n'


def test_order_is_optional_file_names_order_the_rest(tmp_path):
    make_book(tmp_path, {
        "chapters/one.md": None,
        "chapters/01-preface.md": _chapter("تمهيد", "2024"),
        "chapters/02-late.md": _chapter("متأخر", "1990"),      # an earlier date does not move it
        "chapters/03-early.md": _chapter("مبكر", "2030"),
        "chapters/10-first.md": _chapter("أول", "2000", "order = 1\n"),  # an order comes first
    })
    assert [c.slug for c in load_book(tmp_path).chapters] == ["first", "preface", "late", "early"]
