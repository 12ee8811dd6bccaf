"""Writing outputs so that a failed build never leaves a half-written file under a final name."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """A scratch path beside `target`, moved into place only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        yield Path(scratch)
        os.chmod(scratch, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        os.replace(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
