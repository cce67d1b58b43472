"""Stage 4, render maps: one page of the interactive map, from the template ``web/page.html``.

Takes the layers, the settings, a language, full or embed, and the assets
(:class:`Bundle`); gives the page as text. The page is the template filled with plain values:
the key, the office panel, the places table and each place's popup are written by the templates
(autoescaped), and what the page script draws (places, lines, texts, the view, the tile server)
goes in one JSON data block. The map itself is described with Folium
(:func:`geo.web.folium_ext.describe_map`). The page's own script and style are inline and
allowed by their hashes in the page's Content-Security-Policy (:mod:`geo.web.csp`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from geo.config import MapSettings, Settings
from geo.layers import FeatureCollection
from geo.model import CONNECTIONS, PLACE_LAYERS, landing_page
from geo.templating import render
from geo.text import texts
from geo.web import entries, key, large, symbols, wrap
from geo.web.assets import BASEMAP_ATTRIBUTION, Asset
from geo.web.csp import Policy, origin_of
from geo.web.folium_ext import describe_map

STATIC = Path(__file__).parent / "static"
MAX_ZOOM = 6  # the outlines look jagged beyond this
SCALE_FROM = 5  # the scale bar shows from this zoom: at world zooms Mercator distances mislead
FINE_FROM = 4  # the 1:50m outlines near home replace the 1:110m ones from this zoom
MAX_ZOOM_TILES = 18
SPAN = 270.0  # degrees of longitude either side of home that the map may show
LEAFLET_PREFIX = "Leaflet"


@dataclass(frozen=True)
class Bundle:
    """The third-party files a page loads (all from installed packages, never committed)."""

    leaflet: tuple[Asset, Asset]  # script, style sheet
    gesture: Asset  # Leaflet.GestureHandling's script
    basemap: Asset | None  # the country outlines (None when tiles are used)
    cluster: tuple[Asset, Asset] | None = None  # Leaflet.markercluster, for large tables
    fine: Asset | None = None  # the finer outlines near home, loaded from zoom FINE_FROM
    fine_box: list[list[float]] | None = None  # the box they cover (south-west, north-east)


@dataclass(frozen=True)
class Tag:
    """A script or style sheet of the page: a file (`url`) or inline `text`."""

    url: str | None = None
    text: Markup | None = None
    integrity: str | None = None
    defer: bool = False


def inline_text(text: str, element: str) -> Markup:
    """Text to stand inside ``<script>`` or ``<style>`` as is (never HTML-escaped).

    ``</script`` inside a script is written ``<\\/script`` (the same to JavaScript); anything
    else that could end the element raises ``ValueError``. Line ends become ``\\n``, as an HTML
    parser makes them, so that the CSP hash of the text is the hash of what the browser sees.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if element == "script":
        text = text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    if f"</{element}" in text.lower() or "<!--" in text:
        raise ValueError(f"inline {element} holds text that would end it early")
    return Markup(text)


def static_text(*names: str) -> str:
    """The page's own script or style sheets, joined and minified (rjsmin, rcssmin)."""
    import rcssmin
    import rjsmin

    text = "".join((STATIC / name).read_text(encoding="utf-8") for name in names)
    return rcssmin.cssmin(text) if names[0].endswith(".css") else rjsmin.jsmin(text)


def asset_tags(options: MapSettings, bundle: Bundle, policy: Policy) -> tuple[list[Tag], list[Tag]]:
    """The style sheets and head scripts of a page in the asset mode of `options`.

    ``local``: files in ``assets/``; ``inline``: their text in the page; ``cdn``: Leaflet from
    the pinned CDN URL with its integrity hash, the plugins from ``assets/``. Adds what each
    needs to `policy` (hashes of inline text, the CDN's folder).
    """
    js, css = bundle.leaflet
    # Leaflet.GestureHandling is loaded by the page script after the first view (map.js
    # gestures()), except in one self-contained page
    gesture = [bundle.gesture] if options.assets == "inline" else []
    plugins = gesture + ([bundle.cluster[0]] if bundle.cluster else [])
    plugin_css = [bundle.cluster[1]] if bundle.cluster else []
    styles: list[Tag] = []
    scripts: list[Tag] = []
    if options.assets == "inline":
        for asset in (css, *plugin_css):
            styles.append(Tag(text=inline_text(asset.data.decode("utf-8"), "style")))
        for asset in (js, *plugins) + ((bundle.basemap,) if bundle.basemap else ()):
            scripts.append(Tag(text=inline_text(asset.data.decode("utf-8"), "script")))
        policy.styles += [str(tag.text) for tag in styles]
        policy.scripts += [str(tag.text) for tag in scripts]
        return styles, scripts
    if options.assets == "cdn":
        assert js.cdn_url and css.cdn_url
        styles.append(Tag(url=css.cdn_url, integrity=css.integrity))
        scripts.append(Tag(url=js.cdn_url, integrity=js.integrity))
        policy.script_hosts.append(js.cdn_url.rsplit("/", 1)[0] + "/")
        policy.style_hosts.append(css.cdn_url.rsplit("/", 1)[0] + "/")
    else:
        styles.append(Tag(url=css.path))
        scripts.append(Tag(url=js.path))
    styles += [Tag(url=asset.path) for asset in plugin_css]
    scripts += [Tag(url=asset.path) for asset in plugins]
    if bundle.basemap is not None:
        # deferred: it runs after the page's own script, so the places draw first and the
        # country outlines follow (geo.outlines in static/map.js waits for them)
        scripts.append(Tag(url=bundle.basemap.path, defer=True))
    return styles, scripts


def view(
    layers: Mapping[str, FeatureCollection], options: MapSettings, large: bool = False
) -> dict[str, Any]:
    """The views and limits of the map, centred on the home longitude: the world (every place
    and the arcs of the connections), the near-home view when places crowd around home (see
    :func:`geo.web.entries.near_bounds`; never for a large table, whose places cluster), the
    home point, and the zooms from which the scale bar and the finer outlines show."""
    centre = entries.home_longitude(layers)
    world = entries.view_bounds(layers)
    box = layers[CONNECTIONS].get("bbox")
    if box and len(box) == 4:  # the arcs reach further north or south than the places
        world = [[min(world[0][0], box[1]), world[0][1]], [max(world[1][0], box[3]), world[1][1]]]
    home = next(iter(layers["office"]["features"]), None)
    return {
        "world": world,
        "near": None if large else entries.near_bounds(layers),
        "home": wrap_latlon(home["geometry"]["coordinates"], centre) if home else None,
        # Half a turn and more each way: a popup near the edge of a small map can be panned in.
        "maxBounds": [[-85.0, centre - SPAN], [85.0, centre + SPAN]],
        "centre": centre,
        "span": SPAN,
        "maxZoom": MAX_ZOOM_TILES if options.tiles else MAX_ZOOM,
        "scaleFrom": SCALE_FROM,
        "fineFrom": FINE_FROM,
    }


def wrap_latlon(position: Any, centre: float) -> list[float]:
    lon, lat = wrap.place(position, centre)
    return [lat, lon]


def script_texts(lang: str) -> dict[str, str]:
    """The words the page script puts on the map (plain text; it sets them as text)."""
    t = texts(lang)
    keys = ("map.gesture_touch", "map.gesture_scroll", "map.gesture_scroll_mac", "map.more")
    return {key.removeprefix("map."): t(key) for key in keys}


def render_page(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    lang: str,
    embed: bool,
    bundle: Bundle,
) -> str:
    """One page of the map as HTML text; a large table's page fetches its places (large.py)."""
    options = settings.map
    t = texts(lang)
    is_large = bundle.cluster is not None
    home = settings.home.name(lang)
    title = t("map.title", home=home)
    policy = Policy()
    styles, head_scripts = asset_tags(options, bundle, policy)
    if options.tiles:
        policy.image_hosts += [o for o in [origin_of(options.tiles)] if o]
    if is_large:
        policy.connect_hosts += [o for o in [origin_of(options.layers_url)] if o]
    map_view = view(layers, options, is_large)
    shown = [
        (name, not (is_large and name == CONNECTIONS)) for name in (CONNECTIONS, *PLACE_LAYERS)
    ]
    start = map_view["near"] or map_view["world"]
    described = describe_map(shown, start, map_view["maxBounds"])
    office = next(iter(layers["office"]["features"]), None)
    data: dict[str, Any] = {
        "names": {"map": described.map, "groups": described.groups},
        "lang": lang,
        "text": script_texts(lang),
        "view": map_view,
        "home": {"name": home, "place": str(office["id"]) if office else None},
        "colours": symbols.colours(),
        "tiles": {"url": options.tiles, "attribution": options.tiles_attribution}
        if options.tiles
        else None,
        "gesture": None if options.assets == "inline" else bundle.gesture.path,
        "fine": fine_outlines(bundle, options),
    }
    if is_large:
        data["large"] = large.config(options, lang, layers)
    else:
        data["places"] = entries.place_data(layers, lang)
        data["lines"] = entries.line_data(layers)
    code = static_text("map.js", "layout.js", *(("large.js",) if is_large else ()))
    script = inline_text(code + "\n" + described.code + "geo.start();\n", "script")
    css = inline_text(static_text("map.css", *(("large.css",) if is_large else ())), "style")
    policy.scripts.append(str(script))
    policy.styles.append(str(css))
    suffix = "-embed" if embed else ""
    others = [
        {"lang": other, "page": f"{other}{suffix}.html", "text": texts(other).link()}
        for other in settings.languages
        if other != lang
    ]
    return render(
        "web/page.html",
        t=t,
        lang=lang,
        title=title,
        variant="embed" if embed else "full",
        csp=policy.meta(),
        data_url=options.data_url,
        others=others,
        table_page=f"{lang}.html#geo-table",
        landing_page=f"../{landing_page(lang, settings.languages)}",
        styles=[*styles, Tag(text=css)],
        scripts=head_scripts,
        map_id=described.map,
        near_label=t("map.near", home=home) if map_view["near"] else t("map.map"),
        summary=key.summary(layers, home, lang),
        credit=None if options.tiles else (t("map.outlines"), BASEMAP_ATTRIBUTION),
        offices=entries.office_panel(layers, lang),
        table_head=entries.table_head(lang),
        rows=entries.table_rows(layers, lang, large.PAGE_SIZE if is_large else None),
        large=large.table_note(layers, lang) if is_large else None,
        key_items=key.key(layers, lang),
        marks=symbols.all_marks(),
        popups=[] if is_large else [entries.popup(f, lang) for f in entries.features(layers)],
        # a large map's popup and table row, written once, for its script to fill (large.js)
        popup_template=entries.popup_slots(lang) if is_large else None,
        row_template=entries.Row("", "", "", "", "\u2013", "", "", note=" ") if is_large else None,
        data=data,
        script=script,
    )


def fine_outlines(bundle: Bundle, options: MapSettings) -> dict[str, Any] | None:
    """Where the finer outlines near home are and the box they cover (None: there are none)."""
    if bundle.fine is None or options.assets == "inline":
        return None
    return {"url": bundle.fine.path, "box": bundle.fine_box}
