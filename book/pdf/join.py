"""PDFs written part by part (in other processes too), joined into one book.

WeasyPrint writes a whole document at a time, so parts of a book laid out in different
processes come back as separate PDFs. Joined here: pages in order, the structure trees under
one Document element (their parent-tree keys shifted past the ones before), outlines one after
the other, and named destinations merged. A part that links into another part was written with
stand-in anchors for those targets (WeasyPrint drops links to anchors it cannot see); the part
that really holds an anchor gives its destination.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Iterator, Sequence

import pikepdf

from .parts import PartFile


def _destinations(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """WeasyPrint writes its named destinations as one flat, sorted /Names array."""
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return []
    return list(pikepdf.NameTree(pdf.Root.Names.Dests).items())


def _next_key(root: pikepdf.Dictionary) -> int:
    if "/ParentTreeNextKey" in root:
        return int(root.ParentTreeNextKey)
    return max((int(key) for key in root.ParentTree.Nums[::2]), default=-1) + 1


def _document_element(root: pikepdf.Dictionary) -> pikepdf.Dictionary:
    return root.K[0] if isinstance(root.K, pikepdf.Array) else root.K


def _append_structure(pdf: pikepdf.Pdf, theirs: pikepdf.Dictionary, first_page: int) -> None:
    """Their structure elements join ours under our Document element; the keys their pages and
    annotations use in the parent tree move past ours."""
    root = pdf.Root.StructTreeRoot
    shift = _next_key(root)
    for page in pdf.pages[first_page:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + shift
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + shift
    nums = list(theirs.ParentTree.Nums)
    for position in range(0, len(nums), 2):
        nums[position] = int(nums[position]) + shift
    root.ParentTree.Nums.extend(nums)  # all larger: sorted still
    root.ParentTreeNextKey = _next_key(theirs) + shift
    # Their copied root stays reachable (a page's margin boxes name their Document as parent):
    # without its parent tree, which ours now holds, it is not written twice.
    del theirs["/ParentTree"]
    document, their_document = _document_element(root), _document_element(theirs)
    kids = their_document.K if isinstance(their_document.K, pikepdf.Array) else [their_document.K]
    if not isinstance(document.K, pikepdf.Array):
        document.K = pikepdf.Array([document.K])
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary):
            kid.P = document
        document.K.append(kid)


def _chain(parent: pikepdf.Dictionary, first: pikepdf.Dictionary, last: pikepdf.Dictionary, count: int) -> None:
    """Outline items `first`..`last` (siblings) appended to `parent`'s children."""
    item = first
    while True:
        item.Parent = parent
        if item.objgen == last.objgen or "/Next" not in item:
            break
        item = item.Next
    if "/First" in parent:
        parent.Last.Next = first
        first.Prev = parent.Last
    else:
        parent.First = first
    parent.Last = last
    parent.Count = int(parent.get("/Count", 0)) + count


def _append_outline(pdf: pikepdf.Pdf, theirs: pikepdf.Dictionary, continues: bool) -> None:
    """Their outline after ours. A part that `continues` a section (a long chronology's
    pieces) opens with that section's item again: its children join ours. (Said by the part,
    not guessed from titles: two chapters may share a title.)"""
    if "/First" not in theirs:
        return
    if "/Outlines" not in pdf.Root or "/First" not in pdf.Root.Outlines:
        pdf.Root.Outlines = theirs
        return
    ours = pdf.Root.Outlines
    first, count = theirs.First, int(theirs.get("/Count", 0))
    if continues and str(first.Title) == str(ours.Last.Title):
        if "/First" in first:
            children = abs(int(first.get("/Count", 0)))
            _chain(ours.Last, first.First, first.Last, children)
            ours.Count = int(ours.get("/Count", 0)) + children
        count -= 1 + abs(int(first.get("/Count", 0)))
        if "/Next" not in first:
            return
        first = first.Next
        if "/Prev" in first:
            del first["/Prev"]
    _chain(ours, first, theirs.Last, count)


@contextlib.contextmanager
def joined(parts: Sequence[PartFile]) -> Iterator[pikepdf.Pdf]:
    """The parts as one PDF, to be finished and saved inside the `with`. Each part after the
    first is opened, copied in and closed at once, so that only one part's parsed objects are
    held besides the joined ones (all of them held to the end took a third of the join's
    memory)."""
    with pikepdf.open(parts[0].path) as pdf:
        destinations = {name: dest for name, dest in _destinations(pdf) if name not in parts[0].borrowed}
        for part in parts[1:]:
            _append_part(pdf, part, destinations)
        if len(parts) > 1 and destinations:
            flat = []
            for name in sorted(destinations):
                flat += [pikepdf.String(name), destinations[name]]
            names = pdf.Root.Names if "/Names" in pdf.Root else pdf.make_indirect(pikepdf.Dictionary())
            names.Dests = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(flat)))
            pdf.Root.Names = names
        yield pdf


def _append_part(pdf: pikepdf.Pdf, part: PartFile, destinations: dict[str, pikepdf.Object]) -> None:
    other = pikepdf.open(part.path)
    first_page, first_object = len(pdf.pages), len(pdf.objects)
    with warnings.catch_warnings():  # it warns that named destinations stay behind: see below
        warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
        pdf.pages.extend(other.pages)
    # One copier per source PDF: objects copied later (the structure tree, outline and
    # destinations) point at the pages copied just now, not at fresh copies of them.
    if "/StructTreeRoot" in other.Root and "/StructTreeRoot" in pdf.Root:
        _append_structure(pdf, pdf.copy_foreign(other.Root.StructTreeRoot), first_page)
    if "/Outlines" in other.Root:
        _append_outline(pdf, pdf.copy_foreign(other.Root.Outlines), part.continues)
    # Their own destinations (not the stand-ins for borrowed ones) copied at once: one walk
    # in qpdf, not one call per destination. The array is made whole from a list: extended a
    # pair at a time, pikepdf copied it each time (3 of the 800-page book's 4.7 s of finishing).
    own = [item for name, dest in _destinations(other) if name not in part.borrowed
           for item in (pikepdf.String(name), dest)]
    if own:
        copied = list(pdf.copy_foreign(other.make_indirect(pikepdf.Array(own))))
        for name, dest in zip(copied[::2], copied[1::2]):
            destinations.setdefault(str(name), dest)
    _own_stream_data(pdf, first_object)
    other.close()


def _own_stream_data(pdf: pikepdf.Pdf, first_object: int) -> None:
    """Streams copied from another PDF read their data from it when saved: given their data
    (still encoded, as it was) here, they no longer need it, and it can be closed."""
    objects = pdf.objects
    for number in range(first_object, len(objects)):
        stream = objects[number]
        if isinstance(stream, pikepdf.Stream):
            stream.write(stream.read_raw_bytes(), filter=stream.get("/Filter"),
                         decode_parms=stream.get("/DecodeParms"), type_check=False)
