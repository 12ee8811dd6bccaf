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


def finish(source: Path, target: Path, language: str, digits: arabic.Digits) -> int:
    """Post-process `source` into `target`; returns the page count."""
    with pikepdf.open(source) as pdf:
        repair_to_unicode(pdf, files_by_postscript_name())
        pdf.Root.Lang = pikepdf.String(language)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(
            Direction=pikepdf.Name.R2L, DisplayDocTitle=True)
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
        # Folios count from the first page, as the stylesheet's page counter does.
        page_labels(pdf, [arabic.number(i + 1, digits) for i in range(len(pdf.pages))])
        pdf.save(target, deterministic_id=True)
        return len(pdf.pages)
