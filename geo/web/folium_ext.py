"""Stage 4, render maps: every use of Folium's and branca's internals, in this one module.

Folium describes the map (:class:`folium.Map`, a :class:`folium.FeatureGroup` per layer,
:class:`folium.FitBounds`); this module turns that description into the page's script without
branca's page machinery. branca renders a page by calling each element's template macros and
wrapping each output in a new ``Element``, whose constructor compiles the output as a Jinja
template a second time; its ids are random. Here instead:

- :func:`count_ids` gives each element a counted id (``map_001``, ``feature_group_002``), set on
  the instance (no class-wide patch), in tree order, so pages are deterministic;
- :func:`map_script` calls each element's ``script`` macro once, in the order branca would, and
  joins the outputs as text: nothing rendered is ever compiled again.

No data pass through these templates: places, lines and texts reach the page as JSON in a data
block (see :mod:`geo.web.page`). Each use of an internal names the version it was checked
against: folium 0.20.0 and branca 0.8.2 (pinned in constraints.txt; a test checks the pins).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import branca
import folium
import jinja2
from branca.element import Element
from folium.elements import ElementAddToElement
from folium.map import Layer

CHECKED: dict[str, str] = {"folium": "0.20.0", "branca": "0.8.2"}
NAME = re.compile(r"[a-z_]+_[0-9]{3,}")  # what count_ids makes: safe as a JavaScript identifier


def versions() -> dict[str, str]:
    """The installed versions of folium and branca (compared with CHECKED by a test)."""
    return {"folium": folium.__version__, "branca": branca.__version__}


def walk(element: Element) -> Iterator[Element]:
    """`element` and everything below it, parents before children, children in insertion order.

    branca 0.8.2: children live in the ``_children`` OrderedDict of each element, and
    ``MacroElement.render`` renders an element's macros before its children's.
    """
    yield element
    for child in element._children.values():
        yield from walk(child)


def count_ids(root: Element) -> None:
    """Number `root` and its descendants 001, 002, ... in tree order (ids set per instance).

    branca 0.8.2: ``Element.__init__`` sets ``self._id`` from the random ``_generate_id()`` and
    ``get_name()`` is the camel-cased ``_name`` + ``"_"`` + ``_id``; overwriting ``_id`` on each
    instance after the tree is built changes every name the scripts use, and nothing else.
    """
    for number, element in enumerate(walk(root), start=1):
        element._id = f"{number:03d}"


def name_of(element: Element) -> str:
    """The JavaScript variable of an element, checked to be a plain identifier."""
    name = element.get_name()
    if not NAME.fullmatch(name):
        raise ValueError(f"folium element name {name!r} is not a counted identifier")
    return name


def _macro(element: Element, part: str) -> object | None:
    # branca 0.8.2 / folium 0.20.0: an element's template is a jinja2 Template whose module
    # exposes the macros ``header``, ``html`` and ``script`` (each taking this, kwargs).
    try:
        return element._template.module.__dict__.get(part)
    except jinja2.TemplateError as exc:  # a template with more than macros is not supported
        raise ValueError(f"{type(element).__name__}: template is not supported ({exc})") from exc


def map_script(fmap: folium.Map) -> str:
    """The script of `fmap` and its children: every ``script`` macro called once, joined.

    Only the parts this project uses are accepted: an element with an ``html`` or ``header``
    macro (other than the map's own, whose header would block zooming and whose ``div`` the
    page template writes itself) or with Leaflet class includes raises ``ValueError`` rather
    than being dropped silently.
    """
    parts: list[str] = []
    for element in walk(fmap):
        # folium 0.20.0: Class.includes (IncludeStatement) would add script before the element.
        if getattr(element, "includes", None):
            raise ValueError(f"{type(element).__name__}: Leaflet includes are not supported")
        for part in ("header", "html"):
            if element is not fmap and _macro(element, part) is not None:
                raise ValueError(f"{type(element).__name__} has a {part} part the page lacks")
        script = _macro(element, "script")
        if script is not None:
            parts.append(str(script(element, {})).strip())  # type: ignore[operator]
        # folium 0.20.0: Layer.render adds ElementAddToElement (``x.addTo(parent)``) when shown.
        if isinstance(element, Layer) and element.show and element._parent is not None:
            add = ElementAddToElement(name_of(element), name_of(element._parent))
            parts.append(str(_macro(add, "script")(add, {})).strip())  # type: ignore[operator,misc]
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class MapScript:
    """The map described by Folium, as script: the variable names and the code."""

    map: str  # the map's variable (and its div's id)
    groups: dict[str, str]  # layer name -> its FeatureGroup's variable
    code: str


def describe_map(
    layers: Sequence[tuple[str, bool]],
    bounds: list[list[float]],
    max_bounds: list[list[float]],
) -> MapScript:
    """A Leaflet map with a feature group per layer (`layers`: name and shown), fitted to
    `bounds` and kept within `max_bounds`; no tiles and no controls (the page script adds
    its own, and the zoom limits, which depend on the map's size)."""
    (south, west), (north, east) = max_bounds
    fmap = folium.Map(
        location=None,
        tiles=None,
        zoom_control=False,
        attribution_control=False,
        zoom_snap=0.25,
        zoom_delta=1,
        world_copy_jump=False,
        max_bounds=True,
        min_lat=south,
        max_lat=north,
        min_lon=west,
        max_lon=east,
        max_bounds_viscosity=1.0,
        # The wheel and one finger scroll the page until Leaflet.GestureHandling (loaded after the
        # first view) takes over: it lets two fingers, Ctrl and the wheel, and the mouse move it.
        scroll_wheel_zoom=False,
        dragging=False,
        # Labels and leader lines are laid out for each zoom: no animation between zooms.
        zoom_animation=False,
        fade_animation=False,
        marker_zoom_animation=False,
    )
    groups = {}
    for name, shown in layers:
        group = folium.FeatureGroup(name=name, show=shown)
        group.add_to(fmap)
        groups[name] = group
    # A first view only (the page script fits each view with the margins its symbols need); no
    # padding: Leaflet computes no zoom for a map smaller than its padding (a frame laid out at
    # almost nothing first) and the page stopped on "Invalid LatLng object: (NaN, NaN)".
    folium.FitBounds(bounds).add_to(fmap)
    count_ids(fmap)
    return MapScript(
        map=name_of(fmap),
        groups={name: name_of(group) for name, group in groups.items()},
        code=map_script(fmap),
    )
