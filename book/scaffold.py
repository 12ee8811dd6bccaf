"""`book new DIR`: a book folder that builds at once, to start from.

Two templates: the starter (a chapter, a quotation, an index term: the files below) and the
example report (examples/report in the repository: every block a chapter may hold, two parts,
front chapters and appendices), copied with a fresh identifier, today's date and a slug of
the folder's name.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from pathlib import Path

from .errors import BookError

TEMPLATES = ("starter", "report")
DEFAULT_TEMPLATE = "starter"

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


def new_book(folder: Path, command: str, template: str = DEFAULT_TEMPLATE) -> list[Path]:
    """A new book's files, written in `folder` from `template` (one of TEMPLATES); `command`
    builds it (said in book.toml)."""
    if template not in TEMPLATES:
        raise BookError(f'unknown template "{template}" (known: {", ".join(TEMPLATES)})')
    source = report_folder() if template == "report" else None  # before anything is written
    if folder.exists() and any(folder.iterdir()):
        raise BookError("this folder is not empty: choose a new one", folder)
    today = dt.date.today()
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in folder.resolve().name).strip("-") or "book"
    if not slug[0].isalpha():
        slug = "book-" + slug
    if source is not None:
        return _copy_report(source, folder, command, today, slug)
    files = {
        folder / "book.toml": BOOK_TOML.format(command=command, date=today.isoformat(), uuid=uuid.uuid4(), slug=slug),
        folder / "chapters" / "01-first.md": CHAPTER.format(year=today.year, month=today.month),
        folder / "index.toml": INDEX,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


# --- The example report as a template -------------------------------------------------------

# The report is kept once, in the repository's examples/report, and found beside the package:
# `book` runs from its repository (scripts/setup.sh installs it in editable mode; its house
# styles, the default book and the check tools are there too, outside the package).
REPORT = Path(__file__).resolve().parent.parent / "examples" / "report"
# What a book folder is made of (README, "A book folder"): the rest of examples/report (the
# script that draws its charts, a dist/ left by a build, an editor's hidden files) is not copied.
REPORT_FILES = ("book.toml", "index.toml", "chronology.toml", "chapters/*.md", "images/*.png", "images/*.jpg",
                "images/*.jpeg", "styles/*.css")


def report_folder() -> Path:
    """The example report's folder."""
    if not (REPORT / "book.toml").is_file():
        raise BookError(f"the report template is not here ({REPORT}): use book from its repository, "
                        "where examples/report holds it")
    return REPORT


def _copy_report(source: Path, folder: Path, command: str, today: dt.date, slug: str) -> list[Path]:
    """The report's files copied into `folder`, its book.toml given a fresh identifier, today's
    date and `slug`, and said to be built with `command`."""
    toml = _fresh_book_toml(source / "book.toml", command, today, slug)  # refused before anything is written
    written = []
    for pattern in REPORT_FILES:
        for path in sorted(source.glob(pattern)):
            if path.name.startswith(".") or not path.is_file():
                continue
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.name == "book.toml":
                target.write_text(toml, encoding="utf-8")
            else:
                shutil.copyfile(path, target)
            written.append(target)
    return written


def _fresh_book_toml(path: Path, command: str, today: dt.date, slug: str) -> str:
    """The report's book.toml (`path`) as a new book's: its own identifier, date and slug."""
    text = path.read_text(encoding="utf-8")
    for key, value in (("identifier", f'"urn:uuid:{uuid.uuid4()}"'), ("date", today.isoformat()),
                       ("slug", f'"{slug}"')):
        text, found = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, count=1, flags=re.MULTILINE)
        if not found:  # the example lost the key: a new book would share its identity
            raise BookError(f"the report template has no {key} line: a new book would not get its own", path)
    return f"# Started from the example report: edit it, then build it with `{command}`.\n" + text
