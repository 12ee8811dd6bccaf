"""book.toml: the book's metadata, layout and print settings, every key checked (settings.py)."""

from __future__ import annotations

from pathlib import Path

from ..errors import BookError
from ..model import Metadata
from .confined import book_file
from .limits import check_image
from .print_table import read_print_table
from .settings import TomlText, read_settings
from .text_files import parse_toml, read_text


CONFIG_NAME = "book.toml"


def load_metadata(root: Path) -> Metadata:
    path = root / CONFIG_NAME
    if not path.exists() and not path.is_symlink():
        raise BookError(f"no {CONFIG_NAME} here: is this a book folder?", root)
    path = book_file(root, CONFIG_NAME)
    text = read_text(path)
    source = TomlText(path, text)
    settings = read_settings(parse_toml(text, path), source)
    info, layout = settings["book"], settings["layout"]

    def inside(relative: str, key: str) -> Path:
        found = book_file(root, relative, path, source.line("print", key), f"[print] {key}")
        if key == "cover-image":
            check_image(found, path, source.line("print", key), f"[print] {key}")
        return found
    return Metadata(
        title=info["title"],
        subtitle=info["subtitle"],
        language=info["language"],
        publisher=info["publisher"],
        date=info["date"],
        identifier=info["identifier"],
        slug=info["slug"],
        editions=tuple(dict.fromkeys(info["editions"])),
        creators=tuple(info["creators"]),
        description=info["description"],
        rights=info["rights"],
        digits=layout["digits"],
        page_size=layout["page-size"],
        contents_depth=layout["contents-depth"],
        notes=layout["notes"],
        justify=layout["justify"],
        kashida_strength=layout["kashida-strength"],
        hijri=settings["chronology"]["hijri"],
        printing=read_print_table(settings["print"], root, inside, lambda key: source.line("print", key)),
    )
