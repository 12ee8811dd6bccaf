"""What book.toml may say, checked key by key: each value's type and, where it is one of a few,
its known values, with a "did you mean" and the line it stands on.

One table of settings per book.toml table; `read_settings` gives the checked values (defaults
filled in) or raises a BookError naming the file and line. Nothing here knows what a value
means to a renderer: the model is made from these values in metadata.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .. import arabic
from ..editions import DEFAULT_EDITIONS, EDITIONS
from ..errors import BookError
from ..print_spec import PAPERS, PDFX_VARIANTS, SPINE_DIRECTIONS, TRIMS
from ..printers import DEFAULT_PRINTER, PRINTERS

# Page sizes CSS names (css-page-3), optionally turned; or two lengths.
PAGE_SIZES = ("A5", "A4", "A3", "B5", "B4", "JIS-B5", "JIS-B4", "letter", "legal", "ledger")
_LENGTH = r"\d+(?:\.\d+)?(?:mm|cm|in|pt|pc|px|Q)"
_PAGE_SIZE = re.compile(rf"(?:{'|'.join(PAGE_SIZES)})(?: (?:portrait|landscape))?|{_LENGTH} {_LENGTH}",
                        re.IGNORECASE)
# Right-to-left books in Arabic, with or without a region ("ar-IQ") or script ("ar-Arab"):
# the labels, month names, ordinals and collation are Arabic's.
_ARABIC_TAG = re.compile(r"ar(?:-[A-Za-z0-9]{2,8})*")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type                       # str, bool, int, list (of strings) or dt.date
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()    # the values a string may take
    check: Callable[[Any], str | None] | None = None  # a further rule: the complaint, or None


def _positive(value: int) -> str | None:
    return None if value >= 0 else "must not be negative"


def _contents_depth(value: int) -> str | None:
    return None if 1 <= value <= 6 else "is the deepest heading level the contents list: 1 (chapters only) to 6"


def _page_multiple(value: int) -> str | None:
    return None if value in (2, 4) else "is 2 (an even page count) or 4 (signatures)"


def _page_size(value: str) -> str | None:
    return None if _PAGE_SIZE.fullmatch(value) else (
        f'is a page size such as {", ".join(PAGE_SIZES[:4])} or two lengths such as "148mm 210mm"')


def _language(value: str) -> str | None:
    if _ARABIC_TAG.fullmatch(value):
        return None
    return ("is not supported: book publishes Arabic books, set right to left, only (its labels, month "
            'names, ordinals and index order are Arabic); use "ar" or a regional form such as "ar-IQ"')


def _slug(value: str) -> str | None:
    return None if _SLUG.fullmatch(value) else (
        "names the output files: ASCII letters, digits and hyphens, starting with a letter or digit")


TABLES: dict[str, tuple[Setting, ...]] = {
    "book": (
        Setting("title", str, required=True),
        Setting("subtitle", str, ""),
        Setting("language", str, "ar", check=_language),
        Setting("publisher", str, required=True),
        Setting("date", dt.date, required=True),
        Setting("identifier", str, required=True),
        Setting("slug", str, required=True, check=_slug),
        Setting("editions", list, list(DEFAULT_EDITIONS), choices=EDITIONS),
        Setting("creators", list, []),
        Setting("description", str, ""),
        Setting("rights", str, ""),
    ),
    "layout": (
        Setting("page-size", str, "A5", check=_page_size),
        Setting("digits", str, "arabic-indic", choices=arabic.DIGIT_STYLES),
        Setting("contents-depth", int, 3, check=_contents_depth),
        Setting("notes", str, "footnotes", choices=("footnotes", "endnotes")),
        Setting("justify", str, "spaces", choices=("spaces", "kashida")),
        Setting("kashida-strength", str, "medium", choices=("low", "medium", "high")),
    ),
    "chronology": (
        Setting("hijri", bool, False),
    ),
    "print": (
        Setting("printer", str, DEFAULT_PRINTER, choices=tuple(PRINTERS)),
        Setting("trim", str, "6x9in", choices=tuple(TRIMS)),
        Setting("paper", str, "white", choices=PAPERS),
        Setting("page-multiple", int, None, check=_page_multiple),   # None: the printer's
        Setting("spine-text-min-pages", int, None, check=_positive),  # None: the printer's
        Setting("spine-direction", str, "top-to-bottom", choices=SPINE_DIRECTIONS),
        Setting("blurb", str, ""),
        Setting("crop-marks", bool, False),
        Setting("cover-image", str, ""),
        Setting("pdf-x", str, "x-4", choices=PDFX_VARIANTS),
        Setting("output-profile", str, ""),
        Setting("output-condition", str, ""),
    ),
}

_KIND_NAMES = {str: 'a string ("…")', bool: "true or false", int: "a whole number",
               list: 'a list of strings (["…", "…"])', dt.date: "a date such as 2026-11-23"}


def did_you_mean(value: str, known) -> str:
    """' (did you mean "slug"?)', or the known values when none is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else f' (known: {", ".join(known)})'


@dataclass(frozen=True)
class TomlText:
    """A TOML file's text, to find the line a key of a table stands on."""

    path: Path
    text: str

    def line(self, table: str | None, key: str) -> int | None:
        current = None
        pattern = re.compile(rf'\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=')
        for number, line in enumerate(self.text.splitlines(), start=1):
            header = re.match(r"\s*\[\s*([^\]\s]+)\s*\]\s*(?:#.*)?$", line)
            if header:
                current = header.group(1)
                if table is None and current == key:
                    return number
            elif (current == table or table is None) and pattern.match(line):
                return number
        return None


def _control(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\n" for c in text)


def _checked(setting: Setting, value: Any, fail: Callable[[str], BookError]) -> Any:
    kind = setting.kind
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind) \
            or kind is dt.date and isinstance(value, dt.datetime):
        raise fail(f"must be {_KIND_NAMES[kind]}, not {value!r}")
    items = value if kind is list else [value] if kind is str else []
    for item in items:
        if not isinstance(item, str):
            raise fail(f"must be {_KIND_NAMES[kind]}, not {value!r}")
        if _control(item):
            raise fail("holds a control character; remove it")
        if setting.choices and item not in setting.choices:
            raise fail(f'"{item}" is not known' + did_you_mean(item, setting.choices))
    if kind is str and setting.required and not value.strip():
        raise fail("must not be empty")
    complaint = setting.check(value) if setting.check else None
    if complaint:
        raise fail(f'"{value}" {complaint}' if kind is str else complaint)
    return value


def read_settings(data: dict[str, Any], source: TomlText) -> dict[str, dict[str, Any]]:
    """Every table's settings, checked, with defaults: {"book": {"title": …}, "print": {…}, …}."""
    for name, value in data.items():
        if name not in TABLES:
            raise BookError(f'unknown table [{name}]' + did_you_mean(name, tuple(TABLES)), source.path,
                            source.line(None, name))
        if not isinstance(value, dict):
            raise BookError(f'"{name}" must be a table: [{name}] on a line of its own, then its keys',
                            source.path, source.line(None, name))
    settings: dict[str, dict[str, Any]] = {}
    for name, known in TABLES.items():
        table = data.get(name, {})
        by_key = {s.key: s for s in known}
        for key in table:
            if key not in by_key:
                raise BookError(f'[{name}]: unknown key "{key}"' + did_you_mean(key, tuple(by_key)),
                                source.path, source.line(name, key))
        values = {}
        for setting in known:
            def fail(message: str, setting=setting) -> BookError:
                return BookError(f"[{name}] {setting.key} {message}", source.path, source.line(name, setting.key))
            if setting.key not in table:
                if setting.required:
                    raise BookError(f'[{name}]: missing "{setting.key}"', source.path, source.line(None, name))
                values[setting.key] = setting.default
            else:
                values[setting.key] = _checked(setting, table[setting.key], fail)
        settings[name] = values
    return settings
