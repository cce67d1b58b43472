"""Stage 6e, the OGC API - Features service: the publication in, a pygeoapi configuration out.

``pygeoapi/config.yml`` in the folder serves every layer of the GeoPackage as a collection
through pygeoapi's OGR provider (so ``bbox``, ``limit`` and ``offset`` are GDAL's, on the
GeoPackage's spatial index), with the titles, descriptions and keywords in the page languages,
the CC0 licence and the publisher's contact, at ``<base URL>ogcapi``. ``geo serve`` runs it for
a preview (:mod:`geo.serve`); a web team runs the same file in production (docs/publishing.md).

The GeoPackage is named ``${GEO_PUBLICATION:-.}/data/layers.gpkg``: pygeoapi fills in the
environment variable ``GEO_PUBLICATION`` (the published folder) when it reads the file, or uses
the folder it runs in. pygeoapi fills in any ``${NAME}`` of an unquoted value, so every value
from the data or the settings that looks like one is written quoted, never filled in: a title
cannot read the server's environment. Written with PyYAML, which escapes every value for YAML.
Deterministic, pure: bytes out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from geo.model import LAYERS, landing_page
from geo.publication.dataset import CC0_URL, Dataset, keywords
from geo.publisher import Publisher
from geo.text import texts

CONFIG = "pygeoapi/config.yml"
PATH = "ogcapi"  # where the service answers, under the base URL
GEOPACKAGE = "${GEO_PUBLICATION:-.}/data/layers.gpkg"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
WORLD = (-180.0, -90.0, 180.0, 90.0)
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
# pygeoapi's pattern of a value it fills in from the environment (pygeoapi.util.yaml_load).
ENV = re.compile(r".*?\$\{(?P<varname>\w+)(:-(?P<default>[^}]*))?\}")


class Env(str):
    """A value pygeoapi fills in from the environment when it reads the file."""


class _Dumper(yaml.SafeDumper):
    """Quotes every text pygeoapi would fill in from the environment, but an :class:`Env`."""


_Dumper.add_implicit_resolver("!env", ENV, None)
_Dumper.add_representer(Env, lambda dumper, value: dumper.represent_scalar("!env", str(value)))


def service_url(base_url: str) -> str:
    """The service's address: ``<base URL>ogcapi`` (pygeoapi's links are made from it)."""
    return f"{base_url}{PATH}"


def _by_lang(languages: Sequence[str], key: str, **values: Any) -> dict[str, str]:
    return {lang: texts(lang)(key, **values) for lang in languages}


def _collection(
    data: Dataset, name: str, layer: Mapping[str, Any], languages: Sequence[str]
) -> dict[str, Any]:
    bbox = layer.get("bbox") or WORLD
    return {
        "type": "collection",
        "title": _by_lang(languages, f"layer_title.{name}"),
        "description": {
            lang: texts(lang)(
                "ogcapi.collection",
                layer=texts(lang)(f"layer_title.{name}"),
                title=data.title[lang],
            )
            for lang in languages
        },
        "keywords": {lang: keywords(lang) for lang in languages},
        "links": [
            {
                "type": "text/html",
                "rel": "canonical",
                "title": data.title[lang],
                "href": data.base_url + landing_page(lang, languages),
                "hreflang": lang,
            }
            for lang in languages
        ]
        + [
            {
                "type": "application/geo+json",
                "rel": "enclosure",
                "title": f"{name}.geojson",
                "href": f"{data.base_url}data/layers/{name}.geojson",
            }
        ],
        "extents": {"spatial": {"bbox": [float(v) for v in bbox], "crs": CRS84}},
        "providers": [
            {
                "type": "feature",
                "name": "OGR",
                "data": {
                    "source_type": "GPKG",
                    "source": Env(GEOPACKAGE),
                    "source_capabilities": {"paging": True},
                    "gdal_ogr_options": {"EMPTY_AS_NULL": "NO", "CPL_DEBUG": "NO"},
                },
                "id_field": "id",
                "layer": name,
                "title_field": f"name_{languages[0]}",
            }
        ],
    }


def config(
    data: Dataset,
    publisher: Publisher,
    layers: Mapping[str, Any],
    languages: Sequence[str],
    tiles: tuple[str, str] | None,
) -> dict[str, Any]:
    """pygeoapi's configuration of the publication (a dict; :func:`render_config` writes it),
    in the page `languages` (the first is the main one).

    `tiles` is the tile server and attribution of the service's own HTML pages (pygeoapi draws
    a Leaflet map on them); OpenStreetMap's when None."""
    url, attribution = tiles or (OSM, OSM_ATTRIBUTION)
    contact: dict[str, Any] = {"name": publisher.contact_name or publisher.name}
    contact |= {"email": publisher.email, "url": publisher.homepage or data.base_url}
    if publisher.phone:
        contact["phone"] = publisher.phone
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 5000},
            "url": service_url(data.base_url),
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": list(languages),
            "limits": {"default_items": 10, "max_items": 1000},
            "map": {"url": url, "attribution": attribution},
            "pretty_print": False,
            "admin": False,
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": {lang: data.title[lang] for lang in languages},
                "description": {lang: data.description[lang] for lang in languages},
                "keywords": {lang: keywords(lang) for lang in languages},
                "keywords_type": "theme",
                "terms_of_service": _by_lang(languages, "ogcapi.terms"),
                "url": data.base_url,
            },
            "license": {"name": "CC0 1.0", "url": CC0_URL},
            "provider": {"name": publisher.name, "url": publisher.homepage or data.base_url},
            "contact": contact,
        },
        "resources": {name: _collection(data, name, layers[name], languages) for name in LAYERS},
    }


def dump(document: Mapping[str, Any]) -> bytes:
    """A configuration as YAML in UTF-8, every value escaped (and quoted where pygeoapi would
    fill it in from the environment, but an :class:`Env`)."""
    text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return text.encode("utf-8")


def render_config(
    data: Dataset,
    publisher: Publisher,
    layers: Mapping[str, Any],
    languages: Sequence[str],
    tiles: tuple[str, str] | None = None,
) -> bytes:
    """``pygeoapi/config.yml``: the service's configuration."""
    return dump(config(data, publisher, layers, languages, tiles))
