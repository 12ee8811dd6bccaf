"""The HTML preview: the book's text with its house style and fonts, then its chronology,
sayings and index, one page for the whole book, set by the browser (the seed of a web
edition). `book watch` serves it and renders it again on every save (book/watch.py).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from .arabic import counter_style_css
from .backmatter import back_matter_context, back_sections
from .fonts import FACES, font_face_css
from .model import Book
from .templating import environment, render


STYLESHEETS = ("book.css", "epub.css")  # the EPUB's: both are read on a screen


# The page runs no script but its own reloader (a file, watch.js, never inline): a <script>
# a book's markup or stylesheet might carry is not run, and nothing is fetched from elsewhere.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self'; "
          "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


OWN_FILES = ("watch.js", "watch.css")  # the preview's own, beside its templates


def _font_name(face) -> str:
    return "fonts/" + face.file.name


def preview_files(book: Book, version: int) -> dict[str, bytes]:
    """The page and its stylesheet for the book (the model the editions are made from)."""
    # The book's stylesheets go in a file of their own, never inline: a `</style>` in one
    # would otherwise end the page's <style> and let what follows run as markup.
    faces = font_face_css(lambda face: urllib.parse.quote(_font_name(face)))
    css = "\n".join([faces, counter_style_css(book.meta.digits),
                     *(book.styles[name].text for name in STYLESHEETS)])
    page = render("preview.html.j2", book, version=version, policy=POLICY, back_sections=back_sections(book),
                  **back_matter_context(book, {}))
    return {"index.html": page.encode("utf-8"), "preview.css": css.encode("utf-8")}


def waiting_page() -> bytes:
    """The page served before any build succeeded: no book yet, only the error when there is one."""
    return environment().get_template("preview.html.j2").render(book=None, version=0, policy=POLICY).encode("utf-8")



def own_files() -> dict[str, bytes]:
    """What every preview serves whatever the book: the fonts, the reloader and its style."""
    templates = Path(__file__).parent / "templates"
    return {**{_font_name(face): face.file.read_bytes() for face in FACES},
            **{name: (templates / name).read_bytes() for name in OWN_FILES}}


def write_preview(book: Book, folder: Path, version: int = 1) -> list[Path]:
    """The preview as files in `folder` (index.html first), as `book watch` serves them."""
    written = []
    for name, data in {**preview_files(book, version), **own_files()}.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
