"""`book new DIR`: a book folder that builds at once, to start from."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from .errors import BookError

BOOK_TOML = """\
# The book: edit these, then build it with `{command}`.
[book]
title = "كتابي الأول"
subtitle = ""
language = "ar"
publisher = "اسم الناشر"
date = {date}
identifier = "urn:uuid:{uuid}"
slug = "{slug}"
editions = ["pdf", "epub", "print"]

[layout]
page-size = "A5"
digits = "arabic-indic"

[print]
trim = "6x9in"
paper = "white"
"""

CHAPTER = """\
+++
title = "الفصل الأول"
date = "{year}-{month:02d}"
+++

هذا نص الفصل الأول. اكتب فقراتك هنا، وافصل بينها بسطر فارغ. في 15 آذار/مارس {year} بدأت الكتابة.

## عنوان فرعي

يقتبس الكتاب الأقوال هكذا، فتبقى في موضعها من النص وتُنسب إلى قائلها. قال اسم المتحدث:

::: quote speaker="اسم المتحدث" rank="" role="صفته"
“كلام المتحدث كما قاله”.
:::
"""

INDEX = """\
# Terms for the generated index (found in the text wherever they stand); see the README.
[[term]]
heading = "اسم المتحدث"
kind = "person"
"""


def new_book(folder: Path, command: str) -> list[Path]:
    """The starter book's files, written in `folder`; `command` builds it (said in book.toml)."""
    if folder.exists() and any(folder.iterdir()):
        raise BookError("this folder is not empty: choose a new one", folder)
    today = dt.date.today()
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in folder.resolve().name).strip("-") or "book"
    if not slug[0].isalpha():
        slug = "book-" + slug
    files = {
        folder / "book.toml": BOOK_TOML.format(command=command, date=today.isoformat(), uuid=uuid.uuid4(), slug=slug),
        folder / "chapters" / "01-first.md": CHAPTER.format(year=today.year, month=today.month),
        folder / "index.toml": INDEX,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
