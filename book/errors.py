"""Errors an author can act on: they name the file and line, never a traceback."""

from __future__ import annotations

from pathlib import Path


class BookError(Exception):
    """A problem in the book's sources, reported as ``file:line: message``."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __reduce__(self):  # travels whole from a worker process
        return (BookError, (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message
