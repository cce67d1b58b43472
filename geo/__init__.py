"""geo: publish a city's international relations as strict open data and an accessible map.

The Python API, for the CLI, the notebook and analysts::

    import geo
    settings = geo.read_settings()           # geo.toml
    places = geo.read_places(settings)       # validated, or ValidationError with every problem
    layers = geo.build_layers(places)        # RFC 7946 FeatureCollections by layer name
    geo.office_distances(places)             # analysis: pandas/GeoPandas tables (geo.analysis)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo import config
from geo.codes import Problem
from geo.config import Settings
from geo.errors import GeoError, PublishError, SettingsError, SourceError, ValidationError
from geo.model import ALL, CONNECTIONS, LAYERS
from geo.schema import Kind, Place, Status

__version__ = "0.1.0"

__all__ = [
    "ALL",
    "CONNECTIONS",
    "LAYERS",
    "GeoError",
    "Kind",
    "Place",
    "Problem",
    "PublishError",
    "Settings",
    "SettingsError",
    "SourceError",
    "Status",
    "ValidationError",
    "__version__",
    "build_layers",
    "compass_point",
    "interactive_map",
    "layer_frame",
    "layer_frames",
    "office_distances",
    "places_frame",
    "read_places",
    "read_settings",
    "start_years",
    "summary",
]


# The analysis functions pull in numpy and, when called, pandas and GeoPandas: they are loaded on
# first use, so `geo validate` does not pay for them.
_ANALYSIS = (
    "compass_point",
    "interactive_map",
    "layer_frame",
    "layer_frames",
    "office_distances",
    "places_frame",
    "start_years",
    "summary",
)


def __getattr__(name: str) -> Any:
    if name == "build_layers":
        from geo.layers import build_layers

        return build_layers
    if name in _ANALYSIS:
        from geo import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")


def read_settings(path: Path | str | None = None) -> Settings:
    """Read the project's settings: `path`, or ``$GEO_CONFIG``, or ``geo.toml`` in the current
    folder or the nearest folder above it (so a notebook in ``notebooks/`` finds them)."""
    return config.read_settings(path if path is not None else config.find_settings())


def read_places(settings: Settings | None = None, source: Path | str | None = None) -> list[Place]:
    """Read and validate the places; raise :class:`ValidationError` listing every problem.

    `settings` default to the project's (``geo.toml`` in the current folder or the nearest one
    above, or ``$GEO_CONFIG``); `source` to the table they name.
    """
    from geo import pipeline

    settings = settings or read_settings()
    result = pipeline.load_places(settings, Path(source) if source is not None else None)
    return list(result.places)
