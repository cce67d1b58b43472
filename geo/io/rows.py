"""Part of stage 1, read the source: the rows of a table, held compactly until validated.

A row as a dict of its 21 cells costs about six times its bytes in the file (a dict, and a
string object for every cell): too much for a large table (benchmarks/README.md, issue 21).
:class:`Rows` keeps each row as a ``marshal`` blob of its cells, packed into buffers of a
megabyte (about 1.2 times the file's bytes, and no object per row: a process forked to check
half the rows reads them without copying their pages) and gives :class:`RawRow` objects, made
when asked for, to whoever iterates or indexes it: the validator sees the sequence of rows it
always saw.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

BUFFER = 1 << 20  # bytes of rows packed together


@dataclass(frozen=True)
class RawRow:
    """One record of the table as text, with the line it starts on."""

    line: int
    cells: dict[str, str]

    @property
    def id(self) -> str | None:
        return self.cells.get("id", "").strip() or None


class Rows(Sequence[RawRow]):
    """The records of a table under its header, each held as one compact blob.

    `names` are the header's names, each once (a repeated column keeps its first cells, as the
    header check reports). :meth:`add` takes a record's cells in header order.
    """

    def __init__(self, names: Sequence[str], keep: Sequence[int] | None = None) -> None:
        self.names = tuple(names)
        self._keep = None if keep is None else tuple(keep)
        self._buffers: list[bytearray] = []
        self._lines = array("q")  # per row: its line, the buffer it is in, where, how long
        self._buffer = array("I")
        self._start = array("I")
        self._size = array("I")

    @classmethod
    def under(cls, header: Sequence[str]) -> Rows:
        """Empty rows under `header` (its first column of each name is kept)."""
        first: dict[str, int] = {}
        for i, name in enumerate(header):
            first.setdefault(name, i)
        keep = list(first.values())
        return cls(list(first), None if keep == list(range(len(header))) else keep)

    def add(self, line: int, record: Sequence[str]) -> None:
        cells = record if self._keep is None else [record[i] for i in self._keep]
        blob = marshal.dumps(tuple(cells))
        if not self._buffers or len(self._buffers[-1]) + len(blob) > BUFFER:
            self._buffers.append(bytearray())
        buffer = self._buffers[-1]
        self._lines.append(line)
        self._buffer.append(len(self._buffers) - 1)
        self._start.append(len(buffer))
        self._size.append(len(blob))
        buffer += blob

    def _cells(self, i: int) -> tuple[str, ...]:
        start = self._start[i]
        return marshal.loads(self._buffers[self._buffer[i]][start : start + self._size[i]])

    def _row(self, i: int) -> RawRow:
        return RawRow(self._lines[i], dict(zip(self.names, self._cells(i), strict=True)))

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> RawRow: ...

    @overload
    def __getitem__(self, index: slice) -> Rows: ...

    def __getitem__(self, index: int | slice) -> RawRow | Rows:
        if isinstance(index, slice):
            part = Rows(self.names)
            part._buffers = self._buffers  # (shared: the part's rows are in the same buffers)
            part._lines, part._buffer = self._lines[index], self._buffer[index]
            part._start, part._size = self._start[index], self._size[index]
            return part
        return self._row(range(len(self))[index])

    def __iter__(self) -> Iterator[RawRow]:
        names = self.names
        for i, line in enumerate(self._lines):
            yield RawRow(line, dict(zip(names, self._cells(i), strict=True)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # (mutable while it is read)

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows of {len(self.names)} columns)"
