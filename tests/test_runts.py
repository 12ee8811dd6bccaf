"""Runts (issue 21): a justified paragraph's one-word last line re-flowed away after layout where
the lines above stay acceptably tight (book/pdf/runts.py), held to what a reader and a
typesetter ask of it: no runt left where the rule allows a move, no line made looser than the
rule, the same lines in the same places, the same words read back in the same order, and the
same lines in a kashida book as in a spaces book.

The layouts are the screen PDF's body as the benchmark lays it out and measures it (book/pdf/
lines.py: runts, widows, orphans, lonely headings counted as benchmarks/quality.py counts them),
read from WeasyPrint's boxes; the words read back are the real builds', with and without the
re-flow."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import split_first_line

from book.build import prepare
from book.checks import _Extractors
from book.fidelity import place, reading, words
from book.kashida import TATWEEL
from book.pdf.lines import Quality, body_documents, measure_document, natural_space, space_ratio
from book.pdf.runts import LOOSE, REACH, Chain, acceptable, choose, reflowing
from conftest import ROOT, copy_default_book

MODES = ("spaces", "kashida")
EXPANDABLE = (" ", "\u00a0")  # what WeasyPrint stretches
SLACK = 0.01  # ratios compared to two decimals' worth


# The books and their layouts.

@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """The default book as it is (spaces), and set to justify with kashida."""
    spaces = ROOT
    folder = tmp_path_factory.mktemp("runts-kashida")
    kashida = copy_default_book(folder, data_files=True)
    toml = kashida / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[layout]\n", '[layout]\njustify = "kashida"\n'),
                    encoding="utf-8")
    return {"spaces": spaces, "kashida": kashida}


@dataclass
class Line:
    page: int  # the page's index in its part
    box: boxes.LineBox

    @property
    def text(self) -> str:
        return "".join(box.text for box in text_boxes(self.box)).strip()


def text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            yield from text_boxes(child)


@dataclass
class Layout:
    blocks: list[tuple[str, list[Line]]]  # every block's mark (data-block, or its tag) and lines, in order
    quality: Quality  # the benchmark's measures


def laid_out(root: Path, reflow: bool) -> Layout:
    layout = Layout([], Quality())
    with reflowing(reflow):
        for first_page, document in body_documents(prepare(root)):
            layout.quality.add(measure_document(document, first_page))
            found: dict[object, list[Line]] = {}
            for index, page in enumerate(document.pages):
                for box in page._page_box.descendants():  # WeasyPrint keeps the laid-out boxes here
                    if isinstance(box, boxes.LineBox) and box.element is not None:
                        found.setdefault(box.element, []).append(Line(index, box))
            layout.blocks += [(element.get("data-block") or element.tag, lines) for element, lines in found.items()]
    return layout


@pytest.fixture(scope="module")
def layouts(books) -> dict[tuple[str, bool], Layout]:
    return {(mode, reflow): laid_out(books[mode], reflow) for mode in MODES for reflow in (False, True)}


# The measures: the benchmark's (book/pdf/lines.py).

def ratio(line: boxes.LineBox) -> float:
    """The line's mean word space over the natural one, as set."""
    return space_ratio(line)[1]


def justified(lines: list[Line]) -> bool:
    element = lines[0].box.element
    return element.tag == "p" and lines[0].box.style["text_align_all"] == "justify"


def is_runt(lines: list[Line]) -> bool:
    return justified(lines) and len(lines) > 1 and len(lines[-1].text.split()) == 1


# A runt the rule could have taken away: the re-flow's rule worked out again from the lines'
# words (a plain paragraph: one text box a line, broken at spaces), not from runts.py's edges.

def plain(lines: list[Line]) -> bool:
    for number, line in enumerate(lines):
        children = [child for child in line.box.children if not isinstance(child, boxes.InlineBlockBox)]
        if len(children) != 1 or type(children[0]) is not boxes.TextBox:
            return False
        if number and len(line.box.children) != 1:
            return False
    element = lines[0].box.element
    whole = " ".join("".join(element.itertext()).split())
    return " ".join(line.text for line in lines) in whole  # every line broken at a space


def chain_allowed(lines: list[Line]) -> Chain | None:
    """The chain the rule allows for the runt ending `lines`, if any (spaces alone)."""
    lines = [line for line in lines if line.page == lines[-1].page][-(REACH + 2):]  # what one layout pass sees
    last = len(lines) - 1
    if last < 1:
        return None
    texts = [line.text.split(" ") for line in lines]
    style = lines[0].box.children[-1].style
    column = max(line.box.width for line in lines[:-1])
    room = [column - (line.box.width - line.box.children[-1].width) for line in lines]  # beside the indent
    space = natural_space(style, " ")

    def measure(index: int, line_words: list[str]) -> tuple[float, float]:
        text = " ".join(line_words)
        width = split_first_line(text, style, None, None, 0)[3]
        gaps = sum(text.count(character) for character in EXPANDABLE)
        return width, (1 + (room[index] - width) / (gaps * space) if gaps else float("inf"))

    before = [1 + lines[i].box.children[-1].justification_spacing / space for i in range(last)]
    chains = []
    for start in range(last - 1, max(-1, last - 1 - REACH), -1):
        moved = [list(words_) for words_ in texts]
        for index in range(start, last):
            moved[index + 1].insert(0, moved[index].pop())  # one word down from each line
        measured = [measure(index, moved[index]) for index in range(start, last + 1)]
        if all(width <= room[start + k] + SLACK for k, (width, _) in enumerate(measured)):
            chains.append(Chain(start, tuple((before[start + k], after) for k, (_, after) in enumerate(measured[:-1]))))
    return choose(chains, max(LOOSE, max(before)))


# The tests.

def test_the_rule():
    """A changed line may go up to the limit, or stay as loose as it was, never looser."""
    assert acceptable(((1.1, 1.5), (2.2, 1.9)), 1.5)
    assert not acceptable(((1.1, 1.6), (2.2, 1.9)), 1.5)
    assert acceptable(((1.1, 1.9), (2.2, 1.9)), 2.2)
    short, long = Chain(3, ((1.2, 1.45),)), Chain(2, ((1.2, 1.3), (1.4, 1.42)))
    assert choose([short, long]) is long  # its loosest line is the tighter
    assert choose([short, Chain(2, ((1.2, 1.3), (1.4, 1.45)))]) is short  # of equals, the shorter
    assert choose([Chain(3, ((1.4, 1.6),))]) is None


@pytest.mark.parametrize("mode", MODES)
def test_no_runt_left_where_the_rule_allows_a_move(layouts, mode):
    """Runts counted as the benchmark counts them (a `p`'s justified last line of one word):
    fewer with the re-flow, none new, and each left is one the rule could not take away."""
    if mode == "spaces":  # the lines are the same in a kashida book (below)
        for mark, lines in layouts[mode, True].blocks:
            if is_runt(lines) and plain(lines):
                assert chain_allowed(lines) is None, f"{mark}: «{lines[-1].text}» could have gone"
    before, after = layouts[mode, False].quality.runts, layouts[mode, True].quality.runts
    print(f"{mode}: runts {len(before)} -> {len(after)}")
    assert len(after) < len(before)
    assert {(line.page, line.text) for line in after} <= {(line.page, line.text) for line in before}
    assert len(after) == sum(is_runt(lines) for _, lines in layouts[mode, True].blocks)  # what is read here


@pytest.mark.parametrize("mode", MODES)
def test_no_line_made_looser_than_the_rule(layouts, mode):
    """Every line the re-flow changed: its word spaces, as set, at most 1.5 times natural or at
    most the paragraph's loosest before; its paragraph's words the same, its last line two."""
    changed = 0
    for (mark, old), (_, new) in zip(layouts[mode, False].blocks, layouts[mode, True].blocks):
        if [line.text for line in old] == [line.text for line in new]:
            continue
        changed += 1
        assert " ".join(line.text for line in old).replace(TATWEEL, "").split() == \
               " ".join(line.text for line in new).replace(TATWEEL, "").split(), mark
        assert len(new[-1].text.split()) >= 2, mark
        limit = max(LOOSE, max(ratio(line.box) for line in old[:-1]))
        for before, after in zip(old[:-1], new[:-1]):
            if before.text != after.text:
                assert ratio(after.box) <= limit + SLACK, (mark, after.text, ratio(after.box), limit)
    assert changed


@pytest.mark.parametrize("mode", MODES)
def test_lines_keep_their_places(layouts, mode):
    """The same blocks, lines, pages and heights: no page break moves, so no widow, orphan or
    lonely heading can appear (none does); a justified line still fills its measure edge to edge."""
    for quality in (layouts[mode, False].quality, layouts[mode, True].quality):
        assert not quality.widows and not quality.orphans and not quality.lonely_headings
    for (mark, old), (other, new) in zip(layouts[mode, False].blocks, layouts[mode, True].blocks, strict=True):
        assert mark == other and len(old) == len(new), mark
        for before, after in zip(old, new):
            assert (before.page, before.box.position_y, before.box.height) == \
                   (after.page, after.box.position_y, after.box.height), mark
        for before, after in zip(old[:-1], new[:-1]):
            if justified(old):
                assert after.box.position_x == pytest.approx(before.box.position_x, abs=SLACK)
                assert after.box.width == pytest.approx(before.box.width, abs=SLACK)
        if justified(old):  # the last line keeps its start edge: the right one
            right = [line.box.position_x + line.box.width for line in (old[-1], new[-1])]
            assert right[1] == pytest.approx(right[0], abs=SLACK), mark


def test_a_kashida_book_reflows_the_lines_a_spaces_book_does(layouts):
    """The decision is taken on widths with spaces alone: the two books' lines stay the same."""
    def lines(layout):
        return [[line.text.replace(TATWEEL, "") for line in lines_] for _, lines_ in layout.blocks]

    assert lines(layouts["kashida", True]) == lines(layouts["spaces", True])


# The real builds, read back.

def build(book: Path, out: Path, reflow: bool) -> Path:
    """The book's screen PDF through the command line, with or without the re-flow."""
    code = ("import sys\nfrom book.cli import main\nfrom book.pdf.runts import reflowing\n"
            f"with reflowing({reflow}):\n    code = main()\nsys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", code, "--book", str(book), "--out", str(out), "--edition", "pdf"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return out / "ma-bad-daesh.pdf"


@pytest.fixture(scope="module")
def readings(books, tmp_path_factory):
    """(mode, reflow) -> extractor -> per page, its lines as read."""
    read = {}
    for mode in MODES:
        for reflow in (False, True):
            pdf = build(books[mode], tmp_path_factory.mktemp(f"runts-{mode}-{reflow}"), reflow)
            extractors = _Extractors(pdf)
            try:
                pages = range(len(extractors.pypdf.pages))
                read[mode, reflow] = {name: [lines_of(page) for page in pages]
                                      for name, lines_of in extractors.lines_of.items()}
            finally:
                extractors.close()
    return read


@pytest.mark.parametrize("mode", MODES)
def test_pdfium_reads_the_same_words_in_the_same_order(readings, mode):
    old, new = readings[mode, False]["PDFium"], readings[mode, True]["PDFium"]
    assert len(old) == len(new)
    for number, (before, after) in enumerate(zip(old, new), start=1):
        assert words(" ".join(before)) == words(" ".join(after)), f"page {number}"
    assert old != new  # lines did change


@pytest.mark.parametrize("mode", MODES)
def test_pypdf_reads_the_same_words_in_the_same_order(readings, mode):
    """pypdf reads the same words on every page; in the same order but where it moves a line's
    left-to-right run (a number, a Latin word) about, as it does without the re-flow: a word
    read in order in one reading and not in the other stands on such a line in one of them."""
    old, new = readings[mode, False]["pypdf"], readings[mode, True]["pypdf"]
    assert len(old) == len(new)
    for number, (before, after) in enumerate(zip(old, new), start=1):
        assert Counter(words(" ".join(before))) == Counter(words(" ".join(after))), f"page {number}"
    old_lines, new_lines = [line for page in old for line in page], [line for page in new for line in page]
    source, found = reading((0, line) for line in old_lines), reading((0, line) for line in new_lines)
    placed = place(source.words, found)
    assert len(placed.in_order) + len(placed.out_of_order) == len(source.words)
    for index, at in placed.out_of_order.items():
        lines = old_lines[source.lines[index]], new_lines[found.lines[at]]
        assert any(character.isascii() and character.isalnum() for line in lines for character in line), lines
    assert len(placed.out_of_order) <= 0.01 * len(source.words)


# Beyond the default book: left-to-right text, a real text-indent, widows of one.

def _blocks_of(html: str, document=None) -> list[list[tuple]]:
    """Each block's lines (page, top, height, left, width, text) in `html` laid out (or in `document`)."""
    from weasyprint import HTML
    found: dict[object, list[tuple]] = {}
    for index, page in enumerate((document or HTML(string=html).render()).pages):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.LineBox) and box.element is not None:
                text = "".join(text.text for text in text_boxes(box)).strip()
                found.setdefault(box.element, []).append((index, box.position_y, box.height, box.position_x,
                                                          box.width, text))
    return list(found.values())


@pytest.mark.parametrize("direction, css", [("ltr", ""), ("rtl", "p { text-indent: 1.5em }"),
                                            ("rtl", "p { widows: 1; orphans: 1 }")])
def test_other_settings(direction, css):
    """Paragraphs of the chapters' words (English ones left to right), cut at random lengths:
    fewer runts, the same words, every line where it was, justified lines edge to edge and the
    last one at its start edge."""
    import random
    if direction == "ltr":
        vocabulary = ("the quick brown fox jumps over a lazy dog while the typesetter looks for runts and "
                      "rivers in an old narrow column").split()
    else:
        vocabulary = (ROOT / "chapters" / "01-baghouz.md").read_text(encoding="utf-8").split("+++")[-1].split()
    chance = random.Random(21)
    paragraphs = [" ".join(chance.choice(vocabulary) for _ in range(chance.randint(15, 80))) for _ in range(60)]
    html = (f'<html dir="{direction}" lang="{"en" if direction == "ltr" else "ar"}"><head><style>'
            "@page { size: A5; margin: 2cm } html { font-family: Amiri; font-size: 12pt; text-align: justify } "
            f"{css}</style></head><body>" + "".join(f"<p>{text}</p>" for text in paragraphs) + "</body></html>")
    with reflowing(False):
        old = _blocks_of(html)
    new = _blocks_of(html)
    count = lambda blocks: sum(len(lines) > 1 and len(lines[-1][5].split()) == 1 for lines in blocks)  # noqa: E731
    print(f"{direction} {css}: runts {count(old)} -> {count(new)}")
    assert count(new) < count(old)

    def start(line: tuple) -> float:  # where a last line starts: its right edge in RTL
        return line[3] + line[4] if direction == "rtl" else line[3]

    for before, after in zip(old, new, strict=True):
        assert " ".join(line[5] for line in before).split() == " ".join(line[5] for line in after).split()
        assert [line[:3] for line in before] == [line[:3] for line in after]  # page, top, height
        for one, other in zip(before[:-1], after[:-1]):
            assert one[3:5] == pytest.approx(other[3:5], abs=SLACK)
        assert start(after[-1]) == pytest.approx(start(before[-1]), abs=SLACK)


def test_a_paragraph_broken_after_its_reflow_resumes_at_the_right_word(monkeypatch):
    """A page break found later inside a re-flowed paragraph (its `break-after: avoid` before
    a heading left at a page's foot: WeasyPrint breaks earlier, among its lines) goes on from
    the word the re-flow moved: no word lost or set twice. Each line handed a word down is given
    the new place its next line starts from (`resume_at`)."""
    import random

    from weasyprint import HTML

    from book.pdf import runts

    vocabulary = (ROOT / "chapters" / "01-baghouz.md").read_text(encoding="utf-8").split("+++")[-1].split()
    moved: list[list[boxes.LineBox]] = []
    apply = runts.Paragraph.apply

    def recorded(paragraph, chain):
        moved.append(paragraph.lines[chain.start:])
        apply(paragraph, chain)

    monkeypatch.setattr(runts.Paragraph, "apply", recorded)
    relaid = 0
    for seed, css in ((3, ""), (12, "p { widows: 1; orphans: 1 }"), (22, "")):
        chance = random.Random(seed)
        body = "".join(f'<p>{" ".join(chance.choice(vocabulary) for _ in range(chance.randint(20, 90)))}</p>'
                       f'<h2>{" ".join(chance.choice(vocabulary) for _ in range(3))}</h2>' for _ in range(80))
        html = ('<html dir="rtl" lang="ar"><head><style>@page { size: A5; margin: 2cm } '
                "html { font-family: Amiri; font-size: 12pt; text-align: justify } "
                f"p {{ break-after: avoid }} h2 {{ margin: 1em 0 0.3em }} {css}</style></head><body>{body}</body></html>")
        with reflowing(False):
            old = _blocks_of(html)
        moved.clear()
        document = HTML(string=html).render()
        kept = {id(box) for page in document.pages for box in page._page_box.descendants()}
        relaid += sum(not all(id(line) in kept for line in lines) for lines in moved)
        new = _blocks_of(html, document)
        for before, after in zip(old, new, strict=True):
            assert " ".join(line[5] for line in before).split() == " ".join(line[5] for line in after).split()
    assert relaid  # some re-flowed lines were set again on the next page
