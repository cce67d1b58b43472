"""Stage 1, read the source: the curated table, from bytes to rows of text.

Takes the table's bytes and gives the header and one :class:`RawRow` per record, with the
problems of the file itself: encoding, byte-order mark, separator, quoting, header and cell
counts. It reads what a spreadsheet program saves: comma-separated UTF-8, Excel's 'CSV UTF-8'
(a byte-order mark), semicolon-separated files with decimal commas (recognised from the header;
the comma is read as a decimal point in the number columns, and only there), Windows-1252
(:mod:`geo.io.decode`) and .xlsx workbooks (:mod:`geo.io.spreadsheet`). The same table in any
of these forms gives the same rows. The header is checked against the project's
:class:`~geo.schema.Schema` (its languages' columns); the values are judged by :mod:`geo.validate`.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from geo.codes import Problem
from geo.config import MAX_MEGABYTES
from geo.errors import NotAFileError, SourceError
from geo.io import decode
from geo.io.decode import BOM
from geo.io.own import megabytes, open_input
from geo.io.rows import RawRow, Rows
from geo.io.spreadsheet import CELL_LIMIT, OLE_MAGIC, ZIP_MAGIC
from geo.schema import ALIASES, EVERY, Schema

__all__ = ["BOM", "RawRow", "Table", "load_table", "read_table", "sniff_delimiter"]

# A line longer than this holds a cell over CELL_LIMIT (or is no table): refused, not read whole.
LINE_LIMIT = CELL_LIMIT * len(EVERY.columns) * 2

DELIMITERS = (",", ";")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon"}
NUMBER_COLUMNS = tuple(c.name for c in EVERY.columns if c.type == "number")
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


@dataclass(frozen=True)
class Table:
    """What reading gave: header, rows and the problems met on the way."""

    where: str
    header: tuple[str, ...]
    rows: Sequence[RawRow]  # a compact Rows when read from a file
    problems: tuple[Problem, ...]


def _cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def sniff_delimiter(text: str, where: str, problems: list[Problem]) -> str | None:
    """`,` or `;` (Excel's CSV where the decimal mark is a comma), from the header line: the
    separator between more of our column names, or, where no name is known, the only one that
    splits the header; None when the header mixes them."""
    first = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    cells = {d: _cells(first, d) for d in DELIMITERS}
    known = {d: sum(c.strip() in EVERY.by_name for c in cells[d]) for d in DELIMITERS}
    only_semicolons = len(cells[","]) == 1 and len(cells[";"]) >= 3
    if known[","] >= 2 and known[";"] >= 2:
        problems.append(
            Problem(
                "file/ambiguous-separator",
                f"the header has {known[',']} column names between commas and "
                f"{known[';']} between semicolons",
                where,
                line=1,
                expected="one separator throughout: commas, or semicolons as Excel writes in "
                "Swedish",
                hint="Open the file in the spreadsheet program and save it again as 'CSV UTF-8'.",
            )
        )
        return None
    if known[";"] > known[","] or (known[";"] == known[","] and only_semicolons):
        problems.append(
            Problem(
                "file/semicolon-separated",
                "the file is separated by semicolons, as Excel writes CSV where the decimal "
                "mark is a comma; decimal commas in `lon` and `lat` are read as points",
                where,
                line=1,
            )
        )
        return ";"
    return ","


def _visible(name: str) -> str:
    """A column name on one line: a line break or other control character shown escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def _check_header(header: list[str], where: str, problems: list[Problem], of: Schema) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                Problem(
                    "header/repeated-column",
                    f"column `{_visible(name)}` appears more than once",
                    where,
                    line=1,
                    field=name,
                    expected="each column once",
                    hint="Delete or rename the second one.",
                )
            )
        seen.add(name)
        if name not in of.by_name:
            close = [ALIASES[name.lower()]] if name.lower() in ALIASES else []
            close = close or difflib.get_close_matches(name, of.names, n=1)
            problems.append(
                Problem(
                    "header/unknown-column",
                    f"unknown column `{_visible(name)}`",
                    where,
                    line=1,
                    field=name,
                    expected="one of " + ", ".join(of.names),
                    hint=f"Did you mean `{close[0]}`?" if close else _unknown_hint(name),
                )
            )
    for name in of.header_required:
        if name not in seen:
            problems.append(
                Problem(
                    "header/missing-column",
                    f"missing required column `{name}`",
                    where,
                    line=1,
                    field=name,
                    expected="columns " + ", ".join(of.header_required),
                    hint="Add the column (it may be empty where the field allows it).",
                )
            )


def _unknown_hint(name: str) -> str:
    """What to do with an unknown column; a column of a language the pages are not in says so."""
    if name in EVERY.by_name:
        return "Add its language to `languages` in [output] of the settings, or remove it."
    return "Remove it or fix its name."


def _empty(where: str) -> Problem:
    return Problem(
        "file/empty",
        "the file is empty",
        where,
        expected="a header line and one row per place",
        hint="Start from the shipped data/places.csv, or make a folder with `geo init`.",
    )


def _decimal_points(record: list[str], columns: list[int]) -> None:
    """In a `;` file, `57,7` in a number column means 57.7 (and only there)."""
    for i in columns:
        cell = record[i]
        if DECIMAL_COMMA.fullmatch(cell.strip()):
            record[i] = cell.strip().replace(",", ".")


class _Rows:
    """Turns records (a line number and its cells) into rows under the header, with problems."""

    def __init__(
        self, where: str, problems: list[Problem], of: Schema, padded: bool = False
    ) -> None:
        self.where, self.problems, self.padded, self.schema = where, problems, padded, of
        self.header: list[str] = []
        self.rows = Rows(())
        self._number_columns: list[int] = []

    def add(self, line: int, record: list[str], decimal_comma: bool = False) -> None:
        if not self.header:
            self.header = [h.strip() for h in record]
            _check_header(self.header, self.where, self.problems, self.schema)
            self.rows = Rows.under(self.header)
            self._number_columns = [i for i, n in enumerate(self.header) if n in NUMBER_COLUMNS]
            return
        if not any(cell.strip() for cell in record):
            return  # a blank line is not a place
        if self.padded and len(record) < len(self.header):  # a sheet's empty cells at the end
            record = record + [""] * (len(self.header) - len(record))
        if len(record) != len(self.header):
            more = len(record) > len(self.header)
            self.problems.append(
                Problem(
                    "row/extra-cells" if more else "row/missing-cells",
                    f"the row has {len(record)} cells",
                    self.where,
                    line=line,
                    place_id=record[0].strip() or None,
                    expected=f"{len(self.header)}, one per column of the header",
                    hint="A comma inside a value needs the value in double quotes."
                    if more and not self.padded
                    else "Delete the cells right of the table."
                    if more
                    else "Add empty cells for the empty fields.",
                )
            )
            return
        if decimal_comma:
            _decimal_points(record, self._number_columns)
        self.rows.add(line, record)

    def table(self) -> Table:
        return Table(self.where, tuple(self.header), self.rows, tuple(self.problems))


def load_workbook_table(
    data: bytes | BinaryIO, where: str, of: Schema = EVERY, limit: int | None = None
) -> Table:
    """Parse the table from an .xlsx workbook (its bytes, or the open file): its first sheet.
    `limit`: the most bytes the workbook's parts may unpack to."""
    from geo.io.spreadsheet import load_workbook_records

    rows = _Rows(where, [], of, padded=True)
    records = load_workbook_records(data, where, rows.problems, limit)
    for line, record in records:
        if rows.header or any(cell.strip() for cell in record):
            rows.add(line, record)
    if not rows.header and not any(p.is_error for p in rows.problems):
        rows.problems.append(_empty(where))
    return rows.table()


def load_table(data: bytes, where: str, encoding: str | None = None, of: Schema = EVERY) -> Table:
    """Parse the table from its bytes: CSV (UTF-8, or Windows-1252 recognised or `encoding`
    chosen; comma- or semicolon-separated) or an .xlsx workbook; its header checked against the
    columns of `of` (the project's schema; by default any language's columns are known). Never
    raises for bad content: problems are returned."""
    return load_table_file(io.BytesIO(data), where, encoding, of)


def load_table_file(
    fp: BinaryIO,
    where: str,
    encoding: str | None = None,
    of: Schema = EVERY,
    limit: int | None = None,
) -> Table:
    """:func:`load_table` from an open, seekable file, read a megabyte at a time: the file is
    never held in memory whole, as bytes or as text. `limit`: the size limit in bytes (what a
    workbook may unpack to; a CSV's own size was checked when it was opened)."""
    first = fp.read(len(OLE_MAGIC))
    fp.seek(0)
    if first.startswith(ZIP_MAGIC):
        return load_workbook_table(fp, where, of, limit)
    problems: list[Problem] = []
    if first.startswith(OLE_MAGIC):
        problems.append(
            Problem(
                "file/unsupported-format",
                "the file is an old Excel workbook (.xls)",
                where,
                expected="an .xlsx workbook or a CSV file",
                hint="Save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'.",
            )
        )
        return Table(where, (), (), tuple(problems))
    chosen = decode.choose(fp, where, problems, encoding)
    if chosen is None:
        return Table(where, (), (), tuple(problems))
    text = decode.open_text(fp, *chosen)
    try:
        return _load_csv(text, where, problems, of)
    finally:
        text.detach()


class _LineTooLong(Exception):
    """A line longer than LINE_LIMIT: it holds a cell longer than a cell may be."""


def _lines(text: TextIO) -> Iterator[str]:
    """The text's lines, none read further than LINE_LIMIT characters."""
    while line := text.readline(LINE_LIMIT):
        if len(line) >= LINE_LIMIT and not line.endswith(("\n", "\r")):
            raise _LineTooLong
        yield line


@contextlib.contextmanager
def _cells_up_to(limit: int) -> Iterator[None]:
    """csv's limit of a field's length, for the time of one read (it is the module's)."""
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _too_long(where: str, line: int) -> Problem:
    return Problem(
        "file/cell-too-long",
        f"a cell is longer than {CELL_LIMIT:,} characters, the most a spreadsheet cell holds; "
        "the rest of the file was not read",
        where,
        line=line,
        expected=f"cells of at most {CELL_LIMIT:,} characters (the longest column takes "
        f"{max(c.max_length or 0 for c in EVERY.columns):,})",
        hint="Check the quotes before it: an unclosed quote runs a cell on to the end of the file.",
    )


def _load_csv(text: TextIO, where: str, problems: list[Problem], of: Schema) -> Table:
    lines = _lines(text)
    start: list[str] = []  # the blank lines before the header, and the header
    try:
        for line in lines:
            start.append(line)
            if line.strip():
                break
    except _LineTooLong:
        problems.append(_too_long(where, len(start) + 1))
        return Table(where, (), (), tuple(problems))
    if not start or not start[-1].strip():
        problems.append(_empty(where))
        return Table(where, (), (), tuple(problems))
    delimiter = sniff_delimiter(start[-1], where, problems)
    if delimiter is None:
        return Table(where, (), (), tuple(problems))
    rows = _Rows(where, problems, of)
    source: Iterable[str] = _chain(start, lines)
    reader = csv.reader(source, delimiter=delimiter, strict=True)
    first = 1
    try:
        with _cells_up_to(CELL_LIMIT):
            for record in reader:
                line, first = first, reader.line_num + 1
                rows.add(line, record, decimal_comma=delimiter == ";")
    except _LineTooLong:
        problems.append(_too_long(where, reader.line_num + 1))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problems.append(_too_long(where, first))
        else:
            problems.append(
                Problem(
                    "file/malformed-csv",
                    f"the CSV cannot be parsed ({exc})",
                    where,
                    line=reader.line_num or first,
                    expected=f"RFC 4180 CSV: a value with a {SEPARATOR_NAMES[delimiter]}, quote "
                    "or line break in double quotes, a quote inside a value doubled",
                    hint="Check the quotes on this line and the one before it.",
                )
            )
    return rows.table()


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def read_table(
    path: Path,
    where: str | None = None,
    encoding: str | None = None,
    of: Schema = EVERY,
    max_megabytes: float = MAX_MEGABYTES,
) -> Table:
    """Read the table at `path`; `where` names it in messages (default: the path as given).
    Only a regular file is read (a named pipe, a device or a folder is refused before anything
    is read), and only up to `max_megabytes` ([source] max_megabytes in the settings)."""
    shown = where or str(path)
    limit = int(max_megabytes * 2**20)
    try:
        fp = open_input(path, "the curated table (a CSV or .xlsx file)", limit, shown)
    except FileNotFoundError as exc:
        raise SourceError(
            f"{shown}: file not found; expected the curated table (CSV or .xlsx)."
        ) from exc
    except PermissionError as exc:
        raise SourceError(f"{shown}: cannot be read (permission denied).") from exc
    except NotAFileError as exc:
        if exc.too_large:
            raise NotAFileError(
                f"{exc} The size limit is `max_megabytes` in the [source] settings "
                f"({megabytes(limit)}); raise it if the table is really this large.",
                exc.path,
                exc.found,
                too_large=True,
            ) from None
        raise
    with fp:
        return load_table_file(fp, shown, encoding, of, limit)
