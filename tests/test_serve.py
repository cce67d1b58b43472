"""geo serve: a published folder and its OGC API - Features (pygeoapi) on 127.0.0.1, read by
real clients: GDAL's OAPIF driver (the system's ogrinfo) and OWSLib."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner

from geo import pipeline
from geo.cli import cli
from geo.model import CONNECTIONS, LAYERS
from tests.publishing import BASE_URL, settings_in

HOSTILE_HOME = "Göte${HOME}borg"  # pygeoapi fills in ${NAME}: a title must never be filled in


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("serve")
    settings = settings_in(tmp)
    settings = dataclasses.replace(
        settings,
        home=dataclasses.replace(settings.home, names={**settings.home.names, "en": HOSTILE_HOME}),
    )
    pipeline.publish(settings, BASE_URL, tmp / "public")
    return tmp / "public"


@pytest.fixture(scope="module")
def server(folder):
    """`geo serve FOLDER --port 0` in a process of its own; its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "geo", "serve", str(folder), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # the command says where, once it listens
        found = re.search(r"at (http://127\.0\.0\.1:\d+/) ", line)
        assert found, f"no address in {line!r} (exit status {process.poll()})"
        yield found.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return json.load(response)


def layer(folder: Path, name: str) -> dict:
    return json.loads((folder / "data" / "layers" / f"{name}.geojson").read_text())


def test_files_are_served_as_published(folder, server):
    with urllib.request.urlopen(server, timeout=30) as response:
        assert response.read() == (folder / "index.html").read_bytes()
    with urllib.request.urlopen(server + "data/places.csv", timeout=30) as response:
        assert response.read() == (folder / "data" / "places.csv").read_bytes()


def test_conformance_lists_core_geojson_and_oas30(server):
    classes = get_json(server + "ogcapi/conformance?f=json")["conformsTo"]
    for part in ("core", "geojson", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{part}" in classes


OGRINFO = shutil.which("ogrinfo")


def test_gdal_lists_every_collection_with_its_count(folder, server):
    assert OGRINFO, "no system ogrinfo: run scripts/install-system-deps.sh (CI does)"
    done = subprocess.run(
        [OGRINFO, "-ro", "-so", "-al", f"OAPIF:{server}ogcapi"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert not re.search(r"(?im)^(warning|error)", out), out
    names = re.findall(r"(?m)^Layer name: (\S+)$", out)
    counts = [int(n) for n in re.findall(r"(?m)^Feature Count: (\d+)$", out)]
    types = re.findall(r"(?m)^Geometry: (.+)$", out)
    assert names == list(LAYERS)
    assert counts == [len(layer(folder, n)["features"]) for n in LAYERS]
    assert types == ["Multi Line String" if n == CONNECTIONS else "Point" for n in LAYERS]


def test_owslib_reads_items_by_bbox_and_in_pages(folder, server):
    from owslib.ogcapi.features import Features

    api = Features(server + "ogcapi")
    assert [c["id"] for c in api.collections()["collections"]] == list(LAYERS)
    bbox = [0.0, 40.0, 30.0, 70.0]  # Europe, west of Tallinn's east
    box = shapely.box(*bbox)
    inside = sorted(
        f["id"]
        for f in layer(folder, "partner_cities")["features"]
        if box.intersects(shapely.geometry.shape(f["geometry"]))
    )
    assert 2 < len(inside) < 10  # some, not all: the box selects
    first = api.collection_items("partner_cities", bbox=bbox, limit=2)
    assert len(first["features"]) == 2
    rest = api.collection_items("partner_cities", bbox=bbox, limit=100, offset=2)
    got = sorted(f["id"] for f in first["features"] + rest["features"])
    assert got == inside
    kiel = next(f for f in first["features"] + rest["features"] if f["id"] == "kiel")
    expected = next(f for f in layer(folder, "partner_cities")["features"] if f["id"] == "kiel")
    assert kiel["geometry"]["coordinates"] == pytest.approx(expected["geometry"]["coordinates"])
    assert kiel["properties"]["name_en"] == "Kiel"


def test_a_title_is_never_filled_in_from_the_environment(server):
    assert os.environ.get("HOME")
    titles = get_json(server + "ogcapi?f=json&lang=en")
    assert HOSTILE_HOME in json.dumps(titles, ensure_ascii=False)


def test_serve_refuses_what_is_not_a_publication(tmp_path):
    (tmp_path / "thesis.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["serve", str(tmp_path), "--port", "0"])
    assert result.exit_code == 2
    assert "not a folder made by `geo publish`" in result.output
