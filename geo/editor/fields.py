"""The editor's form, made from the schema: a field per column, and rows to and from the form.

Pure: no I/O, no HTTP. Each :class:`Field` is one column of :mod:`geo.schema` in the page's
language: its label is the column's label, its help is made from the same declaration that
``data/README.md``'s column table is made from (meaning, allowed values, which rows need it,
an example; :func:`geo.schema.markdown_columns`), its control follows the column's type (a
choice for an enumerated column, several lines where the column allows line breaks). The words
of a choice (``vilande`` for ``dormant``) come from the text catalogue; the table holds the
values, so a status is saved as ``dormant`` whatever the page's language.

:func:`rows_from_json` is the other direction: what the page sends, checked to be rows of text
under known columns before anything else sees it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.docs import need_words
from geo.errors import UsageError
from geo.schema import Column, Need, Schema
from geo.text import FALLBACK, texts

HELP_LANG = "en"  # the schema's meanings and rules are written in English
SUMMARY = ("kind", "status", "country", "since")  # the table's columns after the name
MAX_CELL = 100_000  # characters of one cell the editor takes (the schema's limits are lower)
MAX_ROWS = 200_000

Segment = tuple[str, bool]  # text, and whether it is code (a value, a column name)
Cell = tuple[str, str]  # column, words


@dataclass(frozen=True)
class Field:
    """One column as a field of the form."""

    name: str
    label: str
    help: tuple[Segment, ...]
    control: str  # "select", "textarea" or "input"
    options: tuple[tuple[str, str], ...] = ()  # (value, words) of a choice
    required: bool = False  # every row fills it
    numeric: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "options": dict(self.options)}


def segments(text: str) -> tuple[Segment, ...]:
    """`text` cut at its backticks: ``("allowed: ", False), ("active", True), ...``."""
    parts = re.split(r"`([^`]*)`", text)
    return tuple((part, i % 2 == 1) for i, part in enumerate(parts) if part)


def help_text(column: Column) -> str:
    """What the column holds, its rule, which rows need it and an example (English)."""
    meaning = column.meaning[:1].upper() + column.meaning[1:]
    return (
        f"{meaning}. Allowed: {column.allowed}. Required: {need_words(column)}. "
        f"Example: `{column.example}`."
    )


def choice_words(column: Column, lang: str) -> tuple[tuple[str, str], ...]:
    """The values of an enumerated column with their words in `lang` (the catalogue's
    section named after the column, where it has one)."""
    assert column.enum is not None
    t = texts(lang)
    options = []
    for member in column.enum:
        try:
            words = t(f"{column.name}.{member.value}")
        except KeyError:
            words = member.value
        options.append((member.value, words))
    return tuple(options)


def field(column: Column, lang: str) -> Field:
    if column.enum is not None:
        control = "select"
    elif column.multiline:
        control = "textarea"
    else:
        control = "input"
    return Field(
        name=column.name,
        label=column.label(lang),
        help=segments(help_text(column)),
        control=control,
        options=choice_words(column, lang) if column.enum is not None else (),
        required=column.need is Need.ALWAYS,
        numeric=column.type in ("integer", "number"),
    )


def fields(lang: str, of: Schema) -> tuple[Field, ...]:
    """Every column of the project's schema `of` as a field, in the schema's order."""
    return tuple(field(column, lang) for column in of.columns)


def name_column(lang: str, of: Schema) -> str:
    """The column that names a place in `lang` (``name_sv``), else the fallback's (English)."""
    return f"name_{lang}" if f"name_{lang}" in of.names else f"name_{FALLBACK}"


def summary(row: dict[str, str], lang: str, form: Sequence[Field]) -> tuple[str, list[Cell]]:
    """A row of the table of places: its name in `lang` and the summary columns in words."""
    by_name = {f.name: f for f in form}
    title = row.get(f"name_{lang}", "").strip() or row.get(f"name_{FALLBACK}", "").strip()
    title = title or row.get("id", "").strip() or "?"
    cells = []
    for name in SUMMARY:
        value = row.get(name, "")
        cells.append((name, dict(by_name[name].options).get(value.strip(), value)))
    return title, cells


def header_for(
    header: Sequence[str], rows: Sequence[dict[str, str]], of: Schema
) -> tuple[str, ...]:
    """The header to save `rows` under: the file's, plus each column of the schema that a row
    fills and the file lacks, placed after the columns that come before it in the schema."""
    out = list(header)
    for index, name in enumerate(of.names):
        if name in out or not any(row.get(name, "").strip() for row in rows):
            continue
        before = [n for n in of.names[:index] if n in out]
        out.insert(out.index(before[-1]) + 1 if before else 0, name)
    return tuple(out)


def _bad(what: str) -> UsageError:
    return UsageError(f"request: {what}; expected rows of text under the table's columns.")


def rows_from_json(payload: Any, header: Sequence[str], of: Schema) -> list[dict[str, Any]]:
    """The draft the page sends (``[{"key": id or null, "cells": {column: text}}]``), checked:
    a list of rows, each cell text under a column of the file or the schema. The cells of the
    file's columns that a row leaves out are empty."""
    if not isinstance(payload, list) or len(payload) > MAX_ROWS:
        raise _bad("`rows` is not a list of rows")
    known = {*header, *of.names}
    rows = []
    for item in payload:
        if not isinstance(item, dict) or not isinstance(item.get("cells"), dict):
            raise _bad("a row is not an object with `cells`")
        key = item.get("key")
        if key is not None and not isinstance(key, str):
            raise _bad("a row's `key` is not text")
        cells = dict.fromkeys(header, "")
        for name, text in item["cells"].items():
            if name not in known or not isinstance(text, str) or len(text) > MAX_CELL:
                raise _bad(f"cell {str(name)[:40]!r} is not text under a known column")
            cells[name] = text
        rows.append({"key": key, "cells": cells})
    return rows
