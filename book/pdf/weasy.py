"""WeasyPrint set-up shared by every renderer that lays out pages (PDF editions, cover)."""

from __future__ import annotations

from weasyprint import CSS
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration

from ..fonts import font_face_css
from ..model import Book
from . import footnotes, justify, long_text_boxes, next_word, runts
from .fetcher import ConfinedFetcher

long_text_boxes.install()  # before any layout: a long paragraph's lines in linear time
next_word.install()  # a line not laid out again for a next word that cannot fit on it
footnotes.install()  # notes kept on their calls' pages, tagged Note and Reference
justify.install()  # kashida before spaces where a book asks for it (justify.justifying)
runts.install()  # a paragraph's one-word last line re-flowed away where the lines above allow


def stylesheets(book: Book, fonts: FontConfiguration, fetcher: ConfinedFetcher,
                names: tuple[str, ...], page_css: str = "", counters: CounterStyle | None = None) -> list[CSS]:
    """The font faces, the page geometry, then the named house or book stylesheets. Their
    @counter-style rules are gathered in `counters`, which the render must be given too
    (WeasyPrint knows a stylesheet's own counter styles only so)."""
    faces = font_face_css(lambda face: face.file.as_uri())
    sheets = [CSS(string=faces, font_config=fonts, url_fetcher=fetcher),
              CSS(string=page_css, font_config=fonts, url_fetcher=fetcher, counter_style=counters)]
    for name in names:
        sheet = book.styles[name]
        sheets.append(CSS(string=sheet.text, base_url=sheet.path.as_uri(),
                          font_config=fonts, url_fetcher=fetcher, counter_style=counters))
    return sheets
