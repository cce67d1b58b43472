"""The table being edited: read it, check a draft as ``geo validate`` would, save without loss.

:class:`Document` is the table file as the editor read it: its bytes (whose digest is the
version a page loaded), its form (:mod:`geo.io.tablefile`), its header and rows of text.
Everything here but :func:`read_document` and :func:`save` is pure:

- :func:`check` makes the file a draft would be saved as, reads it back with the reader and
  validates it with the validate stage (:func:`geo.validate.validate_table`): the problems,
  codes, messages and line numbers are those ``geo validate`` would print for the saved file;
- :func:`changes` says, place by place and field by field, how one version differs from
  another (what the page shows when someone else changed the file);
- :func:`rebase` puts a draft's edits on top of a newer version of the file (three-way, cell by
  cell: where both changed a cell, the draft's value is kept and the clash is listed).

:func:`save` refuses a draft that is invalid (:class:`SaveRefused`, every problem) or whose
file changed on disk since it was read (:class:`EditConflict`, with the other change), and
otherwise writes it through the one writer under the table's lock: one writer at a time.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.codes import Problem
from geo.config import Settings
from geo.editor.fields import header_for
from geo.errors import GeoError, SourceError
from geo.io import sha256
from geo.io.lock import locked
from geo.io.table import load_table
from geo.io.tablefile import Form, form_of, table_bytes, unencodable
from geo.io.write import write_files
from geo.schema import EVERY, Schema
from geo.validate import Result, validate_table

Row = dict[str, str]
LOCK_WAIT = 10.0  # seconds a save waits for another writer of the table


class SaveRefused(GeoError):
    """The draft has errors; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{sum(p.is_error for p in problems)} error(s); nothing was saved")


class EditConflict(GeoError):
    """The file changed on disk since the draft's version was read; nothing was written."""

    def __init__(self, theirs: Document | None, changes: list[Change]) -> None:
        self.theirs, self.changes = theirs, changes
        super().__init__("the table changed on disk since it was opened; nothing was saved")


@dataclass(frozen=True)
class Document:
    """The table file as read: where, its bytes, its form, header and rows of text."""

    path: Path
    where: str  # as messages name it (relative to the project)
    data: bytes
    form: Form
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    problems: tuple[Problem, ...]  # of the file itself (encoding, separator, header, cells)

    @property
    def version(self) -> str:
        return sha256(self.data)

    @property
    def whole(self) -> bool:
        """Whether every row was read (no file error dropped one): only then is it editable."""
        return not any(p.is_error for p in self.problems)


def parse_document(
    path: Path, where: str, data: bytes, encoding: str | None, of: Schema = EVERY
) -> Document:
    """The document of the table file's bytes."""
    table = load_table(data, where, encoding, of)
    rows = tuple(dict(raw.cells) for raw in table.rows)
    return Document(path, where, data, form_of(data, encoding), table.header, rows, table.problems)


def read_bytes(path: Path) -> bytes:
    """The table file's bytes: a regular file, never followed through a link or a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: file not found; expected the table (CSV or .xlsx).") from exc
    except OSError as exc:
        raise SourceError(
            f"{path}: cannot be opened ({exc.strerror or exc}); expected the table as a regular "
            "file, not a link."
        ) from exc
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise SourceError(f"{path}: is not a regular file; expected the table.")
        return file.read()


def read_document(path: Path, settings: Settings) -> Document:
    return parse_document(
        path, settings.display(path), read_bytes(path), settings.encoding, settings.schema
    )


@dataclass(frozen=True)
class Checked:
    """A draft as it would be saved: its bytes, the validation result and every problem."""

    data: bytes
    result: Result
    problems: tuple[Problem, ...]
    lines: list[int | None]  # the line (or sheet row) each row of the draft is saved on

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def check(doc: Document, rows: Sequence[Mapping[str, str]], settings: Settings) -> Checked:
    """The file `rows` would be saved as, read back and validated by the validate stage."""
    header = header_for(doc.header, [dict(r) for r in rows], settings.schema)
    data = table_bytes(doc.data, doc.form, header, rows, "replace")  # (checked below)
    table = load_table(data, doc.where, settings.encoding, settings.schema)
    result = validate_table(table, settings)
    read = iter(table.rows)
    lines = [next(read).line if any(c.strip() for c in r.values()) else None for r in rows]
    cannot = unencodable(header, rows, doc.form, doc.where, lines)
    problems = tuple(sorted([*result.problems, *cannot], key=lambda p: (p.line or 0, p.code)))
    return Checked(data, result, problems, lines)


@dataclass(frozen=True)
class Change:
    """One difference between two versions: a place added or removed, or a field changed."""

    place: str  # its id (or its row number where it has none)
    what: str  # "added", "removed" or "changed"
    field: str | None = None
    before: str = ""
    after: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "what": self.what,
            "field": self.field,
            "before": self.before,
            "after": self.after,
        }


def _by_id(rows: Sequence[Mapping[str, str]]) -> dict[str, Mapping[str, str]]:
    return {(r.get("id") or "").strip() or f"#{i + 1}": r for i, r in enumerate(rows)}


def changes(
    before: Sequence[Mapping[str, str]], after: Sequence[Mapping[str, str]]
) -> list[Change]:
    """What changed from `before` to `after`, place by place (by id) and field by field."""
    old, new = _by_id(before), _by_id(after)
    found = [Change(place, "removed") for place in old if place not in new]
    for place, row in new.items():
        if place not in old:
            found.append(Change(place, "added"))
            continue
        for name in dict.fromkeys([*old[place], *row]):
            a, b = old[place].get(name, ""), row.get(name, "")
            if a != b:
                found.append(Change(place, "changed", name, a, b))
    return found


@dataclass(frozen=True)
class Clash:
    """A cell both the draft and the file on disk changed; the draft's value was kept."""

    place: str
    field: str
    theirs: str
    mine: str

    def to_dict(self) -> dict[str, str]:
        return {"place": self.place, "field": self.field, "theirs": self.theirs, "mine": self.mine}


def rebase(
    base: Sequence[Mapping[str, str]],
    mine: Sequence[Mapping[str, Any]],
    theirs: Sequence[Mapping[str, str]],
) -> tuple[list[dict[str, Any]], list[Clash]]:
    """The draft `mine` (rows ``{"key": base id or None, "cells": {...}}``) made again on
    `theirs`: each cell the draft changed from `base` is set on the same place of `theirs`;
    a place the draft added is added; a place removed on disk that the draft changed comes back
    with the draft's cells. Where both changed a cell differently, the draft wins and the clash
    is listed."""
    old = _by_id(base)
    rows: list[dict[str, Any]] = [
        {"key": place, "cells": dict(r)} for place, r in _by_id(theirs).items()
    ]
    index = {row["key"]: row["cells"] for row in rows}
    clashes: list[Clash] = []
    for item in mine:
        cells: Mapping[str, str] = item["cells"]
        key = item.get("key")
        was = old.get(key) if key is not None else None
        if was is None or key not in index:
            if was is None or any(cells.get(n, "") != was.get(n, "") for n in cells):
                rows.append({"key": None, "cells": dict(cells)})
            continue
        target = index[key]
        for name, value in cells.items():
            if value == was.get(name, ""):
                continue
            current = target.get(name, "")
            if current != was.get(name, "") and current != value:
                clashes.append(Clash(key, name, current, value))
            target[name] = value
    return rows, clashes


def lock_path(path: Path) -> Path:
    """The lock every writer of the table holds (beside it, hidden)."""
    return path.with_name(f".{path.name}.geo-edit.lock")


def save(
    doc: Document,
    rows: Sequence[Mapping[str, str]],
    settings: Settings,
    wait: float = LOCK_WAIT,
) -> Document:
    """Write `rows` to the table in its form, if valid and if the file is still `doc`'s
    version; the new document. Under the table's lock, through the one writer."""
    checked = check(doc, rows, settings)
    if not checked.ok:
        raise SaveRefused(checked.problems)
    data = checked.data  # (no cell was replaced: a character the file cannot hold is an error)
    with locked(lock_path(doc.path), doc.where, wait):
        current = read_bytes(doc.path)
        if current != doc.data:
            theirs = parse_document(
                doc.path, doc.where, current, settings.encoding, settings.schema
            )
            raise EditConflict(theirs, changes(doc.rows, theirs.rows))
        write_files({doc.path: data})
    return parse_document(doc.path, doc.where, data, settings.encoding, settings.schema)
