"""Print-on-demand facts: trim sizes, paper stocks, and how a book.toml [print] table reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args


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


@dataclass(frozen=True)
class OutputCondition:
    """The printing condition a PDF/X file is made for, and the ICC profile that describes it."""

    profile: str          # file name of the profile
    identifier: str       # its name in the ICC registry, or the book's own
    description: str
    registry: str = "http://www.color.org"


# ISO Coated v2 300% (basICColor GmbH, zlib licence): the FOGRA39 condition, coated paper,
# which European and most print-on-demand printers accept. scripts/setup.sh copies it from
# Debian's scribus-data into tools/icc; an installed Scribus has it too.
DEFAULT_CONDITION = OutputCondition(
    "ISOcoated_v2_300_bas.icc", "FOGRA39",
    "Offset printing, ISO 12647-2:2004/Amd 1, coated paper, 300% total ink (FOGRA39)")
PDFX_VARIANTS = ("x-4", "x-1a", "none")


SpineDirection = Literal["top-to-bottom", "bottom-to-top"]
SPINE_DIRECTIONS: tuple[str, ...] = get_args(SpineDirection)


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
    pdf_x: str = "x-4"                  # "x-4", "x-1a", or "none" for plain RGB files
    output_profile: str = ""            # a CMYK ICC profile in the book folder, for another press
    output_condition: str = ""          # that profile's condition (e.g. "CGATS21_CRPC6")

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

