"""The rules for text, by Unicode category: the same for the table and the settings.

Text may hold any printable character of any script, markup and emoji included (it is data, and
every output escapes it for where it lands). Rejected everywhere:

- control characters (category Cc: C0, DEL and the C1 range U+0080-U+009F), except that a
  *multi-line* field may hold tab and line breaks (LF, CR, U+2028, U+2029);
- lone surrogates (Cs), which no UTF-8 file can hold and no XML output can carry;
- the 66 Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane),
  which XML 1.0 forbids (an SVG with one is not well-formed).

Format characters (Cf: bidirectional marks, zero-width joiners in emoji, soft hyphens) and
private-use characters are allowed in data; they are escaped where a terminal shows them
(:func:`geo.cli` prints through :func:`terminal_safe`).
"""

from __future__ import annotations

import re

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_ALWAYS_BAD = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS
_LINE_BREAKS = "\t\n\r\u2028\u2029"
SINGLE_LINE_BAD = re.compile(f"[{_ALWAYS_BAD}{_LINE_BREAKS}]")
MULTI_LINE_BAD = re.compile(f"[{_ALWAYS_BAD}]")


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
    """The position and description of the first character the rules reject, or None."""
    match = (MULTI_LINE_BAD if multiline else SINGLE_LINE_BAD).search(text)
    if match is None:
        return None
    return match.start(), describe(match.group())


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
