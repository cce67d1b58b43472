"""The pipeline: read the source, validate, build layers, (render maps,) publish a folder.

``validate`` and ``build`` chain the stages and return reports; the CLI and the Python API both
call them. Nothing here parses or writes on its own: it passes data between the stage modules.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geo.config import Settings
from geo.errors import SettingsError, ValidationError
from geo.model import ALL, LAYERS, Place, Problem
from geo.publish import write_files
from geo.sources import read_basemap, read_table
from geo.stamps import Renderer, render_or_reuse
from geo.validate import Result, validate_table

if TYPE_CHECKING:  # the layers pull in numpy: `geo validate` does not need them
    from geo.changes import Changes, Record
    from geo.layers import FeatureCollection

LAYER_FILES: tuple[str, ...] = (*LAYERS, ALL)

# What each renderer's output depends on besides the data (see geo.stamps).
INTERACTIVE = Renderer(
    "interactive",
    ("render.py", "assets.py", "static/*", "model.py", "geometry.py"),
    ("folium", "branca", "Jinja2", "XStatic-Leaflet", "XStatic-Leaflet-MarkerCluster"),
)
PRINT = Renderer(
    "print",
    ("printmap.py", "labels.py", "model.py", "geometry.py"),
    ("matplotlib", "numpy", "pyproj"),
)


@dataclass(frozen=True)
class BuildReport:
    """What a build made."""

    places: tuple[Place, ...]
    warnings: tuple[Problem, ...]
    layers: dict[str, FeatureCollection]
    files: dict[Path, bytes] = field(repr=False)
    changed: list[Path]
    reused: tuple[str, ...] = ()  # renderers whose unchanged outputs were reused


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
    from geo.layers import dumps_layers

    data = dumps_layers(layers)
    return {settings.layers_dir / f"{name}.geojson": data[name] for name in LAYER_FILES}


def _settings_digest(settings: Settings) -> bytes:
    """The settings that shape the maps, as bytes for the render stamps."""
    home = settings.home
    shaped = {
        "home": [home.name_sv, home.name_en, home.country],
        "source": settings.display(settings.places),  # the print map names it
        "extra": settings.extra,
    }
    return json.dumps(shaped, sort_keys=True, default=str).encode()


def build(
    settings: Settings, source: Path | None = None, write: bool = True, force: bool = False
) -> BuildReport:
    """Validate, build every layer, render the maps and write all; nothing if anything fails.

    Maps whose inputs have not changed since the last build are reused, not rendered again
    (see :mod:`geo.stamps`); `force` renders them all.
    """
    from geo.layers import build_layers

    result = load_places(settings, source)
    layers = build_layers(result.places)
    if source is not None:  # the maps credit the table they were made from
        settings = dataclasses.replace(settings, places=source)
    outlines: list[dict] = []

    def basemap() -> dict:
        if not outlines:
            outlines.append(read_basemap(settings.basemap, settings.display(settings.basemap)))
        return outlines[0]

    from geo.printmap import StaticRender  # matplotlib only when it draws

    # A large table's print map starts drawing now, in a second process, while the layers are
    # encoded and the web maps rendered; it is stopped if the stamps say it can be reused.
    with StaticRender(layers, settings, basemap) as static:
        files = layer_files(settings, layers)
        basemap_bytes = settings.basemap.read_bytes() if settings.basemap.is_file() else b""
        inputs = (files[settings.layers_dir / f"{ALL}.geojson"], basemap_bytes)
        inputs += (_settings_digest(settings),)

        def interactive() -> dict[str, bytes]:
            from geo.render import render_maps  # imports folium (~0.8 s): only when it renders

            return render_maps(layers, settings, basemap())

        reused = []
        for renderer, render in ((INTERACTIVE, interactive), (PRINT, static.result)):
            made, was_reused = render_or_reuse(settings.maps_dir, renderer, inputs, render, force)
            files.update({settings.maps_dir / name: data for name, data in made.items()})
            if was_reused:
                reused.append(renderer.name)
    changed = write_files(files) if write else []
    return BuildReport(result.places, result.warnings, layers, files, changed, tuple(reused))


@dataclass(frozen=True)
class PublishReport:
    """What a publication made."""

    folder: Path
    build: BuildReport
    files: dict[str, bytes] = field(repr=False)
    changes: Changes


def publish(
    settings: Settings,
    base_url: str | None = None,
    out: Path | None = None,
    source: Path | None = None,
) -> PublishReport:
    """Build, then assemble the publication folder and swap it in (all or nothing).

    `base_url` defaults to the settings' ``[publisher] base_url``; `out` to ``public/`` beside the
    settings. The previous publication in `out` is compared with the new data for the change log.
    Only the folder is written: the project's own layers and maps are `geo build`'s to write, so
    a failed publish, or one from another table (`source`), leaves them as they were.
    """
    from geo import folder  # the publication's builders: only `geo publish` needs them
    from geo.changes import diff, records_from_places
    from geo.publish import write_folder

    if settings.publisher is None:
        raise SettingsError(
            "settings: missing section `[publisher]`; expected name, email (and base_url, "
            "phone, homepage). See docs/publishing.md."
        )
    url = base_url or (settings.publisher.base_url if settings.publisher else None)
    if not url:
        raise SettingsError(
            "--base-url: missing; expected the address the folder will be served from, "
            "or `base_url` in the settings' [publisher] section."
        )
    folder.check_base_url(url)
    out = out if out is not None else settings.root / "public"
    if out.is_file() or (out.is_dir() and any(out.iterdir()) and not folder.is_publication(out)):
        raise SettingsError(
            f"--out: {out} is not empty and is not an earlier publication; expected an empty "
            "or new folder, or one made by `geo publish` (it is replaced as a whole)."
        )
    report = build(settings, source, write=False)
    previous = folder.read_published(out) if folder.is_publication(out) else None
    found = diff(previous.records if previous else {}, records_from_places(report.places))

    maps = folder.maps_from_build(report.files, settings.maps_dir)
    made = folder.assemble(settings, report.places, report.layers, url, previous, maps)
    write_folder(out, made, replaceable=folder.is_publication)
    return PublishReport(out, report, made, found)


def read_version(settings: Settings, path: Path) -> dict[str, Record]:
    """The places of a table (validated) or of a published folder, as change-log records."""
    from geo import folder
    from geo.changes import records_from_places

    if path.is_dir():
        return folder.read_published(path).records
    return records_from_places(load_places(settings, path).places)
