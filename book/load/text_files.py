"""Reading a book's text files: UTF-8 without control characters, TOML with every string one
the book's fonts draw, and the lines that errors name."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any, Callable

from ..errors import BookError
from .confined import book_file


_TOML_LINE = re.compile(r"at line (\d+)")


# Control characters other than line ends and tabs: invisible in an editor, ill-formed in XHTML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
        if text.startswith("\ufeff"):
            raise BookError("the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", path, 1)
        control = _CONTROL.search(text)
        if control:
            raise BookError(f"a control character (U+{ord(control.group()):04X}) that no edition can show; "
                            "remove it", path, text.count("\n", 0, control.start()) + 1)
        return text
    except UnicodeDecodeError as error:
        raise BookError(f"not UTF-8 ({error.reason} at byte {error.start}); save the file as UTF-8", path) from None
    except OSError as error:
        raise BookError(f"cannot read: {error.strerror}", path) from None


def parse_toml(text: str, path: Path, first_line: int = 1) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        line = int(found.group(1)) + first_line - 1 if found else None
        raise BookError(f"invalid TOML: {error}", path, line) from None
    except RecursionError:  # tomllib reads nested arrays and inline tables by recursion
        raise BookError("arrays or tables nested too deeply to read; no setting needs more than a few levels",
                        path, _deepest_line(text, first_line)) from None
    _check_strings(data, text, path, first_line)
    return data


def _deepest_line(text: str, first_line: int, deep: int = 100) -> int | None:
    """The line where brackets and braces first open `deep` levels (strings not told apart)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=first_line):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth >= deep:
                return number
    return None


def _check_strings(data: dict[str, Any], text: str, path: Path, first_line: int) -> None:
    """Every string a TOML file gives is text some edition shows (or a name): a control
    character, even one written as an escape ("\\u0001"), or a character none of the book's
    fonts can draw is refused with its line."""
    pending: list[Any] = [data]
    while pending:  # by hand: as deep as tomllib went, without recursion
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            check_characters(value, path, lambda char: _line_of_char(text, char, first_line))


def check_characters(value: str, path: Path, line_of: Callable[[str], int | None]) -> None:
    """A control character, or one none of the book's fonts can draw, refused at its line."""
    from ..fonts import undrawable, undrawable_message  # the fonts' tables, read once, when needed
    control = _CONTROL.search(value)
    if control:
        raise BookError(f"a control character (U+{ord(control.group()):04X}) that no edition can show; remove it",
                        path, line_of(control.group()))
    char = undrawable(value)
    if char:
        raise BookError(undrawable_message(char), path, line_of(char))


def _line_of_char(text: str, char: str, first_line: int) -> int | None:
    """The line of a TOML text holding `char`, as itself or as an escape (\\u0001, \\b …)."""
    code = ord(char)
    escapes = [re.escape(char), rf"\\u{code:04x}", rf"\\U{code:08x}",
               *{8: [r"\\b"], 12: [r"\\f"]}.get(code, [])]
    found = re.search("|".join(escapes), text, re.IGNORECASE)
    return text.count("\n", 0, found.start()) + first_line if found else None


def parse_toml_file(path: Path) -> tuple[dict[str, Any], str]:
    """A data file of the book folder (found by `data_file`): its table and its text (for line
    numbers in errors)."""
    text = read_text(path)
    return parse_toml(text, path), text


def unknown_key_message(key: str, known) -> str:
    """'unknown key "slugg" (did you mean "slug"?)', with the known keys when nothing is close."""
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f'did you mean "{close[0]}"?' if close else f'known: {", ".join(sorted(known))}'
    return f'unknown key "{key}" ({hint})'


def line_of_key(text: str, key: str, value: str | None = None) -> int | None:
    """The line of a TOML text that sets `key` (to the string `value`, when given)."""
    tail = rf'\s*"{re.escape(value)}"' if value is not None else ""
    found = re.search(rf"^\s*{re.escape(key)}\s*={tail}", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else None


def data_file(root: Path, name: str) -> Path | None:
    """An optional data file of the book folder (index.toml …) resolved inside it, or None."""
    path = root / name
    return book_file(root, name) if path.exists() or path.is_symlink() else None
