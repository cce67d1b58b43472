"""``geo serve``: a published folder and its OGC API - Features on 127.0.0.1, for a preview.

The files are served as a web server would serve the folder (``/`` is ``index.html``), and the
OGC API under ``/ogcapi`` by pygeoapi itself: its Flask application, configured from the
folder's own ``pygeoapi/config.yml`` (:mod:`geo.publication.ogcapi`) with only the address
changed to this one and the GeoPackage to the folder's. Both are WSGI applications, joined by
Werkzeug's dispatcher and served by Werkzeug's server (Flask's), which is meant for a preview
on one's own machine; in production a web team runs the same configuration under gunicorn
behind its web server (docs/publishing.md).

pygeoapi and GDAL's Python bindings are the optional extra ``ogcapi`` (``pip install
'city-partnerships[ogcapi]'``); pygeoapi reads its configuration once, when its application is
imported, from the files the environment variables ``PYGEOAPI_CONFIG`` and ``PYGEOAPI_OPENAPI``
name.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo.errors import UsageError
from geo.publication.ogcapi import CONFIG, PATH, dump
from geo.publication.published import is_publication

HOST = "127.0.0.1"
GEOPACKAGE = "data/layers.gpkg"
EXTRA = "pip install 'city-partnerships[ogcapi]'"
WSGIApp = Callable[..., Any]


def check_installed() -> None:
    """Stop with advice when pygeoapi or GDAL's Python bindings are not installed."""
    missing = [name for name in ("pygeoapi", "osgeo") if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(
            f"geo serve: {' and '.join(missing)} not installed; expected the optional extra "
            f"`ogcapi`. Install it with `{EXTRA}` (GDAL's bindings build against the system's "
            "GDAL: on Debian, apt-get install libgdal-dev first; `make test` does both)."
        )


def check_folder(folder: Path) -> Path:
    """`folder` as an absolute path if it is a publication with its service's configuration."""
    if not folder.is_dir() or not is_publication(folder):
        raise UsageError(
            f"{folder}: not a folder made by `geo publish`; expected one with SHA256SUMS "
            "and data/layers/all.geojson. Run `geo publish --out DIR` first."
        )
    if not (folder / CONFIG).is_file() or not (folder / GEOPACKAGE).is_file():
        raise UsageError(
            f"{folder}: has no {CONFIG} or {GEOPACKAGE}; expected a publication of this "
            "version of geo. Publish it again."
        )
    return folder.absolute()


def local_config(folder: Path, port: int) -> dict[str, Any]:
    """The folder's service configuration, answering at ``http://127.0.0.1:<port>/ogcapi``
    with the folder's GeoPackage."""
    import yaml

    text = (folder / CONFIG).read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    if not isinstance(config, dict) or not isinstance(config.get("resources"), dict):
        raise UsageError(f"{folder / CONFIG}: not a pygeoapi configuration; publish again.")
    config["server"] = {**config.get("server", {}), "url": f"http://{HOST}:{port}/{PATH}"}
    config["server"]["bind"] = {"host": HOST, "port": port}
    for resource in config["resources"].values():
        for provider in resource.get("providers", []):
            provider["data"]["source"] = str(folder / GEOPACKAGE)
    return config


def static_app(folder: Path) -> WSGIApp:
    """The folder's files, ``/`` its ``index.html`` (Flask's file sending: no path escapes)."""
    from flask import Flask, send_from_directory

    app = Flask("geo.serve", static_folder=None)

    @app.get("/")
    def index() -> Any:
        return send_from_directory(folder, "index.html")

    @app.get("/<path:name>")
    def file(name: str) -> Any:
        return send_from_directory(folder, name)

    return app


@contextmanager
def application(folder: Path, port: int) -> Iterator[WSGIApp]:
    """The WSGI application of ``geo serve``: the folder, and pygeoapi under ``/ogcapi``."""
    check_installed()
    folder = check_folder(folder)
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    with tempfile.TemporaryDirectory(prefix="geo-serve-") as scratch:
        config_path = Path(scratch) / "config.yml"
        config_path.write_bytes(dump(local_config(folder, port)))
        openapi_path = Path(scratch) / "openapi.yml"
        openapi = importlib.import_module("pygeoapi.openapi")
        document = openapi.generate_openapi_document(config_path, "yaml")
        openapi_path.write_text(document, encoding="utf-8")
        os.environ["PYGEOAPI_CONFIG"] = str(config_path)
        os.environ["PYGEOAPI_OPENAPI"] = str(openapi_path)
        api = importlib.import_module("pygeoapi.flask_app").APP
        yield DispatcherMiddleware(static_app(folder), {f"/{PATH}": api})


def serve(folder: Path, port: int, ready: Callable[[str], None]) -> None:
    """Serve `folder` on 127.0.0.1:`port` (0: a free port) until interrupted; `ready` is told
    the address once the server listens."""
    from werkzeug.serving import make_server

    check_installed()
    folder = check_folder(folder)
    # Listening first: with port 0 the system chooses it, and the service's links name it.
    server = make_server(HOST, port, _starting, threaded=True)
    try:
        with application(folder, server.server_port) as app:
            server.app = app
            ready(f"http://{HOST}:{server.server_port}/")
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _starting(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]
