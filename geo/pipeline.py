"""The pipeline: read the source, validate, build layers, (render maps,) publish.

``validate`` and ``build`` chain the stages and return reports; the CLI and the Python API both
call them. Nothing here parses or writes on its own: it passes data between the stage modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from geo.config import Settings
from geo.errors import ValidationError
from geo.layers import FeatureCollection, build_layers, dumps
from geo.model import ALL, LAYERS, Place, Problem
from geo.printmap import render_static
from geo.publish import write_files
from geo.sources import read_table
from geo.validate import Result, validate_table

LAYER_FILES: tuple[str, ...] = (*LAYERS, ALL)


@dataclass(frozen=True)
class BuildReport:
    """What a build made."""

    places: tuple[Place, ...]
    warnings: tuple[Problem, ...]
    layers: dict[str, FeatureCollection]
    files: dict[Path, bytes] = field(repr=False)
    changed: list[Path]


def validate(settings: Settings, source: Path | None = None) -> Result:
    """Read and validate the table (the settings' one unless `source` is given)."""
    path = source if source is not None else settings.places
    table = read_table(path, settings.display(path))
    return validate_table(table, settings)


def load_places(settings: Settings, source: Path | None = None) -> Result:
    """Validated places; raises :class:`ValidationError` with every problem if any is an error."""
    result = validate(settings, source)
    if not result.ok:
        raise ValidationError(result.problems)
    return result


def layer_files(settings: Settings, layers: dict[str, FeatureCollection]) -> dict[Path, bytes]:
    """The layer files to write, by path."""
    return {settings.layers_dir / f"{name}.geojson": dumps(layers[name]) for name in LAYER_FILES}


def build(settings: Settings, source: Path | None = None, write: bool = True) -> BuildReport:
    """Validate, build every layer and write it; nothing is written if anything fails."""
    result = load_places(settings, source)
    layers = build_layers(result.places)
    files = layer_files(settings, layers)
    files |= {
        settings.maps_dir / name: data for name, data in render_static(layers, settings).items()
    }
    changed = write_files(files) if write else []
    return BuildReport(result.places, result.warnings, layers, files, changed)
