"""Issue 16, groups 1-4, 7 and 8 and its "Also" line: hostile and careless books, each built by
the real command line in a child process watched by an audit hook (sys.addaudithook, installed
before `book` is imported), beside a loopback HTTP listener whose address the hostile inputs
name. Every case ends with exit 2 and a message naming the file (and line), or builds correctly;
none prints a traceback, opens, lists or writes a path outside the book, its output and what a
build needs (Python, the `book` package, its fonts and house styles), connects anywhere, or
reaches the listener. The outside files the inputs point at lie in a sibling folder that is
not allowed."""

from __future__ import annotations

import ast
import http.server
import mimetypes
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import ROOT
from test_bad_input import BOOK_TOML, CHAPTER, make_book

# The child: the hook first, then the command line as build.py runs it. Each event of interest
# is written to a pipe the test reads (inherited by forked workers, whose events come too).
WRAPPER = r"""
import os, sys, threading
log = int(sys.argv[1])  # a pipe's end: its writes are not files a limit on file size would stop
PATHS = {"open": 1, "os.listdir": 1, "os.scandir": 1, "os.mkdir": 1, "os.rmdir": 1, "os.remove": 1,
         "os.rename": 2, "os.replace": 2, "os.symlink": 2, "os.link": 2, "os.truncate": 1, "os.chmod": 1,
         "os.chown": 1, "os.utime": 1, "os.chdir": 1, "shutil.rmtree": 1, "shutil.copyfile": 2,
         "shutil.move": 2, "glob.glob": 1, "ctypes.dlopen": 1}
REACHING = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "socket.bind",
            "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect", "webbrowser.open")
RUNNING = ("subprocess.Popen", "os.exec", "os.posix_spawn", "os.system", "os.spawn")
busy = threading.local()  # the hook's own calls (realpath) are not watched again
def say(*fields):
    os.write(log, ("\t".join(fields) + "\n").encode("utf-8", "surrogateescape"))
def hook(event, args):
    if getattr(busy, "on", False) or not (event in PATHS or event.startswith(REACHING) or event.startswith(RUNNING)):
        return
    busy.on = True
    try:
        if event in PATHS:
            for path in args[:PATHS[event]]:
                if path is None or isinstance(path, int) or event == "ctypes.dlopen" and "/" not in str(path):
                    continue  # a descriptor, or a library by name (the loader's own search)
                path = os.fsdecode(os.fspath(path))
                writes = event != "open" and event not in ("os.listdir", "os.scandir", "glob.glob", "os.chdir",
                                                          "ctypes.dlopen")
                if event == "open":
                    mode, flags = args[1], args[2]
                    writes = (isinstance(mode, str) and any(c in mode for c in "wax+")
                              or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND)))
                say("write" if writes else "read", event, os.path.realpath(path), path)
        elif event.startswith(RUNNING):
            say("run", event, repr(args[:2]))
        elif event == "urllib.Request" and str(args[0]).startswith("file:"):
            pass  # the confined fetcher's own reading, seen as `open` just after
        else:
            say("reach", event, repr(args[:2]))
    except Exception as error:
        say("hook-error", event, repr(error))
    finally:
        busy.on = False
sys.addaudithook(hook)
script, sys.argv = sys.argv[2], sys.argv[2:]
import runpy
runpy.run_path(script, run_name="__main__")
"""

# What a build may read besides the book, its output and its own scratch folders, as seen in
# clean builds of each edition: the venv (its packages, the fonts among them), the standard
# library, the `book` package, build.py, the house styles, the CMYK profile, the mimetypes
# table, /dev/null (written by the library search below). Nothing else in /tmp, /etc, /home or
# the repository: fontconfig and the dynamic loader read from C, unseen by the hook.
SYSTEM_FILES = {"/dev/null", *(name for name in mimetypes.knownfiles if os.path.isfile(name))}
READ_ROOTS = (ROOT / "book", ROOT / "styles", ROOT / "tools" / "icc")
READ_FILES = {ROOT / "build.py"}
# ctypes.util.find_library, which WeasyPrint's cffi loading calls, runs these; their arguments
# may name only /dev/null and the build's own scratch folder.
LIBRARY_SEARCH = ("ldconfig", "gcc", "ld")


def _python_roots() -> tuple[Path, ...]:
    places = {sys.prefix, *(sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")),
              *(entry for entry in sys.path if entry.endswith(".zip"))}
    return tuple(Path(os.path.realpath(p)) for p in places)


@dataclass
class Env:
    url: str        # the loopback listener
    outside: Path   # beside the book, not allowed: what hostile inputs point at
    book: Path
    out: Path


@dataclass
class Watched:
    returncode: int
    stdout: str
    stderr: str
    strays: list[str]   # what the build touched that it should not have


class Listener(http.server.ThreadingHTTPServer):
    """Counts every connection, whether or not a request follows."""

    def __init__(self):
        self.seen: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler):  # noqa: N802,N805 - the stdlib's name
                self.seen.append(handler.path)
                handler.send_response(200)
                handler.end_headers()
                handler.wfile.write(b"p { color: red }")

            def log_message(handler, *args):  # noqa: N805
                pass
        super().__init__(("127.0.0.1", 0), Handler)

    def verify_request(self, request, client_address):
        self.seen.append(f"connection from {client_address}")
        return True


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


SECRET = "SECRET-OUTSIDE-THE-BOOK"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5fe6e1d0000000049454e44ae426082")


@pytest.fixture
def env(tmp_path, listener) -> Env:
    outside = tmp_path / "outside"
    (outside / "chapters").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "secret.css").write_text(f"/* {SECRET} */ p {{ color: red }}\n", encoding="utf-8")
    chapter = CHAPTER.replace("نص الفصل الأول", f"نص من خارج الكتاب {SECRET}")
    (outside / "secret.md").write_text(chapter, encoding="utf-8")
    (outside / "chapters" / "one.md").write_text(chapter, encoding="utf-8")
    (outside / "secret.png").write_bytes(PNG)
    (outside / "secret.icc").write_bytes(b"\0" * 128)
    (outside / "index.toml").write_text(f'[[term]]\nheading = "{SECRET}"\n', encoding="utf-8")
    (tmp_path / "o1" / "o2").mkdir(parents=True)  # the output's parents: "../../x" from it stays here
    listener.seen.clear()
    return Env(f"http://127.0.0.1:{listener.server_address[1]}", outside, tmp_path / "book", tmp_path / "o1" / "o2" / "out")


def watched_build(env: Env, tmp_path: Path, *args: str, preexec: Callable[[], None] | None = None,
                  script: Path = ROOT / "build.py") -> Watched:
    """`build.py --book BOOK --out OUT ARGS` under the audit hook: its result and its strays."""
    scratch, cwd = tmp_path / "scratch", tmp_path / "cwd"
    scratch.mkdir(exist_ok=True)
    cwd.mkdir(exist_ok=True)
    environment = {**os.environ, "TMPDIR": str(scratch), "PYTHONDONTWRITEBYTECODE": "1",
                   "BOOK_EBOOK_CONVERT": "/nonexistent/ebook-convert"}
    read, write = os.pipe()
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: os.read(read, 65536), b"")))
    reader.start()
    try:
        result = subprocess.run([sys.executable, "-c", WRAPPER, str(write), str(script),
                                 "--book", str(env.book), "--out", str(env.out), *args],
                                cwd=cwd, env=environment, capture_output=True, text=True, timeout=300,
                                preexec_fn=preexec, pass_fds=(write,))
    finally:
        os.close(write)
        reader.join(timeout=60)
        os.close(read)
    # The book and output, the scratch folder (TMPDIR) and working folder this build was given:
    # never their parent, which holds the outside folder.
    mine = [Path(os.path.realpath(p)) for p in (env.book, env.out, scratch, cwd)]
    readable = [*mine, *_python_roots(), *READ_ROOTS]

    def within(path: Path, roots) -> bool:
        return any(path == root or path.is_relative_to(root) for root in roots)
    strays = []
    for line in b"".join(chunks).decode("utf-8", "surrogateescape").splitlines():
        kind, event, *rest = line.split("\t")
        if kind in ("read", "write"):
            real = Path(rest[0])
            if kind == "write":
                allowed = within(real, mine) or str(real) == "/dev/null"
            else:  # the import system lists the folder that holds `book`, and only lists it
                allowed = (within(real, readable) or real in READ_FILES or str(real) in SYSTEM_FILES
                           or real == ROOT and event in ("os.listdir", "os.scandir"))
        elif kind == "run":
            executable, arguments = ast.literal_eval(rest[0])
            arguments = [str(a) for a in ([arguments] if isinstance(arguments, (str, bytes)) else arguments)]
            named = [Path(os.path.realpath(a)) for a in arguments[1:] if a.startswith("/")]
            allowed = os.path.basename(str(executable or arguments[0])) in LIBRARY_SEARCH and all(
                str(path) == "/dev/null" or within(path, mine) for path in named)
        else:  # a connection, a name looked up, a URL requested, a hook that failed
            allowed = False
        if not allowed:
            strays.append(line)
    return Watched(result.returncode, result.stdout, result.stderr, strays)


def _without_root_reading() -> None:
    """In the child before it runs the build: root reads a file of mode 000 all the same, unless
    the capabilities that let it are dropped from what the program it runs can have."""
    if os.geteuid() == 0:
        import ctypes
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


@dataclass(frozen=True)
class Case:
    files: Callable[[Env], dict] = lambda env: {}    # book files: name -> text, bytes or None
    setup: Callable[[Env], None] | None = None       # links, modes … once the files are there
    says: tuple[str, ...] = ()                       # what the message must say
    where: str = ""                                  # the file it names, with ":line" when it has one
    exit: int = 2
    editions: tuple[str, ...] = ("epub",)
    check: Callable[[Env], None] | None = None       # what a correct build holds
    preexec: Callable[[], None] | None = None


def toml(*, book: str = "", after: str = "", before: str = "", editions=("epub",)) -> str:
    """The test book's book.toml with `book` lines replacing or added to [book], `after` tables."""
    text = BOOK_TOML.replace('editions = ["epub"]', "editions = [" + ", ".join(f'"{e}"' for e in editions) + "]")
    for line in book.splitlines():
        key = line.split("=")[0].strip()
        old = next((old for old in text.splitlines() if old.split("=")[0].strip() == key), None)
        text = text.replace(old, line) if old is not None else text + line + "\n"
    return before + text + after


def link(name: str, to: Callable[[Env], Path]) -> Callable[[Env], None]:
    """A setup that makes `name` in the book a symlink to what `to` gives (replacing it)."""
    def make(env: Env) -> None:
        path = env.book / name
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(to(env), target_is_directory=to(env).is_dir())
    return make


def chapter_with(body: str = "", front: str = "") -> str:
    """The test chapter with `front` lines added to its front matter and `body` after its text."""
    text = CHAPTER.replace("order = 1\n", "order = 1\n" + front)
    return text + ("\n" + body + "\n" if body else "")


DEEP = 5000
DEEP_ARRAY = "[" * DEEP + "]" * DEEP
DEEP_TABLE = "{a = " * DEEP + "1" + "}" * DEEP

CASES: dict[str, Case] = {
    # 1. the book's slug names the output files: never a path
    "1 slug an absolute path": Case(lambda env: {"book.toml": toml(book=f'slug = "{env.outside}/pwned"')},
                                    says=("slug", "ASCII letters"), where="book.toml:7"),
    "1 slug climbing out": Case(lambda env: {"book.toml": toml(book='slug = "../../x"')},
                                says=("slug", "ASCII letters"), where="book.toml:7"),
    # 2. links that lead outside the book: refused before anything opens them
    "2 stylesheet linked outside": Case(setup=link("styles/epub.css", lambda env: env.outside / "secret.css"),
                                        says=("leads outside the book folder",), where="styles/epub.css"),
    "2 chapter linked outside": Case(setup=link("chapters/two.md", lambda env: env.outside / "secret.md"),
                                     says=("leads outside the book folder",), where="chapters/two.md"),
    "2 chapters folder linked outside": Case(setup=link("chapters", lambda env: env.outside / "chapters"),
                                             says=("chapters/ leads outside the book folder",), where="chapters"),
    "2 index linked outside": Case(setup=link("index.toml", lambda env: env.outside / "index.toml"),
                                   says=("leads outside the book folder",), where="index.toml"),
    "2 cover image linked outside": Case(
        lambda env: {"book.toml": toml(after='[print]\ncover-image = "art.png"\n')},
        link("art.png", lambda env: env.outside / "secret.png"), ("cover-image", "leads outside"), "book.toml:10"),
    "2 cover image a path outside": Case(
        lambda env: {"book.toml": toml(after='[print]\ncover-image = "../outside/secret.png"\n')},
        says=("cover-image", "leads outside"), where="book.toml:10"),
    "2 output profile linked outside": Case(
        lambda env: {"book.toml": toml(after='[print]\noutput-profile = "press.icc"\n')},
        link("press.icc", lambda env: env.outside / "secret.icc"), ("output-profile", "leads outside"),
        "book.toml:10"),
    "2 output profile an absolute path": Case(
        lambda env: {"book.toml": toml(after=f'[print]\noutput-profile = "{env.outside}/secret.icc"\n')},
        says=("output-profile", "leads outside"), where="book.toml:10"),
    # 3. past the confinement to the network: settings pasted into CSS, url() however spelt
    "3 page size pasted into CSS": Case(lambda env: {"book.toml": toml(
        after=f'[layout]\npage-size = "A5; }} @font-face {{ src: url({env.url}/x) }}"\n')},
        says=("page size",), where="book.toml:10"),
    "3 url() as a CSS escape": Case(lambda env: {"styles/book.css": f"p {{\n background: \\75rl({env.url}/a.png);\n}}\n"},
                                    says=("may not load",), where="book.css:2"),
    "3 url() escaped mid-word": Case(lambda env: {"styles/pdf.css": f"p {{ background: u\\72 l({env.url}/b.png); }}\n"},
                                     says=("may not load",), where="pdf.css:1"),
    "3 url() escaped in full": Case(lambda env: {"styles/print.css":
                                                 f"\n\np {{ background: \\000075\\000072\\00006C('{env.url}/c.png'); }}\n"},
                                    says=("may not load",), where="print.css:3"),
    "3 url() split by comments and lines": Case(lambda env: {"styles/epub.css": (
        f'p {{ background: /* a */ url(\n  "{env.url}/d.png" /* c */\n); }}\n')}, says=("may not load",), where="epub.css:1"),
    "3 font-face src escaped": Case(lambda env: {"styles/book.css":
                                                 f"@font-face {{ font-family: X; src: u\\rl({env.url}/f.ttf); }}\n"},
                                    says=("may not load",), where="book.css:1"),
    "3 a link is a link, not a fetch": Case(
        lambda env: {"chapters/one.md": chapter_with(f"انظر [الموقع]({env.url}/page) و<{env.url}/auto>."),
                     "book.toml": toml(editions=("epub", "pdf"))},
        exit=0, editions=("epub", "pdf"), check=lambda env: _link_kept(env)),
    # 4. (the preview's part is tests/test_watch.py) a stylesheet's </style> is no script anywhere
    "4 a stylesheet closing the style element": Case(
        lambda env: {"styles/epub.css": 'p::after { content: "</style><script>alert(1)</script>"; }\n'},
        exit=0, check=lambda env: _no_script(env)),
    # 7. bad input: exit 2 with file:line, never an internal error
    "7 title a number": Case(lambda env: {"book.toml": toml(book="title = 5")}, says=("a string",), where="book.toml:2"),
    "7 page-multiple a word": Case(lambda env: {"book.toml": toml(after='[print]\npage-multiple = "two"\n')},
                                   says=("a whole number",), where="book.toml:10"),
    "7 print a number": Case(lambda env: {"book.toml": toml(before="print = 5\n")}, says=("must be a table",),
                             where="book.toml:1"),
    "7 index.toml 5,000 arrays deep": Case(lambda env: {"index.toml": f'[[term]]\nheading = "فصل"\nmatch = {DEEP_ARRAY}\n'},
                                           says=("nested too deeply",), where="index.toml:3"),
    "7 book.toml 5,000 tables deep": Case(lambda env: {"book.toml": toml() + f"deep = {DEEP_TABLE}\n"},
                                          says=("nested too deeply",), where="book.toml"),
    "7 an unreadable chapter": Case(setup=lambda env: (env.book / "chapters" / "one.md").chmod(0),
                                    says=("cannot read", "Permission denied"), where="one.md",
                                    preexec=_without_root_reading),
    "7 an unreadable book.toml": Case(setup=lambda env: (env.book / "book.toml").chmod(0),
                                      says=("cannot read", "Permission denied"), where="book.toml",
                                      preexec=_without_root_reading),
    "7 chronology.toml 5,000 tables deep": Case(lambda env: {"chronology.toml": f"event = {DEEP_TABLE}\n"},
                                                says=("nested too deeply",), where="chronology.toml:1"),
    "7 front matter 5,000 arrays deep": Case(lambda env: {"chapters/one.md": chapter_with(front=f"source = {DEEP_ARRAY}\n")},
                                             says=("nested too deeply",), where="one.md:5"),
    "7 control character in the title": Case(lambda env: {"book.toml": toml(book='title = "كتاب\\u0001"')},
                                             says=("control character",), where="book.toml:2"),
    "7 control character in a chapter title": Case(
        lambda env: {"chapters/one.md": CHAPTER.replace('title = "فصل"', 'title = "فصل\\u0007"')},
        says=("control character",), where="one.md:2"),
    "7 control character in an index heading": Case(
        lambda env: {"index.toml": '[[term]]\nheading = "فصل\\u001b"\n'}, says=("control character",),
        where="index.toml:2"),
    "7 control character in a chronology title": Case(
        lambda env: {"chronology.toml": '[[event]]\nid = "one-2019-03-23"\ntitle = "حدث\\u0000"\n'},
        says=("control character",), where="chronology.toml:3"),
    "7 year 1900": Case(lambda env: {"book.toml": toml(book="date = 1900-01-01", editions=("epub", "pdf"))},
                        exit=0, editions=("epub", "pdf")),
    "7 year 9999": Case(lambda env: {"book.toml": toml(book="date = 9999-12-31", editions=("epub", "pdf"))},
                        exit=0, editions=("epub", "pdf")),
    "7 font-size 1e30px": Case(lambda env: {"styles/book.css": "p {\n  font-size: 1e30px;\n}\n"},
                               says=("1e30px", "too large"), where="book.css:2"),
    "7 a full disk": Case(says=("no room to write", "File too large", "earlier outputs are left"), exit=1, preexec=lambda: resource.setrlimit(
        resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))),  # writes past 64 KiB fail: EFBIG, as ENOSPC would
    "7 a file name not UTF-8": Case(lambda env: {"chapters/\udcff.md": CHAPTER.replace("order = 1", "order = 2")},
                                    says=("not UTF-8",), where="chapters"),
    "7 a stylesheet name not UTF-8": Case(lambda env: {"styles/\udcfe.css": "p {}\n"},
                                          says=("not UTF-8",), where="styles"),
    # 8. editions broken with exit 0: now refused, or whole
    "8 control character in the body": Case(lambda env: {"chapters/one.md": CHAPTER.replace("نص الفصل", "نص\x01 الفصل")},
                                            says=("control character",), where="one.md:7"),
    "8 an empty heading": Case(lambda env: {"chapters/one.md": chapter_with("##\n\nنص بعده.")},
                               says=("an empty heading",), where="one.md:15"),
    "8 a heading of a no-break space": Case(lambda env: {"chapters/one.md": chapter_with("## &nbsp;\u200f\n\nنص بعده.")},
                                            says=("an empty heading",), where="one.md:15"),
    "8 a quotation without words": Case(lambda env: {"chapters/one.md": chapter_with('::: quote speaker="أحمد"\n:::')},
                                        says=("a quotation without words",), where="one.md:15"),
    "8 a blank speaker": Case(lambda env: {"chapters/one.md": CHAPTER.replace('speaker="أحمد"', 'speaker=" "')},
                              says=('speaker="..."',), where="one.md:11"),
    "8 an emoji in a chapter": Case(lambda env: {"chapters/one.md": chapter_with("سطر أول\nسطر فيه 👍 وحده.")},
                                    says=("U+1F44D THUMBS UP SIGN", "none of the book's fonts"), where="one.md:16"),
    "8 an emoji the machine could draw": Case(lambda env: {"chapters/one.md": chapter_with("وجه 😀 مبتسم.")},
                                              says=("U+1F600",), where="one.md:15"),
    "8 an emoji as an entity in a heading": Case(lambda env: {"chapters/one.md": chapter_with("## عنوان &#x1F389;")},
                                                 says=("U+1F389",), where="one.md:15"),
    "8 an emoji in the book's title": Case(lambda env: {"book.toml": toml(book='title = "كتاب 📚"')},
                                           says=("U+1F4DA",), where="book.toml:2"),
    "8 an emoji in a quotation's speaker": Case(lambda env: {"chapters/one.md": CHAPTER.replace("أحمد", "أحمد ⭐")},
                                                says=("U+2B50",), where="one.md:11"),
    "8 a control character as an entity": Case(lambda env: {"chapters/one.md": chapter_with("نص &#1; فيه.")},
                                               says=("U+FFFD",), where="one.md:15"),
    "8 marks, joiners and Latin build with every word in the text layer": Case(
        lambda env: {"chapters/one.md": chapter_with("نصٌّ مشكولٌ، ومي\u200cخانه، وكلمة\u200f لاتينية Ḥusayn al-Ṭūsī — "
                                                     "«اقتباس»… و\u00a0مسافة ﷺ ✓ €.\n\n## عنوان فرعي ٣"),
                     "book.toml": toml(editions=("pdf",))},
        exit=0, editions=("pdf",), check=lambda env: _text_layer_whole(env)),
    "8 a blank book title": Case(lambda env: {"book.toml": toml(book='title = "  "')}, says=("title", "empty"),
                                 where="book.toml:2"),
    "8 a blank chapter title": Case(lambda env: {"chapters/one.md": CHAPTER.replace('title = "فصل"', 'title = " "')},
                                    says=("title must not be empty",), where="one.md:2"),
    "8 a chapter title a number": Case(lambda env: {"chapters/one.md": CHAPTER.replace('title = "فصل"', "title = 5")},
                                       says=("title", "a string"), where="one.md:2"),
    "8 a data: link": Case(lambda env: {"chapters/one.md": chapter_with("[صورة](data:image/png;base64,iVBORw0KGgo=)")},
                           says=("may link to web addresses",), where="one.md:15"),
    "8 a data: link to HTML": Case(lambda env: {"chapters/one.md": chapter_with("[x](data:text/html,<script>alert(1)</script>)")},
                                   says=("may link to web addresses",), where="one.md:15"),
    "8 a link climbing out on a later line": Case(
        lambda env: {"chapters/one.md": chapter_with("سطر أول\nوسطر ثان فيه [رابط](../../etc/passwd).")},
        says=("may link to web addresses",), where="one.md:16"),
    "8 a link to another file": Case(lambda env: {"chapters/one.md": chapter_with("انظر [الفصل](other.md).")},
                                     says=("may link to web addresses",), where="one.md:15"),
    "8 a link climbing out": Case(lambda env: {"chapters/one.md": chapter_with("انظر [السر](../outside/secret.txt).")},
                                  says=("may link to web addresses",), where="one.md:15"),
    "8 a link to a local file": Case(lambda env: {"chapters/one.md": chapter_with(f"انظر [السر](file://{env.outside}/secret.txt).")},
                                     says=("may link to web addresses",), where="one.md:15"),
    "8 a link that is no URL": Case(lambda env: {"chapters/one.md": chapter_with("[x](http://[::1)")},
                                    says=("may link to web addresses",), where="one.md:15"),
    "8 a javascript: link": Case(lambda env: {"chapters/one.md": chapter_with("[x](javascript:alert(1))")},
                                 says=("may link to web addresses",), where="one.md:15"),
    # Also
    "also creators a string": Case(lambda env: {"book.toml": toml(book='creators = "abc"')},
                                   says=("a list of strings",), where="book.toml:9"),
    "also editions a string": Case(lambda env: {"book.toml": toml(book='editions = "pdf"')},
                                   says=("a list of strings",), where="book.toml:8"),
    "also crop-marks a word": Case(lambda env: {"book.toml": toml(after='[print]\ncrop-marks = "no"\n')},
                                   says=("true or false",), where="book.toml:10"),
    "also an unknown [chronology] key": Case(lambda env: {"book.toml": toml(after="[chronology]\nhijiri = true\n")},
                                             says=('did you mean "hijri"',), where="book.toml:10"),
    "also a see cycle": Case(lambda env: {"index.toml": '[[term]]\nheading = "أ"\nsee = "ب"\n\n'
                                                       '[[term]]\nheading = "ب"\nsee = "أ"\n'},
                             says=("leads round",), where="index.toml:2"),
    "also a term that sees itself": Case(lambda env: {"index.toml": '[[term]]\nheading = "أ"\nsee = "أ"\n'},
                                         says=("leads round",), where="index.toml:2"),
}


def _epub_texts(env: Env) -> dict[str, str]:
    with zipfile.ZipFile(env.out / "test-book.epub") as epub:
        return {name: epub.read(name).decode("utf-8") for name in epub.namelist()
                if name.endswith((".xhtml", ".css", ".opf", ".ncx"))}


def _no_script(env: Env) -> None:
    texts = _epub_texts(env)
    assert not [name for name, text in texts.items() if name.endswith(".xhtml") and "<script" in text]
    assert "</style><script>" in texts["EPUB/css/book.css"]  # a stylesheet of its own: text, never markup


def _text_layer_whole(env: Env) -> None:
    """Every word of the chapters is read from the PDF by an extractor (check's own measure: a
    Latin name inside Arabic may be read out of order on its line, a warning, never lost)."""
    from book.build import prepare
    from book.checks import pdf_fidelity
    findings = pdf_fidelity(prepare(env.book), env.out / "test-book.pdf")
    assert not [f for f in findings if f.severity == "error"], findings
    import pikepdf  # and set in the book's fonts alone: ✓ is Plex's, drawn by it in Amiri's text too
    with pikepdf.open(env.out / "test-book.pdf") as pdf:
        fonts = {str(font.BaseFont).split("+")[-1] for page in pdf.pages for _, font in page.Resources.Font.items()}
    assert all(name.startswith(("Amiri", "IBM-Plex-Sans-Arabic")) for name in fonts), fonts


def _link_kept(env: Env) -> None:
    import pikepdf
    with pikepdf.open(env.out / "test-book.pdf") as pdf:
        uris = [str(annotation.A.URI) for page in pdf.pages for annotation in page.get("/Annots", [])
                if "/A" in annotation and "/URI" in annotation.A]
    assert f"{env.url}/page" in uris, uris
    assert not [uri for uri in uris if uri.startswith("file:") or str(env.book) in uri], uris  # no machine path
    assert any(f'href="{env.url}/page"' in text for text in _epub_texts(env).values())


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_book(tmp_path, env, listener, name):
    case = CASES[name]
    make_book(env.book, {"book.toml": toml(editions=case.editions), **case.files(env)})
    if case.setup:
        case.setup(env)
    watched = watched_build(env, tmp_path, preexec=case.preexec)
    message = watched.stderr
    assert watched.returncode == case.exit, f"{name}: exit {watched.returncode}\n{message}\n{watched.stdout}"
    assert "Traceback" not in message, message
    assert case.exit != 2 or "internal error" not in message, message
    for words in case.says:
        assert words in message, message
    if case.where:
        assert (f"{case.where}:" if ":" in case.where else case.where) in message, message
    assert not watched.strays, "\n".join(watched.strays)
    assert listener.seen == [], listener.seen
    assert not any(env.outside.glob("pwned*")) and not (tmp_path / "o1" / "x.epub").exists()
    if case.exit == 0:
        for edition in case.editions:
            assert (env.out / f"test-book.{edition}").is_file()
        for path in env.out.rglob("*"):
            assert not path.is_file() or SECRET.encode() not in path.read_bytes(), path
        if case.check:
            case.check(env)
    else:
        assert not env.out.exists() or not [p for p in env.out.iterdir() if not p.name.startswith(".")]


PROBE = """
import os, sys, urllib.request
outside, url = sys.argv[-2:]
open(os.path.join(outside, "secret.txt")).read()
os.listdir(outside)
open(os.path.join(outside, "written"), "w").close()
if os.fork() == 0:  # a forked worker's reading is seen too
    open(os.path.join(outside, "secret.css")).read()
    os._exit(0)
os.wait()
urllib.request.urlopen(url + "/probe", timeout=30).read()
"""


def test_the_watch_sees_what_the_cases_must_not_do(tmp_path, env, listener):
    """The harness itself: a read, a listing and a write outside, a forked child's read and a
    request to the listener are all caught; else every case above could pass unwatched."""
    (tmp_path / "cwd").mkdir()
    probe = tmp_path / "cwd" / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    watched = watched_build(env, tmp_path, str(env.outside), env.url, script=probe)
    assert watched.returncode == 0, watched.stderr
    strays = "\n".join(watched.strays)
    for seen in ("read\topen\t" + str(env.outside / "secret.txt"), "read\tos.listdir\t" + str(env.outside),
                 "write\topen\t" + str(env.outside / "written"), "read\topen\t" + str(env.outside / "secret.css"),
                 "reach\tsocket.connect", "reach\turllib.Request"):
        assert seen in strays, strays
    assert "/probe" in listener.seen, listener.seen
