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

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from geo.codes import Problem
from geo.errors import SourceError
from geo.io.decode import BOM, decode
from geo.io.spreadsheet import OLE_MAGIC, looks_like_workbook
from geo.schema import ALIASES, EVERY, Schema

__all__ = ["BOM", "RawRow", "Table", "load_table", "read_table", "sniff_delimiter"]

DELIMITERS = (",", ";")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon"}
NUMBER_COLUMNS = tuple(c.name for c in EVERY.columns if c.type == "number")
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


@dataclass(frozen=True)
class RawRow:
    """One record of the table as text, with the line it starts on."""

    line: int
    cells: dict[str, str]

    @property
    def id(self) -> str | None:
        return self.cells.get("id", "").strip() or None


@dataclass(frozen=True)
class Table:
    """What reading gave: header, rows and the problems met on the way."""

    where: str
    header: tuple[str, ...]
    rows: tuple[RawRow, ...]
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


def _decimal_points(cells: dict[str, str]) -> None:
    """In a `;` file, `57,7` in a number column means 57.7 (and only there)."""
    for name in NUMBER_COLUMNS:
        cell = cells.get(name)
        if cell is not None and DECIMAL_COMMA.fullmatch(cell.strip()):
            cells[name] = cell.strip().replace(",", ".")


class _Rows:
    """Turns records (a line number and its cells) into rows under the header, with problems."""

    def __init__(
        self, where: str, problems: list[Problem], of: Schema, padded: bool = False
    ) -> None:
        self.where, self.problems, self.padded, self.schema = where, problems, padded, of
        self.header: list[str] = []
        self.rows: list[RawRow] = []

    def add(self, line: int, record: list[str], decimal_comma: bool = False) -> None:
        if not self.header:
            self.header = [h.strip() for h in record]
            _check_header(self.header, self.where, self.problems, self.schema)
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
        cells: dict[str, str] = {}
        for name, cell in zip(self.header, record, strict=True):
            cells.setdefault(name, cell)
        if decimal_comma:
            _decimal_points(cells)
        self.rows.append(RawRow(line, cells))

    def table(self) -> Table:
        return Table(self.where, tuple(self.header), tuple(self.rows), tuple(self.problems))


def load_workbook_table(data: bytes, where: str, of: Schema = EVERY) -> Table:
    """Parse the table from an .xlsx workbook's bytes (its first sheet)."""
    from geo.io.spreadsheet import load_workbook_records

    records, problems = load_workbook_records(data, where)
    rows = _Rows(where, problems, of, padded=True)
    for line, record in records:
        if rows.header or any(cell.strip() for cell in record):
            rows.add(line, record)
    if not rows.header and not any(p.is_error for p in problems):
        problems.append(_empty(where))
    return rows.table()


def load_table(data: bytes, where: str, encoding: str | None = None, of: Schema = EVERY) -> Table:
    """Parse the table from its bytes: CSV (UTF-8, or Windows-1252 recognised or `encoding`
    chosen; comma- or semicolon-separated) or an .xlsx workbook; its header checked against the
    columns of `of` (the project's schema; by default any language's columns are known). Never
    raises for bad content: problems are returned."""
    if looks_like_workbook(data):
        return load_workbook_table(data, where, of)
    problems: list[Problem] = []
    if data.startswith(OLE_MAGIC):
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
    text = decode(data, where, problems, encoding)
    if text is None:
        return Table(where, (), (), tuple(problems))
    if not text.strip():
        problems.append(_empty(where))
        return Table(where, (), (), tuple(problems))
    delimiter = sniff_delimiter(text, where, problems)
    if delimiter is None:
        return Table(where, (), (), tuple(problems))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = _Rows(where, problems, of)
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            rows.add(line, record, decimal_comma=delimiter == ";")
    except csv.Error as exc:
        problems.append(
            Problem(
                "file/malformed-csv",
                f"the CSV cannot be parsed ({exc})",
                where,
                line=reader.line_num or start,
                expected=f"RFC 4180 CSV: a value with a {SEPARATOR_NAMES[delimiter]}, quote or "
                "line break in double quotes, a quote inside a value doubled",
                hint="Check the quotes on this line and the one before it.",
            )
        )
    return rows.table()


def read_table(
    path: Path, where: str | None = None, encoding: str | None = None, of: Schema = EVERY
) -> Table:
    """Read the table at `path`; `where` names it in messages (default: the path as given)."""
    try:
        with path.open("rb") as fp:
            return load_table(fp.read(), where or str(path), encoding, of)
    except FileNotFoundError as exc:
        raise SourceError(
            f"{where or path}: file not found; expected the curated table (CSV or .xlsx)."
        ) from exc
    except IsADirectoryError as exc:
        raise SourceError(f"{where or path}: is a folder; expected a CSV or .xlsx file.") from exc
    except PermissionError as exc:
        raise SourceError(f"{where or path}: cannot be read (permission denied).") from exc
