"""Render stamps: skip re-rendering maps whose inputs have not changed.

Rendering the interactive maps imports Folium (about 0.8 s) and the print map imports matplotlib
and rasterises a figure (about 1.2 s): most of a build, though the outputs are a pure function of
their inputs. So each renderer's outputs are recorded in a stamp file beside them, with a digest
of everything they were made from: the layers, the basemap, the settings, the renderer's own
source files and the versions of the libraries that shape the bytes. When the digest is the same
and every recorded file is still there with the recorded SHA-256, the build reuses those bytes
instead of rendering; anything else (a changed table, setting, renderer or library, a file edited
or deleted by hand, ``--force``) renders anew. Outputs are deterministic, so reusing them gives
exactly what rendering would.

Reads only; the stamp is written with the other outputs by :mod:`geo.io.write`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.io import sha256

STAMP_VERSION = 1
PACKAGE = Path(__file__).resolve().parent.parent  # the geo package


@dataclass(frozen=True)
class Renderer:
    """A renderer whose outputs can be reused: its stamp file and what its output depends on."""

    name: str  # the stamp file is `.<name>.stamp.json` in the maps folder
    sources: tuple[str, ...]  # files of this package (globs allowed) that shape the output
    libraries: tuple[str, ...]  # distributions whose versions shape the output

    def stamp_path(self, folder: Path) -> Path:
        return folder / f".{self.name}.stamp.json"


def fingerprint(renderer: Renderer, inputs: Iterable[bytes]) -> str:
    """The digest of a renderer's inputs, its source files and its libraries' versions."""
    # Imported here: 0.02 s that the command would pay before it starts the print map's process.
    from importlib import metadata

    digest = hashlib.sha256(f"stamp {STAMP_VERSION} {renderer.name}\n".encode())
    for pattern in renderer.sources:
        # Files only: an installed package has __pycache__ folders beside its modules (text/),
        # and compiled bytecode follows from the source.
        for path in sorted(p for p in PACKAGE.glob(pattern) if p.is_file()):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(sha256(path.read_bytes()).encode())
    for name in renderer.libraries:
        digest.update(f"{name}=={metadata.version(name)}\n".encode())
    for data in inputs:
        digest.update(sha256(data).encode())
    return digest.hexdigest()


def reusable(folder: Path, renderer: Renderer, key: str) -> dict[str, bytes] | None:
    """The files recorded by the stamp, if it was made from `key` and they are intact."""
    try:
        stamp = json.loads(renderer.stamp_path(folder).read_bytes())
        if stamp.get("key") != key:
            return None
        files = {name: (folder / name).read_bytes() for name in stamp["files"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if any(sha256(data) != stamp["files"][name] for name, data in files.items()):
        return None
    return files


def stamp(renderer: Renderer, key: str, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The stamp file recording `files` as made from `key`, by path relative to the folder."""
    text = json.dumps(
        {"key": key, "files": {name: sha256(data) for name, data in sorted(files.items())}},
        indent=1,
        sort_keys=True,
    )
    return {renderer.stamp_path(Path()).as_posix(): (text + "\n").encode()}
