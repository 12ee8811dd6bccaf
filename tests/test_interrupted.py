"""A build killed or stopped half-way leaves the previous editions as they were."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time

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
