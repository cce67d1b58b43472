"""A publication made by hand, for tests that call the metadata writers directly (fast, no
pipeline): a dataset, one download of each kind and a publisher, every value chosen here, not
made by geo.publication.dataset."""

from __future__ import annotations

from geo.publication.dataset import Dataset, Download
from geo.publication.formats import BY_NAME
from geo.publisher import Publisher

BASE = "https://kommun.example.se/data/"
# One download of each kind, the print map (not data) first; sizes, hashes and dates differ
# from one to the next, so a writer that takes one file's value for another's is seen.
FILES = (
    ("maps/partnerships-sv.svg", "svg"),
    ("data/places.csv", "csv"),
    ("data/places.xlsx", "xlsx"),
    ("data/layers/all.geojson", "geojson"),
    ("data/layers/office.fgb", "fgb"),
    ("data/layers.gpkg", "gpkg"),
    ("data/all.parquet", "geoparquet"),
)
DATA_FILES = [path for path, fmt in FILES if BY_NAME[fmt].data]


def downloads() -> list[Download]:
    return [
        Download(
            path,
            BY_NAME[fmt],
            "",
            {"sv": f"Titel {fmt}", "en": f"Title {fmt}"},
            {"sv": f"Om {fmt}", "en": f"About {fmt}"},
            1000 + i,
            f"{i:x}" * 64,
            f"2021-02-{i + 1:02d}",
            f"2020-01-{i + 1:02d}",
        )
        for i, (path, fmt) in enumerate(FILES)
    ]


def dataset(**changes) -> Dataset:
    fields = {
        "name": "kommun-international-relations",
        "identifier": "0b7a4b7e-3e0c-5b53-9d1e-2f0c3c6e6a11",
        "title": {"sv": "Kommunens relationer", "en": "The town's relations"},
        "description": {"sv": "Vänorter", "en": "Twin towns"},
        "base_url": BASE,
        "issued": "2020-01-01",
        "modified": "2021-02-03",
        "start_year": 1946,
        "bbox": [-87.65, -33.9, 139.7, 60.4],
        "home_iri": "https://sws.geonames.org/2711537/",
    }
    return Dataset(**{**fields, **changes})


PUBLISHER = Publisher(
    name="Kommunen",
    email="data@kommun.example.se",
    phone="+46 31-365 00 00",
    homepage="https://kommun.example.se/",
    contact_name="Öppna data",
    description="Kommunen i korthet",
    identifier="212000-1355",
)
# The least a publisher gives: a name and an address.
PLAIN = Publisher(name="Kommunen", email="data@kommun.example.se")
