"""Preflight of the print files: what a printer's upload check would say, before uploading.

Checks the interior and the cover as built: boxes and sizes, page count, spine width,
fonts and their embedding, colour spaces, image resolution. Each problem says what to change.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy
import pikepdf
import pypdfium2

from .model import Book
from .print_spec import INFO_IN_XMP, XMP_KEYS
from .printers import PRINTERS, Printer

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


def _colour_use(resources, content, depth=0) -> tuple[bool, float]:
    """Whether a page or form draws in any ink but black (RGB, or CMYK with C, M or Y), and the
    largest total ink (C+M+Y+K, as a fraction) its colour operators ask for."""
    coloured, ink = False, 0.0
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op in ("k", "K"):
            values = [float(v) for v in operands]
            coloured |= any(v > 0 for v in values[:3])
            ink = max(ink, sum(values))
        elif op in ("rg", "RG", "sc", "SC", "scn", "SCN"):
            coloured = True
        elif op in ("g", "G"):
            ink = max(ink, 1 - float(operands[0]))
    for _, xobject in (resources.get("/XObject", {}) if resources is not None else {}).items():
        if xobject.get("/Subtype") == "/Form" and depth < 8:
            form_coloured, form_ink = _colour_use(xobject.get("/Resources"), xobject, depth + 1)
            coloured, ink = coloured or form_coloured, max(ink, form_ink)
    return coloured, ink


def _image_inks(resources, seen: set) -> tuple[bool, float]:
    """Whether the images use any ink but black, and their largest total ink (a fraction)."""
    coloured, ink = False, 0.0
    for _, xobject in (resources.get("/XObject", {}) if resources is not None else {}).items():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Form":
            form_coloured, form_ink = _image_inks(xobject.get("/Resources"), seen)
            coloured, ink = coloured or form_coloured, max(ink, form_ink)
            continue
        if xobject.get("/Subtype") != "/Image" or xobject.get("/ImageMask", False):
            continue
        space = xobject.get("/ColorSpace")
        if space == pikepdf.Name.DeviceGray:
            pixels = numpy.asarray(pikepdf.PdfImage(xobject).as_pil_image().convert("L"), dtype=numpy.float64)
            ink = max(ink, float(1 - pixels.min() / 255)) if pixels.size else ink
        elif space == pikepdf.Name.DeviceCMYK:
            pixels = numpy.asarray(pikepdf.PdfImage(xobject).as_pil_image(), dtype=numpy.float64) / 255
            if pixels.size:
                coloured |= bool(pixels[..., :3].max() > 0)
                ink = max(ink, float(pixels.sum(axis=-1).max()))
        else:
            coloured = True
    return coloured, ink


def reader_numbers(pdf: pikepdf.Pdf) -> list[int]:
    """The reader's page number of each page of the file, from its page labels (a file in
    reverse order labels its first page with the book's last folio)."""
    numbers = []
    for index, page in enumerate(pdf.pages):
        label = page.label if "/PageLabels" in pdf.Root else ""
        digits = "".join(str(unicodedata.digit(c)) for c in label if unicodedata.digit(c, None) is not None)
        numbers.append(int(digits) if digits else index + 1)
    return numbers


# What a file's pages hold is measured once however many printers' rules it is held against
# (`verdicts`): the measures below are kept per file and state (its path, size and time).
def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


@lru_cache(maxsize=4)
def _interior_inks(path: Path, stamp: tuple[int, int]) -> tuple[int | None, float]:
    """The reader's first page drawn in any ink but black (None: none), and the largest total
    ink (a fraction) of any colour or image."""
    with pikepdf.open(path) as pdf:
        numbers = reader_numbers(pdf)
        colour_page, seen, ink = None, set(), 0.0
        for index, page in enumerate(pdf.pages):
            page_coloured, page_ink = _colour_use(page.obj.get("/Resources"), page)
            image_coloured, image_ink = _image_inks(page.obj.get("/Resources"), seen)
            if (page_coloured or image_coloured) and colour_page is None:
                colour_page = numbers[index]
            ink = max(ink, page_ink, image_ink)
    return colour_page, ink


@lru_cache(maxsize=8)
def _text_margins(path: Path, stamp: tuple[int, int], numbers: tuple[int, ...], binding: str) -> tuple[float, int, float, int]:
    """The least distance (points) of any text from the bound edge's trim, and from the other
    three edges, with the reader's page where each is least."""
    document = pypdfium2.PdfDocument(path)
    inner, inner_page, outer, outer_page = math.inf, 0, math.inf, 0
    try:
        for index, page in enumerate(document):
            trim = page.get_trimbox()
            text = page.get_textpage()
            number = numbers[index]
            bound_right = (number % 2 == 1) == (binding == "right")
            for i in range(text.count_rects()):
                left, bottom, right, top = text.get_rect(i)
                binding_gap = trim[2] - right if bound_right else left - trim[0]
                other = min(left - trim[0] if bound_right else trim[2] - right, bottom - trim[1], trim[3] - top)
                if binding_gap < inner:
                    inner, inner_page = binding_gap, number
                if other < outer:
                    outer, outer_page = other, number
            text.close()
            page.close()
    finally:
        document.close()
    return inner, inner_page, outer, outer_page


def _xmp_findings(pdf: pikepdf.Pdf, name: str) -> list[Finding]:
    """ISO 15930-7: the XMP identifies the document and its version, and says what Info says."""
    meta = pdf.open_metadata()
    missing = [key for key in XMP_KEYS if not meta.get(key)]
    for key, xmp_key in INFO_IN_XMP.items():
        if str(pdf.docinfo.get(key, "")) and not meta.get(xmp_key):
            missing.append(xmp_key)
    return [Finding("error", name, f"XMP lacks {', '.join(missing)}", "rebuild the print edition")] if missing else []


def check_interior(book: Book, path: Path, printer: Printer | None = None) -> tuple[list[Finding], int]:
    """The interior against a printer's rules (default: the one the book is made for)."""
    spec = book.meta.printing
    rules = printer or spec.rules
    binding = rules.binding("right")
    width, height = spec.trim_size
    findings: list[Finding] = []
    name = path.name
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
        numbers = reader_numbers(pdf)
        findings.append(Finding("info", name, f"{pages} pages, trim {width / 72:g}×{height / 72:g} in, "
                                f"bleed {spec.bleed / 72:g} in"))
        if spec.trim not in rules.trims:
            findings.append(Finding("error", name, f"trim {spec.trim} is not offered by {rules.label} "
                                    f"({', '.join(rules.trims)})", "set [print] trim in book.toml"))
        least, most = rules.min_pages, rules.max_pages.get(spec.paper)
        multiple = spec.multiple if rules is spec.rules else rules.page_multiple
        if pages < least:
            findings.append(Finding("error", name, f"{pages} pages, under {rules.label}'s minimum of {least}",
                                    f'build with printer = "{rules.name}": it pads with blank pages'))
        if most and pages > most:
            findings.append(Finding("error", name, f"{pages} pages, over {rules.label}'s maximum of {most} on "
                                    f"{spec.paper} paper", "split the book, or choose a thinner paper or a larger trim"))
        if pages % multiple:
            findings.append(Finding("error", name, f"{pages} pages is not a multiple of {multiple}",
                                    "rebuild: the build pads with blank pages"))
        reverse = rules.reverse_order and binding == "right"
        if pages > 1 and (numbers[0] == pages) != reverse:
            findings.append(Finding("error", name, f"page order: the file's first page is the book's page {numbers[0]}; "
                                    + (f"{rules.label} takes a right-bound interior last page first" if reverse
                                       else f"{rules.label} takes the book's first page first"),
                                    f'build with printer = "{rules.name}"'))
        for index, page in enumerate(pdf.pages):
            number = numbers[index]
            trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
            if trim is None or abs(trim[2] - trim[0] - width) > TOLERANCE or abs(trim[3] - trim[1] - height) > TOLERANCE:
                findings.append(Finding("error", name, f"page {number}: TrimBox {trim} is not the trim size",
                                        f"set [print] trim in book.toml (now {spec.trim})"))
                continue
            bound_right = (number % 2 == 1) == (binding == "right")
            outer = (trim[0] - bleed[0]) if bound_right else (bleed[2] - trim[2])
            inner = (bleed[2] - trim[2]) if bound_right else (trim[0] - bleed[0])
            if bleed is None or min(outer, trim[1] - bleed[1], bleed[3] - trim[3]) < spec.bleed - TOLERANCE:
                findings.append(Finding("error", name, f"page {number}: bleed short of {spec.bleed / 72:g} in "
                                        "on an outer edge", "rebuild the print edition"))
            elif rules.bleed_on_binding_edge and inner < spec.bleed - TOLERANCE:
                findings.append(Finding("error", name, f"page {number}: {rules.label} wants bleed on all four edges",
                                        f'build with printer = "{rules.name}"'))
            elif not rules.bleed_on_binding_edge and inner > TOLERANCE:
                findings.append(Finding("error", name, f"page {number}: bleed on the bound edge ({binding}); "
                                        f"{rules.label} trims none there", f'build with printer = "{rules.name}"'))
        gutter_gap, gutter_page, edge_gap, edge_page = _text_margins(path, _stamp(path), tuple(numbers), binding)
        gutter = max(rules.gutter(pages), rules.safe_margin) * 72
        if gutter_gap < gutter - TOLERANCE:
            findings.append(Finding("error", name, f"page {gutter_page}: text {gutter_gap / 72:.3f} in from the bound "
                                    f"edge; {rules.label} asks {gutter / 72:g} in at {pages} pages",
                                    f'build with printer = "{rules.name}": the gutter follows its rule'))
        if edge_gap < rules.safe_margin * 72 - TOLERANCE:
            findings.append(Finding("error", name, f"page {edge_page}: text {edge_gap / 72:.3f} in from the trim; "
                                    f"{rules.label} keeps {rules.safe_margin:g} in clear", "widen the page margins"))
        colour_page, ink = _interior_inks(path, _stamp(path))
        coloured = colour_page is not None
        if rules.black_only_interior and coloured:
            findings.append(Finding("error", name, f"page {colour_page}: ink other than black in a black-and-white "
                                    f"interior ({rules.label} prints it as a dot screen of grey)",
                                    f'build with printer = "{rules.name}": colours become greys of black ink'))
        if rules.ink_limit and ink * 100 > rules.ink_limit + 0.5:
            findings.append(Finding("error", name, f"total ink {ink * 100:.0f}% over {rules.label}'s {rules.ink_limit}%",
                                    f'build with printer = "{rules.name}"'))
        if not rules.navigation and ("/Outlines" in pdf.Root or "/StructTreeRoot" in pdf.Root):
            findings.append(Finding("error", name, f"bookmarks or tags, which {rules.label} wants none of in an interior",
                                    f'build with printer = "{rules.name}"'))
        findings += _fonts_and_colours(pdf, name)
        if "/OutputIntents" in pdf.Root:
            findings += _xmp_findings(pdf, name)
        findings += _image_findings(pdf, name, _figure_files(book))
    return findings, pages


def check_cover(book: Book, path: Path, pages: int, printer: Printer | None = None) -> list[Finding]:
    spec = book.meta.printing
    rules = printer or spec.rules
    width_in, height_in = spec.trim_size
    expected_width = 2 * width_in + rules.spine_width(spec.paper, pages) + 2 * rules.bleed * 72
    expected_height = height_in + 2 * rules.bleed * 72
    findings: list[Finding] = []
    name = path.name
    with pikepdf.open(path) as pdf:
        if len(pdf.pages) != 1:
            findings.append(Finding("error", name, f"{len(pdf.pages)} pages; a cover is one full-wrap page"))
        media = _box(pdf.pages[0], "/MediaBox")
        width, height = media[2] - media[0], media[3] - media[1]
        findings.append(Finding("info", name, f"{width / 72:.3f}×{height / 72:.3f} in, spine "
                                f"{rules.spine_width(spec.paper, pages) / 72:.4f} in for {pages} pages on {spec.paper} paper"))
        if abs(width - expected_width) > TOLERANCE or abs(height - expected_height) > TOLERANCE:
            findings.append(Finding("error", name, f"{width / 72:.3f}×{height / 72:.3f} in, but {pages} pages need "
                                    f"{expected_width / 72:.3f}×{expected_height / 72:.3f} in at {rules.label}",
                                    f'build the print edition again (printer = "{rules.name}"): its cover is made with its interior'))
        if "/TrimBox" not in pdf.pages[0].obj:
            findings.append(Finding("error", name, "no TrimBox", "rebuild the cover"))
        page = pdf.pages[0]
        coloured, ink = _colour_use(page.obj.get("/Resources"), page)
        image_coloured, image_ink = _image_inks(page.obj.get("/Resources"), set())
        ink = max(ink, image_ink)
        if rules.ink_limit and ink * 100 > rules.ink_limit + 0.5:
            findings.append(Finding("error", name, f"total ink {ink * 100:.0f}% over {rules.label}'s {rules.ink_limit}%",
                                    f'build with printer = "{rules.name}": colours are brought under its limit'))
        findings += _fonts_and_colours(pdf, name)
        if "/OutputIntents" in pdf.Root:
            findings += _xmp_findings(pdf, name)
        findings += _image_findings(pdf, name)
    return findings


def binding_findings(book: Book, printer: Printer | None = None) -> list[Finding]:
    """What a reader gets where the printer cannot bind the book on its right."""
    rules = printer or book.meta.printing.rules
    if rules.binds_on_right:
        return []
    return [Finding("warning", "book.toml", f"{rules.label} binds on the left only: this right-to-left book is "
                    "made left-bound, its front cover on the right panel and page one on the right of the first "
                    "spread, so readers open it like a Latin book and turn its pages leftwards",
                    'printer = "ingramspark" binds it on the right')]


def preflight(book: Book, interior: Path, cover: Path, printer: Printer | None = None) -> list[Finding]:
    findings, pages = check_interior(book, interior, printer)
    return binding_findings(book, printer) + findings + check_cover(book, cover, pages, printer)


def verdicts(book: Book, interior: Path, cover: Path) -> list[Finding]:
    """One line per printer: what its upload check would say of these files (the book's own
    printer's findings are listed in full beside it, by `preflight`)."""
    lines = []
    for rules in PRINTERS.values():
        errors = [f for f in preflight(book, interior, cover, rules) if f.severity == "error"]
        chosen = rules is book.meta.printing.rules
        said = f"{rules.label} ({rules.name}{', the book’s printer' if chosen else ''}): " + (
            "would accept these files" if not errors else
            f"would reject them: {'; '.join(f.message for f in errors[:3])}" + (f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""))
        lines.append(Finding("info", "printers", said))
    return lines
