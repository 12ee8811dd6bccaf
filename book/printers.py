"""The print-on-demand services a book can be made for: each one's published rules, in one table.

Read from the printers' own help pages and file guides (copies of 2026; where a service
publishes no figure, the source is named in the comment). The print files are made to the
chosen printer's rules (book/pdf/editions.py, covers.py, pdfx.py) and checked against every
printer's by the preflight (book/preflight.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

INCH = 72.0  # points

Binding = str  # "right": opens from the right, as an Arabic book; "left": as a Latin one


@dataclass(frozen=True)
class Printer:
    name: str                               # as book.toml's [print] printer says it
    label: str                              # as the printer calls itself
    trims: tuple[str, ...]                  # trim sizes offered (names in print_spec.TRIMS)
    papers: dict[str, float]                # paper -> thickness of a page, inches (the spine)
    spine_allowance: float = 0.0            # inches added to the spine (Lulu's cover board)
    min_pages: int = 2
    max_pages: dict[str, int] = field(default_factory=dict)  # per paper
    page_multiple: int = 2                  # the interior's page count is a multiple of this
    bleed: float = 0.125                    # inches, on the outer edges
    bleed_on_binding_edge: bool = False     # Lulu: bleed on all four sides of every page
    safe_margin: float = 0.25               # inches: text this far inside the trim, page numbers too
    gutters: tuple[tuple[int, float], ...] = ()  # (up to this many pages, inner margin in inches)
    spine_text_min_pages: int = 100         # fewer pages: the spine is too thin to letter
    barcode: tuple[float, float] = (2.0, 1.2)  # inches, the clear box on the back cover
    cover_safe: float = 0.25                # inches: cover text this far inside the trim and folds
    ink_limit: int | None = None            # total ink (C+M+Y+K, %) the press takes; None: the profile's
    black_only_interior: bool = False       # a black-and-white interior, in black ink alone
    binds_on_right: bool = True             # can bind a book that opens from the right
    reverse_order: bool = False             # a right-bound interior goes last page first
    navigation: bool = True                 # bookmarks and tags wanted in the interior
    sources: tuple[str, ...] = ()

    def gutter(self, pages: int) -> float:
        """The inner margin (inches) the printer asks for at this page count (0: none named)."""
        return next((inches for most, inches in self.gutters if pages <= most), self.gutters[-1][1] if self.gutters else 0.0)

    def spine_width(self, paper: str, pages: int) -> float:
        """The spine in points, by the printer's formula."""
        return (pages * self.papers[paper] + self.spine_allowance) * INCH

    def binding(self, wanted: Binding) -> Binding:
        """How a book that opens from `wanted` is bound here: on the left where the printer
        cannot bind on the right."""
        return wanted if wanted == "left" or self.binds_on_right else "left"


PRINTERS: dict[str, Printer] = {printer.name: printer for printer in (
    # IngramSpark (Lightning Source) prints "reverse bound" right-to-left books for distribution:
    # the interior uploaded last page first, even, with the front cover on the left panel.
    # No spine formula is published (its cover template generator is the authority); the
    # figures below are the template's for 50# white and crème as third parties report them.
    Printer(
        "ingramspark", "IngramSpark",
        trims=("6x9in", "5.5x8.5in", "A5"),
        papers={"white": 1 / 444, "cream": 1 / 400},
        min_pages=18, max_pages={"white": 1200, "cream": 1050}, page_multiple=2,
        safe_margin=0.5, spine_text_min_pages=48, barcode=(1.75, 1.0), cover_safe=0.25,
        ink_limit=240, black_only_interior=True, binds_on_right=True, reverse_order=True,
        navigation=True,
        sources=("help.lightningsource.com: Reverse Bound (Right To Left) Books; Ink Coverage Exceeds 240% CMYK; "
                 "Color Recommendations for Cover and Interior Files", "IngramSpark: File Requirements for Print Books")),
    # Amazon KDP binds on the left only: a right-to-left book made there opens as a left-bound one.
    Printer(
        "kdp", "Amazon KDP",
        trims=("6x9in", "5.5x8.5in"),
        papers={"white": 0.002252, "cream": 0.0025},
        min_pages=24, max_pages={"white": 828, "cream": 776}, page_multiple=2,
        safe_margin=0.375, gutters=((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)),
        spine_text_min_pages=79, barcode=(2.0, 1.2), cover_safe=0.125,
        ink_limit=None, black_only_interior=True, binds_on_right=False, reverse_order=False,
        navigation=False,
        sources=("kdp.amazon.com: Set Trim Size, Bleed, and Margins; Print Options; Create a Paperback Cover; "
                 "Save Your Manuscript File (no bookmarks, annotations or metadata)",)),
    # Lulu: perfect binding from 32 pages, bleed on all four sides, a spine of pages/444 + 0.06 in.
    Printer(
        "lulu", "Lulu",
        trims=("6x9in", "5.5x8.5in", "A5"),
        papers={"white": 1 / 444, "cream": 1 / 444},
        spine_allowance=0.06,
        min_pages=32, max_pages={"white": 800, "cream": 800}, page_multiple=4,
        bleed_on_binding_edge=True, safe_margin=0.5,
        gutters=((60, 0.5), (150, 0.625), (400, 1.0), (600, 1.125), (100_000, 1.25)),
        spine_text_min_pages=81, barcode=(3.625, 1.25), cover_safe=0.5,
        ink_limit=270, black_only_interior=True, binds_on_right=False, reverse_order=False,
        navigation=True,
        sources=("help.api.lulu.com: How is spine width calculated?", "help.lulu.com: What is full bleed; "
                 "Interior Formatting FAQ", "Lulu Book Creation Guide (gutter table, 270% ink)")),
    # Any press that takes PDF/X: the file as the book sets it, nothing a service adds.
    Printer(
        "generic", "a generic press",
        trims=("6x9in", "5.5x8.5in", "A5"),
        papers={"white": 0.002252, "cream": 0.0025},
        min_pages=2, page_multiple=2, safe_margin=0.25, spine_text_min_pages=100,
        sources=()),
)}

# The one that binds a right-to-left book as its readers open it, and distributes it.
DEFAULT_PRINTER = "ingramspark"
