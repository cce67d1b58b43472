"""Stage 6c, ``datapackage.json``: a Frictionless Data Package for the downloads.

CC0, sources, one resource per download with format, media type, size and SHA-256, and for the
CSV a Table Schema made from :mod:`geo.schema`: each column's type, whether it is required, its
allowed values, pattern, bounds and length, and the unique ``id`` as primary key; the
spreadsheet (``.xlsx``) gets the same schema, so ``frictionless validate`` checks its typed cells
too. Pure: a dict in, a dict out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geo.config import Publisher
from geo.publication.dataset import CC0_URL, Dataset, Download, keywords
from geo.schema import Column, Need, Schema
from geo.text import FALLBACK

TEXT_NOTE = (
    " Text cells that would start with =, +, -, @, a tab or a carriage return are prefixed "
    "with a single quote (') against spreadsheet formula injection."
)


def field_of(column: Column, quoted: bool = True) -> dict[str, Any]:
    """The Table Schema field of one column; `quoted`: text cells get the CSV's quote."""
    spec: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.type == "date":
        spec["format"] = "default"
    constraints: dict[str, Any] = {}
    if column.need is Need.ALWAYS:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.enum is not None:
        constraints["enum"] = [m.value for m in column.enum]
    elif column.pattern and column.type == "string":
        constraints["pattern"] = column.pattern
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    if column.max_length is not None and column.type == "string" and column.enum is None:
        constraints["maxLength"] = column.max_length
    if constraints:
        spec["constraints"] = constraints
    note = TEXT_NOTE if quoted and column.type == "string" and column.name != "id" else ""
    spec["description"] = column.meaning + "." + note
    return spec


def table_schema(of: Schema, quoted: bool = True) -> dict[str, Any]:
    """The table's Table Schema: one field per column of `of`, in the CSV's order. `quoted`: the
    CSV, whose text cells that look like formulas carry a quote (the spreadsheet's do not)."""
    return {
        "fields": [field_of(column, quoted) for column in of.columns],
        "primaryKey": ["id"],
        "missingValues": [""],
    }


def build_datapackage(
    data: Dataset, downloads: Iterable[Download], publisher: Publisher, of: Schema
) -> dict[str, Any]:
    """The ``datapackage.json`` document (a dict; serialise with sorted keys), in English, with
    the keywords of every language of `data`; `of` is the table's schema."""
    resources = []
    for d in downloads:
        resource: dict[str, Any] = {
            "name": d.name,
            "path": d.path,
            "title": d.title[FALLBACK],
            "description": d.description[FALLBACK],
            "format": d.format,
            "mediatype": d.mediatype,
            "bytes": d.bytes,
            "hash": f"sha256:{d.sha256}",
        }
        if d.format in ("csv", "geojson"):
            resource["encoding"] = "utf-8"
        if d.format == "csv":
            resource["profile"] = "tabular-data-resource"
            resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
            resource["schema"] = table_schema(of)
        elif d.format == "xlsx":  # its first sheet, `places`, is the table
            resource["profile"] = "tabular-data-resource"
            resource["schema"] = table_schema(of, quoted=False)
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": data.name,
        "id": data.identifier,  # the dataset's identifier, as in catalog.rdf
        "title": data.title[FALLBACK],
        "description": data.description[FALLBACK],
        "homepage": data.base_url,
        "keywords": [
            *keywords(FALLBACK),
            *(k for lang in sorted(data.title) if lang != FALLBACK for k in keywords(lang)),
        ],
        "licenses": [{"name": "CC0-1.0", "path": CC0_URL, "title": "CC0 1.0 Universal"}],
        "sources": [
            {
                "title": "The curated table (data/places.csv); each row names its sources "
                "in the `source` column",
            },
            {
                "title": "GeoNames reference points, by geonames_id",
                "path": "https://www.geonames.org/",
            },
        ],
        "contributors": [{"title": publisher.name, "role": "publisher", "email": publisher.email}],
        "resources": resources,
    }
