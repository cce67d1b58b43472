"""Render stamps: skip re-rendering maps whose inputs have not changed.

Rendering the interactive maps imports Folium and the print map imports matplotlib and
rasterises a figure: most of a build, though the outputs are a pure function of their inputs.
So each renderer's outputs are recorded in a stamp file beside them, with a digest of everything
they were made from: the layers, the basemap, the settings, the renderer's own source files and
the versions of the libraries that shape the bytes. When the digest is the same and every
recorded file is still there with the recorded SHA-256, the build reuses those bytes instead of
rendering; anything else (a changed table, setting, renderer or library, a file edited or
deleted by hand, ``--force``) renders anew. Outputs are deterministic, so reusing them gives
exactly what rendering would.

A renderer's source files are not listed but found (:func:`sources`): the modules of this
package that its own modules import, followed from module to module, and the data files of
every package among them (templates, scripts, text catalogues). A module or template added to
what a renderer uses is in its key from then on; one it does not use is not.

Reads only; the stamp is written with the other outputs by :mod:`geo.io.write`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.io import sha256
from geo.io.own import read_own

STAMP_VERSION = 1
PACKAGE = Path(__file__).resolve().parent.parent  # the geo package


@dataclass(frozen=True)
class Renderer:
    """A renderer whose outputs can be reused: its stamp file and what its output depends on."""

    name: str  # the stamp file is `.<name>.stamp.json` in the maps folder
    modules: tuple[str, ...]  # modules of this package that make its output (see `sources`)
    libraries: tuple[str, ...]  # distributions whose versions shape the output

    def stamp_path(self, folder: Path) -> Path:
        return folder / f".{self.name}.stamp.json"


# An import statement: ``from X import names`` (names in brackets may span lines) or
# ``import X, Y as Z``. Unindented, it runs when its module is imported; indented, when a
# function runs (or under ``if``/``try``). Text inside strings may match: one source too many.
IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n]*)|import[ \t]+(?P<modules>[^\n]*))",
    re.MULTILINE,
)


def _modules(package: Path) -> dict[str, Path]:
    """Every module of `package` by its name (``geo.web`` is ``geo/web/__init__.py``)."""
    found = {}
    for folder, dirs, files in os.walk(package):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        if "__init__.py" in files:
            parts = Path(folder).relative_to(package.parent).parts
            for file in files:
                if file.endswith(".py"):
                    stem = () if file == "__init__.py" else (file[:-3],)
                    found[".".join((*parts, *stem))] = Path(folder, file)
    return found


def _imports(
    name: str, path: Path, modules: Mapping[str, Path]
) -> Iterator[tuple[str, bool, bool]]:
    """Each module that module `name` (at `path`) imports: whether the statement is
    unindented (it runs when `name` itself is imported), and whether what `name` uses of it
    may be anything (its functions: all of them) or only its submodules (``from geo import
    gazetteer`` runs ``geo/__init__.py`` and uses ``geo.gazetteer``)."""
    own = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for found in IMPORT.finditer(path.read_text(encoding="utf-8")):
        top = not found["indent"]
        if found["modules"] is not None:  # import a.b as c, d
            for item in found["modules"].split("#")[0].split(","):
                yield item.split(" as ")[0].strip(), top, True
            continue
        base = found["base"]
        if base.startswith("."):  # relative: from .x import y, from .. import z
            level = len(base) - len(base.lstrip("."))
            parent = own.rsplit(".", level - 1)[0] if level > 1 else own
            base = parent + ("." + base.lstrip(".") if base.lstrip(".") else "")
        names = found["names"].split("#")[0].strip("()").split(",")
        names = [n.split(" as ")[0].strip() for n in names if n.strip()]
        submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in modules]
        yield base, top, len(submodules) < len(names)
        for module in submodules:
            yield module, top, True


def _data_files(package_dir: Path) -> Iterator[Path]:
    """The files of a package that are not Python: everything in its folder and below, but
    compiled bytecode and the folders of its subpackages (packages of their own)."""
    for folder, dirs, files in os.walk(package_dir):
        dirs[:] = sorted(
            d for d in dirs if d != "__pycache__" and not Path(folder, d, "__init__.py").exists()
        )
        yield from (Path(folder, f) for f in files if not f.endswith((".py", ".pyc")))


def sources(names: Iterable[str], package: Path = PACKAGE) -> list[Path]:
    """Every file of `package` that its modules `names` depend on, sorted.

    The modules themselves, and every module of the package they import, followed: all the
    imports of a module that is imported (also those in its functions, which it may call), only
    the unindented ones of a package that is imported because a module inside it is (its
    ``__init__.py`` runs; its functions need not). Then the data files of each package met.
    """
    modules = _modules(package)
    todo = [(name, True) for name in names]
    whole: dict[str, bool] = {}  # module -> whether all its imports were followed
    while todo:
        name, every = todo.pop()
        if name not in modules or whole.get(name, False) or (name in whole and not every):
            continue
        whole[name] = every
        parts = name.split(".")
        todo += [(".".join(parts[:i]), False) for i in range(1, len(parts))]
        found = _imports(name, modules[name], modules)
        todo += [(module, uses_all) for module, top, uses_all in found if every or top]
    files = {modules[name] for name in whole}
    for name in whole:
        if modules[name].name == "__init__.py":
            files.update(_data_files(modules[name].parent))
    return sorted(files)


def fingerprint(renderer: Renderer, inputs: Iterable[bytes], package: Path = PACKAGE) -> str:
    """The digest of a renderer's inputs, its source files and its libraries' versions."""
    # Imported here: the command does not need it until the keys are made.
    from importlib import metadata

    digest = hashlib.sha256(f"stamp {STAMP_VERSION} {renderer.name}\n".encode())
    for path in sources(renderer.modules, package):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(sha256(path.read_bytes()).encode())
    for name in renderer.libraries:
        digest.update(f"{name}=={metadata.version(name)}\n".encode())
    for data in inputs:
        digest.update(sha256(data).encode())
    return digest.hexdigest()


def reusable(folder: Path, renderer: Renderer, key: str) -> dict[str, bytes] | None:
    """The files recorded by the stamp, if it was made from `key` and they are intact."""
    try:
        stamp = json.loads(read_own(renderer.stamp_path(folder), "a render stamp of geo build"))
        if stamp.get("key") != key or not all(map(_inside, stamp["files"])):
            return None
        what = "a map geo build wrote"
        files = {name: read_own(folder / name, what, 1 << 40) for name in stamp["files"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if any(sha256(data) != stamp["files"][name] for name, data in files.items()):
        return None
    return files


def _inside(name: str) -> bool:
    """A name of a file in the maps folder (never above it)."""
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def stamp(renderer: Renderer, key: str, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The stamp file recording `files` as made from `key`, by path relative to the folder."""
    text = json.dumps(
        {"key": key, "files": {name: sha256(data) for name, data in sorted(files.items())}},
        indent=1,
        sort_keys=True,
    )
    return {renderer.stamp_path(Path()).as_posix(): (text + "\n").encode()}
