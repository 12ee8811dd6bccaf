"""The checks: the structure tree, annotations, parent tree, fonts, catalog and metadata."""

from __future__ import annotations

import re
from collections import Counter

import pikepdf

from .content import scan_content
from .fonts import check_font
from .objects import as_list, name_of, number_tree
from .rules import COVERED, LANGUAGE_TAG, STANDARD, Violation, check_lang
from .structure import Element, elements_of, standard_type

_KIDS_ONLY = {"Table": ("7.2-3", {"TR", "THead", "TBody", "TFoot", "Caption"}), "TR": ("7.2-10", {"TH", "TD"}),
              "L": ("7.2-19", {"L", "LI", "Caption"}), "LI": ("7.2-20", {"Lbl", "LBody"}),
              "TOC": ("7.2-27", {"TOC", "TOCI", "Caption"}), "THead": ("7.2-36", {"TR"}),
              "TBody": ("7.2-37", {"TR"}), "TFoot": ("7.2-38", {"TR"})}



_PARENT = {"TR": ("7.2-4", {"Table", "THead", "TBody", "TFoot"}), "THead": ("7.2-5", {"Table"}),
           "TBody": ("7.2-6", {"Table"}), "TFoot": ("7.2-7", {"Table"}), "TH": ("7.2-8", {"TR"}),
           "TD": ("7.2-9", {"TR"}), "LI": ("7.2-17", {"L"}), "LBody": ("7.2-18", {"LI"}),
           "TOCI": ("7.2-26", {"TOC"})}



def _where(element: Element, pages: dict) -> str:
    page = f" on page {pages[element.page]}" if element.page in pages else ""
    return f"{element.type} element {element.obj.objgen}{page}"



def _check_roles(pdf, elements, pages) -> list[Violation]:
    rolemap, found = pdf.Root.StructTreeRoot.get("/RoleMap", {}), []
    for element in elements:
        where = _where(element, pages)
        if "/P" not in element.obj:
            found.append(Violation("7.1-12", f"{where} has no /P"))
        standard, circular = standard_type(element.type, rolemap)
        if circular:
            found.append(Violation("7.1-6", f"{where}: role mapping of {element.type} is circular"))
        elif standard is None:
            found.append(Violation("7.1-5", f"{where}: {element.type} maps to no standard type"))
        if element.type in STANDARD and "/" + element.type in rolemap:
            found.append(Violation("7.1-7", f"{where}: standard type remapped to {rolemap['/' + element.type]}"))
    return found



def _check_elements(elements, pages, catalog_lang) -> list[Violation]:
    found, notes, level = [], Counter(), 0
    uses_h = any(e.std == "H" for e in elements)
    uses_hn = any(re.fullmatch(r"H[1-6]", e.std or "") for e in elements)
    for element in elements:
        std, obj, where = element.std, element.obj, _where(element, pages)
        kids = [kid.std for kid in element.kids if kid.std]
        parent = element.parent.std if element.parent else None
        flag = lambda rule, text: found.append(Violation(rule, f"{where}: {text}"))  # noqa: E731
        if std in _PARENT and parent not in _PARENT[std][1]:
            flag(_PARENT[std][0], f"inside {parent}")
        if std in _KIDS_ONLY and set(kids) - _KIDS_ONLY[std][1]:
            flag(_KIDS_ONLY[std][0], f"holds {sorted(set(kids) - _KIDS_ONLY[std][1])}")
        if std == "Table":
            for rule, bad in (("7.2-11", kids.count("THead") > 1), ("7.2-12", kids.count("TFoot") > 1),
                              ("7.2-13", "TFoot" in kids and "TBody" not in kids),
                              ("7.2-14", "THead" in kids and "TBody" not in kids),
                              ("7.2-16", "Caption" in kids[1:-1]), ("7.2-39", kids.count("Caption") > 1)):
                bad and flag(rule, f"kids {kids}")
        if std in ("TOC", "L") and "Caption" in kids[1:]:
            flag("7.2-28" if std == "TOC" else "7.2-40", "Caption is not the first kid")
        for key, rule in (("/ActualText", "7.2-21"), ("/Alt", "7.2-22"), ("/E", "7.2-23")):
            if key in obj and not element.lang and not catalog_lang:
                flag(rule, f"{key} in no determined language")
        if "/Lang" in obj and not LANGUAGE_TAG.match(str(obj.Lang)):
            flag("7.2-29", f"/Lang {str(obj.Lang)!r} is not a language tag")
        if std in ("Figure", "Formula") and not str(obj.get("/Alt", "")) and "/ActualText" not in obj:
            flag("7.3-1" if std == "Figure" else "7.7-1", "no Alt or ActualText")
        if kids.count("H") > 1:
            flag("7.4.4-1", f"{kids.count('H')} H kids")
        if std == "H" and uses_hn or re.fullmatch(r"H[1-6]", std or "") and uses_h:
            flag("7.4.4-2" if std == "H" else "7.4.4-3", "H and H1-H6 both used")
        if re.fullmatch(r"H[1-6]", std or ""):
            if int(std[1]) > level + 1:  # the first must be H1; no level skipped going down
                flag("7.4.2-1", f"{std} follows {'H%d' % level if level else 'no heading'}")
            level = int(std[1])
        if std == "Note":
            str(obj.get("/ID", "")) or flag("7.9-1", "no ID")
            notes[bytes(obj.get("/ID", b""))] += bool(str(obj.get("/ID", "")))
        if std == "Form" and not _has_role(obj) and [i[0] for i in element.items] + kids != ["objr"]:
            flag("7.18.4-2", "no Role attribute and not exactly one OBJR kid")
    found += [Violation("7.9-2", f"Note ID {key!r} used {n} times") for key, n in notes.items() if n > 1]
    return found



def _has_role(obj) -> bool:
    attributes = [a for a in as_list(obj.get("/A")) if isinstance(a, pikepdf.Dictionary)]
    return any("/Role" in a for a in attributes)



def _visible(annotation, page) -> bool:
    """Not hidden (F bit 2) and its rectangle meets the page's crop box."""
    if int(annotation.get("/F", 0)) & 2:
        return False
    try:
        a, box = [float(v) for v in annotation.Rect], [float(v) for v in page.get("/CropBox", page.MediaBox)]
    except (AttributeError, TypeError, ValueError):
        return True
    return min(a[0], a[2]) <= max(box[0], box[2]) and max(a[0], a[2]) >= min(box[0], box[2]) \
        and min(a[1], a[3]) <= max(box[1], box[3]) and max(a[1], a[3]) >= min(box[1], box[3])



def _check_annotations(pdf, by_obj, parents, catalog_lang) -> list[Violation]:
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        annotations = [a for a in page.obj.get("/Annots", []) if isinstance(a, pikepdf.Dictionary)]
        if annotations and page.obj.get("/Tabs") != "/S":
            found.append(Violation("7.18.3-1", f"page {number} has annotations and no /Tabs /S"))
        for annotation in annotations:
            kind = name_of(annotation.get("/Subtype"))
            where = f"page {number}: {kind} annotation"
            entry = parents.get(int(annotation.StructParent)) if "/StructParent" in annotation else None
            element = by_obj.get(entry.objgen) if isinstance(entry, pikepdf.Dictionary) else None
            std, alt = (element.std, str(element.obj.get("/Alt", ""))) if element else (None, "")
            if "/Contents" in annotation and "/Lang" not in annotation and not catalog_lang:
                found.append(Violation("7.2-24", f"{where}: Contents in no determined language"))
            if not _visible(annotation, page.obj):
                continue
            contents = str(annotation.get("/Contents", ""))
            field_ = annotation
            while "/TU" not in field_ and isinstance(field_.get("/Parent"), pikepdf.Dictionary):
                field_ = field_.Parent
            for rule, bad in (
                    ("7.18.1-1", kind not in ("Widget", "PrinterMark", "Link") and std != "Annot"),
                    ("7.18.1-2", kind != "Widget" and not contents and not alt),
                    ("7.18.1-3", kind == "Widget" and not str(field_.get("/TU", "")) and not alt),
                    ("7.18.2-1", kind == "TrapNet"), ("7.18.4-1", kind == "Widget" and std != "Form"),
                    ("7.18.5-1", kind == "Link" and std != "Link"), ("7.18.5-2", kind == "Link" and not contents),
                    ("7.18.8-1", kind == "PrinterMark" and entry is not None)):
                bad and found.append(Violation(rule, f"{where} {annotation.get('/Rect')} ({COVERED[rule]})"))
    return found



def _check_parent_tree(pdf, scan, elements, by_obj, parents) -> list[Violation]:
    """The three checks beside the profile: parent-tree, mcid-reachable, link-text."""
    found, listed = [], {(e.obj.objgen, item) for e in elements for item in e.items}
    containers = {int(p.obj.StructParents): p.obj.objgen for p in pdf.pages if "/StructParents" in p.obj}
    containers.update((key, objgen) for objgen, key in
                      ((o, pdf.get_object(o).get("/StructParents")) for o in scan.parsed) if key is not None)
    owners = {int(a.StructParent): a.objgen for p in pdf.pages for a in p.obj.get("/Annots", [])
              if isinstance(a, pikepdf.Dictionary) and "/StructParent" in a}
    for key, value in parents.items():
        if isinstance(value, pikepdf.Array):
            for mcid, element in enumerate(value):
                if isinstance(element, pikepdf.Dictionary) and \
                        (element.objgen, ("mcid", containers.get(key), mcid)) not in listed:
                    why = "does not list it there" if element.objgen in by_obj else "is not in the structure tree"
                    found.append(Violation("parent-tree", f"ParentTree {key}[{mcid}] (MCID {mcid}) names "
                                                          f"{name_of(element.get('/S'))} {element.objgen}, which {why}"))
        elif isinstance(value, pikepdf.Dictionary) and (value.objgen, ("objr", owners.get(key))) not in listed:
            found.append(Violation("parent-tree", f"ParentTree {key} names {name_of(value.get('/S'))} {value.objgen}, "
                                                  "which has no OBJR to the object with that StructParent"))
    for (container, mcid), (key, where) in scan.mcids.items():
        entry = parents.get(key) if key is not None else None
        element = entry[mcid] if isinstance(entry, pikepdf.Array) and mcid < len(entry) else None
        if not isinstance(element, pikepdf.Dictionary) or element.objgen not in by_obj \
                or (element.objgen, ("mcid", container, mcid)) not in listed:
            text = scan.text((container, mcid))[:30]
            why = "no element" if not isinstance(element, pikepdf.Dictionary) else \
                f"{name_of(element.get('/S'))} {element.objgen}, " + \
                ("which does not list it" if element.objgen in by_obj else "not reachable from StructTreeRoot")
            found.append(Violation("mcid-reachable", f"{where}: MCID {mcid} ({text!r}) leads to {why}"))
    for element in elements:
        if element.std == "Link" and not str(element.obj.get("/Alt", "")) and not _has_mcid(element):
            found.append(Violation("link-text", f"Link element {element.obj.objgen}: no text (MCID) and no Alt"))
    return found



def _has_mcid(element: Element) -> bool:
    return any(item[0] == "mcid" for item in element.items) or any(map(_has_mcid, element.kids))



def _check_document(pdf, path) -> list[Violation]:
    root, found = pdf.Root, []
    flag = lambda rule, text: found.append(Violation(rule, text))  # noqa: E731
    with open(path, "rb") as file:
        if not re.match(rb"%PDF-1\.[0-7](\r\n|\r|\n)", file.read(12)):
            flag("6.1-1", "header is not %PDF-1.[0-7] and an end of line")
    mark = root.get("/MarkInfo", {})
    mark.get("/Marked") is True or flag("6.2-1", "catalog /MarkInfo /Marked is not true")
    mark.get("/Suspects") is True and flag("7.1-4", "/MarkInfo /Suspects is true")
    root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is True or \
        flag("7.1-10", "/ViewerPreferences /DisplayDocTitle is not true")
    "/StructTreeRoot" in root or flag("7.1-11", "no /StructTreeRoot")
    lang = root.get("/Lang")
    lang is None or check_lang(found, lang, "catalog")
    catalog_lang = bool(str(lang or ""))
    if "/First" in root.get("/Outlines", {}) and not catalog_lang:
        flag("7.2-2", "outline and no catalog /Lang")
    metadata = root.get("/Metadata")
    if not (isinstance(metadata, pikepdf.Stream) and metadata.get("/Type") == "/Metadata"
            and metadata.get("/Subtype") == "/XML"):
        flag("7.1-8", "catalog /Metadata is not a /Metadata /XML stream")
    found += _check_xmp(pdf, metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b"", catalog_lang)
    properties = root.get("/OCProperties", {})
    for config in [properties.get("/D")] + as_list(properties.get("/Configs")):
        if isinstance(config, pikepdf.Dictionary):
            str(config.get("/Name", "")) or flag("7.10-1", f"optional content config {config.objgen} has no Name")
            "/AS" in config and flag("7.10-2", f"optional content configuration {config.objgen} has AS")
    for spec in _file_specs(pdf):
        if not (str(spec.get("/F", "")) and str(spec.get("/UF", ""))):
            flag("7.11-1", f"embedded file {spec.objgen} lacks a non-empty F or UF")
    form = root.get("/AcroForm", {})
    xfa = form.get("/XFA")
    data = b"".join(s.read_bytes() for s in as_list(xfa) if isinstance(s, pikepdf.Stream))
    re.search(rb"<dynamicRender>\s*required\s*</dynamicRender>", data) and flag("7.15-1", "dynamic XFA form")
    fields = list(form.get("/Fields", []))
    while fields:
        field_ = fields.pop()
        fields += list(field_.get("/Kids", []))
        if "/TU" in field_ and "/Lang" not in field_ and not catalog_lang:
            flag("7.2-25", f"form field {field_.objgen}: TU in no determined language")
    if pdf.is_encrypted and not int(pdf.encryption.P) & 512:
        flag("7.16-1", "encrypted without P bit 10 (content extraction for accessibility)")
    return found



def _check_xmp(pdf, data: bytes, catalog_lang: bool) -> list[Violation]:
    found = []
    prefixes = re.findall(rb'xmlns:([\w.-]+)\s*=\s*["\']http://www\.aiim\.org/pdfua/ns/id/["\']', data)
    # As an element (<p:part>1</p:part>) or as an attribute (p:part="1").
    pattern = rb"<([\w.-]+):%s\b[^>]*>\s*([^<]*)<|([\w.-]+):%s\s*=\s*[\"']([^\"']*)"
    uses = {key: re.findall(pattern % (key, key), data) for key in (b"part", b"amd", b"corr")}
    uses = {key: [(a or c, b or d) for a, b, c, d in hits if (a or c) in prefixes] for key, hits in uses.items()}
    if not uses[b"part"]:
        found.append(Violation("5-1", "XMP has no PDF/UA identification (pdfuaid:part)"))
    for prefix, value in uses[b"part"]:
        value.strip() == b"1" or found.append(Violation("5-2", f"pdfuaid:part is {value.decode()!r}, not 1"))
    for key, rule in ((b"part", "5-3"), (b"amd", "5-4"), (b"corr", "5-5")):
        for prefix, _ in uses[key]:
            prefix == b"pdfuaid" or found.append(Violation(rule, f"{key.decode()} has prefix {prefix.decode()!r}"))
    try:
        title = pdf.open_metadata().get("dc:title")
    except Exception:  # unreadable XMP: no title can be read either
        title = None
    title or found.append(Violation("7.1-9", "XMP has no dc:title"))
    if b'xml:lang="x-default"' in data and not catalog_lang:
        found.append(Violation("7.2-33", "XMP x-default texts and no catalog /Lang"))
    return found



def _file_specs(pdf):
    specs = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/EF" in obj:
            specs[obj.objgen] = obj
    names = pdf.Root.get("/Names", {})
    if "/EmbeddedFiles" in names:
        for _, spec in pikepdf.NameTree(names.EmbeddedFiles).items():
            specs.setdefault(spec.objgen if spec.objgen != (0, 0) else id(spec), spec)
    return specs.values()



def check_pdfua(path) -> list[Violation]:
    """The violations of every rule in COVERED and of the three checks beside the profile."""
    with pikepdf.open(path) as pdf:
        scan = scan_content(pdf)
        elements, pages = elements_of(pdf), {p.obj.objgen: n for n, p in enumerate(pdf.pages, start=1)}
        by_obj = {e.obj.objgen: e for e in elements}
        root = pdf.Root.get("/StructTreeRoot", {})
        parents = number_tree(root.get("/ParentTree"))
        found = scan.violations + _check_document(pdf, path)
        if elements:
            found += _check_roles(pdf, elements, pages)
        found += _check_elements(elements, pages, scan.catalog_lang)
        found += _check_annotations(pdf, by_obj, parents, scan.catalog_lang)
        found += _check_parent_tree(pdf, scan, elements, by_obj, parents)
        for font in scan.fonts.values():
            found += check_font(font)
        found += [Violation("7.20-2", f"form XObject {objgen} holds MCIDs and is drawn {scan.form_draws[objgen]} "
                                      f"times ({where})") for objgen, where in scan.forms_with_mcids.items()
                  if scan.form_draws[objgen] > 1]
        if not scan.catalog_lang:
            found += _unlabelled_text(scan, parents, by_obj)
        return found



def _unlabelled_text(scan, parents, by_obj) -> list[Violation]:
    """7.2-34 when the catalog has no Lang: text whose marks and elements carry none."""
    counts = Counter()
    for container, mcid, where in scan.unlabelled:
        entry = parents.get(scan.mcids.get((container, mcid), (None,))[0])
        element = entry[mcid] if isinstance(entry, pikepdf.Array) and mcid is not None and mcid < len(entry) else None
        if not (isinstance(element, pikepdf.Dictionary) and element.objgen in by_obj and by_obj[element.objgen].lang):
            counts[where] += 1
    return [Violation("7.2-34", f"{where}: {n} text items in no determined language") for where, n in counts.items()]
