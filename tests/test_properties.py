"""Arbitrary Unicode through the parser, the index matcher and the date extractor: never a crash.

Authors paste text from anywhere: bidi controls, combining marks, presentation forms."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
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


WORDS = st.lists(st.sampled_from(["نص", "الفصل", "التحالف", "بغداد", "عام", "2019", "قوات", "الأمن"]),
                 min_size=1, max_size=6).map(" ".join)
# CommonMark and GFM constructs, each with what would show if it leaked into the text as syntax.
CONSTRUCTS = {
    "paragraph": (lambda w: f"{w}.", ()),
    "emphasis": (lambda w: f"*{w}* و**{w}**.", ("*",)),
    "link": (lambda w: f"[{w}](https://example.org/a).", ("](",)),
    "heading": (lambda w: f"## {w}", ("##",)),
    "quotation": (lambda w: f'::: quote speaker="{w}"\n{w}.\n:::', (":::",)),
    "table": (lambda w: f"| {w} | {w} |\n|---|---|\n| ١ | ٢ |", ("|", "---")),
    "pipes without a table": (lambda w: f"| {w} | {w} |", ("|",)),
    "footnote": (lambda w: f"{w}[^1].\n\n[^1]: {w}.", ("[^",)),
    "note without call": (lambda w: f"[^n]: {w}.", ("[^",)),
    "call without note": (lambda w: f"{w} [^z].", ("[^",)),
    "bullet list": (lambda w: f"- {w}\n- {w}", ()),
    "ordered list": (lambda w: f"1. {w}\n2. {w}", ()),
    "block quotation": (lambda w: f"> {w}", (">",)),
    "section break": (lambda w: "---", ("---",)),
    "code fence": (lambda w: f"```\n{w}\n```", ("```",)),
    "struck": (lambda w: f"~~{w}~~", ("~~",)),
    "html": (lambda w: f"<b>{w}</b>", ("<b>", "</b>")),
    "image": (lambda w: f"![{w}](images/x.png)", ("![",)),
    "verse": (lambda w: f"::: verse\n{w} … {w}\n:::", (":::",)),
}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.tuples(st.sampled_from(sorted(CONSTRUCTS)), WORDS), min_size=1, max_size=6))
def test_markdown_constructs_are_read_or_refused_at_their_line_never_shown_as_syntax(tmp_path_factory, parts):
    path = Path(tmp_path_factory.mktemp("chapter")) / "one.md"
    body = "\n\n".join(CONSTRUCTS[name][0](words) for name, words in parts)
    path.write_text(f'+++\ntitle = "فصل"\ndate = "2020"\norder = 1\n+++\n\n{body}\n', encoding="utf-8")
    try:
        chapter = load_chapter(path, _markdown())
    except BookError as error:
        assert error.line is not None and error.line >= 7, str(error)  # in the body, at its line
        return
    text = chapter.body_text()
    for name, _ in parts:
        for syntax in CONSTRUCTS[name][1]:
            assert syntax not in text, f"{name}: {syntax!r} shown in {text!r}"


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(parts=st.lists(st.tuples(st.sampled_from(sorted(CONSTRUCTS)), WORDS), min_size=1, max_size=5))
@example(parts=[("bullet list", "نص الفصل"), ("verse", "بغداد"), ("block quotation", "قوات"), ("section break", "نص"),
                ("emphasis", "التحالف"), ("link", "عام"), ("heading", "الأمن"), ("quotation", "نص")])  # all built
@example(parts=[("pipes without a table", "نص")])  # refused
def test_a_built_epub_shows_no_markdown_syntax_or_the_build_names_the_line(tmp_path_factory, parts):
    """The same mixes through a whole build (the EPUB, with the print layout its page-list
    needs): the reader's text holds none of the constructs' syntax, or the build fails with
    exit 2 and file:line, no traceback (a fixed sequence of examples: CI sees the same ones)."""
    import re
    import zipfile
    from xml.etree import ElementTree

    from conftest import run_build
    from test_bad_input import CHAPTER, make_book
    body = "\n\n".join(CONSTRUCTS[name][0](words) for name, words in parts)
    root = make_book(Path(tmp_path_factory.mktemp("book")), {"chapters/one.md": CHAPTER + "\n" + body + "\n"})
    out = root.parent / "out"
    result = run_build("--book", root, "--out", out)
    if result.returncode == 2:
        assert "Traceback" not in result.stderr and re.search(r"one\.md:\d+: ", result.stderr), result.stderr
        return
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out / "test-book.epub") as package:
        tree = ElementTree.fromstring(package.read("EPUB/one.xhtml"))
    text = " ".join(tree.find(".//{http://www.w3.org/1999/xhtml}body").itertext())
    for name, _ in parts:
        for syntax in CONSTRUCTS[name][1]:
            assert syntax not in text, f"{name}: {syntax!r} shown in the EPUB: {text!r}"
