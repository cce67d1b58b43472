"""Stage 4, render: which maps must be drawn, and drawn: the print map in a process of its own.

Takes the validated places (for the keys), then their layers, the settings and the basemap; gives
the files of the maps folder (web maps and print map, each with its render stamp) and the names of
the renderers whose files were reused. Each renderer has a stamp (:mod:`geo.io.stamps`) whose key
covers only what that map shows: the print map's the places' ids, names, kinds, statuses,
coordinates and ``as_of``, the home, the source path and the basemap (:func:`print_inputs`: a
description edit does not redraw it); the web maps' every property of every place, the home, the
source path, the ``[map]`` settings and the basemap (:func:`web_inputs`). A renderer whose key and
files are unchanged is reused.

The others are drawn on both cores: the print map in a process forked once the layers are built
(:func:`geo.processes.forked`: it inherits the layers, nothing is copied), while this process
encodes the layers and then draws the web maps. So each process imports only what its map needs
(matplotlib in the print map's, Folium here; never in ``geo validate``). Where ``fork`` is
missing, the print map is drawn here too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import processes
from geo.config import Settings
from geo.io.stamps import Renderer, fingerprint, reusable, stamp
from geo.schema import Place, schema

if TYPE_CHECKING:
    from geo.layers import FeatureCollection

# What each renderer's output depends on besides its inputs: the modules that make it (the
# layers, the basemap, the map itself), with everything of this package they import and read
# (geo.io.stamps.sources), and the distributions whose versions shape its bytes: those its
# modules import (tests/test_rendering.py derives them and checks this list: finding them here
# would read every installed distribution's record at every build), and those marked below.
INTERACTIVE = Renderer(
    "interactive",
    ("geo.web", "geo.layers", "geo.io.basemap"),
    (
        *("babel", "branca", "folium", "Jinja2", "MarkupSafe", "numpy", "pyproj"),
        *("XStatic-Leaflet", "XStatic-Leaflet-GestureHandling", "XStatic-Leaflet-MarkerCluster"),
        *("rcssmin", "rjsmin", "shapely"),  # shapely: the basemap's land and borders
    ),
)
PRINT = Renderer(
    "print",
    ("geo.printmap", "geo.layers", "geo.io.basemap"),
    ("babel", "matplotlib", "numpy", "pyproj", "pillow"),  # pillow: matplotlib writes SVG images
)


def printed(languages: Sequence[str]) -> tuple[str, ...]:
    """What the print map draws of each place (its lines follow from the coordinates)."""
    names = (f"name_{lang}" for lang in schema(languages).languages)
    return ("id", "kind", "status", *names, "as_of")


def _plain(value: Any) -> Any:
    """What json writes for a value it cannot: an Enum's value, else the text."""
    return value.value if isinstance(value, Enum) else str(value)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain).encode()


ROWS_AT_ONCE = 1_000  # places written to the key's digest at a time


def _rows(places: Sequence[Place], names: Iterable[str]) -> bytes:
    """The digest of each place's `names`, with its coordinates as the layers write them,
    written as JSON a block of places at a time: a key's input is never the whole table's
    text (hundreds of MB at the build's peak of memory for a large table). Enums
    are left to :func:`_dumps` (a StrEnum is written as its value by json itself)."""
    from geo.geometry import round_coord  # numpy: not in `geo validate`

    get = operator.attrgetter(*names, "lon", "lat")
    digest = hashlib.sha256()
    for start in range(0, len(places), ROWS_AT_ONCE):
        block = map(get, places[start : start + ROWS_AT_ONCE])
        digest.update(_dumps([(*r[:-2], round_coord(r[-2]), round_coord(r[-1])) for r in block]))
    return digest.hexdigest().encode()


def print_inputs(
    places: Sequence[Place], settings: Settings, source: Path, basemap: bytes
) -> tuple[bytes, ...]:
    """What the print map is drawn from: each place's :func:`printed` properties and its
    coordinates, the home, the languages, the source path (the footer names it) and the
    basemap."""
    shaped = {
        "home": dataclasses.asdict(settings.home),
        "languages": settings.languages,
        "source": settings.display(source),
    }
    return _rows(places, printed(settings.languages)), _dumps(shaped), basemap


def web_inputs(
    places: Sequence[Place], settings: Settings, source: Path, basemap: bytes
) -> tuple[bytes, ...]:
    """What the web maps show: every place with all its properties, the home, the languages,
    the source path, the ``[map]`` settings and the basemap (the connections follow from the
    places)."""
    shaped = {
        "home": dataclasses.asdict(settings.home),
        "languages": settings.languages,
        "source": settings.display(source),
        "map": dataclasses.asdict(settings.map),
    }
    return _rows(places, settings.schema.place_properties), _dumps(shaped), basemap


def draw_web(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    basemap: Callable[[], Mapping[str, Any]],
) -> dict[str, bytes]:
    """The web maps' files."""
    from geo.web import render_maps  # Folium: only in a build that draws them

    return render_maps(layers, settings, basemap())


def draw_print(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    basemap: Callable[[], Mapping[str, Any]],
    source: Path,
) -> dict[str, bytes]:
    """The print map's files in the settings' languages, crediting the table `source`."""
    from geo.printmap import render_static  # matplotlib: only in the process that draws

    return render_static(layers, settings, basemap(), source=settings.display(source))


INPUTS = {INTERACTIVE.name: web_inputs, PRINT.name: print_inputs}


class Renders:
    """Every renderer's files: reused, or drawn (:meth:`start`, :meth:`files`).

    Made from the validated places, before the layers: the print map's key says at once
    whether it must be drawn; the web maps' key is made once the print map's process has
    started. `basemap` gives the parsed outlines when called (by whichever process draws) and
    their bytes as ``.data`` (the keys). Use as a context manager: leaving it waits for the
    print map's process.
    """

    def __init__(
        self,
        places: Sequence[Place],
        settings: Settings,
        source: Path,
        basemap: Any,
        force: bool = False,
    ) -> None:
        self.settings, self.basemap, self.force = settings, basemap, force
        self.source = source  # the table the maps were made from (the print map credits it)
        self.places = places
        self.folder = settings.maps_dir
        self.keys: dict[str, str] = {}
        self.reused: dict[str, dict[str, bytes]] = {}
        self.layers: Mapping[str, FeatureCollection] = {}
        self.printing: Future[dict[str, bytes]] | None = None
        self._processes = contextlib.ExitStack()
        self._decide(PRINT)

    def _decide(self, renderer: Renderer) -> None:
        """The renderer's key and its reusable files, once."""
        if renderer.name in self.keys:
            return
        inputs = INPUTS[renderer.name](self.places, self.settings, self.source, self.basemap.data)
        key = self.keys[renderer.name] = fingerprint(renderer, inputs)
        files = None if self.force else reusable(self.folder, renderer, key)
        if files is not None:
            self.reused[renderer.name] = files

    def start(self, layers: Mapping[str, FeatureCollection]) -> None:
        """Start drawing the print map, unless it is reused, in a process forked now (which
        inherits the layers); the web maps wait for :meth:`files`."""
        self.layers = layers
        if PRINT.name not in self.reused and self.printing is None:
            draw = partial(draw_print, layers, self.settings, self.basemap, self.source)
            self.printing = self._processes.enter_context(
                processes.forked("drawing the print map", draw)
            )

    def files(
        self, ready: Callable[[dict[Path, bytes]], None] | None = None
    ) -> tuple[dict[Path, bytes], tuple[str, ...]]:
        """The files of every renderer with its stamp, by path; the names of those reused.

        The web maps are drawn here (unless reused) while the print map is drawn in its
        process. `ready`, if given, is handed each renderer's files as soon as they are there
        (the web maps' first) and may take them out: those it leaves are returned."""
        out: dict[Path, bytes] = {}
        for renderer in (INTERACTIVE, PRINT):
            self._decide(renderer)
            made = self.reused.get(renderer.name)
            if made is None and renderer is INTERACTIVE:
                made = draw_web(self.layers, self.settings, self.basemap)
            elif made is None:
                assert self.printing is not None
                made = self.printing.result()
            made = {**made, **stamp(renderer, self.keys[renderer.name], made)}
            done = {self.folder / name: data for name, data in made.items()}
            del made
            if ready is not None:
                ready(done)
            out.update(done)
        return out, tuple(r.name for r in (INTERACTIVE, PRINT) if r.name in self.reused)

    def close(self) -> None:
        """Wait for the print map's process, if it was started."""
        self._processes.close()

    def __enter__(self) -> Renders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
