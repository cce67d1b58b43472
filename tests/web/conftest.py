"""Fixtures of the web map tests: the shipped settings and layers, the rendered maps."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import geo
from geo.web import render

ROOT = Path(__file__).resolve().parents[2]
LAYER_NAMES = ("office", "partner_cities", "friendship_towns", "connections", "all")


def shipped_layers() -> dict:
    return {
        n: json.loads((ROOT / "data/layers" / f"{n}.geojson").read_bytes()) for n in LAYER_NAMES
    }


def with_map(settings: geo.Settings, **values) -> geo.Settings:
    return replace(settings, map=replace(settings.map, **values))


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Where the browser tests save their screenshots: the run's base temporary folder."""
    return tmp_path_factory.getbasetemp() / "artifacts"


@pytest.fixture(scope="session")
def settings() -> geo.Settings:
    return geo.read_settings(ROOT / "geo.toml")


@pytest.fixture(scope="session")
def layers() -> dict:
    return shipped_layers()


@pytest.fixture(scope="session")
def maps(layers, settings) -> dict[str, bytes]:
    return render.render_maps(layers, settings)


@pytest.fixture(scope="session")
def large_layers(tmp_path_factory) -> dict:
    from benchmarks.synthetic import synthetic_table
    from tests.support import make_project

    project = make_project(tmp_path_factory.mktemp("large"), synthetic_table(render.LARGE_TABLE))
    return geo.build_layers(geo.read_places(project))
