"""Stage 5, publish: the only module that writes files.

Writes are all-or-nothing: every file is first written to a temporary file beside its target
and flushed to disk; only when all of them are written are they moved into place, each with an
atomic rename. A failure before that point removes the temporary files and leaves the previous
outputs exactly as they were. Files whose bytes would not change are not touched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from geo.errors import PublishError


def _write_temp(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        os.chmod(name, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def _unchanged(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def write_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Write `files` (path -> bytes) all or nothing; return the paths whose content changed."""
    changed = {path: data for path, data in files.items() if not _unchanged(path, data)}
    staged: dict[Path, Path] = {}
    try:
        for path, data in changed.items():
            staged[path] = _write_temp(path, data)
    except OSError as exc:
        for temp in staged.values():
            with contextlib.suppress(OSError):
                temp.unlink()
        raise PublishError(
            f"{exc.filename or 'output'}: cannot write ({exc.strerror or exc}); "
            "nothing was changed. Check the folder exists and is writable."
        ) from exc
    except BaseException:
        for temp in staged.values():
            with contextlib.suppress(OSError):
                temp.unlink()
        raise
    for path, temp in staged.items():
        os.replace(temp, path)
    return sorted(changed)
