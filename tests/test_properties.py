"""Arbitrary Unicode through the parser, the index matcher and the date extractor: never a crash.

Authors paste text from anywhere: bidi controls, combining marks, presentation forms."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from book.dates import find_dates
from book.errors import BookError
from book.matching import find, spelling_words, tokens
from book.model import PartialDate
from book.load.chapters import _markdown, load_chapter

ARABIC_ISH = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),   # Arabic, with its marks and digits
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),   # presentation forms A
    st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),   # presentation forms B
    st.sampled_from("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200c\u200d\u0640"),
    st.sampled_from(list(" \n\t.,:;/-–—()[]*_`#>:\"'0123456789")),
    st.characters(),
)
TEXT = st.text(ARABIC_ISH, max_size=300)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(body=TEXT, title=st.text(ARABIC_ISH, max_size=40))
def test_the_chapter_parser_never_crashes(tmp_path_factory, body, title):
    folder = tmp_path_factory.mktemp("chapter")
    path = Path(folder) / "one.md"
    title = title.replace('"', "").replace("\\", "")
    path.write_text(f'+++\ntitle = "{title}"\ndate = "2020"\norder = 1\n+++\n\n{body}\n', encoding="utf-8",
                    errors="surrogatepass")
    try:
        chapter = load_chapter(path, _markdown())
    except BookError:
        return  # refused with a clear message is fine; anything else is a bug
    assert chapter.body_text() is not None


@SETTINGS
@given(text=TEXT, terms=st.lists(st.text(ARABIC_ISH, min_size=1, max_size=20), max_size=5))
def test_the_matcher_never_crashes(text, terms):
    words = tokens(text)
    spellings = [(term, spelling_words(term)) for term in terms if spelling_words(term)]
    for match in find(words, spellings):
        assert 0 <= match.first < match.last <= len(words)
        assert all(0 <= w.start < w.end <= len(text) for w in words)


@SETTINGS
@given(text=TEXT, year=st.integers(1000, 2999), month=st.none() | st.integers(1, 12))
def test_the_date_extractor_never_crashes(text, year, month):
    for mention in find_dates(tokens(text), PartialDate(year, month)):
        assert 1 <= mention.date.year <= 3000
        assert mention.date.month is None or 1 <= mention.date.month <= 12
