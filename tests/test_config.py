"""Settings (geo.config)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from geo.config import load_settings, read_settings
from geo.errors import SettingsError
from tests.support import PACIFIC, ROOT

GOOD = b"""
[home]
name_sv = "Honolulu"
name_en = "Honolulu"
country = "US"
geonames_id = 5856195

[source]
places = "places.csv"
"""


def test_shipped_settings():
    settings = read_settings(ROOT / "geo.toml")
    assert settings.home.geonames_id == 2711537
    assert settings.places == ROOT / "data" / "places.csv"
    assert settings.layers_dir == ROOT / "data" / "layers"
    assert settings.tolerance_km == 25


def test_defaults_and_relative_paths():
    settings = load_settings(io.BytesIO(GOOD), root=Path("/x"))
    assert settings.places == Path("/x/places.csv")
    assert settings.maps_dir == Path("/x/maps")
    assert settings.home.office_radius_km == 10
    assert settings.display(Path("/x/places.csv")) == "places.csv"


def test_pacific_settings_read():
    assert read_settings(PACIFIC / "geo.toml").home.name_en == "Honolulu"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace(b"geonames_id = 5856195", b'geonames_id = "x"'),
            "setting `home.geonames_id` has the wrong type; expected a int, got 'x'",
        ),
        (GOOD.replace(b'country = "US"\n', b""), "missing setting `home.country`"),
        (b"[home\n", "not valid TOML"),
        (GOOD + b"[validation]\ntolerance_km = 'abc'\n", "`validation.tolerance_km` has the wrong"),
        (GOOD + b"[validation]\ntolerance_km = nan\n", "expected a positive number of km"),
        (GOOD + b"[validation]\ntolerance_km = -5\n", "expected a positive number of km"),
        (
            GOOD.replace(
                b"geonames_id = 5856195", b"geonames_id = 5856195\noffice_radius_km = 'x'"
            ),
            "`home.office_radius_km` has the wrong type",
        ),
        (GOOD + b"[output]\nlayers = 5\n", "`output.layers` has the wrong type"),
        (GOOD + b"[map]\nbasemap = 7\n", "`map.basemap` has the wrong type"),
        (b"publisher = 'x'\n" + GOOD, "`publisher` must be a section"),
        (b"home = 1\n[source]\nplaces = 'p.csv'\n", "`home` must be a section"),
        (GOOD + b"[maps]\nassets = 'inline'\n", "unknown section `[maps]`"),
        (GOOD + b"[output]\nmap = 'm'\n", "unknown setting `output.map`"),
    ],
)
def test_bad_settings_say_what_is_wrong(text, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(io.BytesIO(text), root=Path("/x"), where="geo.toml")
