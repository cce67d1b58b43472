"""No local paths in published outputs (issue 21, item 6): a build and a publish from a table
in a folder of the machine that built them name it by its file name, never by the folder."""

from __future__ import annotations

import shutil

from geo import pipeline
from geo.printmap.figure import credited
from tests.publishing import BASE_URL
from tests.support import PLACES_CSV, make_project, snapshot


def test_the_credit_names_a_table_outside_the_project_by_its_file_name():
    assert credited("data/places.csv") == "data/places.csv"
    assert credited("/home/someone/places.xlsx") == "places.xlsx"
    assert credited("../elsewhere/places.csv") == "places.csv"


def test_no_output_names_the_folder_the_table_was_read_from(tmp_path):
    """`geo build --source /home/someone/places.csv` wrote that path into the print map."""
    project = tmp_path / "project"
    project.mkdir()
    settings = make_project(project)
    elsewhere = tmp_path / "home" / "someone"
    elsewhere.mkdir(parents=True)
    source = elsewhere / "places.csv"
    shutil.copy(PLACES_CSV, source)
    pipeline.build(settings, source)
    pipeline.publish(settings, BASE_URL, project / "public", source)
    outputs = {
        **{f"build/{k}": v for k, v in snapshot(settings.layers_dir).items()},
        **{f"maps/{k}": v for k, v in snapshot(settings.maps_dir).items()},
        **{f"public/{k}": v for k, v in snapshot(project / "public").items()},
    }
    assert len(outputs) > 30
    for folder in (str(elsewhere), str(tmp_path), "home/someone"):
        found = [name for name, data in outputs.items() if folder.encode() in data]
        assert found == [], f"{folder} in {found}"
    svg = outputs["maps/partnerships-en.svg"].decode("utf-8")
    assert "places.csv" in svg  # credited by its file name
