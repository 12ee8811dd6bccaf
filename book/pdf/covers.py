"""The full-wrap print cover: back, spine and front on one sheet, sized from the interior.

A right-bound book opens from the right, so laid flat its front cover is the LEFT panel and
its back cover the right one; where the printer binds on the left only, the other way round.
The barcode's clear box sits at the foot of the back cover by the spine, in the printer's size.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from ..model import Book
from ..templating import render
from . import pdfx
from .fetcher import ConfinedFetcher
from .weasy import stylesheets

INCH = 72.0


def cover_geometry(book: Book, pages: int) -> dict[str, float]:
    """Where the panels, the spine and the barcode box stand on the flat sheet, in points."""
    spec = book.meta.printing
    rules = spec.rules
    width, height = spec.trim_size
    spine = spec.spine_width(pages)
    sheet_width, sheet_height = spec.cover_size(pages)
    left, right = spec.bleed, spec.bleed + width + spine
    front_x, back_x = (left, right) if spec.binding == "right" else (right, left)
    safe = rules.cover_safe * INCH
    barcode_width, barcode_height = rules.barcode[0] * INCH, rules.barcode[1] * INCH
    # By the spine: the back panel's left edge in a right-bound book, its right edge otherwise.
    barcode_x = safe if spec.binding == "right" else width - safe - barcode_width
    return dict(bleed=spec.bleed, trim_width=width, trim_height=height, spine=spine,
                sheet_width=sheet_width, sheet_height=sheet_height, safe=safe,
                front_x=front_x, spine_x=spec.bleed + width, spine_end=right, back_x=back_x,
                art_x=0.0 if spec.binding == "right" else right, art_width=width + spec.bleed,
                barcode_width=barcode_width, barcode_height=barcode_height, barcode_x=barcode_x)


def write_cover(book: Book, target: Path, pages: int) -> None:
    spec = book.meta.printing
    geometry = cover_geometry(book, pages)
    fonts = FontConfiguration()
    fetcher = ConfinedFetcher(book)
    page_css = f"@page {{ size: {geometry['sheet_width']}pt {geometry['sheet_height']}pt; margin: 0; }}"
    html = render("print_cover.html.j2", book, g=geometry, spine_text=pages >= spec.spine_text_pages,
                  spine_rotation=90 if spec.spine_direction == "top-to-bottom" else -90,
                  blurb=spec.blurb or book.meta.description,
                  cover_image=(book.root / spec.cover_image).as_uri() if spec.cover_image else "")
    document = HTML(string=html, base_url=book.root.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=stylesheets(book, fonts, fetcher, ("print-cover.css",), page_css), font_config=fonts)
    document.write_pdf(target)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        bleed = geometry["bleed"]
        page.obj.TrimBox = pikepdf.Array([bleed, bleed, geometry["sheet_width"] - bleed,
                                          geometry["sheet_height"] - bleed])
        page.obj.BleedBox = pikepdf.Array([0, 0, geometry["sheet_width"], geometry["sheet_height"]])
        pdf.Root.Lang = pikepdf.String(book.meta.language)
        make_pdfx = pdfx.finisher(book, "cover")
        version = make_pdfx(pdf) if make_pdfx else None
        pdf.save(target, deterministic_id=True, **({"force_version": version} if version else {}))
