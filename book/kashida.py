"""Kashida justification, the model side (issue 21): where in a word a tatweel may go.

The rules are the field's (shared/reference/kashida.md: W3C alreq, Microsoft's priority table as
LibreOffice applies it, babel's known bugs). This module only decides *where*: the PDF pass
inserts U+0640 TATWEEL at the returned sites, shapes the word again, and keeps its own per-font
deny list (font ligatures other than lam-alef are invisible from here: HarfBuzz's
"safe to insert tatweel" flag is that pass's to read). The EPUB never gets tatweel.

Vocabulary used throughout:
- a *run* is a stretch of a word made of Arabic letters, tatweel, combining marks, ZWJ and ZWNJ;
  punctuation, digits, Latin letters and spaces end it (a token like «(الباغوز)» or
  «آذار/مارس» holds one or two runs). "Word-final", the two-letter rule and the divine name
  are judged per run; "at most one site" per token.
- a *cluster* is a base character and the combining marks after it: a tatweel goes after the
  whole cluster, never between a letter and its shadda or fatha.
- a *gap* is the point between two consecutive letter clusters of a run, with any tatweel the
  author typed there (P0) counting as part of the gap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

TATWEEL = "\u0640"
ZWNJ = "\u200c"
ZWJ = "\u200d"

JoiningType = Literal["D", "R", "C", "U", "T", "L"]

# Which side a character joins on. In right-to-left text "left" is towards the next letter:
# D (dual) and C (join causing: tatweel, ZWJ) join both ways, R only to the letter before it,
# L only to the letter after it (no Arabic letter is L: Manichaean and Phags-pa have some).
JOINS_NEXT: frozenset[str] = frozenset("DLC")
JOINS_PREVIOUS: frozenset[str] = frozenset("DRC")


def _code_points(spec: str) -> frozenset[str]:
    """'0622-0625 0627' -> the characters, so the tables read like ArabicShaping.txt's lines."""
    found = set()
    for item in spec.split():
        first, _, last = item.partition("-")
        found.update(chr(cp) for cp in range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(found)


# ---- The joining-type table (Unicode's ArabicShaping.txt, Unicode 14 for Python 3.11) --------
# Nothing installed exposes joining types (unicodedata, fontTools.unicodedata and uharfbuzz do
# not), so the table is data. Within the ranges below every letter (category Lo) is D unless
# listed as R or U; marks (Mn, Me) and format characters (Cf) are T, as Unicode's own default
# says; the rest (digits, signs, unassigned) is U. tests/test_kashida_rules.py checks the table
# against HarfBuzz's shaping with Amiri for every letter the font has.
_TABLE_RANGES = "0620-064A 066E-06D3 06D5 06EE-06FF 0750-077F 08A0-08C9"
_RIGHT_JOINING = _code_points(
    "0622-0625 0627 0629 062F-0632 0648 0671-0673 0675-0677 0688-0699 06C0 06C3-06CB 06CD 06CF"
    " 06D2 06D3 06D5 06EE 06EF 0759-075B 076B 076C 0771 0773 0774 0778 0779 08AA-08AC 08AE"
    " 08B1 08B2 08B9")
_NON_JOINING_LETTERS = _code_points("0621 0674 08AD")  # hamza, high hamza, low alef
_JOIN_CAUSING = frozenset(TATWEEL + ZWJ)
# Format characters Unicode lists as U although Cf would default to T: the prepended number
# signs, the end-of-ayah signs, ZWNJ and the bidi isolates.
_NON_JOINING_FORMAT = _code_points("0600-0605 06DD 0890-0891 08E2 200C 2066-2069")
_TRANSPARENT_CATEGORIES = ("Mn", "Me", "Cf")


def _table_type(ch: str) -> JoiningType:
    if ch in _JOIN_CAUSING:
        return "C"
    if ch in _RIGHT_JOINING:
        return "R"
    if ch in _NON_JOINING_LETTERS or ch in _NON_JOINING_FORMAT:
        return "U"
    category = unicodedata.category(ch)
    if category == "Lo":
        return "D"
    return "T" if category in _TRANSPARENT_CATEGORIES else "U"


JOINING_TYPES: dict[str, JoiningType] = {
    ch: _table_type(ch)
    for ch in sorted(_code_points(_TABLE_RANGES) | _JOIN_CAUSING | _NON_JOINING_FORMAT)}


def joining_type(ch: str) -> JoiningType:
    """Unicode's joining type of `ch`; outside the table, Unicode's default (T for marks and
    format characters, U for everything else: a letter of another script never gets a site)."""
    found = JOINING_TYPES.get(ch)
    if found:
        return found
    return "T" if unicodedata.category(ch) in _TRANSPARENT_CATEGORIES else "U"


# ---- The letters the rules name ---------------------------------------------------------------
ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
SEEN_SAD = frozenset("سشصض")                  # P1: after them (initial or medial)
BEFORE_P2 = frozenset("ةدذ")                    # P2: before them, wherever joined
FINAL_P2 = frozenset("ه")                       # P2: before it when word-final
BEFORE_P3 = frozenset("اأإآٱ")                  # P3: the alefs
FINAL_P3 = frozenset("طظلكگک")                 # P3: word-final (ک: the Persian kaf, same shape)
# P4: the ب group, "tooth" letters, when ر or ي follows (ـبر، ـبي); ز, ى and ی share those shapes.
BEH_GROUP = frozenset("بتثنيئىیٮپٹٺٻټٽٿڀ")
AFTER_BEH_P4 = frozenset("رزيىی")
BEFORE_P5 = frozenset("وؤ")
FINAL_P5 = frozenset("عغقف")
BEFORE_P6 = frozenset("رز")
# Never before a word-final ي, unless س or ص precedes it (only those two: the reference names
# them and no others). ى, ی and ئ end in the same tail.
FINAL_YEH = frozenset("يىیئ")
YEH_EXCEPTION = frozenset("سص")
# Lam-alef is a ligature every Arabic font must form; the lam and alef variants form it too.
LAM_FORMS = frozenset("لڵڶڷڸݪࢦ")
ALEF_FORMS = frozenset("اأإآٱٲٳٵݳݴ")
# The divine name: no site anywhere in a word that is it. Letters only (marks and tatweel
# dropped, ٱ read as ا): الله and اللهم with the proclitics أ و ف ب ت ك; لله (li-llāh) with
# و ف; and any word ending in الله, which catches joined names like عبدالله. (Only whole
# words: اللهجة, اللهب and تخلله are other words.)
DIVINE_NAME = re.compile(r"أ?[وف]?[بتك]?اللهم?|[وف]?لله|.*الله")
MAX_PRIORITY = 7


@dataclass(frozen=True)
class Site:
    """Where one tatweel (or several, in one place) goes: before word[index]."""
    index: int
    priority: int  # 0 (an author's tatweel) .. 7 (any other allowed point): lower is better


@dataclass(frozen=True)
class _Cluster:
    start: int  # offset of the base in the word
    end: int    # offset past its last mark
    base: str


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


def _in_arabic_blocks(ch: str) -> bool:
    return any(first <= ord(ch) <= last for first, last in ARABIC_BLOCKS)


def is_arabic_letter(ch: str) -> bool:
    """A letter a site may stand next to: category Lo in the Arabic blocks (not tatweel, Lm)."""
    return unicodedata.category(ch) == "Lo" and _in_arabic_blocks(ch)


def _in_run(ch: str) -> bool:
    return (ch in (ZWJ, ZWNJ) or _is_mark(ch)
            or (_in_arabic_blocks(ch) and unicodedata.category(ch) in ("Lo", "Lm")))


def _runs(word: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for offset, ch in enumerate(word + " "):
        if _in_run(ch) and offset < len(word):
            start = offset if start is None else start
        elif start is not None:
            spans.append((start, offset))
            start = None
    return spans


def _clusters(word: str, start: int, end: int) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for offset in range(start, end):
        if _is_mark(word[offset]) and clusters:
            clusters[-1] = _Cluster(clusters[-1].start, offset + 1, clusters[-1].base)
        elif not _is_mark(word[offset]):  # a mark opening a run has no base: it is dropped
            clusters.append(_Cluster(offset, offset + 1, word[offset]))
    return clusters


def _skeleton(text: str) -> str:
    return "".join("ا" if ch == "ٱ" else ch for ch in text if is_arabic_letter(ch))


def is_divine_name(text: str) -> bool:
    return DIVINE_NAME.fullmatch(_skeleton(text)) is not None


def _gap_priority(clusters: list[_Cluster], before: int, after: int) -> int | None:
    """The priority of the gap between letter clusters `before` and `after` (only tatweel
    clusters between them), or None where a "Never" forbids it."""
    prev, nxt = clusters[before].base, clusters[after].base
    authored = after - before > 1  # the author's tatweel(s) already stand in this gap
    if not (is_arabic_letter(prev) and is_arabic_letter(nxt)):
        return None  # also keeps sites away from ZWNJ, ZWJ, digits and punctuation
    if joining_type(prev) not in JOINS_NEXT or joining_type(nxt) not in JOINS_PREVIOUS:
        return None
    if not authored and prev in LAM_FORMS and nxt in ALEF_FORMS:
        return None  # inside lam-alef (an author's tatweel between them breaks the ligature)
    rest = clusters[after + 1:]
    # Word-final: no letter follows it in the run, or none before a ZWNJ (which ends the shape).
    final = not any(is_arabic_letter(c.base) for c in _until_zwnj(rest))
    if final and nxt in FINAL_YEH and prev not in YEH_EXCEPTION:
        return None
    following = rest[0].base if rest else ""
    if authored:
        return 0
    if prev in SEEN_SAD:
        return 1
    if nxt in BEFORE_P2 or (final and nxt in FINAL_P2):
        return 2
    if nxt in BEFORE_P3 or (final and nxt in FINAL_P3):
        return 3
    if nxt in BEH_GROUP and following in AFTER_BEH_P4:  # medial: the letter after joins it
        return 4
    if nxt in BEFORE_P5 or (final and nxt in FINAL_P5):
        return 5
    if nxt in BEFORE_P6 or final:
        return 6
    return 7


def _until_zwnj(clusters: list[_Cluster]) -> list[_Cluster]:
    for position, cluster in enumerate(clusters):
        if cluster.base == ZWNJ:
            return clusters[:position]
    return clusters


def sites(word: str) -> list[Site]:
    """Every allowed site in `word`, best first (priority, then nearest the end): best_site's
    choice is the first; a PDF pass whose font refuses it can try the next."""
    found = []
    for start, end in _runs(word):
        clusters = _clusters(word, start, end)
        if sum(is_arabic_letter(c.base) for c in clusters) <= 2 or is_divine_name(word[start:end]):
            continue
        letters = [position for position, c in enumerate(clusters) if c.base != TATWEEL]
        for before, after in zip(letters, letters[1:]):
            priority = _gap_priority(clusters, before, after)
            if priority is not None:
                # After the whole cluster before the next letter, so after any author tatweel.
                found.append(Site(clusters[after].start, priority))
    return sorted(found, key=lambda site: (site.priority, -site.index))


def best_site(word: str) -> Site | None:
    """The one site for `word`: the first priority that matches, nearest the end among equals;
    None where the rules allow none."""
    found = sites(word)
    return found[0] if found else None


def choose_sites(words: Sequence[str], count: int) -> dict[int, Site]:
    """Spread `count` tatweel insertions over a line's words: word index -> site, at most one per
    word, better priorities first. The line has `count` evenly spaced ideal positions; each
    priority's words, best first, take the free positions nearest them, so that words of equal
    priority are spread over the line rather than bunched in its last words (the babel bug the
    reference names). Fewer where the line has fewer sites."""
    best = {position: site for position, word in enumerate(words) if (site := best_site(word))}
    targets = [(k + 0.5) * len(words) / count - 0.5 for k in range(count)] if count > 0 else []
    chosen: dict[int, Site] = {}
    for priority in range(MAX_PRIORITY + 1):
        pool = [position for position, site in best.items() if site.priority == priority]
        # Greedy matching, closest pairs first (ties: the earlier word, the earlier target).
        pairs = sorted((abs(position - target), position, t) for position in pool for t, target in enumerate(targets))
        claimed: set[int] = set()
        for _, position, t in pairs:
            if position not in chosen and t not in claimed:
                chosen[position] = best[position]
                claimed.add(t)
        targets = [target for t, target in enumerate(targets) if t not in claimed]
    return dict(sorted(chosen.items()))


def elongate(word: str, site: Site, tatweels: int = 1) -> str:
    """`word` with `tatweels` U+0640 inserted at `site`."""
    if tatweels < 1:
        raise ValueError(f"at least one tatweel, not {tatweels}")
    if not 0 < site.index < len(word):
        raise ValueError(f"site {site.index} is not inside the word {word!r}")
    return word[:site.index] + TATWEEL * tatweels + word[site.index:]


# ---- The independent verifier -----------------------------------------------------------------
# It reads only the two strings and the data tables above, never the site-finding code, so a
# bug in sites() shows up as a broken rule here. Rules' names, as returned:
NOT_AN_INSERTION = "not only tatweel inserted"
NOT_BETWEEN_LETTERS = "tatweel not between two Arabic letters"
NON_JOINING = "tatweel between non-joining neighbours"
LAM_ALEF = "tatweel inside lam-alef"
DIVINE = "tatweel in the divine name"
SPLITS_MARKS = "tatweel between a letter and its marks"
SEVERAL_SITES = "more than one site in the word"
BESIDE_ZWNJ = "tatweel next to ZWNJ"
SHORT_WORD = "tatweel in a word of two letters or fewer"
FINAL_YEH_RULE = "tatweel before a word-final yeh not after seen or sad"


def check_insertion(original: str, elongated: str) -> list[str]:
    """The rules `elongated` breaks as `original` with tatweel inserted ([] if none).

    Inserted tatweel is located through the characters that are not tatweel ("anchors"): both
    strings must have the same anchors, and a gap whose tatweel count grew received insertions.
    Tatweel next to the author's is judged with it, as one joint, by the characters outside it
    (inserting before or after an author's tatweel gives the same string)."""
    anchors = [ch for ch in original if ch != TATWEEL]
    if [ch for ch in elongated if ch != TATWEEL] != anchors:
        return [NOT_AN_INSERTION]

    def gap_counts(text: str) -> list[int]:  # tatweel before each anchor, and after the last
        counts = [0]
        for ch in text:
            if ch == TATWEEL:
                counts[-1] += 1
            else:
                counts.append(0)
        return counts

    before, after = gap_counts(original), gap_counts(elongated)
    grown = [gap for gap in range(len(before)) if after[gap] > before[gap]]
    broken: list[str] = []
    joints = set()
    for gap in grown:
        # Anchor gap-1 stands before the gap, anchor gap after it.
        if gap < len(anchors) and _is_mark(anchors[gap]) and before[gap] == 0:
            broken.append(SPLITS_MARKS)  # the mark would sit on the inserted tatweel
        left = gap - 1
        while left >= 0 and _is_mark(anchors[left]):
            left -= 1
        right = gap
        while right < len(anchors) and _is_mark(anchors[right]):
            right += 1
        joints.add(left)
        broken.extend(_joint_rules(anchors, before, left, right))
    if len(joints) > 1:
        broken.append(SEVERAL_SITES)
    return list(dict.fromkeys(broken))


def _joint_rules(anchors: list[str], tatweels: list[int], left: int, right: int) -> list[str]:
    """The rules a joint between anchors[left] and anchors[right] breaks (marks between them
    belong to the left letter or to an author's tatweel; tatweels[g] counts the author's before
    anchor g)."""
    prev = anchors[left] if left >= 0 else ""
    nxt = anchors[right] if right < len(anchors) else ""
    broken = []
    if ZWNJ in (prev, nxt):
        broken.append(BESIDE_ZWNJ)
    if not (prev and nxt and is_arabic_letter(prev) and is_arabic_letter(nxt)):
        broken.append(NOT_BETWEEN_LETTERS)
    if not (prev and nxt and joining_type(prev) in "DLC" and joining_type(nxt) in "DRC"):
        broken.append(NON_JOINING)
    authored = any(tatweels[g] for g in range(left + 1, right + 1))
    if prev in LAM_FORMS and nxt in ALEF_FORMS and not authored:
        broken.append(LAM_ALEF)
    # The word (run) around the joint: letters, marks, ZWJ/ZWNJ on either side (tatweel is
    # already out of `anchors`).
    start = left
    while start - 1 >= 0 and _word_char(anchors[start - 1]):
        start -= 1
    end = right
    while end < len(anchors) and _word_char(anchors[end]):
        end += 1
    word_letters = [ch for ch in anchors[max(start, 0):end] if is_arabic_letter(ch)]
    if len(word_letters) <= 2:
        broken.append(SHORT_WORD)
    if _names_god(word_letters):
        broken.append(DIVINE)
    if nxt in FINAL_YEH and prev not in YEH_EXCEPTION:
        following = anchors[right + 1:end]
        cut = following.index(ZWNJ) if ZWNJ in following else len(following)
        if not any(is_arabic_letter(ch) for ch in following[:cut]):
            broken.append(FINAL_YEH_RULE)
    return broken


def _word_char(ch: str) -> bool:
    if ch in (ZWJ, ZWNJ) or _is_mark(ch):
        return True
    return unicodedata.category(ch) in ("Lo", "Lm") and any(
        first <= ord(ch) <= last for first, last in ARABIC_BLOCKS)


def _names_god(letters: list[str]) -> bool:
    """The divine name, written out differently from DIVINE_NAME on purpose: strip the
    proclitics one at a time and look at what is left."""
    text = "".join("ا" if ch == "ٱ" else ch for ch in letters)
    if text.endswith("الله"):
        return True
    for name, groups in (("اللهم", ("أ", "وف", "بتك")), ("لله", ("وف",))):
        stem = text
        for group in groups:  # at most one proclitic of each group, in this order
            if stem[:1] and stem[0] in group and stem != name:
                stem = stem[1:]
        if stem == name:
            return True
    return False
