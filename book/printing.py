"""Print-on-demand facts: trim sizes, paper stocks, and how a book.toml [print] table reads."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from .errors import BookError

POINTS_PER_INCH = 72.0
POINTS_PER_MM = 72.0 / 25.4

# Trim sizes the printers offer, in points (width, height).
TRIMS: dict[str, tuple[float, float]] = {
    "6x9in": (6 * POINTS_PER_INCH, 9 * POINTS_PER_INCH),
    "5.5x8.5in": (5.5 * POINTS_PER_INCH, 8.5 * POINTS_PER_INCH),
    "A5": (148 * POINTS_PER_MM, 210 * POINTS_PER_MM),
}
# Paper thickness in inches per page (the printers' own figures; KDP's for white and cream).
PAPERS: dict[str, float] = {"white": 0.002252, "cream": 0.0025}
BLEED_INCHES = 0.125

SpineDirection = Literal["top-to-bottom", "bottom-to-top"]


@dataclass(frozen=True)
class PrintSpec:
    trim: str = "6x9in"
    paper: str = "white"
    page_multiple: int = 2              # 2: even page count; 4 for saddle-stitched or some printers
    spine_text_min_pages: int = 100     # below this the spine is too thin to letter
    spine_direction: SpineDirection = "top-to-bottom"
    blurb: str = ""
    crop_marks: bool = False
    cover_image: str = ""               # path in the book folder: art for the front panel, full bleed

    @property
    def trim_size(self) -> tuple[float, float]:
        return TRIMS[self.trim]

    @property
    def bleed(self) -> float:
        return BLEED_INCHES * POINTS_PER_INCH

    def spine_width(self, pages: int) -> float:
        """Spine width in points for an interior of `pages` pages on this paper."""
        return pages * PAPERS[self.paper] * POINTS_PER_INCH

    def cover_size(self, pages: int) -> tuple[float, float]:
        width, height = self.trim_size
        return 2 * width + self.spine_width(pages) + 2 * self.bleed, height + 2 * self.bleed


_KEYS = {"trim", "paper", "page-multiple", "spine-text-min-pages", "spine-direction", "blurb", "crop-marks",
         "cover-image"}


def read_print_table(table: dict[str, Any], path) -> PrintSpec:
    unknown = set(table) - _KEYS
    if unknown:
        key = sorted(unknown)[0]
        close = difflib.get_close_matches(key, sorted(_KEYS), n=1)
        hint = f'did you mean "{close[0]}"?' if close else f'known: {", ".join(sorted(_KEYS))}'
        raise BookError(f'[print]: unknown key "{key}" ({hint})', path)
    spec = PrintSpec(
        trim=table.get("trim", PrintSpec.trim),
        paper=table.get("paper", PrintSpec.paper),
        page_multiple=int(table.get("page-multiple", PrintSpec.page_multiple)),
        spine_text_min_pages=int(table.get("spine-text-min-pages", PrintSpec.spine_text_min_pages)),
        spine_direction=table.get("spine-direction", PrintSpec.spine_direction),
        blurb=table.get("blurb", ""),
        crop_marks=bool(table.get("crop-marks", False)),
        cover_image=table.get("cover-image", ""),
    )
    if spec.trim not in TRIMS:
        raise BookError(f'[print]: unknown trim "{spec.trim}" (known: {", ".join(TRIMS)})', path)
    if spec.paper not in PAPERS:
        raise BookError(f'[print]: unknown paper "{spec.paper}" (known: {", ".join(PAPERS)})', path)
    if spec.page_multiple not in (2, 4):
        raise BookError("[print]: page-multiple is 2 or 4", path)
    if spec.cover_image:
        image = (path.parent / spec.cover_image).resolve()
        if not image.is_relative_to(path.parent.resolve()):
            raise BookError(f'[print]: cover-image "{spec.cover_image}" is outside the book folder', path)
        if not image.is_file():
            raise BookError(f'[print]: cover-image "{spec.cover_image}" does not exist', path)
    if spec.spine_direction not in ("top-to-bottom", "bottom-to-top"):
        raise BookError('[print]: spine-direction is "top-to-bottom" or "bottom-to-top"', path)
    return spec
