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


# Run as the build's own process: every open (and folder listing) of a path inside the book
# folder is allowed only with the load stage (book/load/) on the stack; any other raises, in
# this process or a forked child (the hook is inherited), and is written down.
_ONLY_THE_LOAD_STAGE = r"""
import os, sys
from pathlib import Path
root, record = Path(sys.argv[1]).resolve(), sys.argv[2]
load_stage = os.sep + os.path.join("book", "load") + os.sep

def hook(event, args):
    if event not in ("open", "os.listdir", "os.scandir") or not args or isinstance(args[0], int):
        return
    try:
        path = Path(os.fsdecode(args[0]))
    except TypeError:
        return
    if not path.is_absolute() or not (path == root or path.is_relative_to(root)):
        return
    frame = sys._getframe(1)
    while frame is not None:
        if load_stage in frame.f_code.co_filename:
            return
        frame = frame.f_back
    where = [f"{f.filename}:{f.lineno}" for f in __import__("traceback").extract_stack()[-6:-1]]
    line = f"{event} {path} from {' < '.join(reversed(where))}\n"
    fd = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.write(fd, line.encode())
    os.close(fd)
    raise PermissionError(f"{path} read outside the load stage")

sys.addaudithook(hook)
sys.argv[1:3] = []
from book.cli import main
sys.exit(main())
"""


def test_the_load_stage_is_the_only_reader_of_the_books_files(tmp_path):
    """The whole book (chapters, book.toml, index.toml, chronology.toml, its own stylesheet, a
    cover image, an output profile) built in every edition, its proofs too: no file of the book
    is opened, and no folder of it listed, but by book/load/."""
    import shutil

    from conftest import copy_default_book

    from book.pdf.profiles import find_profile
    from book.print_spec import DEFAULT_CONDITION

    profile = find_profile(DEFAULT_CONDITION.profile)
    print_table = 'cover-image = "art/cover.png"\n' + ('output-profile = "press.icc"\n' if profile else "")
    root = copy_default_book(tmp_path, print_table, data_files=True)
    (root / "styles").mkdir()
    (root / "styles" / "pdf.css").write_text((ROOT / "styles" / "pdf.css").read_text(encoding="utf-8")
                                             + "\nh2 { letter-spacing: 0; }\n", encoding="utf-8")
    (root / "art").mkdir()
    from PIL import Image
    Image.new("RGB", (300, 450), (120, 40, 30)).save(root / "art" / "cover.png")
    if profile:
        shutil.copy(profile, root / "press.icc")
    record = tmp_path / "opened.txt"
    result = subprocess.run([sys.executable, "-c", _ONLY_THE_LOAD_STAGE, str(root), str(record), "--book", str(root),
                             "--out", str(tmp_path / "out"), "--proofs", "--force"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    opened = record.read_text(encoding="utf-8") if record.exists() else ""
    assert result.returncode == 0 and opened == "", opened + result.stderr
    names = {path.name for path in (tmp_path / "out").iterdir()}
    assert {"ma-bad-daesh.pdf", "ma-bad-daesh.epub", "ma-bad-daesh-print.pdf", "ma-bad-daesh-cover.pdf"} <= names


def test_the_hook_that_proves_it_sees_a_renderer_reading_a_book_file(tmp_path):
    """The same hook, and a stage after loading that reads a book file itself (as the renderers
    once read the stylesheets): caught, and the build fails."""
    from conftest import copy_default_book
    root = copy_default_book(tmp_path)
    record = tmp_path / "opened.txt"
    sneaky = _ONLY_THE_LOAD_STAGE.replace("from book.cli import main", (
        "from book import build as _build\n"
        "_prepare = _build.prepare\n"
        "def prepare(root):\n"
        "    book = _prepare(root)\n"
        "    (book.root / 'book.toml').read_text(encoding='utf-8')\n"
        "    return book\n"
        "_build.prepare = prepare\n"
        "from book.cli import main"))
    result = subprocess.run([sys.executable, "-c", sneaky, str(root), str(record), "--book", str(root),
                             "--out", str(tmp_path / "out"), "--edition", "epub"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "book.toml from" in record.read_text(encoding="utf-8")


def test_one_renderer_per_edition_the_preview_among_them(tmp_path):
    """The registry holds a renderer for every edition a book can ask for (the names' one list,
    book/editions.py) and the HTML preview; the preview's renderer writes the page `book watch`
    serves, with every chapter and the back matter, its stylesheet and fonts beside it."""
    from book.build import prepare
    from book.editions import EDITIONS
    from book.load.settings import TABLES
    from book.renderers import REGISTRY, Shared

    assert tuple(REGISTRY) == (*EDITIONS, "preview")
    assert next(s for s in TABLES["book"] if s.key == "editions").choices == EDITIONS
    book = prepare(ROOT)
    renderer = REGISTRY["preview"]
    target = tmp_path / renderer.file_name.format(slug=book.meta.slug)
    rendered = renderer.render(book, target, Shared(book, tmp_path, tmp_path, ["preview"], 1))
    page = (target / "index.html").read_text(encoding="utf-8")
    assert all(chapter.title in page for chapter in book.chapters)
    assert 'id="chronology"' in page and 'id="index"' in page and 'id="sayings"' in page
    assert {path.name for path in rendered.companions} >= {"preview.css", "watch.js"}


def test_the_renderer_loads_without_running_a_program():
    """book/pdf/engine_libraries.py: WeasyPrint finds its C libraries without ldconfig, gcc or
    ld (ctypes.util.find_library ran some twenty of them: 0.15 s of every layout process)."""
    probe = ("import sys\n"
             "ran = []\n"
             "sys.addaudithook(lambda event, args: ran.append(str(args[0])) if event in "
             "('subprocess.Popen', 'os.posix_spawn', 'os.exec') else None)\n"
             "import book.pdf.typesetter\n"
             "from weasyprint import HTML\n"
             "HTML(string='<p>نص</p>').write_pdf()\n"
             "print(ran)\n")
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]", run.stdout


def test_a_library_the_loader_cannot_find_alone_is_still_found(tmp_path):
    """If a library opens only through find_library, the module runs again the usual way."""
    import ctypes.util
    import importlib.machinery
    import importlib.util

    from book.pdf.engine_libraries import _WithoutFindLibrary
    module_file = tmp_path / "needs_find_library.py"
    module_file.write_text("import ctypes.util\n"
                           "runs = globals().get('runs', 0) + 1\n"
                           "if ctypes.util.find_library('c') is None:\n"
                           "    raise OSError('cannot load library')\n", encoding="utf-8")
    original = ctypes.util.find_library
    spec = importlib.util.spec_from_file_location("needs_find_library", module_file)
    spec.loader = _WithoutFindLibrary(importlib.machinery.SourceFileLoader("needs_find_library", str(module_file)))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.runs == 2  # the quick way failed, the usual way found it
    assert ctypes.util.find_library is original
