"""A line's next word found too wide without a second layout (book/pdf/next_word.py): every
line where WeasyPrint alone breaks it, in justified Arabic with emphasis, links, Latin words and
numbers, in a measure narrow enough for a word to fit where Pango might have broken early."""

from __future__ import annotations

from conftest import boxes_of_every_page

SENTENCE = ("عادت الحياة إلى الباغوز بعد عام على تحريرها من تنظيم داعش (ISIS) في 23 آذار/مارس 2019، "
            "وعاد ٧٥٪ من السكان إلى بيوتهم بين 2014–2017 كما قال اللواء يحيى رسول. ")


def _html() -> str:
    words = (SENTENCE * 60).split()
    marked = " ".join(f"<em>{w}</em>" if n % 13 == 5 else f'<a href="#end">{w}</a>' if n % 17 == 7 else w
                      for n, w in enumerate(words))
    narrow = " ".join(words[:300])
    return ('<html dir="rtl" lang="ar"><head><style>@page { size: A5; margin: 2cm } '
            "html { font-family: Amiri; font-size: 12pt; text-align: justify } p { text-indent: 1em } "
            ".narrow { width: 6em; word-spacing: 0.1em } .wide { font-size: 9pt }</style></head><body>"
            f'<p>{marked}</p><p class="narrow">{narrow}</p><p class="wide">{narrow}</p>'
            '<p dir="ltr" lang="en">Maj. Gen. Tahseen al-Khafaji said the operations of 2017 ended '
            f'with 42 towns retaken, 3.5 million people home. {"The line goes on. " * 40}</p>'
            f'<p id="end">{" ".join(words[:200])}</p></body></html>')


def test_lines_are_broken_where_weasyprint_alone_breaks_them(monkeypatch):
    from weasyprint.text import line_break

    from book.pdf import next_word, weasy  # noqa: F401 (installs it, as every renderer does)

    assert next_word.installed()
    answers, measured = [], []
    cannot_fit, advance = next_word._cannot_fit, next_word.advance
    monkeypatch.setattr(next_word, "_cannot_fit", lambda *args: answers.append(cannot_fit(*args)) or answers[-1])
    monkeypatch.setattr(next_word, "advance", lambda *args: measured.append(advance(*args)) or measured[-1])
    html = _html()
    skipping = boxes_of_every_page(html)
    # Both ways taken: lines whose next word was found too wide, and lines left to WeasyPrint's
    # own second layout (the word measured, but not found too wide).
    skipped = answers.count(True)
    assert skipped > 100 and len(measured) - skipped > 20, (skipped, len(measured))
    monkeypatch.setattr(line_break.Layout, "set_text", next_word._weasy_set_text)
    monkeypatch.setattr(line_break.Layout, "get_first_line", next_word._weasy_get_first_line)
    assert skipping[0] > 3
    assert boxes_of_every_page(html) == skipping


def _style(direction: str):
    """A text box's computed style from a paragraph in Amiri, in `direction`."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    document = weasyprint.HTML(string=f'<html dir="{direction}"><p style="font-family: Amiri">نص</p></html>').render()
    return next(box for box in document.pages[0]._page_box.descendants() if isinstance(box, boxes.TextBox)).style


def _width(text: str, style) -> float:
    """The width of `text` set on one line."""
    from weasyprint.text.line_break import create_layout, line_size

    layout = create_layout(text, style, None, None, 0)  # kept: its line lives as long as it does
    return line_size(layout.get_first_line()[0], style)[0]


def test_the_narrowest_width_never_passes_the_line_with_its_next_word():
    """At every break of Arabic text mixing right-to-left and left-to-right words (where a word's
    characters can stand apart on its line), the width next_word.py skips a layout by is no
    more than the line with its next word really takes, and short of it by about a space."""
    from weasyprint.text.ffi import pango
    from weasyprint.text.line_break import create_layout

    from book.pdf import next_word

    words = {"rtl": (SENTENCE + "ب-2014 2015 ISIS 2016، (داعش) 2017–2018 ٧٥٪ ولاية-Khorasan Province ").split(),
             "ltr": "Baghouz (الباغوز) fell in 2019; ISIS-K 2014–2017 وعاد-Khorasan السكان 75% home.".split()}
    checked = 0
    for direction, sentence in words.items():
        style = _style(direction)
        space = _width("a b", style) - _width("ab", style)
        for offset in range(len(sentence)):  # each word in turn first, so each comes to open a line
            text = " ".join(sentence[offset:] + sentence * 3)
            for width in range(70, 400, 11):
                layout = create_layout(text, style, None, width, 0)
                line, start = layout.get_first_line()
                rest = text.encode()[start:].decode() if start is not None else ""
                word = rest.split(" ", 1)[0]
                if not word or " " not in rest:
                    continue
                candidate = text[:len(text.encode()[:start].decode()) + len(word)]
                narrowest = next_word.narrowest(layout, candidate, line, start)
                natural = _width(candidate, style)
                assert narrowest is not None and narrowest <= natural, (direction, width, candidate)
                # Short by about a space, where the second line holds the whole word (a word cut
                # at a dash, its end on a third line, is measured short: more lines laid out again).
                if pango.pango_layout_get_line_readonly(layout.layout, 1).length >= len(word.encode()):
                    assert natural - 1.5 * space <= narrowest, (direction, width, candidate)
                    checked += 1
    assert checked > 1000
