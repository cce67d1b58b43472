"""Part of stage 1 and of the writer: the table's bytes made again, in the form it was saved in.

``geo edit`` saves the table where it lives, in the form the editors' spreadsheet program gave
it, so that a save shows in ``git diff`` as the cells that changed and nothing else. The form
(:class:`Form`) is read from the file's bytes with the reader's own rules (:mod:`geo.io.table`:
:func:`~geo.io.table.sniff_delimiter`, the byte-order mark and the encoding of
:mod:`geo.io.decode`): for a CSV its separator, its decimal mark in the number columns (a decimal
comma where Excel writes semicolons), the byte-order mark, the line ending, whether every cell is
quoted and whether the last line ends; for a workbook, the workbook itself, whose first sheet
gets the new cells (its other sheets, styles and widths are kept; see :func:`workbook_bytes`).

:func:`table_bytes` is pure: rows of text in, bytes out. The bytes reach the disk only through
:func:`geo.io.write.write_files` (written aside, renamed into place).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from geo.codes import Problem
from geo.io.decode import BOM, FALLBACK, check_encoding
from geo.io.spreadsheet import cell_text, looks_like_workbook
from geo.io.table import DECIMAL_COMMA, NUMBER_COLUMNS, sniff_delimiter
from geo.schema import BY_NAME

DECIMAL_POINT = re.compile(r"[+-]?\d+\.\d+")
LINE_END = re.compile(r"\r\n|\n|\r")
NUMERIC = ("integer", "number")
FORMULA_START = ("=", "+", "-", "@")  # what a spreadsheet would take for a formula


@dataclass(frozen=True)
class Form:
    """How a table file is written: a CSV's dialect, or a workbook."""

    workbook: bool = False
    delimiter: str = ","
    decimal_comma: bool = False  # number columns written 57,7 (Excel's CSV with semicolons)
    bom: bool = False
    newline: str = "\n"
    encoding: str = "utf-8"
    quote_all: bool = False
    final_newline: bool = True

    def describe(self) -> str:
        """In words, for the editor's page: ``CSV, semicolons, decimal comma, BOM, CRLF``."""
        if self.workbook:
            return "Excel workbook (.xlsx)"
        parts = ["CSV", {",": "commas", ";": "semicolons"}[self.delimiter]]
        parts += ["decimal comma"] * self.decimal_comma + ["byte-order mark"] * self.bom
        parts.append({"\r\n": "CRLF", "\n": "LF", "\r": "CR"}[self.newline])
        return ", ".join([*parts, self.encoding])


def _encoding_of(data: bytes, chosen: str | None) -> str:
    """The encoding the reader reads `data` in (:func:`geo.io.decode.decode`'s choice)."""
    encoding = check_encoding(chosen) if chosen else "utf-8"
    if encoding != "utf-8":
        return encoding
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return FALLBACK
    return "utf-8"


def form_of(data: bytes, encoding: str | None = None) -> Form:
    """The form of a table file, from its bytes (`encoding` as chosen for the reader)."""
    if looks_like_workbook(data):
        return Form(workbook=True)
    bom = data.startswith(BOM)
    body = data[len(BOM) :] if bom else data
    chosen = _encoding_of(body, encoding)
    text = body.decode(chosen, errors="replace")
    delimiter = sniff_delimiter(text, "", []) or ","
    end = LINE_END.search(text)
    first = text[: end.start()] if end else text
    heads = first.split(delimiter)
    quote_all = bool(first) and all(len(h) > 1 and h[0] == h[-1] == '"' for h in heads)
    commas = points = 0
    if delimiter == ";":
        rows = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for row in rows:
                for name in NUMBER_COLUMNS:
                    cell = (row.get(name) or "").strip()
                    commas += bool(DECIMAL_COMMA.fullmatch(cell))
                    points += bool(DECIMAL_POINT.fullmatch(cell))
        except csv.Error:
            pass  # a malformed file: the reader reports it; the header decides the rest
    return Form(
        delimiter=delimiter,
        decimal_comma=delimiter == ";" and commas >= points,
        bom=bom,
        newline=end.group() if end else "\n",
        encoding=chosen,
        quote_all=quote_all,
        final_newline=text.endswith(("\n", "\r")) or not text,
    )


def unencodable(
    header: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    form: Form,
    where: str,
    lines: Sequence[int | None] = (),
) -> list[Problem]:
    """A problem for each cell holding a character the file's encoding cannot hold (`lines`:
    the line each row is on, where known)."""
    if form.workbook or form.encoding == "utf-8":
        return []
    problems = []
    for index, row in enumerate(rows):
        line = lines[index] if index < len(lines) else None
        for name in header:
            text = row.get(name, "")
            try:
                text.encode(form.encoding)
            except UnicodeEncodeError as exc:
                problems.append(
                    Problem(
                        "file/cannot-encode",
                        f"`{name}` holds {text[exc.start]!r}, which {form.encoding} cannot hold",
                        where,
                        line=line,
                        place_id=(row.get("id") or "").strip() or None,
                        field=name,
                        expected=f"letters of the file's encoding, {form.encoding}",
                        hint="Remove the character, or save the table as 'CSV UTF-8' in the "
                        "spreadsheet program, which holds every letter.",
                    )
                )
    return problems


def _decimal(name: str, cell: str, form: Form) -> str:
    if form.decimal_comma and name in NUMBER_COLUMNS and DECIMAL_POINT.fullmatch(cell.strip()):
        return cell.strip().replace(".", ",")
    return cell


def _quoted(cell: str, form: Form) -> str:
    """A cell as RFC 4180 writes it: in double quotes (a quote doubled) where it holds the
    separator, a quote or a line break (a lone CR too, which Python's csv module leaves bare
    before 3.12 when lines end in LF, so the cell would read back empty)."""
    if form.quote_all or any(c in cell for c in (form.delimiter, '"', "\r", "\n")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_bytes(
    header: Sequence[str], rows: Iterable[Mapping[str, str]], form: Form, errors: str = "strict"
) -> bytes:
    """The CSV in `form`; UnicodeEncodeError if a cell cannot be encoded (see
    :func:`unencodable`) unless `errors` says otherwise (``replace``: a draft to check)."""
    lines = [form.delimiter.join(_quoted(name, form) for name in header)]
    for row in rows:
        cells = [_quoted(_decimal(name, row.get(name, ""), form), form) for name in header]
        line = form.delimiter.join(cells)
        lines.append(line if line or len(header) > 1 else '""')  # (a lone empty cell)
    text = form.newline.join(lines) + (form.newline if form.final_newline else "")
    return (BOM if form.bom else b"") + text.encode(form.encoding, errors)


def _typed(name: str, text: str, like: Any) -> Any:
    """The cell value for `text`: of the kind the cell held before (`like`), else of the
    column's type; text that does not parse as such stays text."""
    column = BY_NAME.get(name)
    if text == "":
        return None
    kind = type(like) if like is not None else None
    if kind is str or (kind is None and (column is None or column.type == "string")):
        return text
    try:
        if kind is datetime or (kind is None and column is not None and column.type == "date"):
            return datetime.combine(date.fromisoformat(text), datetime.min.time())
        if kind in (int, float) or (column is not None and column.type in NUMERIC):
            number = float(text)
            is_whole = number.is_integer() and re.fullmatch(r"[+-]?\d+", text.strip())
            return int(number) if is_whole else number
    except ValueError:
        pass
    return text


def _put(sheet: Any, row: int, col: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: never a formula or an error value
        cell.quotePrefix = value.startswith(FORMULA_START)
    elif isinstance(value, datetime) and not cell.is_date:
        cell.number_format = "yyyy-mm-dd"


def workbook_bytes(
    original: bytes, header: Sequence[str], rows: Sequence[Mapping[str, str]]
) -> bytes:
    """The workbook `original` with the table on its first sheet replaced by `rows`.

    The header row stays where it was (new columns to its right); the places follow it, one
    row each, and rows left over below are removed. Each cell keeps the kind it had (a number,
    a date or text); a new cell takes its column's type. The other sheets, styles and widths
    are kept, but openpyxl keeps no charts or images, and formulas on the first sheet become
    the values they showed (the table is data; a formula elsewhere is recomputed when opened).
    """
    from openpyxl import load_workbook  # only for a workbook

    book = load_workbook(io.BytesIO(original))
    sheet = book.worksheets[0]
    start = next(
        (r[0].row for r in sheet.iter_rows() if any(cell_text(c.value).strip() for c in r)), 1
    )
    columns = {
        cell_text(c.value).strip(): c.column for c in sheet[start] if cell_text(c.value).strip()
    }
    last = max(columns.values(), default=0)
    for name in header:
        if name not in columns:
            last += 1
            columns[name] = last
            _put(sheet, start, last, name)
    for offset, row in enumerate(rows, start=1):
        for name in header:
            col = columns[name]
            like = sheet.cell(row=start + offset, column=col).value
            if like is None:  # a new cell: of the kind of the one above it
                like = sheet.cell(row=start + offset - 1, column=col).value if offset > 1 else None
            _put(sheet, start + offset, col, _typed(name, row.get(name, ""), like))
    below = start + len(rows) + 1
    if sheet.max_row >= below:
        sheet.delete_rows(below, sheet.max_row - below + 1)
    book.calculation.fullCalcOnLoad = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_bytes(
    original: bytes,
    form: Form,
    header: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    errors: str = "strict",
) -> bytes:
    """The table file holding `rows` under `header`, in the form of `original`."""
    if form.workbook:
        return workbook_bytes(original, header, rows)
    return csv_bytes(header, rows, form, errors)
