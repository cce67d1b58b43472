"""What the command says when the system refuses (issue 21, item 7): a full disk names the file
being written and says nothing was changed; a read-only file system is called that; every
OSError that reaches the command names a real path, never the word "path".

The faults are injected into the calls geo's own modules make (``os.writev`` on a descriptor
has no file name: geo must give it one), at the first and second call of each kind, during a
real `geo build` and `geo publish` through the command's one error handler.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile

import pytest
from click.testing import CliRunner

from geo import pipeline
from geo.cli import cli
from tests.publishing import BASE_URL
from tests.support import make_project

CALLS = ("open", "writev", "write", "fsync", "pwrite", "ftruncate", "replace", "rename", "mkdir",
         "symlink", "rmdir", "unlink", "link")  # fmt: skip
PASSING = ("os", "posixpath", "pathlib", "shutil", "tempfile", "contextlib", "genericpath")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("messages") / "project"
    base.mkdir()
    settings = make_project(base)
    pipeline.build(settings)
    pipeline.publish(settings, BASE_URL)
    return base


def _from_geo() -> bool:
    """Whether the call being made comes from one of geo's modules (through the standard
    library's file functions, which pass it on)."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.split(".")[0] not in PASSING:
            return module.startswith("geo.") and not module.startswith("geo.io.crashpoint")
        frame = frame.f_back
    return False


def _inject(monkeypatch, name: str, at: int, code: int = errno.ENOSPC) -> list[int]:
    """Make the `at`-th call of os.`name` from geo fail with `code`, as the system would (a
    call on a descriptor without a file name); the list counts the calls."""
    real = getattr(os, name)
    calls = [0]

    def failing(*args, **kwargs):
        if _from_geo():
            calls[0] += 1
            if calls[0] == at:
                first = args[0] if args else None
                named = first if isinstance(first, str | bytes | os.PathLike) else None
                raise OSError(code, os.strerror(code), *([named] if named is not None else []))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, failing)
    return calls


def _named(said: str, project) -> bool:
    """Whether the error names a file of the project by its path (absolute, or as given from
    the project's folder: ``geo.toml``), or an option and such a path (``--out: /...``)."""
    where = said.removeprefix("Error: ").split(": ")[0]
    if where.startswith("--"):
        where = said.removeprefix("Error: ").split(": ")[1].split(" ")[0]
    path = project / where
    inside = path.resolve().is_relative_to(project.resolve())
    scratch = path.is_relative_to(tempfile.gettempdir()) and "geo-scratch-" in where
    return (inside or scratch) and path.parent.is_dir()


def _case(built, tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    table = project / "data" / "places.csv"
    table.write_bytes(table.read_bytes().replace(b"courtesy exchange", b"courtesy exchanges"))
    monkeypatch.chdir(project)
    return project


@pytest.mark.parametrize("command", ["build", "publish"])
def test_every_oserror_the_command_meets_names_a_real_path(built, tmp_path, monkeypatch, command):
    args = ["build"] if command == "build" else ["publish", "--base-url", BASE_URL]
    hit = 0
    for name in CALLS:
        for at in (1, 2):
            case = tmp_path / f"{name}-{at}"
            project = _case(built, case, monkeypatch)
            with monkeypatch.context() as patch:
                calls = _inject(patch, name, at)
                result = CliRunner().invoke(cli, [*args, "--wait", "0"])
            if calls[0] < at or result.exit_code == 0:
                assert result.exit_code == 0, (name, at, result.output)
                continue  # not called so often, or a call whose failure geo may bear (fsync of
                # a folder, the removal of a leftover)
            hit += 1
            said = result.output
            assert result.exit_code in (1, 2), (name, at, said)
            assert "Internal error" not in said and "Traceback" not in said, (name, at, said)
            assert "path:" not in said and ": 4:" not in said, (name, at, said)
            assert _named(said, project), (name, at, said)  # the file, by its real path
            assert "the disk is full (no space left on device)" in said, (name, at, said)
    assert hit >= 10  # the faults did land


def test_a_full_disk_while_writing_a_layer_names_it_and_says_nothing_changed(
    built, tmp_path, monkeypatch
):
    project = _case(built, tmp_path, monkeypatch)
    real = os.writev

    def full(fd, batch):
        if "all.geojson" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, batch)

    monkeypatch.setattr(os, "writev", full)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1
    layers = project / "data" / "layers"
    assert result.output.startswith(f"Error: {layers / 'all.geojson'}: ")
    assert ".geojson: cannot write (the disk is full (no space left on device)); nothing was " in (
        result.output
    )
    assert "geo-tmp" not in result.output  # the file, not its temporary name


def test_a_full_disk_while_publishing_names_the_published_file(built, tmp_path, monkeypatch):
    project = _case(built, tmp_path, monkeypatch)
    _inject(monkeypatch, "writev", 3)
    result = CliRunner().invoke(cli, ["publish", "--base-url", BASE_URL])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {project / 'public'}/")
    assert "cannot write (the disk is full (no space left on device)); nothing was changed" in (
        result.output
    )
    assert "new-" not in result.output


def test_a_read_only_file_system_is_called_that(built, tmp_path, monkeypatch):
    """Issue 21: it was reported as a file system lacking flock."""
    project = _case(built, tmp_path, monkeypatch)
    real = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).startswith(str(project)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1, result.output
    assert (
        f"Error: {project / 'data' / 'layers' / '.geo-build.lock'}: cannot take the lock (the "
        in (result.output)
    )
    assert "(the file system is read-only); expected a folder geo can write to" in result.output
    assert "flock" not in result.output
