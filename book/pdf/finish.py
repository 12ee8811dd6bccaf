"""What WeasyPrint does not write: reading direction, page labels, a truthful text layer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import pikepdf

from .. import arabic
from ..fonts import files_by_postscript_name
from .font_programs import share_font_programs
from .join import PartFile, joined
from .textlayer import repair_to_unicode


def page_labels(pdf: pikepdf.Pdf, folios: list[str]) -> None:
    """One label per page, the folio as printed (PDF has no Arabic-Indic style, so a prefix)."""
    nums = []
    for index, folio in enumerate(folios):
        nums += [index, pikepdf.Dictionary(P=pikepdf.String(folio))]
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


def trim_binding_bleed(pdf: pikepdf.Pdf, binding: str) -> None:
    """No bleed on the bound edge: a right-bound book's rectos (odd pages, set on the left of a
    spread) are bound on their right edge, its versos on their left; a left-bound book's the
    other way round."""
    for index, page in enumerate(pdf.pages):
        trim = [float(v) for v in page.obj.TrimBox]
        media = [float(v) for v in page.obj.MediaBox]
        if (index % 2 == 0) == (binding == "right"):
            media[2] = trim[2]
        else:
            media[0] = trim[0]
        page.obj.MediaBox = pikepdf.Array(media)
        page.obj.BleedBox = pikepdf.Array(media)
        page.obj.CropBox = pikepdf.Array(media)


MARK_ZONE = 18.0  # points beyond the bleed where crop marks are drawn
MARK_GAP = 3.0    # they stop short of the bleed, so they never touch the artwork


def add_crop_marks(pdf: pikepdf.Pdf) -> None:
    """Crop marks outside the bleed: the page grows by MARK_ZONE, the marks live only there."""
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        media = [bleed[0] - MARK_ZONE, bleed[1] - MARK_ZONE, bleed[2] + MARK_ZONE, bleed[3] + MARK_ZONE]
        lines = []
        for x in (trim[0], trim[2]):  # vertical marks above and below, at the trim's sides
            lines += [(x, media[1], x, bleed[1] - MARK_GAP), (x, bleed[3] + MARK_GAP, x, media[3])]
        for y in (trim[1], trim[3]):  # horizontal marks left and right, at the trim's top and bottom
            lines += [(media[0], y, bleed[0] - MARK_GAP, y), (bleed[2] + MARK_GAP, y, media[2], y)]
        drawing = " ".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in lines)
        page.contents_add(pdf.make_stream(b"q"), prepend=True)
        page.contents_add(pdf.make_stream(f"Q q 0 0 0 1 K 0.25 w {drawing} Q".encode()))
        page.obj.MediaBox = pikepdf.Array(media)
        page.obj.CropBox = pikepdf.Array(media)


def _destination_pages(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Named destination -> page number, from the join's flat /Names array (or any name tree)."""
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return {}
    numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    dests = pdf.Root.Names.Dests
    pairs = zip(dests.Names[::2], dests.Names[1::2]) if "/Names" in dests else pikepdf.NameTree(dests).items()
    pages = {}
    for name, destination in pairs:
        if isinstance(destination, pikepdf.Dictionary):
            destination = destination.D
        pages[str(name)] = numbers.get(destination[0].objgen)
    return pages


def describe_links(pdf: pikepdf.Pdf, digits: arabic.Digits) -> None:
    """Describe every internal link by the page it leads to (PDF/UA 7.18.5): WeasyPrint
    describes its own by the anchor's name, which a screen reader would spell out. Lean on
    purpose: a long book has thousands of index links, so destinations are read once."""
    pages = _destination_pages(pdf)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != pikepdf.Name.Link or "/Dest" not in annotation:
                continue
            number = pages.get(str(annotation.Dest))
            if number:
                annotation.Contents = pikepdf.String(f"{arabic.LABELS['page']} {arabic.number(number, digits)}")


def drop_navigation(pdf: pikepdf.Pdf) -> None:
    """Bookmarks and tags out, for a printer that wants none in an interior."""
    for key in ("/Outlines", "/StructTreeRoot", "/MarkInfo", "/PageMode"):
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]


def reverse_pages(pdf: pikepdf.Pdf) -> None:
    """The pages last first, the same page objects (pikepdf's `pages.reverse()` copies them,
    which leaves the bookmarks, links and tags pointing at pages no longer in the file). Done
    last: the page list is not read again before the save."""
    pages = [page.obj for page in pdf.pages]  # a flat list: qpdf has flattened the page tree
    for page in pages:
        page.Parent = pdf.Root.Pages
    pdf.Root.Pages.Kids = pikepdf.Array(pages[::-1])
    pdf.Root.Pages.Count = len(pages)


@dataclass(frozen=True)
class PrintFinish:
    """How a print interior is finished for its printer (book/printers.py)."""

    binding: str = "right"          # the bound edge: no bleed there unless `bleed_on_binding_edge`
    bleed_on_binding_edge: bool = False
    reverse_order: bool = False     # the last page first (a right-bound book at a left-binding press)
    navigation: bool = True         # bookmarks and tags kept
    crop_marks: bool = False


def finish(parts: Sequence[PartFile], target: Path, language: str, digits: arabic.Digits,
           printing: PrintFinish | None = None, pdfx: Callable[[pikepdf.Pdf], str] | None = None,
           kashida: bool = False) -> int:
    """Join the written `parts` and post-process them into `target`; returns the page count.
    `printing` says how a print interior is finished; `pdfx` makes a print file PDF/X
    (book/pdf/pdfx.py) and says which PDF version that needs; `kashida`: its lines were
    filled with tatweels (the text layer reads those as joiners, the author's own as tatweels:
    textlayer.repair_to_unicode)."""
    with joined(parts) as pdf:
        if printing and not printing.bleed_on_binding_edge:
            trim_binding_bleed(pdf, printing.binding)
        version = pdfx(pdf) if pdfx else None
        if printing and printing.crop_marks:  # after PDF/X: marks are drawn in black ink, outside the bleed
            add_crop_marks(pdf)
        share_font_programs(pdf, files_by_postscript_name())  # one program per face, not per part
        repair_to_unicode(pdf, files_by_postscript_name(), kashida)
        navigation = printing is None or printing.navigation
        if navigation:
            describe_links(pdf, digits)
        else:
            drop_navigation(pdf)
        pdf.Root.Lang = pikepdf.String(language)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(
            Direction=pikepdf.Name.R2L, DisplayDocTitle=True)
        if navigation:
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
        # Folios count from the book's first page, as the stylesheet's page counter does; a
        # file in reverse order still labels each page with the folio its reader sees.
        folios = [arabic.number(i + 1, digits) for i in range(len(pdf.pages))]
        if printing and printing.reverse_order:
            reverse_pages(pdf)
            folios.reverse()
        page_labels(pdf, folios)
        # Objects copied in from the other parts are compressed together again (object
        # streams are PDF 1.5: not in a PDF/X-1a file, which must be PDF 1.4).
        streams = pikepdf.ObjectStreamMode.disable if version and version < "1.5" else pikepdf.ObjectStreamMode.generate
        pdf.save(target, deterministic_id=True, object_stream_mode=streams,
                 **({"force_version": version} if version else {}))
        return len(pdf.pages)
