"""Shared fixtures: the default book built once, through the real command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The seed articles, kept verbatim, and the chapters made from them.
ARTICLES = {
    "baghouz": FIXTURES / "articles" / "003_1da534918dd0e496.txt",
    "iraq": FIXTURES / "articles" / "000_6b451f09845462f5.txt",
}


def in_reading_order(path) -> list:
    """pypdf's pages of a PDF in the reader's order, whatever the file's."""
    import pikepdf
    from pypdf import PdfReader

    from book.preflight import reader_numbers
    with pikepdf.open(path) as pdf:
        numbers = reader_numbers(pdf)
    pages = PdfReader(path).pages
    return [pages[index] for index in sorted(range(len(numbers)), key=numbers.__getitem__)]


def structure_elements(pdf, kind: str) -> list:
    """Every structure element of type `kind` (no slash: "Link") in a pikepdf document, in tree order."""
    import pikepdf

    found, stack = [], [pdf.Root.StructTreeRoot.K]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(reversed(list(item)))
        elif isinstance(item, pikepdf.Dictionary) and "/S" in item:
            found += [item] if item.S == "/" + kind else []
            stack.append(item.get("/K", pikepdf.Array()))
    return found


def named_page(pdf, name: str) -> int:
    """The reader's page (counted from 1) a named destination of a pikepdf document points to."""
    import pikepdf

    from book.preflight import reader_numbers
    target = pikepdf.NameTree(pdf.Root.Names.Dests)[name]
    target = target if isinstance(target, pikepdf.Array) else target.D
    return next(reader_numbers(pdf)[i] for i, page in enumerate(pdf.pages) if page.objgen == target[0].objgen)


class PrintFiles:
    """The default book's print files in a build's output folder `out`."""
    out: Path

    @property
    def interior(self) -> Path:
        return self.out / "ma-bad-daesh-print.pdf"

    @property
    def cover(self) -> Path:
        return self.out / "ma-bad-daesh-cover.pdf"


@dataclass(frozen=True)
class Built(PrintFiles):
    out: Path
    pdf: Path
    epub: Path
    report: Path
    stdout: str


def boxes_of_every_page(html: str) -> tuple[int, str]:
    """The page count and a digest of every text box laid out: its text, position and width."""
    import hashlib

    import weasyprint
    from weasyprint.formatting_structure import boxes

    digest = hashlib.sha256()

    def walk(box):
        if isinstance(box, boxes.TextBox):
            digest.update(repr((box.text, box.position_x, box.position_y, box.width,
                                box.justification_spacing)).encode())
        for child in getattr(box, "children", ()):
            walk(child)

    document = weasyprint.HTML(string=html).render()
    for page in document.pages:
        walk(page._page_box)
    return len(document.pages), digest.hexdigest()


def copy_default_book(folder: Path, print_settings: str = "", data_files: bool = False) -> Path:
    """The default book's book.toml and chapters in folder/book, `print_settings` (TOML lines)
    added to its [print] table; with `data_files`, its index and chronology files too."""
    book = folder / "book"
    book.mkdir()
    shutil.copytree(ROOT / "chapters", book / "chapters")
    toml = (ROOT / "book.toml").read_text(encoding="utf-8")
    (book / "book.toml").write_text(toml.replace("[print]\n", f"[print]\n{print_settings}"), encoding="utf-8")
    for name in ("index.toml", "chronology.toml") if data_files else ():
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, book / name)
    return book


def run_build(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    out = tmp_path_factory.mktemp("dist")
    result = run_build("--out", out)
    assert result.returncode == 0, result.stderr
    return Built(out, out / "ma-bad-daesh.pdf", out / "ma-bad-daesh.epub",
                 out / "build-report.json", result.stdout)
