"""The CMYK profile a print file is made for: the house's default, installed on this machine
(scripts/setup.sh puts it in tools/icc), or one the book supplies (read by the load stage)."""

from __future__ import annotations

from pathlib import Path

from ..model import Book
from ..print_spec import DEFAULT_CONDITION, OutputCondition

PROFILE_FOLDERS = (Path(__file__).resolve().parent.parent.parent / "tools" / "icc", Path("/usr/share/scribus/profiles"))


def find_profile(name: str) -> Path | None:
    return next((folder / name for folder in PROFILE_FOLDERS if (folder / name).is_file()), None)


def output_condition(book: Book) -> tuple[OutputCondition, bytes | None]:
    """The printing condition and its profile's bytes (None when the default is not installed)."""
    spec = book.meta.printing
    if spec.output_profile:
        name = Path(spec.output_profile)
        condition = OutputCondition(name.name, spec.output_condition or name.stem, spec.output_condition or name.stem)
        return condition, book.files[spec.output_profile]
    profile = find_profile(DEFAULT_CONDITION.profile)
    return DEFAULT_CONDITION, profile.read_bytes() if profile else None
