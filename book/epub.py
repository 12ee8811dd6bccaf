"""EPUB 3: one XHTML document per chapter plus front matter, packaged with ebooklib."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from ebooklib import epub

from .arabic import LABELS, counter_style_css
from .pdf.cover_image import front_cover_png
from .fonts import FACES, Face, font_face_css
from .subset import characters, subset_font
from .model import Book, Chapter, HeadingNode, PageBreak, PageMark, Part
from .backmatter import BackSection, back_matter_context, back_sections
from .templating import render

XHTML = "application/xhtml+xml"
CSS_HREF = "css/book.css"
COVER_HREF = "images/cover.png"
STYLESHEETS = ("book.css", "epub.css")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def font_href(face: Face) -> str:
    # File names inside the package stay plain ASCII (the variable font's "[wght]" would need escaping).
    return "fonts/" + face.file.name.replace("[", "-").replace("]", "")


@dataclass(frozen=True)
class Landmark:
    type: str
    href: str
    title: str


@dataclass(frozen=True)
class ChapterEntry:
    chapter: Chapter
    href: str


class _Writer(epub.EpubWriter):
    """ebooklib's writer with our navigation document and xml:lang on the package."""

    def __init__(self, name: str, book: epub.EpubBook, options: dict, nav: bytes, language: str):
        super().__init__(name, book, options)
        self._nav = nav
        self._language = language

    def _get_nav(self, item):
        return self._nav

    def _write_opf_file(self, root):
        root.set(_XML_LANG, self._language)
        super()._write_opf_file(root)


# What the book offers a reader who does not see it, in schema.org's accessibility vocabulary.
ACCESS_MODES = ("textual", "visual")            # visual: the cover image
ACCESS_MODES_SUFFICIENT = ("textual",)
FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
            "index", "displayTransformability")
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def _document_of(page: PageBreak, entries: list[ChapterEntry]) -> str:
    if page.section == "chapter":
        return f"{page.chapter}.xhtml"
    return {"titlepage": "titlepage.xhtml", "toc": "nav.xhtml"}.get(page.section, f"{page.section}.xhtml")


def _accessibility(package: epub.EpubBook, book: Book, paged: bool) -> None:
    for mode in ACCESS_MODES:
        package.add_metadata(None, "meta", mode, {"property": "schema:accessMode"})
    for mode in ACCESS_MODES_SUFFICIENT:
        package.add_metadata(None, "meta", mode, {"property": "schema:accessModeSufficient"})
    for feature in FEATURES + (("pageBreakMarkers", "pageNavigation") if paged else ()):
        if feature != "index" or book.index:
            package.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
    package.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
    package.add_metadata(None, "meta", LABELS["accessibility_summary"],
                         {"property": "schema:accessibilitySummary", _XML_LANG: book.meta.language})
    package.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})


def _document(uid: str, href: str, xhtml: str, properties: tuple[str, ...] = ()) -> epub.EpubItem:
    item = epub.EpubItem(uid=uid, file_name=href, media_type=XHTML, content=xhtml.encode("utf-8"))
    item.properties = list(properties)
    return item


def _stylesheet(book: Book) -> str:
    faces = font_face_css(lambda face: "../" + font_href(face))
    sheets = [book.styles[name].text for name in STYLESHEETS]
    return "\n".join([faces, counter_style_css(book.meta.digits), *sheets])


def _back_matter(book: Book, page: dict, print_pages: Mapping[str, int]) -> list[tuple[epub.EpubItem, BackSection]]:
    """Chronology, sayings and index: one document each, linking into the chapters."""
    context = {**back_matter_context(book, print_pages), **page}
    return [(_document(section.id, f"{section.id}.xhtml",
                       render("epub_back.xhtml.j2", book, section=section, marks_key=section.id, **context)),
             section)
            for section in back_sections(book)]


def _with_page_marks(book: Book, breaks: Sequence[PageBreak]) -> tuple[Book, dict[str, list[PageMark]]]:
    """Page marks set in the chapters' text where print pages begin; the rest by section."""
    in_text: dict[tuple[str, str], dict[int, list[PageMark]]] = {}
    at_start: dict[str, list[PageMark]] = {}
    for page in breaks:
        mark = PageMark(page.number, page.label)
        if page.section == "chapter" and page.block is not None:
            in_text.setdefault((page.chapter, page.block), {}).setdefault(page.offset, []).append(mark)
        else:
            at_start.setdefault(page.chapter if page.section == "chapter" else page.section, []).append(mark)
    chapters = tuple(
        chapter.map_texts(lambda key, text, slug=chapter.slug: text.with_anchors(in_text.get((slug, key), {})))
        for chapter in book.chapters)
    return replace(book, chapters=chapters), at_start


FIGURES_FOLDER = "figures"  # the book's images, apart from the package's own (the cover's)


def figure_href(src: str) -> str:
    """Where a figure's image is in the package: the path the chapter gives, in a folder of its own."""
    return f"{FIGURES_FOLDER}/{src}"


def _figure_images(book: Book) -> dict[str, bytes]:
    return {figure.src: book.files[figure.src] for chapter in book.chapters for figure in chapter.figures}


def _toc_entry(href: str, title: str, uid: str, nodes: tuple[HeadingNode, ...]):
    """An NCX entry and the headings under it, nested as the navigation document nests them."""
    if not nodes:
        return epub.Link(href, title, uid)
    return (epub.Section(title, href),
            [_toc_entry(f"{href.split('#')[0]}#{n.heading.id}", n.heading.text.plain, n.heading.id, n.children)
             for n in nodes])


def _in_parts(book: Book, entries: Sequence[ChapterEntry]) -> list[tuple["Part | None", list[ChapterEntry]]]:
    """The chapters' entries grouped by the part they are in (None: in no part), in order."""
    groups: list[tuple[Part | None, list[ChapterEntry]]] = []
    for entry in entries:
        part = book.parts.get(entry.chapter.slug)
        if not groups or groups[-1][0] != part:
            groups.append((part, []))
        groups[-1][1].append(entry)
    return groups


def write_epub(book: Book, target: Path, page_breaks: Sequence[PageBreak] = (),
               print_pages: Mapping[str, int] | None = None) -> None:
    """The EPUB; with the print layout's page breaks and anchor pages it carries a page-list
    and cites print pages in its index, chronology and sayings."""
    book, marks = _with_page_marks(book, page_breaks)
    meta = book.meta
    package = epub.EpubBook()
    package.set_identifier(meta.identifier)
    package.set_title(meta.title)
    package.set_language(meta.language)
    package.set_direction("rtl")
    for creator in meta.creators:
        package.add_author(creator)
    package.add_metadata("DC", "publisher", meta.publisher)
    package.add_metadata("DC", "date", meta.date.isoformat())
    if meta.description:
        package.add_metadata("DC", "description", meta.description)
    if meta.rights:
        package.add_metadata("DC", "rights", meta.rights)
    if meta.subtitle:
        package.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        package.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})

    page = dict(css_href=CSS_HREF, marks=marks)
    package.add_item(epub.EpubItem(uid="css", file_name=CSS_HREF, media_type="text/css",
                                   content=_stylesheet(book).encode("utf-8")))
    cover_image = epub.EpubItem(uid="cover-image", file_name=COVER_HREF, media_type="image/png",
                                content=front_cover_png(book))
    cover_image.properties = ["cover-image"]
    package.add_item(cover_image)
    package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    for number, (src, data) in enumerate(_figure_images(book).items(), start=1):
        package.add_item(epub.EpubItem(uid=f"figure-{number}", file_name=figure_href(src),
                                       media_type="image/png" if data.startswith(b"\x89PNG") else "image/jpeg",
                                       content=data))
    _accessibility(package, book, bool(page_breaks))
    if page_breaks:  # the page numbers are the print edition's
        package.add_metadata("DC", "source", f"{meta.identifier}:print", {"id": "print-source"})
        package.add_metadata(None, "meta", "pagination", {"refines": "#print-source", "property": "source-of"})

    cover = _document("cover", "cover.xhtml", render("epub_cover.xhtml.j2", book, image_href=COVER_HREF, **page))
    titlepage = _document("titlepage", "titlepage.xhtml",
                          render("epub_titlepage.xhtml.j2", book, marks_key="titlepage", **page))
    entries = [ChapterEntry(c, f"{c.slug}.xhtml") for c in book.chapters]
    chapters = [_document(f"chapter-{e.chapter.slug}", e.href,
                          render("epub_chapter.xhtml.j2", book, chapter=e.chapter, number=n,
                                 marks_key=e.chapter.slug, image_href=figure_href, **page))
                for n, e in enumerate(entries, start=1)]
    back = _back_matter(book, page, print_pages or {})
    documents = (cover, titlepage, *chapters, *(item for item, _ in back))
    for item in documents:
        package.add_item(item)

    landmarks = [
        Landmark("cover", "cover.xhtml", LABELS["cover"]),
        Landmark("titlepage", "titlepage.xhtml", LABELS["title_page"]),
        Landmark("toc", "nav.xhtml", LABELS["contents"]),
        Landmark("bodymatter", next((e.href for e in entries if e.chapter.kind == "chapter"), entries[0].href),
                 LABELS["start"]),
        *(Landmark("index", item.file_name, section.title) for item, section in back if section.id == "index"),
    ]
    page_list = [(f"{_document_of(b, entries)}#page-{b.number}", b.label) for b in page_breaks]
    groups = _in_parts(book, entries)
    nav_xhtml = render("epub_nav.xhtml.j2", book, groups=groups, landmarks=landmarks,
                       back=[(item.file_name, section.title) for item, section in back],
                       page_list=page_list, marks_key="toc", **page)
    text = characters([d.content.decode("utf-8") for d in documents] + [nav_xhtml])
    for index, face in enumerate(FACES):
        package.add_item(epub.EpubItem(uid=f"font-{index}", file_name=font_href(face),
                                       media_type=face.media_type, content=subset_font(face.file, text)))
    nav = epub.EpubNav(title=LABELS["contents"], direction="rtl")
    package.add_item(nav)
    package.add_item(epub.EpubNcx())
    toc = []
    for part, grouped in groups:
        chapters_toc = [_toc_entry(f"{e.href}#{e.chapter.slug}" if part else e.href, e.chapter.title, e.chapter.slug,
                                   e.chapter.heading_tree()) for e in grouped]
        toc += [(epub.Section(part.title, f"{grouped[0].href}#{part.opens}-part"), chapters_toc)] if part else chapters_toc
    package.toc = toc + [epub.Link(item.file_name, section.title, section.id) for item, section in back]
    package.spine = [cover, titlepage, nav, *chapters, *(item for item, _ in back)]

    modified = book.built.astimezone(dt.timezone.utc)
    options = {"mtime": modified, "epub3_landmark": False, "epub2_guide": False, "epub3_pages": False}
    writer = _Writer(str(target), package, options, nav_xhtml.encode("utf-8"), meta.language)
    writer.process()
    writer.write()
    _fix_zip_times(target, modified)


def _fix_zip_times(path: Path, when: dt.datetime) -> None:
    """Every entry dated `when`, in the same order, mimetype first and stored: the same sources
    give the same bytes (ebooklib dates entries with the clock)."""
    # A zip entry's date holds the years 1980-2107 only: a book dated outside them (a reprint
    # of 1900, say) keeps its date in the package metadata, its entries the nearest they can.
    stamp = min(max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0)), (2107, 12, 31, 23, 59, 58))
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data, compresslevel=9 if fixed.compress_type == zipfile.ZIP_DEFLATED else None)
