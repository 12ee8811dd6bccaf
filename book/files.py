"""Writing outputs so that a failed build never leaves a half-written file under a final name."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


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


def stage_folder(out: Path) -> Path:
    """Where a build makes its outputs before publishing them all at once (files.publish)."""
    folder = out / SCRATCH_DIR / "stage"
    folder.mkdir(parents=True)
    return folder


def publish(stage: Path, out: Path, names: list[Path]) -> None:
    """Move the staged outputs `names` (relative paths) into `out`, together: each is renamed
    within one file system, so the whole set is in place a few system calls after the first."""
    for name in names:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
    for name in names:
        os.chmod(stage / name, 0o666 & ~_umask())  # what the renderers made for sharing
        os.replace(stage / name, out / name)


LOCK_NAME = ".book-lock"


@contextmanager
def output_lock(out: Path, say: Callable[[str], None]) -> Iterator[None]:
    """One build at a time in `out`: a second waits for the first, saying whose turn it is.

    The lock is the kernel's (flock), so a build that is killed leaves none behind; the pid
    it wrote stays, which tells the next build that the last one did not finish."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK_NAME, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            say(f"waiting: another build (process {holder}) is writing to {out}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        left = handle.read().strip()
        if left:
            say(f"the last build into {out} (process {left}) did not finish; its unfinished files are removed")
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()  # a build that ended, well or not, leaves no pid
            handle.flush()
