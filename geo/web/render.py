"""Stage 4, render maps: layers in, the web pages of the interactive map out (as bytes).

Takes the layers of :func:`geo.layers.build_layers` (never the table) and the settings; gives the
files of the maps folder by relative path: for Swedish and English a full page (``sv.html``,
``en.html``) and an embed page without page chrome for an iframe (``sv-embed.html``,
``en-embed.html``), ``embed-snippet.html`` with the ready iframe code, and ``assets/`` (Leaflet and
the country-outline basemap). The maps are Folium maps with Folium's defaults fixed: no CDN, no
jQuery/Bootstrap/icon fonts, counted element ids instead of random ones, ``lang`` and ``<title>``,
zoom not blocked. Every string from the data is escaped where it lands: :func:`html.escape` for
HTML, :func:`script_json` for data inside ``<script>``. Returns bytes, never writes.

Options come from ``[map]`` in geo.toml (see :class:`MapOptions`).
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.config import MapSettings, Settings
from geo.gc_pause import without_gc_pauses
from geo.geometry import to_latlon
from geo.io.basemap import read_basemap
from geo.layers import FeatureCollection
from geo.model import CONNECTIONS, PLACE_LAYERS
from geo.schema import BY_NAME, Kind, Status
from geo.text import LANGUAGES, catalogue, texts
from geo.urls import tel_url
from geo.web.assets import (
    BASEMAP_ATTRIBUTION,
    Asset,
    basemap_script,
    leaflet_assets,
    markercluster_assets,
)

SNIPPET = "embed-snippet.html"
# Above this many places the pages do not carry the places: they fetch the layer files beside
# them, cluster the markers, draw the connections only on demand and list the places a page at
# a time (see large_table_html). Below it, every place is in the page, which works offline.
LARGE_TABLE = 500
PAGE_SIZE = 100  # rows of the places table per page, on the pages of a large table
JINJA_OPEN = re.compile(r"\{(?=[{%#])")
LEAFLET_PREFIX = '<a href="https://leafletjs.com">Leaflet</a>'

# Okabe-Ito colours (safe for colour-blind readers); each also differs by shape and line style.
COLOURS: dict[str, str] = {
    Kind.OFFICE: "#000000",
    Kind.PARTNER_CITY: "#0072B2",
    Kind.FRIENDSHIP_TOWN: "#D55E00",
}


def _texts(lang: str) -> dict[str, str]:
    """The page's words by the short keys this module uses (from the catalogue and the schema)."""
    t = texts(lang)
    words = {k.split(".", 1)[1]: v for k, v in catalogue(lang).items() if k.startswith("map.")}
    words |= {f"kind_{k.value}": t.kind(k.value) for k in Kind}
    words |= {f"status_{s.value}": t.status(s.value) for s in Status}
    words |= {name: t.layer(name) for name in (*PLACE_LAYERS, CONNECTIONS)}
    labels = {"local_name": "name_local", "relation": "kind"}
    for key in ("local_name", "country", "relation", "status", "since", "source", "as_of",
                "visiting_address", "postal_address", "phone"):  # fmt: skip
        words[key] = BY_NAME[labels.get(key, key)].label(lang)
    return words


TEXT: dict[str, dict[str, str]] = {lang: _texts(lang) for lang in LANGUAGES}


def esc(text: object) -> str:
    """Escape text for HTML element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element and as a JavaScript literal."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, code)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    # branca compiles each rendered script as a Jinja template again: "{{", "{%" and "{#" (only
    # ever inside JSON strings) must not reach it, or data would be evaluated as template code.
    return JINJA_OPEN.sub(r"\\u007b", text)


@contextmanager
def counted_ids() -> Iterator[None]:
    """Make Folium/branca element ids a counter (001, 002, ...) instead of random hex.

    Patches branca's id generator for the duration of one render; not for concurrent renders.
    """
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):03d}")  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


# --- symbols -------------------------------------------------------------------------------


def symbol_svg(kind: str, status: str | None, size: int = 26) -> str:
    """The marker shape: office square, partner city circle, friendship town triangle.

    Dormant places are hollow with a dashed outline; active ones are filled.
    """
    colour = COLOURS[Kind(kind)]
    hollow = status == Status.DORMANT
    fill = "#ffffff" if hollow else colour
    stroke = colour if hollow else "#ffffff"
    dash = ' stroke-dasharray="4 2.5"' if hollow else ""
    width = 3 if hollow else 2
    if kind == Kind.OFFICE:
        shape = f'<rect x="4" y="4" width="18" height="18" fill="{fill}"'
    elif kind == Kind.PARTNER_CITY:
        shape = f'<circle cx="13" cy="13" r="10" fill="{fill}"'
    else:
        shape = f'<path d="M13 2.5 24 22.5H2Z" fill="{fill}"'
    ring = '<circle cx="13" cy="13" r="12.5" fill="none" stroke="#000" stroke-width="1"/>'
    halo = ring if kind == Kind.PARTNER_CITY else ""
    return (
        f'<svg aria-hidden="true" focusable="false" width="{size}" height="{size}" '
        f'viewBox="0 0 26 26">{halo}{shape} stroke="{stroke}" stroke-width="{width}"{dash}/>'
        f"{'' if hollow else _outline(kind)}</svg>"
    )


def _outline(kind: str) -> str:
    # A thin black edge keeps the filled shapes at 3:1 contrast against any basemap colour.
    if kind == Kind.OFFICE:
        return (
            '<rect x="3" y="3" width="20" height="20" fill="none" stroke="#000" stroke-width="1"/>'
        )
    if kind == Kind.FRIENDSHIP_TOWN:
        return '<path d="M13 .8 25.6 23.5H.4Z" fill="none" stroke="#000" stroke-width="1"/>'
    return ""


def line_svg(kind: str, status: str | None) -> str:
    dash = ' stroke-dasharray="6 4"' if status == Status.DORMANT else ""
    return (
        '<svg aria-hidden="true" focusable="false" width="32" height="12" viewBox="0 0 32 12">'
        f'<path d="M1 6H31" stroke="{COLOURS[Kind(kind)]}" stroke-width="3"{dash}/></svg>'
    )


def line_style(kind: str, status: str | None) -> dict[str, Any]:
    style: dict[str, Any] = {
        "color": COLOURS[Kind(kind)],
        "weight": 2.5,
        "opacity": 0.9,
        "interactive": False,
        "className": "geo-connection",
    }
    if status == Status.DORMANT:
        style["dashArray"] = "6 6"
    return style


# --- text of one place ---------------------------------------------------------------------


def _name(props: Mapping[str, Any], lang: str) -> str:
    return str(props.get(f"name_{lang}") or props.get("name_en") or props.get("id"))


def relation_text(props: Mapping[str, Any], lang: str) -> str:
    """'partnerstad, vilande' / 'office': relation and status as words."""
    t = TEXT[lang]
    words = t[f"kind_{props['kind']}"]
    if props.get("status"):
        words += ", " + t[f"status_{props['status']}"]
    return words


def since_html(props: Mapping[str, Any], lang: str) -> str:
    year = esc(props["since"]) if props.get("since") is not None else esc(TEXT[lang]["unknown"])
    note = props.get("since_note")
    return year + (f'<br><span class="geo-note">{esc(note)}</span>' if note else "")


def popup_html(props: Mapping[str, Any], lang: str) -> str:
    """The popup of one place: every field escaped as HTML text."""
    t = TEXT[lang]
    rows = []
    name = _name(props, lang)
    local = props.get("name_local")
    if local and local != name:
        rows.append((t["local_name"], esc(local)))
    rows.append((t["country"], esc(props.get("country", ""))))
    rows.append((t["relation"], esc(t[f"kind_{props['kind']}"])))
    if props.get("status"):
        rows.append((t["status"], esc(t[f"status_{props['status']}"])))
        rows.append((t["since"], since_html(props, lang)))
    for key in ("visiting_address", "postal_address"):
        if props.get(key):
            rows.append((t[key], esc(props[key])))
    if props.get("phone"):
        rows.append(
            (t["phone"], f'<a href="{esc(tel_url(props["phone"]))}">{esc(props["phone"])}</a>')
        )
    rows.append((t["source"], esc(props.get("source", ""))))
    if props.get("as_of"):
        rows.append((t["as_of"], esc(props["as_of"])))
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
    description = props.get(f"description_{lang}") or ""
    return (
        f'<div class="geo-popup"><p class="geo-popup-name">{esc(name)}</p>'
        f"<p>{esc(description)}</p><dl>{items}</dl></div>"
    )


def place_entries(layers: Mapping[str, FeatureCollection], lang: str) -> list[dict[str, Any]]:
    """What the page script needs per place, in drawing order; every string pre-escaped HTML."""
    entries = []
    labels: set[str] = set()
    for layer in PLACE_LAYERS:
        for feature in layers[layer]["features"]:
            props = feature["properties"]
            label = f"{_name(props, lang)}: {relation_text(props, lang)}"
            if label in labels:  # accessible names must be unique
                label = f"{label} ({props.get('country')}, {feature['id']})"
            labels.add(label)
            entries.append(
                {
                    "layer": layer,
                    "id": str(feature["id"]),
                    "latlon": list(to_latlon(feature["geometry"]["coordinates"])),
                    "icon": symbol_svg(props["kind"], props.get("status"))
                    + f'<span class="geo-sr">{esc(label)}</span>',
                    "tooltip": esc(label),
                    "popup": popup_html(props, lang),
                }
            )
    return entries


def line_entries(layers: Mapping[str, FeatureCollection]) -> list[dict[str, Any]]:
    lines = []
    for feature in layers[CONNECTIONS]["features"]:
        geometry, props = feature["geometry"], feature["properties"]
        parts = (
            geometry["coordinates"]
            if geometry["type"] == "MultiLineString"
            else [geometry["coordinates"]]
        )
        lines.append(
            {
                "latlngs": [[list(to_latlon(p)) for p in part] for part in parts],
                "style": line_style(props["relation"], props.get("status")),
            }
        )
    return lines


def place_bounds(layers: Mapping[str, FeatureCollection]) -> list[list[float]]:
    points = [
        to_latlon(f["geometry"]["coordinates"])
        for name in PLACE_LAYERS
        for f in layers[name]["features"]
    ]
    if not points:
        return [[-60.0, -180.0], [75.0, 180.0]]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


# --- HTML beside the map -------------------------------------------------------------------


def legend_html(layers: Mapping[str, FeatureCollection], lang: str) -> str:
    """The legend: one entry per symbol in use, each with its words; the layer toggles below."""
    t = TEXT[lang]
    pairs = sorted(
        {
            (f["properties"]["kind"], f["properties"].get("status"))
            for name in PLACE_LAYERS
            for f in layers[name]["features"]
        },
        key=lambda ks: (list(Kind).index(Kind(ks[0])), ks[1] or ""),
    )
    combos = [{"kind": kind, "status": status} for kind, status in pairs]
    items = [
        f"<li>{symbol_svg(kind, status, 20)} {esc(relation_text(combo, lang))}</li>"
        for combo in combos
        for kind, status in [(combo["kind"], combo["status"])]
    ]
    lines = sorted(
        {
            (f["properties"]["relation"], f["properties"].get("status") or "")
            for f in layers[CONNECTIONS]["features"]
        },
        key=lambda rs: (list(Kind).index(Kind(rs[0])), rs[1]),
    )
    # each line style in use: colour by relation, dash by status, both said in words
    items += [
        f"<li>{line_svg(relation, status)} {esc(t['line_' + status])} "
        f"({esc(t['kind_' + relation])})</li>"
        for relation, status in lines
        if status
    ]
    return (
        '<section class="geo-legend" aria-labelledby="geo-legend-h">'
        f'<h2 id="geo-legend-h">{esc(t["legend"])}</h2><ul>{"".join(items)}</ul>'
        f'<h3 id="geo-layers-h">{esc(t["layers"])}</h3>'
        '<div id="geo-layers" role="group" aria-labelledby="geo-layers-h"></div></section>'
    )


def office_html(layers: Mapping[str, FeatureCollection], lang: str) -> str:
    """The info panel: the office's name, addresses and phone."""
    t = TEXT[lang]
    parts = []
    for feature in layers["office"]["features"]:
        props = feature["properties"]
        rows = [f"<p><strong>{esc(_name(props, lang))}</strong></p><dl>"]
        for key in ("visiting_address", "postal_address"):
            if props.get(key):
                rows.append(f"<dt>{esc(t[key])}</dt><dd>{esc(props[key])}</dd>")
        if props.get("phone"):
            rows.append(
                f'<dt>{esc(t["phone"])}</dt><dd><a href="{esc(tel_url(props["phone"]))}">'
                f"{esc(props['phone'])}</a></dd>"
            )
        parts.append("".join(rows) + "</dl>")
    return (
        '<section class="geo-office" aria-labelledby="geo-office-h">'
        f'<h2 id="geo-office-h">{esc(t["contact"])}</h2>{"".join(parts)}</section>'
    )


def table_rows(
    layers: Mapping[str, FeatureCollection], lang: str, limit: int | None = None
) -> list[str]:
    """The rows of the places table (the first `limit` of them), as HTML."""
    t = TEXT[lang]
    features = (f for name in PLACE_LAYERS for f in layers[name]["features"])
    rows = []
    for feature in itertools.islice(features, limit):
        p = feature["properties"]
        status = t[f"status_{p['status']}"] if p.get("status") else "\u2013"
        since = since_html(p, lang) if p.get("status") else "\u2013"
        rows.append(
            f'<tr><th scope="row">{esc(_name(p, lang))}</th>'
            f"<td>{esc(p.get('name_local') or '')}</td><td>{esc(p.get('country') or '')}</td>"
            f"<td>{esc(t['kind_' + p['kind']])}</td>"
            f"<td>{esc(status)}</td><td>{since}</td></tr>"
        )
    return rows


def place_count(layers: Mapping[str, FeatureCollection]) -> int:
    return sum(len(layers[name]["features"]) for name in PLACE_LAYERS)


def is_large(layers: Mapping[str, FeatureCollection]) -> bool:
    """Whether the pages fetch the places instead of carrying them (see LARGE_TABLE)."""
    return place_count(layers) > LARGE_TABLE


def large_table_html(layers: Mapping[str, FeatureCollection], lang: str) -> str:
    """The text alternative for a large table: a page of rows at a time, the rest in the data.

    The first page is in the HTML; the page script shows the others (from the fetched layers)
    with Previous/Next buttons and announces the page number.
    """
    t = TEXT[lang]
    head = "".join(
        f'<th scope="col">{esc(t[k])}</th>'
        for k in ("name", "local_name", "country", "relation", "status", "since")
    )
    count = f"{place_count(layers):,}".replace(",", "\u00a0")
    note = t["table_large"].format(count=count, size=PAGE_SIZE)
    pages = -(-place_count(layers) // PAGE_SIZE)
    return (
        '<div class="geo-table" role="region" tabindex="0" aria-labelledby="geo-table-h">'
        f'<table><caption id="geo-table-h">{esc(t["table"])}</caption><thead><tr>{head}</tr>'
        f'</thead><tbody id="geo-table-body">{"".join(table_rows(layers, lang, PAGE_SIZE))}'
        f'</tbody></table></div><p>{esc(note)}</p><div class="geo-table-nav">'
        f'<button type="button" id="geo-table-prev" hidden>{esc(t["previous"])}</button>'
        f'<p id="geo-table-status" role="status">'
        f"{esc(t['page'].format(n=1, m=pages))}</p>"
        f'<button type="button" id="geo-table-next" hidden>{esc(t["next"])}</button></div>'
    )


def table_html(layers: Mapping[str, FeatureCollection], lang: str) -> str:
    """The text alternative of the map: every place with its relation, status and since."""
    t = TEXT[lang]
    head = "".join(
        f'<th scope="col">{esc(t[k])}</th>'
        for k in ("name", "local_name", "country", "relation", "status", "since")
    )
    rows = table_rows(layers, lang)
    return (
        '<div class="geo-table" role="region" tabindex="0" aria-labelledby="geo-table-h">'
        f'<table><caption id="geo-table-h">{esc(t["table"])}</caption><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


# --- the page's own style and script (ours, small, inline) ---------------------------------

STATIC = Path(__file__).parent / "static"


# --- Folium elements -----------------------------------------------------------------------


class GeoMap(folium.Map):
    """folium.Map without its header (no zoom blocking, no page-wide styles, no jQuery)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
            <div class="folium-map geo-map" id={{ this.get_name()|tojson }}></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
        {% endmacro %}
        """
    )

    def __init__(self, js: list[tuple[str, str]], css: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(**kw)
        self.default_js = js
        self.default_css = css


class Snippet(MacroElement):
    """A piece of page script with its data given as pre-encoded JavaScript (see script_json)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "Snippet"
        self.code = code


class PlacesOf(MacroElement):
    """Draw a layer's places into its parent FeatureGroup."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "geo.places({{ this._parent.get_name() }}, {{ this.data }});"
        "{% endmacro %}"
    )

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "PlacesOf"
        self.data = script_json(entries)


class LinesOf(PlacesOf):
    """Draw the connection lines into the parent FeatureGroup."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "geo.lines({{ this._parent.get_name() }}, {{ this.data }});"
        "{% endmacro %}"
    )


class Page(Figure):
    """The HTML page around the map: lang, title, our style and script, the panels."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{{ this.title }}</title>\n"
        "{{ this.header.render(**kwargs) }}\n"
        "<style>{{ this.css }}</style>\n"
        "<script>{{ this.js }}</script>\n"
        '</head>\n<body class="geo-{{ this.variant }}">\n'
        '<div class="geo-page">\n{{ this.before }}\n<main>\n'
        "{{ this.html.render(**kwargs) }}\n"
        '<div class="geo-side">{{ this.after }}</div>\n</main>\n</div>\n'
        "<script>\n{{ this.script.render(**kwargs) }}\n</script>\n"
        "</body>\n</html>\n"
    )

    def __init__(
        self, lang: str, title: str, variant: str, before: str, after: str, large: bool = False
    ) -> None:
        super().__init__()
        self.header._children.clear()  # branca's http-equiv meta: replaced by <meta charset>
        self.lang, self.title, self.variant = lang, esc(title), variant
        self.before, self.after = before, after
        self.css = (STATIC / "map.css").read_text(encoding="utf-8")
        self.js = (STATIC / "map.js").read_text(encoding="utf-8")
        if large:
            self.css += (STATIC / "large.css").read_text(encoding="utf-8")
            self.js += (STATIC / "large.js").read_text(encoding="utf-8")


class Raw(Element):
    """Markup given as is (our own tags, already escaped)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.markup = markup

    def render(self, **kwargs: Any) -> str:
        return self.markup


# --- pages ---------------------------------------------------------------------------------


def _inline_script(code: bytes) -> str:
    return "<script>" + code.decode("utf-8").replace("</script", "<\\/script") + "</script>"


def asset_tags(
    options: MapSettings,
    leaflet: tuple[Asset, Asset],
    basemap: Asset | None,
    cluster: tuple[Asset, Asset] | None = None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """Folium's default_js/default_css (local mode) and any tags of our own (inline, cdn).

    `cluster` (Leaflet.markercluster, for large tables) comes after Leaflet; it is local in
    ``cdn`` mode too (see :func:`geo.assets.markercluster_assets`).
    """
    js, css = leaflet
    extra: list[str] = []
    if options.assets == "local":
        pairs = ([("leaflet", js.path)], [("leaflet_css", css.path)])
        if cluster is not None:
            pairs[0].append(("markercluster", cluster[0].path))
            pairs[1].append(("markercluster_css", cluster[1].path))
    elif options.assets == "inline":
        pairs = ([], [])
        extra += [f"<style>{css.data.decode('utf-8')}</style>", _inline_script(js.data)]
        if cluster is not None:
            extra += [f"<style>{cluster[1].data.decode('utf-8')}</style>"]
            extra += [_inline_script(cluster[0].data)]
    else:
        pairs = ([], [])
        extra += [
            f'<link rel="stylesheet" href="{esc(css.cdn_url)}" integrity="{css.integrity}" '
            'crossorigin="anonymous">',
            f'<script src="{esc(js.cdn_url)}" integrity="{js.integrity}" '
            'crossorigin="anonymous"></script>',
        ]
        if cluster is not None:
            extra += [
                f'<link rel="stylesheet" href="{esc(cluster[1].path)}">',
                f'<script src="{esc(cluster[0].path)}"></script>',
            ]
    if basemap is not None:
        if options.assets == "inline":
            extra.append(_inline_script(basemap.data))
        else:
            # deferred: it runs after the page's own script, so the places draw first and the
            # country outlines follow (geo.outlines in static/map.js waits for them)
            extra.append(f'<script src="{esc(basemap.path)}" defer></script>')
    return pairs[0], pairs[1], extra


def large_script(
    fmap: folium.Map, groups: Mapping[str, folium.FeatureGroup], options: MapSettings, lang: str
) -> str:
    """The call that fetches, clusters and lists the places of a large table (large.js)."""
    t = TEXT[lang]
    symbols = {
        f"{kind.value}|{status.value if status else ''}": symbol_svg(
            kind.value, status.value if status else None
        )
        for kind in Kind
        for status in (None, *Status)
    }
    keys = ("local_name", "country", "relation", "status", "since", "unknown", "source", "as_of")
    keys += ("visiting_address", "postal_address", "phone", "cluster", "page", "failed")
    text = {k: t[k] for k in keys} | {
        k: v for k, v in t.items() if k.startswith(("kind_", "status_"))
    }
    config = {
        "base": options.layers_url,
        "lang": lang,
        "layers": list(PLACE_LAYERS),
        "symbols": symbols,
        "text": text,
        "colours": {kind.value: colour for kind, colour in COLOURS.items()},
        "pageSize": PAGE_SIZE,
        "maxZoom": 12,
    }
    names = ", ".join(f"{name}: {group.get_name()}" for name, group in groups.items())
    return f"geoLarge.load({fmap.get_name()}, {{{names}}}, {script_json(config)});"


def render_page(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    options: MapSettings,
    lang: str,
    embed: bool,
    leaflet: tuple[Asset, Asset],
    basemap: Asset | None,
    cluster: tuple[Asset, Asset] | None = None,
) -> str:
    """One page of the map, as HTML text; `cluster` given for a large table (see is_large)."""
    large = cluster is not None
    t = TEXT[lang]
    home = getattr(settings.home, f"name_{lang}")
    title = t["title"].format(home=home)
    other = "en" if lang == "sv" else "sv"
    before = (
        ""
        if embed
        else f'<header><p class="geo-lang"><a href="{other}.html" hreflang="{other}" '
        f'lang="{other}">'
        f"{esc(t['other'])}</a></p><h1>{esc(title)}</h1><p>{esc(t['intro'])}</p></header>"
    )
    table = large_table_html(layers, lang) if large else table_html(layers, lang)
    after = legend_html(layers, lang) + office_html(layers, lang) + table
    after += f'<p class="geo-data"><a href="{esc(options.data_url)}">{esc(t["data"])}</a></p>'
    page = Page(lang, title, "embed" if embed else "full", before, after, large)
    js, css, extra = asset_tags(options, leaflet, basemap, cluster)
    for i, tag in enumerate(extra):
        page.header.add_child(Raw(tag), name=f"asset_{i}")
    fmap = GeoMap(
        js,
        css,
        location=None,
        tiles=None,
        zoom_control=False,
        attribution_control=False,
        zoom_snap=0.25,
        world_copy_jump=False,
    )
    page.add_child(fmap)
    # Leaflet shows attributions as HTML: each is escaped once, and given once (a tile layer
    # hands its own to the attribution control).
    attribution = ""
    if options.tiles:
        folium.TileLayer(
            tiles=options.tiles, attr=esc(options.tiles_attribution), control=False
        ).add_to(fmap)
    else:
        attribution = esc(f"{t['outlines']}: {BASEMAP_ATTRIBUTION}")
        fmap.add_child(Snippet(f"geo.outlines({fmap.get_name()});"))
    controls = {
        "zoomInTitle": t["zoom_in"],
        "zoomOutTitle": t["zoom_out"],
        "position": "topleft",
    }
    fmap.add_child(
        Snippet(
            f"L.control.zoom({script_json(controls)}).addTo({fmap.get_name()});"
            f"L.control.scale({{imperial: false}}).addTo({fmap.get_name()});"
            f"L.control.attribution({{prefix: {script_json(LEAFLET_PREFIX)}}})"
            f".addAttribution({script_json(attribution)}).addTo({fmap.get_name()});"
        )
    )
    counts = {name: len(layers[name]["features"]) for name in (CONNECTIONS, *PLACE_LAYERS)}
    groups = {}
    for name in (CONNECTIONS, *PLACE_LAYERS):
        # A large table's connections are fetched and drawn only when switched on.
        show = not (large and name == CONNECTIONS)
        group = folium.FeatureGroup(name=f"{esc(t[name])} ({counts[name]})", show=show)
        group.add_to(fmap)
        groups[name] = group
    if large:
        fmap.add_child(Snippet(large_script(fmap, groups, options, lang)))
    else:
        groups[CONNECTIONS].add_child(LinesOf(line_entries(layers)))
        entries = place_entries(layers, lang)
        for name in PLACE_LAYERS:
            groups[name].add_child(PlacesOf([e for e in entries if e["layer"] == name]))
    control = folium.LayerControl(collapsed=False)
    fmap.add_child(control)
    folium.FitBounds(place_bounds(layers), padding=(20, 20)).add_to(fmap)
    texts = {"map": t["map"], "close": t["close"]}
    fmap.add_child(
        Snippet(f"geo.setup({fmap.get_name()}, {script_json(texts)}, {control.get_name()});")
    )
    return page.render()


def embed_snippet(settings: Settings, options: MapSettings) -> str:
    """The iframe code for web teams, one per language."""
    parts = []
    for lang in LANGUAGES:
        t = TEXT[lang]
        title = t["embed_title"].format(home=getattr(settings.home, f"name_{lang}"))
        src = f"{options.url}{lang}-embed.html"
        parts.append(
            f"<!-- {esc(lang)} -->\n"
            f'<iframe src="{esc(src)}" title="{esc(title)}" loading="lazy" '
            'style="display:block;width:100%;aspect-ratio:4/3;min-height:24rem;border:0">'
            f'<a href="{esc(options.data_url)}">{esc(t["data"])}</a></iframe>\n'
            f'<p lang="{lang}"><a href="{esc(options.url)}{lang}.html">{esc(title)}</a> · '
            f'<a href="{esc(options.data_url)}">{esc(t["data"])}</a></p>\n'
        )
    return "\n".join(parts)


@without_gc_pauses
def render_maps(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    outlines: Mapping[str, Any] | None = None,
) -> dict[str, bytes]:
    """Every file of the maps folder, by path relative to it.

    `outlines` is the basemap GeoJSON; when not given it is read from the settings' basemap file.
    """
    options = settings.map
    leaflet = leaflet_assets()
    cluster = markercluster_assets() if is_large(layers) else None
    basemap = None
    if not options.tiles:
        if outlines is None:
            outlines = read_basemap(settings.basemap)
        basemap = Asset("assets/basemap.js", basemap_script(dict(outlines)))
    files: dict[str, bytes] = {}
    for lang in LANGUAGES:
        for embed in (False, True):
            name = f"{lang}-embed.html" if embed else f"{lang}.html"
            with counted_ids():  # each page counts from 1: pages do not depend on each other
                page = render_page(
                    layers, settings, options, lang, embed, leaflet, basemap, cluster
                )
            files[name] = page.encode("utf-8")
    if options.assets != "inline":
        if options.assets == "local":
            files.update({asset.path: asset.data for asset in leaflet})
        if cluster is not None:
            files.update({asset.path: asset.data for asset in cluster})
        if basemap is not None:
            files[basemap.path] = basemap.data
    files[SNIPPET] = embed_snippet(settings, options).encode("utf-8")
    return dict(sorted(files.items()))
