"""The `book` command line."""

from __future__ import annotations

import argparse
import errno
import os
import shlex
import signal
import sys
import traceback
from pathlib import Path

from . import __version__, stamp
from .load.digest import inputs_digest
from .errors import BookError
from .files import output_lock, switched
from .forked import interruptions_held
from .editions import COVER_NAME, EDITIONS, file_name

# The renderers are imported where a command needs them: a build with nothing to do (see
# stamp.py) answers without loading them.

DEFAULT_BOOK = Path(__file__).resolve().parent.parent  # the repository's own book

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_CHECK_FAILED = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="book",
        description="Publish an Arabic book folder as a screen PDF, an EPUB 3 and a print edition.",
        epilog="Exit status: 0 done, 1 an internal error, 2 a problem in the book's sources "
               "(reported as file:line), 3 `check` found an error (a file a printer would reject, an invalid "
               "or inaccessible EPUB, words missing).")
    main.add_argument("--version", action="version", version=f"book {__version__}")
    commands = main.add_subparsers(dest="command")
    run = commands.add_parser("build", help="build editions of a book (the default command)")
    run.add_argument("--book", type=Path, default=DEFAULT_BOOK, metavar="DIR",
                     help="book folder holding book.toml and chapters/ (default: the bundled book)")
    run.add_argument("--out", type=Path, default=None, metavar="DIR",
                     help="output folder (default: DIR/dist inside the book folder)")
    run.add_argument("--edition", action="append", choices=sorted(EDITIONS), dest="editions",
                     help="build only this edition; repeat for several (default: those in book.toml)")
    run.add_argument("--proofs", action="store_true",
                     help="also write PNG proofs of the print edition (spreads, flat cover) to OUT/proofs")
    run.add_argument("--strict", action="store_true",
                     help="treat warnings about the sources (an index term never found ...) as errors")
    run.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                     help="render editions in up to N processes (default: one per core; 1: in this process)")
    run.add_argument("--force", action="store_true",
                     help="build everything again: even when nothing changed since the last build, "
                          "and without the parts laid out by earlier builds (OUT/.book-cache)")
    run.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    run.add_argument("-v", "--verbose", action="store_true", help="also say what was read and found")
    run.add_argument("--debug", action="store_true", help="show a traceback on errors")
    watching = commands.add_parser("watch", help="live HTML preview on localhost, rebuilt on every save")
    watching.add_argument("--book", type=Path, default=DEFAULT_BOOK, metavar="DIR", help="book folder")
    watching.add_argument("--out", type=Path, default=None, metavar="DIR", help="where the preview goes (DIR/dist)")
    watching.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
    watching.add_argument("--debug", action="store_true", help="show a traceback on errors")
    new = commands.add_parser("new", help="make a new book folder that builds at once")
    new.add_argument("folder", type=Path, metavar="DIR", help="an empty or new folder")
    new.add_argument("--template", default="starter", metavar="NAME",
                     help="what the book starts from: starter (a chapter to write in; the default) or report "
                          "(the example report: every kind of block, parts, front chapters and appendices)")
    new.add_argument("--debug", action="store_true", help="show a traceback on errors")
    check = commands.add_parser("check", help="check the built editions: preflight, EPUBCheck, Ace, fidelity, index")
    check.add_argument("--book", type=Path, default=DEFAULT_BOOK, metavar="DIR", help="book folder")
    check.add_argument("--out", type=Path, default=None, metavar="DIR", help="where it was built (default: DIR/dist)")
    check.add_argument("--debug", action="store_true", help="show a traceback on errors")
    return main


def run_check(book_dir: Path, out: Path) -> int:
    from .build import prepare
    from .checks import check_all
    book = prepare(book_dir)
    slug = book.meta.slug
    paths = dict(interior=out / file_name("print", slug), cover=out / COVER_NAME.format(slug=slug),
                 pdf=out / file_name("pdf", slug), epub=out / file_name("epub", slug))
    if not any(path.is_file() for path in paths.values()):
        build_first = shlex.join([*_this_command(), "--book", str(book_dir), "--out", str(out)])
        raise BookError(f"no editions here: build them first with `{build_first}`", out)
    with output_lock(out, lambda message: print(message, file=sys.stderr)):  # not while a build publishes
        findings = check_all(book, **paths)
    for finding in findings:
        print(finding)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    print(f"check: {errors} errors, {warnings} warnings")
    return EXIT_CHECK_FAILED if errors else EXIT_OK


def _interrupt_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so scratch files are removed and finished outputs stay."""
    def handler(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)


class StatusLine:
    """What the build is doing, on one line of a terminal; nothing when output is not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.width = 0

    def show(self, message: str) -> None:
        if self.enabled:
            sys.stderr.write("\r" + message.ljust(self.width) + "…")
            sys.stderr.flush()
            self.width = len(message)

    def clear(self) -> None:
        if self.enabled and self.width:
            sys.stderr.write("\r" + " " * (self.width + 1) + "\r")
            sys.stderr.flush()
            self.width = 0

    def above(self, printer):
        """A printer whose lines go above the status line."""
        def say(message: str) -> None:
            self.clear()
            printer(message)
        return say


def _this_command() -> list[str]:
    """How this command was run, so that what it tells the user to run works as it did:
    `.venv/bin/python build.py` or `.venv/bin/book` (paths shortened where they are below here)."""
    def short(path: str) -> str:
        relative = os.path.relpath(path)
        return relative if not relative.startswith("..") else path
    script = sys.argv[0]
    if script.endswith(".py"):
        return [short(sys.executable), short(script)]
    return [short(script) if os.sep in script else script]


def run_new(args) -> int:
    from .scaffold import new_book
    command = shlex.join([*_this_command(), "--book", str(args.folder)])
    for path in new_book(args.folder, command, args.template):
        print(f"wrote {path}")
    print(f"now: {command}")
    return EXIT_OK


def run_watch(args) -> int:
    from .watch import watch
    try:
        watch(args.book, _out(args) / "preview", args.port, lambda message: print(message, flush=True))
    except KeyboardInterrupt:  # Ctrl-C is how a watch ends
        pass
    return EXIT_OK


def run_build(args) -> int:
    say = (lambda message: None) if args.quiet else print
    out = _out(args)
    editions = tuple(args.editions) if args.editions else None
    with output_lock(out, lambda message: print(message, file=sys.stderr)):
        inputs = inputs_digest(args.book.resolve(), editions, {"proofs": args.proofs})
        recorded = None if args.force else stamp.up_to_date(out, inputs)
        if recorded is not None:
            say(f"up to date: {out} (nothing changed since the last build; --force builds anyway)")
            warnings, preflight = recorded.warnings, recorded.preflight
        else:
            with interruptions_held():  # a Ctrl-C now would land inside pikepdf's module set-up
                from .build import StrictFailure, build
            status = StatusLine(enabled=not args.quiet and sys.stderr.isatty())

            def seal(staged: Path, result) -> list[Path]:
                """The stamp, made beside the outputs it vouches for and switched in with them."""
                stamp.write(staged, stamp.Stamp(inputs, {str(path.relative_to(out)): stamp.file_digest(
                    staged / path.relative_to(out)) for path in result.outputs if path.is_relative_to(out)},
                    result.warnings, result.preflight))
                return [Path(stamp.STAMP_NAME)]
            try:
                result = build(args.book, out, editions, progress=status.above(say), with_proofs=args.proofs,
                               stage=status.show, jobs=args.jobs, reuse=not args.force, strict=args.strict,
                               detail=status.above(print) if args.verbose and not args.quiet else (lambda m: None),
                               seal=seal)
            except StrictFailure as failure:
                for warning in failure.warnings:
                    print(f"error: {warning}", file=sys.stderr)
                print(f"{failure}: nothing was written; {out} is as it was", file=sys.stderr)
                return EXIT_BAD_INPUT
            finally:
                status.clear()
            warnings, preflight = result.warnings, result.preflight
    for notice in preflight:
        print(f"preflight: {notice}", file=sys.stderr)
    for warning in warnings:
        print(f"{'error' if args.strict else 'warning'}: {warning}", file=sys.stderr)
    if args.strict and warnings:  # an earlier build's, recorded in the stamp: still an error
        print(f"{len(warnings)} warnings are errors under --strict", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _out(args) -> Path:
    return args.out if args.out is not None else args.book / "dist"


COMMANDS = {"build": run_build, "check": lambda args: run_check(args.book, _out(args)),
            "watch": run_watch, "new": run_new}


def main(argv: list[str] | None = None) -> int:
    _interrupt_on_sigterm()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        return COMMANDS[args.command](args)
    except BookError as error:
        print(f"error: {error}", file=sys.stderr)
        if debug:
            traceback.print_exc()
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        if switched():  # the interruption came after the one step that puts a new set in place
            print(f"interrupted after the new outputs were put in place in {', '.join(map(str, switched()))}",
                  file=sys.stderr)
        else:
            print("interrupted: earlier outputs are left as they were", file=sys.stderr)
        return 130
    except OSError as error:
        if error.errno not in _NO_ROOM:
            return _internal(error, debug)
        where = _out(args) if hasattr(args, "out") else args.folder  # `new` writes a folder
        print(f"error: no room to write in {where} ({error.strerror}): free some space, or choose another "
              "--out; earlier outputs are left as they were", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as error:  # noqa: BLE001 - last resort: a clear line, traceback only on request
        return _internal(error, debug)


# A full disk, a file-size limit, a quota: the machine's, not the book's; said as such.
_NO_ROOM = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def _internal(error: Exception, debug: bool) -> int:
    print(f"internal error: {type(error).__name__}: {error} (run with --debug for details)", file=sys.stderr)
    if debug:
        traceback.print_exc()
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
