"""Screen PDF: the model through an HTML template into WeasyPrint, then finished with pikepdf."""

from __future__ import annotations

import tempfile
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .fonts import font_face_css
from .model import Book
from .pdf_finish import finish
from .resources import ConfinedFetcher
from .templating import render

STYLESHEETS = ("book.css", "pdf.css")


def screen_html(book: Book) -> str:
    return render("pdf.html.j2", book)


def stylesheets(book: Book, fonts: FontConfiguration, fetcher: ConfinedFetcher,
                names: tuple[str, ...] = STYLESHEETS) -> list[CSS]:
    faces = font_face_css(lambda face: face.file.as_uri())
    sheets = [CSS(string=faces, font_config=fonts, url_fetcher=fetcher),
              CSS(string=f"@page {{ size: {book.meta.page_size}; }}", font_config=fonts)]
    for name in names:
        path = book.styles[name]
        sheets.append(CSS(string=path.read_text(encoding="utf-8"), base_url=path.as_uri(),
                          font_config=fonts, url_fetcher=fetcher))
    return sheets


def write_screen_pdf(book: Book, target: Path) -> int:
    """Render the screen edition to `target`; returns its page count."""
    fonts = FontConfiguration()
    fetcher = ConfinedFetcher(book.root)
    html = HTML(string=screen_html(book), base_url=book.root.as_uri() + "/", url_fetcher=fetcher)
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw.pdf"
        html.write_pdf(raw, stylesheets=stylesheets(book, fonts, fetcher), font_config=fonts,
                       pdf_tags=True, uncompressed_pdf=False)
        return finish(raw, target, book.meta.language, book.meta.digits)
