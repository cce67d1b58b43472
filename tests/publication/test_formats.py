"""The registry of download formats, and every download opening cleanly in GDAL.

The tests go through the registry (geo.publication.formats): every record's files are in the
publication and in every description of it; each file GDAL can read opens without a warning in
the GDAL that pyogrio ships and, when it is installed, in the system's ogrinfo (Debian 12: GDAL
3.6, which scripts/install-system-deps.sh installs for CI), with typed geometries and the
layers' own names; the print files are what they say."""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import subprocess
import warnings
from pathlib import Path

import pyogrio
import pytest
from PIL import Image

from geo.config import DEFAULT_LANGUAGES
from geo.model import ALL, CONNECTIONS, LAYERS
from geo.publication import formats
from geo.publication.dcat import CATALOG_FILE
from geo.text import catalogue, languages

GIS = {"GPKG", "FlatGeobuf", "GeoJSON", "CSV", "XLSX"}  # GDAL drivers of the registry's formats
TYPED = {"Point", "Multi Line String", "Line String"}


def registry_files():
    for fmt in formats.FORMATS:
        for part in fmt.parts():
            yield fmt, part, fmt.path_of(part)


def test_every_record_is_complete():
    names = [f.name for f in formats.FORMATS]
    assert len(names) == len(set(names)) == len(formats.BY_NAME)
    for fmt in formats.FORMATS:
        assert fmt.use in formats.USES, fmt.name
        assert ("{layer}" in fmt.path) == bool(fmt.layers), fmt.name
        assert ("{lang}" in fmt.path) == fmt.per_language, fmt.name
        assert re.fullmatch(r"[a-z]+/[a-z0-9/_{}.-]+\.[a-z0-9]+", fmt.path), fmt.path
        assert fmt.file_type.startswith((formats.FILE_TYPE, "https://")), fmt.name
        assert re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", fmt.mediatype), fmt.name
        for lang in languages():  # its texts exist in every catalogue
            assert fmt.title in catalogue(lang) and fmt.note in catalogue(lang), fmt.name
    paths = [path for _, _, path in registry_files()]
    assert len(paths) == len(set(paths))


def test_the_folder_holds_every_registry_file_and_every_description_names_it(folder):
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    catalog = (folder / CATALOG_FILE).read_text(encoding="utf-8")
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8")
    pages = [(folder / p).read_text(encoding="utf-8") for p in ("index.html", "en.html")]
    resources = [r["path"] for r in package["resources"]]
    expected = [path for fmt, _, path in registry_files() if fmt.data]
    assert resources == expected  # in the registry's order
    for fmt, _, path in registry_files():
        assert (folder / path).is_file(), path
        assert f"  {path}\n" in sums, path
        if fmt.data:
            assert f'<dcat:downloadURL rdf:resource="https://data.example.se/relations/{path}"' in (
                catalog
            ), path
        on_pages = [f'href="{path}"' in page for page in pages]
        assert all(on_pages) if not fmt.per_language else any(on_pages), path


def test_help_names_every_format():
    from click.testing import CliRunner

    from geo.cli import cli

    text = " ".join(CliRunner().invoke(cli, ["publish", "--help"]).output.split())
    for fmt in formats.FORMATS:
        assert fmt.label in text, fmt.label


def gdal_files(folder: Path):
    """Every download GDAL reads, with its format."""
    for fmt, part, path in registry_files():
        if fmt.name in ("xlsx", "csv", "gpkg", "geojson", "fgb"):
            yield fmt, part, folder / path


def test_pyogrios_gdal_opens_every_download_without_a_warning(folder):
    for fmt, part, path in gdal_files(folder):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layers = pyogrio.list_layers(path)
            for name, _ in layers:
                pyogrio.read_info(path, layer=name)
                pyogrio.read_dataframe(path, layer=name)
        assert [str(w.message) for w in caught] == [], path
        names = [name for name, _ in layers]
        if fmt.layers:  # one layer a file, named as the layer, never "file"
            assert names == [part], path
        elif fmt.name == "gpkg":
            assert names == list(LAYERS)
        if fmt.use == "gis" and part != ALL:  # all.geojson mixes points and lines on purpose
            for name, geometry in layers:
                expected = "MultiLineString" if name == CONNECTIONS else "Point"
                assert geometry in (expected, expected.removeprefix("Multi")), (path, name)


OGRINFO = shutil.which("ogrinfo")


@pytest.mark.skipif(OGRINFO is None, reason="no system ogrinfo (scripts/install-system-deps.sh)")
def test_system_ogrinfo_prints_no_warning_and_typed_named_layers(folder):
    version = subprocess.run([OGRINFO, "--version"], capture_output=True, text=True).stdout
    assert version.startswith("GDAL ")
    for fmt, part, path in gdal_files(folder):
        done = subprocess.run(
            [OGRINFO, "-ro", "-al", "-so", str(path)], capture_output=True, text=True, timeout=60
        )
        out = done.stdout + done.stderr
        assert done.returncode == 0, out
        assert not re.search(r"(?im)^(warning|error)", out), out
        names = re.findall(r"(?m)^Layer name: (.+)$", out)
        assert "file" not in names
        if fmt.layers:
            assert names == [part]
        if fmt.use == "gis" and part != ALL:
            types = re.findall(r"(?m)^Geometry: (.+)$", out)
            assert types and set(types) <= TYPED, (path, types)


def test_geopackage_is_version_1_2(folder):
    with sqlite3.connect(folder / "data" / "layers.gpkg") as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
        kinds = dict(db.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
    assert kinds == {n: "MULTILINESTRING" if n == CONNECTIONS else "POINT" for n in LAYERS}


@pytest.mark.parametrize("lang", DEFAULT_LANGUAGES)
def test_print_files_are_an_a4_png_at_300_dpi_a_pdf_and_the_builds_svg(folder, lang):
    png = (folder / "maps" / f"partnerships-{lang}-a4.png").read_bytes()
    image = Image.open(io.BytesIO(png))
    assert image.width == 3508  # A4's 297 mm at 300 dpi
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert image.height < 2480  # fits an A4 page across, landscape
    pdf = (folder / "maps" / f"partnerships-{lang}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/CreationDate" not in pdf
    svg = folder / "maps" / f"partnerships-{lang}.svg"
    assert svg.read_bytes().lstrip().startswith(b"<?xml")
    if shutil.which("pdftoppm"):  # poppler reads the PDF as a page with the map's words
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout
        assert "Göteborg".encode() in text or b"Gothenburg" in text


def test_the_docs_table_of_formats_is_the_registrys():
    from scripts import make_docs

    text = make_docs.PUBLISHING.read_text(encoding="utf-8")
    assert make_docs.generated(text, make_docs.PUBLISHING_SECTIONS) == text, "run `make docs`"
    for fmt in formats.FORMATS:
        assert fmt.label in text and fmt.path_of(fmt.parts()[0]) in text
