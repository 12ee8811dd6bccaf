"""`book check` tells the truth: a good book with quotes, `&`, Latin words and both kinds of
digits passes; a word lost from the PDF's text layer or from the EPUB is caught and named."""

from __future__ import annotations

import shutil
import textwrap
import zipfile
from pathlib import Path

import pikepdf
import pytest

from book.checks import epub_chapter_text
from book.fidelity import differences, indic_numbers_in_order, place, place_in_chapter, reading, words
from book.pdf.textlayer import _read_cmap
from conftest import run_build
from test_bad_input import BOOK_TOML, make_book

SLUG = "check-book"
CHAPTERS = {
    "chapters/01-one.md": """\
        +++
        title = "التحالف والأرقام"
        date = "2020-03"
        +++

        أطلق التحالف الدولي "عملية العزم الصلب" (Operation Inherent Resolve) لمواجهة تنظيم ISIS في العراق وسوريا.

        قالت الأمم المتحدة إن 90% من سكان المخيم من النساء & الأطفال، وإن ٪٩٠ من المساعدات وصلت في عام ٢٠١٩ بعد أن انقطعت في 2018.

        ## الكهرباء والماء

        أعادت الفرق تأهيل 75 مدرسة و١١ مستشفى، وقال المهندس "لقد عادت الكهرباء إلى الحي" في تقرير نشرته Reuters & AFP يوم 12 آذار/مارس 2019.

        شارك في العمل فريق من Médecins Sans Frontières مع متطوعين محليين، وبلغت الكلفة 1,500,000 دولار أو ما يعادل ١٫٥ مليون.
        """,
    "chapters/02-two.md": """\
        +++
        title = "الزنبقة في الصحراء"
        date = "2021-05"
        +++

        في ذلك الحين خلّف القتال دماراً كبيراً، لكن الناس عادوا إلى بيوتهم وزرعوا الزنبقة البيضاء في حدائقهم.

        ::: quote speaker="سلمى عبد الرحمن" rank="المهندسة" role="باحثة في هندسة الري"
        "سنعيد بناء كل شيء، خطوة بعد خطوة"، كما قالت لفريق UNICEF في 2020.
        :::

        وتواصل قوة المهام المشتركة – عملية العزم الصلب عملها منذ ذلك الحين.
        """,
}


@pytest.fixture(scope="module")
def checked_book(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("check")
    files = {name: textwrap.dedent(text) for name, text in CHAPTERS.items()}
    book = make_book(root / "book", {"book.toml": BOOK_TOML.replace("test-book", SLUG),
                                     "chapters/one.md": None, **files})
    out = root / "out"
    result = run_build("--book", book, "--out", out, "--edition", "pdf", "--edition", "epub", "--edition", "print")
    assert result.returncode == 0, result.stderr
    return book, out


def _check(book: Path, out: Path):
    return run_build("check", "--book", book, "--out", out)


def _copy(out: Path, folder: Path) -> Path:
    shutil.copytree(out, folder, ignore=shutil.ignore_patterns(".book-*"))
    return folder


def test_a_good_book_with_quotes_ampersands_latin_and_digits_passes(checked_book):
    book, out = checked_book
    result = _check(book, out)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check: 0 errors" in result.stdout
    fidelity = [line for line in result.stdout.splitlines() if "text layer" in line or "chapter" in line]
    assert not [line for line in fidelity if not line.startswith("info:")], fidelity
    assert "text layer: 100.00%" in result.stdout


def _remove_from_text_layer(source: Path, target: Path, word: str) -> int:
    """`word`'s glyphs taken out of the content stream where a TJ array first shows it."""
    with pikepdf.open(source) as pdf:
        for number, page in enumerate(pdf.pages):
            maps = {str(name): _read_cmap(font.ToUnicode.read_bytes())
                    for name, font in page.Resources.Font.items() if "/ToUnicode" in font}
            instructions = pikepdf.parse_content_stream(page)
            font = None
            for index, (operands, operator) in enumerate(instructions):
                font = str(operands[0]) if str(operator) == "Tf" else font
                if str(operator) == "TJ" and font in maps:
                    array = _without_word(operands[0], maps[font], word)
                    if array is not None:
                        instructions[index] = pikepdf.ContentStreamInstruction([array], operator)
                        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
                        pdf.save(target)
                        return number
    raise AssertionError(f"{word} not found in any TJ array")


def _without_word(array: pikepdf.Array, to_unicode: dict[int, str], word: str) -> pikepdf.Array | None:
    glyphs = [(k, offset) for k, item in enumerate(array) if isinstance(item, pikepdf.String)
              for offset in range(0, len(bytes(item)), 2)]
    texts = [to_unicode.get(int.from_bytes(bytes(array[k])[o:o + 2], "big"), "") for k, o in glyphs]
    order = list(reversed(range(len(glyphs))))  # drawn left to right: an Arabic word's glyphs backwards
    at = "".join(texts[g] for g in order).find(word)
    if at < 0:
        return None
    drop, position = set(), 0
    for g in order:
        if at <= position < at + len(word):
            drop.add(glyphs[g])
        position += len(texts[g])
    kept = []
    for k, item in enumerate(array):
        if isinstance(item, pikepdf.String):
            data = bytes(item)
            item = pikepdf.String(b"".join(data[o:o + 2] for o in range(0, len(data), 2) if (k, o) not in drop))
        kept.append(item)
    return pikepdf.Array(kept)


def test_a_word_lost_from_the_text_layer_is_caught_and_named(checked_book, tmp_path):
    book, out = checked_book
    damaged = _copy(out, tmp_path / "out")
    # Quoted, so the chronology and the list of sayings in the back matter still hold the word:
    # counted anywhere in the PDF, as check once did, it was not missing.
    page = _remove_from_text_layer(out / f"{SLUG}.pdf", damaged / f"{SLUG}.pdf", "سنعيد")
    from pypdf import PdfReader
    assert "سنعيد" not in PdfReader(damaged / f"{SLUG}.pdf").pages[page].extract_text()
    result = _check(book, damaged)
    print(result.stdout)
    assert result.returncode == 3, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"{SLUG}.pdf" in errors[0] and "«سنعيد»" in errors[0], errors


def test_a_word_lost_from_the_epub_is_caught_and_named(checked_book, tmp_path):
    book, out = checked_book
    damaged = _copy(out, tmp_path / "out")
    epub = damaged / f"{SLUG}.epub"
    with zipfile.ZipFile(out / f"{SLUG}.epub") as source, zipfile.ZipFile(epub, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("/two.xhtml"):
                assert data.count("حدائقهم".encode()) == 1
                data = data.replace(" حدائقهم".encode(), b"")
            target.writestr(info, data)
    result = _check(book, damaged)
    print(result.stdout)
    assert result.returncode == 3, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"{SLUG}.epub" in errors[0] and "«حدائقهم» missing" in errors[0], errors


# The comparison itself, without a build.

def test_the_epub_is_read_as_xhtml_with_entities_decoded_and_furniture_left_out():
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
             'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>عنوان</title></head><body>'
             '<section><header><h1>الفصل</h1></header><p>قال &#34;ISIS&#34; &amp; AT&amp;T<span '
             'epub:type="pagebreak" aria-label="٥"/>ثم</p><p>مضى</p><figure><blockquote><p>كلام</p>'
             '</blockquote><figcaption data-generated=""><cite>أحمد</cite></figcaption></figure><!-- note --></section>'
             '</body></html>').encode()
    assert words(epub_chapter_text(xhtml)) == ["قال", "ISIS", "AT", "T", "ثم", "مضى", "كلام"]


def test_words_split_where_the_script_changes():
    # pypdf glues a Latin word to its Arabic neighbour where a line switches direction.
    assert words("فيUNICEF") == words("في UNICEF") == ["في", "UNICEF"]
    assert words("Médecins ٢٠١٩ 90%") == ["Médecins", "٢٠١٩", "90"]


def test_pypdf_reversed_indic_numbers_are_turned_back():
    assert indic_numbers_in_order("عام ٩١٠٢ أو ٥٫١ مليون و 2019") == "عام ٢٠١٩ أو ١٫٥ مليون و 2019"


def test_words_moved_within_their_line_are_out_of_order_not_missing():
    source = words("في ذروة توسعه أواخر العام 2015 سيطر تنظيم داعش على ما يزيد عن 100 كيلومتر")
    found = reading([(0, "2015 في ذروة توسعه أواخر العام سيطر تنظيم داعش على ما يزيد عن"),
                     (0, "100 كيلومتر")])
    placement = place(source, found)
    assert len(placement.in_order) + len(placement.out_of_order) == len(source)
    assert placement.out_of_order


def _unread(source: list[str], placement) -> list[str]:
    return [source[i] for i in range(len(source)) if i not in placement.in_order and i not in placement.out_of_order]


def test_a_word_read_only_in_a_later_copy_is_missing():
    # The old comparison counted words anywhere in the PDF: the chronology's copy of a quoted
    # sentence hid its loss. Aligned over the next section's page too, the longer copy there
    # won the alignment and the chapter's last paragraph was left to the other extractor.
    source = words("سنعيد بناء كل شيء خطوة بعد خطوة كما قالت لفريق اليونيسف في العام 2020 "
                   "وتواصل القوة عملها منذ ذلك الحين")
    found = reading([(5, "بناء كل شيء خطوة بعد خطوة كما قالت لفريق اليونيسف في العام 2020"),
                     (5, "المهندسة سلمى عبد الرحمن"),  # the attribution, not the author's text
                     (5, "وتواصل القوة عملها منذ ذلك الحين"), (6, "التسلسل الزمني"),
                     (6, "سنعيد بناء كل شيء خطوة بعد خطوة كما قالت لفريق اليونيسف في العام 2020")])
    assert "سنعيد" not in _unread(source, place(source, found))  # what the spill page did
    assert _unread(source, place_in_chapter(source, found, spill=6)) == ["سنعيد"]


def test_a_chapter_may_end_on_the_next_sections_first_page():
    source = words("عاد الناس إلى بيوتهم وزرعوا الزنبقة في حدائقهم بعد سنوات")
    found = reading([(5, "عاد الناس إلى بيوتهم وزرعوا"), (6, "الزنبقة في حدائقهم بعد سنوات"),
                     (6, "التسلسل الزمني")])
    assert _unread(source, place_in_chapter(source, found, spill=6)) == []
    assert _unread(source, place_in_chapter(source, reading([(5, "عاد الناس إلى بيوتهم وزرعوا")]), spill=None)) \
        == words("الزنبقة في حدائقهم بعد سنوات")


def test_differences_name_the_words():
    assert differences(["أ", "ب", "ج"], ["أ", "ب", "ج"]) == []
    assert differences(["قال", "إن", "حدائقهم", "جميلة"], ["قال", "إن", "جميلة"]) == ["«حدائقهم» missing after «قال إن»"]
