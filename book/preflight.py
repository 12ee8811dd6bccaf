"""Preflight of the print files: what a printer's upload check would say, before uploading.

Checks the interior and the cover as built: boxes and sizes, page count, spine width,
fonts and their embedding, colour spaces, image resolution. Each problem says what to change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .model import Book

MIN_DPI = 300          # KDP, IngramSpark and Lulu all ask for 300 dpi at the printed size
TOLERANCE = 0.5        # points


@dataclass(frozen=True)
class Finding:
    severity: str      # "error": a printer would reject the file; "warning"; "info"
    file: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        fix = f" — {self.fix}" if self.fix else ""
        return f"{self.severity}: {self.file}: {self.message}{fix}"


def _box(page: pikepdf.Page, name: str) -> list[float] | None:
    return [float(v) for v in page.obj[name]] if name in page.obj else None


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _images(resources, content, ctm=(1, 0, 0, 1, 0, 0), depth=0):
    """(name, pixel width, pixel height, placed width pt, placed height pt) for each image drawn."""
    stack, found = [], []
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "Do":
            xobject = xobjects.get(operands[0])
            if xobject is None:
                continue
            if xobject.get("/Subtype") == "/Image":
                width_pt = math.hypot(ctm[0], ctm[1])
                height_pt = math.hypot(ctm[2], ctm[3])
                found.append((str(operands[0]), int(xobject.Width), int(xobject.Height), width_pt, height_pt))
            elif xobject.get("/Subtype") == "/Form" and depth < 8:
                matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                found += _images(xobject.get("/Resources"), xobject, _multiply(matrix, ctm), depth + 1)
    return found


def _fonts_and_colours(pdf: pikepdf.Pdf, name: str) -> list[Finding]:
    findings, fonts, spaces = [], {}, set()
    for page in pdf.pages:
        resources = page.obj.get("/Resources", {})
        for _, font in resources.get("/Font", {}).items():
            fonts[str(font.get("/BaseFont"))] = font
        for _, space in resources.get("/ColorSpace", {}).items():
            spaces.add(str(space[0]) if isinstance(space, pikepdf.Array) else str(space))
        for _, image in resources.get("/XObject", {}).items():
            if image.get("/Subtype") == pikepdf.Name.Image and "/ColorSpace" in image:
                space = image.ColorSpace
                spaces.add(str(space[0]) if isinstance(space, pikepdf.Array) else str(space))
        for _, operator in pikepdf.parse_content_stream(page):
            if str(operator) in ("rg", "RG"):
                spaces.add("/DeviceRGB")
            elif str(operator) in ("k", "K"):
                spaces.add("/DeviceCMYK")
    for base_font, font in fonts.items():
        descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.get("/FontDescriptor")
        embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        if not embedded:
            findings.append(Finding("error", name, f"font {base_font} is not embedded",
                                    "use only the book's own fonts (book/fonts.py)"))
    findings.append(Finding("info", name, f"{len(fonts)} fonts, all embedded" if not any(
        f.severity == "error" for f in findings) else f"{len(fonts)} fonts"))
    findings += _pdfx_findings(pdf, name, spaces)
    return findings


def _pdfx_findings(pdf: pikepdf.Pdf, name: str, spaces: set[str]) -> list[Finding]:
    """PDF/X: the output intent and version said, and nothing in RGB or clickable on the page."""
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == pikepdf.Name.GTS_PDFX]
    rgb = "/DeviceRGB" in spaces or "/ICCBased" in spaces
    if not intents:
        return [Finding("warning", name, f"not PDF/X: colour spaces {', '.join(sorted(spaces))}"
                        + (" (RGB: the printer converts and colours may shift)" if rgb else ""),
                        "run scripts/setup.sh (it installs the ISO Coated v2 CMYK profile), or set [print] "
                        "output-profile in book.toml; pdf-x = \"none\" asks for RGB files on purpose")]
    version = pdf.open_metadata().get("{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion") \
        or str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    findings = [Finding("info", name, f"{version or 'PDF/X without a version'}, output intent "
                        f"{intents[0].get('/OutputConditionIdentifier')}, PDF {pdf.pdf_version}")]
    if not version:
        findings.append(Finding("error", name, "an output intent but no GTS_PDFXVersion in the XMP", "rebuild"))
    if rgb:
        findings.append(Finding("error", name, "RGB colour in a PDF/X file", "rebuild the print edition"))
    annotated = [n for n, page in enumerate(pdf.pages, start=1) if page.obj.get("/Annots")]
    if annotated:
        findings.append(Finding("error", name, f"annotations on page {annotated[0]}: PDF/X allows none on the page",
                                "rebuild the print edition"))
    return findings


def _figure_files(book: Book) -> dict[tuple[int, int], str]:
    """The chapters' figures by pixel size, where a size names one file: what a preflight finding
    calls the image (the PDF knows it only by its object's name)."""
    sizes: dict[tuple[int, int], set[str]] = {}
    for figure in (figure for chapter in book.chapters for figure in chapter.figures):
        sizes.setdefault((figure.width, figure.height), set()).add(figure.src)
    return {size: next(iter(files)) for size, files in sizes.items() if len(files) == 1}


def _image_findings(pdf: pikepdf.Pdf, name: str, files: dict[tuple[int, int], str] | None = None) -> list[Finding]:
    findings = []
    for number, page in enumerate(pdf.pages, start=1):
        for image, width_px, height_px, width_pt, height_pt in _images(page.obj.get("/Resources"), page):
            if width_pt <= 0 or height_pt <= 0:
                continue
            dpi = min(width_px / (width_pt / 72), height_px / (height_pt / 72))
            if dpi < MIN_DPI:
                called = f'"{files[width_px, height_px]}"' if files and (width_px, height_px) in files else image
                findings.append(Finding("error", name, f"page {number}: image {called} is {dpi:.0f} dpi as printed "
                                        f"({width_px}×{height_px} px over {width_pt / 72:.2f}×{height_pt / 72:.2f} in)",
                                        f"supply at least {math.ceil(width_pt / 72 * MIN_DPI)}×"
                                        f"{math.ceil(height_pt / 72 * MIN_DPI)} px ({MIN_DPI} dpi)"))
    return findings


def check_interior(book: Book, path: Path) -> tuple[list[Finding], int]:
    spec = book.meta.printing
    width, height = spec.trim_size
    findings: list[Finding] = []
    name = path.name
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
        findings.append(Finding("info", name, f"{pages} pages, trim {width / 72:g}×{height / 72:g} in, "
                                f"bleed {spec.bleed / 72:g} in"))
        if pages % spec.page_multiple:
            findings.append(Finding("error", name, f"{pages} pages is not a multiple of {spec.page_multiple}",
                                    "rebuild: the build pads with blank pages"))
        for number, page in enumerate(pdf.pages, start=1):
            trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
            if trim is None or abs(trim[2] - trim[0] - width) > TOLERANCE or abs(trim[3] - trim[1] - height) > TOLERANCE:
                findings.append(Finding("error", name, f"page {number}: TrimBox {trim} is not the trim size",
                                        f"set [print] trim in book.toml (now {spec.trim})"))
                continue
            outer = (trim[0] - bleed[0]) if number % 2 else (bleed[2] - trim[2])
            if bleed is None or min(outer, trim[1] - bleed[1], bleed[3] - trim[3]) < spec.bleed - TOLERANCE:
                findings.append(Finding("error", name, f"page {number}: bleed short of {spec.bleed / 72:g} in "
                                        "on an outer edge", "rebuild the print edition"))
        findings += _fonts_and_colours(pdf, name)
        findings += _image_findings(pdf, name, _figure_files(book))
    return findings, pages


def check_cover(book: Book, path: Path, pages: int) -> list[Finding]:
    spec = book.meta.printing
    expected_width, expected_height = spec.cover_size(pages)
    findings: list[Finding] = []
    name = path.name
    with pikepdf.open(path) as pdf:
        if len(pdf.pages) != 1:
            findings.append(Finding("error", name, f"{len(pdf.pages)} pages; a cover is one full-wrap page"))
        media = _box(pdf.pages[0], "/MediaBox")
        width, height = media[2] - media[0], media[3] - media[1]
        findings.append(Finding("info", name, f"{width / 72:.3f}×{height / 72:.3f} in, spine "
                                f"{spec.spine_width(pages) / 72:.4f} in for {pages} pages on {spec.paper} paper"))
        if abs(width - expected_width) > TOLERANCE or abs(height - expected_height) > TOLERANCE:
            findings.append(Finding("error", name, f"{width / 72:.3f}×{height / 72:.3f} in, but {pages} pages need "
                                    f"{expected_width / 72:.3f}×{expected_height / 72:.3f} in",
                                    "build the print edition again: its cover is made with its interior"))
        if "/TrimBox" not in pdf.pages[0].obj:
            findings.append(Finding("error", name, "no TrimBox", "rebuild the cover"))
        findings += _fonts_and_colours(pdf, name)
        findings += _image_findings(pdf, name)
    return findings


def preflight(book: Book, interior: Path, cover: Path) -> list[Finding]:
    findings, pages = check_interior(book, interior)
    return findings + check_cover(book, cover, pages)
