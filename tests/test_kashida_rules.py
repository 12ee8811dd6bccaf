"""Kashida sites (book/kashida.py): the reference's rules, on hand-picked words, on every word of
the default book, and against an independent verifier and HarfBuzz's own joining."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import fontpkg_amiri
import pytest
import uharfbuzz as hb
from hypothesis import example, given, settings
from hypothesis import strategies as st

from book.kashida import (BESIDE_ZWNJ, DIVINE, FINAL_YEH_RULE, JOINING_TYPES, LAM_ALEF, NON_JOINING,
                          NOT_AN_INSERTION, NOT_BETWEEN_LETTERS, SEVERAL_SITES, SHORT_WORD, SPLITS_MARKS,
                          TATWEEL, ZWJ, ZWNJ, Site, best_site, check_insertion, choose_sites, elongate,
                          joining_type, sites)
from conftest import ROOT

FATHA, SHADDA, DAMMA, SUPERSCRIPT_ALEF = "\u064e", "\u0651", "\u064f", "\u0670"


def _book_words() -> list[str]:
    words = []
    for path in sorted((ROOT / "chapters").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\A\+\+\+\n.*?\n\+\+\+\n", "", text, flags=re.S)  # the TOML front matter
        words.extend(text.split())
    return words


BOOK_WORDS = _book_words()


def _joint(text: str) -> str:
    """`text` with the marks an author's tatweel carries moved to the end of its tatweel run:
    a tatweel inserted before or after such a tatweel makes the same joint («ـَ» + «ـ»)."""
    return re.sub(f"{TATWEEL}+[\u064b-\u065f\u0670]+{TATWEEL}+",
                  lambda m: TATWEEL * m[0].count(TATWEEL) + m[0].replace(TATWEEL, ""), text)


def _single_insertions(word: str) -> set[str]:
    """Every way to put one tatweel into `word` that the verifier accepts (as joints)."""
    candidates = (word[:i] + TATWEEL + word[i:] for i in range(1, len(word)))
    return {_joint(text) for text in candidates if not check_insertion(word, text)}


# ---- the joining-type table ---------------------------------------------------------------------

RANGES = ((0x0620, 0x064A), (0x066E, 0x06D3), (0x06D5, 0x06D5), (0x06EE, 0x06FF), (0x0750, 0x077F),
          (0x08A0, 0x08C9))


def test_the_table_covers_the_arabic_letter_ranges():
    missing = [hex(cp) for first, last in RANGES for cp in range(first, last + 1) if chr(cp) not in JOINING_TYPES]
    assert not missing
    assert set(JOINING_TYPES.values()) <= set("DRCUTL")


@pytest.mark.parametrize("ch, expected", [
    (TATWEEL, "C"), (ZWJ, "C"), (ZWNJ, "U"), ("ء", "U"), ("ا", "R"), ("أ", "R"), ("آ", "R"), ("ٱ", "R"),
    ("ة", "R"), ("د", "R"), ("ذ", "R"), ("ر", "R"), ("ز", "R"), ("و", "R"), ("ؤ", "R"), ("ۀ", "R"),
    ("ے", "R"), ("ە", "R"), ("ب", "D"), ("ئ", "D"), ("ى", "D"), ("ه", "D"), ("ی", "D"), ("ک", "D"),
    ("گ", "D"), ("ہ", "D"), ("ۂ", "D"), ("ࢭ", "U"), ("ٴ", "U"), (FATHA, "T"), (SHADDA, "T"),
    (SUPERSCRIPT_ALEF, "T"), ("\u06dd", "U"), ("\u0600", "U"), ("\u200f", "T"), ("٣", "U"), ("3", "U"),
    ("،", "U"), ("a", "U"), ("ۺ", "D"), ("ۿ", "D"), ("ۮ", "R"), ("۰", "U"), ("ࢹ", "R"), ("ࢸ", "D"),
])
def test_joining_types_of_known_characters(ch, expected):
    assert joining_type(ch) == expected


# Amiri has no final forms for these (the high-hamza letters, Rohingya yeh): their isolated glyph
# serves after a joining letter too, so the font cannot show that they join the letter before.
AMIRI_WITHOUT_FINAL_FORMS = {"\u0675", "\u0676", "\u0677", "\u0678", "\u08ac"}


def test_the_table_joins_where_harfbuzz_shapes_joined_forms():
    """HarfBuzz decides positional forms from Unicode's joining types: for each letter Amiri has,
    a glyph other than the isolated one after (or before) a tatweel says the letter joins on that
    side. The table must say the same."""
    face = hb.Face(hb.Blob.from_file_path(str(fontpkg_amiri.ROOT / "files" / "Amiri-Regular.ttf")))
    font = hb.Font(face)

    def glyphs(text: str, cluster: int) -> tuple[int, ...]:
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        hb.shape(font, buffer, {})
        return tuple(info.codepoint for info in buffer.glyph_infos if info.cluster == cluster)

    checked, wrong = 0, []
    for ch, table in JOINING_TYPES.items():
        if table not in "DRU" or ord(ch) not in face.unicodes or ch == ZWNJ:
            continue
        isolated = glyphs(ch, 0)
        joins_next = glyphs(ch + TATWEEL, 0) != isolated
        joins_previous = glyphs(TATWEEL + ch, 1) != isolated
        checked += 1
        if joins_next != (table == "D"):
            wrong.append((hex(ord(ch)), table, "next"))
        if joins_previous != (table in "DR") and ch not in AMIRI_WITHOUT_FINAL_FORMS:
            wrong.append((hex(ord(ch)), table, "previous"))
    assert checked > 200 and not wrong


# ---- one site per word, by priority ---------------------------------------------------------------

@pytest.mark.parametrize("word, index, priority", [
    ("عـلي", 2, 0),          # the author's tatweel: lengthened there (after it)
    ("جـدا", 2, 0),          # after the author's tatweel, before د
    ("سلام", 1, 1),          # after initial س (ل-ا is lam-alef)
    ("مستقبل", 2, 1),        # after medial س, though ل is word-final (P3)
    ("شمس", 1, 1),           # after initial ش, the nearer-the-end site after medial م is only P6
    ("مدرسة", 4, 1),         # after medial س, before ة
    ("مدينة", 4, 2),         # before final ة (also before د at 1: the one nearer the end)
    ("بلد", 2, 2),           # before final د
    ("وجه", 2, 2),           # before word-final ه
    ("كتابا", 4, 3),         # before final ا
    ("فقط", 2, 3),           # before word-final ط
    ("شكل", 1, 1),           # P1 wins over word-final ل (P3)
    ("جمل", 2, 3),           # before word-final ل
    ("كبيرا", 2, 4),         # before medial ي with ر after: ر does not join on, so no site before ا
    ("الذي", 2, 2),          # before ذ (ذ joins nothing after it)
    ("كتبي", 2, 4),          # before medial ب with ي after
    ("نحو", 2, 5),           # before final و
    ("موقع", 3, 5),          # before word-final ع
    ("فكر", 2, 6),           # before ر
    ("علم", 2, 6),           # before word-final م
    ("بطء", 1, 7),           # ء joins nothing: only ب-ط is left
    ("كرسي", 3, 1),          # before final ي after س: allowed
    ("قصي", 2, 1),           # before final ي after ص: allowed
])
def test_hand_picked_sites(word, index, priority):
    assert best_site(word) == Site(index, priority)


def test_the_first_priority_wins_then_the_site_nearest_the_end():
    # «مستقبل»: P7 (م|س), P1 (س|ت), P7 (ت|ق), P7 (ق|ب), P3 (ب|ل): P1 despite being early.
    assert [s.priority for s in sites("مستقبل")] == [1, 3, 7, 7, 7]
    # «مدينة»: two P2 sites, before د (1) and before ة (4): the one nearer the end first.
    assert sites("مدينة")[:2] == [Site(4, 2), Site(1, 2)]


def test_marks_are_transparent_and_the_site_follows_the_whole_cluster():
    word = "مُدَرَّسَة"
    site = best_site(word)
    assert site == Site(word.index("ة"), 1)   # after سَ, never between س and its fatha
    for candidate in sites(word):
        assert not unicodedata.category(word[candidate.index]).startswith("M")
    # A mark on the letter before does not stop it joining: «مُسْتَقْبَل» as «مستقبل».
    assert best_site("مُسْتَقْبَل") == Site(4, 1)


@pytest.mark.parametrize("word", [
    "الله", "لله", "بالله", "والله", "تالله", "فالله", "ولله", "فلله", "اللهم", "واللهم", "عبدالله",
    "اللَّه", "اللّٰه", "ٱللَّهُ", "لِلَّهِ", "بِٱللَّهِ", "(الله)", "الله،", "«والله»",
])
def test_no_site_in_the_divine_name(word):
    assert best_site(word) is None and sites(word) == []


@pytest.mark.parametrize("word, site", [("اللهجة", Site(5, 2)), ("اللهب", Site(4, 6)), ("تخلله", Site(4, 2))])
def test_other_words_that_start_like_the_divine_name_keep_their_sites(word, site):
    assert best_site(word) == site


def test_no_site_inside_lam_alef():
    word = "الاستقرار"
    lam_alef = word.index("لا") + 1
    assert lam_alef not in {site.index for site in sites(word)}
    assert best_site(word) == Site(4, 1)  # after the medial س
    assert best_site("سلام").index != 2 and 2 not in {s.index for s in sites("سلام")}
    for word in ("لأن", "إلّا", "الآن", "سلإم", "ٱلٱسم"):  # hamza forms, wasla, shadda on the lam
        assert all(word[s.index] not in "اأإآٱ" or "ل" not in word[s.index - 2:s.index] for s in sites(word))
    assert best_site("إلّا") is None and best_site("لأن") is None


def test_an_authors_tatweel_between_lam_and_alef_has_broken_the_ligature():
    assert best_site("لـاعب") == Site(2, 0)
    assert check_insertion("لـاعب", "لــاعب") == []


@pytest.mark.parametrize("word", ["لا", "في", "من", "و", "هـ", "ـ", "أو", "(في)", "له،", "إلّا", "فِي"])
def test_no_site_in_words_of_two_letters_or_fewer(word):
    assert best_site(word) is None


@pytest.mark.parametrize("word", ["دار", "ورد", "زاد", "أدوار", "ذرة", "آراء", "داود"])
def test_no_site_where_no_letter_joins_the_next(word):
    assert best_site(word) is None


@pytest.mark.parametrize("word", ["2019", "2019،", "100,000", "٢٠١٩", "90%", "–", "##", ":::", "quote", "ABC"])
def test_no_site_without_arabic_letters(word):
    assert best_site(word) is None


def test_punctuation_around_words_stays_outside():
    assert best_site("(الباغوز)") == Site(4, 3)  # (البـاغوز): before ا, inside the parentheses
    assert best_site("«سلام»") == Site(2, 1)
    assert best_site("سلام.") == Site(1, 1)
    assert best_site("2019م") is None            # one letter after digits
    # Two runs in one token: at most one site, and never beside the slash.
    site = best_site("آذار/مارس")
    assert site == Site(6, 3) and "/" not in "آذار/مارس"[site.index - 1:site.index + 1]


def test_never_next_to_zwnj():
    for word in ("می‌خواهم", "نمی‌شود", "کتاب‌ها", "بی‌نظیر"):
        zwnj = word.index(ZWNJ)
        assert all(s.index not in (zwnj, zwnj + 1) for s in sites(word)), word
    assert best_site("می‌خواهم") == Site(4, 5)
    # The word is the whole run across ZWNJ (three letters here), and ن before ZWNJ is final.
    assert best_site("بن‌ب") == Site(1, 6)


def test_never_before_word_final_yeh_unless_seen_or_sad_precedes():
    assert 2 not in {s.index for s in sites("علي")}      # ل before final ي
    assert best_site("علي") == Site(1, 7)
    assert 2 not in {s.index for s in sites("مشي")}      # ش is not an exception: the reference names س ص
    assert best_site("كرسي") == Site(3, 1)
    # Not final: ي before ن is fine.
    assert best_site("عين") is not None


# ---- elongate -------------------------------------------------------------------------------------

def test_elongate_inserts_tatweel_at_the_site():
    assert elongate("سلام", Site(1, 1)) == "سـلام"
    assert elongate("سلام", Site(1, 1), 3) == "ســـلام"
    with pytest.raises(ValueError):
        elongate("سلام", Site(1, 1), 0)
    with pytest.raises(ValueError):
        elongate("سلام", Site(0, 1))


# ---- the verifier catches each broken rule ---------------------------------------------------------

@pytest.mark.parametrize("original, elongated, rule", [
    ("دار", "دـار", NON_JOINING),                                 # د does not join on
    ("سلام", "سلـام", LAM_ALEF),
    ("إلّا", "إلّـا", LAM_ALEF),                                   # shadda on the lam
    ("الله", "اللـه", DIVINE),
    ("بالله", "بـالله", DIVINE),
    ("عبدالله", "عبـدالله", DIVINE),
    ("مُدَرَّسَة", "مُدَرَّسـَة", SPLITS_MARKS),                   # between س and its fatha
    ("مُدَرَّسَة", "مـُدَرَّسَة", SPLITS_MARKS),
    ("مستقبل", "مسـتقبـل", SEVERAL_SITES),
    ("می‌خواهم", "می‌ـخواهم", BESIDE_ZWNJ),
    ("می‌خواهم", "میـ‌خواهم", BESIDE_ZWNJ),
    ("من", "مـن", SHORT_WORD),
    ("علي", "علـي", FINAL_YEH_RULE),
    ("مشي", "مشـي", FINAL_YEH_RULE),
    ("(سلام)", "(ـسلام)", NOT_BETWEEN_LETTERS),
    ("سلام2", "سلامـ2", NOT_BETWEEN_LETTERS),
    ("سلام", "سلام", None),                                       # nothing inserted: fine
    ("سلام", "سلم", NOT_AN_INSERTION),
    ("سلام", "سـلا", NOT_AN_INSERTION),
])
def test_the_verifier_names_the_broken_rule(original, elongated, rule):
    found = check_insertion(original, elongated)
    assert (rule in found) if rule else found == []


def test_the_verifier_accepts_correct_insertions():
    for original, elongated in (("سلام", "سـلام"), ("سلام", "ســـلام"), ("مُدَرَّسَة", "مُدَرَّسَـة"),
                                ("كرسي", "كرسـي"), ("(الباغوز)", "(البـاغوز)"), ("عـلي", "عــلي"),
                                ("جـدا", "جــدا"), ("بـَت", "بـَت"), ("بـَتك", "بـَـتك")):
        assert check_insertion(original, elongated) == [], (original, elongated)


# ---- every word of the default book ----------------------------------------------------------------

def test_every_site_in_the_default_book_passes_the_verifier():
    assert len(BOOK_WORDS) > 1000
    counts: Counter = Counter()
    broken = {}
    for word in BOOK_WORDS:
        site = best_site(word)
        counts[site.priority if site else "none"] += 1
        if site:
            for tatweels in (1, 3):
                if problems := check_insertion(word, elongate(word, site, tatweels)):
                    broken[word] = problems
    print("\nkashida sites in the default book, by priority:",
          ", ".join(f"P{key}: {value}" if key != "none" else f"none: {value}"
                    for key, value in sorted(counts.items(), key=lambda item: str(item[0]))))
    assert not broken
    assert all(counts[priority] for priority in range(1, 7))  # real prose meets P1 to P6
    assert counts["none"] < len(BOOK_WORDS) / 3


def test_the_site_rules_and_the_verifier_agree_on_every_point_of_every_book_word():
    """The allowed sites, found two ways (sites() and the verifier on each single insertion),
    are the same set for each word: a rule missing or wrong on either side shows here."""
    disagree = {}
    for word in set(BOOK_WORDS):
        allowed = {_joint(elongate(word, site)) for site in sites(word)}
        if allowed != (accepted := _single_insertions(word)):
            disagree[word] = (allowed - accepted, accepted - allowed)
    assert not disagree


ARABIC_ISH = st.sampled_from(
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةىءأإآؤئٱ") + ["الله", "لا", "لله"]
    + [FATHA, SHADDA, DAMMA, SUPERSCRIPT_ALEF, TATWEEL, ZWNJ, ZWJ, "ی", "ک", "گ", "پ", "ۀ", "ࢭ"]
    + list("(),.«»:؛،/1٢ a"))


@settings(max_examples=400, deadline=None)
@given(st.lists(ARABIC_ISH, max_size=9).map("".join))
@example("ابـَا")  # an author's tatweel carrying a fatha: one joint, two strings
@example("مُدَرَّسَة")
def test_random_words_agree_with_the_verifier(word):
    allowed = {_joint(elongate(word, site)) for site in sites(word)}
    assert allowed == _single_insertions(word)
    site = best_site(word)
    assert site is None or (site == sites(word)[0] and check_insertion(word, elongate(word, site, 2)) == [])


# ---- spreading insertions over a line ---------------------------------------------------------------

LINE = "قبل عام في ذروة توسعه سيطر تنظيم داعش على مدينة".split()


def test_choose_sites_spreads_over_the_line():
    assert len(LINE) == 10
    chosen = choose_sites(LINE, 3)
    assert len(chosen) == 3  # a dict: one site per word at most
    assert all(site == best_site(LINE[position]) for position, site in chosen.items())
    assert not set(chosen) <= {7, 8, 9}  # not bunched in the last words
    assert chosen == {4: Site(3, 1), 5: Site(1, 1), 9: Site(4, 2)}  # both P1 words, then the P2


@pytest.mark.parametrize("word", ["سلام", "علم", "مدينة"])
def test_choose_sites_spreads_words_of_equal_priority_evenly(word):
    line = [word] * 10
    assert sorted(choose_sites(line, 3)) == [1, 4, 8]
    assert sorted(choose_sites(line, 2)) == [2, 7]
    assert sorted(choose_sites(line, 1)) == [4]
    assert len(choose_sites(line, 10)) == 10 and len(choose_sites(line, 15)) == 10
    # Words without a site leave their slot to the nearest word that has one.
    gappy = [word if position % 3 == 0 else "في" for position in range(10)]  # sites at 0 3 6 9
    assert sorted(choose_sites(gappy, 2)) == [3, 6]


def test_choose_sites_prefers_better_priorities():
    line = ["علم", "فكر", "سلام", "علم", "فكر", "مدينة", "علم"]  # P6 P6 P1 P6 P6 P2 P6
    assert choose_sites(line, 2) == {2: Site(1, 1), 5: Site(4, 2)}
    assert set(choose_sites(line, 3)) >= {2, 5}


def test_choose_sites_returns_fewer_when_the_line_has_fewer_sites():
    line = ["في", "الله", "دار", "سلام", "2019", "لا"]
    assert choose_sites(line, 4) == {3: Site(1, 1)}
    assert choose_sites(line, 0) == {}
    assert choose_sites([], 3) == {}
