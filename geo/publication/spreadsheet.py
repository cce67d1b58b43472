"""Stage 6a, downloads: validated places in, the spreadsheet download (``.xlsx``) as bytes out.

For the people who work in a spreadsheet program. Sheet ``places`` holds one row per place, the
columns of the project's schema in the CSV's order under a frozen header row with filters; sheet
``columns`` says what each column is, with its label in each language of the table. Cells are
typed as the schema types them: ``lon``, ``lat`` (6 decimals), ``since`` and ``geonames_id`` are
numbers, ``as_of`` a date, everything else text. Nothing in the file runs: no cell is a formula,
and every text cell is stored as text, so ``=HYPERLINK(...)`` arrives as those characters; a text
cell that starts with ``=``, ``+``, ``-`` or ``@`` is also marked *quote prefix*, so that
editing it in Excel or LibreOffice keeps it text. Unlike the CSV, no quote is added to the value
itself.

Reproducible: the workbook's created/modified dates and the zip entries' timestamps are the
data's date, never the clock. No file is written here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from enum import Enum
from typing import Any

from geo.geometry import round_coord
from geo.publication.downloads import FORMULA_START
from geo.schema import GEOMETRY_COLUMNS, Column, Place, Schema, filled_languages, schema

SHEET = "places"
COLUMNS_SHEET = "columns"
MAX_WIDTH = 60  # characters: long descriptions wrap in the cell rather than widen the sheet


def cell_value(column: Column, value: Any) -> Any:
    """The typed value of one cell: a number, a date, text or None (an empty cell)."""
    if value is None or value == "":
        return None
    if column.name in GEOMETRY_COLUMNS:
        return round_coord(value)
    if column.type == "integer":
        return int(value)
    if column.type == "number":
        return float(value)
    if column.type == "date":
        return dt.date.fromisoformat(str(value))
    return str(value.value if isinstance(value, Enum) else value)


def _put(sheet: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell; text is always stored as text, never read as a formula or an error."""
    cell = sheet.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take "=..." for a formula, "#N/A" for an error
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _workbook(
    places: Iterable[Place], title: str, creator: str, as_of: dt.datetime, of: Schema
) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    widths = [len(c.name) for c in of.columns]
    for col, column in enumerate(of.columns, start=1):
        _put(sheet, 1, col, column.name).font = bold
    for row, place in enumerate(sorted(places, key=lambda p: p.id), start=2):
        for col, column in enumerate(of.columns, start=1):
            value = cell_value(column, getattr(place, column.name))
            _put(sheet, row, col, value)
            widths[col - 1] = max(widths[col - 1], len(str(value or "")))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    about = book.create_sheet(COLUMNS_SHEET)
    labels = [f"label_{lang}" for lang in of.languages]
    for col, head in enumerate(("column", "type", *labels, "meaning"), start=1):
        _put(about, 1, col, head).font = bold
    for row, column in enumerate(of.columns, start=2):
        texts = (column.name, column.type, *(column.label(la) for la in of.languages))
        for col, text in enumerate((*texts, column.meaning), start=1):
            _put(about, row, col, text)
    widths = (18, 10, *(24 for _ in labels), MAX_WIDTH)
    for col, width in enumerate(widths, start=1):
        about.column_dimensions[get_column_letter(col)].width = width

    book.properties.title = title
    book.properties.creator = creator
    book.properties.created = as_of
    return book


def _pinned(data: bytes, as_of: dt.datetime) -> bytes:
    """The same workbook with every timestamp the data's date: the zip entries' and the
    document's created/modified (openpyxl stamps "modified" with the clock when it saves)."""
    stamp = as_of.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    blob,
                )
            pinned = zipfile.ZipInfo(info.filename, date_time=as_of.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            dst.writestr(pinned, blob)
    return out.getvalue()


def build_xlsx(
    places: Iterable[Place], as_of: str, title: str, creator: str, of: Schema | None = None
) -> bytes:
    """The places as an ``.xlsx`` workbook, dated `as_of` (the data's date, YYYY-MM-DD): the
    columns of `of` (by default those of the languages the places fill)."""
    places = list(places)
    of = of if of is not None else schema(filled_languages(places))
    when = dt.datetime.fromisoformat(as_of)
    out = io.BytesIO()
    _workbook(places, title, creator, when, of).save(out)
    return _pinned(out.getvalue(), when)
