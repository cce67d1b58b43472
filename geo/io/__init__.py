"""Reading and writing files: the table, the basemap, render stamps, and the only writer."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

BLOCK = 1 << 20  # compared a megabyte at a time


def sha256(data: bytes) -> str:
    """Hex SHA-256 of `data`: checksums of published files and render stamps."""
    return hashlib.sha256(data).hexdigest()


class Joined:
    """A file's bytes as pieces, joined only on the disk (:func:`geo.io.durable.write_durably`,
    :func:`file_holds`): the layers of a large table, whose features' text is held once
    although ``all`` repeats every feature: joined copies of a large table's layers would be
    the build's peak of memory (benchmarks/README.md)."""

    def __init__(self, pieces: Sequence[bytes | memoryview]) -> None:
        self.pieces = pieces
        self.size = sum(map(len, pieces))

    def __len__(self) -> int:
        return self.size

    def __bytes__(self) -> bytes:
        return b"".join(self.pieces)

    def batches(self, count: int = 1024) -> Iterator[Sequence[bytes | memoryview]]:
        """The pieces in order, `count` at a time (``os.writev`` takes 1024 at once)."""
        for start in range(0, len(self.pieces), count):
            yield self.pieces[start : start + count]

    def blocks(self) -> Iterator[bytes | memoryview]:
        """The bytes in order, in blocks of about :data:`BLOCK` (pieces joined, or cut)."""
        batch: list[bytes | memoryview] = []
        size = 0
        for piece in self.pieces:
            if len(piece) >= BLOCK:
                if batch:
                    yield b"".join(batch)
                    batch, size = [], 0
                view = memoryview(piece)
                yield from (view[i : i + BLOCK] for i in range(0, len(view), BLOCK))
                continue
            batch.append(piece)
            size += len(piece)
            if size >= BLOCK:
                yield b"".join(batch)
                batch, size = [], 0
        if batch:
            yield b"".join(batch)


Data = bytes | Joined  # what a file written by geo holds


def file_holds(path: Path, data: Data) -> bool:
    """Whether the file at `path` holds exactly `data` (read a block at a time for a
    :class:`Joined`). OSError if it cannot be read; :class:`~geo.errors.NotAFileError` if
    something else than a regular file of its own stands there (a link, a named pipe)."""
    from geo.io.own import open_own

    fd = open_own(path, os.O_RDONLY, "a file geo writes")
    with os.fdopen(fd, "rb") as file:
        if os.fstat(fd).st_size != len(data):
            return False
        if isinstance(data, bytes):
            return file.read(len(data) + 1) == data
        return all(file.read(len(block)) == block for block in data.blocks())
