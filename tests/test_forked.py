"""Work done in a forked child: its result, its error and its renderer warnings come back."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import pytest

from book.errors import BookError
from book.forked import Forked, WorkerDied, gather, stop_all


@pytest.mark.parametrize("fork", [True, False])
def test_result_comes_back_from_the_child(fork):
    parent = os.getpid()
    outcome = Forked(lambda: (os.getpid() != parent, {"index": 18}), fork=fork).result()
    assert outcome == (fork, {"index": 18})


@pytest.mark.parametrize("fork", [True, False])
def test_a_book_error_in_the_child_is_raised_here(fork):
    def work():
        raise BookError("a bad line", Path("chapters/01.md"), 3)
    with pytest.raises(BookError) as raised:
        Forked(work, fork=fork).result()
    assert (raised.value.path, raised.value.line, raised.value.message) == (Path("chapters/01.md"), 3, "a bad line")


def test_renderer_warnings_in_the_child_are_logged_here(caplog):
    def work():
        logging.getLogger("weasyprint").warning("No anchor #%s for internal URI reference", "nowhere")
        return 1
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        assert Forked(work).result() == 1
    assert [r.getMessage() for r in caplog.records] == ["No anchor #nowhere for internal URI reference"]


def test_a_child_that_dies_is_an_error_not_a_hang():
    with pytest.raises(WorkerDied, match="ended with status 3"):
        Forked(lambda: os._exit(3)).result()
    with pytest.raises(WorkerDied, match="killed by SIGKILL"):
        Forked(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()


def test_gather_fails_at_the_first_death_and_stops_the_others():
    started = time.monotonic()
    slow = Forked(lambda: time.sleep(60))
    with pytest.raises(WorkerDied):
        gather([slow, Forked(lambda: os._exit(3))])
    assert time.monotonic() - started < 10  # the slow one was stopped, not waited for


def test_stop_all_ends_every_child_before_their_files_are_removed(tmp_path):
    """An interruption between two forks (before gather could stop them) must not leave the
    first writing into a folder the build is about to remove: stop_all ends them all."""
    def work(name):
        time.sleep(0.5)
        (tmp_path / name).write_text("late")  # what a child at work would still write
    started = [Forked(lambda: work("one")), Forked(lambda: work("two"))]
    stop_all()
    assert all(fork._outcome is not None for fork in started)
    time.sleep(1)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(RuntimeError):
        started[0].result()


def test_a_ctrl_c_while_the_build_modules_load_arrives_once_they_have_loaded():
    """The build's heavy modules load with Ctrl-C held (book/cli.py): one pressed meanwhile is
    raised after pikepdf has set itself up, not inside that set-up, where nanobind reported it as
    a critical error with a traceback. In a fresh interpreter, so that pikepdf loads here."""
    import subprocess
    import sys
    code = ("import os, signal, sys\n"
            "from book.forked import interruptions_held\n"
            "try:\n"
            "    with interruptions_held():\n"
            "        os.kill(os.getpid(), signal.SIGINT)\n"
            "        import pikepdf\n"
            "    print('not interrupted')\n"
            "except KeyboardInterrupt:\n"
            "    print('interrupted once pikepdf was loaded:', 'pikepdf' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert done.stdout.strip() == "interrupted once pikepdf was loaded: True", done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Critical" not in done.stderr
