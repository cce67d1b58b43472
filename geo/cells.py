"""Part of stage 2, validate: one cell of text in, a typed value (or a problem) out.

Every column is parsed by its declaration in :mod:`geo.schema`: the text rules of
:mod:`geo.textrules` and a length for strings, allowed values, a pattern, whole numbers, decimal
numbers with bounds, dates; :func:`parse_row` parses a row by the columns of the project's schema.
A column added to the schema is parsed here without new code. Rules that tie one cell to
another or to the gazetteer are in :mod:`geo.validate`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import Any

from geo import textrules
from geo.codes import Problem
from geo.schema import BY_NAME, Column, Kind, Need, Schema
from geo.text import FALLBACK

NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.(\d*))?|\.(\d+))(?:[eE][+-]?\d+)?$")
NOT_FINITE = re.compile(r"^[+-]?(?:nan|inf|infinity)$", re.IGNORECASE)
INTEGER = re.compile(r"^[+-]?\d{1,18}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_DECIMALS = 6


class RowProblems:
    """Collects the problems of one row, with its location filled in."""

    def __init__(self, where: str, line: int, place_id: str | None) -> None:
        self.where, self.line, self.place_id = where, line, place_id
        self.problems: list[Problem] = []

    def add(
        self,
        code: str,
        what: str,
        field: str,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problems.append(
            Problem(code, what, self.where, self.line, self.place_id, field, expected, hint)
        )

    @property
    def has_error(self) -> bool:
        return any(p.is_error for p in self.problems)


def deg(value: float) -> str:
    """A coordinate as people write it: up to 6 decimals, no trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def text_of(cells: Mapping[str, str], name: str) -> str | None:
    """The cell's text without surrounding space; None when empty or absent."""
    return cells.get(name, "").strip() or None


def check_characters(row: RowProblems, column: Column, raw: str) -> bool:
    """The text rules of :mod:`geo.textrules`, on the cell as it came (before any trimming:
    Python counts U+0085 and U+2028 as space, and would trim them away unseen)."""
    bad = textrules.first_bad(raw, column.multiline and column.type == "string")
    if bad is not None:
        position, char = bad
        row.add(
            "field/control-character",
            f"`{column.name}` holds {char} at character {position + 1}",
            column.name,
            "printable text" + ("" if column.multiline else " on one line"),
            "Remove the invisible character (often pasted from Word).",
        )
        return False
    return True


def check_length(row: RowProblems, column: Column, text: str) -> bool:
    """The column's length limit."""
    if column.max_length is not None and len(text) > column.max_length:
        row.add(
            "field/too-long",
            f"`{column.name}` is {len(text):,} characters long",
            column.name,
            f"at most {column.max_length:,}",
            "Shorten it; the maps and downloads show it whole.",
        )
        return False
    return True


def _choice(row: RowProblems, column: Column, text: str) -> Any:
    assert column.enum is not None
    try:
        return column.enum(text)
    except ValueError:
        close = [m.value for m in column.enum if m.value.startswith(text.lower()[:3])]
        word = word_of(column, text)
        hint = f"Did you mean `{close[0]}`?" if close else None
        if word is not None:
            hint = (
                f"Did you mean `{word}`? The table holds the value, not its word in a page's "
                "language."
            )
        row.add(column.code, f"`{column.name}` {text!r} is not allowed", column.name,
                column.what_is_expected(), hint)  # fmt: skip
        return None


def word_of(column: Column, text: str) -> str | None:
    """The value of an enumerated column whose word in a language of the text catalogue is
    `text` (``vilande``, Swedish for ``dormant``), case aside; None if there is none. Such
    words are suggested, not accepted: the table holds each value one way."""
    from geo.text import catalogue, languages  # only for a value that is not allowed

    assert column.enum is not None
    typed = " ".join(text.casefold().replace("_", " ").split())
    for lang in languages():
        words = catalogue(lang)
        for member in column.enum:
            if words.get(f"{column.name}.{member.value}", "").casefold() == typed:
                return member.value
    return None


def _invalid(row: RowProblems, column: Column, text: str) -> None:
    row.add(
        column.code,
        f"`{column.name}` {text!r} is not {column.not_a()}",
        column.name,
        column.what_is_expected(),
        column.hint,
    )


def check_number(row: RowProblems, column: Column, text: str) -> float | None:
    """A finite decimal number; a coordinate with more than 6 decimals earns a warning."""
    name = column.name
    coordinate = column.code.startswith("coords/")
    infinite = "coords/not-finite" if coordinate else column.code
    if NOT_FINITE.match(text):
        row.add(infinite, f"`{name}` is {text}", name, "a finite number")
        return None
    match = NUMBER.match(text)
    if not match:
        hint = "Use a point as the decimal separator." if re.match(r"^-?\d+,\d+$", text) else None
        expected = f"{column.describe}, such as 57.7" if coordinate else column.what_is_expected()
        row.add(column.code, f"`{name}` {text!r} is not a number", name, expected, hint)
        return None
    value = float(text)
    if not math.isfinite(value):
        row.add(infinite, f"`{name}` {text} overflows", name, "a finite number")
        return None
    decimals = len(match.group(1) or match.group(2) or "")
    if coordinate and decimals > MAX_DECIMALS:
        row.add(
            "coords/excess-precision",
            f"`{name}` {text} has {decimals} decimals",
            name,
            f"at most {MAX_DECIMALS} (about 0.1 m)",
            "Round it; the layers are published with 6 decimals.",
        )
    return value


def check_integer(row: RowProblems, column: Column, text: str) -> int | None:
    """A whole number within the column's pattern and bounds."""
    ok = column.regex.fullmatch(text) if column.regex else INTEGER.match(text)
    if not ok:
        _invalid(row, column, text)
        return None
    return _within(row, column, int(text))


def _within(row: RowProblems, column: Column, value: Any) -> Any:
    """The value if it lies within the column's bounds (where it checks them), else None."""
    low, high = column.minimum, column.maximum
    if column.range_code is None or (
        (low is None or value >= low) and (high is None or value <= high)
    ):
        return value
    bounds = f"{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"
    row.add(column.range_code, f"`{column.name}` {value} is out of range", column.name, bounds)
    return None


def check_date(row: RowProblems, column: Column, text: str) -> date | None:
    """A real calendar date written YYYY-MM-DD."""
    try:
        if not DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        _invalid(row, column, text)
        return None


def parse_cell(row: RowProblems, column: Column, text: str) -> Any:
    """The typed value of a cell's (trimmed) text by its column's declaration, or None with a
    problem added. :func:`check_characters` has passed the raw cell already."""
    if not check_length(row, column, text):
        return None
    if column.type == "string":
        if column.enum is not None:
            return _choice(row, column, text)
        if column.regex is not None and not column.regex.fullmatch(text):
            _invalid(row, column, text)
            return None
        return text
    if column.type == "number":
        value = check_number(row, column, text)
        return None if value is None else _within(row, column, value)
    if column.type == "integer":
        return check_integer(row, column, text)
    if column.type == "date":
        return check_date(row, column, text)
    raise ValueError(f"{column.name}: unknown column type {column.type!r}")


def parser(column: Column) -> Callable[[RowProblems, str], Any]:
    """:func:`parse_cell` for `column`, with a shortcut for the common case of a text or a
    choice within the length limit (anything else goes to :func:`parse_cell`, which reports)."""
    limit = column.max_length if column.max_length is not None else math.inf
    if column.type == "string" and column.enum is not None:
        members = {m.value: m for m in column.enum}

        def choice(row: RowProblems, text: str) -> Any:
            found = members.get(text)
            if found is not None and len(text) <= limit:
                return found
            return parse_cell(row, column, text)

        return choice
    if column.type == "string" and column.regex is None:

        def plain(row: RowProblems, text: str) -> Any:
            return text if len(text) <= limit else parse_cell(row, column, text)

        return plain
    return lambda row, text: parse_cell(row, column, text)


# --- a row: every cell by its column ------------------------------------------------------


def _needed(column_need: Need, kind: Kind | None) -> bool:
    if column_need is Need.ALWAYS:
        return True
    if column_need is Need.RELATION:
        return kind is not None and kind is not Kind.OFFICE
    return column_need is Need.OFFICE and kind is Kind.OFFICE


@cache
def _rules(of: Schema) -> tuple[dict[Kind | None, frozenset[str]], tuple[Any, ...]]:
    """The columns each kind of row must fill (None: a row whose kind is missing or wrong), and
    each column's parser, for the columns of `of`."""
    needed = {
        kind: frozenset(c.name for c in of.columns if _needed(c.need, kind))
        for kind in (*Kind, None)
    }
    return needed, tuple((column, column.name, parser(column)) for column in of.columns)


def parse_row(row: RowProblems, cells: Mapping[str, str], of: Schema) -> dict[str, Any]:
    """Every cell parsed by its column's rule (the columns of `of`), every needed cell present;
    an empty name or description in a language other than English is noted (shown in English)."""
    kind_text = text_of(cells, "kind")
    kind = parse_cell(RowProblems("", 0, None), BY_NAME["kind"], kind_text) if kind_text else None
    rules, parsers = _rules(of)
    needed = rules[kind]
    values: dict[str, Any] = {}
    # One search of the whole row: a character no cell may hold sends every cell through the
    # rules of its column (SINGLE_LINE_BAD rejects all that MULTI_LINE_BAD does, and more, and
    # only characters str.isprintable() rejects: a printable row needs no search).
    joined = "".join(cells.values())
    suspect = not joined.isprintable() and textrules.SINGLE_LINE_BAD.search(joined) is not None
    for column, name, parse in parsers:
        if suspect and not check_characters(row, column, cells.get(name, "")):
            values[name] = None
            continue
        text = text_of(cells, name)
        if text is None:
            if name in needed:
                row.add("row/missing-field", f"`{name}` is empty", name, column.describe)
            elif column.language not in (None, FALLBACK) and name in cells:
                english = name.replace(f"_{column.language}", f"_{FALLBACK}")
                row.add("field/shown-in-english", f"`{name}` is empty", name, column.describe,
                        f"Its pages show `{english}` instead, marked as English.")  # fmt: skip
            values[name] = None
        elif column.need is Need.RELATION and kind is Kind.OFFICE:
            row.add(
                "field/status-on-office",
                f"`{name}` is {text!r} on the office",
                name,
                "empty: the office is not a relation",
            )
            values[name] = None
        else:
            values[name] = parse(row, text)
    return values
