"""A build killed or stopped half-way leaves the previous editions as they were, or (past the switch
that puts a new set in place) the new ones, whole."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from book.files import EDITIONS_DIR, LOCK_NAME, PAUSE_AT, SCRATCH_DIR
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


REPORT, STAMP = "build-report.json", ".book-stamp.json"


def _group_alive(group: int) -> bool:
    """Whether a process of the process group `group` is still at work (zombies aside)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == group and fields[0] not in "ZX":
                return True
    return False


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """A tiny book (screen PDF, EPUB, print) in two versions, A and B; its output folder built
    from A, B, then A again; the published files of each version but the report and the stamp
    (which hold timings); how long the last build took, which changed the set with the parts of
    both versions cached, as every build the kills stop does."""
    root = tmp_path_factory.mktemp("seed")
    book = make_book(root / "book", {"book.toml": BOOK_TOML.replace('["epub"]', '["pdf", "epub", "print"]')})
    chapter = (book / "chapters" / "one.md").read_text(encoding="utf-8")
    versions = {"A": chapter, "B": chapter + "\nفقرة جديدة.\n"}
    out = root / "out"
    editions, took = {}, []
    for version in ("A", "B", "A"):
        (book / "chapters" / "one.md").write_text(versions[version], encoding="utf-8")
        started = time.monotonic()
        assert run_build("--book", book, "--out", out).returncode == 0
        took.append(time.monotonic() - started)
        made = {name: digest for name, digest in _digests(out).items() if name not in (REPORT, STAMP)}
        assert editions.setdefault(version, made) == made  # the same bytes, parts cached or not
    assert editions["A"] != editions["B"]
    return root, versions, editions, took[-1]


def _kills(tmp_path, seed, how: signal.Signals, randoms: int, paused: list[str], seed_number: int) -> None:
    """`randoms` signals at moments drawn uniformly over a build's duration, and one at each
    of the publishing steps in `paused` (files.PAUSE_AT), in a seeded order; after each, with
    nothing run in between, every published file is the last set's or every one the new set's."""
    root, versions, editions, duration = seed
    shutil.copytree(root / "book", tmp_path / "book")
    shutil.copytree(root / "out", tmp_path / "out", symlinks=True)
    book, out = tmp_path / "book", tmp_path / "out"
    rng = random.Random(seed_number)
    moments: list[float | str] = [rng.uniform(0, duration) for _ in range(randoms)] + paused
    rng.shuffle(moments)
    version, outcomes = "A", []
    for moment in moments:
        target = "B" if version == "A" else "A"
        (book / "chapters" / "one.md").write_text(versions[target], encoding="utf-8")
        before = _digests(out)
        env = {**os.environ, PAUSE_AT: moment} if isinstance(moment, str) else None
        child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                                 start_new_session=True)  # its own group, as a terminal's job is
        if isinstance(moment, str):
            said = ""
            while f"paused {moment}" not in said:
                line = child.stderr.readline()
                assert line, f"the build ended before it paused {moment}: {said}"
                said += line
        else:
            time.sleep(moment)
        if child.poll() is None:
            if how == signal.SIGINT:
                os.killpg(child.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
            else:
                child.kill()  # the build's own process: its workers end with it (PR_SET_PDEATHSIG)
        _, stderr = child.communicate(timeout=60)
        deadline = time.monotonic() + 10
        while _group_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        now = _digests(out)
        if now == before:
            outcome = "old"
        else:  # the new set, whole: its files, and the stamp vouching for each of them
            assert {n: d for n, d in now.items() if n not in (REPORT, STAMP)} == editions[target], \
                f"a mixed set after {how.name} at {moment}"
            recorded = json.loads((out / STAMP).read_text(encoding="utf-8"))["outputs"]
            assert recorded == {n: d for n, d in now.items() if n != STAMP}, f"after {how.name} at {moment}"
            outcome, version = "new", target
        if how == signal.SIGINT and child.returncode == 130:  # what it says is what happened
            assert ("interrupted: earlier outputs are left as they were" in stderr) == (outcome == "old"), stderr
            assert ("interrupted after the new outputs were put in place" in stderr) == (outcome == "new"), stderr
        assert "Traceback" not in stderr, stderr
        outcomes.append((moment if isinstance(moment, str) else round(moment, 2), child.returncode, outcome))
    print(f"build {duration:.2f} s; (moment, exit, set): {outcomes}")
    assert {outcome for _, _, outcome in outcomes} == {"old", "new"}  # both sides of the switch were hit
    target = "B" if version == "A" else "A"
    (book / "chapters" / "one.md").write_text(versions[target], encoding="utf-8")
    done = run_build("--book", book, "--out", out)
    assert done.returncode == 0, done.stderr
    assert {n: d for n, d in _digests(out).items() if n not in (REPORT, STAMP)} == editions[target]
    assert not (out / SCRATCH_DIR).exists()
    sets = out / EDITIONS_DIR
    assert sorted(p.name for p in sets.iterdir()) == sorted(["current", os.readlink(sets / "current")])
    assert all(p.exists() for p in out.iterdir())  # no link to nothing


def test_twenty_kills_leave_the_old_set_or_the_new_one_whole(tmp_path, seed):
    _kills(tmp_path, seed, signal.SIGKILL, 17, ["moved", "linked", "switched"], 20)


def test_ten_ctrl_cs_leave_the_old_set_or_the_new_one_whole_and_say_which(tmp_path, seed):
    _kills(tmp_path, seed, signal.SIGINT, 8, ["linked", "switched"], 10)
