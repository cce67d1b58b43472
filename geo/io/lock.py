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
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from geo.errors import BusyError, PublishError
from geo.io import crashpoint

DEFAULT_WAIT = 60.0  # seconds a second run waits before it gives up
POLL = 0.05


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
    """An fd holding the lock on the file now at `path`, or None if another process holds it."""
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
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
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()[:4096]
    except OSError:
        return b""


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
        raise PublishError(
            f"{path}: cannot take the lock ({exc.strerror or exc}); expected a folder on a "
            "file system that supports flock. Nothing was changed."
        ) from exc
    try:
        left = os.pread(fd, 4096, 0)
        taken_over = describe_holder(left) if left.strip() else None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder_info()).encode(), 0)
        crashpoint.step(f"lock {path}")
        yield taken_over
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # still ours: nobody else can hold it while we do
        os.close(fd)
