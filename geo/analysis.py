"""Stage: analysis. Validated places (or built layers) in, pandas and GeoPandas tables out.

For analysts and notebooks: the places and every layer as GeoDataFrames in EPSG:4326, the
geodesic distance and initial bearing from the office to every place, a summary by kind and
status, and the start years with how sure the table is of them. Every function takes its input
explicitly (``places`` from :func:`geo.read_places`, ``layers`` from :func:`geo.build_layers`)
or, called without it, reads the settings (``geo.toml`` in this folder or one above it) and the
table through :mod:`geo.pipeline`, never through the package facade. No other I/O. pandas and
geopandas are imported inside the functions, so importing :mod:`geo` (and the ``geo validate``
and ``geo build`` commands) does not pay for them.

The examples are doctests, run by the test suite from the project root (where ``geo.toml``
is) after ``import geo`` and ``places = geo.read_places()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from geo.config import Settings, find_settings, read_settings
from geo.errors import GeoError
from geo.frames import geodataframe
from geo.geometry import distances
from geo.layers import FeatureCollection, build_array_layers
from geo.model import ALL, LAYERS
from geo.schema import Kind, Place, Status, filled_languages, schema

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

CRS = "EPSG:4326"
KIND_ORDER: tuple[str, ...] = tuple(k.value for k in Kind)
STATUS_ORDER: tuple[str, ...] = tuple(s.value for s in Status)
# How sure the table is of a start year: a stated year, a year with a note that doubts it
# (disputed, single source, two candidate years), or no year at all.
STATED, UNCERTAIN, UNKNOWN = "stated", "uncertain", "unknown"
CONFIDENCE_ORDER: tuple[str, ...] = (STATED, UNCERTAIN, UNKNOWN)
COMPASS_POINTS: tuple[str, ...] = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip


def _places(places: Iterable[Place] | None) -> list[Place]:
    if places is None:
        from geo.pipeline import load_places  # reads the settings' table and validates it

        return list(load_places(read_settings(find_settings())).places)
    return list(places)


def _layers(layers: Mapping[str, FeatureCollection] | None) -> Mapping[str, FeatureCollection]:
    """`layers`, or the project's as the pipeline holds them (lines as arrays: they become
    frames and maps here, never reach the caller as they are)."""
    if layers is not None:
        return layers
    from geo.pipeline import load_places

    settings = read_settings(find_settings())
    return build_array_layers(load_places(settings).places, settings.languages)


def _office(places: list[Place]) -> Place:
    offices = [p for p in places if p.kind is Kind.OFFICE]
    if len(offices) != 1:
        raise GeoError(
            f"places: cannot measure from the office; expected exactly one place of kind "
            f"`office`, got {len(offices)}. Pass the validated places from geo.read_places()."
        )
    return offices[0]


def _kinds(places: list[Place]) -> pd.Categorical:
    import pandas as pd

    return pd.Categorical([str(p.kind) for p in places], categories=KIND_ORDER, ordered=True)


def _statuses(places: list[Place]) -> pd.Categorical:
    import pandas as pd

    values = [None if p.status is None else str(p.status) for p in places]
    return pd.Categorical(values, categories=STATUS_ORDER, ordered=True)


def compass_point(bearing_deg: float) -> str:
    """The 16-point compass name of a bearing in degrees (clockwise from north).

    >>> from geo.analysis import compass_point
    >>> [compass_point(b) for b in (0, 44, 45, 190, 340, 350, 360)]
    ['N', 'NE', 'NE', 'S', 'NNW', 'N', 'N']
    """
    return COMPASS_POINTS[round((bearing_deg % 360.0) / 22.5) % 16]


def places_frame(places: Iterable[Place] | None = None) -> gpd.GeoDataFrame:
    """The places as a GeoDataFrame (EPSG:4326, Point geometry), one row per place, by id.

    Columns are the table's fields in the table's order (a name and a description for each
    language the places fill); ``kind`` and ``status`` are ordered categoricals, ``since`` a
    nullable integer (``<NA>`` where no year is known). Without `places`, reads and validates
    the table named in ``geo.toml``.

    >>> gdf = geo.places_frame(places)
    >>> gdf.crs.to_epsg(), len(gdf), gdf.geometry.geom_type.unique().tolist()
    (4326, 14, ['Point'])
    >>> print(gdf.loc[["bergen", "kiel"], ["name_en", "kind", "status", "since"]])
           name_en             kind   status  since
    id
    bergen  Bergen  friendship_town   active   1946
    kiel      Kiel     partner_city  dormant   <NA>
    """
    import geopandas as gpd
    import pandas as pd

    places = _places(places)
    of = schema(filled_languages(places))
    rows = [{name: getattr(p, name) for name in of.names} for p in places]
    frame = pd.DataFrame(rows, columns=list(of.names))
    for column in of.columns:  # each column's type from the schema
        values = frame[column.name]
        if column.enum is not None:
            order = [m.value for m in column.enum]
            plain = [None if pd.isna(v) else str(v) for v in values]  # pandas 3: None is NaN
            frame[column.name] = pd.Categorical(plain, categories=order, ordered=True)
        elif column.type == "integer":
            frame[column.name] = values.astype("int64" if values.notna().all() else "Int64")
        elif column.type == "number":
            frame[column.name] = values.astype("float64")
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=CRS)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS).set_index("id")


def layer_frames(
    layers: Mapping[str, FeatureCollection] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Every layer as a GeoDataFrame (EPSG:4326), keyed by layer name, ``all`` included.

    Rows are the layer's features in published order, indexed by feature id; columns are the
    feature properties. Without `layers`, builds them from the table named in ``geo.toml``.

    >>> frames = geo.layer_frames(geo.build_layers(places))
    >>> {name: len(frame) for name, frame in frames.items()}
    {'office': 1, 'partner_cities': 10, 'friendship_towns': 3, 'connections': 13, 'all': 27}
    >>> frames["connections"].loc["stadsledningskontoret--bergen", "relation"]
    'friendship_town'
    """

    layers = _layers(layers)
    frames: dict[str, gpd.GeoDataFrame] = {}
    for name in (*LAYERS, ALL):
        frames[name] = geodataframe(layers[name]).set_index("id")
    return frames


def layer_frame(
    name: str, layers: Mapping[str, FeatureCollection] | None = None
) -> gpd.GeoDataFrame:
    """One layer as a GeoDataFrame; `name` is a layer name such as ``partner_cities``.

    >>> geo.layer_frame("friendship_towns", geo.build_layers(places)).index.tolist()
    ['aarhus', 'bergen', 'turku']
    """
    names = (*LAYERS, ALL)
    if name not in names:
        raise GeoError(f"layer_frame: unknown layer {name!r}; expected one of {', '.join(names)}.")
    layers = _layers(layers)
    return layer_frames({n: layers[n] for n in names})[name]


def office_distances(places: Iterable[Place] | None = None) -> pd.DataFrame:
    """Geodesic distance (km) and initial bearing from the office to every other place.

    Computed on the WGS84 ellipsoid with pyproj's ``Geod`` (the same function that builds the
    connection lines), from the unrounded coordinates of the table. The bearing is the
    direction to set off in at the office, in degrees clockwise from north, with its compass
    point. Sorted by distance, nearest first; indexed by place id.

    >>> d = geo.office_distances(places)
    >>> row = d.loc["bergen"]
    >>> f"{row.distance_km:.1f} km, {row.bearing_deg:.0f}° ({row.compass})"
    '484.2 km, 311° (NW)'
    >>> d.index[[0, -1]].tolist()
    ['aarhus', 'nelson-mandela-bay']
    """
    import pandas as pd

    places = _places(places)
    office = _office(places)
    others = [p for p in places if p is not office]
    km, bearing = distances(
        [office.lon] * len(others),
        [office.lat] * len(others),
        [p.lon for p in others],
        [p.lat for p in others],
    )
    frame = pd.DataFrame(
        {
            "id": [p.id for p in others],
            "name_en": [p.name_en for p in others],
            "kind": _kinds(others),
            "status": _statuses(others),
            "distance_km": km,
            "bearing_deg": bearing,
            "compass": [compass_point(b) for b in bearing],
        }
    )
    return frame.sort_values(["distance_km", "id"], kind="stable").set_index("id")


def start_years(places: Iterable[Place] | None = None) -> pd.DataFrame:
    """Start year of every relation with the table's confidence in it, oldest first.

    ``confidence`` is ``stated`` (a year with no doubts noted), ``uncertain`` (a year with a
    ``since_note``: disputed, a single secondary source, or two candidate years) or
    ``unknown`` (no year); places with no year come last. The office is left out.

    >>> years = geo.start_years(places)
    >>> years["confidence"].value_counts(sort=False).to_dict()
    {'stated': 5, 'uncertain': 7, 'unknown': 1}
    >>> years.loc["kiel", ["since", "confidence"]].tolist()
    [<NA>, 'unknown']
    """
    import pandas as pd

    relations = [p for p in _places(places) if p.kind is not Kind.OFFICE]

    def confidence(p: Place) -> str:
        if p.since is None:
            return UNKNOWN
        return UNCERTAIN if p.since_note else STATED

    frame = pd.DataFrame(
        {
            "id": [p.id for p in relations],
            "name_en": [p.name_en for p in relations],
            "kind": _kinds(relations),
            "status": _statuses(relations),
            "since": pd.array([p.since for p in relations], dtype="Int64"),
            "confidence": pd.Categorical(
                [confidence(p) for p in relations], categories=CONFIDENCE_ORDER, ordered=True
            ),
            "since_note": [p.since_note for p in relations],
        }
    )
    frame = frame.sort_values(["since", "id"], na_position="last", kind="stable")
    return frame.set_index("id")


def summary(places: Iterable[Place] | None = None) -> pd.DataFrame:
    """Counts by kind and status, with the range of start years and how many are in doubt.

    One row per kind and status that occurs (the office has no status: ``<NA>``), in the order
    office, partner cities, friendship towns; active before dormant. ``first_since`` and
    ``last_since`` are the earliest and latest known start years; ``since_uncertain`` counts
    years with a note, ``since_unknown`` relations with no year.

    >>> print(geo.summary(places).to_string(index=False))
               kind  status  places  first_since  last_since  since_uncertain  since_unknown
             office    <NA>       1         <NA>        <NA>                0              0
       partner_city  active       1         1999        1999                0              0
       partner_city dormant       9         1965        2005                7              1
    friendship_town  active       3         1946        1946                0              0
    """
    import pandas as pd

    rows = []
    places = _places(places)
    for kind in KIND_ORDER:
        for status in (None, *STATUS_ORDER):
            group = [
                p
                for p in places
                if str(p.kind) == kind and (None if p.status is None else str(p.status)) == status
            ]
            if not group:
                continue
            years = [p.since for p in group if p.since is not None]
            rows.append(
                {
                    "kind": kind,
                    "status": status,
                    "places": len(group),
                    "first_since": min(years) if years else None,
                    "last_since": max(years) if years else None,
                    "since_uncertain": sum(
                        1 for p in group if p.since is not None and p.since_note
                    ),
                    "since_unknown": 0 if kind == Kind.OFFICE else len(group) - len(years),
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "kind",
            "status",
            "places",
            "first_since",
            "last_since",
            "since_uncertain",
            "since_unknown",
        ],
    )
    frame["status"] = frame["status"].astype("string")
    for column in ("first_since", "last_since"):
        frame[column] = frame[column].astype("Int64")
    return frame


class InlineMap:
    """The interactive map as one self-contained page: shown inline in Jupyter, saved anywhere.

    Jupyter displays it through :meth:`_repr_html_`: an ``<iframe srcdoc>`` holding the embed page
    with Leaflet and the basemap inlined, so it needs no file beside the notebook and makes no
    request to another host (unlike ``GeoDataFrame.explore()``, which loads from CDNs). Outside
    Jupyter, :meth:`save` writes the page to a file to open in a browser.
    """

    def __init__(self, html: str, title: str, height: int = 560) -> None:
        self.html, self.title, self.height = html, title, height

    def _repr_html_(self) -> str:
        from geo.templating import render

        return render("web/inline.html", page=self.html, title=self.title, height=self.height)

    def save(self, path: str | Path) -> Path:
        """Write the page (one self-contained HTML file) to `path`; return the path."""
        from geo.io.write import write_files

        target = Path(path)
        write_files({target: self.html.encode("utf-8")})
        return target

    def __repr__(self) -> str:
        return f"<InlineMap {self.title!r}: {len(self.html):,} characters; .save(path) writes it>"


def interactive_map(
    layers: Mapping[str, FeatureCollection] | None = None,
    settings: Settings | None = None,
    lang: str = "en",
) -> InlineMap:
    """The interactive map (the embed page, in `lang`) with every asset inlined, for notebooks.

    `layers` and `settings` default to those of the project (``geo.toml`` here or above).
    """
    import dataclasses

    from geo.text import texts
    from geo.web import render_maps

    settings = settings or read_settings(find_settings())
    if lang not in settings.languages:
        raise GeoError(
            f"lang: {lang!r} is not a language of the map; expected one of "
            f"{', '.join(settings.languages)} (`languages` in [output] of the settings)."
        )
    # The notebook shows the private default: everything inlined, outlines and no tiles.
    own_map = dataclasses.replace(settings.map, assets="inline", tiles=None, tiles_attribution=None)
    own = dataclasses.replace(settings, map=own_map)
    page = render_maps(_layers(layers), own)[f"{lang}-embed.html"].decode("utf-8")
    home = settings.home.name(lang)
    return InlineMap(page, texts(lang)("map.embed_title", home=home))
