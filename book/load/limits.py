"""What a book's sources may ask of a build: every limit in one place, each checked where its
file is read, before the expensive work, and refused with the file and line (exit 2).

Each limit is far past anything a real book holds, and stops a shape of input that would make a
build take minutes or gigabytes (benchmarks/shapes.py measures each, in one run):

- CHAPTER_BYTES: a chapter is laid out as one part, by one process (book/pdf/body.py), and its
  layout's time and memory grow with it: a 20 MB chapter had used 2.6 GB and was still laying
  out after five minutes. 2 MB is some 1,100 A5 pages in one chapter, a long novel in one file
  (all editions: about 3.5 minutes and 0.9 GB on two cores); real chapters are a few hundred
  KB at most. Checked from the file's size, before it is read.
- WORD_CHANGES: where emphasis or a link changes inside a word (no space between), WeasyPrint
  looks back over every change of the word for every change it sets once the word is wider
  than its line (layout/inline.py: _break_waiting_children): 2,000 `a*` in one paragraph cost
  2.8 times the same in paragraphs of 20, the square of the changes. Real words change once or
  twice (`*ال*كتاب`).
- IMAGE_PIXELS: an image is decoded whole, then copied by WeasyPrint and by the CMYK
  conversion: a 12,000 x 12,000 px cover took 1.1 GB (2.8 GB reported with other content). The
  front panel of the largest trim (6 x 9 in with bleed) at 600 dpi, twice what printers ask,
  is 20 megapixels; a 45 MP camera photograph still passes. Read from the image's header,
  never decoded first.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from ..errors import BookError
from ..model import Span, Text

CHAPTER_BYTES = 2 * 1024 * 1024
WORD_CHANGES = 50
IMAGE_PIXELS = 50_000_000


def _number(value: int) -> str:
    return f"{value:,}"


def check_chapter_size(path: Path) -> None:
    """A chapter file over CHAPTER_BYTES refused from its size, with the line where it passes
    the limit (only that much of it is read)."""
    size = path.stat().st_size
    if size <= CHAPTER_BYTES:
        return
    with path.open("rb") as handle:
        line = handle.read(CHAPTER_BYTES).count(b"\n") + 1
    raise BookError(f"the chapter is {size / 2**20:.1f} MB and passes the largest allowed, "
                    f"{CHAPTER_BYTES / 2**20:.0f} MB, on this line (split it into chapters)", path, line)


def check_text(text: Text, path: Path, line: int | None) -> None:
    """A paragraph (or heading) with a word whose emphasis or link changes more than
    WORD_CHANGES times, refused at its line. (A paragraph's length has no limit of its own: its
    lines are set in time linear in it, book/long_text_boxes.py; the chapter's size bounds it.)"""
    spans = [part.text for part in text.parts if isinstance(part, Span) and part.text]
    changes = worst = at = 0
    for index in range(1, len(spans)):  # a change inside a word: no space on either side of it
        inside = not spans[index - 1][-1].isspace() and not spans[index][0].isspace()
        changes = changes + 1 if inside else 0
        if changes > worst:
            worst, at = changes, index - changes
    if worst > WORD_CHANGES:
        word = spans[at].split()[-1] + "".join(spans[at + 1:at + 8])  # where the word begins
        raise BookError(f'a word whose emphasis or link changes {_number(worst)} times ("{word[:24]}…"); the most '
                        f"allowed is {WORD_CHANGES} (put spaces between words, or emphasize whole words)",
                        path, line)


_PIXELS = re.compile(r"\((\d+) pixels\)")


def check_image(path: Path, named_in: Path, line: int | None, what: str) -> None:
    """An image over IMAGE_PIXELS refused from the size its header gives (Pillow opens lazily:
    `size` is read from the header, nothing is decoded), at the line of `named_in` that names it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
        pixels, size = width * height, f"{_number(width)} x {_number(height)} px, "
    except Image.DecompressionBombError as error:  # Pillow's own limit, far above ours: no size
        found = _PIXELS.search(str(error))
        pixels, size = (int(found.group(1)) if found else IMAGE_PIXELS + 1), ""
    except (UnidentifiedImageError, OSError, SyntaxError):
        return  # not an image Pillow reads (an SVG …): the renderer says what it makes of it
    if pixels > IMAGE_PIXELS:
        raise BookError(f'{what} "{path.name}" is {size}{pixels / 1e6:,.0f} megapixels; the most allowed is '
                        f"{IMAGE_PIXELS / 1e6:,.0f} (scale it down: 300 dpi at its printed size is enough)",
                        named_in, line)
