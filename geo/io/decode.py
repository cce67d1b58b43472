"""Part of stage 1, read the source: the table's bytes as text, in the encoding they were saved in.

UTF-8 is the rule; a byte-order mark (Excel's 'CSV UTF-8') is a note. A file that is not UTF-8
but decodes as Windows-1252 (Excel's plain 'CSV' in Swedish and other Western European
locales) is read as such with a warning that shows the letters as read, so a person can see
whether they came out right; any other encoding is chosen by name. UTF-16 (Excel's 'Unicode
Text') gets advice instead.

The file is never decoded as a whole: :func:`choose` checks it a megabyte at a time and
:func:`open_text` gives the reader a text stream, so that a table of hundreds of megabytes
does not stand in memory as text (four bytes a character once one emoji is in it).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from geo.codes import Problem

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_NON_ASCII_WORD = re.compile(r'[^\s,;"]*[^\x00-\x7f][^\s,;"]*')
FALLBACK = "cp1252"  # Windows-1252: what Excel writes for 'CSV' in Western European locales
CHUNK = 1 << 20  # bytes decoded at a time
SAMPLES = 5  # words shown in the warning of a file read in another encoding


def check_encoding(name: str) -> str:
    """The codec's canonical name (``cp1252`` for ``Windows-1252``); ValueError if unknown."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None
    return "utf-8" if canonical in ("utf-8", "utf-8-sig") else canonical


@dataclass(frozen=True)
class Refusal:
    """Where a file stops decoding: the byte's offset, the byte, and its line."""

    offset: int
    byte: bytes
    line: int


def _chunks(fp: BinaryIO, start: int) -> Iterator[bytes]:
    fp.seek(start)
    while chunk := fp.read(CHUNK):
        yield chunk


def _check(
    fp: BinaryIO, start: int, codec: str, samples: list[str] | None = None
) -> Refusal | None:
    """Decode the file from `start` with `codec`, a chunk at a time; None if all of it decodes,
    else where it stops. Words with letters outside ASCII are put in `samples` (up to five)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    fed, lines = start, 1  # bytes given to the decoder so far; line of the next byte
    for chunk in [*_chunks(fp, start), b""]:
        held = decoder.getstate()[0] if hasattr(decoder, "getstate") else b""
        held = held if isinstance(held, bytes) else b""
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            data = held + chunk
            line = lines + data[: exc.start].count(b"\n") - held.count(b"\n")
            return Refusal(fed - len(held) + exc.start, data[exc.start : exc.start + 1], line)
        except UnicodeError:  # a codec that cannot say where (UTF-16 without its mark)
            return Refusal(fed, chunk[:1], lines)
        fed += len(chunk)
        lines += chunk.count(b"\n")
        if samples is not None and len(samples) < SAMPLES and not text.isascii():
            for word in _NON_ASCII_WORD.finditer(text):
                if word.group()[:30] not in samples and len(samples) < SAMPLES:
                    samples.append(word.group()[:30])
    return None


def _sample(samples: list[str]) -> str:
    """Up to five words with letters outside ASCII, as read, for a person to check."""
    return ", ".join(samples) or "nothing (there are none)"


def _not_decodable(at: Refusal, where: str, encoding: str) -> Problem:
    if encoding == "utf-8":
        what = f"byte {at.byte!r} at offset {at.offset} is neither UTF-8 nor Windows-1252"
        hint = (
            "Re-save the file as 'CSV UTF-8', or name its encoding (geo validate --encoding, "
            "or `encoding` in the [source] settings)."
        )
    else:
        what = f"byte {at.byte!r} at offset {at.offset} is not {encoding}"
        hint = "Name the encoding the file was saved in, or re-save it as 'CSV UTF-8'."
    return Problem(
        "file/encoding",
        what,
        where,
        line=at.line,
        expected="UTF-8 text" if encoding == "utf-8" else f"{encoding} text",
        hint=hint,
    )


def choose(
    fp: BinaryIO, where: str, problems: list[Problem], encoding: str | None
) -> tuple[str, int] | None:
    """The codec the file's text is read with and where the text starts (after a byte-order
    mark), the file checked in full: UTF-8 (a byte-order mark is a note), Windows-1252 when it
    is not UTF-8 but decodes as such (a warning), or the encoding chosen. None, with the
    problem, when the text cannot be read. `fp` must be seekable."""
    fp.seek(0)
    first = fp.read(len(BOM))
    if first.startswith(UTF16_BOMS):
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
    start = 0
    if first == BOM:
        problems.append(
            Problem(
                "file/bom",
                "the file starts with a byte-order mark, as Excel's 'CSV UTF-8' writes; "
                "it is read as UTF-8",
                where,
                line=1,
            )
        )
        start = len(BOM)
    if encoding is not None and encoding != "utf-8":
        return _chosen(fp, start, encoding, where, problems)
    refused = _check(fp, start, "utf-8")
    if refused is None:
        return "utf-8", start
    samples: list[str] = []
    if _check(fp, start, FALLBACK, samples) is not None:
        problems.append(_not_decodable(refused, where, "utf-8"))
        return None
    problems.append(
        Problem(
            "file/other-encoding",
            "the file is not UTF-8; it was read as Windows-1252, as Excel saves "
            "'CSV (semicolon-separated)'; words with letters outside ASCII read as "
            f"{_sample(samples)}",
            where,
            line=refused.line,
            hint="If these letters look wrong, name the encoding; save as 'CSV UTF-8' to be sure.",
        )
    )
    return FALLBACK, start


def _chosen(
    fp: BinaryIO, start: int, encoding: str, where: str, problems: list[Problem]
) -> tuple[str, int] | None:
    """The encoding the user named, checked; a warning says so."""
    samples: list[str] = []
    refused = _check(fp, start, encoding, samples)
    if refused is not None:
        problems.append(_not_decodable(refused, where, encoding))
        return None
    ascii_only = all(chunk.isascii() for chunk in _chunks(fp, start))
    also = ""
    if not ascii_only and _check(fp, start, "utf-8") is None:
        also = "; the file is also valid UTF-8, which may be what it is"
    problems.append(
        Problem(
            "file/other-encoding",
            f"the file was read as {encoding}, as chosen{also}; words with letters outside "
            f"ASCII read as {_sample(samples)}",
            where,
            line=1,
            hint="If these letters look wrong, name another encoding; 'CSV UTF-8' needs none.",
        )
    )
    return encoding, start


def open_text(fp: BinaryIO, codec: str, start: int) -> TextIO:
    """The file's text from `start` as a stream (lines as they are: ``newline=""``); detach
    it when done, or closing it closes `fp`."""
    fp.seek(start)
    return io.TextIOWrapper(fp, encoding=codec, errors="strict", newline="")  # type: ignore[arg-type]
