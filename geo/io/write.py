"""Stage 5, publish: the only module that writes files.

Files are written all-or-nothing: every file is first written to a temporary file beside its target
and flushed to disk; only when all of them are written are they moved into place, each with an
atomic rename. A failure before that point removes the temporary files and leaves the previous
outputs exactly as they were. Files whose bytes would not change are not touched.

A whole folder (the publication) is replaced the same way by :func:`write_folder`: built aside,
then swapped in with two renames, then the old one deleted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
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


def _discard(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _commit(staged: Mapping[Path, Path]) -> None:
    """Move every staged file onto its target; on any failure put every target back as it was.

    Each old file is first kept under a hard link (a copy where links are not possible), so
    that a rename that fails half-way can be undone.
    """
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for path, temp in staged.items():
            if path.exists():
                backup = temp.with_suffix(".bak")
                try:
                    os.link(path, backup)
                except OSError:
                    shutil.copy2(path, backup)
                backups[path] = backup
            os.replace(temp, path)
            done.append(path)
    except BaseException:
        for path in reversed(done):
            with contextlib.suppress(OSError):
                if path in backups:
                    os.replace(backups.pop(path), path)
                else:
                    path.unlink()
        _discard([t for p, t in staged.items() if p not in done])
        raise
    finally:
        _discard(backups.values())


def write_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Write `files` (path -> bytes) all or nothing; return the paths whose content changed."""
    changed = {path: data for path, data in files.items() if not _unchanged(path, data)}
    for path in changed:
        if path.is_dir():
            raise PublishError(
                f"{path}: is a folder; expected a file to write (or nothing there). "
                "Nothing was changed; move the folder away."
            )
    staged: dict[Path, Path] = {}
    try:
        for path, data in changed.items():
            staged[path] = _write_temp(path, data)
        _commit(staged)
    except OSError as exc:
        _discard(t for t in staged.values() if t.exists())
        raise PublishError(
            f"{exc.filename or 'output'}: cannot write ({exc.strerror or exc}); "
            "nothing was changed. Check the folder exists and is writable."
        ) from exc
    except BaseException:
        _discard(t for t in staged.values() if t.exists())
        raise
    return sorted(changed)


def bytes_through_file(write: Callable[[Path], None], suffix: str) -> bytes:
    """Let `write` (a GDAL writer, which needs a seekable file) fill a private scratch file;
    return its bytes. The scratch folder is removed whatever happens."""
    with tempfile.TemporaryDirectory(prefix="geo-scratch-") as scratch:
        path = Path(scratch) / f"file{suffix}"
        write(path)
        return path.read_bytes()


def _safe_relative(name: str) -> Path:
    path = Path(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise PublishError(f"{name}: not a path inside the folder; expected a relative path.")
    return path


def _fill(folder: Path, files: Mapping[str, bytes]) -> None:
    for name in sorted(files):
        target = folder / _safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fp:
            fp.write(files[name])
            fp.flush()
            os.fsync(fp.fileno())
        os.chmod(target, 0o644)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def write_folder(
    target: Path,
    files: Mapping[str, bytes] | Callable[[], Mapping[str, bytes]],
    replaceable: Callable[[Path], bool] = lambda _: True,
) -> None:
    """Replace the folder `target` by one holding exactly `files` (relative path -> bytes).

    The new folder is built aside, in the same parent (so renames stay on one file system);
    only when every file is written is the old folder renamed away, the new one renamed into
    place and the old one deleted. `files` may be a function that makes them: it runs first, so
    a failure while building leaves `target` untouched too. A failure at any step leaves the
    previous folder complete and byte for byte as it was. A non-empty `target` for which
    `replaceable` says no is refused (it is not ours to delete).
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise PublishError(f"{target}: is a file; expected a folder to publish into.")
    if target.is_dir() and any(target.iterdir()) and not replaceable(target):
        raise PublishError(
            f"{target}: the folder is not empty and is not an earlier publication; "
            "expected an empty folder or one made by `geo publish`. Choose another --out."
        )
    made = files() if callable(files) else files
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".geo-staging-{target.name}-new-", dir=parent))
    except OSError as exc:
        raise PublishError(
            f"{parent}: cannot write ({exc.strerror or exc}); nothing was changed."
        ) from exc
    try:
        _fill(staging, made)
        os.chmod(staging, 0o755)
    except BaseException as exc:
        _remove(staging)
        if isinstance(exc, OSError):
            raise PublishError(
                f"{target}: cannot write ({exc.strerror or exc}); nothing was changed. "
                "Check the disk has room and the folder is writable."
            ) from exc
        raise
    old: Path | None = None
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".geo-staging-{target.name}-old-", dir=parent))
            os.rename(target, old / "previous")
        os.rename(staging, target)
    except OSError as exc:
        if old is not None and (old / "previous").exists() and not target.exists():
            os.rename(old / "previous", target)  # put the previous publication back
        _remove(staging)
        if old is not None:
            _remove(old)
        raise PublishError(
            f"{target}: cannot swap in the new folder ({exc.strerror or exc}); the previous "
            "publication is as it was."
        ) from exc
    if old is not None:
        _remove(old)
