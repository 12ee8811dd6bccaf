"""PDF/X for the print files: every colour in the printer's CMYK, an output intent, the XMP.

WeasyPrint draws CSS colours as DeviceRGB, which PDF/X does not allow beside a CMYK output
intent. So, as a prepress tool would, the finished print files are converted: neutral greys
become black ink alone (text stays on one plate, sharp whatever the registration), other
colours and images go through the output profile; link annotations, which PDF/X forbids on
the page, are dropped (a printed page has nothing to click).
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

import pikepdf
from PIL import Image, ImageCms

from ..model import Book
from ..print_spec import OutputCondition
from .profiles import output_condition

XMP_PDFXID = "http://www.npes.org/pdfx/ns/id/"
XMP_PDFX = "http://ns.adobe.com/pdfx/1.3/"


@dataclass(frozen=True)
class Variant:
    name: str           # as GTS_PDFXVersion says it
    pdf_version: str
    allows_transparency: bool


VARIANTS = {
    "x-4": Variant("PDF/X-4", "1.6", True),
    "x-1a": Variant("PDF/X-1a:2003", "1.4", False),
}


class PdfxError(Exception):
    """The file holds something this conversion cannot make PDF/X (named in the message)."""


class Separation:
    """sRGB to the output profile's CMYK, the way the printer's profile would print it."""

    def __init__(self, profile: bytes):
        self.transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(io.BytesIO(profile)), "RGB", "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        self._known: dict[tuple[float, float, float], tuple[float, ...]] = {}

    def learn(self, colours: Iterable[tuple[float, float, float]]) -> None:
        """Convert the colours not met before, all in one image: every conversion also copies
        the profile into the image it makes (Pillow), which cost more than the colours."""
        new = [colour for colour in dict.fromkeys(colours) if colour not in self._known]
        for red, green, blue in new:
            if max(red, green, blue) - min(red, green, blue) < 1 / 255:  # a grey: black ink only
                self._known[red, green, blue] = (0.0, 0.0, 0.0, round(1 - (red + green + blue) / 3, 4))
        chromatic = [colour for colour in new if colour not in self._known]
        if chromatic:
            pixels = Image.new("RGB", (len(chromatic), 1))
            pixels.putdata([tuple(round(v * 255) for v in colour) for colour in chromatic])
            converted = ImageCms.applyTransform(pixels, self.transform)
            for position, colour in enumerate(chromatic):
                self._known[colour] = tuple(round(v / 255, 4) for v in converted.getpixel((position, 0)))

    def colour(self, red: float, green: float, blue: float) -> tuple[float, ...]:
        self.learn([(red, green, blue)])
        return self._known[red, green, blue]

    def image(self, image: Image.Image) -> Image.Image:
        return ImageCms.applyTransform(image.convert("RGB"), self.transform)


@lru_cache(maxsize=4)
def separation_for(profile: bytes) -> Separation:
    """One per profile in a process: the interior and the cover share its transform and the
    colours it has converted."""
    return Separation(profile)


def _convert_content(owner: pikepdf.Object, separation: Separation) -> bool:
    """Rewrite RGB colour operators of a page or form as CMYK; True if anything changed."""
    parsed = pikepdf.parse_content_stream(owner)
    separation.learn(tuple(float(v) for v in instruction.operands) for instruction in parsed
                     if str(instruction.operator) in ("rg", "RG"))
    instructions, changed = [], False
    for instruction in parsed:
        operands, operator = instruction.operands, str(instruction.operator)
        if operator in ("rg", "RG"):
            cmyk = separation.colour(*(float(v) for v in operands))
            instructions.append(([*cmyk], pikepdf.Operator("k" if operator == "rg" else "K")))
            changed = True
        elif operator in ("cs", "CS") and operands and operands[0] == pikepdf.Name.DeviceRGB:
            raise PdfxError("a colour set through the DeviceRGB colour space operator")
        else:
            instructions.append(instruction)
    if changed:
        data = pikepdf.unparse_content_stream(instructions)
        if isinstance(owner, pikepdf.Page):
            owner.contents_coalesce()
            owner.obj.Contents.write(data)
        else:
            owner.write(data)
    return changed


def _convert_image(image: pikepdf.Stream, separation: Separation) -> None:
    space = image.get("/ColorSpace")
    rgb = space == pikepdf.Name.DeviceRGB or (
        isinstance(space, pikepdf.Array) and space[0] == pikepdf.Name.ICCBased and int(space[1].get("/N", 0)) == 3)
    if not rgb:
        return
    cmyk = separation.image(pikepdf.PdfImage(image).as_pil_image())
    # Compressed here: given a filter, pikepdf takes the data as already encoded with it.
    image.write(zlib.compress(cmyk.tobytes()), filter=pikepdf.Name.FlateDecode)
    image.ColorSpace = pikepdf.Name.DeviceCMYK
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[key]


def _convert_resources(resources: pikepdf.Dictionary, separation: Separation, seen: set) -> None:
    for _, xobject in resources.get("/XObject", {}).items():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == pikepdf.Name.Image:
            _convert_image(xobject, separation)
        elif xobject.get("/Subtype") == pikepdf.Name.Form:
            _convert_content(xobject, separation)
            _convert_resources(xobject.get("/Resources", pikepdf.Dictionary()), separation, seen)
            if "/Group" in xobject and "/CS" in xobject.Group:
                xobject.Group.CS = pikepdf.Name.DeviceCMYK
    if len(resources.get("/Pattern", {})) or len(resources.get("/Shading", {})):
        raise PdfxError("a pattern or gradient (not converted to CMYK)")


def _drop_link_tags(element: pikepdf.Object) -> None:
    """The structure tree's references to the dropped link annotations."""
    kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
    if isinstance(kids, pikepdf.Dictionary) and kids.get("/Type") == pikepdf.Name.OBJR:
        element.K = pikepdf.Array()
    elif isinstance(kids, pikepdf.Array):
        kept = [kid for kid in kids if not (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR)]
        if len(kept) != len(kids):
            element.K = pikepdf.Array(kept)
        for kid in kept:
            _drop_link_tags(kid)
    elif isinstance(kids, pikepdf.Dictionary):
        _drop_link_tags(kids)


def _check_transparency(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for _, state in page.obj.get("/Resources", {}).get("/ExtGState", {}).items():
            if float(state.get("/CA", 1)) < 1 or float(state.get("/ca", 1)) < 1 \
                    or state.get("/SMask", pikepdf.Name("/None")) != pikepdf.Name("/None"):
                raise PdfxError("transparency, which PDF/X-1a does not allow (choose pdf-x = \"x-4\")")


def _output_intent(pdf: pikepdf.Pdf, condition: OutputCondition, profile: bytes) -> pikepdf.Dictionary:
    stream = pdf.make_stream(profile, N=4)
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(condition.identifier),
        OutputCondition=pikepdf.String(condition.description),
        RegistryName=pikepdf.String(condition.registry),
        Info=pikepdf.String(condition.description),
        DestOutputProfile=stream))


def make_pdfx(pdf: pikepdf.Pdf, variant: str, condition: OutputCondition, profile: bytes,
              title: str, created: dt.datetime) -> str:
    """Make `pdf` (open, saved by the caller with the returned PDF version) PDF/X."""
    chosen = VARIANTS[variant]
    separation = separation_for(profile)
    seen: set = set()
    for page in pdf.pages:
        _convert_content(page, separation)
        _convert_resources(page.obj.get("/Resources", pikepdf.Dictionary()), separation, seen)
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
        if "/Group" in page.obj and "/CS" in page.obj.Group:
            page.obj.Group.CS = pikepdf.Name.DeviceCMYK
        resources = page.obj.get("/Resources")
        if resources is not None and "/ColorSpace" in resources and not chosen.allows_transparency:
            del resources["/ColorSpace"]  # WeasyPrint's unused Lab space: X-1a allows none
    if "/StructTreeRoot" in pdf.Root:
        _drop_link_tags(pdf.Root.StructTreeRoot)
    if not chosen.allows_transparency:
        _check_transparency(pdf)
    pdf.Root.OutputIntents = pikepdf.Array([_output_intent(pdf, condition, profile)])
    stamp = created.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    pdf.docinfo.Trapped = pikepdf.Name("/False")
    pdf_date = created.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
    pdf.docinfo.CreationDate = pikepdf.String(pdf_date)  # the same instant as the XMP says
    pdf.docinfo.ModDate = pikepdf.String(pdf_date)
    pdf.docinfo.Title = pikepdf.String(title)
    if not chosen.allows_transparency:
        pdf.docinfo.GTS_PDFXVersion = pikepdf.String(chosen.name)
        pdf.docinfo.GTS_PDFXConformance = pikepdf.String(chosen.name)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = title
        xmp["xmp:CreateDate"] = stamp
        xmp["xmp:ModifyDate"] = stamp
        xmp["xmp:MetadataDate"] = stamp
        xmp["pdf:Trapped"] = "False"
        xmp[f"{{{XMP_PDFXID}}}GTS_PDFXVersion"] = chosen.name
        if not chosen.allows_transparency:
            xmp[f"{{{XMP_PDFX}}}GTS_PDFXVersion"] = chosen.name
            xmp[f"{{{XMP_PDFX}}}GTS_PDFXConformance"] = chosen.name
    return chosen.pdf_version


def finisher(book: Book) -> Callable[[pikepdf.Pdf], str] | None:
    """What makes the book's print files PDF/X, or None: a plain RGB file was asked for, or the
    CMYK profile is not installed (preflight says so)."""
    spec = book.meta.printing
    condition, profile = output_condition(book)
    if spec.pdf_x == "none" or profile is None:
        return None
    return lambda pdf: make_pdfx(pdf, spec.pdf_x, condition, profile, book.meta.title, book.built)
