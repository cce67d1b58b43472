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
        ("ogcapi", "yes", "wrong-type"),  # true or false
        ("ogcapi", 1, "wrong-type"),
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
    assert got.ogcapi is False  # the service is offered only when said so
    assert load(GOOD + publisher(ogcapi=True)).publisher.ogcapi is True


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


# --- zero, negative and absent settings (issue 26) ------------------------------------------------


@pytest.mark.parametrize("value", ["0", "0.0", "-0.0", "-1", "-25.5", "inf", "-inf"])
@pytest.mark.parametrize("key", ["validation.tolerance_km", "home.office_radius_km"])
def test_a_distance_must_be_positive(key, value):
    """A tolerance or radius of 0 km would refuse every place (or the office): refused, like a
    negative one ("a positive number of km")."""
    section, name = key.split(".")
    text = GOOD + f"[{section}]\n{name} = {value}\n".encode()
    if section == "home":
        text = GOOD.replace(
            b"geonames_id = 5856195", f"geonames_id = 5856195\n{name} = {value}".encode()
        )
    with pytest.raises(SettingsError, match=re.escape(f"`{key}` is ")) as caught:
        load(text)
    assert [(p.code, p.field) for p in caught.value.problems] == [("settings/bad-number", key)]
    assert "expected a positive number of km" in str(caught.value)


@pytest.mark.parametrize("value", ["0.001", "1", "25", "40075.5"])
def test_small_and_large_positive_distances_are_read(value):
    settings = load(GOOD + f"[validation]\ntolerance_km = {value}\n".encode())
    assert settings.tolerance_km == float(value)
    assert isinstance(settings.tolerance_km, float)


def test_defaults_when_a_section_is_absent():
    """data/README.md and the README: tolerance 25 km, office radius 10 km, layers in
    data/layers, maps in maps, assets local, the documented links; no publisher."""
    settings = load(GOOD)
    assert settings.tolerance_km == 25.0
    assert settings.home.office_radius_km == 10.0
    assert settings.layers_dir == Path("/x/data/layers")
    assert settings.maps_dir == Path("/x/maps")
    assert settings.map.assets == "local"
    assert settings.map.tiles is None and settings.map.tiles_attribution is None
    assert settings.map.url == ""
    assert settings.map.data_url == "../data/layers/all.geojson"
    assert settings.map.layers_url == "../data/layers/"
    assert settings.basemap is None and settings.encoding is None
    assert settings.publisher is None


def test_defaults_when_a_section_is_empty():
    settings = load(GOOD + b"[validation]\n[output]\n[map]\n")
    assert settings.tolerance_km == 25.0
    assert settings.layers_dir == Path("/x/data/layers") and settings.maps_dir == Path("/x/maps")
    assert settings.map.assets == "local" and settings.map.layers_url == "../data/layers/"


# --- every key read, every refusal worded (issue 26: the mutation benchmark's survivors) ---------
FULL = """
[home]
name_sv = "Göteborg"
name_en = "Gothenburg"
country = "SE"
geonames_id = 2711537
office_radius_km = 12.5

[source]
places = "t/places.csv"
encoding = "Windows-1252"

[validation]
tolerance_km = 30

[output]
layers = "out/layers"
maps = "out/maps"

[map]
assets = "inline"
tiles = "https://{s}.tiles.example.org/{z}/{x}/{y}{r}.png"
tiles_attribution = "© Example"
basemap = "land.geojson"
url = "https://kommun.example.se/karta/"
data_url = "https://kommun.example.se/data/all.geojson"
layers_url = "/data/layers/"

[publisher]
name = "Stad"
email = "data@stad.example.se"
base_url = "https://stad.example.se/data/"
type = "http://purl.org/adms/publishertype/RegionalAuthority"
phone = "+46 31-000 00 00"
homepage = "https://stad.example.se/"
contact_name = "Stadens kontor"
description = "DESCRIPTION"
identifier = "212000-1355"
""".replace("DESCRIPTION", "d" * 2000).encode()


def test_every_key_is_read_into_its_setting():
    import codecs

    s = load(FULL)
    assert s.home.names == {"sv": "Göteborg", "en": "Gothenburg"} and s.home.country == "SE"
    assert (s.home.geonames_id, s.home.office_radius_km) == (2711537, 12.5)
    assert s.places == Path("/x/t/places.csv")
    assert s.encoding == codecs.lookup("windows-1252").name == "cp1252"
    assert s.tolerance_km == 30.0
    assert (s.layers_dir, s.maps_dir) == (Path("/x/out/layers"), Path("/x/out/maps"))
    assert s.map.assets == "inline"
    assert s.map.tiles == "https://{s}.tiles.example.org/{z}/{x}/{y}{r}.png"
    assert s.map.tiles_attribution == "© Example"
    assert s.basemap == Path("/x/land.geojson")
    assert s.map.url == "https://kommun.example.se/karta/"
    assert s.map.data_url == "https://kommun.example.se/data/all.geojson"
    assert s.map.layers_url == "/data/layers/"
    p = s.publisher
    assert p is not None
    assert (p.name, p.email, p.base_url) == (
        "Stad",
        "data@stad.example.se",
        "https://stad.example.se/data/",
    )
    assert p.type == "http://purl.org/adms/publishertype/RegionalAuthority"
    assert (p.phone, p.homepage) == ("+46 31-000 00 00", "https://stad.example.se/")
    assert (p.contact_name, p.description) == ("Stadens kontor", "d" * 2000)
    assert p.identifier == "212000-1355" and p.organisation_number == "2120001355"


def test_a_publisher_with_only_what_it_must_have_gets_the_defaults():
    p = load(GOOD + PUBLISHER).publisher
    assert p is not None and (p.name, p.email) == ("Stad", "data@stad.example.se")
    assert p.type == "http://purl.org/adms/publishertype/LocalAuthority"
    assert (p.base_url, p.phone, p.homepage, p.contact_name) == (None, None, None, None)
    assert (p.description, p.identifier, p.organisation_number) == (None, None, None)


def _with(section: str, line: str) -> bytes:
    """GOOD with `line` added to `section` (made if absent)."""
    head = f"[{section}]\n".encode()
    if head in GOOD:
        return GOOD.replace(head, head + line.encode() + b"\n", 1)
    return GOOD + head + line.encode() + b"\n"


MESSAGES = [
    (_with("home", "country = 'se'").replace(b'country = "US"\n', b""), "home.country",
     "`home.country` is 'se'; expected an ISO 3166-1 alpha-2 code such as SE. [settings/bad-text]"),
    (GOOD.replace(b'country = "US"', b'country = "USA"'), "home.country",
     "`home.country` is 'USA'; expected an ISO 3166-1 alpha-2 code such as SE. "
     "[settings/bad-text]"),
    (GOOD.replace(b'country = "US"', "country = \"\u00c5\u00c4\"".encode()), "home.country",
     "`home.country` is 'ÅÄ'; expected an ISO 3166-1 alpha-2 code such as SE. [settings/bad-text]"),
    (GOOD.replace(b"5856195", b"0"), "home.geonames_id",
     "`home.geonames_id` is 0; expected a GeoNames id, a positive whole number. "
     "[settings/bad-number]"),
    (GOOD.replace(b"5856195", b"-3"), "home.geonames_id",
     "`home.geonames_id` is -3; expected a GeoNames id, a positive whole number. "
     "[settings/bad-number]"),
    (GOOD.replace(b"5856195", b"true"), "home.geonames_id",
     "`home.geonames_id` has the wrong type: True; expected a whole number. [settings/wrong-type]"),
    (GOOD.replace(b"geonames_id = 5856195\n", b""), "home.geonames_id",
     "missing setting `home.geonames_id`; expected a whole number. [settings/missing]"),
    (GOOD.replace(b'name_sv = "Honolulu"\n', b""), "home.name_sv",
     "missing setting `home.name_sv`; expected text in quotes. [settings/missing]"),
    (GOOD.replace(b'name_en = "Honolulu"', b'name_en = "  "'), "home.name_en",
     "`home.name_en` is empty; expected a value. [settings/missing]"),
    (GOOD.replace(b'name_sv = "Honolulu"', b'name_sv = "Hono\\u0007lulu"'), "home.name_sv",
     "`home.name_sv` holds U+0007 (a control character) at position 5; expected printable text "
     "on one line. Remove the invisible character. [settings/bad-text]"),
    (GOOD.replace(b'places = "places.csv"\n', b""), "source.places",
     "missing setting `source.places`; expected text in quotes. [settings/missing]"),
    (_with("source", "encoding = 'klingon'"), "source.encoding",
     "`source.encoding` 'klingon' is not an encoding Python knows; expected a name such as "
     "windows-1252 or utf-8. [settings/bad-choice]"),
    (_with("validation", "tolerance_km = 'abc'"), "validation.tolerance_km",
     "`validation.tolerance_km` has the wrong type: 'abc'; expected a number. "
     "[settings/wrong-type]"),
    (_with("validation", "tolerance_km = '" + "x" * 100 + "'"), "validation.tolerance_km",
     "`validation.tolerance_km` has the wrong type: '" + "x" * 76 + "...; expected a number. "
     "[settings/wrong-type]"),
    (_with("map", "assets = 'remote'"), "map.assets",
     "`map.assets` is 'remote'; expected one of local, inline, cdn. [settings/bad-choice]"),
    (_with("map", "tiles = 'https://t.example/{z}/{x}.png'\ntiles_attribution = 'T'"), "map.tiles",
     "`map.tiles` 'https://t.example/{z}/{x}.png' is not usable; expected an https URL template "
     "with {z}, {x} and {y}. [settings/bad-tiles]"),
    (_with("map", "tiles = '/tiles/{z}/{x}/{y}.png'\ntiles_attribution = 'T'"), "map.tiles",
     "`map.tiles` '/tiles/{z}/{x}/{y}.png' is not usable; expected an https URL template "
     "with {z}, {x} and {y}. [settings/bad-tiles]"),
    (_with("map", "tiles = 'https://t.example/{z}/{x}/{y}.png'"), "map.tiles_attribution",
     "`map.tiles` needs `tiles_attribution`; expected the text the tile provider asks for, such "
     "as '© OpenStreetMap contributors'. [settings/missing]"),
    (_with("map", "url = 'javascript:x'"), "map.url",
     "`map.url` 'javascript:x' has the scheme `javascript:`; expected an http or https URL, or a "
     "relative path. [settings/bad-url]"),
    (_with("map", "data_url = '//evil.example/x'"), "map.data_url",
     "`map.data_url` '//evil.example/x' names another host without a scheme; expected an http or "
     "https URL, or a relative path. [settings/bad-url]"),
    (_with("map", "layers_url = 'https://x.example/a b/'"), "map.layers_url",
     "`map.layers_url` 'https://x.example/a b/' holds a space, quote, bracket, backslash or "
     "invisible character; expected an http or https URL, or a relative path. "
     "[settings/bad-url]"),
    (GOOD + PUBLISHER.replace(b'email = "data@stad.example.se"', b'email = "x"'),
     "publisher.email",
     "`publisher.email` 'x' is not an address of the form name@example.se; expected an e-mail "
     "address such as opendata@example.se. [settings/bad-email]"),
    (GOOD + PUBLISHER.replace(b'email = "data@stad.example.se"\n', b""), "publisher.email",
     "missing setting `publisher.email`; expected text in quotes. [settings/missing]"),
    (GOOD + PUBLISHER.replace(b'name = "Stad"\n', b""), "publisher.name",
     "missing setting `publisher.name`; expected text in quotes. [settings/missing]"),
    (GOOD + PUBLISHER + b'base_url = "data/"\n', "publisher.base_url",
     "`publisher.base_url` 'data/' is not an absolute URL; expected an http or https URL. "
     "[settings/bad-url]"),
    (GOOD + PUBLISHER + b'type = "LocalAuthority"\n', "publisher.type",
     "`publisher.type` 'LocalAuthority' is not an absolute URL; expected an http or https URL. "
     "[settings/bad-url]"),
    (GOOD + PUBLISHER + b'homepage = "stad.example.se"\n', "publisher.homepage",
     "`publisher.homepage` 'stad.example.se' is not an absolute URL; expected an http or https "
     "URL. [settings/bad-url]"),
    (GOOD + PUBLISHER + b'identifier = "212000-1356"\n', "publisher.identifier",
     "`publisher.identifier` '212000-1356' has a wrong check digit (the last digit; is a digit "
     "mistyped?); expected the publisher's Swedish organisation number, such as 212000-1355. "
     "Leave it out if the publisher has none. [settings/bad-org-number]"),
    (GOOD + PUBLISHER + b'identifier = "21200-1355"\n', "publisher.identifier",
     "`publisher.identifier` '21200-1355' is not ten digits (NNNNNN-NNNN); expected the "
     "publisher's Swedish organisation number, such as 212000-1355. Leave it out if the "
     "publisher has none. [settings/bad-org-number]"),
    (GOOD + PUBLISHER + b'description = "' + b"d" * 2001 + b'"\n', "publisher.description",
     "`publisher.description` is 2001 characters long; expected at most 2000. "
     "[settings/bad-text]"),
    (GOOD + PUBLISHER + b'contact_name = "' + b"c" * 301 + b'"\n', "publisher.contact_name",
     "`publisher.contact_name` is 301 characters long; expected at most 300. "
     "[settings/bad-text]"),
    (GOOD + b"[maps]\nassets = 'inline'\n", "maps",
     "unknown section `[maps]`; expected one of [home], [source], [validation], [output], [map], "
     "[publisher]. Is it misspelt? [settings/unknown-section]"),
    (_with("output", "map = 'm'"), "output.map",
     "unknown setting `output.map`; expected one of languages, layers, maps. Is it misspelt? "
     "[settings/unknown-key]"),
    (b"publisher = 'x'\n" + GOOD, "publisher",
     "`publisher` must be a section; expected [publisher] and its keys. [settings/wrong-type]"),
    (b"[home\n", None,
     "not valid TOML (Expected ']' at the end of a table declaration (at line 1, column 6)); "
     "expected TOML such as the shipped geo.toml. [settings/not-toml]"),
    (b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", None,
     "not valid TOML (nested too deep); expected TOML such as the shipped geo.toml. "
     "[settings/not-toml]"),
    (GOOD.replace(b'"Honolulu"', '"G\u00f6teborg"'.encode("latin-1"), 1), None,
     "byte b'\\xf6' on line 3 is not UTF-8; expected a TOML file in UTF-8. Save it as UTF-8 (in "
     "Notepad: Save as, Encoding UTF-8). [settings/not-utf8]"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "key", "message"), MESSAGES)
def test_what_each_refused_setting_is_told(text, key, message):
    with pytest.raises(SettingsError) as caught:
        load(text)
    (problem,) = caught.value.problems
    assert str(problem) == f"my.toml: {message}"
    assert problem.field == key and problem.where == "my.toml"
    assert problem.line is None and problem.place_id is None


@pytest.mark.parametrize(
    "text",
    [
        _with("map", "tiles = 'https://{s}.t.example/{z}/{x}/{y}{r}.png'\ntiles_attribution = 'T'"),
        _with("map", "tiles = 'https://t.example/{z}/{x}/{y}.png'\ntiles_attribution = 'T'"),
        GOOD.replace(b"5856195", b"1"),
        GOOD + PUBLISHER + b'description = "' + b"d" * 2000 + b'"\n',
        GOOD + PUBLISHER + b'contact_name = "' + b"c" * 300 + b'"\n',
        GOOD.replace(b'country = "US"', b'country = "GB"'),
    ],
)
def test_settings_at_their_limits_are_read(text):
    assert load(text).home.name("en") == "Honolulu"


def test_the_base_map_is_none_unless_named():
    assert load(GOOD).basemap is None
    assert load(_with("map", "basemap = 'b.geojson'")).basemap == Path("/x/b.geojson")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "settings file not found; expected a TOML file such as geo.toml"),
        (lambda p: p.mkdir(), "is a folder; expected a TOML file such as geo.toml, a regular file"),
    ],
)
def test_what_an_unreadable_settings_file_is_told(tmp_path, make, reason):
    path = tmp_path / "other.toml"
    make(path)
    with pytest.raises(SettingsError) as caught:
        read_settings(path)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{path}: {reason}. Run geo from the project's "
        "folder, or name the file with --config (in Python: read_settings(path)). "
        "[settings/unreadable]"
    )


def test_settings_read_from_the_current_folder_by_default(tmp_path, monkeypatch):
    (tmp_path / "geo.toml").write_bytes(GOOD)
    monkeypatch.chdir(tmp_path)
    settings = read_settings()
    assert settings.root == tmp_path.resolve() and settings.file == "geo.toml"
    assert settings.places == tmp_path.resolve() / "places.csv"


def test_what_the_api_is_told_without_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("GEO_CONFIG", raising=False)
    with pytest.raises(SettingsError) as caught:
        find_settings(tmp_path)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"geo.toml: no geo.toml in {tmp_path.resolve()} or any folder above; expected the "
        "project's settings file. Name it: geo.read_settings('path/to/geo.toml'), or set the "
        "environment variable GEO_CONFIG to its path. [settings/unreadable]"
    )


def test_display_names_a_path_inside_the_project_relative_to_it(tmp_path):
    settings = load(GOOD)
    assert settings.display(Path("/x/data/places.csv")) == "data/places.csv"
    assert settings.display(Path("/elsewhere/t.csv")) == "/elsewhere/t.csv"


# --- [home] wikidata (geo crosscheck) ---------------------------------------------------------


def with_home_wikidata(value: str) -> bytes:
    return GOOD.replace(b"geonames_id = 5856195\n", b"geonames_id = 5856195\nwikidata = " +
                        value.encode() + b"\n")  # fmt: skip


@pytest.mark.parametrize(
    ("value", "items"),
    [('"Q18094"', ("Q18094",)), ('["Q18094", "Q487704"]', ("Q18094", "Q487704")),
     ("[]", ()), ('["Q1", "Q1"]', ("Q1",))],
)  # fmt: skip
def test_home_wikidata_one_item_or_a_list(value, items):
    assert load(with_home_wikidata(value)).home_wikidata == items


def test_home_wikidata_absent_is_empty():
    assert load(GOOD).home_wikidata == ()
    assert read_settings(ROOT / "geo.toml").home_wikidata == ("Q25287", "Q52502")


@pytest.mark.parametrize(
    ("value", "code", "says"),
    [
        ("25287", "settings/wrong-type", "`home.wikidata` has the wrong type: 25287"),
        ('["Q1", 2]', "settings/wrong-type", "has the wrong type"),
        ('{a = "Q1"}', "settings/wrong-type", "has the wrong type"),
        ('"q25287"', "settings/bad-wikidata", "`home.wikidata` holds 'q25287'"),
        ('["Q1", "Q01", "https://www.wikidata.org/wiki/Q2"]', "settings/bad-wikidata", "'Q01'"),
        ('"Q1\\u0007"', "settings/bad-text", "holds U+0007"),
        ('"Q12345678901234"', "settings/bad-wikidata", "holds"),
    ],
)
def test_bad_home_wikidata(value, code, says):
    with pytest.raises(SettingsError) as caught:
        load(with_home_wikidata(value))
    (problem,) = caught.value.problems
    assert problem.code == code and says in str(problem)
    assert problem.field == "home.wikidata"


def test_a_right_check_digit_with_a_nine_where_it_is_not_doubled():
    """Volvo Car AB, 556074-3089: the digits from the right 9, 8, 0, 3, 4, 7, 0, 6, 5, 5; the
    doubled ones give 7 + 6 + 5 + 3 + 1, the others 9 + 0 + 4 + 0 + 5: 40, a multiple of 10."""
    got = load(GOOD + PUBLISHER + b'identifier = "556074-3089"\n').publisher
    assert got is not None and got.identifier == "556074-3089"


@pytest.mark.parametrize(("length", "shown"), [(78, "whole"), (79, "cut")])
def test_a_long_value_is_cut_in_a_message_after_80_characters(length, shown):
    value = "x" * length  # its repr, quotes included, is 80 or 81 characters
    with pytest.raises(SettingsError) as caught:
        load(_with("validation", f"tolerance_km = '{value}'"))
    text = str(caught.value.problems[0])
    if shown == "whole":
        assert f"'{value}';" in text
    else:
        assert f"'{value[:76]}...;" in text


def test_the_home_name_in_a_language_and_the_english_one_where_it_has_none():
    home = load(GOOD.replace(b'name_sv = "Honolulu"', b'name_sv = "Honolulu stad"')).home
    assert home.name("sv") == "Honolulu stad" and home.name("en") == "Honolulu"
    assert home.name("de") == "Honolulu"


def test_a_settings_path_through_a_file_cannot_be_read(tmp_path):
    (tmp_path / "file").write_text("x")
    path = tmp_path / "file" / "geo.toml"
    with pytest.raises(SettingsError) as caught:
        read_settings(path)
    assert str(caught.value.problems[0]).startswith(f"{path}: cannot be read (Not a directory);")
