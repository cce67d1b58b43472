"""Render stamps (geo.io.stamps): maps are reused only when nothing they depend on has changed."""

from __future__ import annotations

import pytest

import geo.web
from geo import pipeline
from geo.io.stamps import PACKAGE, Renderer, fingerprint, reusable, sources, stamp
from geo.rendering import INTERACTIVE, PRINT
from tests.support import make_project, shipped_rows, to_csv

TOY = Renderer("toy", ("geo.io.stamps",), ("numpy",))


def test_fingerprint_changes_with_every_input():
    base = fingerprint(TOY, [b"a", b"b"])
    assert fingerprint(TOY, [b"a", b"b"]) == base
    assert fingerprint(TOY, [b"a", b"c"]) != base
    assert fingerprint(Renderer("toy", ("geo.model",), ("numpy",)), [b"a", b"b"]) != base
    assert fingerprint(Renderer("toy", ("geo.io.stamps",), ("pyproj",)), [b"a", b"b"]) != base


@pytest.fixture
def package(tmp_path):
    """A copy of the package, to change."""
    import shutil

    copy = tmp_path / "geo"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def keys(package):
    return {r.name: fingerprint(r, [b"x"], package) for r in (INTERACTIVE, PRINT)}


def relative(paths, package):
    return {p.relative_to(package).as_posix() for p in paths}


def test_a_module_a_renderer_comes_to_import_moves_its_key_only(package):
    before = keys(package)
    extra = package / "web" / "extra.py"
    extra.write_text('"""A new module."""\nVALUE = 1\n', encoding="utf-8")
    assert keys(package) == before  # not imported by anything: no source of either map
    render = package / "web" / "render.py"
    text = render.read_text(encoding="utf-8")
    render.write_text(text.replace("\nfrom geo", "\nfrom geo.web import extra\nfrom geo", 1))
    moved = keys(package)
    assert moved["interactive"] != before["interactive"] and moved["print"] == before["print"]
    assert "web/extra.py" in relative(sources(INTERACTIVE.modules, package), package)
    extra.write_text('"""A new module."""\nVALUE = 2\n', encoding="utf-8")
    again = keys(package)
    assert again["interactive"] != moved["interactive"] and again["print"] == before["print"]


def test_a_module_imported_in_a_function_is_a_source_too(package):
    before = keys(package)
    (package / "printmap" / "later.py").write_text("X = 1\n", encoding="utf-8")
    figure = package / "printmap" / "figure.py"
    text = figure.read_text(encoding="utf-8")
    marker = "    import matplotlib\n"
    assert marker in text
    figure.write_text(text.replace(marker, marker + "    from geo.printmap import later\n", 1))
    moved = keys(package)
    assert moved["print"] != before["print"] and moved["interactive"] == before["interactive"]
    assert "printmap/later.py" in relative(sources(PRINT.modules, package), package)


@pytest.mark.parametrize(
    ("path", "moves"),
    [
        ("web/templates/new.html", {"interactive"}),
        ("web/static/new.js", {"interactive"}),
        ("text/de.toml", {"interactive", "print"}),
        ("publication/templates/new.html", set()),
    ],
)
def test_a_new_data_file_moves_the_keys_of_the_renderers_whose_package_holds_it(
    package, path, moves
):
    before = keys(package)
    (package / path).write_text("new\n", encoding="utf-8")
    after = keys(package)
    assert {name for name in after if after[name] != before[name]} == moves


def test_what_the_keys_cover(package):
    """Each map's own package and the modules that make its inputs; never the other map's,
    the publication or the validation. (The web maps' key once missed geo/style.py, whose
    colours they use, and the layers' modules, whose lines they draw: listed by hand.)"""
    web = relative(sources(INTERACTIVE.modules, package), package)
    print_ = relative(sources(PRINT.modules, package), package)
    for both in ("style.py", "layers.py", "geometry.py", "schema.py", "text/sv.toml"):
        assert both in web and both in print_, both
    assert {"web/templates/page.html", "web/static/map.js", "templating.py"} <= web
    assert {"printmap/figure.py", "printmap/png.py"} <= print_
    for neither in ("publication/assemble.py", "validate.py", "pipeline.py", "cli.py"):
        assert neither not in web and neither not in print_, neither
    assert not any(p.startswith("printmap/") for p in web)
    assert not any(p.startswith("web/") for p in print_)


def test_compiled_bytecode_beside_the_sources_changes_nothing(tmp_path):
    """An installed package has __pycache__ folders beside its modules, also in text/, which
    the print map's key covers with ``text/*``: read as a source, the folder broke every build
    of a pip-installed geo. Compiled files follow from the source: the key stays the same."""
    import compileall
    import shutil

    import geo.io.stamps as stamps

    package = tmp_path / "geo"
    shutil.copytree(stamps.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    renderer = Renderer("print", ("geo.text", "geo.printmap"), ())
    before = fingerprint(renderer, [b"x"], package)
    assert compileall.compile_dir(package, quiet=1)
    assert (package / "text" / "__pycache__").is_dir()
    assert fingerprint(renderer, [b"x"], package) == before


def test_reuse_needs_the_same_key_and_intact_files(tmp_path):
    files = {"a.txt": b"A", "sub/b.txt": b"B"}
    key = fingerprint(TOY, [b"in"])
    assert reusable(tmp_path, TOY, key) is None  # nothing drawn yet
    files = {**files, **stamp(TOY, key, files)}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    assert ".toy.stamp.json" in files

    assert reusable(tmp_path, TOY, key) == {k: v for k, v in files.items() if "stamp" not in k}
    assert reusable(tmp_path, TOY, fingerprint(TOY, [b"other input"])) is None

    (tmp_path / "sub/b.txt").write_bytes(b"edited by hand")
    assert reusable(tmp_path, TOY, key) is None
    (tmp_path / "sub/b.txt").unlink()
    assert reusable(tmp_path, TOY, key) is None


def test_a_broken_stamp_means_render(tmp_path):
    (tmp_path / ".toy.stamp.json").write_text("{not json", encoding="utf-8")
    assert reusable(tmp_path, TOY, fingerprint(TOY, [])) is None


@pytest.fixture
def project(tmp_path):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    return settings


def test_an_unchanged_build_renders_nothing(project, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("rendered although nothing changed")

    monkeypatch.setattr(geo.web, "render_maps", fail)
    report = pipeline.build(project)
    assert report.reused == ("interactive", "print")
    assert report.changed == []


def test_a_changed_table_renders_the_maps_anew(project, tmp_path):
    header, rows = shipped_rows()
    rows[1]["name_en"] = "Chicago, Illinois"
    (tmp_path / "data" / "places.csv").write_bytes(to_csv(header, rows))
    report = pipeline.build(project)
    assert report.reused == ()
    assert "Chicago, Illinois" in (project.maps_dir / "en.html").read_text(encoding="utf-8")
    assert "Chicago, Illinois" in (project.maps_dir / "partnerships-en.svg").read_text(
        encoding="utf-8"
    )


def test_reused_maps_are_what_rendering_gives(project):
    reused = pipeline.build(project, write=False)
    forced = pipeline.build(project, write=False, force=True)
    assert reused.reused and not forced.reused
    assert reused.files == forced.files
