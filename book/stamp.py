"""Whether a build would change anything: a digest of everything the editions are made from.

A build records the digest of its inputs and of each output it wrote in OUT/.book-stamp.json.
The next build with the same digest, its outputs untouched, has nothing to do and says so
without importing the renderers (a rebuild with no change takes a fraction of a second).
The stamp is one of the outputs: made beside the others before they are switched in together
(files.publish), it always belongs to the set in place. It vouches only for outputs whose bytes
it records: one changed by hand since is seen, and built again.
Kept light: this module imports nothing that lays out pages.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

STAMP_NAME = ".book-stamp.json"


@dataclass
class Stamp:
    inputs: str
    outputs: dict[str, str] = field(default_factory=dict)  # path -> sha256
    warnings: list[str] = field(default_factory=list)
    preflight: list[str] = field(default_factory=list)


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read(out: Path) -> Stamp | None:
    try:
        return Stamp(**json.loads((out / STAMP_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def up_to_date(out: Path, inputs: str) -> Stamp | None:
    """The recorded stamp when the inputs are the same and every output is as it was written."""
    stamp = read(out)
    if stamp is None or stamp.inputs != inputs or not stamp.outputs:
        return None
    for name, expected in stamp.outputs.items():
        path = out / name
        if not path.is_file() or file_digest(path) != expected:
            return None
    return stamp


def write(folder: Path, stamp: Stamp) -> None:
    """The stamp in `folder`: a build's stage, published with the outputs it vouches for
    (files.publish), never the output folder itself, whose OUT/.book-stamp.json is a link."""
    (folder / STAMP_NAME).write_text(json.dumps(asdict(stamp), ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")

