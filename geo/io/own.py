"""Opening files safely: geo's own files never through a link, inputs only when they are files.

Every file geo makes or keeps for itself (a lock, a journal, a manifest, a render stamp, a
temporary file, the publication's marker and store) is opened here, by :func:`open_own`: never
through a symbolic link (``O_NOFOLLOW``), never anything but a regular file (``fstat`` of what
was opened compared with ``lstat`` of the name), never rewritten in place when the file has other
names (a hard link to ``geo.toml`` planted as a lock file would be written through), and a new
file with ``O_CREAT | O_EXCL``, which neither follows a link nor opens what is there. Whatever
else stands at the name (a link, a named pipe, a device, a socket, a folder) is refused with
:class:`~geo.errors.NotAFileError` (exit status 2), naming it, before anything is written.
A cloned repository can carry such things: git checks out links even where .gitignore lists
their names, and a build in CI must not write through them.

Inputs (the table, the settings, a basemap) are opened by :func:`open_input`: links are followed
(people link their tables), but only a regular file is read, and only up to a size: a named
pipe would block the run, ``/dev/zero`` would never end.

:func:`named` gives an ``OSError`` of a call that has no file name (``os.write`` on a descriptor)
the name of the file, so that every message says which file the disk refused, and
:func:`reason` says why in words a person acts on (the disk is full, the file system is
read-only). A module of its own so that every writer uses the same few functions.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from geo.errors import NotAFileError
from geo.io import Data, Joined

_NEVER = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_WRITES = os.O_WRONLY | os.O_RDWR

KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def kind(path: Path | str, mode: int) -> str:
    """What a file of `mode` is, in words (a link says where it points)."""
    for test, words in KINDS:
        if test(mode):
            if test is stat.S_ISLNK:
                with contextlib.suppress(OSError):
                    target = os.readlink(path)
                    words += f" to {target[:120]}" + ("…" if len(target) > 120 else "")
            return words
    return "a file" if stat.S_ISREG(mode) else "not a regular file"


def refused(
    path: Path | str, mode: int, what: str, shown: str | None = None, ours: bool = True
) -> NotAFileError:
    """The error for `mode` found at `path` where `what` was expected (`ours`: a name geo
    writes, where nothing may stand either; else an input to read)."""
    found = f"is {kind(path, mode)}"
    if ours:
        return NotAFileError(
            f"{shown or path}: {found}; expected {what}, or nothing there. Nothing was changed: "
            "geo never writes or reads its files through such a thing. Remove it (git rm it if "
            "it is committed), then run again.",
            Path(path),
            found,
        )
    return NotAFileError(
        f"{shown or path}: {found}; expected {what}, a regular file. Nothing was read.",
        Path(path),
        found,
    )


def check_own(path: Path, what: str) -> bool:
    """Whether geo's own file `path` is there (a regular file); NotAFileError for anything else
    standing at the name. For a name that is only ever replaced by a rename (which replaces a
    link rather than following it) or removed: refused all the same, before anything is done."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(mode):
        raise refused(path, mode, what)
    return True


def nothing_at(path: Path, what: str) -> None:
    """Refuse whatever stands at a name geo is about to make (`what`): a link planted there."""
    with contextlib.suppress(FileNotFoundError):
        raise refused(path, os.lstat(path).st_mode, what)


def is_real(path: Path, test: Callable[[int], bool]) -> bool:
    """Whether `path` itself, not what a link there points to, passes `test` (S_ISDIR...)."""
    try:
        return test(os.lstat(path).st_mode)
    except OSError:
        return False


def open_own(path: Path, flags: int, what: str, mode: int = 0o644) -> int:
    """A descriptor of geo's own file `path` (`what` names it in messages), opened with `flags`:

    - ``os.O_RDONLY`` to read one (FileNotFoundError if there is none);
    - ``os.O_RDWR | os.O_CREAT`` to keep one that may be there (a lock file);
    - ``os.O_WRONLY | os.O_CREAT | os.O_EXCL`` to make a new one (FileExistsError if a file
      is there).

    Never through a link, and only a regular file; one opened to be written must have no other
    name (hard link). Anything else is :class:`~geo.errors.NotAFileError` naming it. ``O_TRUNC``
    is not taken: truncate the descriptor once it is known to be ours.
    """
    assert not flags & os.O_TRUNC, "truncate the descriptor once it is checked"
    try:
        before: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        before = None
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise refused(path, before.st_mode, what)
    try:
        fd = os.open(path, flags | _NEVER, mode)
    except OSError as exc:
        # A link (ELOOP) or a named pipe without a reader (ENXIO) put there since the lstat.
        if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR, errno.EEXIST):
            with contextlib.suppress(OSError):
                now = os.lstat(path).st_mode
                if not stat.S_ISREG(now):
                    raise refused(path, now, what) from exc
        raise
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise refused(path, found.st_mode, what)
        if before is not None and (found.st_dev, found.st_ino) != (before.st_dev, before.st_ino):
            raise NotAFileError(
                f"{path}: was replaced while geo opened it; expected {what}. Nothing was "
                "changed; run again.",
                Path(path),
            )
        if flags & _WRITES and found.st_nlink > 1:
            raise NotAFileError(
                f"{path}: has {found.st_nlink} names (hard links); expected {what}, a file of "
                "geo's own with no other name. Nothing was changed: writing it would change the "
                "other names too. Remove it, then run again.",
                Path(path),
            )
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_own(path: Path, what: str, limit: int = 64 * 1024 * 1024) -> bytes:
    """The bytes of geo's own file `path` (see :func:`open_own`), at most `limit` of them
    (NotAFileError beyond: geo never writes its own files that large)."""
    fd = open_own(path, os.O_RDONLY, what)
    with os.fdopen(fd, "rb") as fp, named(path):
        data = fp.read(min(limit, os.fstat(fd).st_size) + 1)
    if len(data) > limit:
        raise NotAFileError(
            f"{path}: is larger than {limit:,} bytes; expected {what}, which geo writes much "
            "smaller. Remove it, then run again.",
            Path(path),
        )
    return data


def write_new(path: Path, data: Data, what: str, mode: int = 0o644) -> None:
    """Write `data` as a new file of geo's own at `path` (see :func:`open_own`;
    FileExistsError if there is one), flushed to the disk before it returns. An OSError names
    `path`; the file is removed again if it cannot be written whole."""
    fd = open_own(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, what, mode)
    try:
        with named(path):
            for batch in data.batches() if isinstance(data, Joined) else [[data]]:
                written = os.writev(fd, batch)
                if written < sum(map(len, batch)):  # (what one call did not write)
                    view = memoryview(b"".join(batch))[written:]
                    while view:
                        view = view[os.write(fd, view) :]
            os.fsync(fd)
            os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    with named(path):
        os.close(fd)


def open_input(path: Path, what: str, limit: int, shown: str | None = None) -> BinaryIO:
    """The input file `path` (the table, the settings, a basemap), opened for reading: a link is
    followed, but only a regular file is opened (:class:`~geo.errors.NotAFileError` for a
    folder, a named pipe, a device or a socket, before anything is read or waited for), and
    one larger than `limit` bytes is refused naming the limit. `shown` names it in messages."""
    where = shown or str(path)
    mode = os.stat(path).st_mode  # FileNotFoundError, PermissionError: the caller words them
    if not stat.S_ISREG(mode):
        raise refused(path, mode, what, where, ours=False)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):  # replaced since the stat
            raise refused(path, found.st_mode, what, where, ours=False)
        if found.st_size > limit:
            raise NotAFileError(
                f"{where}: is {megabytes(found.st_size)}; expected {what} of at most "
                f"{megabytes(limit)}. Nothing was read.",
                Path(path),
                f"is {megabytes(found.st_size)}",
                too_large=True,
            )
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def megabytes(size: int) -> str:
    """A size for a message: ``512 MB``, ``0.3 MB`` (MB of 2**20 bytes)."""
    value = size / 2**20
    return f"{value:,.0f} MB" if value >= 10 else f"{value:,.1f} MB"


@contextlib.contextmanager
def named(path: Path | str, instead: bool = False) -> Iterator[None]:
    """Give an OSError raised inside (by a call on a descriptor, which has no file name) the
    name of the file `path` it concerns; `instead`: whatever name it had (a temporary file's,
    where the message must name the file it was to become)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None or instead:
            raise type(exc)(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise


REASONS = {
    errno.ENOSPC: "the disk is full (no space left on device)",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


def reason(exc: OSError) -> str:
    """Why the system refused, in words a person acts on (``the disk is full``)."""
    said = REASONS.get(exc.errno or 0)
    if said is not None:
        return said
    return (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
