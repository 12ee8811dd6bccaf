"""Print-on-demand facts: trim sizes, paper stocks, and how a book.toml [print] table reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

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
PROFILE_FOLDERS = (Path(__file__).resolve().parent.parent / "tools" / "icc", Path("/usr/share/scribus/profiles"))
PDFX_VARIANTS = ("x-4", "x-1a", "none")


def find_profile(name: str) -> Path | None:
    return next((folder / name for folder in PROFILE_FOLDERS if (folder / name).is_file()), None)


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

    def condition(self, book_root: Path) -> tuple[OutputCondition, Path | None]:
        """The printing condition and its profile file (None when the profile is not installed)."""
        if self.output_profile:
            return (OutputCondition(Path(self.output_profile).name, self.output_condition or Path(self.output_profile).stem,
                                    self.output_condition or Path(self.output_profile).stem),
                    book_root / self.output_profile)
        return DEFAULT_CONDITION, find_profile(DEFAULT_CONDITION.profile)

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


def read_print_table(values: dict[str, Any], book_root: Path, inside) -> PrintSpec:
    """The [print] table's checked values (settings.py) as a PrintSpec; the files it names
    resolved in the book folder by `inside(relative path, key)`, which refuses any other."""
    spec = PrintSpec(
        trim=values["trim"], paper=values["paper"], page_multiple=values["page-multiple"],
        spine_text_min_pages=values["spine-text-min-pages"], spine_direction=values["spine-direction"],
        blurb=values["blurb"], crop_marks=values["crop-marks"], cover_image=values["cover-image"],
        pdf_x=values["pdf-x"], output_profile=values["output-profile"],
        output_condition=values["output-condition"])
    if spec.cover_image:
        inside(spec.cover_image, "cover-image")
    if spec.output_profile:
        profile = inside(spec.output_profile, "output-profile")
        with profile.open("rb") as handle:
            header = handle.read(20)
        if header[16:20] != b"CMYK":
            raise BookError(f'[print] output-profile "{spec.output_profile}" is not a CMYK ICC profile',
                            book_root / "book.toml")
    return spec
