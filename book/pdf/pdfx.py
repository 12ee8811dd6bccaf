"""PDF/X for the print files: every colour in the printer's CMYK, an output intent, the XMP.

WeasyPrint draws CSS colours as DeviceRGB, which PDF/X does not allow beside a CMYK output
intent. So, as a prepress tool would, the finished print files are converted: neutral greys
become black ink alone (text stays on one plate, sharp whatever the registration), other
colours and images go through the output profile, then under the printer's ink limit (grey
component replaced by black first); a black-and-white interior gets black ink alone, its
colours and images as greys. Link annotations, which PDF/X forbids on the page, are dropped
(a printed page has nothing to click).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

import numpy
import pikepdf
from PIL import Image, ImageCms

from ..model import Book
from ..print_spec import INFO_IN_XMP, OutputCondition
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


INK_MARGIN = 0.01  # aim this far under an ink limit (1%): rounding never takes a colour over it


def limit_ink(cmyk: numpy.ndarray, limit: float) -> numpy.ndarray:
    """CMYK values (0-1, last axis) with their total brought under `limit` (2.4 for 240%), as a
    prepress ink limiter does: the grey that cyan, magenta and yellow share goes to black ink
    first (the same darkness in fewer inks), then the three are reduced in proportion."""
    cmyk = numpy.array(cmyk, dtype=numpy.float64)
    c, m, y, k = (cmyk[..., i] for i in range(4))
    target = limit - INK_MARGIN
    excess = c + m + y + k - target
    grey = numpy.clip(numpy.minimum.reduce([numpy.minimum(numpy.minimum(c, m), y), 1 - k, excess / 2]), 0, None)
    c, m, y, k = c - grey, m - grey, y - grey, k + grey
    colour = c + m + y
    scale = numpy.where((colour + k > target) & (colour > 0), numpy.clip((target - k) / numpy.where(colour > 0, colour, 1), 0, 1), 1)
    return numpy.stack([c * scale, m * scale, y * scale, k], axis=-1)


class Separation:
    """sRGB to the output profile's CMYK, the way the printer's profile would print it; under
    the printer's ink limit (a fraction: 2.4 for 240%), or in black ink alone."""

    def __init__(self, profile: bytes, ink_limit: float | None = None, black_only: bool = False):
        self.transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(io.BytesIO(profile)), "RGB", "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        self.ink_limit = ink_limit
        self.black_only = black_only
        self._known: dict[tuple[float, float, float], tuple[float, ...]] = {}

    def learn(self, colours: Iterable[tuple[float, float, float]]) -> None:
        """Convert the colours not met before, all in one image: every conversion also copies
        the profile into the image it makes (Pillow), which cost more than the colours."""
        new = [colour for colour in dict.fromkeys(colours) if colour not in self._known]
        for red, green, blue in new:
            if max(red, green, blue) - min(red, green, blue) < 1 / 255:  # a grey: black ink only
                self._known[red, green, blue] = (0.0, 0.0, 0.0, round(1 - (red + green + blue) / 3, 4))
            elif self.black_only:  # its grey (ITU-R 601 luma, as Pillow's "L"), in black ink
                self._known[red, green, blue] = (0.0, 0.0, 0.0, round(1 - (0.299 * red + 0.587 * green + 0.114 * blue), 4))
        chromatic = [colour for colour in new if colour not in self._known]
        if chromatic:
            pixels = Image.new("RGB", (len(chromatic), 1))
            pixels.putdata([tuple(round(v * 255) for v in colour) for colour in chromatic])
            converted = numpy.asarray(ImageCms.applyTransform(pixels, self.transform), dtype=numpy.float64)[0] / 255
            if self.ink_limit:
                converted = limit_ink(converted, self.ink_limit)
            for position, colour in enumerate(chromatic):
                # Rounded down: a total just under the limit stays under it.
                self._known[colour] = tuple(float(v) for v in numpy.floor(converted[position] * 10000) / 10000)

    def colour(self, red: float, green: float, blue: float) -> tuple[float, ...]:
        self.learn([(red, green, blue)])
        return self._known[red, green, blue]

    def image(self, image: Image.Image) -> Image.Image:
        """The image in the printer's inks: greys (mode L) for black ink alone, else CMYK."""
        if self.black_only:
            return image.convert("L")
        cmyk = ImageCms.applyTransform(image.convert("RGB"), self.transform)
        if not self.ink_limit:
            return cmyk
        limited = limit_ink(numpy.asarray(cmyk, dtype=numpy.float64) / 255, self.ink_limit)
        return Image.fromarray(numpy.floor(limited * 255).astype(numpy.uint8), "CMYK")


@lru_cache(maxsize=8)
def separation_for(profile: bytes, ink_limit: float | None = None, black_only: bool = False) -> Separation:
    """One per profile and inks in a process: the interior's and the cover's each keep their
    transform and the colours they have converted."""
    return Separation(profile, ink_limit, black_only)


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
    inks = separation.image(pikepdf.PdfImage(image).as_pil_image())
    # Compressed here: given a filter, pikepdf takes the data as already encoded with it.
    image.write(zlib.compress(inks.tobytes()), filter=pikepdf.Name.FlateDecode)
    image.ColorSpace = pikepdf.Name.DeviceGray if inks.mode == "L" else pikepdf.Name.DeviceCMYK
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
              title: str, created: dt.datetime, separation: Separation | None = None, identity: str = "") -> str:
    """Make `pdf` (open, saved by the caller with the returned PDF version) PDF/X, its colours
    through `separation` (default: the profile's, no ink limit); `identity` names the document
    for its XMP DocumentID (the same for every build of it) beside the instant of this one."""
    chosen = VARIANTS[variant]
    separation = separation or separation_for(profile)
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
    document = uuid.uuid5(uuid.NAMESPACE_URL, identity or title)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = title
        for key, name in INFO_IN_XMP.items():
            value = str(pdf.docinfo.get(key, ""))
            if value:
                xmp[name] = [value] if name == "dc:creator" else value
        xmp["xmpMM:DocumentID"] = f"uuid:{document}"
        xmp["xmpMM:InstanceID"] = f"uuid:{uuid.uuid5(document, stamp)}"
        xmp["xmpMM:VersionID"] = "1"
        xmp["xmpMM:RenditionClass"] = "default"
        xmp["xmp:CreateDate"] = stamp
        xmp["xmp:ModifyDate"] = stamp
        xmp["xmp:MetadataDate"] = stamp
        xmp["pdf:Trapped"] = "False"
        xmp[f"{{{XMP_PDFXID}}}GTS_PDFXVersion"] = chosen.name
        if not chosen.allows_transparency:
            xmp[f"{{{XMP_PDFX}}}GTS_PDFXVersion"] = chosen.name
            xmp[f"{{{XMP_PDFX}}}GTS_PDFXConformance"] = chosen.name
    return chosen.pdf_version


def finisher(book: Book, role: str) -> Callable[[pikepdf.Pdf], str] | None:
    """What makes the book's print file PDF/X in the printer's inks, or None: a plain RGB file
    was asked for, or the CMYK profile is not installed (preflight says so). `role`: "interior"
    (black ink alone where the printer prints black and white) or "cover"."""
    spec = book.meta.printing
    condition, profile = output_condition(book)
    if spec.pdf_x == "none" or profile is None:
        return None
    limit = spec.rules.ink_limit / 100 if spec.rules.ink_limit else None
    separation = separation_for(profile, limit, role == "interior" and spec.rules.black_only_interior)
    identity = f"{book.meta.identifier}#{role}"
    return lambda pdf: make_pdfx(pdf, spec.pdf_x, condition, profile, book.meta.title, book.built, separation, identity)
