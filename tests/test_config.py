"""Settings (geo.config): read strictly, every problem at once, naming the file, key and rule."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.config import find_settings, load_settings, read_settings
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
PUBLISHER = b"""
[publisher]
name = "Stad"
email = "data@stad.example.se"
"""


def load(text: bytes):
    return load_settings(io.BytesIO(text), root=Path("/x"), where="my.toml")


def test_shipped_settings():
    settings = read_settings(ROOT / "geo.toml")
    assert settings.home.geonames_id == 2711537
    assert settings.places == ROOT / "data" / "places.csv"
    assert settings.layers_dir == ROOT / "data" / "layers"
    assert settings.tolerance_km == 25
    assert settings.map.assets == "local" and settings.basemap is None
    assert settings.publisher is not None and settings.publisher.email == "goteborg@goteborg.se"


def test_defaults_and_relative_paths():
    settings = load(GOOD)
    assert settings.places == Path("/x/places.csv")
    assert settings.maps_dir == Path("/x/maps")
    assert settings.home.office_radius_km == 10
    assert settings.display(Path("/x/places.csv")) == "places.csv"
    assert settings.file == "my.toml"


def test_pacific_settings_read():
    assert read_settings(PACIFIC / "geo.toml").home.name("en") == "Honolulu"


@pytest.mark.parametrize(
    ("text", "message", "code"),
    [
        (GOOD.replace(b"geonames_id = 5856195", b'geonames_id = "x"'),
         "`home.geonames_id` has the wrong type: 'x'; expected a whole number", "wrong-type"),
        (GOOD.replace(b'country = "US"\n', b""), "missing setting `home.country`", "missing"),
        (b"[home\n", "not valid TOML", "not-toml"),
        (GOOD + b"[validation]\ntolerance_km = 'abc'\n", "`validation.tolerance_km` has the wrong",
         "wrong-type"),
        (GOOD + b"[validation]\ntolerance_km = nan\n", "expected a positive number of km",
         "bad-number"),
        (GOOD + b"[validation]\ntolerance_km = -5\n", "expected a positive number of km",
         "bad-number"),
        (GOOD.replace(b"geonames_id = 5856195", b"geonames_id = 5856195\noffice_radius_km = 'x'"),
         "`home.office_radius_km` has the wrong type", "wrong-type"),
        (GOOD + b"[output]\nlayers = 5\n", "`output.layers` has the wrong type", "wrong-type"),
        (GOOD + b"[map]\nbasemap = 7\n", "`map.basemap` has the wrong type", "wrong-type"),
        (b"publisher = 'x'\n" + GOOD, "`publisher` must be a section", "wrong-type"),
        (b"home = 1\n[source]\nplaces = 'p.csv'\n", "`home` must be a section", "wrong-type"),
        (GOOD + b"[maps]\nassets = 'inline'\n", "unknown section `[maps]`", "unknown-section"),
        (GOOD + b"[output]\nmap = 'm'\n", "unknown setting `output.map`", "unknown-key"),
        (GOOD + b"[map]\nassets = 'remote'\n", "`map.assets` is 'remote'; expected one of local",
         "bad-choice"),
        (GOOD + b"[map]\ntiles = 'http://t.example/{z}/{x}/{y}.png'\ntiles_attribution = 'T'\n",
         "https URL template", "bad-tiles"),
        (GOOD + b"[map]\ntiles = 'https://t.example/{z}/{x}/{y}.png'\n",
         "needs `tiles_attribution`", "missing"),
        (GOOD + b"[map]\ncolour = 'red'\n", "unknown setting `map.colour`", "unknown-key"),
        (GOOD + b"[map]\nurl = 5\n", "`map.url` has the wrong type", "wrong-type"),
    ],
)  # fmt: skip
def test_bad_settings_say_what_is_wrong(text, message, code):
    with pytest.raises(SettingsError, match=re.escape(message)) as caught:
        load(text)
    assert caught.value.exit_status == 2
    assert [p.code for p in caught.value.problems] == [f"settings/{code}"]
    assert str(caught.value).startswith("my.toml: ")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("url", "javascript:alert(1)"),
        ("url", "JavaScript:alert(1)"),
        ("url", " javascript:alert(1)"),
        ("url", "data:text/html,<script>alert(1)</script>"),
        ("data_url", "vbscript:x"),
        ("data_url", "//evil.example/x.geojson"),
        ("layers_url", "https://x.example/a b/"),
        ("url", 'https://x.example/"onload="x'),
        ("url", "/\\evil.example/"),
    ],
)
def test_map_links_are_http_https_or_relative(key, value):
    text = GOOD + f"[map]\n{key} = {value!r}\n".encode()
    with pytest.raises(SettingsError, match=f"`map.{key}`") as caught:
        load(text)
    assert caught.value.problems[0].code == "settings/bad-url"


@pytest.mark.parametrize("value", ["https://kommun.example.se/karta/", "../maps/", "", "karta/"])
def test_good_map_links(value):
    assert load(GOOD + f"[map]\nurl = {value!r}\n".encode()).map.url == value


def publisher(**values: str) -> bytes:
    """A [publisher] section; strings written as JSON, which TOML reads alike (\\u escapes)."""
    fields = {"name": "Stad", "email": "data@stad.example.se", **values}
    return b"[publisher]\n" + b"".join(
        f"{k} = {json.dumps(v)}\n".encode() for k, v in fields.items()
    )


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("homepage", "javascript:alert(1)", "bad-url"),
        ("homepage", "kommun.example.se", "bad-url"),
        ("base_url", "ftp://x.example/", "bad-url"),
        ("email", "not an address", "bad-email"),
        ("email", "a@b", "bad-email"),
        ("email", "x@exa mple.se", "bad-email"),
        ("email", "<x@example.se>", "bad-email"),
        ("email", "x@exämple.se", "bad-email"),
        ("name", "Stad\u0007", "bad-text"),
        ("name", "Stad\u0085", "bad-text"),
        ("name", "Stad\ufdd0", "bad-text"),
        ("description", "a\nb", "bad-text"),
        ("contact_name", "x" * 301, "bad-text"),
        ("identifier", "212000-1356", "bad-org-number"),  # check digit off by one
        ("identifier", "2120001354", "bad-org-number"),
        ("identifier", "21200-01355", "bad-org-number"),  # hyphen in the wrong place
        ("identifier", "212000 1355", "bad-org-number"),
        ("identifier", "SE2120001355", "bad-org-number"),
        ("identifier", "212000-13550", "bad-org-number"),
        ("identifier", "\uff12\uff11\uff12000-1355", "bad-org-number"),  # fullwidth digits
    ],
)
def test_publisher_values_are_checked(key, value, code):
    with pytest.raises(SettingsError) as caught:
        load(GOOD + publisher(**{key: value}))
    assert [p.code for p in caught.value.problems] == [f"settings/{code}"], caught.value
    assert f"`publisher.{key}`" in str(caught.value)


def test_a_good_publisher_is_read():
    got = load(GOOD + publisher(homepage="https://stad.example.se/", phone="+46 8 123")).publisher
    assert got is not None and got.homepage == "https://stad.example.se/"


# Organisation numbers whose check digit is right by the Luhn algorithm (computed by hand:
# 212000-135 doubles to 4+1+4+0+0+0+2+3+(1+0) = 15, so the check digit is 5), and two
# well-known ones: Göteborgs kommun and AB Volvo.
@pytest.mark.parametrize("number", ["212000-1355", "2120001355", "556012-5790"])
def test_organisation_numbers_with_a_right_check_digit_are_read(number):
    got = load(GOOD + publisher(identifier=number)).publisher
    assert got is not None and got.identifier == number
    assert got.organisation_number == number.replace("-", "")


def test_bad_organisation_number_says_what_is_expected():
    with pytest.raises(SettingsError, match=r"wrong check digit.*212000-1355") as caught:
        load(GOOD + publisher(identifier="212000-1356"))
    assert "Leave it out" in str(caught.value)


def test_every_problem_is_reported_at_once():
    text = GOOD + b"[map]\nassets = 'x'\nurl = 'javascript:x'\n[validation]\ntolerance_km = -1\n"
    with pytest.raises(SettingsError) as caught:
        load(text)
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == ["settings/bad-choice", "settings/bad-number", "settings/bad-url"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes("[home]\nname_sv = 'Göteborg'\n".encode("latin-1")), "not UTF-8"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: None, "settings file not found"),
    ],
)
def test_unreadable_settings_exit_2_naming_the_file_used(tmp_path, make, message):
    path = tmp_path / "other.toml"
    make(path)
    with pytest.raises(SettingsError, match=re.escape(message)):
        read_settings(path)
    result = CliRunner().invoke(cli, ["validate", "--config", str(path)])
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and message in result.output
    assert "Traceback" not in result.output


def test_errors_name_the_settings_file_actually_used(tmp_path):
    path = tmp_path / "malmo.toml"
    path.write_bytes(GOOD + b"[map]\nassets = 'x'\n")
    result = CliRunner().invoke(cli, ["validate", "--config", str(path)])
    assert result.exit_code == 2
    assert f"{path}: `map.assets`" in result.output
    assert "geo.toml" not in result.output


def test_the_api_finds_the_settings_in_a_folder_above(tmp_path, monkeypatch):
    (tmp_path / "geo.toml").write_bytes(GOOD)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.delenv("GEO_CONFIG", raising=False)
    assert find_settings(tmp_path / "notebooks") == tmp_path / "geo.toml"
    monkeypatch.setenv("GEO_CONFIG", str(ROOT / "geo.toml"))
    assert find_settings(tmp_path) == ROOT / "geo.toml"


def test_without_settings_the_api_says_how_to_name_them(tmp_path, monkeypatch):
    monkeypatch.delenv("GEO_CONFIG", raising=False)
    with pytest.raises(SettingsError, match=r"geo\.read_settings\('path/to/geo\.toml'\)") as e:
        find_settings(tmp_path)
    assert "--config" not in str(e.value)
