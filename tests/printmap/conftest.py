"""Fixtures of the print map tests: the Göteborg project, the Pacific one, a home at 178° E."""

from __future__ import annotations

import pytest

import geo
from geo.io.basemap import read_basemap
from geo.printmap import render_static
from tests.printmap.sample import ROOT, east_of_178, settings_in


@pytest.fixture(scope="session")
def basemap() -> dict:
    return read_basemap(None)


@pytest.fixture(scope="session")
def settings():
    return geo.read_settings(ROOT / "geo.toml")


@pytest.fixture(scope="session")
def layers(settings):
    return geo.build_layers(geo.read_places(settings))


@pytest.fixture(scope="session")
def rendered(layers, settings, basemap) -> dict[str, bytes]:
    """The Göteborg print map, every file."""
    return render_static(layers, settings, basemap)


@pytest.fixture(scope="session")
def pacific():
    """Honolulu, with lines to Tokyo, Manila, Suva, Auckland (across 180°) and Los Angeles."""
    settings = geo.read_settings(ROOT / "tests" / "data" / "pacific" / "geo.toml")
    return settings, geo.build_layers(geo.read_places(settings))


@pytest.fixture(scope="session")
def east(tmp_path_factory):
    """A home at 178° E with partners all round the world (see sample.east_of_178)."""
    return settings_in(tmp_path_factory.mktemp("east"), "Suva"), east_of_178()
