"""geo.rendering: each map drawn only when what it shows changed, in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import geo
from geo import forking, pipeline, rendering
from geo.errors import SourceError
from geo.io.basemap import Basemap
from geo.rendering import Forked, print_inputs, web_inputs
from tests.support import make_project, shipped_rows, to_csv

# Every column of the table, and whether the print map shows it (the print map draws names,
# kinds, statuses, coordinates and as_of; the web maps show every column).
PRINTED = {"id", "kind", "status", "name_sv", "name_en", "lon", "lat", "as_of"}
CHANGES = {
    "id": "kiel-2",
    "kind": "friendship_town",
    "status": "active",
    "name_sv": "Kiel (ändrad)",
    "name_en": "Kiel (changed)",
    "name_local": "Kiel (geändert)",
    "lon": "10.2",
    "lat": "54.4",
    "since": "1999",
    "since_note": "A note.",
    "description_sv": "Ändrad.",
    "description_en": "Changed.",
    "wikidata": "Q64",
    "geonames_note": "A note.",
    "source": "Another source",
    "as_of": "2026-12-01",
    "visiting_address": "Rathausplatz 1",
    "postal_address": "Postfach 1",
    "phone": "+49 431 9010",
}


def layers_of(rows, header, tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    settings = make_project(folder, to_csv(header, rows))
    return settings, geo.read_places(settings)


@pytest.mark.parametrize("column", sorted(CHANGES))
def test_the_print_key_covers_what_it_draws_and_the_web_key_everything(tmp_path, column):
    header, rows = shipped_rows()
    settings, before = layers_of(rows, header, tmp_path, "before")
    row = next(r for r in rows if r["id"] == "kiel")
    row[column] = CHANGES[column]
    _, after = layers_of(rows, header, tmp_path, "after")
    basemap = b"outlines"
    changed_print = print_inputs(before, settings, basemap) != print_inputs(
        after, settings, basemap
    )
    changed_web = web_inputs(before, settings, basemap) != web_inputs(after, settings, basemap)
    assert changed_print == (column in PRINTED), column
    assert changed_web, column


def test_the_keys_cover_the_home_the_source_and_the_basemap(tmp_path):
    import dataclasses

    settings = make_project(tmp_path)
    layers = geo.read_places(settings)
    home = dataclasses.replace(settings, home=dataclasses.replace(settings.home, name_en="Gbg"))
    source = dataclasses.replace(settings, places=tmp_path / "other.csv")
    tiles = dataclasses.replace(settings, map=dataclasses.replace(settings.map, assets="inline"))
    for inputs in (print_inputs, web_inputs):
        base = inputs(layers, settings, b"outlines")
        assert inputs(layers, settings, b"other outlines") != base
        assert inputs(layers, home, b"outlines") != base
        assert inputs(layers, source, b"outlines") != base
    assert print_inputs(layers, tiles, b"x") == print_inputs(layers, settings, b"x")
    assert web_inputs(layers, tiles, b"x") != web_inputs(layers, settings, b"x")


@pytest.fixture
def built(tmp_path):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    return settings


def edit(settings, column, value):
    header, rows = shipped_rows()
    next(r for r in rows if r["id"] == "kiel")[column] = value
    settings.places.write_bytes(to_csv(header, rows))


def test_a_description_edit_draws_the_web_maps_only(built):
    before = {p.name: p.read_bytes() for p in built.maps_dir.glob("partnerships-*")}
    edit(built, "description_en", "A new description of Kiel.")
    report = pipeline.build(built)
    assert report.reused == ("print",)
    assert "A new description of Kiel." in (built.maps_dir / "en.html").read_text("utf-8")
    assert {p.name: p.read_bytes() for p in built.maps_dir.glob("partnerships-*")} == before
    forced = pipeline.build(built, write=False, force=True)
    assert forced.files == report.files  # what reusing gave is what drawing gives


def test_a_name_edit_draws_both(built):
    edit(built, "name_en", "Kiel an der Förde")
    report = pipeline.build(built)
    assert report.reused == ()
    assert "Kiel an der Förde" in (built.maps_dir / "en.html").read_text("utf-8")
    assert "Kiel an der Förde" in (built.maps_dir / "partnerships-en.svg").read_text("utf-8")


def test_maps_drawn_in_processes_are_the_maps_drawn_here(built):
    places = geo.read_places(built)
    layers = geo.build_layers(places)
    basemap = Basemap(built)
    with rendering.Renders(places, built, basemap, force=True) as forked:
        assert forked.warm.ready  # a small table: the print map's process is started at once
        forked.start(layers)
        assert not forked.warm.ready
        assert {name: len(jobs) for name, jobs in forked.drawing.items()} == {
            "interactive": 1,
            "print": 1,
        }
        assert all(job.forked for jobs in forked.drawing.values() for job in jobs)
        files, _ = forked.files()
    with rendering.Renders(places, built, basemap, True, fork=False) as here:
        here.start(layers)
        assert not any(job.forked for jobs in here.drawing.values() for job in jobs)
        assert here.files()[0] == files
    assert list(files) == list(pipeline.build(built, write=False, force=True).files)[-len(files) :]


def test_a_large_tables_print_map_is_drawn_in_one_process(tmp_path, monkeypatch):
    """... a fork of the process holding the layers; the web maps are drawn in that process
    meanwhile: a third process would copy the pages of the layers it reads."""
    from benchmarks.synthetic import synthetic_table

    made = []

    class Recording(Forked):
        def __init__(self, func, *args, fork=True, warm=None):
            super().__init__(func, *args, fork=fork, warm=warm)
            made.append((func.__name__, self.forked))

    monkeypatch.setattr(rendering, "Forked", Recording)
    settings = make_project(tmp_path, synthetic_table(rendering.WARM_PLACES + 1))
    places = geo.read_places(settings)
    with rendering.Renders(places, settings, Basemap(settings), force=True) as renders:
        assert not renders.warm.ready  # its layers are inherited, not sent
        renders.start(geo.build_layers(places))
        assert made == [("draw_print", True)]  # the web maps wait for this process
        files, _ = renders.files()
    assert made == [("draw_print", True), ("draw_web", False)]
    forced = pipeline.build(settings, write=False, force=True).files
    assert files == {path: forced[path] for path in files}


@pytest.mark.parametrize("count", [1, rendering.WARM_PLACES, rendering.WARM_PLACES + 1])
def test_the_second_language_is_forked_in_the_print_maps_process(monkeypatch, count):
    """Whatever the table's size: the fork shares the process's pages (PSS), and the two
    languages are drawn at the same time, both over the panels drawn once before the fork
    (the base). Processes that end after their language do not free its page; drawn here, one
    after the other, each page is freed and each language draws its own panels."""
    from types import SimpleNamespace

    import geo.printmap.figure as figure

    forks, drawn = [], []

    class Recording(Forked):
        def __init__(self, func, *args, fork=True, warm=None):
            forks.append((fork, *args[3:]))  # forked; whether it frees its page; its base
            super().__init__(func, *args, fork=fork, warm=warm)

    def render(prepared, settings, lang, free=True, base=None):
        drawn.append((free, base))
        return {lang: lang.encode()}

    prepared = SimpleNamespace(scene=SimpleNamespace(places=[None] * count))
    monkeypatch.setattr(rendering, "Forked", Recording)
    monkeypatch.setattr(figure, "prepare_static", lambda *_: prepared)
    monkeypatch.setattr(figure, "draw_base", lambda prep, pixels=False: ("base", prep, pixels))
    monkeypatch.setattr(figure, "render_language", render)
    monkeypatch.setattr(forking, "_CHILD", True)  # as in the print map's process
    assert rendering.draw_print({}, None, dict, ("sv", "en")) == {"sv": b"sv", "en": b"en"}
    base = ("base", prepared, True)
    assert forks == [(True, False, base)] and drawn == [(False, base)]  # (the fork's unseen)
    forks.clear(), drawn.clear()
    monkeypatch.setattr(forking, "_CHILD", False)  # as where the maps are drawn in this process
    assert rendering.draw_print({}, None, dict, ("sv", "en")) == {"sv": b"sv", "en": b"en"}
    assert forks == [(False, True, None)] and drawn == [(True, None), (True, None)]


def test_reused_maps_start_no_process(built):
    places = geo.read_places(built)
    with rendering.Renders(places, built, Basemap(built)) as renders:
        assert set(renders.reused) == {"print"} and not renders.warm.ready
        renders.start(geo.build_layers(places))  # the web maps' key is made here
        assert set(renders.reused) == {"interactive", "print"}
        assert renders.drawing == {}

    stamp = rendering.PRINT.stamp_path(built.maps_dir)
    later = stamp.stat().st_mtime_ns + 10**9

    def started(force=False):
        with rendering.warm_early(built, built.places, force) as early:
            return early.ready

    assert not started()  # unchanged since the stamp: no process
    assert started(force=True)
    os.utime(built.places, ns=(later, later))  # the table edited (or checked out) since
    assert started()
    os.utime(built.places, ns=(later - 2 * 10**9,) * 2)
    assert not started()
    settings_file = built.root / "geo.toml"
    os.utime(settings_file, ns=(later, later))  # the settings edited since
    assert started()
    stamp.unlink()  # never drawn here
    assert started()


def test_no_early_process_for_a_large_table(tmp_path):
    from benchmarks.synthetic import synthetic_table

    settings = make_project(tmp_path, synthetic_table(2 * rendering.WARM_PLACES))
    assert settings.places.stat().st_size > rendering.EARLY_BYTES
    with rendering.warm_early(settings, settings.places, force=True) as early:
        assert not early.ready


def test_the_early_process_draws_the_print_map_or_is_stopped(built):
    places = geo.read_places(built)
    basemap = Basemap(built)
    with rendering.warm_early(built, built.places, force=True) as early:
        process = early._ready[0][0]
        with rendering.Renders(places, built, basemap, force=True, early=early) as renders:
            assert renders.warm is early  # taken, not a second one started
            renders.start(geo.build_layers(places))
            files, _ = renders.files()
    forced = pipeline.build(built, write=False, force=True).files
    assert files == {path: forced[path] for path in files}
    with rendering.warm_early(built, built.places, force=True) as early:
        process = early._ready[0][0]
        with rendering.Renders(places, built, basemap, early=early) as renders:
            assert renders.reused.keys() == {"print"}  # the web maps' key waits for start()
            assert not early.ready and not process.is_alive()  # stopped: reused after all


def test_a_failing_child_fails_here_with_the_same_error(built, tmp_path):
    import dataclasses

    broken = dataclasses.replace(built, basemap=tmp_path / "missing.geojson")

    def outlines():
        from geo.io.basemap import read_basemap

        return read_basemap(broken.basemap)

    with Forked(rendering.draw_print, {}, broken, outlines) as forked:
        assert forked.forked
        with pytest.raises(SourceError, match="cannot read the basemap"):
            forked.result()


def test_each_process_imports_only_what_its_map_needs(built):
    """validate imports no numpy, pandas, matplotlib or folium; the web maps' process no
    matplotlib or pandas, nor requests (urllib3) which folium imports for what geo never asks;
    the print map's no folium, nor matplotlib's 3D axes (checked in fresh interpreters)."""
    probe = """
import sys
import geo.rendering as r
from geo import pipeline
from geo.config import read_settings
s = read_settings(sys.argv[1])
which = sys.argv[2]
NAMES = ("numpy", "pandas", "matplotlib", "folium", "urllib3", "mpl_toolkits.mplot3d")
def imported(draw, *args):
    draw(*args)
    return sorted(m for m in NAMES if sys.modules.get(m) is not None)
if which == "validate":
    pipeline.validate(s)
    print(sorted(m for m in NAMES if sys.modules.get(m) is not None))
else:
    from geo.io.basemap import Basemap
    from geo.layers import build_layers
    layers = build_layers(pipeline.load_places(s).places)
    basemap = Basemap(s)
    with r.Forked(imported, getattr(r, which), layers, s, basemap) as f:
        assert f.forked
        print(f.result())
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    def run(which):
        out = subprocess.run(
            [sys.executable, "-c", probe, str(built.root / "geo.toml"), which],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        return out.stdout.strip()

    assert run("validate") == "[]"
    assert run("draw_web") == "['folium', 'numpy']"
    assert run("draw_print") == "['matplotlib', 'numpy']"


def test_the_early_print_process_imports_no_validation(built):
    """The process started before the table is read (as the command starts it) draws the print
    map without importing the pipeline, the validation or pyproj: what it needs comes with the
    call (the basemap as its bytes, the lines computed), it projects with numpy, and each module
    it imports lies on the build's longest path."""
    probe = """
import sys
import geo.rendering as r
from geo.config import read_settings
s = read_settings(sys.argv[1])
def imported(draw, *args):
    draw(*args)
    names = ("geo.pipeline", "geo.validate", "geo.cells", "pyproj")
    return sorted(m for m in names if m in sys.modules)
with r.warm_early(s, s.places, force=True) as early:
    import geo
    from geo.io.basemap import Basemap
    layers = geo.build_layers(geo.read_places(s))
    with r.Forked(imported, r.draw_print, layers, s, Basemap(s), warm=early) as f:
        assert f.forked
        print(f.result())
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", probe, str(built.root / "geo.toml")],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_the_command_starts_the_print_process_before_importing_much():
    """What the command imports before it starts the print map's early process (everything
    before it lies on the build's longest path): neither numpy nor importlib.metadata, which
    the render stamps need later (0.02 s)."""
    probe = "import sys, geo.cli, geo.rendering; print(sorted(m for m in %r if m in sys.modules))"
    names = ("numpy", "importlib.metadata", "geo.pipeline", "geo.layers")
    out = subprocess.run(
        [sys.executable, "-c", probe % (names,)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_keys_are_digested_a_block_of_places_at_a_time(tmp_path, monkeypatch):
    """The rows go to the key's digest a block at a time (never the whole table's text): any
    place of any block, and their order, still change it; the same places give the same key."""
    import dataclasses

    settings = make_project(tmp_path)
    places = geo.read_places(settings)
    monkeypatch.setattr(rendering, "ROWS_AT_ONCE", 4)  # 14 places: blocks of 4, 4, 4 and 2
    for inputs in (print_inputs, web_inputs):
        base = inputs(places, settings, b"x")
        assert inputs(list(places), settings, b"x") == base
        last = dataclasses.replace(places[-1], name_en=places[-1].name_en + "!")
        assert inputs([*places[:-1], last], settings, b"x") != base
        swapped = [places[1], places[0], *places[2:]]
        assert inputs(swapped, settings, b"x") != base
        assert inputs(places[:-1], settings, b"x") != base
