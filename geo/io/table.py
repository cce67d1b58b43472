"""Stage 1, read the source: the curated table, from bytes to rows of text.

Takes the table's bytes and gives the header and one :class:`RawRow` per record, with the
problems of the file itself: encoding, byte-order mark, quoting, header and cell counts. The
header is checked against :mod:`geo.schema`; the values are judged by :mod:`geo.validate`.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from pathlib import Path

from geo.codes import Problem
from geo.errors import SourceError
from geo.schema import ALIASES, COLUMN_NAMES, HEADER_REQUIRED

BOM = b"\xef\xbb\xbf"


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


def _decode(data: bytes, where: str, problems: list[Problem]) -> str | None:
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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 4]
        problems.append(
            Problem(
                "file/encoding",
                f"byte {bad[:1]!r} at offset {exc.start} is not UTF-8",
                where,
                line=line,
                expected="UTF-8 text",
                hint="Re-save the file as UTF-8 (it may be Latin-1 or Windows-1252).",
            )
        )
        return None


def _check_header(header: list[str], where: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                Problem(
                    "header/repeated-column",
                    f"column `{name}` appears more than once",
                    where,
                    line=1,
                    field=name,
                    expected="each column once",
                    hint="Delete or rename the second one.",
                )
            )
        seen.add(name)
        if name not in COLUMN_NAMES:
            close = [ALIASES[name.lower()]] if name.lower() in ALIASES else []
            close = close or difflib.get_close_matches(name, COLUMN_NAMES, n=1)
            problems.append(
                Problem(
                    "header/unknown-column",
                    f"unknown column `{name}`",
                    where,
                    line=1,
                    field=name,
                    expected="one of " + ", ".join(COLUMN_NAMES),
                    hint=f"Did you mean `{close[0]}`?" if close else "Remove it or fix its name.",
                )
            )
    for name in HEADER_REQUIRED:
        if name not in seen:
            problems.append(
                Problem(
                    "header/missing-column",
                    f"missing required column `{name}`",
                    where,
                    line=1,
                    field=name,
                    expected="columns " + ", ".join(HEADER_REQUIRED),
                    hint="Add the column (it may be empty where the field allows it).",
                )
            )


def load_table(data: bytes, where: str) -> Table:
    """Parse the table from its bytes. Never raises for bad content: problems are returned."""
    problems: list[Problem] = []
    text = _decode(data, where, problems)
    if text is None:
        return Table(where, (), (), tuple(problems))
    if not text.strip():
        problems.append(
            Problem(
                "file/empty",
                "the file is empty",
                where,
                expected="a header line and one row per place",
                hint="Start from the shipped data/places.csv.",
            )
        )
        return Table(where, (), (), tuple(problems))

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[RawRow] = []
    header: list[str] = []
    start = 1
    try:
        for record in reader:
            if not header:
                header = [h.strip() for h in record]
                _check_header(header, where, problems)
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # a blank line is not a place
            if len(record) != len(header):
                more = len(record) > len(header)
                problems.append(
                    Problem(
                        "row/extra-cells" if more else "row/missing-cells",
                        f"the row has {len(record)} cells",
                        where,
                        line=line,
                        place_id=record[0].strip() or None,
                        expected=f"{len(header)}, one per column of the header",
                        hint="A comma inside a value needs the value in double quotes."
                        if more
                        else "Add empty cells for the empty fields.",
                    )
                )
                continue
            cells: dict[str, str] = {}
            for name, cell in zip(header, record, strict=True):
                cells.setdefault(name, cell)
            rows.append(RawRow(line, cells))
    except csv.Error as exc:
        problems.append(
            Problem(
                "file/malformed-csv",
                f"the CSV cannot be parsed ({exc})",
                where,
                line=reader.line_num or start,
                expected="RFC 4180 CSV: a value with a comma, quote or line break in double "
                "quotes, a quote inside a value doubled",
                hint="Check the quotes on this line and the one before it.",
            )
        )
    return Table(where, tuple(header), tuple(rows), tuple(problems))


def read_table(path: Path, where: str | None = None) -> Table:
    """Read the table at `path`; `where` names it in messages (default: the path as given)."""
    try:
        with path.open("rb") as fp:
            return load_table(fp.read(), where or str(path))
    except FileNotFoundError as exc:
        raise SourceError(
            f"{where or path}: file not found; expected the curated table (CSV, UTF-8)."
        ) from exc
    except IsADirectoryError as exc:
        raise SourceError(f"{where or path}: is a folder; expected a CSV file.") from exc
    except PermissionError as exc:
        raise SourceError(f"{where or path}: cannot be read (permission denied).") from exc
