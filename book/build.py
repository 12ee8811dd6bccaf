"""Build editions of a book: load once, render each edition, write atomically, report."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

from .chronology import chronologize
from .editions import COVER_NAME, EDITIONS
from .exports import chronology_json, index_json
from .files import clear_scratch, publish, stage_folder
from .forked import Forked, gather, stop_all
from .indexing import index_book
from .load import load_book
from .load.terms import INDEX_FILE
from .model import Book
from .preflight import preflight
from .renderers import REGISTRY, Shared
from .stamp import STAMP_NAME

REPORT_NAME = "build-report.json"


@dataclass(frozen=True)
class EditionResult:
    edition: str
    path: str
    bytes: int
    seconds: float
    pages: int | None = None
    padding: int = 0  # blank pages at the end for the printer (its least count, its multiple)


def build_time(release: dt.date) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the edition's date from book.toml (midnight UTC):
    never the clock, so that the same sources give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime(release.year, release.month, release.day, tzinfo=dt.timezone.utc)


class _CollectWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.messages:
            self.messages.append(message)


@dataclass
class BuildResult:
    book: Book
    editions: list[EditionResult]
    warnings: list[str]      # about the sources: errors under --strict
    report: Path
    preflight: list[str]     # what a printer's check would say of the print files
    outputs: list[Path]      # every file the build wrote


def prepare(root: Path) -> Book:
    """Load the book and run the preprocessors: the model every renderer reads."""
    book = load_book(root)
    book = replace(book, built=build_time(book.meta.date))
    if book.term_list is not None:
        book = index_book(book, book.term_list)
    return chronologize(book, book.chronology_edits)


def write_proofs(book: Book, out: Path, results: list[EditionResult]) -> list[Path]:
    """PNG spreads of the print interior and the flat cover (both in `out`), in out/proofs."""
    from . import proofs  # PDFium and Pillow: loaded when proofs are asked for
    from .pdf.covers import cover_geometry
    interior = next((out / Path(r.path).name for r in results if r.edition == "print"), None)
    if interior is None:
        return []
    folder = out / "proofs"
    spec = book.meta.printing
    written = proofs.spreads(interior, folder, book.meta.slug, spec.binding, spec.reverse_order)
    geometry = cover_geometry(book, next(r.pages for r in results if r.edition == "print"))
    cover = out / COVER_NAME.format(slug=book.meta.slug)
    written.append(proofs.cover_sheet(cover, folder, book.meta.slug, (geometry["spine_x"], geometry["spine_end"])))
    return written


def edition_groups(wanted: list[str]) -> list[list[str]]:
    """Editions that share work (the print layout: print, EPUB page-list, Kindle) go together;
    each group can run in a process of its own."""
    sharing = [e for e in wanted if REGISTRY[e].print_layout]
    return [[e] for e in wanted if not REGISTRY[e].print_layout] + ([sharing] if sharing else [])


@dataclass
class GroupOutcome:
    results: list[tuple[EditionResult, dict[str, int] | None]]
    warnings: list[str]
    messages: list[str]


def _render_edition(book: Book, edition: str, shared: Shared) -> tuple[list, list[str]]:
    """One edition (and its companions) made in the stage: their results (with the paths they
    will have once published) and what to tell the user."""
    renderer = REGISTRY[edition]
    target = shared.stage / renderer.file_name.format(slug=book.meta.slug)
    started = time.perf_counter()
    rendered = renderer.render(book, target, shared)
    seconds = round(time.perf_counter() - started, 3)
    final = shared.out / target.name
    results = [(EditionResult(edition, str(final), target.stat().st_size, seconds, rendered.pages, rendered.padding),
                rendered.anchor_pages)]
    padded = ""
    if rendered.padding:
        rules = book.meta.printing.rules
        padded = (f", {rendered.padding} of them blank at the end for {rules.label} (at least {rules.min_pages} "
                  f"pages, a multiple of {book.meta.printing.multiple})")
    messages = [f"wrote {final} ({target.stat().st_size / 1024:.0f} KiB"
                + (f", {rendered.pages} pages" if rendered.pages else "") + padded + f", {seconds:.1f} s)"]
    for companion in rendered.companions:
        name = f"{edition}-{companion.stem.rsplit('-', 1)[-1]}"
        results.append((EditionResult(name, str(shared.out / companion.name), companion.stat().st_size, seconds), None))
        messages.append(f"wrote {shared.out / companion.name} ({companion.stat().st_size / 1024:.0f} KiB)")
    return results, messages


def _render_group(book: Book, out: Path, stage: Path, editions: list[str], workers: int, side_by_side: bool,
                  reuse: bool) -> GroupOutcome:
    """Render `editions` into `stage`, sharing their work; in a worker process or in this one.
    With `workers` > 1, layouts fork processes for their parts; with `side_by_side`, editions
    that share the print layout render side by side in forks once it is made."""
    shared = Shared(book, out, stage, editions, workers, reuse)
    collector = _CollectWarnings()
    renderer_log = logging.getLogger("weasyprint")
    renderer_log.addHandler(collector)
    renderer_log.propagate = False
    outcome = GroupOutcome([], collector.messages, [])
    try:
        if side_by_side and len(editions) > 1 and all(REGISTRY[e].print_layout for e in editions):
            shared.print_paged()
            later = [Forked(lambda edition=edition: _render_edition(book, edition, shared))
                     for edition in editions[1:]]
            done = [_render_edition(book, editions[0], shared), *(work.result() for work in later)]
        else:
            done = [_render_edition(book, edition, shared) for edition in editions]
        for results, messages in done:
            outcome.results += results
            outcome.messages += messages
    finally:
        renderer_log.removeHandler(collector)
    return outcome


class StrictFailure(Exception):
    """Under --strict, the build's warnings: nothing was published."""

    def __init__(self, warnings: list[str]):
        super().__init__(f"{len(warnings)} warnings are errors under --strict")
        self.warnings = warnings


def source_warnings(book: Book) -> list[str]:
    """What the preprocessors found doubtful in the sources (errors under --strict)."""
    warnings = [f"{INDEX_FILE}: no occurrence of \"{heading}\" in the text"
                for heading in (book.index.unmatched if book.index else ())]
    return warnings + list(book.chronology.warnings if book.chronology else ())


def build(root: Path, out: Path, editions: tuple[str, ...] | None = None,
          progress: Callable[[str], None] = lambda message: None, with_proofs: bool = False,
          stage: Callable[[str], None] = lambda message: None,
          detail: Callable[[str], None] = lambda message: None, jobs: int | None = None,
          reuse: bool = True, strict: bool = False,
          seal: Callable[[Path, BuildResult], list[Path]] | None = None) -> BuildResult:
    """Build `editions` of the book at `root` into `out`. `progress` hears what was written,
    `stage` what is under way (for a terminal's status line), `detail` what --verbose shows;
    `jobs` caps the processes editions are rendered in (default: one per core).

    Every file is made in a stage folder and the whole set put in place at the end by one
    atomic switch (files.publish): a build that fails, is killed or interrupted before the
    switch, or under `strict` has warnings (StrictFailure) leaves the output folder's editions
    as they were. `seal`, given the stage and the result once every output is made, adds files
    of its own there (the command line's stamp) and names them: they are switched in with the
    rest."""
    stage("reading the book")
    started = time.perf_counter()
    book = prepare(root)
    detail(f"{len(book.chapters)} chapters, {sum(len(c.blocks) for c in book.chapters)} blocks; "
           f"index {len(book.index.entries) if book.index else 0} entries; "
           f"chronology {len(book.chronology.events) if book.chronology else 0} events "
           f"({time.perf_counter() - started:.2f} s)")
    clear_scratch(out)
    staged = stage_folder(out)
    try:
        result, messages = _build_staged(book, out, staged, editions, with_proofs, stage, jobs, reuse)
        if strict and result.warnings:
            raise StrictFailure(result.warnings)
        names = [path.relative_to(out) for path in result.outputs]
        if seal is not None:
            names += seal(staged, result)
        publish(staged, out, names, never_kept=(STAMP_NAME,))  # a stamp vouches for its own build only
    finally:
        stop_all()  # no child of ours writes into the stage once it is removed
        clear_scratch(out)
    for message in messages:  # said once it is true: the files are in place
        progress(message)
    return result


def _build_staged(book: Book, out: Path, staged: Path, editions: tuple[str, ...] | None, with_proofs: bool,
                  stage: Callable[[str], None], jobs: int | None, reuse: bool) -> tuple[BuildResult, list[str]]:
    """Every output of the build made in `staged`; the result names them as published in `out`,
    with what to tell the user once they are."""
    wanted = [e for e in EDITIONS if e in (editions or book.meta.editions)]
    groups = edition_groups(wanted)
    cores = jobs or os.cpu_count() or 1
    workers = min(cores, len(groups))
    # The cores left to each group's layout for its parts: with both PDF editions under way
    # at once, each already has a core, and more processes would only take turns on them.
    per_layout = max(1, cores // len(groups)) if groups else 1
    stage(f"rendering {', '.join(wanted)}" + (f" in {workers} processes" if workers > 1 else ""))
    if workers > 1:  # a forked process per group (workers == len(groups) here): any death or error ends all
        outcomes = gather([Forked(lambda group=group: _render_group(book, out, staged, group, per_layout, True, reuse))
                            for group in groups])
    else:
        outcomes = [_render_group(book, out, staged, group, per_layout, cores > 1, reuse) for group in groups]
    made = {result.edition: (result, anchors) for outcome in outcomes for result, anchors in outcome.results}
    results, anchor_pages, warnings_seen = [], None, []
    for edition in wanted:  # in EDITIONS order, whichever process made them; companions after
        for name in [edition, *(n for n in made if n.startswith(f"{edition}-"))]:
            result, anchors = made[name]
            results.append(result)
            anchor_pages = anchor_pages or anchors
    messages = [message for outcome in outcomes for message in outcome.messages]
    for outcome in outcomes:
        warnings_seen += [message for message in outcome.warnings if message not in warnings_seen]
    written = [Path(result.path) for result in results]
    exports = [(".index.json", index_json)] if book.index else []
    exports += [(".chronology.json", chronology_json)] if book.chronology else []
    for suffix, export in exports:
        name = f"{book.meta.slug}{suffix}"
        (staged / name).write_text(export(book, anchor_pages), encoding="utf-8")
        written.append(out / name)
        messages.append(f"wrote {out / name}")
    printed = next((r for r in results if r.edition == "print"), None)
    preflight_findings = []
    if printed is not None:
        stage("preflight")
        preflight_findings = [f for f in preflight(book, staged / Path(printed.path).name,
                                                   staged / COVER_NAME.format(slug=book.meta.slug))
                              if f.severity != "info"]
    if with_proofs:
        proofs_made = [out / path.relative_to(staged) for path in write_proofs(book, staged, results)]
        written += proofs_made
        messages += [f"wrote {path}" for path in proofs_made]
    warnings = warnings_seen + source_warnings(book)
    notices = [f"{f.file}: {f.message}" + (f" ({f.fix})" if f.fix else "") for f in preflight_findings]
    (staged / REPORT_NAME).write_text(json.dumps({
        "book": book.meta.slug,
        "built": book.built.isoformat(),
        "editions": [asdict(r) for r in results],
        "warnings": warnings,
        "preflight": notices,
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    messages.append(f"wrote {out / REPORT_NAME}")
    return BuildResult(book, results, warnings, out / REPORT_NAME, notices, [*written, out / REPORT_NAME]), messages
