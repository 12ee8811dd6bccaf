"""The house's rules, read from the code itself: no import circle anywhere in `book/` (imports
inside functions and under TYPE_CHECKING count: they are circles a reader must still untangle),
WeasyPrint imported by `book/pdf/` alone, and the processes that never lay out pages (the build's,
the join's) never load it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "book"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str) -> set[str]:
    """Every module `name` imports, wherever in it: book's own resolved to module names."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:  # `from .pdf import plan`: the submodule, if it is one
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return found


GRAPH = {name: {imported for imported in _imports(name) if imported in MODULES and imported != name}
         for name in MODULES}


def _circles() -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(GRAPH[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read_whole():
    """The graph the next test searches holds the modules and edges it should (a graph read
    wrong would find no circle)."""
    assert {"book.build", "book.pdf.plan", "book.pdf.editions", "book.pdf.parts"} <= set(GRAPH)
    assert "book.pdf.plan" in GRAPH["book.pdf.editions"]  # imported inside a function
    assert "book.pdf.typesetter" in GRAPH["book.pdf.plan"]
    assert "book.model" in GRAPH["book.pdf.parts"]


def test_no_import_circle_anywhere_in_book():
    assert _circles() == []


def test_only_the_pdf_package_imports_weasyprint():
    outside = {name: sorted(imported for imported in _imports(name) if imported.split(".")[0] == "weasyprint")
               for name in MODULES if not name.startswith("book.pdf")}
    assert {name: found for name, found in outside.items() if found} == {}
    inside = {name for name in MODULES if name.startswith("book.pdf")
              if any(imported.split(".")[0] == "weasyprint" for imported in _imports(name))}
    assert {"book.pdf.typesetter", "book.pdf.fixups", "book.pdf.covers"} <= inside  # the rule is not vacuous


def test_the_build_and_the_join_never_load_weasyprint():
    """The build's process and the one that joins the PDFs import every module they run, and
    WeasyPrint is not among them: only the layout's child loads it (its memory is not theirs)."""
    script = ("import sys, book.build, book.cli, book.checks, book.pdf.editions, book.pdf.finish, book.pdf.parts;"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'weasyprint'))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
