"""Text rules by Unicode category (geo.textrules): the same for the table and the settings; what
a terminal may show; slugs and folded names."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.textrules import first_bad, fold, slugify, strip_accents, terminal_safe
from tests.support import ROOT

NONCHARACTERS = ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x07", "\x1b", "\x7f", "\x80", "\x85", "\x9f", "\ud800", "\udfff", *NONCHARACTERS],
)
def test_refused_everywhere(char):
    assert first_bad(f"a{char}b") is not None
    assert first_bad(f"a{char}b", multiline=True) is not None


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\u2028", "\u2029"])
def test_tab_and_line_breaks_only_in_multi_line_text(char):
    assert first_bad(f"a{char}b") is not None
    assert first_bad(f"a{char}b", multiline=True) is None


@pytest.mark.parametrize(
    "text",
    ["Kraków", "西安", "مدينة", "🇸🇪🤝🇿🇦", "a\u200db", "\u202eevil\u202c", "<b>&amp;", "\ue000"],
)
def test_printable_text_of_any_script_is_allowed(text):
    assert first_bad(text) is None


def test_the_message_names_the_character_and_its_place():
    assert first_bad("Kiel\x85") == (4, "U+0085 (a C1 control character)")
    assert first_bad("x\ufffe") == (1, "U+FFFE (a Unicode noncharacter)")


@given(st.text())
def test_the_terminal_never_gets_a_control_or_reordering_character(text):
    shown = terminal_safe(text)
    assert not any((ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not set(shown) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_an_escape_sequence_is_shown_not_obeyed():
    assert terminal_safe("kiel\x1b[2J\x1b]0;x\x07") == "kiel\\u001b[2J\\u001b]0;x\\u0007"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Malmö", "malmo"),
        ("Jönköping", "jonkoping"),
        ("Göteborg", "goteborg"),
        ("Gothenburg", "gothenburg"),
        ("Łódź", "lodz"),
        ("Kraków", "krakow"),
        ("Århus", "arhus"),
        ("Tromsø", "tromso"),
        ("Xi\u2019an", "xi-an"),
        ("Newcastle upon Tyne", "newcastle-upon-tyne"),
        ("  --Nelson  Mandela Bay--  ", "nelson-mandela-bay"),
        ("Ærø", "aero"),
        ("Straße", "strasse"),
        ("上海", ""),
    ],
)
def test_slugify_transliterates_and_never_drops_a_latin_letter(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("a", "b"),
    [("Göteborg", "GOTEBORG"), ("Göteborg", "Gote-borg"), ("Xi'an", "Xian"), ("Kraków", "krakow")],
)
def test_spellings_of_one_name_fold_alike(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("Заречный", "Заречныи"), ("Göteborg", "Goteborgs")])
def test_other_letters_stay_apart(a, b):
    assert fold(a) != fold(b)


def test_other_scripts_are_left_whole():
    assert strip_accents("진안군") == "진안군"  # Hangul composed again, as names are written
    assert strip_accents("Заречный") == "Заречный"


@pytest.mark.parametrize(
    ("name_en", "slug"),
    [("Malmö", "malmo"), ("Jönköping", "jonkoping"), ("Göteborg", "goteborg")],
)
def test_the_data_package_name_is_transliterated(name_en, slug):
    from geo.config import read_settings
    from geo.publication.dataset import dataset

    settings = read_settings(ROOT / "geo.toml")
    home = dataclasses.replace(settings.home, names={**settings.home.names, "en": name_en})
    made = dataset(
        dataclasses.replace(settings, home=home), "https://example.se/", "x", "y",
        start_year=None, bbox=None,
    )  # fmt: skip
    assert made.name == f"{slug}-international-relations"


# --- how each refused character is named, at the edges of its range (issue 26) -----------------
# The ranges are Unicode's: C0 controls U+0000-U+001F and DEL U+007F, C1 controls U+0080-U+009F,
# surrogates U+D800-U+DFFF, noncharacters U+FDD0-U+FDEF and U+xFFFE/U+xFFFF.
@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\t", "U+0009 (a tab)"),
        ("\n", "U+000A (a line break)"),
        ("\r", "U+000D (a line break)"),
        ("\u2028", "U+2028 (a line break)"),
        ("\u2029", "U+2029 (a line break)"),
        ("\x00", "U+0000 (a control character)"),
        ("\x1f", "U+001F (a control character)"),
        ("\x7f", "U+007F (a control character)"),
        ("\x80", "U+0080 (a C1 control character)"),
        ("\x9f", "U+009F (a C1 control character)"),
        ("\ud800", "U+D800 (a lone surrogate)"),
        ("\udfff", "U+DFFF (a lone surrogate)"),
        ("\ufdd0", "U+FDD0 (a Unicode noncharacter)"),
        ("\U0010ffff", "U+10FFFF (a Unicode noncharacter)"),
    ],
)
def test_each_refused_character_is_named_by_its_kind(char, named):
    assert first_bad(f"ab{char}", multiline=char not in "\t\n\r\u2028\u2029") == (2, named)
    assert first_bad(f"ab{char}")[1] == named


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\u202eb", "a\\u202eb"),
        ("\x9b31m", "\\u009b31m"),  # the C1 CSI
        ("tab\there", "tab\there"),  # a tab and a line feed stay
        ("v\x0bt", "v\\u000bt"),
        ("line\nfeed", "line\nfeed"),  # messages are lines
        ("\ud800", "\\ud800"),
        ("Göteborg 西安 🇸🇪", "Göteborg 西安 🇸🇪"),
    ],
)
def test_what_a_terminal_is_shown(text, shown):
    assert terminal_safe(text) == shown


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Göteborg", "goteborg"), ("GOTE-BORG", "goteborg"), ("Xi'an 2", "xian2"), ("Ærø", "aero")],
)
def test_fold_gives_the_key_itself(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("Ho\u0302\u0323i An", "Hoi An"),  # a letter of Latin Extended Additional: ộ
        ("\u1ec7", "e"),  # ệ composed
        ("\u0250\u0301", "\u0250\u0301"),  # U+0250 (IPA, not a Latin block): its accent stays
        ("\u1f00", "\u1f00"),  # Greek Extended: ἀ stays
        ("\u0439", "\u0439"),  # й is a letter of its own
        ("\u0301Kiel", "Kiel"),  # an accent on no letter at all comes off too
    ],
)
def test_accents_come_off_latin_letters_only(text, stripped):
    assert strip_accents(text) == stripped
