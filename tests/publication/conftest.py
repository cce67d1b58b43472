"""Fixtures of the publication tests: one publication of the shipped table, its catalog and
its data package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from tests.publishing import publish


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("meta")
    publish(tmp, tmp / "public")
    return tmp / "public"


@pytest.fixture(scope="module")
def graph(folder) -> rdflib.Graph:
    return rdflib.Graph().parse(folder / "catalog.rdf", format="xml")


@pytest.fixture(scope="module")
def package(folder) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
