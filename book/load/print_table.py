"""book.toml's [print] table as a PrintSpec, the files it names resolved inside the book."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BookError
from ..print_spec import PrintSpec
from ..printers import PRINTERS


def read_print_table(values: dict[str, Any], book_root: Path, inside, line=lambda key: None) -> PrintSpec:
    """The [print] table's checked values (settings.py) as a PrintSpec; the files it names
    resolved in the book folder by `inside(relative path, key)`, which refuses any other;
    the trim and paper checked against what the printer offers (`line(key)`: where a key stands)."""
    printer = PRINTERS[values["printer"]]
    for key, value, offered in (("trim", values["trim"], printer.trims), ("paper", values["paper"], tuple(printer.papers))):
        if value not in offered:
            raise BookError(f'[print] {key} "{value}" is not offered by {printer.label} (printer = "{printer.name}"): '
                            f'choose {", ".join(offered)}, or another printer', book_root / "book.toml", line(key))
    spec = PrintSpec(
        printer=values["printer"], trim=values["trim"], paper=values["paper"], page_multiple=values["page-multiple"],
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
