"""Part of the writer: the publication folder, as complete versions behind one symlink.

``geo publish --out public`` makes ``public`` a symbolic link into a store beside it::

    public -> .public.geo/v000007      the link web servers serve through (switched atomically)
    .public.geo/.geo-store.json        marks the store as made by geo publish
    .public.geo/v000007/               the current publication, complete, with its marker
    .public.geo/v000006/               the previous one, kept for requests still under way
    .public.geo/lock                   while a run holds it (geo.io.lock)
    .public.geo/new-*/, link-*         while a run writes; a killed run's are removed next time

A new version is written in full into ``new-*``, renamed to the next ``vNNNNNN`` and then the
link is replaced by one pointing at it, with one ``rename(2)`` (each flushed and renamed by
:mod:`geo.io.durable`, as the build's files are): a reader going through ``public`` sees the
old publication or the new one, never a gap or a mixture. Each version holds
``.geo-publication.json``, the marker naming the dataset, its version and every file
``geo publish`` wrote; a folder without it is never replaced.

`out` given as a symbolic link that geo did not make is followed: the publication goes where it
points (the link itself is left as it is), and that place becomes the managed link. Pure
decisions (:func:`inspect`) are apart from the steps that change the disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.errors import PublishError, UsageError
from geo.io import durable
from geo.io.crashpoint import step
from geo.io.durable import write_durably
from geo.io.own import check_own, is_real, named, nothing_at, read_own, refused

MARKER = ".geo-publication.json"
STORE_MARK = ".geo-store.json"
LOCK = "lock"
_VERSION = re.compile(r"v(\d{6})")
_OURS = re.compile(r"(v\d{6}|new-[0-9a-f]{16}|link-[0-9a-f]{16}|old-[0-9a-f]{16}|lock)")
SHOWN = 8
MAX_LINKS = 40  # as Linux follows in one path (MAXSYMLINKS): a longer chain is ELOOP there too


def store_of(path: Path) -> Path:
    """The store of the publication at `path`: ``.<name>.geo`` beside it."""
    return path.parent / f".{path.name}.geo"


def _names(paths: list[str]) -> str:
    more = f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else ""
    return ", ".join(paths[:SHOWN]) + more


def read_marker(folder: Path) -> dict[str, object] | None:
    """The marker of a publication folder; None if there is none or it is not ours."""
    try:  # (a marker that cannot be read is not taken for a missing one: OSError)
        doc = json.loads(read_own(folder / MARKER, "the marker geo publish writes"))
    except (FileNotFoundError, NotADirectoryError, ValueError, RecursionError):
        return None
    files = doc.get("files") if isinstance(doc, dict) else None
    ok = (
        isinstance(doc, dict)
        and doc.get("generator") == "geo publish"
        and isinstance(doc.get("dataset"), str)
        and isinstance(doc.get("version"), str)
        and isinstance(files, list)
        and all(isinstance(f, str) and safe_relative(f) for f in files)
    )
    return doc if ok else None


def marker_bytes(dataset: str, version: str, files: Iterable[str]) -> bytes:
    """The marker: who made the folder, for which dataset and version, and every file it wrote."""
    doc = {
        "generator": "geo publish",
        "dataset": dataset,
        "version": version,
        "files": sorted({*files, MARKER}),
    }
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()


def safe_relative(name: str) -> bool:
    """Whether `name` stays inside the folder: relative, no part empty, ``.`` or ``..`` (the
    empty name, and an absolute one, whose first part is empty, included)."""
    return all(part not in ("", ".", "..") for part in name.split("/"))


def _is_our_link(path: Path) -> bool:
    try:
        target = os.readlink(path)
    except OSError:
        return False
    store = store_of(path)
    return (
        re.fullmatch(re.escape(store.name) + r"/v\d{6}", target) is not None
        and os.path.lexists(store / STORE_MARK)  # (a link there, or as the store, is refused)
        and is_real(store / target.split("/")[1], stat.S_ISDIR)
    )


def resolve(out: Path) -> Path:
    """Where the publication's link lives: `out`, or where a link geo did not make points."""
    path = Path(os.path.abspath(out))
    for _ in range(MAX_LINKS + 1):  # (the last turn finds what the last link points to)
        if not path.is_symlink() or _is_our_link(path):
            return path
        try:
            target = os.readlink(path)
            parent = path.parent.resolve(strict=False)
        except (OSError, RuntimeError) as exc:
            raise UsageError(f"--out: {out} cannot be followed ({exc}).") from exc
        path = Path(os.path.normpath(parent / target))
    raise UsageError(
        f"--out: {out} is a loop of symbolic links (or a chain of more than {MAX_LINKS}); "
        "expected a folder or a link to one."
    )


@dataclass(frozen=True)
class Target:
    """What is at the publication's place now."""

    path: Path
    kind: str  # new | empty | link (ours) | folder (a real folder holding our marker)
    current: Path | None  # the folder being served, if it is a publication

    @property
    def store(self) -> Path:
        return store_of(self.path)


def _listing(folder: Path) -> str:
    try:
        names = sorted(e.name + ("/" if e.is_dir() else "") for e in os.scandir(folder))
    except OSError:
        names = []
    return _names(names)


def inspect(path: Path) -> Target:
    """Classify `path`; UsageError for anything geo publish did not make and must not replace."""
    store = store_of(path)
    if os.path.islink(store):
        raise refused(store, stat.S_IFLNK, "geo's store of versions (a folder)")
    if store.exists() and not store.is_dir():
        raise UsageError(f"--out: {store} is in the way (a file); expected nothing there.")
    if store.is_dir() and not _store_is_ours(store):
        raise UsageError(
            f"--out: {store} exists and was not made by geo publish (found: {_listing(store)}); "
            "expected nothing there or geo's store of versions. Move it away."
        )
    if (path.parent / STORE_MARK).is_file():
        raise UsageError(
            f"--out: {path} is inside the store of versions of "
            f"{path.parent.parent / path.parent.name[1:-4]}; expected that folder itself."
        )
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return Target(path, "new", None)
    except OSError as exc:
        raise UsageError(f"--out: {path} cannot be used ({exc.strerror or exc}).") from exc
    if stat.S_ISLNK(mode):
        current = Path(os.path.realpath(path))
        if read_marker(current) is None:
            raise PublishError(
                f"--out: {path} points to {current}, which holds no complete publication; "
                f"expected a version with {MARKER}. Restore the store or remove the link."
            )
        return Target(path, "link", current)
    if not stat.S_ISDIR(mode):
        raise UsageError(f"--out: {path} is a file; expected a folder to publish into.")
    if read_marker(path) is not None:
        return Target(path, "folder", path)
    try:
        empty = next(os.scandir(path), None) is None
    except OSError as exc:
        raise UsageError(f"--out: {path} cannot be read ({exc.strerror or exc}).") from exc
    if empty:
        return Target(path, "empty", None)
    raise UsageError(
        f"--out: {path} is not empty and is not an earlier publication (it has no {MARKER}); "
        f"found: {_listing(path)}. Expected an empty or new folder, or one made by geo "
        "publish. Nothing was changed; choose another --out."
    )


def _store_is_ours(store: Path) -> bool:
    if os.path.lexists(store / STORE_MARK):
        return True
    try:
        return all(_OURS.fullmatch(e.name) for e in os.scandir(store))
    except OSError:
        return False


def open_store(target: Target) -> bool:
    """Make the store if there is none; return whether it was made now."""
    store = target.store
    made = not store.exists()
    try:
        store.mkdir(parents=True, exist_ok=True)
        if not check_own(store / STORE_MARK, "the mark of geo's store of versions"):
            write_durably(store / STORE_MARK, b'{"generator": "geo publish"}\n')
    except OSError as exc:
        raise UsageError(
            f"--out: cannot make {store} ({exc.strerror or exc}); expected a folder that can "
            "be written beside the output."
        ) from exc
    return made


def versions(store: Path) -> list[Path]:
    """The complete versions in the store, oldest first."""
    try:
        with os.scandir(store) as entries:
            found = [
                store / e.name
                for e in entries
                if _VERSION.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
            ]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name)


def remove_entry(path: Path) -> None:
    if is_real(path, stat.S_ISDIR):
        shutil.rmtree(path)  # (which removes links inside, never what they point to)
    else:
        path.unlink()


def foreign_files(current: Path) -> list[str]:
    """Files in a publication that geo publish did not write (a web server's CNAME, say)."""
    marker = read_marker(current)
    ours = set(marker["files"]) if marker else set()  # type: ignore[arg-type]
    found = []
    for root, dirs, files in os.walk(current):
        for name in [*files, *(d for d in dirs if os.path.islink(os.path.join(root, d)))]:
            rel = Path(os.path.relpath(os.path.join(root, name), current)).as_posix()
            if rel not in ours and rel != MARKER:
                found.append(rel)
    return sorted(found)


def check_kept(current: Path, kept: list[str], ours: Iterable[str]) -> None:
    """Refuse files we did not write that are in the way of ours, or that cannot be copied."""
    ours = set(ours)
    clash = [k for k in kept if k in ours or any(o.startswith(k + "/") for o in ours)]
    clash += [k for k in kept if any(k.startswith(o + "/") for o in ours)]
    odd = [k for k in kept if not (current / k).is_symlink() and not (current / k).is_file()]
    if clash:
        raise UsageError(
            f"{current}: {len(clash)} file(s) there were not written by geo publish and are in "
            f"the way of files it writes now: {_names(sorted(set(clash)))}; expected them "
            "elsewhere. Move them away, then publish again."
        )
    if odd:
        raise UsageError(
            f"{current}: {_names(odd)}: not a file or a link, so it cannot be carried over to "
            "the new publication; expected only files. Remove it, then publish again."
        )


def write_version(target: Target, files: Mapping[str, bytes], kept: list[str]) -> Path:
    """Write a complete new version into the store (`kept` copied from the current one)."""
    store = target.store
    staging = store / f"new-{durable.tag()}"
    nothing_at(staging, "a new version folder of geo publish")
    staging.mkdir()
    step("version folder made")
    folders = {staging}
    for name in sorted(files):
        if not safe_relative(name):
            raise PublishError(f"{name}: not a path inside the folder; expected a relative path.")
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        folders.add(path.parent)
        with named(target.path / name, instead=True):  # (as published, not the new version)
            write_durably(path, files[name])
        step(f"written {name}")
    for name in kept:
        source, path = target.current / name, staging / name  # type: ignore[operator]
        path.parent.mkdir(parents=True, exist_ok=True)
        folders.add(path.parent)
        if source.is_symlink():
            os.symlink(os.readlink(source), path)
        else:
            write_durably(path, source.read_bytes(), stat.S_IMODE(source.stat().st_mode))
        step(f"kept {name}")
    for folder in sorted(folders, reverse=True):
        os.chmod(folder, 0o755)
        durable.fsync_dir(folder)
    numbers = [int(v.name[1:]) for v in versions(store)]
    version = store / f"v{max(numbers, default=0) + 1:06d}"
    durable.rename([(staging, version)])
    step(f"version complete {version.name}")
    return version


def switch(target: Target, version: Path) -> None:
    """Point the publication's link at `version` in one step: a new link made aside in the
    store, renamed onto the publication's name (readers see the old or the new version)."""
    store = target.store
    link = store / f"link-{durable.tag()}"
    nothing_at(link, "the new link of geo publish")
    os.symlink(f"{store.name}/{version.name}", link)
    step("link made")
    if target.kind == "empty":
        os.rmdir(target.path)
        step("empty folder removed")
    if target.kind == "folder" and durable.exchange(link, target.path):
        step("switched")  # (the old folder is left at the link's name, removed by prune)
        return
    if target.kind == "folder":  # where the swap is not supported: a gap of one rename
        durable.rename([(target.path, store / f"old-{durable.tag()}")])
        step("old folder moved away")
    durable.rename([(link, target.path)])
    step("switched")


def prune(store: Path, keep: Iterable[Path]) -> None:
    """Remove every version but `keep`, and anything a killed run left in the store."""
    names = {k.name for k in keep}
    for entry in sorted(store.iterdir()):
        leftover = entry.name.startswith(("new-", "old-")) or (
            entry.name.startswith("link-") and not entry.is_symlink()
        )
        if leftover or (_VERSION.fullmatch(entry.name) and entry.name not in names):
            if not entry.name.startswith("link-") and not is_real(entry, stat.S_ISDIR):
                raise refused(entry, os.lstat(entry).st_mode, "a folder of geo's store")
            remove_entry(entry)
            step(f"removed {entry.name}")


def recover(path: Path) -> str | None:
    """Finish or undo what a killed run left in the store of `path`; say what was done."""
    store = store_of(path)
    if not store.is_dir():
        return None
    said = None
    for link in sorted(store.glob("link-*")):
        if not link.is_symlink():
            continue
        target = os.readlink(link)
        if not re.fullmatch(re.escape(store.name) + r"/v\d{6}", target):
            raise refused(link, stat.S_IFLNK, "a link geo publish made to one of its versions")
        missing = not os.path.lexists(path)
        empty = path.is_dir() and not path.is_symlink() and next(os.scandir(path), None) is None
        # (the link points from where it will be, beside the store: not from inside it)
        version = store / target.split("/")[1]
        if (missing or empty) and is_real(version, stat.S_ISDIR) and read_marker(version):
            if empty:
                os.rmdir(path)
            durable.rename([(link, path)])  # the interrupted run had made its version complete
            said = "completed"
        else:
            link.unlink()
    current = Path(os.path.realpath(path)) if _is_our_link(path) else None
    older = [v for v in versions(store) if current is None or v.name < current.name]
    keep = [current, older[-1]] if current and older else [current] if current else []
    leftovers = [
        e
        for e in store.iterdir()
        if e.name.startswith(("new-", "old-", "link-"))
        or (_VERSION.fullmatch(e.name) and e.name not in {k.name for k in keep})
    ]
    if leftovers:
        prune(store, keep)
        said = said or "cleaned up"
    return said


def remove_store_if_unused(store: Path) -> None:
    """Remove a store that holds no version (a first publish that failed leaves nothing)."""
    with contextlib.suppress(OSError):
        if {e.name for e in store.iterdir()} <= {STORE_MARK}:  # (no version, nothing else)
            (store / STORE_MARK).unlink()
            store.rmdir()
