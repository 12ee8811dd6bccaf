"""What WeasyPrint does not write: reading direction, page labels, a truthful text layer."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from . import arabic
from .fonts import files_by_postscript_name
from .textlayer import repair_to_unicode


def page_labels(pdf: pikepdf.Pdf, folios: list[str]) -> None:
    """One label per page, the folio as printed (PDF has no Arabic-Indic style, so a prefix)."""
    nums = []
    for index, folio in enumerate(folios):
        nums += [index, pikepdf.Dictionary(P=pikepdf.String(folio))]
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


def trim_binding_bleed(pdf: pikepdf.Pdf) -> None:
    """No bleed on the bound edge: a right-bound book's rectos (odd pages, set on the left of a
    spread) are bound on their right edge, its versos on their left."""
    for index, page in enumerate(pdf.pages):
        trim = [float(v) for v in page.obj.TrimBox]
        media = [float(v) for v in page.obj.MediaBox]
        if index % 2 == 0:
            media[2] = trim[2]
        else:
            media[0] = trim[0]
        page.obj.MediaBox = pikepdf.Array(media)
        page.obj.BleedBox = pikepdf.Array(media)
        page.obj.CropBox = pikepdf.Array(media)


def finish(source: Path, target: Path, language: str, digits: arabic.Digits,
           bound_on_right: bool = False) -> int:
    """Post-process `source` into `target`; returns the page count."""
    with pikepdf.open(source) as pdf:
        if bound_on_right:
            trim_binding_bleed(pdf)
        repair_to_unicode(pdf, files_by_postscript_name())
        pdf.Root.Lang = pikepdf.String(language)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(
            Direction=pikepdf.Name.R2L, DisplayDocTitle=True)
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
        # Folios count from the first page, as the stylesheet's page counter does.
        page_labels(pdf, [arabic.number(i + 1, digits) for i in range(len(pdf.pages))])
        pdf.save(target, deterministic_id=True)
        return len(pdf.pages)
