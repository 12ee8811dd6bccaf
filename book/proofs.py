"""PNG proof sheets of the print edition, to check by eye before a printer does.

Spreads are laid out as the bound book opens, in the reader's order whatever the file's: a
right-bound book's page 1 alone on the left, then each verso on the right of its recto; a
left-bound one's (a printer that binds on the left only) page 1 alone on the right. Trim lines
are drawn in cyan, the cover's spine folds in magenta, the bleed shows outside the trim.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2
from PIL import Image, ImageDraw

DPI = 60
TRIM_COLOUR = (0, 170, 220)
FOLD_COLOUR = (220, 0, 160)
GAP = 24


def _boxes(path: Path) -> list[tuple[list[float], list[float]]]:
    with pikepdf.open(path) as pdf:
        return [([float(v) for v in p.obj.MediaBox], [float(v) for v in p.obj.TrimBox]) for p in pdf.pages]


def _render(document, index: int, media: list[float], trim: list[float], scale: float) -> Image.Image:
    image = document[index].render(scale=scale, crop=(0, 0, 0, 0)).to_pil().convert("RGB")
    draw = ImageDraw.Draw(image)
    top = media[3]
    box = [(trim[0] - media[0]) * scale, (top - trim[3]) * scale,
           (trim[2] - media[0]) * scale, (top - trim[1]) * scale]
    draw.rectangle(box, outline=TRIM_COLOUR, width=2)
    return image


def spreads(interior: Path, out: Path, slug: str, binding: str = "right", reverse: bool = False) -> list[Path]:
    """One PNG per spread, the pages as the bound book shows them (`reverse`: the file holds
    them last page first)."""
    scale = DPI / 72
    boxes = _boxes(interior)
    document = pypdfium2.PdfDocument(interior)
    order = list(range(len(document)))[::-1] if reverse else list(range(len(document)))
    pages = [_render(document, i, *boxes[i], scale) for i in order]  # pages[k]: the book's page k + 1
    width = max(p.width for p in pages)
    height = max(p.height for p in pages)
    written = []
    # (left, right) of each spread: the recto and the verso after it, by the binding
    later = [(i + 1 if i + 1 < len(pages) else None, i) for i in range(1, len(pages), 2)]
    pairs = [(0, None)] + later if binding == "right" else [(None, 0)] + [(b, a) for a, b in later]
    out.mkdir(parents=True, exist_ok=True)
    for number, (left, right) in enumerate(pairs, start=1):
        sheet = Image.new("RGB", (2 * width + GAP, height), (128, 128, 128))
        if left is not None:  # bound on its right edge
            sheet.paste(pages[left], (width - pages[left].width, 0))
        if right is not None:  # bound on its left edge
            sheet.paste(pages[right], (width + GAP, 0))
        path = out / f"{slug}-spread-{number:02d}.png"
        sheet.save(path)
        written.append(path)
    return written


def cover_sheet(cover: Path, out: Path, slug: str, spine_x: tuple[float, float]) -> Path:
    """The flat cover with trim and spine folds drawn."""
    scale = DPI / 72
    (media, trim), = _boxes(cover)
    image = _render(pypdfium2.PdfDocument(cover), 0, media, trim, scale)
    draw = ImageDraw.Draw(image)
    for x in spine_x:
        draw.line([(x * scale, 0), (x * scale, image.height)], fill=FOLD_COLOUR, width=2)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{slug}-cover.png"
    image.save(path)
    return path
