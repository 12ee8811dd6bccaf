"""Work handed to a forked child process while this one goes on.

A fork shares what this process has already made (a laid-out book, its fonts) without
pickling any of it; only the child's result comes back, pickled, through a pipe. Where
forking is not wanted (one core, `--jobs 1`) the same work runs in this process, so both
ways give the same result.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import select
import signal
from typing import Callable, Generic, Iterator, Sequence, TypeVar

T = TypeVar("T")


def die_with_parent() -> None:
    """A worker ends quietly when told to (the command line's SIGTERM handler, inherited through
    the fork, would raise in it), and when the build that started it is killed, even by
    SIGKILL (Linux)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def give_back_memory() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim). A PDF write makes and
    frees a Pango context per text box drawn: what they leave free is scattered over the heap,
    which the next write of the same process would otherwise stack its own peak on."""
    gc.collect()  # what is held only in cycles first: the written PDF's objects are
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        pass


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def interruptions_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held until the block ends, then delivered: for imports of extension
    modules, which cannot take a KeyboardInterrupt raised inside their own set-up (pikepdf's,
    nanobind, reports it as a critical error, with a traceback)."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


@contextlib.contextmanager
def forking() -> Iterator[int]:
    """os.fork() with Ctrl-C and SIGTERM held until the block ends: the parent's handler raises
    KeyboardInterrupt, and raised within fork's own hooks it would be printed and lost (the
    build went on to publish); held, it arrives once the child is recorded. The child ignores
    Ctrl-C, which reaches the whole foreground group: the build that forked it hears it and stops
    its children with SIGTERM (raised in a child, a KeyboardInterrupt could land in a destructor,
    which Python prints with its traceback). It leaves with os._exit, whatever happens: never
    back into the parent's code (which would clear the parent's stage on its way out)."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    pid = os.fork()
    if pid == 0:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            yield 0
        finally:
            os._exit(1)  # the work's own os._exit(0) comes first when it succeeds
    try:
        yield pid
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


_LIVE: set["Forked"] = set()  # this process's children at work: stop_all ends them


def stop_all() -> None:
    """End every child this process has at work (and their children): after an error or an
    interruption, before the files they write into are removed, so none writes after."""
    for fork in list(_LIVE):
        fork.stop()


class Forked(Generic[T]):
    """`work()` under way in a child process (or done here when `fork` is false)."""

    def __init__(self, work: Callable[[], T], fork: bool = True):
        self._pid = 0
        if not fork or not hasattr(os, "fork"):
            self._outcome: tuple[bool, object, list] | None = _attempt(work)
            return
        self._outcome = None
        read, write = os.pipe()
        # The child's collector leaves what this process made alone: walking it would write to
        # every object's header and so copy every page of it into the child.
        gc.freeze()
        with forking() as pid:
            if pid == 0:  # the child: do the work, send what came of it, leave without cleanup
                _LIVE.clear()  # its parent's other children are not its own
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(_pickled(_attempt(work, relay=True)))
                os._exit(0)
            os.close(write)
            self._pid, self._read = pid, read
            _LIVE.add(self)

    def result(self) -> T:
        """Waits for the child; its exception is raised here."""
        if self._outcome is None:
            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            _LIVE.discard(self)
            self._outcome = pickle.loads(data) if data else (False, WorkerDied(status), [])
            replay(self._outcome[2])
        succeeded, value, _ = self._outcome
        if not succeeded:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    def stop(self) -> None:
        """End the child if it is still at work (its own children end with it)."""
        if self._outcome is not None or not self._pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGTERM)
        os.waitpid(self._pid, 0)
        _LIVE.discard(self)
        os.close(self._read)
        self._outcome = (False, RuntimeError("stopped"), [])


class WorkerDied(RuntimeError):
    """A worker process ended without a result: killed, or out of memory."""

    def __init__(self, status: int):
        how = (f"was killed by {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
               else f"ended with status {os.waitstatus_to_exitcode(status)}")
        super().__init__(f"a worker process {how} before it finished; the build stops "
                         "(was it killed, or out of memory?)")


def gather(forks: Sequence[Forked[T]]) -> list[T]:
    """Every fork's result, in order, waiting on all of them at once: the first to fail (or
    die) fails the lot at once, the others stopped, instead of after those before it end."""
    pending = {fork._read: fork for fork in forks if fork._outcome is None}
    try:
        while pending:
            ready, _, _ = select.select(list(pending), [], [])
            for descriptor in ready:
                pending.pop(descriptor).result()  # raises if the work failed
    except BaseException:
        for fork in forks:
            fork.stop()
        raise
    return [fork.result() for fork in forks]


# Loggers whose warnings a child hands back to be logged again here: the build collects the
# renderer's warnings (a missing anchor, a refused URL) for its report.
RELAYED_LOGGERS = ("weasyprint",)


class _Relay(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def relay_warnings() -> list[tuple[str, int, str]]:
    """In a child: from now on, warnings of RELAYED_LOGGERS are kept in the list returned,
    to be handed to `replay` in the parent."""
    handler = _Relay()
    for name in RELAYED_LOGGERS:
        logging.getLogger(name).addHandler(handler)
    return handler.records


def replay(records: list[tuple[str, int, str]]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, "%s", message)


def _attempt(work: Callable[[], T], relay: bool = False) -> tuple[bool, object, list]:
    records = relay_warnings() if relay else []
    try:
        return True, work(), records
    except Exception as error:  # handed to whoever waits for the result
        return False, error, records


def _pickled(outcome: tuple[bool, object, list]) -> bytes:
    try:
        return pickle.dumps(outcome)
    except Exception:  # an exception that does not pickle still says what happened
        return pickle.dumps((False, RuntimeError(repr(outcome[1])), outcome[2]))
