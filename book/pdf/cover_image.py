"""The front cover image, drawn by WeasyPrint (which shapes Arabic) and rasterised by PDFium."""

from __future__ import annotations

import io

import pypdfium2
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from ..model import Book
from ..templating import render
from .fetcher import ConfinedFetcher
from .weasy import stylesheets

COVER_WIDTH_PX = 1600  # the common e-book cover size, 1600 x 2560


def front_cover_png(book: Book) -> bytes:
    fonts = FontConfiguration()
    fetcher = ConfinedFetcher(book)
    html = HTML(string=render("cover.html.j2", book), base_url=book.root.as_uri() + "/", url_fetcher=fetcher)
    pdf_bytes = html.write_pdf(stylesheets=stylesheets(book, fonts, fetcher, ("cover.css",)), font_config=fonts)
    document = pypdfium2.PdfDocument(pdf_bytes)
    page = document[0]
    image = page.render(scale=COVER_WIDTH_PX / page.get_width()).to_pil().convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")  # zlib's default level: "optimize" (level 9) took twice the time for 2% less
    return out.getvalue()
