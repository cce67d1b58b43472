"""Stage 4, render: which maps must be drawn, drawn at the same time in their own processes.

Takes the validated places (for the keys), then their layers, the settings and the basemap; gives
the files of the maps folder (web maps and print map, each with its render stamp) and the names of
the renderers whose files were reused. Each renderer has a stamp (:mod:`geo.io.stamps`) whose key
covers only what that map shows: the print map's the places' ids, names, kinds, statuses,
coordinates and ``as_of``, the home, the source path and the basemap (:func:`print_inputs`: a
description edit does not redraw it); the web maps' every property of every place, the home, the
source path, the ``[map]`` settings and the basemap (:func:`web_inputs`). A renderer whose key and
files are unchanged is reused; the others are drawn each in a forked process (:mod:`geo.forking`)
while this process encodes the layers, so the web maps and the print map are drawn concurrently and
each process imports only what its map needs (Folium in one, matplotlib in the other; never both,
and never in ``geo validate``). The print map's process does the work its languages share once,
then draws the second language in a process forked from it, at the same time; a large table's
web maps are drawn in this process once the layers are encoded (a third process would copy every
page of the layers it reads). A small table's print map goes to a process started
(:class:`~geo.forking.Warm`) as soon as the keys say it must be drawn, so that it imports
matplotlib while the layers are built; the command starts it earlier still, before it imports
the pipeline (:func:`warm_early`), when the map will likely be drawn. Where ``fork`` is missing,
the maps are drawn here, one after the other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import operator
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.config import Settings
from geo.forking import Forked, Warm, in_child
from geo.gc_pause import without_gc_pauses
from geo.io.stamps import Renderer, fingerprint, reusable, stamp
from geo.schema import Place, schema

if TYPE_CHECKING:
    from geo.layers import FeatureCollection

# What each renderer's output depends on besides its inputs: its sources and libraries.
WEB_SOURCES = ("web/*.py", "web/static/*", "web/templates/*", "text/*", "schema.py", "model.py")
WEB_LIBRARIES = ("folium", "branca", "Jinja2", "XStatic-Leaflet", "XStatic-Leaflet-MarkerCluster")
INTERACTIVE = Renderer(
    "interactive",
    (*WEB_SOURCES, "style.py", "basemap/*-cells.json"),
    (*WEB_LIBRARIES, "XStatic-Leaflet-GestureHandling", "rjsmin", "rcssmin"),
)
PRINT = Renderer(
    "print",
    ("printmap/*.py", "text/*", "schema.py", "model.py", "geometry.py", "layers.py", "style.py"),
    ("matplotlib", "numpy", "pyproj"),
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
    text (at 100,000 places the web key's was 250 MB at the build's peak of memory). Enums
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


WARM_PLACES = 500  # at most this many places are sent to a warm process (pickled)
PRINT_MODULES = ("geo.printmap", "matplotlib.figure", "matplotlib.backends.backend_agg")
PRINT_MODULES += ("matplotlib.backends.backend_svg", "PIL.PngImagePlugin")


def without_3d_axes() -> None:
    """In a process that only draws the print map (and ends): matplotlib imported without its
    3D axes (``mpl_toolkits.mplot3d``: 0.03 of the 0.35 CPU seconds of its import), which the
    print map never uses. matplotlib registers them if it can and warns if not; the warning
    is silenced here. Nothing once matplotlib is imported."""
    if "matplotlib.projections" in sys.modules or not in_child():
        return
    sys.modules.setdefault("mpl_toolkits.mplot3d", None)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unable to import Axes3D")
        import matplotlib.projections  # noqa: F401


EARLY_BYTES = WARM_PLACES * 256  # a table this size may hold few enough places (WARM_PLACES)


def warm_early(settings: Settings, table: Path, force: bool, fork: bool = True) -> Warm:
    """A warm process for the print map, started before the table is read (by the command,
    before it imports the pipeline) when the map will likely be drawn: `force`, no print stamp
    yet, or the table or the settings file written since the stamp (an edit, a checkout). It
    imports matplotlib on the other core while this process imports the pipeline and validates
    the table. A guess only: :class:`Renders` decides from the keys, and closes it if unneeded.
    Only for a table small enough to send it (:data:`WARM_PLACES`)."""
    likely = False
    try:
        if table.stat().st_size <= EARLY_BYTES:
            stamp_time = PRINT.stamp_path(settings.maps_dir).stat().st_mtime_ns
            inputs = (table, settings.root / Path(settings.file).name)
            likely = force or any(p.stat().st_mtime_ns > stamp_time for p in inputs)
    except OSError:  # no stamp (or no table: the read reports that)
        likely = table.is_file() and table.stat().st_size <= EARLY_BYTES
    return Warm(PRINT_MODULES, 1 if likely else 0, fork, without_3d_axes)


def draw_web(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    basemap: Callable[[], Mapping[str, Any]],
) -> dict[str, bytes]:
    """The web maps' files. In a forked process (which ends after it), Folium is imported
    without pandas (0.4 s): folium only tries it, for DataFrames, which never reach it here."""
    if in_child() and "pandas" not in sys.modules:
        sys.modules["pandas"] = None  # type: ignore[assignment]
    from geo.web import render_maps  # Folium: only in the process that renders

    return render_maps(layers, settings, basemap())


@without_gc_pauses
def draw_print(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    basemap: Callable[[], Mapping[str, Any]],
    source: Path,
) -> dict[str, bytes]:
    """The print map's files in the settings' languages, crediting the table `source`
    (matplotlib: only in the process that draws). In a
    forked process, the work the languages share is done once (the scene, the layout, and the
    panels drawn by Agg: each language then draws only its words over them), then each language
    after the first is drawn in a process forked from this one (it needs no imports of its own),
    at the same time. The fork shares this process's pages and writes few of them: at 100,000 places
    the peak of all processes' PSS was 1,595 MB with it and 1,571 MB without (one run each),
    for 0.6 s less on the longest path of a large build.
    """
    without_3d_axes()
    from geo.printmap.figure import draw_base, prepare_static, render_language

    prepared = prepare_static(layers, settings, basemap(), settings.display(source))
    langs = settings.languages
    fork = in_child()  # (and each process ends after its language: its page need not be freed)
    base = None
    if fork:  # the panels, and their pixels, drawn once for every language's process
        base = draw_base(prepared, pixels=True)
    others = [
        Forked(render_language, prepared, settings, lang, not fork, base, fork=fork)
        for lang in langs[1:]
    ]
    with contextlib.ExitStack() as stack:
        for job in others:
            stack.enter_context(job)
        files = render_language(prepared, settings, langs[0], not fork, base)
        for job in others:
            files |= job.result()
    return files


DRAW = {INTERACTIVE.name: draw_web, PRINT.name: draw_print}
INPUTS = {INTERACTIVE.name: web_inputs, PRINT.name: print_inputs}


class Renders:
    """Every renderer's files: reused, or drawn in forked processes (:meth:`start`).

    Made from the validated places, before the layers: the keys say which maps must be drawn,
    and a small table's print map gets its warm process (:class:`Warm`) at once, so that it
    imports matplotlib while the layers are built; or takes `early`, one started by
    :func:`warm_early` before the table was read (closed if the print map is reused).
    `basemap` gives the parsed outlines when called (by whichever process draws) and their
    bytes as ``.data`` (the keys). Use as a context manager; :meth:`files` waits for them.
    """

    def __init__(
        self,
        places: Sequence[Place],
        settings: Settings,
        source: Path,
        basemap: Any,
        force: bool = False,
        fork: bool = True,
        early: Warm | None = None,
    ) -> None:
        self.settings, self.basemap, self.fork, self.force = settings, basemap, fork, force
        self.source = source  # the table the maps were made from (the print map credits it)
        self.places = places
        self.folder = settings.maps_dir
        self.keys: dict[str, str] = {}
        self.reused: dict[str, dict[str, bytes]] = {}
        self.drawing: dict[str, list[Forked]] = {}  # (one process each)
        self._decide(PRINT)  # the web maps' key waits for start(): see there
        self.small = len(places) <= WARM_PLACES
        self.layers: Mapping[str, FeatureCollection] = {}
        wanted = PRINT.name not in self.reused and self.small
        if early is not None and early.ready:
            if wanted:
                self.warm = early
                return
            early.close()  # started for a print map that is reused (or large) after all
        self.warm = Warm(PRINT_MODULES, 1 if wanted else 0, fork, without_3d_axes)

    def _decide(self, renderer: Renderer) -> None:
        """The renderer's key and its reusable files, once. The web maps' key is made after the
        print map's process has started (a large table's: while this one waits for it)."""
        if renderer.name in self.keys:
            return
        inputs = INPUTS[renderer.name](self.places, self.settings, self.source, self.basemap.data)
        key = self.keys[renderer.name] = fingerprint(renderer, inputs)
        files = None if self.force else reusable(self.folder, renderer, key)
        if files is not None:
            self.reused[renderer.name] = files

    def start(self, layers: Mapping[str, FeatureCollection], fork: bool = True) -> None:
        """Start drawing the maps that are not reused, each in its own process (`fork`: the
        web maps; False draws them here, when their result is asked for).

        A large table's web maps wait for :meth:`files`, which this process calls once it has
        encoded the layers, and are drawn there in this process: on two cores, three busy
        processes are slower than two, and every process that reads the layers after the fork
        makes its own copy of the pages it reads (0.9 GB at 100,000 places).
        """
        self.layers = layers
        for renderer in (PRINT, INTERACTIVE):
            if renderer is INTERACTIVE and not self.small and PRINT.name in self.drawing:
                continue
            self._decide(renderer)
            if renderer.name in self.reused or renderer.name in self.drawing:
                continue
            draw, args = DRAW[renderer.name], (layers, self.settings, self.basemap)
            args += (self.source,) if renderer is PRINT else ()
            # A small table's print map is sent to the warm process; a large one's is drawn in
            # a process forked now, which inherits its layers.
            warm = self.warm if renderer is PRINT else None
            forked = self.fork and (fork or renderer is PRINT)
            jobs = [Forked(draw, *args, fork=forked, warm=warm)]
            self.drawing[renderer.name] = jobs
        self.warm.close()

    def files(
        self, ready: Callable[[dict[Path, bytes]], None] | None = None
    ) -> tuple[dict[Path, bytes], tuple[str, ...]]:
        """The files of every renderer with its stamp, by path; the names of those reused.

        `ready`, if given, is handed each renderer's files as soon as they are there (the web
        maps', drawn first, while the print map is still drawn) and may take them out: those
        it leaves are returned."""
        out: dict[Path, bytes] = {}
        waited, self.small = not self.small, True
        self.start(self.layers, fork=not waited)  # what waited for this process: drawn here
        for renderer in (INTERACTIVE, PRINT):
            made = self.reused.get(renderer.name)
            if made is None:
                made = {}
                for job in self.drawing[renderer.name]:
                    made.update(job.result())
            made = {**made, **stamp(renderer, self.keys[renderer.name], made)}
            done = {self.folder / name: data for name, data in made.items()}
            del made
            if ready is not None:
                ready(done)
            out.update(done)
        return out, tuple(r.name for r in (INTERACTIVE, PRINT) if r.name in self.reused)

    def close(self) -> None:
        self.warm.close()
        for jobs in self.drawing.values():
            for job in jobs:
                job.close()

    def __enter__(self) -> Renders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
