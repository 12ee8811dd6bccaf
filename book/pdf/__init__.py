"""The PDF editions (screen and print) and the print cover, by stage.

- `editions`: each PDF edition made in a child process, joined and finished in this one;
  `parts`: what crosses between the processes (no WeasyPrint import).
- `design`: an edition's stylesheets, page geometry and recto rule.
- `plan`, `typesetter`, `jobs`, `cache`: the book set in parts, each part in a forked child,
  placed once the parts before it are counted, kept between builds.
- `front`, `body`, `back`, `index`: how each kind of part is cut and set.
- `fixups`: what is done to WeasyPrint's laid-out pages (anchors, locator links, folios).
- `tags`, `join`, `font_programs`, `finish`, `textlayer`, `pdfx`, `profiles`: from parts to
  the finished file, with pikepdf.
- `weasy`, `long_text_boxes`, `fetcher`, `engine_libraries`: WeasyPrint's set-up; the fetcher
  is the only way it reads a file, and serves the book's from the model.
- `covers`, `cover_image`: the print edition's full-wrap cover; the EPUB's cover image.

Only this package imports WeasyPrint.
"""

from . import engine_libraries

engine_libraries.install()  # before any module here imports WeasyPrint
