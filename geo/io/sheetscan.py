"""Part of stage 1, read the source: what openpyxl's streaming reader does not say about a sheet.

openpyxl in read-only mode gives values only: a formula that was never calculated (saved with
no value, as programs other than Excel often save them) reads as an empty cell, an error
(``#N/A``, ``#REF!``) as its text, and merged cells are not reported at all (the merged range's
other cells read as empty). :func:`scan_first_sheet` reads the first sheet's XML once more, a
streaming pass with the standard parser (``defusedxml``: no entity expansion), and gives a
problem for each: the cell, its column's name, and what to do.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

from defusedxml import ElementTree
from openpyxl.utils import column_index_from_string, get_column_letter

from geo.codes import Problem

SHOWN = 20  # problems of one kind named cell by cell; the rest are counted
_CELL = re.compile(r"([A-Z]{1,3})(\d+)")
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _local(tag: str) -> str:
    """An element's name without its namespace (transitional and strict OOXML alike)."""
    return tag.rsplit("}", 1)[-1]


def _targets(archive: zipfile.ZipFile, rels: str) -> dict[str, str]:
    """The relationships of a part: id -> target (a path inside the archive)."""
    base = posixpath.dirname(posixpath.dirname(rels))
    found = {}
    for element in ElementTree.fromstring(archive.read(rels)).iter():
        if _local(element.tag) == "Relationship":
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            found[element.get("Id", "")] = posixpath.normpath(path)
            found.setdefault("type:" + element.get("Type", ""), found[element.get("Id", "")])
    return found


def first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The path of the workbook's first sheet inside the archive (as openpyxl reads it)."""
    book = _targets(archive, "_rels/.rels").get("type:" + _OFFICE, "xl/workbook.xml")
    folder, name = posixpath.split(book)
    sheets = _targets(archive, posixpath.join(folder, "_rels", name + ".rels"))
    for element in ElementTree.fromstring(archive.read(book)).iter():
        if _local(element.tag) == "sheet":
            for key, value in element.attrib.items():
                if _local(key) == "id" and value in sheets:
                    return sheets[value]
            return None
    return None


def _cells(source: Any) -> Iterator[tuple[str, tuple[int, int], Any]]:
    """(kind, (row, column), detail) for each merged range, value-less formula and error."""
    row = column = 0
    data: Any = None
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        name = _local(element.tag)
        if event == "start":
            if name == "sheetData":
                data = element
            elif name == "row":
                row = int(element.get("r") or row + 1)
                column = 0
            continue
        if name == "c":
            ref = _CELL.fullmatch(element.get("r") or "")
            if ref:
                row, column = int(ref[2]), column_index_from_string(ref[1])
            else:
                column += 1
            children = {_local(child.tag): child for child in element}
            value = children.get("v")
            if element.get("t") == "e":
                yield "error", (row, column), (value.text if value is not None else "") or "#?"
            elif "f" in children and (value is None or value.text is None):
                yield "formula", (row, column), children["f"].text or ""
        elif name == "mergeCell":
            ref = element.get("ref", "")
            corners = [_CELL.fullmatch(part) for part in ref.split(":")]
            if all(corners):
                (top, left), _ = [(int(m[2]), column_index_from_string(m[1])) for m in corners]  # type: ignore[index]
                yield "merged", (top, left), ref
        if name == "row" and data is not None:
            data.clear()  # (the rows read so far are let go)


def scan_first_sheet(
    source: BinaryIO, where: str, records: Sequence[tuple[int, list[str]]]
) -> list[Problem]:
    """The problems of the first sheet that values alone do not show; `records` are its rows
    as read (the first that is not empty is the header, which names the columns)."""
    header = next((cells for _, cells in records if any(c.strip() for c in cells)), [])
    found: dict[str, list[tuple[tuple[int, int], Any]]] = {"formula": [], "error": [], "merged": []}
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            path = first_sheet_path(archive)
            if path is None:
                return []
            with archive.open(path) as sheet:
                for kind, at, detail in _cells(sheet):
                    found[kind].append((at, detail))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return []  # openpyxl read it: what it read stands
    except Exception:  # defusedxml's refusals of entities and DTDs
        return []
    problems = []
    for kind, cells in found.items():
        for n, ((row, column), detail) in enumerate(sorted(cells)):
            if n == SHOWN:
                problems.append(_more(kind, len(cells) - SHOWN, where))
                break
            name = header[column - 1].strip() if column <= len(header) else ""
            problems.append(_problem(kind, row, column, name, detail, where))
    return problems


def _problem(kind: str, row: int, column: int, name: str, detail: str, where: str) -> Problem:
    cell = f"cell {get_column_letter(column)}{row}" + (f" (`{name}`)" if name else "")
    if kind == "formula":
        shown = detail if len(detail) <= 60 else detail[:59] + "…"
        return Problem(
            "field/formula-without-value",
            f"{cell} holds the formula ={shown}, saved without a value: it was never calculated",
            where,
            line=row,
            field=name or None,
            expected="the value the formula gives, saved with it",
            hint="Open the workbook in a spreadsheet program and save it again (it calculates "
            "the formulas as it saves), or type the value.",
        )
    if kind == "error":
        return Problem(
            "field/error-value",
            f"{cell} holds the error value {detail[:20]}",
            where,
            line=row,
            field=name or None,
            expected="a value",
            hint="Correct the formula (#REF!: it points to a cell that was deleted; #N/A: a "
            "lookup found nothing), or type the value.",
        )
    return Problem(
        "file/merged-cells",
        f"cells {detail} are merged: only the first holds a value, the others read as empty",
        where,
        line=row,
        field=name or None,
        expected="one value per cell",
        hint="Unmerge them (Home, Merge & Center) and fill in each cell.",
    )


def _more(kind: str, count: int, where: str) -> Problem:
    code = {
        "formula": "field/formula-without-value",
        "error": "field/error-value",
        "merged": "file/merged-cells",
    }[kind]
    return Problem(code, f"and {count:,} more like these", where)
