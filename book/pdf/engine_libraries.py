"""WeasyPrint's C libraries found the quick way.

WeasyPrint opens Pango, HarfBuzz, Fontconfig and their kin by trying several names for each, and
on Linux every name but the last goes to ctypes.util.find_library, which runs `ldconfig -p`,
then gcc and ld, only to fail: some twenty programs, 0.15 s of every process that loads the
renderer on a machine with a compiler (0.43 s to import WeasyPrint, 0.27 s without them). The
last name of each is the library's soname (libpango-1.0.so.0, …), which the dynamic loader finds
by itself. So while `weasyprint.text.ffi` runs, find_library answers None and WeasyPrint goes
straight to the soname; if a library can then not be opened, the module runs again the usual
way (a library only a compiler's search path knows of).
"""

from __future__ import annotations

import ctypes.util
import importlib.abc
import importlib.machinery
import sys

MODULE = "weasyprint.text.ffi"


class _WithoutFindLibrary(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        find_library = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            self.loader.exec_module(module)
            return
        except OSError:
            pass
        finally:
            ctypes.util.find_library = find_library
        self.loader.exec_module(module)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _WithoutFindLibrary(spec.loader)
        return spec


def install() -> None:
    """From now on in this process (and its forks), WeasyPrint loads its libraries directly."""
    if sys.platform.startswith("linux") and MODULE not in sys.modules \
            and not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
