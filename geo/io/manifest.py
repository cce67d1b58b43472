"""Part of the writer: which files in ``geo build``'s output folders are ours to replace.

Each output folder (``[output] layers`` and ``maps``) holds ``.geo-build.json``, the manifest of
what the last build wrote there and which settings file it wrote for::

    {"generator": "geo build", "settings": "../../geo.toml", "files": ["all.geojson", ...]}

(`settings` is the settings file's path relative to the folder, so the manifest is the same in
every clone; it is committed with the outputs.) A build may replace only the files its manifest
lists; it refuses, naming them, files there that it did not write and would change (a file
with exactly the bytes it would write is taken over: replacing it loses nothing). It refuses a
folder whose manifest names another settings file: a second project must not overwrite the
first one's outputs. Files that the last build wrote and this one does not are deleted. It
only reads: the journal (:mod:`geo.io.journal`) writes.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from geo.errors import PublishError, UsageError
from geo.io import Data, file_holds
from geo.io.own import read_own, refused

MANIFEST = ".geo-build.json"
SHOWN = 8  # files named in a message before "and N more"


@dataclass(frozen=True)
class Plan:
    """What a build writes and deletes, manifests included."""

    writes: dict[Path, bytes]
    deletes: tuple[Path, ...]


def owner_of(settings_file: Path, folder: Path) -> str:
    """How a manifest in `folder` names `settings_file`: relative to the folder, POSIX style."""
    return PurePosixPath(Path(os.path.relpath(settings_file, folder))).as_posix()


def _names(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:SHOWN])
    return shown + (f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else "")


def read_manifest(folder: Path) -> dict[str, object] | None:
    """The manifest of `folder` (None if there is none); PublishError if it is malformed."""
    path = folder / MANIFEST
    try:
        doc = json.loads(read_own(path, "the manifest of geo build"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        raise PublishError(
            f"{path}: cannot be read as geo build's manifest ({str(exc)[:120]}); expected the "
            "file geo build writes. Restore it from git, or delete it to have the folder "
            "checked file by file."
        ) from exc
    files = doc.get("files") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("settings"), str)
        or not isinstance(files, list)
        or not all(isinstance(f, str) and _safe(f) for f in files)
    ):
        raise PublishError(
            f"{path}: not the manifest geo build writes; expected settings and files (paths "
            "inside the folder). Restore it from git, or delete it to have the folder checked "
            "file by file."
        )
    return doc


def _safe(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _folder_of(path: Path, folders: Sequence[Path]) -> Path:
    """The deepest output folder holding `path`."""
    holding = [f for f in folders if path.is_relative_to(f)]
    if not holding:
        raise PublishError(f"{path}: outside the output folders; expected a path inside one.")
    return max(holding, key=lambda f: len(f.parts))


def _holds(path: Path, data: Data) -> bool | None:
    """Whether the file at `path` holds `data` (None: there is none; False: unreadable)."""
    try:
        return file_holds(path, data)
    except FileNotFoundError:
        return None
    except OSError:
        return False


def _check_folders(folder: Path, path: Path) -> None:
    """The folders between the output folder and `path` are real folders, not links (a link
    there would put geo's files wherever it points)."""
    inner = folder
    for part in path.relative_to(folder).parts[:-1]:
        inner = inner / part
        try:
            mode = os.lstat(inner).st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(mode):
            raise refused(inner, mode, "a folder geo writes into")


def manifest_bytes(owner: str, names: Iterable[str]) -> bytes:
    doc = {"generator": "geo build", "settings": owner, "files": sorted(names)}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()


class Owners:
    """Which files of a build the output `folders` let it write, file by file as they come.

    Made once the folders are locked: every folder's manifest is read at once, and a folder
    holding another settings file's outputs is refused before anything is written. Then
    :meth:`admit` checks each file of the build (the layers while the maps are still drawn, the
    maps after), and :meth:`plan` refuses the foreign files found and gives the manifests to
    write and the stale files to delete. `shown` is how messages name the settings file.
    """

    def __init__(self, folders: Sequence[Path], settings_file: Path, shown: str) -> None:
        self.folders = sorted({Path(os.path.abspath(f)) for f in folders})
        self.owner = {f: owner_of(settings_file, f) for f in self.folders}
        self.listed: dict[Path, set[str]] = {}
        self.names: dict[Path, set[str]] = {f: set() for f in self.folders}  # this build's
        self.foreign: dict[Path, list[str]] = {f: [] for f in self.folders}
        for folder in self.folders:
            manifest = read_manifest(folder)
            listed = set(manifest["files"]) if manifest else set()  # type: ignore[arg-type]
            if manifest and listed and manifest["settings"] != self.owner[folder]:
                raise UsageError(
                    f"{folder}: holds the outputs of another settings file "
                    f"({manifest['settings']}, says {MANIFEST}); expected outputs of {shown} "
                    f"only. Give {shown} output folders of its own ([output] layers and maps)."
                )
            self.listed[folder] = listed

    def admit(self, path: Path, data: Data) -> bool:
        """Whether `path` (absolute, in an output folder) must be written to hold `data`: not
        if it holds them already, nor if it is not ours to replace (:meth:`plan` refuses it).
        A file there that geo build did not write but with exactly these bytes is taken over."""
        folder = _folder_of(path, self.folders)
        name = path.relative_to(folder).as_posix()
        _check_folders(folder, path)
        self.names[folder].add(name)
        holds = _holds(path, data)
        if holds:
            return False
        if holds is False and name not in self.listed[folder]:
            self.foreign[folder].append(name)
            return False
        return True

    def plan(self) -> Plan:
        """Once every file is admitted: the manifests to write and the files to delete (those
        the last build wrote and this one did not); UsageError naming the foreign files."""
        for folder, found in self.foreign.items():
            if found:
                foreign = sorted(found)
                raise UsageError(
                    f"{folder}: {len(foreign)} file(s) there were not written by geo build and "
                    f"would be replaced: {_names(foreign)}; expected a folder that only geo "
                    "build writes to. Move them away, or choose another folder in [output]."
                )
        writes: dict[Path, bytes] = {}
        deletes: list[Path] = []
        for folder, names in self.names.items():
            deletes += [folder / n for n in sorted(self.listed[folder] - names)]
            new = manifest_bytes(self.owner[folder], names)
            if not _holds(folder / MANIFEST, new):
                writes[folder / MANIFEST] = new
        return Plan(writes, tuple(deletes))
