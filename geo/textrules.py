"""The rules for text, by Unicode category: the same for the table and the settings.

Text may hold any printable character of any script, markup and emoji included (it is data, and
every output escapes it for where it lands). Rejected everywhere:

- control characters (category Cc: C0, DEL and the C1 range U+0080-U+009F), except that a
  *multi-line* field may hold tab and line breaks (LF, CR, U+2028, U+2029);
- lone surrogates (Cs), which no UTF-8 file can hold and no XML output can carry;
- the 66 Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane),
  which XML 1.0 forbids (an SVG with one is not well-formed).

Refused too, with a code of their own (``field/bidi-control``, ``settings/bidi-control``): the
bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069). They
reorder how the text around them is shown, in every output at once (``Kiel\u202egnp.exe`` shows
as ``Kielexe.png``: the "Trojan Source" spoofing), and right-to-left text needs none of them:
Arabic and Hebrew are shown right to left by their letters alone (:func:`first_bidi`).

Other format characters (Cf: the marks U+200E, U+200F and U+061C, zero-width joiners in emoji,
soft hyphens) and private-use characters are allowed in data; they are escaped where a terminal
shows them (:func:`geo.cli` prints through :func:`terminal_safe`). A text made only of
invisible characters (spaces, zero-width and format characters, fillers) counts as empty
(:func:`visible`).
"""

from __future__ import annotations

import re

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_ALWAYS_BAD = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS
_LINE_BREAKS = "\t\n\r\u2028\u2029"
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates (not the marks)
_BAD = re.compile(f"[{_ALWAYS_BAD}{_LINE_BREAKS}]")
_MULTI_LINE_BAD = re.compile(f"[{_ALWAYS_BAD}]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# Every character a one-line cell may not hold: the validator's one search of a whole row.
SINGLE_LINE_BAD = re.compile(f"[{_ALWAYS_BAD}{_LINE_BREAKS}{BIDI_CONTROLS}]")
MULTI_LINE_BAD = re.compile(f"[{_ALWAYS_BAD}{BIDI_CONTROLS}]")


def describe(char: str) -> str:
    """A character as people can read it in a message: ``U+0085 (a C1 control character)``."""
    code = ord(char)
    if char in _LINE_BREAKS:
        kind = "a tab" if char == "\t" else "a line break"
    elif code < 0x20 or code == 0x7F:
        kind = "a control character"
    elif 0x80 <= code <= 0x9F:
        kind = "a C1 control character"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    else:
        kind = "a Unicode noncharacter"
    return f"U+{code:04X} ({kind})"


def first_bad(text: str, multiline: bool = False) -> tuple[int, str] | None:
    """The position and description of the first control character, lone surrogate or
    noncharacter (the bidirectional controls aside: :func:`first_bidi`), or None."""
    match = (_MULTI_LINE_BAD if multiline else _BAD).search(text)
    if match is None:
        return None
    return match.start(), describe(match.group())


BIDI_NAMES = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


def first_bidi(text: str) -> tuple[int, str] | None:
    """The position and description of the first bidirectional embedding, override or isolate
    control: ``U+202E (RIGHT-TO-LEFT OVERRIDE)``; None if there is none."""
    match = _BIDI.search(text)
    if match is None:
        return None
    return match.start(), f"U+{ord(match.group()):04X} ({BIDI_NAMES[match.group()]})"


# Characters that show nothing though Unicode calls them letters or symbols (fillers, blanks).
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")


def visible(text: str) -> bool:
    """Whether `text` shows anything: False for text made only of spaces, zero-width and other
    format characters (U+200B, U+200D, U+FEFF, U+00AD...) and blank fillers (U+3164)."""
    import unicodedata

    for char in text:  # (a visible character is almost always the first: this returns at once)
        if not (char.isspace() or char in _BLANK or unicodedata.category(char) == "Cf"):
            return True
    return False


# What a terminal must never receive raw: every control character (escape sequences start with
# ESC or the C1 CSI), the bidirectional overrides and isolates that reorder what is shown, and
# lone surrogates (they cannot be encoded for the terminal at all).
_TERMINAL_BAD = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ud800-\udfff" + _NONCHARACTERS + "]"
)


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on shown as ``\\u202e``-style escapes.

    Line feeds stay (messages are lines); everything that could move the cursor, change colours,
    set the window title or reorder the text is made visible instead.
    """
    return _TERMINAL_BAD.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Letters that Unicode does not decompose into a base letter and a mark.
_OWN_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
     "þ": "th", "Þ": "TH", "œ": "oe", "Œ": "OE", "\u0131": "i"}
)  # fmt: skip


def _latin(char: str) -> bool:
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code < 0x1F00


def strip_accents(text: str) -> str:
    """`text` with the accents of Latin letters taken off and letters of their own spelt in
    ASCII: ``Kraków`` gives ``Krakow``, ``Łódź`` ``Lodz``, ``Ærø`` ``AEro``. Other scripts are
    left as they are (й is not и with an accent, but a letter of its own)."""
    if text.isascii():
        return text  # nothing to take off (most names in the gazetteer)
    import unicodedata

    kept, latin = [], True
    for c in unicodedata.normalize("NFKD", text.translate(_OWN_LETTERS)):
        if not unicodedata.combining(c):
            latin = _latin(c)
        elif latin:
            continue
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


def fold(text: str) -> str:
    """The key two spellings of a name share: accents off, case folded, letters and digits
    only: ``Göteborg``, ``GOTEBORG`` and ``Gote-borg`` all give ``goteborg``."""
    return "".join(c for c in strip_accents(text).casefold() if c.isalnum())


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: ``Malmö`` gives ``malmo``,
    ``Jönköping`` ``jonkoping``, ``Łódź`` ``lodz``; letters are transliterated, never dropped."""
    out, hyphen = [], False
    for c in strip_accents(text).lower():
        if c.isascii() and c.isalnum():
            out.append(c)
            hyphen = False
        elif out and not hyphen:
            out.append("-")
            hyphen = True
    return "".join(out).strip("-")
