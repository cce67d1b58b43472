"""Small made-up projects for the print map tests: places anywhere, settings in a folder."""

from __future__ import annotations

from pathlib import Path

import geo
from geo.config import Home, Settings
from geo.schema import Kind, Place, Status

ROOT = Path(__file__).resolve().parents[2]


def make_place(
    id: str,
    kind: Kind,
    lon: float,
    lat: float,
    name: str,
    status: Status | None = Status.ACTIVE,
    name_sv: str | None = None,
) -> Place:
    """A place of the table, with only what the maps read filled in."""
    return Place(
        id=id, kind=kind, status=None if kind is Kind.OFFICE else status,
        name_sv=name_sv or name, name_en=name, name_local=name, country="FJ", lon=lon, lat=lat,
        since=None, since_note=None, description_sv="", description_en="", geonames_id=1,
        geonames_note=None, wikidata=None, source="test", as_of="2026-01-01",
    )  # fmt: skip


def settings_in(folder: Path, home: str) -> Settings:
    """Settings for a made-up home city whose outputs go to `folder`."""
    return Settings(
        home=Home({"sv": home, "en": home}, "FJ", 1),
        places=folder / "places.csv",
        layers_dir=folder / "layers",
        maps_dir=folder / "maps",
        root=folder,
    )


def east_of_178() -> dict:
    """The layers of a home at 178° E, with partners all round the world.

    The map's edge is then the meridian 2° W: London lies just east of it, Lagos and Santiago
    well west; Europe and Africa must be cut there, and every line stays whole.
    """
    places = [
        make_place("office", Kind.OFFICE, 178.0, -18.1, "Town Hall"),
        make_place("honolulu", Kind.PARTNER_CITY, -157.86, 21.31, "Honolulu"),
        make_place("tokyo", Kind.PARTNER_CITY, 139.69, 35.69, "Tokyo", Status.DORMANT),
        make_place("auckland", Kind.FRIENDSHIP_TOWN, 174.76, -36.85, "Auckland"),
        make_place("london", Kind.PARTNER_CITY, -0.13, 51.51, "London", Status.DORMANT),
        make_place("lagos", Kind.PARTNER_CITY, 3.39, 6.45, "Lagos"),
        make_place("santiago", Kind.FRIENDSHIP_TOWN, -70.65, -33.45, "Santiago"),
    ]
    return geo.build_layers(places)
