"""How fast `book` builds, beside the engine's own floor and a fast peer, in one run.

    .venv/bin/python benchmarks/speed.py [--pages 50 200 800] [--keep-html DIR]

For synthetic books of about the given page counts (the default chapters repeated), prints:
- our builds as a user runs them (`build.py`, process start included): every edition cold,
  each PDF edition alone, a rebuild with nothing changed, a rebuild after one sentence changed;
- the floor: one plain WeasyPrint render of the very same final HTML and CSS our PDF editions
  were laid out from (kept with --keep-html), in a fresh process that imports WeasyPrint only
  (nothing of `book`), timed from its start to the PDFs written;
- Typst (PyPI `typst`, `pip install -e '.[bench]'`) on the same chapters, as the fast peer;
- pages per second and peak memory (the whole process tree's PSS, sampled every 50 ms in a
  second run of each command: the times come from runs nothing samples).
Ratios are of figures measured side by side in this one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from synthetic import make_book  # noqa: E402

# Screen pages per copy of the default chapters, as --pages counts them: nominal, so that "800"
# stays the book it was before each chapter carried a table, two notes and a figure
# (synthetic.BLOCKS): 88 copies without them set 1102 screen and 940 print pages; a copy with
# them sets about 14.6 and 12.7, and 75 copies (792 / 10.5) about 1094 and 955.
PAGES_PER_REPEAT = 10.5
FRONT_AND_BACK = 8


def _tree_rss_kib(pid: int) -> int:
    """Memory of a process and its descendants, from /proc: their proportional set sizes (PSS:
    a page shared by forked processes counts once in all, where summing RSS would count it
    in each)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except OSError:
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _sampled(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak MiB of the process tree (sampled every 50 ms), and stdout."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss_kib(child.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    out, err = child.communicate()
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return seconds, peak / 1024, out


def measured(command: list[str], cwd: Path = ROOT, state: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds of `command` run alone, then the peak MiB of its process tree from a second
    run that samples it, and stdout. Apart because sampling reads every process's page tables:
    on two cores it took about 6% from a build whose processes use both, and less from a
    one-process render beside it. `state`, a folder the command changes (a build's output
    folder, its kept parts), is put back as it was before the second run."""
    kept = None
    if state is not None and state.exists():
        kept = Path(tempfile.mkdtemp(prefix="state-"))
        shutil.copytree(state, kept / "copy", symlinks=True)
    started = time.perf_counter()
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stderr}")
    if state is not None:
        shutil.rmtree(state, ignore_errors=True)
        if kept is not None:
            shutil.copytree(kept / "copy", state, symlinks=True)
            shutil.rmtree(kept)
    _, peak, _ = _sampled(command, cwd)
    return seconds, peak, run.stdout


# The floor, run in a fresh process in the kept folder: WeasyPrint and the standard library only,
# as a user runs the engine on the kept HTML and CSS (nothing of `book` imported: it checks).
# Its stylesheets share one CounterStyle, WeasyPrint's own way for a stylesheet's
# @counter-style rules (the book's digits, in the page CSS) to reach the render.
FLOOR = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.text.fonts import FontConfiguration
    started = time.perf_counter()
    pages = {{}}
    for folder in {folders!r}:
        kept = Path({kept!r}, folder)
        spec = json.loads((kept / "render.json").read_text(encoding="utf-8"))
        fonts, counters = FontConfiguration(), CounterStyle()
        sheets = [CSS(string=(kept / sheet["file"]).read_text(encoding="utf-8"), base_url=sheet["base_url"],
                      font_config=fonts, counter_style=counters) for sheet in spec["stylesheets"]]
        pages[folder] = 0
        for html in sorted(kept.glob("*.html")):
            document = HTML(string=html.read_text(encoding="utf-8"), base_url=spec["base_url"]).render(
                stylesheets=sheets, font_config=fonts, counter_style=counters)
            pages[folder] += len(document.pages)
            document.write_pdf(kept.parent / (folder + "-" + html.stem + ".pdf"))
    ours = sorted(name for name in sys.modules if name == "book" or name.startswith("book."))
    assert not ours, ours
    print(json.dumps({{"pages": pages, "seconds": time.perf_counter() - started}}))
""")


def keep_html(book_dir: Path, folder: Path) -> None:
    """The final HTML of each part of both PDF editions (the front matter with every page known,
    the chapters, the back matter: each as one document, as a plain render would take them,
    not in our parts), and what a plain WeasyPrint render of it needs, as plain files: each
    edition's stylesheets in order (styles/) and the base URLs (render.json). The floor reads
    only these."""
    from book.build import prepare
    from book.fonts import font_face_css
    from book.pdf.design import print_design, screen_design
    from book.pdf.plan import Plan, set_in_parts
    from book.pdf.typesetter import Typesetter
    from book.pdf.back import BackPiece
    from book.pdf.front import front_pieces
    from book.pdf.body import TEMPLATE as BODY
    book = prepare(book_dir)
    for design, name in ((screen_design(book), "pdf"), (print_design(book), "print")):
        parts: dict[str, str] = {}

        def keep(template: str, html: str, parts=parts) -> None:
            key = f"{template.split('.')[0]}-{'frames' if 'index-frame' in html else 'text'}"
            parts[key] = html  # a later pass of the same part replaces the first

        laid = set_in_parts(book, design, keep_html=keep, workers=1)  # every part heard here
        whole, pages = Typesetter(book, design), dict(laid.anchor_pages)
        parts[f"{BODY.split('.')[0]}-text"] = whole.html(
            BODY, pages, place_anchors=True, chapters=list(enumerate(book.chapters, start=1)))
        years = book.chronology.years if book.chronology else ()
        parts[f"{Plan.BACK.split('.')[0]}-text"] = whole.html(
            Plan.BACK, pages, piece=BackPiece("back", years, True, (0, len(book.quotations)) if book.quotations else None))
        parts[f"{Plan.FRONT.split('.')[0]}-text"] = whole.html(Plan.FRONT, pages, piece=front_pieces(book, False)[0])
        target = folder / name
        if target.exists():
            shutil.rmtree(target)  # nothing left of an earlier size or run
        (target / "styles").mkdir(parents=True)
        for number, (key, html) in enumerate(sorted(parts.items())):
            if key.endswith("frames"):
                continue  # the index's empty frames: the floor lays the index out as text
            (target / f"{number:02d}-{key}.html").write_text(html, encoding="utf-8")
        # The stylesheets as book/pdf/weasy.py's stylesheets() gives them, in its order: the font
        # faces (file URLs), the page geometry (and the digits' counter style), then the house
        # or book stylesheets the design names, each with the base URL it is read with.
        sheets = [("fonts.css", font_face_css(lambda face: face.file.as_uri()), None),
                  ("page.css", design.page_css, None)]
        sheets += [(style, book.styles[style].text, book.styles[style].path.as_uri())
                   for style in design.stylesheets]
        listed = []
        for number, (file_name, css, base_url) in enumerate(sheets):
            path = f"styles/{number}-{file_name}"
            (target / path).write_text(css, encoding="utf-8")
            listed.append({"file": path, "base_url": base_url})
        spec = {"base_url": book.root.as_uri() + "/", "stylesheets": listed}
        (target / "render.json").write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def typst_source(book_dir: Path) -> str:
    from book.build import prepare
    book = prepare(book_dir)

    def escape(text: str) -> str:
        return re.sub(r"([\\#*_`$<>@\[\]=\-+/])", r"\\\1", text)

    lines = ['#set page(paper: "a5", margin: (x: 17mm, top: 20mm, bottom: 22mm), numbering: "١")',
             '#set text(font: "Amiri", lang: "ar", dir: rtl, size: 12pt)',
             '#set par(justify: true, first-line-indent: 1.2em)',
             f"#align(center)[#text(size: 28pt)[{escape(book.meta.title)}]]", "#pagebreak()", "#outline()"]
    for chapter in book.chapters:
        lines += ["#pagebreak()", f"= {escape(chapter.title)}"]
        for block in chapter.blocks:
            kind = type(block).__name__
            if kind == "Heading":
                lines.append(f"== {escape(block.text.plain)}")
            elif kind == "Paragraph":
                lines.append(escape(block.text.plain) + "\n")
            elif kind == "Quotation":
                words = " ".join(p.text.plain for p in block.paragraphs)
                lines.append(f"#quote(block: true, attribution: [{escape(block.speaker.full_name)}])[{escape(words)}]")
    return "\n".join(lines) + "\n"


def run_typst(book_dir: Path, scratch: Path) -> tuple[float, int] | None:
    try:
        import typst
    except ImportError:
        return None
    from pypdf import PdfReader
    from book.fonts import FACES
    source = scratch / "book.typ"
    source.write_text(typst_source(book_dir), encoding="utf-8")
    started = time.perf_counter()
    typst.compile(str(source), output=str(scratch / "typst.pdf"),
                  font_paths=sorted({str(face.file.parent) for face in FACES}))
    seconds = time.perf_counter() - started
    return seconds, len(PdfReader(scratch / "typst.pdf").pages)


def bench(pages: int, keep: Path | None) -> None:
    repeat = max(1, round((pages - FRONT_AND_BACK) / PAGES_PER_REPEAT))
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        book = make_book(ROOT, scratch / "book", repeat) if repeat > 1 else ROOT
        out = scratch / "out"
        build = [sys.executable, str(ROOT / "build.py"), "--book", str(book), "--out", str(out), "-q"]
        editions = ["--edition", "pdf", "--edition", "print", "--edition", "epub"]
        rows = []
        all_cold = measured([*build, *editions, "--force"], state=out)
        rows.append(("build: all editions, cold", *all_cold[:2]))
        from pypdf import PdfReader
        ours = {"pdf": next(p for p in out.glob("*.pdf") if not p.stem.endswith(("-print", "-cover"))),
                "print": next(out.glob("*-print.pdf"))}
        our_pages = {edition: len(PdfReader(path).pages) for edition, path in ours.items()}
        rows.append(("build: nothing changed", *measured([*build, *editions], state=out)[:2]))
        chapter = sorted((book / "chapters").glob("*.md"))[-1]
        original = chapter.read_text(encoding="utf-8")
        if book != ROOT:
            header, fence, text = original.rpartition("+++\n")  # the chapter's text, not its metadata
            changed = header + fence + re.sub(r"(?m)^([^:#\n][^\n]{40,}?)،", r"\1، كذلك", text, count=1)
            chapter.write_text(changed, encoding="utf-8")  # one sentence of one chapter
            rows.append(("build: one sentence changed", *measured([*build, *editions], state=out)[:2]))
        pdf_cold = measured([*build, "--edition", "pdf", "--force"], state=out)  # --force: no parts kept reused
        rows.append(("build: screen PDF alone, cold", *pdf_cold[:2]))
        pdf_edit = None
        if book != ROOT:
            chapter.write_text(original, encoding="utf-8")  # the sentence as it was: one change again
            pdf_edit = measured([*build, "--edition", "pdf"], state=out)
            rows.append(("build: screen PDF alone, one sentence changed", *pdf_edit[:2]))
        print_cold = measured([*build, "--edition", "print", "--force"], state=out)
        rows.append(("build: print PDF + cover alone, cold", *print_cold[:2]))
        kept = keep / f"{pages}p" if keep else scratch / "html"
        keep_html(book, kept)

        def floor(folders: list[str]) -> tuple[float, float, dict]:
            seconds, peak, printed = measured([sys.executable, "-c", FLOOR.format(kept=str(kept), folders=folders)],
                                              cwd=kept)  # where no `book` could be imported from
            return seconds, peak, json.loads(printed)
        # The issue's floor: the sum of one plain render per PDF edition, each as a user runs
        # WeasyPrint (a fresh process); also both in one process, which saves a start-up.
        apart = [floor([folder]) for folder in ("pdf", "print")]
        floor_seconds = sum(seconds for seconds, _, _ in apart)
        floor_peak = max(peak for _, peak, _ in apart)
        floor_pages = {edition: pages for _, _, out in apart for edition, pages in out["pages"].items()}
        floor_render = sum(out["seconds"] for _, _, out in apart)
        together = floor(["pdf", "print"])
        assert together[2]["pages"] == floor_pages, (together[2]["pages"], floor_pages)
        rows.append(("floor: plain WeasyPrint, per PDF (sum)", floor_seconds, floor_peak))
        rows.append(("floor: both PDFs in one process", *together[:2]))
        peer = run_typst(book, scratch)
        both = sum(our_pages.values())
        print(f"\n== about {pages} pages: {repeat}x the default chapters; pages ours / floor's: "
              f"screen PDF {our_pages['pdf']} / {floor_pages['pdf']}, "
              f"print PDF {our_pages['print']} / {floor_pages['print']} ==")
        for label, seconds, peak in rows:
            print(f"{label:<42} {seconds:7.2f} s  {peak:7.0f} MiB")
        print(f"{'  (floor, renders alone, in-process, sum)':<42} {floor_render:7.2f} s")
        if peer:
            print(f"{'peer: Typst, same chapters':<42} {peer[0]:7.2f} s  ({peer[1]} pages, in-process)")
        print(f"pages per second: ours {both / all_cold[0]:.1f} (all editions, both PDFs' pages), "
              f"floor {sum(floor_pages.values()) / floor_seconds:.1f}"
              + (f", Typst {peer[1] / peer[0]:.1f}" if peer else ""))
        print(f"ratios: all editions cold / floor = {all_cold[0] / floor_seconds:.2f} "
              f"(/ both in one process {all_cold[0] / together[0]:.2f}); "
              f"screen PDF cold / its floor = {pdf_cold[0] / apart[0][0]:.2f}; "
              + (f"screen PDF one sentence changed / cold = {pdf_edit[0] / pdf_cold[0]:.2f}; " if pdf_edit else "")
              + f"screen PDF peak memory / its floor's = {pdf_cold[1] / apart[0][1]:.2f}; "
              f"peak memory ours / floor = {all_cold[1] / floor_peak:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="*", default=[50, 200, 800])
    parser.add_argument("--keep-html", type=Path, default=None, metavar="DIR",
                        help="keep the final HTML of both PDF editions here (one folder per size)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}")
    for pages in args.pages:
        bench(pages, args.keep_html)


if __name__ == "__main__":
    main()
