"""Stage 4, render maps: what the page says about each place, as data for templates and script.

Takes the layers of :func:`geo.layers.build_layers` and a page language; gives plain values (never
markup): the popup of each place (:class:`Popup`), the rows of the places table (:class:`Row`),
the office panel, the key, and the places and lines the page script draws (JSON-ready dicts with
longitudes moved around the home city, see :mod:`geo.web.wrap`). The templates escape every value
where it lands; the script puts text in with ``textContent``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo import style
from geo.geometry import as_lists, parts, to_latlon
from geo.layers import FeatureCollection
from geo.model import CONNECTIONS, PLACE_LAYERS
from geo.schema import BY_NAME, Kind, Status
from geo.text import texts
from geo.urls import tel_url
from geo.web import symbols, wrap
from geo.web.assets import encode_ring
from geo.web.words import (
    country_name,
    date_text,
    in_language,
    iso_date,
    place_label,
    place_name,
    text_lang,
)

Feature = Mapping[str, Any]
COORD_DECIMALS = 5  # about 1 m: the map needs no more, and the page stays small
LINE_DECIMALS = 3  # a connection's vertices to about 100 m: a line is drawn at zoom 6 at most


@dataclass(frozen=True)
class Field:
    """One line of a popup or panel: a label and its text, with what the text needs."""

    label: str
    text: str
    lang: str | None = None  # set when the text is in another language than the page
    href: str | None = None  # a tel: link
    datetime: str | None = None  # the ISO date behind a date written for people
    note: str | None = None  # a doubt about the value (English)
    note_lang: str | None = None
    slot: str | None = None  # the column a large map's script fills in (popup_slots)


@dataclass(frozen=True)
class Popup:
    """The popup of one place."""

    id: str
    name: str
    description: str
    fields: list[Field]
    name_lang: str | None = None  # set when the name is in another language than the page
    description_lang: str | None = None


@dataclass(frozen=True)
class Row:
    """One row of the places table."""

    id: str
    name: str
    status: str
    relation: str
    since: str
    country: str
    local: str
    note: str | None = None
    note_lang: str | None = None
    name_lang: str | None = None  # set when the name is in another language than the page


def label(column: str, lang: str) -> str:
    return BY_NAME[column].label(lang)


def features(layers: Mapping[str, FeatureCollection]) -> Iterator[Feature]:
    """Every place, layer by layer in drawing order."""
    for name in PLACE_LAYERS:
        yield from layers[name]["features"]


def place_count(layers: Mapping[str, FeatureCollection]) -> int:
    return sum(len(layers[name]["features"]) for name in PLACE_LAYERS)


def home_longitude(layers: Mapping[str, FeatureCollection]) -> float:
    """The longitude the map is centred on: the office's (it lies in the home city)."""
    for feature in layers["office"]["features"]:
        return float(feature["geometry"]["coordinates"][0])
    return 0.0


# --- what is said about a place -----------------------------------------------------------


def since_field(props: Mapping[str, Any], lang: str) -> Field:
    year = props.get("since")
    note = props.get("since_note") or None
    return Field(
        label("since", lang),
        str(year) if year is not None else texts(lang)("map.unknown"),
        note=note,
        note_lang=text_lang("since_note", lang) if note else None,
    )


def popup(feature: Feature, lang: str) -> Popup:
    """The popup of one place: names, country, relation, status, since, contact, source, date."""
    props = feature["properties"]
    t = texts(lang)
    name = place_name(props, lang)
    name_lang = in_language(props, "name", lang)[1]
    fields = []
    local = props.get("name_local")
    if local and local != name:
        fields.append(Field(label("name_local", lang), local))
    fields.append(Field(label("country", lang), country_name(props.get("country"), lang)))
    fields.append(Field(label("kind", lang), t.kind(props["kind"])))
    if props.get("status"):
        fields.append(Field(label("status", lang), t.status(props["status"])))
        fields.append(since_field(props, lang))
    fields += office_fields(props, lang)
    fields.append(
        Field(label("source", lang), props.get("source") or "", text_lang("source", lang))
    )
    if props.get("as_of"):
        as_of = str(props["as_of"])
        fields.append(Field(label("as_of", lang), date_text(as_of, lang), datetime=iso_date(as_of)))
    description, description_lang = in_language(props, "description", lang)
    return Popup(str(feature["id"]), name, description, fields, name_lang, description_lang)


def office_fields(props: Mapping[str, Any], lang: str) -> list[Field]:
    """The office's addresses and phone (a tel: link), where the row has them."""
    fields = [
        Field(label(key, lang), str(props[key]))
        for key in ("visiting_address", "postal_address")
        if props.get(key)
    ]
    if props.get("phone"):
        phone = str(props["phone"])
        fields.append(Field(label("phone", lang), phone, href=tel_url(phone)))
    return fields


# The columns a large map's popup may show, in the order entries.popup shows them.
SLOTS = ("name_local", "country", "kind", "status", "since", "visiting_address")
SLOTS += ("postal_address", "phone", "source", "as_of")


def popup_slots(lang: str) -> Popup:
    """A large map's popup as the template writes it once per page: every field of
    :data:`SLOTS` with its label and language, empty, for the page script to fill from a place's
    properties (``static/large.js``); it removes the fields the place has no value for."""
    fields = [
        Field(
            label(column, lang),
            "",
            lang=text_lang(column, lang),
            href="tel:" if column == "phone" else None,
            datetime="" if column == "as_of" else None,
            note=" " if column == "since" else None,
            note_lang=text_lang("since_note", lang) if column == "since" else None,
            slot=column,
        )
        for column in SLOTS
    ]
    return Popup("", "", " ", fields)


def office_panel(layers: Mapping[str, FeatureCollection], lang: str) -> list[Popup]:
    """The contact panel beside the map: the office's name, addresses and phone."""
    return [
        Popup(
            str(f["id"]),
            place_name(f["properties"], lang),
            "",
            office_fields(f["properties"], lang),
            in_language(f["properties"], "name", lang)[1],
        )
        for f in layers["office"]["features"]
    ]


def table_row(feature: Feature, lang: str) -> Row:
    props = feature["properties"]
    t = texts(lang)
    status = props.get("status")
    since = since_field(props, lang) if status else None
    return Row(
        id=str(feature["id"]),
        name=place_name(props, lang),
        status=t.status(status) if status else "\u2013",
        relation=t.kind(props["kind"]),
        since=since.text if since else "\u2013",
        country=country_name(props.get("country"), lang),
        local=str(props.get("name_local") or ""),
        note=since.note if since else None,
        note_lang=since.note_lang if since else None,
        name_lang=in_language(props, "name", lang)[1],
    )


def table_rows(
    layers: Mapping[str, FeatureCollection], lang: str, limit: int | None = None
) -> list[Row]:
    """The rows of the places table (the first `limit` of them)."""
    return [table_row(f, lang) for f in itertools.islice(features(layers), limit)]


def table_head(lang: str) -> list[str]:
    """The column heads of the places table; status second, so a phone always shows it."""
    t = texts(lang)
    columns = ("status", "kind", "since", "country", "name_local")
    return [t("map.name"), *(label(c, lang) for c in columns)]


# --- what the page script draws ------------------------------------------------------------


def _latlon(position: Sequence[float]) -> list[float]:
    return [round(v, COORD_DECIMALS) + 0.0 for v in to_latlon(position)]


def _distances(layers: Mapping[str, FeatureCollection]) -> dict[str, float]:
    """Each place's geodesic distance from the office (km), from its connection."""
    return {
        str(f["properties"].get("to_id")): float(f["properties"].get("distance_km") or 0.0)
        for f in layers[CONNECTIONS]["features"]
    }


def is_near(feature: Feature, distance: Mapping[str, float]) -> bool:
    """Whether a place lies within :data:`geo.style.NEAR_KM` of the office (the office does)."""
    if feature["properties"]["kind"] == Kind.OFFICE:
        return True
    return distance.get(str(feature["id"]), math.inf) <= style.NEAR_KM


def place_data(layers: Mapping[str, FeatureCollection], lang: str) -> list[dict[str, Any]]:
    """Each place as the script draws it: id, layer, symbol, position, name, accessible name,
    and whether it lies near the office (:data:`geo.style.NEAR_KM`: the near-home view).

    Positions are moved around the home longitude (a whole turn at most); accessible names are
    unique (a repeated one gets the country and id added).
    """
    centre = home_longitude(layers)
    distance = _distances(layers)
    out, seen = [], set()
    for name in PLACE_LAYERS:
        for feature in layers[name]["features"]:
            props = feature["properties"]
            text = place_label(props, lang)
            if text in seen:
                text = f"{text} ({country_name(props.get('country'), lang)}, {feature['id']})"
            seen.add(text)
            position = wrap.place(feature["geometry"]["coordinates"], centre)
            out.append(
                {
                    "id": str(feature["id"]),
                    "layer": name,
                    "mark": symbols.mark_key(props["kind"], props.get("status")),
                    "latlon": _latlon(position),
                    "name": place_name(props, lang),
                    "label": text,
                    "office": props["kind"] == Kind.OFFICE,
                    "near": is_near(feature, distance),
                }
            )
    return out


def line_data(layers: Mapping[str, FeatureCollection]) -> list[dict[str, Any]]:
    """Each connection as one continuous line from the office, (lat, lon) pairs written as an
    encoded polyline (:func:`geo.web.assets.encode_ring`, 4 decimals), with its style; dormant
    lines first, so that active ones are drawn over them."""
    centre = home_longitude(layers)
    ends = {str(f["id"]): f["geometry"]["coordinates"] for f in features(layers)}
    distance = _distances(layers)
    out = []
    for feature in layers[CONNECTIONS]["features"]:
        geometry, props = feature["geometry"], feature["properties"]
        runs = [as_lists(run) for run in parts(geometry)]  # a small table's: a few lists
        to = str(props.get("to_id"))
        joined = wrap.line(runs, centre, ends.get(to, runs[-1][-1]))
        status = props.get("status") or Status.DORMANT
        out.append(
            {
                "to": to,
                "line": encode_ring(joined, LINE_DECIMALS),
                "style": symbols.line_style(props["relation"], status),
                "rank": symbols.line_rank(status),
                "near": distance.get(to, math.inf) <= style.NEAR_KM,
            }
        )
    out.sort(key=lambda line: line["rank"])  # stable: the layer's order within a rank
    return out


def _bounds(points: list[list[float]], centre: float) -> list[list[float]]:
    """The box (south-west, north-east as lat, lon) of ``[lon, lat]`` points, symmetric about
    the home longitude `centre` (so that home is in the middle)."""
    half = max(abs(lon - centre) for lon, _ in points)
    lats = [lat for _, lat in points]
    return [[min(lats), centre - half], [max(lats), centre + half]]


def view_bounds(layers: Mapping[str, FeatureCollection]) -> list[list[float]]:
    """The world view: every place, centred on the home longitude; the world if none."""
    centre = home_longitude(layers)
    points = [wrap.place(f["geometry"]["coordinates"], centre) for f in features(layers)]
    if not points:
        return [[-60.0, centre - 180.0], [75.0, centre + 180.0]]
    return _bounds(points, centre)


def near_bounds(layers: Mapping[str, FeatureCollection]) -> list[list[float]] | None:
    """The near-home view: the office and the places within :data:`geo.style.NEAR_KM` of it,
    when there are places further away too (else one view shows them all: None)."""
    centre = home_longitude(layers)
    distance = _distances(layers)
    near = [
        wrap.place(f["geometry"]["coordinates"], centre)
        for f in features(layers)
        if is_near(f, distance)
    ]
    if len(near) < 2 or len(near) == place_count(layers):
        return None
    lats, lons = [lat for _, lat in near], [lon for lon, _ in near]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
