"""A PDF/UA-1 checker: the machine-checkable rules of veraPDF's PDF/UA-1 profile, with pikepdf.

`check_pdfua(path)` (check.py) returns the `Violation`s of every rule in `COVERED`; `NOT_COVERED` says, for
each other rule of the profile, why it is left out (mostly: it needs the font program, the
table grid, or features our books never write).  How:

* one pass over every page content stream and every form XObject it draws (each parsed once):
  a stack of BDC/BMC marks says whether each painting operator is tagged (an enclosing /MCID)
  or an Artifact (7.1-1..3), and collects the MCIDs, the glyph codes shown per font (7.21.*)
  and the text of each MCID (`reading_order`);
* one depth-first walk of the structure tree, in order, from StructTreeRoot /K: role mapping
  (7.1-5..7), parent/kid rules of lists, tables and TOCs (7.2), headings (7.4), Figure,
  Formula and Note (7.3, 7.7, 7.9), languages (7.2);
* catalog, XMP, annotation, font and file-specification dictionaries for the rest.

Beside the profile, three checks the issue asks for: "mcid-reachable" (every MCID in content
maps through /StructParents and the ParentTree to a reachable element that lists it),
"parent-tree" (every ParentTree entry points to an element that lists that MCID or OBJR) and
"link-text" (every Link element has, besides its OBJR, an MCID in its subtree or an /Alt).
Violations are counted per rule and page where a rule could fire thousands of times.

The package: the profile's rules and what is left out (rules.py); the content streams scanned
once (content.py), their fonts (fonts.py); the structure tree (structure.py); the checks
(check.py); and what a screen reader reads, in order (reading.py).
"""

from .check import check_pdfua
from .reading import reading_order
from .rules import COVERED, NOT_COVERED, STANDARD, Violation

__all__ = ["COVERED", "NOT_COVERED", "STANDARD", "Violation", "check_pdfua", "reading_order"]
