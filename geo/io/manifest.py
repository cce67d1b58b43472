"""Part of the writer: which files in ``geo build``'s output folders are ours to replace.

Each output folder (``[output] layers`` and ``maps``) holds ``.geo-build.json``, the manifest of
what the last build wrote there and which settings file it wrote for::

    {"generator": "geo build", "settings": "../../geo.toml", "files": ["all.geojson", ...]}

(`settings` is the settings file's path relative to the folder, so the manifest is the same in
every clone; it is committed with the outputs.) A build may replace only the files its manifest
lists; it refuses, naming them, files there that it did not write and would change (a file
with exactly the bytes it would write is taken over: replacing it loses nothing). It refuses a
folder whose manifest names another settings file: a second project must not overwrite the
first one's outputs. Files that the last build wrote and this one does not are deleted. Pure:
it reads, the journal (:mod:`geo.io.journal`) writes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from geo.errors import PublishError, UsageError

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
        doc = json.loads(path.read_bytes())
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


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size != len(data) or path.read_bytes() != data
    except FileNotFoundError:
        return False
    except OSError:
        return True


def manifest_bytes(owner: str, names: Iterable[str]) -> bytes:
    doc = {"generator": "geo build", "settings": owner, "files": sorted(names)}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()


def plan(
    files: Mapping[Path, bytes], folders: Sequence[Path], settings_file: Path, shown: str
) -> Plan:
    """Check ownership in every output folder; the writes (manifests added) and the deletes.

    `shown` is how messages name the settings file.
    """
    folders = sorted({Path(os.path.abspath(f)) for f in folders})
    by_folder: dict[Path, dict[Path, bytes]] = {f: {} for f in folders}
    for path, data in files.items():
        path = Path(os.path.abspath(path))
        by_folder[_folder_of(path, folders)][path] = data
    writes: dict[Path, bytes] = {}
    deletes: list[Path] = []
    for folder, mine in by_folder.items():
        owner = owner_of(settings_file, folder)
        manifest = read_manifest(folder)
        listed = set(manifest["files"]) if manifest else set()  # type: ignore[arg-type]
        if manifest and listed and manifest["settings"] != owner:
            raise UsageError(
                f"{folder}: holds the outputs of another settings file ({manifest['settings']}, "
                f"says {MANIFEST}); expected outputs of {shown} only. Give {shown} output "
                "folders of its own ([output] layers and maps)."
            )
        names = {path: path.relative_to(folder).as_posix() for path in mine}
        foreign = sorted(
            name
            for path, name in names.items()
            if name not in listed and _differs(path, mine[path])
        )
        if foreign:
            raise UsageError(
                f"{folder}: {len(foreign)} file(s) there were not written by geo build and would "
                f"be replaced: {_names(foreign)}; expected a folder that only geo build writes "
                "to. Move them away, or choose another folder in [output]."
            )
        writes.update(mine)
        deletes += [folder / n for n in sorted(listed - set(names.values()))]
        new = manifest_bytes(owner, names.values())
        if _differs(folder / MANIFEST, new) or not (folder / MANIFEST).exists():
            writes[folder / MANIFEST] = new
    return Plan(writes, tuple(deletes))
