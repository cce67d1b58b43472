"""kill -9 at every step of build and publish (geo.io.crashpoint): the outputs are the old or the
new ones, whole, with the change history; the next run finishes or undoes the interrupted one
and leaves nothing behind.

The loops kill a forked child at step N of the real writer, handed the real files of a build or
a publication (what pipeline.build and pipeline.publish hand it, a build's in the batches it
stages them: the layers, the web maps, the print map); drawing the maps between the batches
changes nothing on disk, so the writer's steps are every step at which the disk changes. Two
tests send the kill through the real `geo` command in a subprocess, with GEO_CRASH_AT_STEP.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from geo import pipeline
from geo.config import read_settings
from geo.io import crashpoint, versions
from geo.io.journal import JOURNAL, TEMP_SUFFIX
from geo.io.write import build_outputs, publication
from tests.publishing import BASE_URL
from tests.support import make_project, shipped_rows, to_csv

ROOT = Path(__file__).resolve().parents[2]


def run_to_step(fn, step: int | None, log: Path | None = None) -> str:
    """Run `fn` in a forked child that SIGKILLs itself after `step`; 'killed' or 'finished'."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            crashpoint.reset()
            os.environ.pop(crashpoint.CRASH_ENV, None)
            if step is not None:
                os.environ[crashpoint.CRASH_ENV] = str(step)
            if log is not None:
                os.environ[crashpoint.LOG_ENV] = str(log)
            fn()
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        return "killed"
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    return "finished"


def count_steps(fn, tmp_path: Path) -> list[str]:
    log = tmp_path / "steps.log"
    assert run_to_step(fn, None, log) == "finished"
    return log.read_text().splitlines()


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, through links, hidden ones included."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def outputs(project: Path) -> dict[str, bytes]:
    """What geo build writes in a project: everything but the settings and the table."""
    skip = {"geo.toml", "data/places.csv", "steps.log"}
    return {k: v for k, v in files_under(project).items() if k not in skip}


def new_table() -> bytes:
    header, rows = shipped_rows()
    rows[1]["name_en"] = "Chicago, Illinois"  # every layer with Chicago and every map change
    rows[2]["status"] = "active"
    return to_csv(header, rows)


# --- geo build -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project built from the shipped table (old), and the files a build of a changed table
    hands the writer (new), and what the outputs are once that build is done."""
    base = tmp_path_factory.mktemp("old")
    settings = make_project(base)
    pipeline.build(settings)
    done = tmp_path_factory.mktemp("new")
    shutil.copytree(base, done, dirs_exist_ok=True)
    (done / "data" / "places.csv").write_bytes(new_table())
    new_settings = read_settings(done / "geo.toml")
    files = pipeline.build(new_settings, write=False).files
    pipeline.build(new_settings)
    return base, {p.relative_to(done): d for p, d in files.items()}, outputs(done)


def _printed(rel: Path) -> bool:
    return rel.name.startswith(("partnerships-", ".print."))


def _writer(project: Path, files):
    """The writer as pipeline.build uses it: the layers staged (written aside) first, then the
    web maps, then the print map's files written with the commit."""
    settings = read_settings(project / "geo.toml")
    folders = (settings.layers_dir, settings.maps_dir)
    layers = settings.layers_dir.relative_to(project)

    def write():
        mine = {project / rel: data for rel, data in files.items()}
        batches = [
            {p: d for p, d in mine.items() if p.is_relative_to(project / layers)},
            {p: d for p, d in mine.items() if _printed(p)},
        ]
        web = {p: d for p, d in mine.items() if all(p not in b for b in batches)}
        with build_outputs(folders, project / "geo.toml", "geo.toml", wait=0) as outputs:
            outputs.stage(batches[0])
            outputs.stage(web)
            outputs.write(batches[1])

    return write


def test_build_killed_at_every_step_leaves_old_or_new_and_the_next_run_cleans_up(built, tmp_path):
    base, files, new = built
    old = outputs(base)
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    steps = count_steps(_writer(probe, files), tmp_path)
    assert outputs(probe) == new
    changed = [s for s in steps if " written aside " in s]
    assert len(changed) >= 10  # layers and maps changed
    assert len([s for s in steps if s.endswith(" journal prepared")]) == 3  # one per batch
    assert len([s for s in steps if " replaced " in s]) == len(changed)
    seen = set()
    for n in range(1, len(steps) + 1):
        project = tmp_path / f"s{n}"
        shutil.copytree(base, project)
        assert run_to_step(_writer(project, files), n) == "killed", steps[n - 1]
        state = outputs(project)
        visible = {k: v for k, v in state.items() if not _scratch(k)}
        for name, data in visible.items():  # never a torn file, never a stranger
            assert data in (old.get(name), new.get(name)), (steps[n - 1], name)
        assert set(old) - set(visible) <= set(old) - set(new), steps[n - 1]  # nothing missing
        seen.add("old" if visible == old else "new" if visible == new else "mixed")
        if visible not in (old, new):  # mid-commit: the journal says how to finish
            assert any(k.endswith(JOURNAL) for k in state), steps[n - 1]
        # The next run finishes the interrupted one first, then does its own work.
        assert run_to_step(_writer(project, files), None) == "finished"
        assert outputs(project) == new, steps[n - 1]
        shutil.rmtree(project)
    assert seen == {"old", "new", "mixed"}  # the kills did land before, during and after


def _scratch(name: str) -> bool:
    return name.endswith((TEMP_SUFFIX, JOURNAL, ".lock"))


def test_recovery_alone_gives_exactly_old_or_new(built, tmp_path):
    """What the next run does first, on its own: every interrupted build becomes old or new."""
    from geo.io.journal import recover

    base, files, new = built
    old = outputs(base)
    shutil.copytree(base, tmp_path / "probe")
    steps = count_steps(_writer(tmp_path / "probe", files), tmp_path)
    settings = read_settings(base / "geo.toml")
    outcomes = []
    for n in range(1, len(steps) + 1):
        project = tmp_path / f"r{n}"
        shutil.copytree(base, project)
        run_to_step(_writer(project, files), n)
        for folder in (settings.layers_dir, settings.maps_dir):
            recover(project / folder.relative_to(base))
        state = {k: v for k, v in outputs(project).items() if not k.endswith(".lock")}
        assert state in (old, new), steps[n - 1]
        outcomes.append("old" if state == old else "new")
        shutil.rmtree(project)
    first_new = outcomes.index("new")
    assert outcomes == ["old"] * first_new + ["new"] * (len(outcomes) - first_new)
    assert "journal committed" in steps[first_new]  # the commit is the turning point


# --- geo publish ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A project published from the shipped table (old), and the publication of a changed
    table as assembled against it (new)."""
    base = tmp_path_factory.mktemp("pub")
    settings = make_project(base)
    pipeline.publish(settings, BASE_URL)
    old = files_under(base / "public")
    (base / "data" / "places.csv").write_bytes(new_table())
    pipeline.build(settings)  # the project's maps for the new table: publish reuses them
    done = tmp_path_factory.mktemp("pubnew")
    shutil.copytree(base, done, dirs_exist_ok=True, symlinks=True)
    report = pipeline.publish(read_settings(done / "geo.toml"), BASE_URL)
    made = {k: v for k, v in report.files.items() if k != versions.MARKER}
    identity = pipeline._identity(made)
    return base, old, made, identity, files_under(done / "public")


def _publisher(project: Path, made, identity):
    def write():
        with publication(project / "public", wait=0) as target:
            target.write(made, *identity)

    return write


def test_publish_killed_at_every_step_leaves_old_or_new_whole(published, tmp_path):
    base, old, made, identity, new = published
    issued = json.loads(old["changes.json"])["issued"]
    probe = tmp_path / "probe"
    shutil.copytree(base, probe, symlinks=True)
    steps = count_steps(_publisher(probe, made, identity), tmp_path)
    assert files_under(probe / "public") == new
    assert len(steps) > len(made)
    outcomes = []
    for n in range(1, len(steps) + 1):
        project = tmp_path / f"p{n}"
        shutil.copytree(base, project, symlinks=True)
        assert run_to_step(_publisher(project, made, identity), n) == "killed"
        state = files_under(project / "public")
        assert state in (old, new), steps[n - 1]  # the link: one whole version or the other
        log = json.loads(state["changes.json"])
        assert log["issued"] == issued and len(log["entries"]) >= 1  # the history goes on
        outcomes.append("old" if state == old else "new")
        # The next run: finishes or undoes, publishes, and leaves only its versions.
        assert run_to_step(_publisher(project, made, identity), None) == "finished"
        assert files_under(project / "public") == new
        store = project / ".public.geo"
        names = sorted(p.name for p in store.iterdir())
        assert [n for n in names if not n.startswith("v")] == [".geo-store.json"], names
        assert len([n for n in names if n.startswith("v")]) <= 2
        assert sorted(p.name for p in project.iterdir()) == sorted(p.name for p in base.iterdir())
        shutil.rmtree(project)
    assert outcomes[0] == "old" and outcomes[-1] == "new"
    turn = outcomes.index("new")
    assert "switched" in steps[turn] and set(outcomes[turn:]) == {"new"}


# --- through the command -------------------------------------------------------------------------


def _geo(args, cwd, **env):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_geo_build_killed_mid_commit_is_finished_by_the_next_geo_build(built, tmp_path):
    base = built[0]
    project = tmp_path / "cli"
    shutil.copytree(base, project)
    (project / "data" / "places.csv").write_bytes(new_table())
    log = tmp_path / "steps.log"
    probe = tmp_path / "probe"
    shutil.copytree(project, probe)
    assert _geo(["build"], probe, GEO_CRASH_LOG=str(log)).returncode == 0
    steps = log.read_text().splitlines()
    middle = next(i for i, s in enumerate(steps, 1) if " replaced " in s) + 2
    killed = _geo(["build"], project, GEO_CRASH_AT_STEP=str(middle))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (project / "data" / "layers" / JOURNAL).exists()
    again = _geo(["build"], project)
    assert again.returncode == 0, again.stderr
    assert "an interrupted geo build was completed" in again.stderr
    assert outputs(project) == outputs(probe)


def test_geo_publish_killed_before_the_switch_keeps_the_old_and_cleans_up(published, tmp_path):
    base, old, _, _, new = published
    project = tmp_path / "cli"
    shutil.copytree(base, project, symlinks=True)
    log = tmp_path / "steps.log"
    probe = tmp_path / "probe"
    shutil.copytree(project, probe, symlinks=True)
    assert _geo(["publish", "--base-url", BASE_URL], probe, GEO_CRASH_LOG=str(log)).returncode == 0
    steps = log.read_text().splitlines()
    before_switch = next(i for i, s in enumerate(steps, 1) if s.endswith(" link made"))
    killed = _geo(
        ["publish", "--base-url", BASE_URL], project, GEO_CRASH_AT_STEP=str(before_switch)
    )
    assert killed.returncode == -signal.SIGKILL
    assert files_under(project / "public") == old
    assert any(p.name.startswith("link-") for p in (project / ".public.geo").iterdir())
    again = _geo(["publish", "--base-url", BASE_URL], project)
    assert again.returncode == 0, again.stderr
    assert "an interrupted geo publish was cleaned up" in again.stderr
    assert files_under(project / "public") == new
    assert not [p for p in (project / ".public.geo").iterdir() if p.name.startswith("link-")]
