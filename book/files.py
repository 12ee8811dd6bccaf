"""Writing outputs so that a failed or killed build never leaves a half-written file, or half of
a new set of editions, under the final names.

How a build's outputs are published (`publish`), and why this way:

    OUT/test-book.pdf         -> .book-editions/current/test-book.pdf     (a link, made once)
    OUT/.book-stamp.json      -> .book-editions/current/.book-stamp.json
    OUT/.book-editions/current -> 20250101-120000-ab12cd34               (switched per build)
    OUT/.book-editions/20250101-120000-ab12cd34/test-book.pdf ...        (one build's whole set)

Every output of a build (the editions, cover, exports, report, proofs and the stamp) is made
aside and moved into a generation folder of its own; one `os.replace` of the `current` link
then puts the whole set in place. Renaming the files into OUT one by one (what this tool did
before) is atomic per file only: a kill between two renames left new PDFs beside an old EPUB.
With one switch, at any moment (a SIGKILL included, with nothing run afterwards to repair)
every name in OUT reads the old set or every one reads the new set. Readers open OUT/<name> as
before; the kernel follows the links. Proofs are one entry (OUT/proofs -> the set's folder).

A name a build publishes for the first time gets its link before the switch: until then it
points at nothing in the set in place, which is what that set has under the name. A regular
file or folder at a published name (left by an earlier version of this tool, or put there by
hand) is taken over without a moment where it reads other bytes: first a bridge set showing
exactly what OUT shows is made (hard links, so no bytes are copied) and switched in, then each
such entry is replaced by its link, which reads the same bytes (a folder is swapped with its
link by Linux's renameat2; where that fails it is moved aside first, missing for a moment), and
only then is the new set switched in.

Outputs an earlier build published that this one does not make (an edition left out,
`--edition epub` after a full build) stay served: they are hard-linked into the new set, as
this tool left such files in place before; the stamp, which vouches for one build, never is.
Deleting a link in OUT removes that output from later sets.

Sets other than the current one are removed after the switch, and what a killed build left (a
set never switched in, links to nothing, scratch) at the start of the next build, under the
output lock. Only interruptions (SIGKILL, Ctrl-C, SIGTERM) are covered: nothing is fsynced, so
after a power loss the file system may hold less than the switch promised.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import BookError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


SCRATCH_DIR = ".book-tmp"  # in the output folder: same file system, so the final move is atomic
EDITIONS_DIR = ".book-editions"  # in the output folder: each build's set of outputs, a folder each
CURRENT = "current"  # EDITIONS_DIR/CURRENT: a link to the folder of the set in place
# Tests only: "moved" (the set is in its folder), "linked" (just before the switch) or
# "switched" (just after it): the build says so on stderr and waits there, to be killed.
PAUSE_AT = "BOOK_TEST_PAUSE_AT"

_switched: list[Path] = []  # the output folders whose new set this process has switched in


def switched() -> list[Path]:
    """The output folders this process has put a new set of outputs in (after an interruption:
    whether the new outputs were already in place)."""
    return list(_switched)


def clear_scratch(out: Path) -> None:
    """Remove what a killed build left half-written (never a file under a final name): scratch,
    sets never switched in (or switched out), links to nothing."""
    shutil.rmtree(out / SCRATCH_DIR, ignore_errors=True)
    _clear_sets(out)


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


def publish(stage: Path, out: Path, names: list[Path], never_kept: Iterable[str] = ()) -> None:
    """Put the staged outputs `names` (paths relative to `stage` and to `out`) in place in `out`
    all at once, by one atomic switch (see the module's docstring). Earlier outputs this build
    did not make stay served, but for the top-level names in `never_kept`."""
    tops = list(dict.fromkeys(Path(name).parts[0] for name in names))
    sets = out / EDITIONS_DIR
    sets.mkdir(parents=True, exist_ok=True)
    _check_links(sets)
    for name in names:
        os.chmod(stage / name, 0o666 & ~_umask())  # what the renderers made for sharing
    fresh = _new_set(sets)
    for top in tops:
        os.replace(stage / top, fresh / top)
    _pause("moved")
    current = _current(out)
    unlinked = [top for top in tops if not _ours(out / top)]
    if any(os.path.lexists(out / top) or (current and os.path.lexists(current / top)) for top in unlinked):
        current = _bridge(out, current, [top for top in unlinked if os.path.lexists(out / top)])
    for top in unlinked:
        _put_link(out, top)  # reads what it read before: the bridge shows the same bytes
    kept = set(tops) | set(never_kept)
    for entry in sorted(current.iterdir()) if current else ():
        if entry.name not in kept and _ours(out / entry.name):
            _hard_copy(entry, fresh / entry.name)
    _pause("linked")
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:  # an interruption arrives after the switch is recorded, so what it says is true
        _point(sets, fresh)
        _switched.append(out)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    _pause("switched")
    _clear_sets(out)


def _check_links(folder: Path) -> None:
    """Refuse, before anything is moved, an output folder whose file system has no symbolic
    links (FAT, some network shares): the switch is made of them."""
    probe = folder / f".probe.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        os.symlink(CURRENT, probe)
    except OSError as error:
        raise BookError(f"cannot publish here: this file system has no symbolic links ({error.strerror}), "
                        "and a build puts its editions in place through them; choose another --out",
                        folder.parent) from None
    probe.unlink()


def _link_text(top: str) -> str:
    return f"{EDITIONS_DIR}/{CURRENT}/{top}"


def _ours(entry: Path) -> bool:
    """Whether `entry`, a name in the output folder, is this tool's link into the set in place."""
    try:
        return os.readlink(entry) == _link_text(entry.name)
    except OSError:
        return False


def _current(out: Path) -> Path | None:
    """The folder of the set in place, if there is one."""
    try:
        name = os.readlink(out / EDITIONS_DIR / CURRENT)
    except OSError:
        return None
    folder = out / EDITIONS_DIR / name
    return folder if os.sep not in name and name not in (".", "..") and folder.is_dir() else None


def _new_set(sets: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=sets))
    os.chmod(folder, 0o777 & ~_umask())  # mkdtemp makes 0700; outputs are for sharing
    return folder


def _point(sets: Path, folder: Path) -> None:
    """Switch `current` to `folder`: a fresh link renamed over the old one, in one system call."""
    temporary = sets / f".{CURRENT}.{os.getpid()}.{secrets.token_hex(4)}"
    os.symlink(folder.name, temporary)
    os.replace(temporary, sets / CURRENT)


def _hard_copy(source: Path, target: Path) -> None:
    """`source` (a file or folder, links followed) at `target`, by hard links where the file
    system allows, else copied."""
    def one(src: str, dst: str) -> None:
        try:
            os.link(src, dst, follow_symlinks=True)
        except OSError:
            shutil.copy2(src, dst)
    if source.is_dir():
        shutil.copytree(source, target, copy_function=one)
    elif source.exists():
        one(str(source), str(target))


def _bridge(out: Path, current: Path | None, foreign: list[str]) -> Path:
    """A set showing exactly what `out` shows now, switched in: the entries of the set in place
    that links in `out` lead to, and the `foreign` entries (files or folders under names the
    build publishes, not our links). Each foreign entry can then become a link, reading the
    same bytes before and after."""
    bridge = _new_set(out / EDITIONS_DIR)
    for entry in sorted(current.iterdir()) if current else ():
        if _ours(out / entry.name):
            _hard_copy(entry, bridge / entry.name)
    for top in foreign:
        _hard_copy(out / top, bridge / top)
    _point(out / EDITIONS_DIR, bridge)
    return bridge


def _put_link(out: Path, top: str) -> None:
    """`out/top` becomes our link, in one rename (a folder: exchanged with it, where the kernel
    can: Linux's renameat2; elsewhere moved aside first)."""
    scratch = out / SCRATCH_DIR
    scratch.mkdir(exist_ok=True)
    temporary = scratch / f"link.{os.getpid()}.{secrets.token_hex(4)}"
    os.symlink(_link_text(top), temporary)
    entry = out / top
    if entry.is_dir() and not entry.is_symlink():
        if not _exchange(temporary, entry):
            os.rename(entry, scratch / f"aside.{temporary.name}")
            os.rename(temporary, entry)
        _remove(temporary)  # the old folder, whose bytes the set in place holds too
        _remove(scratch / f"aside.{temporary.name}")
    else:
        os.replace(temporary, entry)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names in one system call (renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, rename_exchange = -100, 2
    return renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _clear_sets(out: Path) -> None:
    """Every set but the one in place, and our links in `out` that lead nowhere."""
    sets = out / EDITIONS_DIR
    if not sets.is_dir() or sets.is_symlink():
        return
    current = _current(out)
    for entry in sets.iterdir():
        if entry.name != CURRENT and (current is None or entry.name != current.name):
            _remove(entry)
    for entry in out.iterdir():
        if _ours(entry) and not entry.exists():
            _remove(entry)


def _pause(point: str) -> None:
    if os.environ.get(PAUSE_AT) == point:
        print(f"{PAUSE_AT}: paused {point}", file=sys.stderr, flush=True)
        time.sleep(60)


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
            clear_scratch(out)  # now, whether or not this command builds
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
