"""The one write mechanism of geo build and geo publish: made aside, flushed, renamed.

Every file, folder and link geo puts where others read is first made under a name nobody reads
(a temporary file beside its target, a new version folder or a new link in the publication's
store), its bytes flushed to the disk (``fsync`` of the file, :func:`write_durably`), and then
put in place by :func:`rename`:

1. the folders holding what is renamed are flushed, so that its name is on the disk;
2. each is renamed onto its target with ``rename(2)`` (``os.replace``), which POSIX makes
   atomic: a reader sees the old or the new, never a gap or half a file;
3. the folders holding the targets are flushed, so that the renames survive a power cut.

The build's journal (:mod:`geo.io.journal`: a set of files replaced as one, surviving a crash),
the publication's store of versions (:mod:`geo.io.versions`: complete folders behind one link)
and :func:`geo.io.write.write_files` (a few files at paths a person named) are built on these
functions; no other module of geo renames or flushes (``tests/io/test_durable.py`` holds that,
and the order above). Files are opened by :mod:`geo.io.own`: never through a link.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from geo.io import Data
from geo.io.crashpoint import step
from geo.io.own import named, write_new

TEMP_SUFFIX = ".geo-tmp"


def tag() -> str:
    """A fresh id for names made aside (16 hex digits)."""
    return secrets.token_hex(8)


def temp_of(target: Path, txid: str) -> Path:
    """The name beside `target` where its new bytes wait: ``.<name>.<txid>.geo-tmp``."""
    return target.with_name(f".{target.name}.{txid}{TEMP_SUFFIX}")


def fsync_dir(folder: Path) -> None:
    """Make the names in `folder` durable (a no-op where folders cannot be flushed)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_durably(path: Path, data: Data, mode: int = 0o644) -> None:
    """Write a new file that nobody reads yet and flush it to the disk: never through a link,
    never over a file that is there (:func:`geo.io.own.write_new`)."""
    write_new(path, data, "a new file of geo's", mode)


def _folders(paths: Iterable[Path]) -> list[Path]:
    return sorted({p.parent for p in paths})


def rename(moves: Iterable[tuple[Path, Path]], done: str = "") -> None:
    """Put each source (a file, a folder or a link, made aside and flushed) at its target: the
    sources' folders flushed, one ``rename(2)`` each (crash point ``<done> <target>`` after each
    when `done` is given), the targets' folders flushed."""
    moves = list(moves)
    for folder in _folders(src for src, _ in moves):
        fsync_dir(folder)
    for src, dst in moves:
        os.replace(src, dst)
        if done:
            step(f"{done} {dst}")
    for folder in _folders(dst for _, dst in moves):
        fsync_dir(folder)


def replace(path: Path, data: Data, temp: Path | None = None, mode: int = 0o644) -> None:
    """Replace the file `path` by one holding `data`, in one step: written aside (at `temp`,
    by default :func:`temp_of`), flushed, renamed. An OSError names `path`; the temporary file
    is removed if anything fails."""
    temp = temp or temp_of(path, tag())
    try:
        with named(path, instead=True):  # (the file, not its temporary name)
            write_durably(temp, data, mode)
            rename([(temp, path)])
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def remove(paths: Iterable[Path], done: str = "") -> None:
    """Delete files (those already gone are skipped) and flush their folders."""
    paths = list(paths)
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            if done:
                step(f"{done} {path}")
    for folder in _folders(paths):
        fsync_dir(folder)


def exchange(a: Path, b: Path) -> bool:
    """Swap two names in one step (Linux ``renameat2(RENAME_EXCHANGE)``), then flush their
    folders; False where it is not supported (nothing was done).

    Only for turning a real folder into a link: ``rename(2)`` cannot put a link over a folder
    that is not empty, and two renames leave a moment with nothing at the name (Python's ``os``
    has no call for this one, so libc's is called through ctypes)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fsync_dir(a.parent)
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
        return False
    for folder in _folders([a, b]):
        fsync_dir(folder)
    return True
