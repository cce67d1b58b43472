"""Render stamps (geo.io.stamps): maps are reused only when nothing they depend on has changed."""

from __future__ import annotations

import pytest

import geo.web
from geo import pipeline
from geo.io.stamps import Renderer, fingerprint, reusable, stamp
from tests.support import make_project, shipped_rows, to_csv

TOY = Renderer("toy", ("stamps.py",), ("numpy",))


def test_fingerprint_changes_with_every_input():
    base = fingerprint(TOY, [b"a", b"b"])
    assert fingerprint(TOY, [b"a", b"b"]) == base
    assert fingerprint(TOY, [b"a", b"c"]) != base
    assert fingerprint(Renderer("toy", ("model.py",), ("numpy",)), [b"a", b"b"]) != base
    assert fingerprint(Renderer("toy", ("stamps.py",), ("pyproj",)), [b"a", b"b"]) != base


def test_compiled_bytecode_beside_the_sources_changes_nothing(tmp_path, monkeypatch):
    """An installed package has __pycache__ folders beside its modules, also in text/, which
    the print map's key covers with ``text/*``: read as a source, the folder broke every build
    of a pip-installed geo. Compiled files follow from the source: the key stays the same."""
    import compileall
    import shutil

    import geo.io.stamps as stamps

    package = tmp_path / "geo"
    shutil.copytree(stamps.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamps, "PACKAGE", package)
    renderer = Renderer("print", ("text/*", "printmap/*.py"), ())
    before = fingerprint(renderer, [b"x"])
    assert compileall.compile_dir(package, quiet=1)
    assert (package / "text" / "__pycache__").is_dir()
    assert fingerprint(renderer, [b"x"]) == before


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
