"""Stage 5, write: the only way files reach the disk (with the modules beside it).

Three entry points, one per kind of output, all on one mechanism (:mod:`geo.io.durable`: made
aside, flushed, renamed); see ``docs/reliability.md`` for what readers and crashes see:

- :func:`build_outputs` (``geo build``): the layers and maps folders, locked
  (:mod:`geo.io.lock`), owned (:mod:`geo.io.manifest`) and replaced as one through a journal
  (:mod:`geo.io.journal`) that the next run completes or rolls back after a crash;
- :func:`publication` (``geo publish``): a complete new version of the publication folder,
  switched in behind a symbolic link in one rename (:mod:`geo.io.versions`), locked, and only
  where the folder is ours (its marker);
- :func:`write_files`: a few files at paths a person named (``InteractiveMap.save``): each
  written aside and renamed into place (no journal: a failure while writing changes nothing).

Files whose bytes would not change are not touched. Every step that changes the disk is a
numbered crash point (:mod:`geo.io.crashpoint`) for the tests.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.errors import NotAFileError, PublishError, UsageError
from geo.io import Data, durable, file_holds, journal, manifest, versions
from geo.io.lock import DEFAULT_WAIT, locked
from geo.io.own import named, reason

Notify = Callable[[str], None]
BUILD_LOCK = ".geo-build.lock"


def _unchanged(target: Path, data: bytes) -> bool:
    """Whether `target` holds `data` already; NotAFileError if a link or anything but a regular
    file stands there (it is not replaced: a person named the path)."""
    try:
        return file_holds(target, data)
    except OSError:
        return False


def _discard(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def write_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Write `files` (path -> bytes), each aside and flushed, then all renamed into place
    (:func:`geo.io.durable.rename`); return the paths whose content changed. A failure while
    writing aside changes nothing; every file is whole, the old or the new, at every moment."""
    changed = {path: data for path, data in files.items() if not _unchanged(path, data)}
    txid = durable.tag()
    staged: dict[Path, Path] = {}
    try:
        for path, data in changed.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with named(path, instead=True):  # (the file, not its temporary name)
                durable.write_durably(durable.temp_of(path, txid), data)
            staged[path] = durable.temp_of(path, txid)  # (only once made: then it is ours)
        durable.rename((temp, path) for path, temp in staged.items())
    except OSError as exc:
        _discard(t for t in staged.values() if os.path.lexists(t))
        raise _cannot_write(exc) from exc
    except BaseException:
        _discard(t for t in staged.values() if os.path.lexists(t))
        raise
    return sorted(changed)


def bytes_through_file(write: Callable[[Path], None], suffix: str) -> bytes:
    """Let `write` (a GDAL writer, which needs a seekable file) fill a private scratch file;
    return its bytes. The scratch folder is removed whatever happens."""
    try:
        with tempfile.TemporaryDirectory(prefix="geo-scratch-") as scratch:
            path = Path(scratch) / f"file{suffix}"
            write(path)
            return path.read_bytes()
    except OSError as exc:
        raise PublishError(
            f"{exc.filename or tempfile.gettempdir()}: cannot write a scratch file "
            f"({reason(exc)}); nothing was changed. Check the disk of the temporary folder "
            f"({tempfile.gettempdir()}) has room."
        ) from exc


def _quiet(_: str) -> None:
    pass


class OnDisk(Mapping[Path, bytes]):
    """Files by path, each read from the disk when asked for: a build's files once written,
    whose bytes are not kept."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._paths = dict.fromkeys(paths)

    def __getitem__(self, path: Path) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return path.read_bytes()

    def __iter__(self) -> Iterator[Path]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def _cannot_write(exc: OSError) -> PublishError:
    """The message for a file the system would not let geo write, naming the file."""
    return PublishError(
        f"{exc.filename or 'an output file'}: cannot write ({reason(exc)}); nothing was "
        "changed. Check the disk has room and the folder is writable."
    )


class BuildOutputs:
    """The locked output folders of one ``geo build``: files are written aside as they are
    ready (:meth:`stage`), then switched in together (:meth:`write`). Any failure before the
    switch (:meth:`abort`, which :func:`build_outputs` calls) leaves the folders as they were."""

    def __init__(self, folders: list[Path], settings_file: Path, shown: str) -> None:
        self.folders, self.settings_file, self.shown = folders, settings_file, shown
        self.changed: list[Path] = []
        self.paths: list[Path] = []  # every file of the build, as given
        self._owners: manifest.Owners | None = None
        self._tx = journal.Transaction(folders)

    def stage(self, files: dict[Path, Data]) -> None:
        """Write aside those of `files` (path -> bytes) whose bytes change, checking they are
        ours to replace; each file is taken out of `files` once done with, so that its bytes
        can be freed. Nothing is in place before :meth:`write`."""
        with self._aborting():
            self._tx.write_aside(self._admit(files))

    def write(self, files: dict[Path, Data]) -> list[Path]:
        """Stage the last `files`, then put every file staged in place as one (and delete
        the files the last build wrote and this one does not); the paths whose content
        changed, of all the files staged."""
        with self._aborting():  # (after the commit it does nothing: the next run finishes)
            aside = self._admit(files)
            assert self._owners is not None
            plan = self._owners.plan()
            self._tx.write_aside({**aside, **plan.writes})  # (the manifests too)
            del aside
            self._tx.commit(p for p in plan.deletes if os.path.lexists(p))
        self.changed.sort()
        return self.changed

    def _admit(self, files: dict[Path, Data]) -> dict[Path, Data]:
        """Those of `files` that must be written, by absolute path; taken out of `files`."""
        if self._owners is None:
            self._owners = manifest.Owners(self.folders, self.settings_file, self.shown)
        aside: dict[Path, Data] = {}
        for path in sorted(files):
            if path.is_dir():
                raise PublishError(
                    f"{path}: is a folder; expected a file to write (or nothing there). "
                    "Nothing was changed; move the folder away."
                )
            absolute = Path(os.path.abspath(path))
            self.paths.append(path)
            data = files.pop(path)
            if self._owners.admit(absolute, data):
                aside[absolute] = data
                self.changed.append(path)
            del data
        return aside

    @contextlib.contextmanager
    def _aborting(self) -> Iterator[None]:
        """Undo what was written aside on any failure; an OSError becomes a PublishError."""
        try:
            yield
        except OSError as exc:
            self.abort()
            raise _cannot_write(exc) from exc
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Remove whatever was written aside, unless the switch has begun."""
        self._tx.abort()


@contextlib.contextmanager
def build_outputs(
    folders: Sequence[Path],
    settings_file: Path,
    shown: str,
    wait: float = DEFAULT_WAIT,
    notify: Notify = _quiet,
) -> Iterator[BuildOutputs]:
    """Lock `folders` (waiting up to `wait` s), finish any interrupted build in them, and
    yield the writer; the locks are released, and folders made for nothing removed, after."""
    folders = sorted({Path(os.path.abspath(f)) for f in folders})
    made = [p for f in folders for p in journal.missing_parents(f)]
    try:
        with contextlib.ExitStack() as stack:
            for folder in folders:
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise UsageError(
                        f"{folder}: cannot be made ({reason(exc)}); expected an output "
                        "folder that can be written (check [output] in the settings)."
                    ) from exc
                taken = stack.enter_context(locked(folder / BUILD_LOCK, str(folder), wait, notify))
                if taken:
                    notify(f"{folder}: took over the lock of {taken}, which is no longer running.")
            for folder in folders:
                done = journal.recover(folder)
                if done:
                    notify(f"{folder}: an interrupted geo build was {done}.")
            outputs = BuildOutputs(folders, settings_file, shown)
            try:
                yield outputs
            except BaseException:
                outputs.abort()
                raise
    finally:
        for path in sorted(set(made), key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                path.rmdir()  # only if still empty: nothing was written there


@dataclass
class Written:
    """What :meth:`Publication.write` did."""

    folder: Path  # the version now served
    files: dict[str, bytes]  # every file geo wrote, the marker included
    kept: list[str]  # files that geo did not write, carried over from the previous version
    changed: bool


@dataclass
class Publication:
    """The locked publication folder of one ``geo publish``."""

    target: versions.Target

    @property
    def current(self) -> Path | None:
        """The publication served now (to read its change log), if there is one."""
        return self.target.current

    def write(self, files: Mapping[str, bytes], dataset: str, version: str) -> Written:
        """Write `files` as the new version of the publication of `dataset` and switch to it."""
        target = self.target
        current = target.current
        kept: list[str] = []
        if current is not None:
            marker = versions.read_marker(current) or {}
            if marker.get("dataset") != dataset:
                raise UsageError(
                    f"--out: {target.path} holds the publication of another dataset "
                    f"({str(marker.get('dataset'))[:100]}, says {versions.MARKER}); expected "
                    f"{dataset}. Choose another --out for this one."
                )
            kept = versions.foreign_files(current)
            versions.check_kept(current, kept, files)
        made = {**files, versions.MARKER: versions.marker_bytes(dataset, version, files)}
        if target.kind == "link" and current is not None and _same_folder(current, made):
            return Written(current, made, kept, False)
        before = {e.name for e in target.store.iterdir()}
        try:
            version_dir = versions.write_version(target, made, kept)
            versions.switch(target, version_dir)
        except NotAFileError:
            _remove_new(target.store, before)
            raise
        except OSError as exc:
            _remove_new(target.store, before)
            raise PublishError(
                f"{exc.filename or target.path}: cannot write ({reason(exc)}); nothing was "
                f"changed, the previous publication in {target.path} is as it was. Check the "
                "disk has room and the folder is writable."
            ) from exc
        previous = [current] if target.kind == "link" and current is not None else []
        versions.prune(target.store, [version_dir, *previous])
        return Written(version_dir, made, kept, True)


def _remove_new(store: Path, before: set[str]) -> None:
    """Remove what a failed write made in the store (the entries not in `before`)."""
    for entry in store.iterdir():
        if entry.name not in before:
            with contextlib.suppress(OSError):
                versions.remove_entry(entry)


def _same_folder(folder: Path, files: Mapping[str, bytes]) -> bool:
    marker = versions.read_marker(folder) or {}
    if set(marker.get("files", ())) != set(files):  # type: ignore[call-overload]
        return False
    try:
        return all(_unchanged(folder / name, data) for name, data in files.items())
    except NotAFileError:  # a link in the old version: the new one is written afresh
        return False


def check_publication(out: Path) -> None:
    """Refuse early (UsageError) a place to publish into that is not ours; writes nothing."""
    versions.inspect(versions.resolve(out))


@contextlib.contextmanager
def publication(
    out: Path, wait: float = DEFAULT_WAIT, notify: Notify = _quiet
) -> Iterator[Publication]:
    """Lock the publication folder `out` (following a link geo did not make), finish or undo
    an interrupted publish, check the folder is ours, and yield the writer."""
    path = versions.resolve(out)
    target = versions.inspect(path)  # refuse what is not ours before anything is made
    versions.open_store(target)
    try:
        with locked(target.store / versions.LOCK, str(out), wait, notify) as taken:
            if taken:
                notify(f"{out}: took over the lock of {taken}, which is no longer running.")
            done = versions.recover(path)
            if done:
                notify(f"{out}: an interrupted geo publish was {done}.")
            yield Publication(versions.inspect(path))
    finally:
        versions.remove_store_if_unused(target.store)
