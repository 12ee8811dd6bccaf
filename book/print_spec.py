"""Print-on-demand facts: trim sizes, the output condition, and a book.toml [print] table as read.
Each printer's own rules (papers, page counts, bleed, ink) are in book/printers.py."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

from .printers import DEFAULT_PRINTER, PRINTERS, Binding, Printer


POINTS_PER_INCH = 72.0
POINTS_PER_MM = 72.0 / 25.4

# Trim sizes the printers offer, in points (width, height).
TRIMS: dict[str, tuple[float, float]] = {
    "6x9in": (6 * POINTS_PER_INCH, 9 * POINTS_PER_INCH),
    "5.5x8.5in": (5.5 * POINTS_PER_INCH, 8.5 * POINTS_PER_INCH),
    "A5": (148 * POINTS_PER_MM, 210 * POINTS_PER_MM),
}
# Papers some printer offers (each printer's thickness is its own).
PAPERS: tuple[str, ...] = tuple(dict.fromkeys(paper for printer in PRINTERS.values() for paper in printer.papers))


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

# The XMP a PDF/X file identifies itself by (ISO 15930-7), and Info's counterparts there.
XMP_KEYS = ("xmpMM:DocumentID", "xmpMM:InstanceID", "xmpMM:VersionID", "xmpMM:RenditionClass",
            "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion")
INFO_IN_XMP = {"/Author": "dc:creator", "/Subject": "dc:description", "/Keywords": "pdf:Keywords",
               "/Creator": "xmp:CreatorTool", "/Producer": "pdf:Producer"}


SpineDirection = Literal["top-to-bottom", "bottom-to-top"]
SPINE_DIRECTIONS: tuple[str, ...] = get_args(SpineDirection)


@dataclass(frozen=True)
class PrintSpec:
    printer: str = DEFAULT_PRINTER      # whose rules the print files are made to (book/printers.py)
    trim: str = "6x9in"
    paper: str = "white"
    page_multiple: int | None = None    # the book's own multiple (4: signatures); the printer's too
    spine_text_min_pages: int | None = None  # None: the printer's threshold
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
    def rules(self) -> Printer:
        return PRINTERS[self.printer]

    @property
    def multiple(self) -> int:
        """The interior's page count is a multiple of this: the printer's, and the book's."""
        return math.lcm(self.rules.page_multiple, self.page_multiple or 1)

    @property
    def spine_text_pages(self) -> int:
        """From this many pages the spine is lettered."""
        return self.spine_text_min_pages or self.rules.spine_text_min_pages

    @property
    def binding(self) -> Binding:
        """The edge the printed book is bound on: right, as it opens, where the printer can."""
        return self.rules.binding("right")

    @property
    def reverse_order(self) -> bool:
        """Whether the interior file holds the pages last first (a right-bound book at a press
        that binds on the left and turns the block round)."""
        return self.rules.reverse_order and self.binding == "right"

    @property
    def bleed(self) -> float:
        return self.rules.bleed * POINTS_PER_INCH

    def spine_width(self, pages: int) -> float:
        """Spine width in points for an interior of `pages` pages on this paper, by the printer's formula."""
        return self.rules.spine_width(self.paper, pages)

    def cover_size(self, pages: int) -> tuple[float, float]:
        width, height = self.trim_size
        return 2 * width + self.spine_width(pages) + 2 * self.bleed, height + 2 * self.bleed

