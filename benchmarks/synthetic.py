"""Make a larger book from a real one by repeating its chapters, for benchmarks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path


def make_book(source: Path, target: Path, repeat: int) -> Path:
    """A copy of the book at `source` in `target` whose chapters appear `repeat` times."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("book.toml", "index.toml", "chronology.toml"):
        if (source / name).is_file():
            shutil.copy(source / name, target / name)
    if (source / "styles").is_dir():
        shutil.copytree(source / "styles", target / "styles", dirs_exist_ok=True)
    chapters = target / "chapters"
    chapters.mkdir(exist_ok=True)
    for copy in range(repeat):
        for path in sorted((source / "chapters").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            slug = re.search(r'^slug = "([^"]+)"', text, re.M)
            base = slug.group(1) if slug else path.stem
            text = re.sub(r'^slug = "[^"]+"\n', "", text, flags=re.M)
            text = text.replace("+++\n", f'+++\nslug = "{base}-{copy + 1}"\n', 1)
            text = re.sub(r"^order = (\d+)", lambda m, shift=100 * copy: f"order = {int(m.group(1)) + shift}",
                          text, flags=re.M)
            (chapters / f"{copy + 1:03d}-{path.name}").write_text(text, encoding="utf-8")
    return target
