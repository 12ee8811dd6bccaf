"""The stylesheets: the house's (styles/ of this package), and the book's own (its styles/
folder), read once with their text checked."""

from __future__ import annotations

from pathlib import Path

import tinycss2

from ..errors import BookError
from ..model import Stylesheet
from .confined import files_in
from .text_files import read_text


STYLES_DIR = "styles"


# The house style: the default book's stylesheets, used where a book folder has none of its own.
HOUSE_STYLES = Path(__file__).resolve().parent.parent.parent / STYLES_DIR


# What would make a renderer fetch: url() (however escaped), image-set() with a string, @import.
_FETCHING_FUNCTIONS = {"url", "image-set", "-webkit-image-set", "image", "cross-fade"}


# Past this, a length is no page's, and the renderer fails on it (Pango refuses a font size it
# cannot hold, then WeasyPrint divides by it; letter-spacing overflows an integer).
_LARGEST = 10_000


def _css_nodes(nodes):
    for node in nodes or ():
        yield node
        for part in ("prelude", "content", "arguments"):
            yield from _css_nodes(getattr(node, part, None) if isinstance(getattr(node, part, None), list) else None)


def check_stylesheet(path: Path) -> str:
    """A book's stylesheet may style, not load: no url(), image-set() or @import, found by
    CSS's own tokenizer (tinycss2, WeasyPrint's), so that no escape (`\\75rl(`) or line break
    hides one, and nothing it says reaches the network or a file outside the book (fonts come
    from book/fonts.py). No length is too large to lay out (`font-size: 1e30px`). Its text."""
    text = read_text(path)
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    for node in _css_nodes(rules):
        fetching = (node.type == "url" or node.type == "function" and node.lower_name in _FETCHING_FUNCTIONS
                    or node.type == "at-rule" and node.lower_at_keyword == "import")
        if fetching:
            raise BookError(f"stylesheets may not load files or URLs ({node.serialize()[:60]}); the book's fonts "
                            "come from book/fonts.py", path, node.source_line)
        if node.type in ("dimension", "percentage") and not abs(node.value) <= _LARGEST:
            raise BookError(f"{node.serialize()[:40]} is too large to lay out: a length or percentage is at most "
                            f"{_LARGEST:,} of its unit", path, node.source_line)
    return text


def load_styles(root: Path) -> dict[str, Stylesheet]:
    """The house stylesheets, each replaced by the book's own of the same name (styles/*.css),
    which are checked: they may style, not load."""
    styles = {path.name: Stylesheet(path.name, path, path.read_text(encoding="utf-8"))
              for path in sorted(HOUSE_STYLES.glob("*.css"))}
    for path in files_in(root, STYLES_DIR, "*.css"):
        text = check_stylesheet(path)
        styles[path.name] = Stylesheet(path.name, path, text)
    return styles
