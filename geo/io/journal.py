"""Part of the writer: a set of files replaced together, surviving a crash at any point.

``geo build`` replaces files in place (the layers and the maps are committed to git, where a
folder behind a symlink would not do), in one or more output folders. Each file is replaced by a
rename, so a reader never sees it missing or half-written; the *set* is made crash-safe by a
journal, the way databases do it:

1. ``.geo-journal.json`` is written (state ``prepared``) into the first folder, and a copy
   pointing at it into each other folder; it lists every file to replace;
2. every new file is written aside, ``.<name>.<txid>.geo-tmp`` beside its target, and flushed;
   steps 1 and 2 may come again for more files (a build writes its layers aside while its maps
   are drawn): the journal always lists every temporary file before it is made;
3. the first folder's journal is rewritten with state ``committed``, listing the files to
   delete too: this one rename is the moment the new outputs win;
4. each temporary file is renamed onto its target, stale files are deleted;
5. the journals are removed (the copies first).

:func:`recover` finishes whatever a killed run left: a committed journal is rolled forward
(steps 4-5 again; each is idempotent), a prepared one rolled back (its temporary files removed).
Either way every temporary name is gone afterwards. Runs hold the output folders' locks
(:mod:`geo.io.lock`) while they do any of this. Every file is written, flushed and renamed by
:mod:`geo.io.durable`, the one mechanism the publication's store uses too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from geo.errors import PublishError
from geo.io import Data, durable
from geo.io.crashpoint import step
from geo.io.durable import TEMP_SUFFIX, temp_of, write_durably
from geo.io.own import check_own, named, read_own, reason

JOURNAL = ".geo-journal.json"
_TXID = re.compile(r"[0-9a-f]{16}")
__all__ = ["JOURNAL", "TEMP_SUFFIX", "Transaction", "recover", "temp_of", "write_durably"]


def _write_journal(path: Path, data: bytes) -> None:
    check_own(path, "the journal of geo build")  # (a rename would replace a link, not follow it)
    durable.replace(path, data, path.with_name(f"{path.name}.{durable.tag()}{TEMP_SUFFIX}"))


def _rel(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path, folder)).as_posix()


def _document(
    folder: Path,
    folders: Sequence[Path],
    txid: str,
    state: str,
    writes: Iterable[Path],
    deletes: Iterable[Path],
) -> bytes:
    doc = {
        "generator": "geo build",
        "txid": txid,
        "state": state,
        "primary": _rel(folders[0], folder),
        "folders": [_rel(f, folder) for f in folders],
        "writes": sorted(_rel(p, folder) for p in writes),
        "deletes": sorted(_rel(p, folder) for p in deletes),
    }
    return (json.dumps(doc, indent=1) + "\n").encode()


class Transaction:
    """One journal in `folders`: files written aside as they are ready, then put in place as one.

    :meth:`write_aside` may be called several times (a build writes its layers aside while its
    maps are drawn): each time the journal is rewritten, still ``prepared``, to list every file
    before any is written, so a crash at any point leaves a journal naming every temporary
    file. :meth:`commit` says ``committed`` and puts them in place; :meth:`abort` (any failure
    before the commit) removes them, the journal and the folders made for them.
    """

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)
        self.txid = durable.tag()
        self.temps: dict[Path, Path] = {}  # target -> its new bytes, written aside
        self._made: list[Path] = []  # folders made for the temporary files
        self._open = False  # a journal may be on disk
        self._committed = False

    def _prepare(self, writes: Iterable[Path], deletes: Iterable[Path] = ()) -> None:
        self._open = True
        writes, deletes = list(writes), list(deletes)
        for folder in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            state = "prepared" if folder == self.folders[0] else "copy"
            doc = _document(folder, self.folders, self.txid, state, writes, deletes)
            _write_journal(folder / JOURNAL, doc)
        step("journal prepared")

    def write_aside(self, writes: dict[Path, Data]) -> None:
        """Write each of `writes` (path -> bytes; each path once in a transaction) beside its
        target, flushed, and take it out of `writes` once written: its bytes are not kept."""
        new = sorted(writes)
        if not new:
            return
        self._prepare([*self.temps, *new])
        for path in new:
            temp = temp_of(path, self.txid)
            self._made += missing_parents(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            with named(path, instead=True):  # (the file it becomes, not the temporary one)
                write_durably(temp, writes.pop(path))
            self.temps[path] = temp  # (only once made: what stood there is not ours to remove)
            step(f"written aside {path}")
        for parent in sorted({p.parent for p in new}):
            durable.fsync_dir(parent)  # (before the journal can say committed)

    def commit(self, deletes: Iterable[Path]) -> None:
        """Put every file written aside in place and delete `deletes`, all as one."""
        deletes = sorted(deletes)
        if not self.temps and not deletes:
            self.abort()  # (nothing was written aside: nothing to undo but a journal)
            return
        primary = self.folders[0]
        if not self._open:  # only deletes: every folder still needs the journal
            self._prepare(self.temps, deletes)
        doc = _document(primary, self.folders, self.txid, "committed", self.temps, deletes)
        _write_journal(primary / JOURNAL, doc)
        self._committed = True
        step("journal committed")
        try:
            _roll_forward(self.folders, self.temps, deletes)
        except OSError as exc:
            raise PublishError(
                f"{exc.filename or primary}: cannot be put in place ({reason(exc)}); the "
                "new outputs are committed and the next geo build puts the rest in place (from "
                f"{primary / JOURNAL}). Check the disk has room and the folder is writable."
            ) from exc

    def abort(self) -> None:
        """Undo what was written aside, unless committed (the next run finishes that)."""
        if self._committed or not self._open:
            return
        self._open = False
        _roll_back(self.folders, self.temps.values())
        self.temps = {}
        for folder in reversed(self._made):  # deepest last made: removed first
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        self._made = []


def missing_parents(folder: Path) -> list[Path]:
    """`folder`'s ancestors that do not exist yet and `folder` itself, outermost first."""
    missing = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    return missing[::-1]


def _roll_forward(
    folders: Sequence[Path], temps: Mapping[Path, Path], deletes: Iterable[Path]
) -> None:
    moves = [(t, p) for p, t in temps.items() if check_own(t, "a file geo build wrote aside")]
    durable.rename(moves, "replaced")
    durable.remove((p for p in deletes if not p.is_dir()), "deleted")
    _finish(folders)


def _roll_back(folders: Sequence[Path], temps: Iterable[Path]) -> None:
    for temp in temps:
        if check_own(temp, "a file geo build wrote aside"):
            with contextlib.suppress(OSError):
                temp.unlink()
    _finish(folders)


def _finish(folders: Sequence[Path]) -> None:
    """Remove the journal copies, then the first folder's journal: the transaction is over."""
    for folder in [*folders[1:], folders[0]]:
        durable.remove([folder / JOURNAL])
    step("journal removed")


# --- recovery -----------------------------------------------------------------------------------


def _load(path: Path) -> dict[str, Any] | None:
    try:
        doc = json.loads(read_own(path, "the journal of geo build"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        raise PublishError(
            f"{path}: the journal of an interrupted geo build cannot be read ({exc}); expected "
            "the file geo build writes. Check the outputs beside it, then delete it."
        ) from exc
    lists = ("writes", "deletes", "folders")
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("txid"), str)
        or not _TXID.fullmatch(doc["txid"])
        or not isinstance(doc.get("primary"), str)
        or doc.get("state") not in ("prepared", "committed", "copy")
        or not all(isinstance(doc.get(k), list) for k in lists)
        or not all(isinstance(p, str) for k in lists for p in doc[k])
    ):
        raise PublishError(
            f"{path}: not a journal geo build writes; expected txid, state, primary, writes and "
            "deletes. Check the outputs beside it, then delete it."
        )
    return doc


def _sweep(folder: Path) -> None:
    """Remove the temporary copies of a journal whose rename was cut short."""
    try:
        entries = [e for e in folder.iterdir() if e.name.startswith(JOURNAL + ".")]
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(TEMP_SUFFIX) and check_own(entry, "the journal of geo build"):
            with contextlib.suppress(OSError):
                entry.unlink()


def _real(path: Path) -> Path:
    """`path` with links resolved; never raises on a loop (Path.resolve does, in 3.11)."""
    return Path(os.path.realpath(path))


def _real_parent(path: Path) -> Path:
    """`path` in its real folder (the file itself may be a link: it is replaced, not followed)."""
    return _real(path.parent) / path.name


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    return any(path.is_relative_to(f) for f in folders)


def recover(folder: Path) -> str | None:
    """Finish a transaction a killed run left in `folder`; say what was done (None: nothing).

    Only paths inside the transaction's folders that still hold its journal are touched, and
    only temporary files named after its id are renamed: a journal cannot move anything else.
    """
    _sweep(folder)
    folder = _real(folder)
    doc = _load(folder / JOURNAL)
    if doc is None:
        return None
    primary = _real(folder / doc["primary"])
    main = doc if primary == folder else _load(primary / JOURNAL)
    if main is None or main["txid"] != doc["txid"]:
        main, primary = doc, folder  # the first folder has moved on: this copy is stale
    listed = [_real(primary / f) for f in main["folders"]]
    mine = [f for f in dict.fromkeys([primary, *listed]) if _same_tx(f, doc["txid"])]
    writes = [_real_parent(primary / p) for p in main["writes"]]
    temps = {p: temp_of(p, doc["txid"]) for p in writes if _inside(p, mine)}
    deletes = [p for p in (_real_parent(primary / d) for d in main["deletes"]) if _inside(p, mine)]
    mine = mine or [folder]
    if main["state"] == "committed":
        _roll_forward(mine, temps, deletes)
        return "completed"
    _roll_back(mine, temps.values())
    return "rolled back"


def _same_tx(folder: Path, txid: str) -> bool:
    try:
        doc = _load(folder / JOURNAL)
    except PublishError:
        return False
    return doc is not None and doc["txid"] == txid
