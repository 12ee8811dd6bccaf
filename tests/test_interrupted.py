"""A build killed or stopped half-way leaves the previous editions as they were."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from book.files import LOCK_NAME
from conftest import ROOT, run_build
from test_bad_input import BOOK_TOML, make_book


def _digests(out):
    """Every output's digest (the lock file only says which build holds the folder)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()
            if p.is_file() and p.name != LOCK_NAME}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_build_leaves_the_last_good_outputs(tmp_path, how):
    book = make_book(tmp_path / "book", {"book.toml": BOOK_TOML.replace('["epub"]', '["pdf", "epub", "print"]')})
    out = tmp_path / "out"
    assert run_build("--book", book, "--out", out).returncode == 0
    before = _digests(out)
    # Change the sources so a finished build would change the outputs, then stop it mid-way.
    chapter = book / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nفقرة جديدة.\n", encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (out / ".book-tmp").exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.01)  # wait until it is writing an edition
    assert child.poll() is None, "the build finished before it could be stopped"
    child.send_signal(how)
    child.wait(timeout=60)
    assert _digests(out) == before  # every final file as it was: nothing half-written in place
    if how == signal.SIGTERM:
        assert not (out / ".book-tmp").exists()  # cleaned up on the way out
    assert run_build("--book", book, "--out", out).returncode == 0
    assert not (out / ".book-tmp").exists()  # a later build clears what a kill left
    assert _digests(out) != before


def _descendants(pid: int) -> list[int]:
    """The processes under `pid`, parents before their children (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        found += children.get(current, [])
        todo += children.get(current, [])
    return found


@pytest.mark.parametrize("which", ["first", "last"])
def test_a_worker_killed_ends_the_build_within_seconds(tmp_path, which):
    """kill -9 of a worker (an edition group's process, or the deepest: a part's layout child)
    fails the build at once with exit 1 and a clear line, and publishes nothing."""
    book = make_book(tmp_path / "book", {"book.toml": BOOK_TOML.replace('["epub"]', '["pdf", "epub", "print"]')})
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out),
                              "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and child.poll() is None:
        workers = _descendants(child.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the build ended before it had workers to kill"
    os.kill(workers[0] if which == "first" else workers[-1], signal.SIGKILL)
    killed = time.monotonic()
    _, stderr = child.communicate(timeout=60)
    print(f"the build ended {time.monotonic() - killed:.2f} s after the kill")
    assert time.monotonic() - killed < 10
    assert child.returncode == 1, stderr
    assert "killed by SIGKILL" in stderr and "Traceback" not in stderr, stderr
    assert not list(out.glob("*.pdf")) and not list(out.glob("*.epub"))
    assert not _descendants(child.pid)


def test_a_signal_during_a_fork_is_not_lost():
    """SIGTERM landing inside os.fork (in its at-fork hooks, where a raised KeyboardInterrupt is
    printed and dropped) still stops the build: it is held until the fork returns."""
    script = """
import os, signal, sys
from book.cli import _interrupt_on_sigterm
from book.forked import Forked
_interrupt_on_sigterm()
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGTERM))
try:
    Forked(lambda: 1).result()
except KeyboardInterrupt:
    sys.exit(7)
sys.exit(0)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 7, done.stderr
    assert "Exception ignored" not in done.stderr
