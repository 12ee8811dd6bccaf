"""Resource limits (book/load/limits.py): a chapter too large, a word whose emphasis changes too
often, a cover image with too many pixels are refused with the file and line, exit 2 and no
traceback, before the expensive work; real books never meet them. And a long paragraph costs its
length, not its square: its anchors are placed in one pass along it (book/pdf/fixups.py), its
lines set from a window of its text (book/long_text_boxes.py) exactly as WeasyPrint sets them."""

from __future__ import annotations

import random
import re
import struct
import zlib
from pathlib import Path

import pytest

from conftest import ARTICLES, ROOT, boxes_of_every_page, run_build

from book.load import limits
from book.pdf.fixups import _ink, _plain_offsets
from book.load import load_book, load_metadata
from book.load.chapters import _markdown, _spans

BOOK_TOML = (ROOT / "book.toml").read_text(encoding="utf-8").replace('editions = ["pdf", "epub", "print"]',
                                                                  'editions = ["epub"]')
BOOK_WITH_COVER = BOOK_TOML.replace("[print]\n", '[print]\ncover-image = "cover.png"\n')
FRONT = '+++\ntitle = "فصل"\ndate = "2020-03"\n+++\n\n'
SENTENCE = "عادت الحياة إلى الباغوز بعد عام على تحريرها من تنظيم داعش، وعاد السكان إلى بيوتهم. "


def make_book(root: Path, files: dict[str, str]) -> Path:
    """A book folder: the default book.toml (EPUB only, the cheapest edition) and `files`."""
    (root / "chapters").mkdir(parents=True)
    for name, content in {"book.toml": BOOK_TOML, **files}.items():
        (root / name).write_text(content, encoding="utf-8")
    return root


def refused(result, path: str, line: int) -> str:
    """The one line of a refusal: exit 2, `path:line: message`, no traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert f"{path}:{line}: " in message, message
    return message


def png_header(path: Path, width: int, height: int) -> None:
    """A PNG that claims `width` x `height` pixels and holds none: its header alone, written by
    hand (decoding it would fail, so a refusal naming its size read only the header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def test_a_chapter_over_the_size_limit_is_refused_at_the_line_it_passes_the_limit(tmp_path):
    paragraph = SENTENCE * 20 + "\n\n"  # real paragraphs, just too many of them
    count = limits.CHAPTER_BYTES // len(paragraph.encode("utf-8")) + 10
    text = FRONT + paragraph * count
    book = make_book(tmp_path / "book", {"chapters/big.md": text})
    line = text.encode("utf-8")[:limits.CHAPTER_BYTES].count(b"\n") + 1
    message = refused(run_build("--book", book, "--out", tmp_path / "out"), str(book / "chapters" / "big.md"), line)
    assert "MB" in message and "split it into chapters" in message
    assert not list(tmp_path.glob("out/*.epub"))


def test_a_huge_chapter_is_refused_from_its_size_before_it_is_read(tmp_path):
    # Front matter, then 64 MB of NULs (a sparse file: no disk): read, it would be refused for
    # its control characters; refused for its size, it was not read.
    book = make_book(tmp_path / "book", {"chapters/huge.md": FRONT})
    with open(book / "chapters" / "huge.md", "r+b") as handle:
        handle.truncate(64 << 20)
    message = refused(run_build("--book", book, "--out", tmp_path / "out"), str(book / "chapters" / "huge.md"), 6)
    assert f"the chapter is 64.0 MB and passes the largest allowed, {limits.CHAPTER_BYTES >> 20} MB" in message


def test_a_long_hard_wrapped_paragraph_loads_as_one_paragraph(tmp_path):
    # no limit of its own (its lines are set in linear time): 200 KB, hard-wrapped as an editor
    # may leave it, is one paragraph of the model
    words = (SENTENCE * (200_000 // len(SENTENCE.encode("utf-8")))).strip()
    wrapped = "\n".join(re.findall(r".{1,80}(?:\s|$)", words))
    book = make_book(tmp_path / "book", {"chapters/one.md": FRONT + "فقرة قصيرة.\n\n" + wrapped + "\n\nفقرة أخرى.\n"})
    blocks = load_book(book).chapters[0].blocks
    assert len(blocks) == 3 and blocks[1].text.plain == words


def test_a_word_whose_emphasis_changes_too_often_is_refused_at_its_line(tmp_path):
    stars = "a*" * 2000  # the 2,000 a*: one word of 1,000 emphasized letters
    book = make_book(tmp_path / "book", {"chapters/one.md": FRONT + "فقرة.\n\nنص " + stars + " نص.\n"})
    message = refused(run_build("--book", book, "--out", tmp_path / "out"), str(book / "chapters" / "one.md"), 8)
    assert "emphasis or link changes 1,999 times" in message and f"the most allowed is {limits.WORD_CHANGES}" in message


def test_emphasis_on_whole_words_or_a_few_changes_in_a_word_loads(tmp_path):
    within = "ب" + "*ا*ب" * (limits.WORD_CHANGES // 2)  # exactly WORD_CHANGES changes in one word
    many = " ".join(["*كلمة*"] * 3000)  # thousands of emphasized words: no word changes at all
    book = make_book(tmp_path / "book", {"chapters/one.md": FRONT + within + "\n\n" + many + "\n\n*ال*كتاب\n"})
    assert len(load_book(book).chapters[0].blocks) == 3


@pytest.mark.parametrize("width, height", [(12_000, 12_000), (100_000, 100_000)])
def test_a_cover_image_over_the_pixel_limit_is_refused_from_its_header(tmp_path, width, height):
    # 144 megapixels (under Pillow's own limit, which only warns) and 10 gigapixels (over it)
    book = make_book(tmp_path / "book", {"book.toml": BOOK_WITH_COVER, "chapters/one.md": FRONT + "نص.\n"})
    png_header(book / "cover.png", width, height)
    result = run_build("--book", book, "--out", tmp_path / "out", "--edition", "print")
    message = refused(result, str(book / "book.toml"), BOOK_WITH_COVER.splitlines().index('cover-image = "cover.png"') + 1)
    assert '[print] cover-image "cover.png" is ' in message
    assert f"{width * height / 1e6:,.0f} megapixels; the most allowed is {limits.IMAGE_PIXELS / 1e6:,.0f}" in message
    if width * height < 178_956_970:  # Pillow gives the size where it does not refuse it itself
        assert f"{width:,} x {height:,} px" in message


def test_a_cover_image_within_the_limit_is_read(tmp_path):
    book = make_book(tmp_path / "book", {"book.toml": BOOK_WITH_COVER})
    png_header(book / "cover.png", 5_000, 10_000)  # exactly the limit
    assert 5_000 * 10_000 == limits.IMAGE_PIXELS
    assert load_metadata(book).printing.cover_image == "cover.png"



def test_real_books_are_far_from_every_limit():
    """The default book and the seed articles it was made from: chapters, paragraphs and words
    a fraction of the limits (no real book meets them)."""
    book = load_book(ROOT)
    for chapter in book.chapters:
        assert chapter.path.stat().st_size < limits.CHAPTER_BYTES / 100
    for article in ARTICLES.values():
        assert article.stat().st_size < limits.CHAPTER_BYTES / 100


def test_a_hard_wrapped_paragraph_is_one_span():
    lines = [SENTENCE.strip()] * 5000
    spans = _spans(_markdown().parse("\n".join(lines))[1].children)
    assert len(spans) == 1 and spans[0].text == " ".join(lines)


def test_ink_counts_and_offsets_match_their_definition():
    """What pdf_anchors counts in one pass is what counting from the start gives."""
    def ink(text):
        return sum(1 for c in text if not c.isspace())

    def offset(text, wanted):
        seen = 0
        for index, char in enumerate(text):
            if not char.isspace():
                if seen == wanted:
                    return index
                seen += 1
        return len(text)

    chance = random.Random(16)
    for _ in range(2000):
        text = "".join(chance.choice("اب ج\n\u00a0\u2003x") for _ in range(chance.randint(0, 40)))
        assert _ink(text) == ink(text)
        wanted = [chance.randint(0, 45) for _ in range(chance.randint(1, 6))]
        assert _plain_offsets(text, wanted) == {n: offset(text, n) for n in wanted}


def test_the_default_book_builds_within_the_limits(built):
    assert built.pdf.stat().st_size > 0 and built.epub.stat().st_size > 0


def test_long_text_boxes_are_set_in_the_same_lines_as_weasyprint_sets_them(monkeypatch):
    """Justified right-to-left paragraphs of 40 KB with emphasis and links in them, a line-long
    unbreakable run, preserved line breaks, and text that cannot wrap (the window's fallback):
    every box on every page where WeasyPrint alone puts it."""
    from weasyprint.layout import inline

    from book.pdf import long_text_boxes, weasy  # noqa: F401 (installs them, as every renderer does)

    assert long_text_boxes.installed()
    words = (SENTENCE * 500).split()
    marked = " ".join(f"<em>{w}</em>" if n % 97 == 5 else f'<a href="#end">{w}</a>' if n % 151 == 7 else w
                      for n, w in enumerate(words))
    unbroken = "ـ".join(words[:300])
    lines = "\n".join(" ".join(words[n:n + 9]) for n in range(0, 2000, 9))
    html = ('<html dir="rtl" lang="ar"><head><style>@page { size: A5; margin: 2cm } '
            "html { font-family: Amiri; font-size: 12pt; text-align: justify } p { text-indent: 1em }</style>"
            f'</head><body><p>{marked}</p><p>{unbroken} {" ".join(words[:400])}</p>'
            f'<p style="white-space: pre-wrap">{lines}</p><p style="white-space: nowrap">{" ".join(words[:600])}</p>'
            f'<p id="end">{" ".join(words)}</p></body></html>')
    windowed = boxes_of_every_page(html)
    monkeypatch.setattr(inline, "split_inline_level", long_text_boxes._weasy_split_inline_level)
    monkeypatch.setattr(inline, "skip_first_whitespace", long_text_boxes._weasy_skip_first_whitespace)
    assert windowed[0] > 20
    assert boxes_of_every_page(html) == windowed
