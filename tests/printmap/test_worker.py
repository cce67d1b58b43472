"""geo.printmap.worker: the print map of a large table drawn in a second process."""

from __future__ import annotations

import os

import pytest

import geo
from geo.printmap import StaticRender, render_static
from geo.printmap.figure import MAX_LABELS


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from benchmarks.synthetic import synthetic_table
    from tests.support import make_project

    settings = make_project(tmp_path_factory.mktemp("many"), synthetic_table(MAX_LABELS + 20))
    return settings, geo.build_layers(geo.read_places(settings))


def test_static_render_in_a_second_process_gives_the_same_files(many, monkeypatch):
    settings, layers = many
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with StaticRender(layers, settings) as static:
        assert static.forked
        files = static.result()
    assert files == render_static(layers, settings)


def test_static_render_of_a_small_table_stays_in_this_process(layers, settings, rendered):
    with StaticRender(layers, settings) as static:
        assert not static.forked
        assert static.result() == rendered


def test_a_single_core_draws_in_this_process(many, monkeypatch):
    settings, layers = many
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    with StaticRender(layers, settings) as static:
        assert not static.forked


def test_leaving_a_static_render_unasked_stops_its_process(many, monkeypatch):
    settings, layers = many
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with StaticRender(layers, settings) as static:
        process = static._process
    assert process is not None and not process.is_alive()


def test_a_failing_second_process_draws_here_and_raises_here(many, monkeypatch, tmp_path):
    import dataclasses

    from geo.errors import SourceError

    settings, layers = many
    broken = dataclasses.replace(settings, basemap=tmp_path / "missing.geojson")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with StaticRender(layers, broken) as static:
        assert static.forked
        with pytest.raises(SourceError, match="cannot read the basemap"):
            static.result()
