"""geo.rendering: each map drawn only when what it shows changed; the print map in a process of
its own, the web maps here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

import geo
from geo import pipeline, processes, rendering
from geo.errors import SourceError
from geo.io.basemap import Basemap
from geo.processes import WorkerError, forked
from geo.rendering import print_inputs, web_inputs
from tests.support import make_project, record_forks, shipped_rows, snapshot, to_csv

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
    table, basemap = settings.places, b"outlines"
    changed_print = print_inputs(before, settings, table, basemap) != print_inputs(
        after, settings, table, basemap
    )
    changed_web = web_inputs(before, settings, table, basemap) != web_inputs(
        after, settings, table, basemap
    )
    assert changed_print == (column in PRINTED), column
    assert changed_web, column


def test_the_keys_cover_the_home_the_source_and_the_basemap(tmp_path):
    import dataclasses

    settings = make_project(tmp_path)
    layers = geo.read_places(settings)
    names = {**settings.home.names, "en": "Gbg"}
    home = dataclasses.replace(settings, home=dataclasses.replace(settings.home, names=names))
    tiles = dataclasses.replace(settings, map=dataclasses.replace(settings.map, assets="inline"))
    table, other = settings.places, tmp_path / "other.csv"
    for inputs in (print_inputs, web_inputs):
        base = inputs(layers, settings, table, b"outlines")
        assert inputs(layers, settings, table, b"other outlines") != base
        assert inputs(layers, home, table, b"outlines") != base
        assert inputs(layers, settings, other, b"outlines") != base
    assert print_inputs(layers, tiles, table, b"x") == print_inputs(layers, settings, table, b"x")
    assert web_inputs(layers, tiles, table, b"x") != web_inputs(layers, settings, table, b"x")


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


def test_the_print_map_is_drawn_in_a_process_and_the_web_maps_here(built, monkeypatch):
    """The same files as drawn all in one process (where fork is missing)."""
    places = geo.read_places(built)
    layers = geo.build_layers(places)
    basemap = Basemap(built)
    forks = record_forks(monkeypatch)
    drawn_web_in = []
    real_draw_web = rendering.draw_web

    def draw_web(*args):
        drawn_web_in.append(os.getpid())
        return real_draw_web(*args)

    monkeypatch.setattr(rendering, "draw_web", draw_web)
    with rendering.Renders(places, built, built.places, basemap, force=True) as renders:
        renders.start(layers)
        assert forks == ["drawing the print map"]
        files, reused = renders.files()
    assert drawn_web_in == [os.getpid()] and reused == ()
    monkeypatch.setattr(processes, "can_fork", lambda: False)
    with rendering.Renders(places, built, built.places, basemap, True) as here:
        here.start(layers)
        assert here.files()[0] == files
    assert list(files) == list(pipeline.build(built, write=False, force=True).files)[-len(files) :]


def test_a_large_tables_maps_are_the_maps_drawn_in_one_process(tmp_path, monkeypatch):
    from benchmarks.synthetic import synthetic_table

    settings = make_project(tmp_path, synthetic_table(600))
    places = geo.read_places(settings)
    with rendering.Renders(
        places, settings, settings.places, Basemap(settings), force=True
    ) as renders:
        renders.start(geo.build_layers(places))
        files, _ = renders.files()
    monkeypatch.setattr(processes, "can_fork", lambda: False)
    forced = pipeline.build(settings, write=False, force=True).files
    assert files == {path: forced[path] for path in files}


def test_reused_maps_start_no_process(built, monkeypatch):
    places = geo.read_places(built)
    forks = record_forks(monkeypatch)
    with rendering.Renders(places, built, built.places, Basemap(built)) as renders:
        assert set(renders.reused) == {"print"}
        renders.start(geo.build_layers(places))
        files, reused = renders.files()  # the web maps' key is made here
    assert set(reused) == {"interactive", "print"} and forks == []
    forced = pipeline.build(built, write=False, force=True).files
    assert files == {path: forced[path] for path in files}


def test_an_error_in_the_print_maps_process_is_raised_here(built, tmp_path):
    import dataclasses

    broken = dataclasses.replace(built, basemap=tmp_path / "missing.geojson")

    def outlines():
        from geo.io.basemap import read_basemap

        return read_basemap(broken.basemap)

    draw = lambda: rendering.draw_print({}, broken, outlines, broken.places)  # noqa: E731
    with forked("test", draw) as future, pytest.raises(SourceError, match="cannot read the"):
        future.result()


def test_a_print_map_process_that_dies_fails_the_build_and_writes_nothing(built, monkeypatch):
    """Killed (as the kernel kills a process out of memory): the build stops with an error that
    says what was being done; it is not drawn again here, and nothing is written."""
    before = snapshot(built.root)
    drawn_here = []

    def killed(*args):
        if processes.multiprocessing.parent_process() is None:
            drawn_here.append(True)
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(rendering, "draw_print", killed)
    with pytest.raises(WorkerError, match=r"^drawing the print map: the process"):
        pipeline.build(built, force=True)
    assert drawn_here == []
    assert snapshot(built.root) == before


def test_each_process_imports_only_what_its_map_needs(built):
    """validate imports no numpy, pandas, matplotlib or folium; the print map's process no
    Folium (nor pandas, which Folium imports); the build's own process, which draws the web
    maps, no matplotlib (checked in fresh interpreters)."""
    probe = """
import sys
from geo import pipeline, processes, rendering
from geo.config import read_settings
s = read_settings(sys.argv[1])
which = sys.argv[2]
NAMES = ("numpy", "pandas", "matplotlib", "folium")
def imported():
    return sorted(m for m in NAMES if sys.modules.get(m) is not None)
if which == "validate":
    pipeline.validate(s)
    print(imported())
else:
    from geo.io.basemap import Basemap
    from geo.layers import build_layers
    layers = build_layers(pipeline.load_places(s).places)
    basemap = Basemap(s)
    if which == "draw_print":
        def draw():
            rendering.draw_print(layers, s, basemap, s.places)
            return imported()
        with processes.forked("test", draw) as f:
            print(f.result())
    else:
        rendering.draw_web(layers, s, basemap)
        print(imported())
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    def run(which):
        out = subprocess.run(
            [sys.executable, "-c", probe, str(built.root / "geo.toml"), which],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        return out.stdout.strip()

    assert run("validate") == "[]"
    assert run("draw_web") == "['folium', 'numpy', 'pandas']"
    assert run("draw_print") == "['matplotlib', 'numpy']"


def test_the_keys_are_digested_a_block_of_places_at_a_time(tmp_path, monkeypatch):
    """The rows go to the key's digest a block at a time (never the whole table's text): any
    place of any block, and their order, still change it; the same places give the same key."""
    import dataclasses

    settings = make_project(tmp_path)
    places = geo.read_places(settings)
    monkeypatch.setattr(rendering, "ROWS_AT_ONCE", 4)  # 14 places: blocks of 4, 4, 4 and 2
    for inputs in (print_inputs, web_inputs):
        base = inputs(places, settings, settings.places, b"x")
        assert inputs(list(places), settings, settings.places, b"x") == base
        last = dataclasses.replace(places[-1], name_en=places[-1].name_en + "!")
        assert inputs([*places[:-1], last], settings, settings.places, b"x") != base
        swapped = [places[1], places[0], *places[2:]]
        assert inputs(swapped, settings, settings.places, b"x") != base
        assert inputs(places[:-1], settings, settings.places, b"x") != base


@pytest.mark.parametrize("renderer", [rendering.INTERACTIVE, rendering.PRINT])
def test_each_renderer_names_the_libraries_its_modules_import(renderer):
    """What a renderer's modules import from outside the package and the standard library is
    in its key: every such module's distribution is named among its libraries."""
    from importlib import metadata

    from geo.io.stamps import PACKAGE, _imports, _modules, sources

    modules = _modules(PACKAGE)
    names = {path: name for name, path in modules.items()}
    imported = {
        module.split(".")[0]
        for path in sources(renderer.modules)
        if path.suffix == ".py"
        for module, _, _ in _imports(names[path], path, modules)
    }
    outside = {m for m in imported if m and m != "geo" and m not in sys.stdlib_module_names}
    assert {"numpy", "matplotlib" if renderer is rendering.PRINT else "folium"} <= outside
    distributions = metadata.packages_distributions()
    named = {name.lower() for name in renderer.libraries}
    for module in sorted(outside):
        assert {d.lower() for d in distributions[module]} <= named, module
