"""Writing outputs so that a failed build never leaves a half-written file under a final name."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


SCRATCH_DIR = ".book-tmp"  # in the output folder: same file system, so the final move is atomic


def clear_scratch(out: Path) -> None:
    """Remove what a killed build left half-written (never a file under a final name)."""
    shutil.rmtree(out / SCRATCH_DIR, ignore_errors=True)


@contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """A scratch path beside `target`, moved into place only if the block succeeds."""
    scratch_dir = target.parent / SCRATCH_DIR
    scratch_dir.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=f"{target.name}.", suffix=".part", dir=scratch_dir)
    os.close(handle)
    try:
        yield Path(scratch)
        os.chmod(scratch, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        os.replace(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
        with contextlib.suppress(OSError):
            scratch_dir.rmdir()  # only when empty: another output may be on its way
