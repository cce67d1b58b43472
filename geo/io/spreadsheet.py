"""Part of stage 1, read the source: an Excel workbook (.xlsx) as rows of text.

Editors keep the table in a spreadsheet program; this reads the workbook they save, so nobody has
to export a CSV first. Takes the file's bytes and gives the records of the first sheet, each with
its row number, every cell as the text a CSV would hold: numbers as Excel shows them in a
general cell (``2711537``, ``57.707395``), dates as ``YYYY-MM-DD``, empty cells empty. Formulas
give the value Excel last computed; nothing in the workbook is run. :mod:`geo.io.table` turns
the records into rows and checks the header; this module only unpacks the workbook.

openpyxl reads the XML (in read-only, streaming mode); with ``defusedxml`` installed it refuses
entity expansion bombs.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from geo.codes import Problem

ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .xlsm and .ods are zip archives
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls

Record = tuple[int, list[str]]  # (row number, cells as text)


def looks_like_workbook(data: bytes) -> bool:
    """Whether the bytes are a zip archive (an .xlsx workbook) rather than text."""
    return data.startswith(ZIP_MAGIC)


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV saved by Excel would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _unreadable(where: str, reason: str) -> Problem:
    reason = " ".join(reason.split())  # one line, however the library words it
    reason = reason if len(reason) <= 160 else reason[:159] + "…"
    return Problem(
        "file/unreadable-workbook",
        f"the file cannot be read as an Excel workbook ({reason})",
        where,
        expected="an .xlsx workbook with the table on its first sheet, or a CSV file",
        hint="Open it in the spreadsheet program and save it again as 'Excel Workbook (.xlsx)' "
        "or 'CSV UTF-8'.",
    )


def load_workbook_records(data: bytes, where: str) -> tuple[list[Record], list[Problem]]:
    """The first sheet's rows of an .xlsx workbook, as text, with the problems met."""
    from openpyxl import load_workbook  # only when a workbook is read

    problems: list[Problem] = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        reason = "not a workbook" if isinstance(exc, KeyError) else str(exc) or type(exc).__name__
        return [], [_unreadable(where, reason)]
    except Exception as exc:  # openpyxl's InvalidFileException and XML parse errors
        return [], [_unreadable(where, f"{type(exc).__name__}: {exc}")]
    try:
        sheets = book.worksheets
        if not sheets:
            return [], [_unreadable(where, "it has no sheet")]
        if len(sheets) > 1:
            problems.append(
                Problem(
                    "file/other-sheets",
                    f"the workbook has {len(sheets)} sheets; only the first, "
                    f"{sheets[0].title!r}, is read",
                    where,
                    hint="Keep the table on the first sheet; notes may go on the others.",
                )
            )
        try:
            records = list(_records(sheets[0]))
        except Exception as exc:  # a damaged sheet inside a valid zip
            return [], [_unreadable(where, f"{type(exc).__name__}: {exc}")]
    finally:
        book.close()
    return records, problems


def _records(sheet: Any) -> Iterator[Record]:
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = [cell_text(v) for v in values]
        while cells and cells[-1] == "":  # a workbook's used range often runs past the table
            cells.pop()
        yield number, cells
