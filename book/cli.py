"""The `book` command line."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import __version__
from .build import RENDERERS, build
from .errors import BookError

DEFAULT_BOOK = Path(__file__).resolve().parent.parent  # the repository's own book

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="book",
        description="Publish an Arabic book folder as a screen PDF, an EPUB 3 and a print edition.",
        epilog="Exit status: 0 built, 2 a problem in the book's sources (reported as file:line), "
               "1 an internal error.")
    main.add_argument("--version", action="version", version=f"book {__version__}")
    commands = main.add_subparsers(dest="command")
    run = commands.add_parser("build", help="build editions of a book (the default command)")
    run.add_argument("--book", type=Path, default=DEFAULT_BOOK, metavar="DIR",
                     help="book folder holding book.toml and chapters/ (default: the bundled book)")
    run.add_argument("--out", type=Path, default=None, metavar="DIR",
                     help="output folder (default: DIR/dist inside the book folder)")
    run.add_argument("--edition", action="append", choices=sorted(RENDERERS), dest="editions",
                     help="build only this edition; repeat for several (default: those in book.toml)")
    run.add_argument("--proofs", action="store_true",
                     help="also write PNG proofs of the print edition (spreads, flat cover) to OUT/proofs")
    run.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    run.add_argument("--debug", action="store_true", help="show a traceback on errors")
    return main


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    say = (lambda message: None) if args.quiet else print
    out = args.out if args.out is not None else args.book / "dist"
    try:
        result = build(args.book, out, tuple(args.editions) if args.editions else None, progress=say,
                       with_proofs=args.proofs)
    except BookError as error:
        print(f"error: {error}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted: earlier outputs are left as they were", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - last resort: a clear line, traceback only on request
        print(f"internal error: {type(error).__name__}: {error} (run with --debug for details)", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return EXIT_INTERNAL
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
