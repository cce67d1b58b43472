"""Part of stage 1, read the source: an Excel workbook (.xlsx) as rows of text.

Editors keep the table in a spreadsheet program; this reads the workbook they save, so nobody has
to export a CSV first. Takes the file (or its bytes) and gives the records of the first sheet,
each with its row number, every cell as the text a CSV would hold: numbers as Excel shows them
in a general cell (``2711537``, ``57.707395``), dates as ``YYYY-MM-DD``, empty cells empty.
Formulas give the value Excel last computed; nothing in the workbook is run. :mod:`geo.io.table`
turns the records into rows and checks the header; this module only unpacks the workbook.

openpyxl reads the XML (in read-only, streaming mode); with ``defusedxml`` installed it refuses
entity expansion bombs. Every row that is there is read: the sheet's declared ``<dimension>``
is ignored (writers other than Excel often leave a wrong one, and openpyxl's streaming mode
would stop at it, dropping rows), up to the format's own limit of rows. What the streaming
mode does not say is found by one pass of :mod:`geo.io.sheetscan` over the sheet's XML: merged
cells, formulas never calculated (no value saved), error values. A hidden first sheet is
said to be hidden.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from datetime import date, datetime, time
from typing import Any, BinaryIO

from geo.codes import Problem
from geo.io.own import megabytes

ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .xlsm and .ods are zip archives
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls

Record = tuple[int, list[str]]  # (row number, cells as text)
MAX_ROWS = 1_048_576  # rows of a sheet: the .xlsx format's own limit (Excel's)
CELL_LIMIT = 32_767  # characters of a cell: the most a spreadsheet cell holds (Excel's)
STATES = {"hidden": "hidden", "veryHidden": "very hidden (only a macro can show it)"}


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


def _unpacked_size(source: BinaryIO, where: str, limit: int | None) -> Problem | None:
    """A problem if the workbook's parts, unpacked, are larger than `limit` bytes (a small zip
    can hold gigabytes of XML); the sizes are those the archive declares, which is also as much
    as it can give when read."""
    if limit is None:
        return None
    try:
        with zipfile.ZipFile(source) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # openpyxl says what is wrong with it
    finally:
        source.seek(0)
    if size <= limit:
        return None
    return Problem(
        "file/too-large",
        f"the workbook holds {megabytes(size)} once unpacked",
        where,
        expected=f"at most {megabytes(limit)}, the size limit (`max_megabytes` in the [source] "
        "settings)",
        hint="Save the table as 'CSV UTF-8', or raise the limit if it is really this large.",
    )


def load_workbook_records(
    data: bytes | BinaryIO, where: str, problems: list[Problem], limit: int | None = None
) -> list[Record]:
    """The first sheet's rows of an .xlsx workbook (its bytes or the open file), as text; the
    problems met are added to `problems`. `limit`: the most bytes its parts may unpack to."""
    from openpyxl import load_workbook  # only when a workbook is read

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    too_large = _unpacked_size(source, where, limit)
    if too_large is not None:
        problems.append(too_large)
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles it skips: not our news
            book = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        reason = "not a workbook" if isinstance(exc, KeyError) else str(exc) or type(exc).__name__
        problems.append(_unreadable(where, reason))
        return []
    except Exception as exc:  # openpyxl's InvalidFileException and XML parse errors
        problems.append(_unreadable(where, f"{type(exc).__name__}: {exc}"))
        return []
    try:
        sheets = book.worksheets
        if not sheets:
            problems.append(_unreadable(where, "it has no sheet"))
            return []
        sheet = sheets[0]
        _say_which_sheet(sheets, where, problems)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # (a date out of range: an error value below)
                records = _records(sheet, where, problems)
        except Exception as exc:  # a damaged sheet inside a valid zip
            problems.append(_unreadable(where, f"{type(exc).__name__}: {exc}"))
            return []
    finally:
        book.close()
    if not any(p.is_error for p in problems):
        from geo.io.sheetscan import scan_first_sheet

        problems.extend(scan_first_sheet(source, where, records))
    return records


def _say_which_sheet(sheets: list[Any], where: str, problems: list[Problem]) -> None:
    """A note when there are other sheets; an error when the one read is hidden."""
    first = sheets[0]
    if len(sheets) > 1:
        problems.append(
            Problem(
                "file/other-sheets",
                f"the workbook has {len(sheets)} sheets; only the first, {first.title!r}, is read",
                where,
                hint="Keep the table on the first sheet; notes may go on the others.",
            )
        )
    state = getattr(first, "sheet_state", "visible")
    if state in STATES:
        visible = [s.title for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]
        problems.append(
            Problem(
                "file/hidden-sheet",
                f"the sheet read, the first one, {first.title!r}, is {STATES[state]}: the "
                "spreadsheet program does not show it, yet its rows would be published",
                where,
                expected="the table on the first sheet, visible",
                hint=(f"The first visible sheet is {visible[0]!r}. " if visible else "")
                + "Show the hidden sheet (right-click a sheet's tab, Unhide) and check it, or "
                "move the table to the first sheet.",
            )
        )


def _records(sheet: Any, where: str, problems: list[Problem]) -> list[Record]:
    """Every row of the sheet as text, whatever its declared dimension says, up to MAX_ROWS."""
    from openpyxl.utils import get_column_letter

    sheet.reset_dimensions()  # the declared <dimension> may be stale: read to the last row
    records: list[Record] = []
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if number > MAX_ROWS:
            problems.append(
                Problem(
                    "file/too-many-rows",
                    f"the sheet has rows beyond row {MAX_ROWS:,}; the rest was not read",
                    where,
                    line=number,
                    expected=f"at most {MAX_ROWS:,} rows, the most an .xlsx sheet holds",
                    hint="Delete the rows below the table (a stray value far down makes them "
                    "count), or save the table as 'CSV UTF-8'.",
                )
            )
            break
        cells = [cell_text(v) for v in values]
        while cells and cells[-1] == "":  # a workbook's used range often runs past the table
            cells.pop()
        for column, cell in enumerate(cells, start=1):
            if len(cell) > CELL_LIMIT:
                problems.append(
                    Problem(
                        "file/cell-too-long",
                        f"cell {get_column_letter(column)}{number} is {len(cell):,} characters "
                        "long",
                        where,
                        line=number,
                        expected=f"at most {CELL_LIMIT:,}, the most a spreadsheet cell holds",
                    )
                )
                cells[column - 1] = ""
        records.append((number, cells))
    return records
