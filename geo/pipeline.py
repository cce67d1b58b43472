"""The pipeline: read the table, validate, build layers, render the maps, publish a folder.

``validate``, ``build`` and ``publish`` chain the stages, each once, and return reports; the CLI
and the Python API both call them. Nothing here parses or draws on its own: it passes data
between the stages, reads each input once (the table, the basemap) and hands every output to the
one writer, :mod:`geo.io.write`: a build writes under the lock of its output folders, a publish
under the lock of its folder, each taken before anything is read that the write depends on
(the render stamps, the earlier publication), so that two runs cannot lose each other's work.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geo.codes import Problem
from geo.config import Settings
from geo.errors import SettingsError, ValidationError
from geo.forking import Warm
from geo.io import Data
from geo.io.lock import DEFAULT_WAIT
from geo.io.table import read_table
from geo.model import LAYER_FILES
from geo.rendering import Renders
from geo.schema import Place
from geo.urls import check_base_url
from geo.validate import Result, validate_table

if TYPE_CHECKING:  # the layers pull in numpy: `geo validate` does not need them
    from geo.io.write import BuildOutputs
    from geo.layers import FeatureCollection
    from geo.publication.changes import Changes, Record


@dataclass(frozen=True)
class BuildReport:
    """What a build made."""

    places: tuple[Place, ...]
    warnings: tuple[Problem, ...]
    layers: dict[str, FeatureCollection]  # lines' coordinates as arrays (geo.layers.as_plain)
    # Every file, by path; a written build's are read back from the disk when asked for (their
    # bytes are not kept: hundreds of MB for a large table).
    files: Mapping[Path, bytes] = field(repr=False)
    changed: list[Path]
    reused: tuple[str, ...] = ()  # renderers whose unchanged outputs were reused

    def layer_bytes(self, settings: Settings) -> dict[str, bytes]:
        """The encoded layers, by name (as written to the layers folder)."""
        return {n: self.files[settings.layers_dir / f"{n}.geojson"] for n in LAYER_FILES}


def validate(settings: Settings, source: Path | None = None) -> Result:
    """Read and validate the table (the settings' one unless `source` is given)."""
    path = source if source is not None else settings.places
    table = read_table(path, settings.display(path), settings.encoding, settings.schema)
    return validate_table(table, settings)


def load_places(settings: Settings, source: Path | None = None) -> Result:
    """Validated places; raises :class:`ValidationError` with every problem if any is an error."""
    result = validate(settings, source)
    if not result.ok:
        where = settings.display(source if source is not None else settings.places)
        raise ValidationError(result.problems, where)
    return result


def layer_files(
    settings: Settings, layers: dict[str, FeatureCollection], joined: bool = False
) -> dict[Path, Data]:
    """The layer files to write, by path (`joined`: ``all`` as views of the others' bytes, for
    the writer; see :func:`geo.encoding.dumps_layers`)."""
    from geo.encoding import dumps_layers

    data = dumps_layers(layers, joined)
    return {settings.layers_dir / f"{name}.geojson": data[name] for name in LAYER_FILES}


def settings_path(settings: Settings) -> Path:
    """The settings file itself (its outputs' manifests name it)."""
    return settings.root / Path(settings.file).name


def _quiet(_: str) -> None:
    pass


def build(
    settings: Settings,
    source: Path | None = None,
    write: bool = True,
    force: bool = False,
    wait: float = DEFAULT_WAIT,
    notify: Callable[[str], None] = _quiet,
    early: Warm | None = None,
) -> BuildReport:
    """Validate, build every layer, render the maps and write all; nothing if anything fails.

    Maps whose inputs have not changed since the last build are reused, not rendered again
    (see :mod:`geo.io.stamps`); `force` renders them all. The output folders are locked from
    before the stamps are read until the files are written; a second run waits up to `wait`
    seconds (saying so through `notify`), then stops with :class:`~geo.errors.BusyError`.
    `early` is a print map's process the command started before it imported this module
    (:func:`geo.rendering.warm_early`).
    """
    from geo.io.write import build_outputs

    result = load_places(settings, source)
    if not write:
        return _make(settings, result, source, force, early=early)
    folders = (settings.layers_dir, settings.maps_dir)
    where = settings_path(settings)
    with build_outputs(folders, where, settings.file, wait, notify) as outputs:
        return _make(settings, result, source, force, outputs, early)


def _make(
    settings: Settings,
    result: Result,
    source: Path | None,
    force: bool,
    outputs: BuildOutputs | None = None,
    early: Warm | None = None,
) -> BuildReport:
    """The layers and maps of validated places, as files (path -> bytes), written through
    `outputs` if given: each written aside as soon as it is made (the layers while the maps
    are drawn, the web maps while the print map is), then all switched in as one."""
    from geo.io.basemap import Basemap
    from geo.io.write import OnDisk
    from geo.layers import build_array_layers

    basemap = Basemap(settings)
    # The keys say which maps must be drawn; a small table's print map starts importing
    # matplotlib now. They are drawn each in its own process while this one encodes the
    # layers (geo.rendering); the others are reused. The maps credit the table they were made
    # from: `source`, or the settings' own.
    table = source if source is not None else settings.places
    with Renders(result.places, settings, table, basemap, force, early=early) as renders:
        layers = build_array_layers(result.places, settings.languages)
        renders.start(layers)
        files = layer_files(settings, layers, joined=outputs is not None)
        if outputs is not None:
            outputs.stage(files)  # (their bytes are let go once written aside)
        maps, reused = renders.files(outputs.stage if outputs is not None else None)
    if outputs is None:
        return BuildReport(result.places, result.warnings, layers, {**files, **maps}, [], reused)
    changed = outputs.write(maps)
    written = OnDisk(outputs.paths)
    return BuildReport(result.places, result.warnings, layers, written, changed, reused)


@dataclass(frozen=True)
class PublishReport:
    """What a publication made."""

    folder: Path
    build: BuildReport
    files: dict[str, bytes] = field(repr=False)  # every file written, the marker included
    changes: Changes
    identifier: str  # the dataset's dcterms:identifier, the same in every publication
    kept: tuple[str, ...] = ()  # files geo did not write, carried over (a CNAME, say)


def publish(
    settings: Settings,
    base_url: str | None = None,
    out: Path | None = None,
    source: Path | None = None,
    wait: float = DEFAULT_WAIT,
    notify: Callable[[str], None] = _quiet,
) -> PublishReport:
    """Build, then assemble the publication folder and switch it in (all or nothing).

    `base_url` defaults to the settings' ``[publisher] base_url``; `out` to ``public/`` beside the
    settings. The previous publication in `out` is compared with the new data for the change log.
    Only the folder is written: the project's own layers and maps are `geo build`'s to write, so
    a failed publish, or one from another table (`source`), leaves them as they were. The folder
    is locked from before the earlier publication is read until the new one is in place (the
    build before it writes nothing, so two publishes may build at the same time).
    """
    from geo.io.write import check_publication, publication
    from geo.publication import assemble as folder
    from geo.publication.changes import diff, records_from_places
    from geo.publication.dataset import dataset_identifier, dataset_name

    publisher = settings.checked_publisher()
    url = base_url or publisher.base_url
    if not url:
        raise SettingsError(
            "--base-url: missing; expected the address the folder will be served from, "
            f"or `base_url` in the [publisher] section of {settings.file}."
        )
    url = check_base_url(url)
    out = out if out is not None else settings.root / "public"
    check_publication(out)  # refuse a folder that is not ours before the work
    report = build(settings, source, write=False)
    with publication(out, wait, notify) as target:
        previous = folder.read_published(target.current) if target.current else None
        records = records_from_places(report.places, settings.schema)
        found = diff(previous.records if previous else {}, records)
        made = folder.assemble(
            settings,
            folder.Build(
                report.places,
                report.layers,
                report.layer_bytes(settings),
                folder.maps_from_build(report.files, settings.maps_dir),
            ),
            url,
            previous,
            found,
            publisher,
        )
        written = target.write(made, *_identity(made))
    if written.kept:
        notify(
            f"{out}: kept {len(written.kept)} file(s) that geo publish did not write: "
            + ", ".join(written.kept[:8])
            + (" ..." if len(written.kept) > 8 else "")
        )
    identifier = dataset_identifier(url, dataset_name(settings))
    return PublishReport(out, report, written.files, found, identifier, tuple(written.kept))


def _identity(made: dict[str, bytes]) -> tuple[str, str]:
    """The dataset id and version the publication's marker names (from what was assembled)."""
    from geo.publication.assemble import DATAPACKAGE
    from geo.publication.published import CHANGES

    name = json.loads(made[DATAPACKAGE])["name"]
    return str(name), str(json.loads(made[CHANGES])["modified"])


def read_version(settings: Settings, path: Path) -> dict[str, Record]:
    """The places of a table (validated) or of a published folder, as change-log records."""
    from geo.publication import assemble as folder
    from geo.publication.changes import records_from_places

    if path.is_dir():
        return folder.read_published(path).records
    return records_from_places(load_places(settings, path).places, settings.schema)
