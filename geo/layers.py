"""Stage 3, build layers: validated places in, RFC 7946 FeatureCollections out.

One FeatureCollection per layer (``office``, ``partner_cities``, ``friendship_towns``,
``connections``) and ``all`` with every feature of the four. Features are sorted, ids are the
table's stable slugs (connections: ``<office>--<place>``), coordinates have 6 decimals, every
collection and feature carries a correct ``bbox``, and there is no ``crs`` member. A place's
properties are the columns of the project's :class:`~geo.schema.Schema` (the coordinates are its
geometry), a name and a description per language among them. Turning layers into bytes is
:mod:`geo.encoding`. No I/O.

The pipeline holds the layers of :func:`build_array_layers`: each connection's coordinates are
``(n, 2)`` arrays (see :mod:`geo.geometry`), from the great circles to the encoder and the maps,
with no Python object per vertex. :func:`build_layers`, the public API, gives plain GeoJSON-able
Python: the same layers with those arrays turned into lists, once, at the end.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from enum import Enum
from functools import cache
from typing import Any

from geo.gc_pause import without_gc_pauses
from geo.geometry import as_lists, geodesic_arcs, merge_bboxes, round_coord
from geo.model import ALL, CONNECTIONS, LAYER_OF_KIND, LAYERS
from geo.schema import Kind, Place, Schema, filled_languages, schema

Feature = dict[str, Any]
FeatureCollection = dict[str, Any]


@cache
def _getter(of: Schema) -> operator.attrgetter[Any]:
    return operator.attrgetter(*of.place_properties)


def place_feature(place: Place, of: Schema) -> Feature:
    """A Point feature with every property of the schema `of` (null where the table is empty)."""
    values = [v.value if isinstance(v, Enum) else v for v in _getter(of)(place)]
    properties: dict[str, Any] = dict(zip(of.place_properties, values, strict=True))
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": {
            "type": "Point",
            "coordinates": [round_coord(place.lon), round_coord(place.lat)],
        },
        "properties": properties,
    }


def connection_features(office: Place, places: Sequence[Place], of: Schema) -> list[Feature]:
    """Geodesic lines from the office to each place, cut at the antimeridian; coordinates as
    read-only ``(n, 2)`` arrays (a MultiLineString's: a list of them). Each names the place
    in the languages of `of`."""
    start = [round_coord(office.lon), round_coord(office.lat)]
    ends = [[round_coord(p.lon), round_coord(p.lat)] for p in places]
    arcs = geodesic_arcs([start] * len(ends), ends)
    features = []
    for place, arc in zip(places, arcs, strict=True):
        if arc.crosses_antimeridian:
            geometry = {"type": "MultiLineString", "coordinates": arc.parts}
        else:
            geometry = {"type": "LineString", "coordinates": arc.parts[0]}
        connection_id = f"{office.id}--{place.id}"
        properties = {
            "id": connection_id,
            "kind": "connection",
            "relation": place.kind.value,
            "status": place.status.value if place.status else None,
            "from_id": office.id,
            "to_id": place.id,
            **{f"name_{lang}": getattr(place, f"name_{lang}") for lang in of.languages},
            "distance_km": round(arc.distance_km, 1),
            "bearing_deg": round(arc.bearing_deg, 1) % 360.0,  # 359.96 is 0.0, never 360.0
            "crosses_antimeridian": arc.crosses_antimeridian,
        }
        features.append(
            {
                "type": "Feature",
                "id": connection_id,
                "geometry": geometry,
                "properties": properties,
                "bbox": arc.bbox,
            }
        )
    return features


def _feature_box(feature: Feature) -> list[float]:
    if "bbox" in feature:
        return feature["bbox"]
    lon, lat = feature["geometry"]["coordinates"]  # a Point
    return [lon, lat, lon, lat]


def collection(features: Iterable[Feature]) -> FeatureCollection:
    """A FeatureCollection with its bbox (omitted when empty: there is no extent)."""
    features = list(features)
    fc: FeatureCollection = {"type": "FeatureCollection"}
    if features:
        fc["bbox"] = merge_bboxes(_feature_box(f) for f in features)
    fc["features"] = features
    return fc


@without_gc_pauses
def build_array_layers(
    places: Iterable[Place], languages: Iterable[str] | None = None
) -> dict[str, FeatureCollection]:
    """Every layer, keyed by its snake_case name, plus ``all``, as the pipeline holds them: the
    connections' coordinates are arrays (:func:`build_layers` gives lists). The places' names
    and descriptions are those of `languages` (the settings'; by default the languages the
    places fill, :func:`geo.schema.filled_languages`)."""
    places = sorted(places, key=lambda p: p.id)
    of = schema(filled_languages(places) if languages is None else languages)
    by_layer: dict[str, list[Feature]] = {name: [] for name in LAYERS}
    for place in places:
        by_layer[LAYER_OF_KIND[place.kind]].append(place_feature(place, of))
    office = next((p for p in places if p.kind is Kind.OFFICE), None)
    if office is not None:
        others = [p for p in places if p.kind is not Kind.OFFICE]
        by_layer[CONNECTIONS] = connection_features(office, others, of)
    layers = {name: collection(by_layer[name]) for name in LAYERS}
    layers[ALL] = collection(f for name in LAYERS for f in by_layer[name])
    return layers


def as_plain(layers: dict[str, FeatureCollection]) -> dict[str, FeatureCollection]:
    """`layers` with every array of coordinates turned into lists (in place, and returned):
    plain Python that ``json`` and any GeoJSON reader take. A feature shared by two layers
    (``all`` and its own) stays one object."""
    done: set[int] = set()
    for fc in layers.values():
        for feature in fc["features"]:
            geometry = feature.get("geometry")
            if id(feature) not in done and geometry is not None:
                done.add(id(feature))
                geometry["coordinates"] = as_lists(geometry["coordinates"])
    return layers


def build_layers(
    places: Iterable[Place], languages: Iterable[str] | None = None
) -> dict[str, FeatureCollection]:
    """Every layer, keyed by its snake_case name, plus ``all``: RFC 7946 FeatureCollections as
    plain Python (dicts, lists, numbers, text), ready for ``json.dumps`` or any GeoJSON reader.
    `languages` as for :func:`build_array_layers` (``settings.languages``).

    The lines are made as arrays (:func:`build_array_layers`, what the pipeline holds) and
    turned into lists here, once (:func:`as_plain`).
    """
    return as_plain(build_array_layers(places, languages))
