"""One writer at a time: a lock per output, held for the whole of a build or a publish.

A lock is a small file (``.geo-build.lock`` in each output folder of ``geo build``; ``lock`` in
the store of a publication, see :mod:`geo.io.versions`) locked with ``flock(2)``. The kernel
drops the lock when its process ends, however it ends, so a lock left by a killed run is simply
taken over by the next one; the file names the holder (process id, command, host, start time)
so that a second run can say whom it is waiting for. The holder removes the file when it is
done: a run that finds the file again re-checks that it locked the file that is still there
(the usual race of removable lock files), so two runs can never both hold one.

A second run waits up to `wait` seconds (saying once that it waits, and for whom), then gives up
with :class:`~geo.errors.BusyError` (exit status 2) naming the running process.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from geo.errors import BusyError, GeoError, PublishError
from geo.io import crashpoint
from geo.io.own import named, open_own, read_own, reason

DEFAULT_WAIT = 60.0  # seconds a second run waits before it gives up
POLL = 0.05
WHAT = "geo's lock file"


def holder_info() -> dict[str, object]:
    """Who holds the lock: written into the lock file for the message of a waiting run."""
    command = " ".join(["geo", *sys.argv[1:]]) if sys.argv else "geo"
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command[:200],
        "since": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def describe_holder(raw: bytes) -> str:
    """The holder named in a lock file's bytes, for a message (anything unreadable: unknown)."""
    try:
        info = json.loads(raw)
        if not isinstance(info, dict):
            raise ValueError
        return (
            f"process {int(info['pid'])} on {str(info['host'])[:80]}, "
            f"`{str(info['command'])[:200]}`, started {str(info['since'])[:40]}"
        )
    except (ValueError, KeyError, TypeError, RecursionError):
        return "a process that did not say who it is"


def _try_lock(path: Path) -> int | None:
    """An fd holding the lock on the file now at `path`, or None if another process holds it.
    The file is opened as geo's own (:func:`geo.io.own.open_own`): never through a link."""
    while True:
        try:
            fd = open_own(path, os.O_RDWR | os.O_CREAT, WHAT)
        except FileNotFoundError:  # the holder before us removed the folder it had made
            path.parent.mkdir(exist_ok=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        try:  # the holder before us may have removed the file after we opened it: lock anew
            same = os.fstat(fd).st_ino == os.lstat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _read(path: Path) -> bytes:
    try:
        return read_own(path, WHAT, limit=4096)
    except (OSError, GeoError):
        return b""


def _cannot_lock(path: Path, exc: OSError) -> PublishError:
    """The message for a lock that cannot be taken, by what the system said."""
    if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
        expected = "a folder on a file system that supports flock (a local disk, or NFSv4)"
    else:
        expected = "a folder geo can write to"
    return PublishError(
        f"{exc.filename or path}: cannot take the lock ({reason(exc)}); expected {expected}. "
        "Nothing was changed."
    )


@contextlib.contextmanager
def locked(
    path: Path,
    what: str,
    wait: float = DEFAULT_WAIT,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[str | None]:
    """Hold the lock file `path` for the outputs `what`; yield who held it before if that
    process died holding it (its lock is taken over), else None."""
    deadline = time.monotonic() + max(wait, 0.0)
    told = False
    try:
        while (fd := _try_lock(path)) is None:
            holder = describe_holder(_read(path))
            if time.monotonic() >= deadline:
                raise BusyError(
                    f"{what}: another geo run is writing these outputs ({holder}); expected "
                    "one run at a time. Run again when it has finished, or give it time with "
                    "--wait SECONDS."
                )
            if not told and on_wait is not None:
                on_wait(f"{what}: waiting up to {wait:g} s for {holder} to finish.")
                told = True
            time.sleep(POLL)
    except OSError as exc:
        raise _cannot_lock(path, exc) from exc
    try:
        try:
            with named(path):
                left = os.pread(fd, 4096, 0)
                taken_over = describe_holder(left) if left.strip() else None
                os.ftruncate(fd, 0)
                os.pwrite(fd, json.dumps(holder_info()).encode(), 0)
        except OSError as exc:
            raise _cannot_lock(path, exc) from exc
        crashpoint.step(f"lock {path}")
        yield taken_over
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # still ours: nobody else can hold it while we do
        os.close(fd)
