"""Part of stage 1, read the source: the table's bytes as text, in the encoding they were saved in.

UTF-8 is the rule; a byte-order mark (Excel's 'CSV UTF-8') is a note. A file that is not UTF-8
but decodes as Windows-1252 (Excel's plain 'CSV' in Swedish and other Western European
locales) is read as such with a warning that shows the letters as read, so a person can see
whether they came out right; any other encoding is chosen by name. UTF-16 (Excel's 'Unicode
Text') gets advice instead.
"""

from __future__ import annotations

import codecs
import re

from geo.codes import Problem

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_NON_ASCII_WORD = re.compile(r'[^\s,;"]*[^\x00-\x7f][^\s,;"]*')
FALLBACK = "cp1252"  # Windows-1252: what Excel writes for 'CSV' in Western European locales


def check_encoding(name: str) -> str:
    """The codec's canonical name (``cp1252`` for ``Windows-1252``); ValueError if unknown."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None
    return "utf-8" if canonical in ("utf-8", "utf-8-sig") else canonical


def _chosen(data: bytes, encoding: str, where: str, problems: list[Problem]) -> str | None:
    """Decode with the encoding the user named; a warning says so."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        problems.append(_not_decodable(data, exc, where, encoding))
        return None
    also = ""
    if not data.isascii() and _is_utf8(data):
        also = "; the file is also valid UTF-8, which may be what it is"
    problems.append(
        Problem(
            "file/other-encoding",
            f"the file was read as {encoding}, as chosen{also}; words with letters outside "
            f"ASCII read as {_sample(text)}",
            where,
            line=1,
            hint="If these letters look wrong, name another encoding; 'CSV UTF-8' needs none.",
        )
    )
    return text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _sample(text: str) -> str:
    """Up to five words with letters outside ASCII, as read, for a person to check."""
    words = dict.fromkeys(m.group()[:30] for m in _NON_ASCII_WORD.finditer(text))
    return ", ".join(list(words)[:5]) or "nothing (there are none)"


def _not_decodable(data: bytes, exc: UnicodeDecodeError, where: str, encoding: str) -> Problem:
    line = data[: exc.start].count(b"\n") + 1
    bad = data[exc.start : exc.start + 1]
    if encoding == "utf-8":
        what = f"byte {bad!r} at offset {exc.start} is neither UTF-8 nor Windows-1252"
        hint = (
            "Re-save the file as 'CSV UTF-8', or name its encoding (geo validate --encoding, "
            "or `encoding` in the [source] settings)."
        )
    else:
        what = f"byte {bad!r} at offset {exc.start} is not {encoding}"
        hint = "Name the encoding the file was saved in, or re-save it as 'CSV UTF-8'."
    return Problem(
        "file/encoding",
        what,
        where,
        line=line,
        expected="UTF-8 text" if encoding == "utf-8" else f"{encoding} text",
        hint=hint,
    )


def decode(data: bytes, where: str, problems: list[Problem], encoding: str | None) -> str | None:
    """The file's text: UTF-8 (a byte-order mark is a note), Windows-1252 when it is not UTF-8
    but decodes as such (a warning), or the encoding chosen."""
    if data.startswith(UTF16_BOMS):
        problems.append(
            Problem(
                "file/encoding",
                "the file is UTF-16, as Excel's 'Unicode Text' writes",
                where,
                line=1,
                expected="UTF-8 text (CSV) or an .xlsx workbook",
                hint="Save it as 'CSV UTF-8' or as 'Excel Workbook (.xlsx)'.",
            )
        )
        return None
    if data.startswith(BOM):
        problems.append(
            Problem(
                "file/bom",
                "the file starts with a byte-order mark, as Excel's 'CSV UTF-8' writes; "
                "it is read as UTF-8",
                where,
                line=1,
            )
        )
        data = data[len(BOM) :]
    if encoding is not None and encoding != "utf-8":
        return _chosen(data, encoding, where, problems)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode(FALLBACK)
        except UnicodeDecodeError:
            problems.append(_not_decodable(data, exc, where, "utf-8"))
            return None
        problems.append(
            Problem(
                "file/other-encoding",
                "the file is not UTF-8; it was read as Windows-1252, as Excel saves "
                "'CSV (semicolon-separated)'; words with letters outside ASCII read as "
                f"{_sample(text)}",
                where,
                line=data[: exc.start].count(b"\n") + 1,
                hint="If these letters look wrong, name the encoding; save as 'CSV UTF-8' to be "
                "sure.",
            )
        )
        return text
